"""Turning what a user types as a label into the model's class index."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dacwallet.errors import InputError

# ASCII digits only, and few of them: '²' or '٣' pass str.isdigit() but are no index, and a 5,000-digit
# number would stop int() itself.
_INDEX = re.compile(r"-?[0-9]{1,9}", re.ASCII)


def parse_label(value: str | int, classifications: Sequence[str]) -> int:
    """A class name (any case) or its index; anything else is a clear InputError."""
    if isinstance(value, int):
        index = value
    else:
        text = str(value).strip()
        names = [c.lower() for c in classifications]
        if text.lower() in names:
            return names.index(text.lower())
        if not _INDEX.fullmatch(text):
            shown = text if len(text) <= 40 else text[:40] + "…"
            raise InputError(f"{shown!r} is not a label of this model; use one of: {', '.join(classifications)}.")
        index = int(text)
    if not 0 <= index < len(classifications):
        raise InputError(
            f"Label {index} is out of range; use one of: {', '.join(classifications)} "
            f"(0 to {len(classifications) - 1})."
        )
    return index
