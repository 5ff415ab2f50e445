"""The compiled contracts shipped in resources/contracts (built by contracts/build.js)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from dacwallet.errors import ContractError
from dacwallet.paths import resources_dir

TRAINER_STAKEABLE = "CollaborativeTrainer64"
TRAINER_POINTS = "CollaborativeTrainerPoints64"


@dataclass(frozen=True)
class Artifact:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    compiler: str
    source_hash: str


@functools.cache
def load_artifact(name: str) -> Artifact:
    """The artifact of contract ``name``; a missing one means a broken install."""
    path = resources_dir() / "contracts" / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContractError(
            f"The compiled contract {name} is missing from {path.parent}; reinstall dacwallet."
        ) from exc
    return Artifact(
        name=raw["contractName"],
        abi=raw["abi"],
        bytecode=raw["bytecode"],
        compiler=raw["compiler"],
        source_hash=raw["sourceHash"],
    )


@functools.cache
def combined_abi(*names: str) -> list[dict[str, Any]]:
    """The union of several ABIs, each entry once (e.g. trainer + every model)."""
    seen: set[str] = set()
    merged: list[dict[str, Any]] = []
    for name in names:
        for entry in load_artifact(name).abi:
            key = json.dumps(entry, sort_keys=True)
            if key not in seen:
                seen.add(key)
                merged.append(entry)
    return merged
