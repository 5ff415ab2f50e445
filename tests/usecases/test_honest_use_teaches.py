"""Issue 17: the shipped default's learning rule, on the embedded chain, learns from honest use. A model of the
default's kind (gated Naive Bayes counts, the default's encoder and smoothing) counted from 200 training reviews is
deployed through the wallet; 150 further training reviews are contributed with their true labels, signed and mined
one by one; the Dashboard's figures (the held-out evaluation set, the mirror rebuilt from the indexed
contributions, its accuracy series and the accuracy now) rise, and the mirror still predicts as the contract does.

(The shipped default itself was counted from all 20,000 training reviews, so a few dozen more barely move it; the
simulation shows the same rule over thousands: README, "Learning rules".)"""

from __future__ import annotations

from pathlib import Path

from dacwallet.contracts.deployment import classifier_contract
from dacwallet.ml.build_model import CLASSES, class_counts
from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.dataset import SPLIT_DESCRIPTION, load_reviews, split
from dacwallet.ml.evaluate import encode_reviews
from dacwallet.ml.model_file import FORMAT, load_model, save_model
from dacwallet.sync.indexer import Indexer
from dacwallet.sync.mirror import rebuild_mirror
from dacwallet.sync.series import evaluation_accuracy
from dacwallet.usecases.accounts import fund_new_account
from dacwallet.usecases.chainops import advance_clock
from dacwallet.usecases.context import DEFAULT_INCENTIVE, open_wallet
from dacwallet.usecases.contribute import contribute
from dacwallet.usecases.deployments import start_deployment
from dacwallet.usecases.evaluation import EvaluationSet, accuracy_now
from dacwallet.usecases.sending import signer_for

INITIAL = 200
CONTRIBUTED = 150


def small_default(path: Path, imdb_train: Path) -> list:
    """Writes the default's recipe on the first INITIAL training reviews to ``path``; returns the next reviews."""
    shipped = load_model("default")
    encoder = load_bundle("default").encoder
    train = split(load_reviews(imdb_train))[0]
    counts = class_counts(encode_reviews(encoder, train[:INITIAL]), encoder.num_features)
    model = {
        "format": FORMAT,
        "type": shipped["type"],
        "name": "small-default",
        "description": f"The default's recipe on {INITIAL} training reviews",
        "encoder": shipped["encoder"],
        "classifications": CLASSES,
        "num_features": shipped["num_features"],
        **counts,
        "smoothing_factor": shipped["smoothing_factor"],
        "validation": {"split": SPLIT_DESCRIPTION},  # the held-out split is its evaluation set, as for the default
    }
    save_model(model, path)
    return train[INITIAL : INITIAL + CONTRIBUTED]


def test_the_dashboard_accuracy_rises_under_honest_contributions(tmp_path, imdb_train_path) -> None:
    assert load_model("default")["type"] == "gated_naive_bayes"
    reviews = small_default(tmp_path / "small.json", imdb_train_path)
    ctx = open_wallet(tmp_path / "wallet", scrypt_n=2**4)
    try:
        owner = ctx.keys.create("carol", "carol-pw")
        fund_new_account(ctx, owner)
        signer = signer_for(ctx, owner.address, "carol-pw")
        deployment = start_deployment(ctx, signer, str(tmp_path / "small.json"), DEFAULT_INCENTIVE).deployment
        ctx.close()
        ctx = open_wallet(tmp_path / "wallet", scrypt_n=2**4)  # as the app does after a deployment
        assert ctx.deployment == deployment and ctx.bundle is not None

        evaluation = EvaluationSet()
        while evaluation.batch is None:
            progress = evaluation.step(ctx, chunk=5000)
            assert progress is not None and progress.error is None
        before = accuracy_now(ctx, evaluation)
        assert before is not None and before.contributions == 0 and before.n > 4900

        signer = signer_for(ctx, owner.address, "carol-pw")
        for review in reviews:
            contribute(ctx, signer, review.text, CLASSES[review.label])
            advance_clock(ctx, 600)
        after = accuracy_now(ctx, evaluation)
        assert after is not None and after.contributions == CONTRIBUTED
        assert after.accuracy > before.accuracy + 0.005, (before, after)

        Indexer(ctx.w3, ctx.db, ctx.chain_key, deployment).sync()
        rebuilt = rebuild_mirror(
            ctx.db, ctx.chain_key, deployment.trainer, ctx.bundle.new_mirror(), evaluation.batch, every=10
        )
        series = evaluation_accuracy(rebuilt)
        assert series is not None and len(series.values) == 1 + CONTRIBUTED // 10
        assert series.values[0] == before.accuracy and series.values[-1] == after.accuracy
        classifier = classifier_contract(ctx.w3, deployment.classifier)
        for r in range(0, len(evaluation.batch), 500):
            row = [int(v) for v in evaluation.batch.row(r)]
            assert classifier.functions.predict(row).call() == rebuilt.mirror.predict(row)
    finally:
        ctx.close()
