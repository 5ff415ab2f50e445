"""The app's few remembered choices (the auto-lock time), as a small JSON file in the data folder.

Kept beside the wallet's data rather than in the OS settings store, so that each data folder (and
each test) has its own, and a broken or missing file simply means the defaults.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FILE = "preferences.json"
AUTO_LOCK_MINUTES = "auto_lock_minutes"
DEFAULT_AUTO_LOCK_MINUTES = 5
AUTO_LOCK_CHOICES = (1, 5, 15, 30, 60)


def load(data_dir: Path) -> dict[str, Any]:
    try:
        value = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def save(data_dir: Path, key: str, value: Any) -> None:
    data = load(data_dir)
    data[key] = value
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / FILE).write_text(json.dumps(data, indent=1), encoding="utf-8")


def auto_lock_minutes(data_dir: Path) -> int:
    value = load(data_dir).get(AUTO_LOCK_MINUTES)
    return value if value in AUTO_LOCK_CHOICES else DEFAULT_AUTO_LOCK_MINUTES
