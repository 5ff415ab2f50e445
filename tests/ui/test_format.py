"""Times as the app shows them (a node's clock moved past any date is shown as a number, never a crash), and
reviews quoted with an ellipsis when cut."""

from __future__ import annotations

from datetime import datetime

from ui import format as fmt


def test_a_time_beyond_any_date_is_shown_as_seconds() -> None:
    assert fmt.when(None) == "—"
    now = int(datetime.now().timestamp())
    assert fmt.when(now).split()[1] == datetime.now().strftime("%b")
    assert fmt.when(4611686018427387904) == "4611686018427387904 s after 1970"


def test_a_review_cut_short_says_so() -> None:
    review = "A wonderful film: brilliant acting, a moving story and a great score. One of the best this year."
    assert (
        fmt.excerpt(review, 80) == "A wonderful film: brilliant acting, a moving story and a great score. One of the…"
    )
    assert fmt.excerpt("Short\n and  sweet.", 80) == "Short and sweet."
