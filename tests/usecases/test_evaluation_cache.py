"""An evaluation set encoded once serves every later window of the process (the Dashboard of a wallet opened
again, another wallet on the same model), and a review file that changed on disk is read again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dacwallet.usecases.evaluation import EvaluationSet, save_evaluation_setting

TEXTS = (
    "a wonderful film with brilliant acting and a moving story",
    "dull, boring and far too long; the worst film this year",
    "great music, superb cast, I loved every minute",
    "a terrible script and awful dialogue, a waste of time",
)


def write_reviews(path: Path, count: int) -> None:
    rows = [{"id": i, "label": (i + 1) % 2, "text": TEXTS[i % len(TEXTS)] + f" ({i})"} for i in range(count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def steps_until_ready(evaluation: EvaluationSet, ctx) -> int:
    steps = 0
    while evaluation.batch is None:
        progress = evaluation.step(ctx, chunk=10)
        assert progress is not None and progress.error is None, progress
        steps += 1
    return steps


def test_a_second_set_for_the_same_file_and_model_is_ready_at_once(embedded_ctx, tmp_path) -> None:
    reviews = tmp_path / "mine.jsonl"
    write_reviews(reviews, 30)
    save_evaluation_setting(embedded_ctx.data_dir, reviews)  # as the Dashboard's file chooser does
    first = EvaluationSet()
    assert steps_until_ready(first, embedded_ctx) == 1 + 3  # read, then three chunks of ten
    again = EvaluationSet()
    assert steps_until_ready(again, embedded_ctx) == 1  # neither read nor encoded again
    assert again.batch is first.batch and again.progress() == first.progress()
    assert again.progress().n == 30 and again.progress().ready


def test_a_review_file_changed_on_disk_is_read_again(embedded_ctx, tmp_path) -> None:
    reviews = tmp_path / "mine.jsonl"
    write_reviews(reviews, 20)
    save_evaluation_setting(embedded_ctx.data_dir, reviews)
    first = EvaluationSet()
    steps_until_ready(first, embedded_ctx)
    write_reviews(reviews, 25)
    stat = reviews.stat()
    os.utime(reviews, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a coarse clock may not have moved
    changed = EvaluationSet()
    assert steps_until_ready(changed, embedded_ctx) > 1
    assert changed.progress().n == 25 and changed.batch is not first.batch
