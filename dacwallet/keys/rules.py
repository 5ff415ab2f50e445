"""What makes an account name or a password acceptable."""

from __future__ import annotations

import re
import unicodedata

from dacwallet.keys.errors import BadNameError, PasswordRequiredError

MAX_NAME_LENGTH = 64

# Characters that some file system (or shell) treats specially; names may become export file names.
_FORBIDDEN = set('/\\:*?"<>|')
# Windows refuses these as file names whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def validate_name(name: str) -> str:
    """Return the name with surrounding spaces removed, or raise ``BadNameError`` saying why."""
    cleaned = name.strip()
    if not cleaned:
        raise BadNameError("The account name is empty. Type a name, for example 'main'.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise BadNameError(f"The account name is too long: use at most {MAX_NAME_LENGTH} characters.")
    bad = sorted({c for c in cleaned if c in _FORBIDDEN or not _printable(c)})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise BadNameError(f"The account name cannot contain {shown}. Use letters, digits, spaces, '-' or '_'.")
    if cleaned.startswith(".") or cleaned.endswith("."):
        raise BadNameError("The account name cannot start or end with '.'.")
    if cleaned.split(".")[0].casefold() in _RESERVED:
        raise BadNameError(f"'{cleaned}' is reserved by Windows as a device name; choose another name.")
    if _ADDRESS.fullmatch(cleaned):
        # Accounts are looked up by name or address, so a name must not look like an address.
        raise BadNameError("The account name cannot be an Ethereum address; choose a word.")
    return cleaned


def require_password(password: str | None, purpose: str = "the account") -> str:
    """Return the password if it can be used, else raise ``PasswordRequiredError``."""
    if password is None or password == "":
        raise PasswordRequiredError(f"Enter a password for {purpose}; it cannot be empty.")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise PasswordRequiredError("The password contains characters that cannot be stored; type it again.") from None
    return password


def _printable(char: str) -> bool:
    # Control, format, surrogate, unassigned and line/paragraph separators would hide or break a name.
    return char == " " or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
