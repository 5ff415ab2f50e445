"""Account names and passwords."""

from __future__ import annotations

import pytest

from dacwallet.keys.errors import BadNameError, PasswordRequiredError
from dacwallet.keys.rules import MAX_NAME_LENGTH, require_password, validate_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("main", "main"),
        ("  savings 2 ", "savings 2"),
        ("Zoë's-key_(old)", "Zoë's-key_(old)"),
        ("a" * MAX_NAME_LENGTH, "a" * MAX_NAME_LENGTH),
    ],
)
def test_good_names(name: str, expected: str) -> None:
    assert validate_name(name) == expected


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a" * (MAX_NAME_LENGTH + 1), "too long"),
        ("../etc/passwd", "cannot contain"),
        ("a/b", "cannot contain"),
        ("a\\b", "cannot contain"),
        ("C:", "cannot contain"),
        ("tab\there", "cannot contain"),
        ("nul\x00byte", "cannot contain"),
        ("zero\u200bwidth", "cannot contain"),
        ("..", "start or end"),
        (".hidden", "start or end"),
        ("con", "reserved"),
        ("NUL.txt", "reserved"),
        ("0x" + "ab" * 20, "address"),
    ],
)
def test_bad_names_say_why(name: str, hint: str) -> None:
    with pytest.raises(BadNameError) as caught:
        validate_name(name)
    assert hint in caught.value.user_message


@pytest.mark.parametrize("password", [None, ""])
def test_empty_password_is_refused_clearly(password: str | None) -> None:
    with pytest.raises(PasswordRequiredError) as caught:
        require_password(password)
    assert "cannot be empty" in caught.value.user_message


def test_unencodable_password_is_refused() -> None:
    with pytest.raises(PasswordRequiredError):
        require_password("bad\ud800")


def test_any_nonempty_password_is_fine() -> None:
    assert require_password(" ") == " "
