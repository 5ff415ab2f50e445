"""Checks every text goes through before any encoder sees it."""

from __future__ import annotations

from dacwallet.errors import InputError

# A long review is ~13,000 characters; 20,000 leaves room while keeping the
# encoding (and the on-chain data of the reference encoders) bounded.
MAX_TEXT_CHARS = 20_000


def checked_text(text: str | bytes) -> str:
    """Return ``text`` as ``str`` or raise ``InputError`` saying what is wrong with it."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                "This text is not valid UTF-8; save it as UTF-8 and try again.",
                detail=f"bad byte at position {exc.start}",
            ) from None
    if not isinstance(text, str):
        raise InputError("The review must be text.", detail=type(text).__name__)
    if not text.strip():
        raise InputError("The review is empty; type a few words first.")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"The review is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}. Shorten it and try again."
        )
    return text
