"""Reading the reference's own model JSON: the numbers as its deployment uploads them, the class order its
JavaScript deployer takes, and a refusal that says what does not fit."""

from __future__ import annotations

import pytest

from dacwallet.errors import InputError
from dacwallet.ml.reference_model import from_reference, is_reference_model


def convert(raw: dict) -> dict:
    return from_reference(raw, name="n", description="d", encoder="e", where="model.json")


def test_nearest_centroid_classes_follow_javascript_key_order() -> None:
    # Object.entries lists integer-like keys first, ascending, then the others as written.
    raw = {
        "type": "Nearest Centroid Classifier",
        "centroids": {k: {"centroid": [0.5, -0.25], "dataCount": 2} for k in ("b", "10", "a", "2")},
    }
    model = convert(raw)
    assert model["classifications"] == ["2", "10", "b", "a"]
    assert model["centroids"][0] == [500_000_000, -250_000_000] and model["num_samples"] == [2, 2, 2, 2]


def test_naive_bayes_keeps_the_uploaded_pairs_and_scales_the_smoothing() -> None:
    raw = {
        "type": "naive bayes",
        "classifications": ["no", "yes"],
        "classCounts": [3, 4],
        "featureCounts": [[[0, 2], [0, 5]], [[9, 1]]],
        "totalNumFeatures": 10,
    }
    model = convert(raw)
    assert model["feature_counts"] == [[[0, 2], [0, 5]], [[9, 1]]] and model["smoothing_factor"] == 10**9
    assert model["contracts"] == "reference" and model["num_features"] == 10


def test_a_dense_perceptron_without_a_learning_rate_gets_the_reference_default() -> None:
    model = convert({"type": "perceptron", "classifications": ["a", "b"], "weights": [0.1, -0.2], "intercept": 0})
    assert (model["type"], model["learning_rate"], model["weights"]) == (
        "dense_perceptron",
        500_000_000,
        [100_000_000, -200_000_000],
    )


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"type": "sparse nearest centroid classifier", "centroids": {"a": {"centroid": {"x": 1}}}}, "feature index"),
        ({"type": "naive bayes", "classifications": ["a"], "classCounts": [1]}, "incomplete"),
        (
            {
                "type": "naive bayes",
                "classifications": ["a"],
                "classCounts": [1],
                "featureCounts": [[[2**32, 1]]],
                "totalNumFeatures": 3,
            },
            "feature index",
        ),
        (
            {
                "type": "dense perceptron",
                "classifications": ["a", "b"],
                "weights": [1.0],
                "intercept": 0,
                "featureIndices": [1, 2],
            },
            "2 featureIndices for 1 weights",
        ),
        (
            {
                "type": "nearest centroid classifier",
                "centroids": {"a": {"centroid": [1.0], "dataCount": 1}, "b": {"centroid": [1.0, 2.0], "dataCount": 1}},
            },
            "same number of dimensions",
        ),
    ],
)
def test_what_does_not_fit_is_refused_with_its_reason(raw: dict, words: str) -> None:
    assert is_reference_model(raw)
    with pytest.raises(InputError, match=words):
        convert(raw)
