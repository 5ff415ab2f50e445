"""The shipped model files, the evaluate CLI and the accuracy curve."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dacwallet.errors import InputError
from dacwallet.ml.build_model import attacked_stream
from dacwallet.ml.catalog import load_bundle
from dacwallet.ml.curve import accuracy_curve
from dacwallet.ml.dataset import load_reviews, split
from dacwallet.ml.evaluate import encode_reviews
from dacwallet.ml.mirrors import Batch
from dacwallet.ml.model_file import load_model

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["imdb-default", "imdb-naive-bayes", "imdb-perceptron"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_model_is_complete_and_small(name):
    model = load_model(name)
    assert model["encoder"] == load_bundle(name).encoder.identity
    assert model["validation"]["accuracy"] >= 0.85 and model["validation"]["median_features"] <= 20
    assert (ROOT / "resources" / "models" / f"{name}.json").stat().st_size < 100_000
    if "weights" in model:
        assert all(abs(w) < 2**47 for w in model["weights"])


def test_default_model_meets_the_issue_target():
    """Issue 3: at least 0.89 on the validation split, a median of at most 20 indices per review."""
    figures = load_model("default")["validation"]
    assert figures["n"] == 5000 and figures["accuracy"] >= 0.89 and figures["median_features"] <= 20


def test_default_is_the_gated_naive_bayes_on_the_shipped_counts():
    """Issue 17: the default learns a contribution's counts unless it is sure of the label; its counts are
    imdb-naive-bayes's (the ungated contract), so both predict alike."""
    default, bayes = load_model("default"), load_model("imdb-naive-bayes")
    assert default["type"] == "gated_naive_bayes" and bayes["type"] == "naive_bayes"
    for key in ("feature_counts", "num_samples", "smoothing_factor", "encoder", "validation"):
        assert default[key] == bayes[key], key


def test_perceptron_holds_up_under_the_papers_attack(imdb_train_path, validation_reviews):
    """imdb-perceptron's learning rate was picked for the worse of honest and attacked replays: 3,000 honest training
    contributions with a wrong label after every sixth leave validation accuracy within a point of the start
    (the rate that is best on honest data alone, 0.05, lost about three points here)."""
    bundle = load_bundle("imdb-perceptron")
    train = encode_reviews(bundle.encoder, split(load_reviews(imdb_train_path))[0][:3100])
    valid = encode_reviews(bundle.encoder, validation_reviews[:1500])
    mirror = bundle.new_mirror()
    before = float((mirror.predict_batch(valid.batch) == valid.labels).mean())
    mirror.replay(attacked_stream(train, 3000))
    after = float((mirror.predict_batch(valid.batch) == valid.labels).mean())
    assert after >= before - 0.01


@pytest.mark.parametrize("name", SHIPPED)
def test_mirror_reproduces_recorded_validation_accuracy(name, validation_reviews):
    bundle = load_bundle(name)
    recorded = bundle.model["validation"]
    encoded = encode_reviews(bundle.encoder, validation_reviews[:1500])
    accuracy = float((bundle.new_mirror().predict_batch(encoded.batch) == encoded.labels).mean())
    # A 1,500-review sample of the recorded 5,000: within three standard errors.
    assert abs(accuracy - recorded["accuracy"]) < 3 * np.sqrt(0.25 / 1500)


def test_preview_gives_a_class_name():
    bundle = load_bundle()
    indices, label = bundle.preview("A wonderful, moving film with a great cast. 9/10")
    assert label == "Positive" and indices == sorted(set(indices)) and len(indices) <= 40
    assert bundle.preview("The worst, most boring waste of time. Awful acting.")[1] == "Negative"
    with pytest.raises(InputError):
        bundle.preview("   ")


def test_evaluate_cli_prints_json(sample_file):
    out = subprocess.run(
        [sys.executable, "-m", "dacwallet.ml.evaluate", "--model", "default", "--data", str(sample_file), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    # validation reviews: only a text also in the training part (IMDB repeats a few) is left out
    assert result["n"] + result["training_left_out"] == 300 and result["training_left_out"] <= 3
    assert 0.8 <= result["accuracy"] <= 1
    # Adaptive encoding: clear reviews send fewer than 20 indices, ambiguous ones up to 40.
    assert result["median_features"] <= 20 and result["p95_features"] <= 40


def test_evaluate_cli_measures_on_held_out_reviews_only(imdb_train_path, validation_reviews, tmp_path):
    """No --data: the validation split; the training file: its training reviews left out (the same figures);
    a file of training reviews only: refused, saying why."""

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "dacwallet.ml.evaluate", "--model", "default", "--json", *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )

    default = json.loads(run().stdout)
    reviews = load_reviews(imdb_train_path)
    trained = {r.text for r in split(reviews)[0]}
    held_out = [r for r in validation_reviews if r.text not in trained]
    assert default["n"] == len(held_out) and default["training_left_out"] == len(reviews) - len(held_out)
    # what build_model recorded on the whole split, less the few texts the training part repeats
    assert abs(default["accuracy"] - load_model("default")["validation"]["accuracy"]) < 0.005
    explicit = json.loads(run("--data", str(imdb_train_path)).stdout)
    assert {k: v for k, v in explicit.items() if k != "data"} == {k: v for k, v in default.items() if k != "data"}
    only_trained = tmp_path / "trained.jsonl"
    only_trained.write_text(
        "".join(json.dumps({"id": r.id, "label": r.label, "text": r.text}) + "\n" for r in split(reviews)[0][:50]),
        encoding="utf-8",
    )
    refused = run("--data", str(only_trained))
    assert refused.returncode == 2 and "Every review in trained.jsonl trained this model" in refused.stderr


def test_evaluate_cli_reports_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    out = subprocess.run(
        [sys.executable, "-m", "dacwallet.ml.evaluate", "--data", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2 and "Cannot read reviews" in out.stderr


def test_accuracy_curve_points_and_prequential(validation_reviews):
    bundle = load_bundle()
    encoded = encode_reviews(bundle.encoder, validation_reviews[:700])
    contributions = encoded.batch.slice(0, 450)
    evaluation = encoded.batch.slice(450, 700)
    mirror = bundle.new_mirror()
    curve = accuracy_curve(mirror, contributions, evaluation, every=100)
    assert curve.points.tolist() == [0, 100, 200, 300, 400, 450]
    assert len(curve.eval_accuracy) == 6 and len(curve.prequential) == 450
    # The last point is the accuracy of the mirror as it now stands.
    assert curve.eval_accuracy[-1] == float((mirror.predict_batch(evaluation) == evaluation.labels).mean())
    # Prequential: the first contribution's score is whether the initial model got it right.
    first = Batch.from_lists([contributions.row(0).tolist()])
    assert curve.prequential[0] == float(bundle.new_mirror().predict_batch(first)[0] == contributions.labels[0])
