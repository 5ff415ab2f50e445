"""How a command's result is printed: JSON (--json), or one readable line per item."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from typing import Any


def show(result: Any, *, as_json: bool) -> None:
    """Prints a command's result: JSON, or readable lines."""
    plain = to_plain(result)
    if as_json:
        print(json.dumps(plain, indent=1))
    elif isinstance(plain, list):
        for item in plain:
            print(_line(item))
        if not plain:
            print("(none)")
    else:
        print(_line(plain))


def to_plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _line(item: Any) -> str:
    if isinstance(item, dict):
        return "  ".join(f"{k}={v}" for k, v in item.items() if not isinstance(v, (list, dict)))
    return str(item)


def format_time(ts: int | None) -> str:
    """A chain time as the CLI prints it; one no date can hold (a clock moved absurdly far) stays a number."""
    if ts is None:
        return "-"
    try:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"{ts} s after 1970 (beyond any date)"
