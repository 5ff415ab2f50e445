"""Every third-party module the code imports comes from a distribution pyproject.toml declares.

A module that only arrives through another package's dependencies (eth_utils through web3, say) works
until that package drops it; the wheel test installs the declared dependencies, this test says which
declaration is missing, in a second, by name and line.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"dacwallet", "ui"}


def imported_modules() -> dict[str, list[str]]:
    """Top-level module -> where it is imported (file:line), for every absolute import under dacwallet/ and ui/."""
    found: dict[str, list[str]] = {}
    for package in sorted(FIRST_PARTY):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def third_party(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        m: where
        for m, where in found.items()
        if m not in sys.stdlib_module_names and m not in FIRST_PARTY and m != "__future__"
    }


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name(Requirement(line).name) for line in project["dependencies"]}


def test_the_scan_sees_the_imports() -> None:
    """Guard against a scan that finds nothing and so passes: the known direct imports are there."""
    found = third_party(imported_modules())
    assert {"web3", "eth_utils", "pyrevm", "numpy", "PySide6"} <= set(found), sorted(found)
    assert "json" not in found and "dacwallet" not in found


def test_every_imported_third_party_module_is_a_declared_dependency() -> None:
    declared = declared_distributions()
    providers = importlib.metadata.packages_distributions()
    problems = []
    for module, where in sorted(third_party(imported_modules()).items()):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists:
            problems.append(f"{module}: no installed distribution provides it (imported at {where[0]})")
        elif not dists & declared:
            problems.append(
                f"{module}: from {', '.join(sorted(dists))}, not in pyproject.toml's dependencies "
                f"(imported at {', '.join(where[:3])}{' ...' if len(where) > 3 else ''})"
            )
    assert not problems, "\n".join(problems)
