"""`pip install .` into a fresh environment outside the checkout gives a working dacwallet.

The fresh environment holds the wheel and exactly the distributions its declared dependencies need
(their closure, read from the wheel's metadata and linked from this test environment, so no download):
pip installs the wheel *with* dependency checking and no index, so an unmet or badly bounded declaration
fails here, and a module the code imports that no declared dependency brings is missing at run time.
tests/test_dependencies.py names such a module in a second; this test runs the installed program.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import json, pathlib, sys
import dacwallet, ui.launcher
from dacwallet.paths import resources_dir
from dacwallet.contracts.artifacts import load_artifact
from dacwallet.contracts.deployment import MODEL_CONTRACTS
from dacwallet.ml.model_file import DEFAULT_MODEL
here = pathlib.Path(dacwallet.__file__).resolve()
assert "{checkout}" not in str(here), here
res = resources_dir()
assert res == here.parent / "_resources", res
for name in ("CollaborativeTrainer64", "CollaborativeTrainerPoints64", *MODEL_CONTRACTS):
    assert len(load_artifact(name).bytecode) > 1000, name
models = sorted(p.stem for p in (res / "models").glob("*.json"))
print(json.dumps({{"models": models, "default": DEFAULT_MODEL}}))
"""


def _wheel_requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    return [
        Requirement(line.split(":", 1)[1].strip())
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def dependency_closure(requirements: list[Requirement]) -> list[importlib.metadata.Distribution]:
    """The installed distributions the requirements need (markers and extras followed), each checked
    against every specifier that asks for it."""
    found: dict[str, importlib.metadata.Distribution] = {}
    done: set[tuple[str, str]] = set()
    todo = [(r, "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        key = canonicalize_name(req.name)
        dist = found.get(key) or importlib.metadata.distribution(req.name)
        assert req.specifier.contains(dist.version, prereleases=True), (
            f"{req} (needed by the wheel) but this environment has {req.name} {dist.version}"
        )
        found[key] = dist
        for wanted in ("", *sorted(req.extras)):
            if (key, wanted) not in done:
                done.add((key, wanted))
                todo.extend((Requirement(line), wanted) for line in dist.requires or [])
    return list(found.values())


def link_distributions(dists: list[importlib.metadata.Distribution], target: Path) -> None:
    """target gets a link to every top-level file or folder of the distributions (their code and dist-info)."""
    target.mkdir()
    for dist in dists:
        assert dist.files is not None, f"{dist.metadata['Name']} has no RECORD to copy from"
        for top in {f.parts[0] for f in dist.files if f.parts[0] not in ("..", "__pycache__")}:
            source = Path(dist.locate_file(top))
            if source.exists() and not (target / top).exists():
                (target / top).symlink_to(source)


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(dist.glob("dacwallet-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    # The declared dependencies' closure, linked into a folder the venv reads through a path line (so
    # neither this environment's editable dacwallet nor its test tools are seen).
    deps = tmp_path / "deps"
    link_distributions(dependency_closure(_wheel_requirements(wheel)), deps)
    site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True
        ).strip()
    )
    (site / "deps.pth").write_text(f"{deps}\n")
    # Whatever points Python at the checkout in the caller's environment (PYTHONPATH from a CI runner, say)
    # must not leak in: the wheel alone has to be enough. No pip configuration either: no index, no links.
    clean_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_")) and k != "DACWALLET_IMDB_DATA"
    }
    pip_env = {**clean_env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # With dependency checking: every declared requirement must be met by the linked closure.
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--quiet", str(wheel)],
        env=pip_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(python), "-I", "-c", CHECK.format(checkout=ROOT)],
        cwd=elsewhere,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    shipped = json.loads(result.stdout)
    assert len(shipped["models"]) > 0 and shipped["default"] in shipped["models"], shipped

    dacwallet = str(env_dir / "bin" / "dacwallet")
    version = subprocess.run(
        [dacwallet, "--version"], cwd=elsewhere, env=clean_env, capture_output=True, text=True, timeout=300
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("dacwallet ")
    # The installed program's first start: the embedded chain, the default model deployed from the wheel.
    status = subprocess.run(
        [dacwallet, "--data-dir", str(tmp_path / "wallet"), "status", "--json"],
        cwd=elsewhere,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["network"] == "embedded" and report["model"] == shipped["default"], report
    assert report["trainer"].startswith("0x") and report["contributions"] == 0, report
    # Away from the checkout there is no ../shared: simulate says how to give the reviews, exit 1.
    simulate = subprocess.run(
        [dacwallet, "--data-dir", str(tmp_path / "wallet"), "simulate", "--out", str(tmp_path / "sim")],
        cwd=elsewhere,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert simulate.returncode == 1, simulate.stdout + simulate.stderr
    assert "pass --data PATH" in simulate.stderr and "DACWALLET_IMDB_DATA" in simulate.stderr, simulate.stderr
