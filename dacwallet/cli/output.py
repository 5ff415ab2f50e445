"""How a command's result is printed: JSON (--json), or one readable line per item."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def show(result: Any, *, as_json: bool) -> None:
    """Prints a command's result: JSON, or readable lines."""
    if as_json:
        print(json.dumps(result, indent=1))
    elif isinstance(result, list):
        for item in result:
            print(_line(item))
        if not result:
            print("(none)")
    else:
        print(_line(result))


def _line(item: Any) -> str:
    """One result as ``key=value`` pairs for a person: what is unknown or empty is left out, yes/no for a flag,
    lists of words joined; nested figures (quotes, outcomes) are for --json."""
    if not isinstance(item, dict):
        return str(item)
    shown = ((k, _text(v)) for k, v in item.items())
    return "  ".join(f"{k}={v}" for k, v in shown if v is not None)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    if value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        words = [str(v) for v in value if isinstance(v, str)]
        return "; ".join(words) if words and len(words) == len(value) else None
    return str(value)


class Worded(int):
    """A number a program wants (--json) that a person reads as words (text lines): a chain time as a date, a
    label index as its class name."""

    words: str

    def __new__(cls, value: int, words: str) -> Worded:
        worded = super().__new__(cls, value)
        worded.words = words
        return worded

    def __str__(self) -> str:
        return self.words


def moment(ts: int) -> Worded:
    """A chain time: seconds since 1970 in --json, a date in text lines."""
    return Worded(ts, format_time(ts))


def span(seconds: int | None) -> Worded | None:
    """A number of seconds in --json, e.g. "2 days 3 h" in text lines (None: unknown)."""
    from dacwallet.usecases.chainops import describe_duration

    return None if seconds is None else Worded(seconds, describe_duration(seconds))


def format_time(ts: int | None) -> str:
    """A chain time as the CLI prints it; one no date can hold (a clock moved absurdly far) stays a number."""
    if ts is None:
        return "-"
    try:
        return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, ValueError, OSError):
        return f"{ts} s after 1970 (beyond any date)"
