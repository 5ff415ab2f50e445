"""`pip install .` into a fresh environment outside the checkout gives a working dacwallet."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import json, pathlib, sys
import dacwallet, ui.launcher
from dacwallet.paths import resources_dir
from dacwallet.contracts.artifacts import load_artifact
from dacwallet.contracts.deployment import MODEL_CONTRACTS
here = pathlib.Path(dacwallet.__file__).resolve()
assert "{checkout}" not in str(here), here
res = resources_dir()
assert res == here.parent / "_resources", res
for name in ("CollaborativeTrainer64", "CollaborativeTrainerPoints64", *MODEL_CONTRACTS):
    assert len(load_artifact(name).bytecode) > 1000, name
models = sorted(p.name for p in (res / "models").glob("*.json"))
print("ok", len(models))
"""


@pytest.mark.slow
def test_wheel_installs_and_works_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("dacwallet-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # Dependencies come from the test environment (a path line, so its editable install is not seen);
    # the package itself only from the wheel.
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        text=True).strip())
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Whatever points Python at the checkout in the caller's environment (PYTHONPATH from a CI runner, say)
    # must not leak in: the wheel alone has to be enough.
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run([str(python), "-I", "-c", CHECK.format(checkout=ROOT)], cwd=elsewhere, env=clean_env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
    version = subprocess.run([str(env_dir / "bin" / "dacwallet"), "--version"], cwd=elsewhere, env=clean_env,
                             capture_output=True, text=True, timeout=300)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("dacwallet ")
