"""Issue 15, finding 9: only the words that really move the prediction are coloured - never "the", "of" or
"with" for sharing a word pair with a telling word (the real shipped model, through the local mirror)."""

from __future__ import annotations

import re

from dacwallet.usecases.context import open_wallet
from dacwallet.usecases.preview import local_preview
from dacwallet.usecases.sync_mirror import current_mirror
from ui.evidence import highlighted_html

REVIEW = "One of the best films of the year, with a great cast and the most moving story."


def test_only_telling_words_are_coloured(tmp_path) -> None:
    ctx = open_wallet(tmp_path)
    try:
        preview = local_preview(ctx.bundle, current_mirror(ctx), REVIEW)
    finally:
        ctx.close()
    assert any(" " in feature for feature, _ in preview.evidence)  # the review has word pairs, e.g. "the best"
    coloured = {
        w.lower() for w in re.findall(r'title="toward [^"]*">([^<]*)</span>', highlighted_html(REVIEW, preview))
    }
    assert {"best", "great", "moving"} <= coloured
    assert not coloured & {"the", "of", "with", "a", "and"}
