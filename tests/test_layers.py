"""The layers hold, and their contracts bite: ui -> dacwallet.usecases -> the core's parts -> dacwallet.errors.

tests/test_architecture.py runs lint-imports on the tree as it is. Here a copy of the tree gets one import that
breaks a layer, and lint-imports must refuse it and name it: a contract that passes whatever the code does
would guard nothing.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What a WalletContext holds below the use-cases: the node, the database, the connection, the mirror's cache.
BELOW_THE_USE_CASES = {"w3", "db", "connection", "mirror_cache"}
GUI_CONTRACT = "The GUI reaches the core only through the use-cases"
LAYERS_CONTRACT_PREFIX = "Layers: the GUI, then the use-cases"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def test_the_gui_may_not_import_the_core_parts_below_the_use_cases() -> None:
    gui = next(c for c in contracts() if c["name"] == GUI_CONTRACT)
    assert gui["source_modules"] == ["ui"]
    forbidden = set(gui["forbidden_modules"])  # type: ignore[arg-type]
    for part in ("chain", "keys", "sync", "store", "contracts", "ml"):
        assert f"dacwallet.{part}" in forbidden


def test_the_layers_run_from_the_gui_down_to_the_errors() -> None:
    layers = next(c for c in contracts() if str(c["name"]).startswith(LAYERS_CONTRACT_PREFIX))["layers"]
    assert layers[0] == "ui" and layers[1] == "dacwallet.usecases" and layers[-1] == "dacwallet.errors"  # type: ignore[index]
    core = layers[2].split(" : ")  # type: ignore[index]
    assert {f"dacwallet.{p}" for p in ("sync", "store", "chain", "keys", "contracts", "ml")} <= set(core)


@pytest.mark.parametrize(
    ("module", "line", "contract", "offence"),
    [
        (
            "ui/probe.py",
            "from dacwallet.keys.store import KeyStore\n",
            GUI_CONTRACT,
            "ui.probe -> dacwallet.keys.store",
        ),
        (
            "dacwallet/store/probe.py",
            "from dacwallet.usecases.context import WalletContext\n",
            LAYERS_CONTRACT_PREFIX,
            "dacwallet.store.probe -> dacwallet.usecases.context",
        ),
    ],
    ids=["gui-reaches-keys", "store-reaches-usecases"],
)
def test_lint_imports_refuses_an_import_that_breaks_a_layer(
    tmp_path: Path, module: str, line: str, contract: str, offence: str
) -> None:
    for package in ("dacwallet", "ui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / module).write_text(line, encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[-1]  # the probe, found in the copy (it is nowhere else)
    assert contract in broken and offence in broken, result.stdout


def test_no_gui_module_reaches_the_node_or_the_database_through_the_context() -> None:
    """An import contract cannot see ``ctx.w3.eth...`` in the GUI: the attribute names can."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in BELOW_THE_USE_CASES
    ]
    assert found == []
