"""What the runner shows a person when background work fails."""

from __future__ import annotations

import requests

from dacwallet.errors import InputError
from ui.runner import message_of


def test_our_errors_show_their_user_message() -> None:
    assert message_of(InputError("Label 7 is out of range.")) == "Label 7 is out of range."


def test_node_trouble_is_said_plainly_and_promises_nothing_is_lost() -> None:
    text = message_of(requests.ConnectionError("connection refused"))
    assert "not answering" in text and "Nothing was lost" in text


def test_a_bug_is_still_shown_not_swallowed() -> None:
    text = message_of(KeyError("boom"))
    assert text.startswith("Something went wrong: KeyError")
