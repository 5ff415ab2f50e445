"""Times as the app shows them: a node's clock moved past any date is shown as a number, never a crash."""

from __future__ import annotations

from datetime import datetime

from ui import format as fmt


def test_a_time_beyond_any_date_is_shown_as_seconds() -> None:
    assert fmt.when(None) == "—"
    now = int(datetime.now().timestamp())
    assert fmt.when(now).split()[1] == datetime.now().strftime("%b")
    assert fmt.when(4611686018427387904) == "4611686018427387904 s after 1970"
