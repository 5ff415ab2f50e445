"""Run a benchmark as it was at another git revision, so one run prints both sets of figures.

    python benchmarks/core.py --against 17f56bc      # this checkout beside revision 17f56bc

The revision's tree is exported to a scratch folder and its own copy of the script runs there
with ``--json`` (its code, this interpreter): the revision's dependencies must be installed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def run_at(revision: str, script: str, args: list[str]) -> dict[str, Any]:
    """The JSON figures of ``script`` (a path inside the repository) run at ``revision``."""
    archive = subprocess.run(["git", "archive", revision], cwd=REPO, capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory(prefix="dacwallet-baseline-") as tree:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        node_modules = REPO / "contracts" / "node_modules"  # anvil and solc, not in git
        if node_modules.exists():
            (Path(tree) / "contracts" / "node_modules").symlink_to(node_modules.resolve())
        done = subprocess.run(
            [sys.executable, script, *args, "--json"],
            cwd=tree,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": tree},
        )
    if done.returncode != 0:
        raise RuntimeError(f"{script} at {revision} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def print_side_by_side(
    rows: list[tuple[str, str]], baseline: list[tuple[str, str]] | None, revision: str | None
) -> None:
    """Rows of (figure, value); with a baseline, its value for the same figure in a second column."""
    width = max(len(name) for name, _ in rows)
    if baseline is None:
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
        return
    then = dict(baseline)
    column = max(len(value) for _, value in rows)
    print(f"{'':<{width}}  {'this checkout':<{column}}  at {revision}")
    for name, value in rows:
        print(f"{name:<{width}}  {value:<{column}}  {then.get(name, '-')}")
