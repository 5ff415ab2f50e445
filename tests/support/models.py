"""Small model descriptions for fast contract tests (the IMDB-sized one is in benchmarks)."""

from __future__ import annotations

from dacwallet.contracts.model_spec import ModelSpec

E9 = 10**9


def sparse_perceptron(weights: list[int] | None = None, intercept: int = 0, learning_rate: int = E9 // 2) -> ModelSpec:
    """Ten features: 0-4 push positive (+5..+1), 5-9 push negative (-1..-5), in units of 1e9."""
    weights = weights if weights is not None else [w * E9 for w in (5, 4, 3, 2, 1, -1, -2, -3, -4, -5)]
    return ModelSpec.from_dict(
        {
            "type": "sparse_perceptron",
            "name": "Test sentiment",
            "description": "ten-word test model",
            "encoder": "none",
            "classifications": ["Negative", "Positive"],
            "num_features": len(weights),
            "weights": weights,
            "intercept": intercept,
            "learning_rate": learning_rate,
        }
    )


def naive_bayes_dict() -> dict:
    return {
        "type": "naive_bayes",
        "name": "Test NB",
        "description": "",
        "encoder": "none",
        "classifications": ["Negative", "Positive"],
        "num_features": 6,
        "feature_counts": [[9, 1, 5, 0, 2, 3], [1, 9, 5, 4, 2, 0]],
        "num_samples": [10, 10],
        "smoothing_factor": E9,
    }


def naive_bayes() -> ModelSpec:
    return ModelSpec.from_dict(naive_bayes_dict())


def gated_naive_bayes() -> ModelSpec:
    """The test Naive Bayes on PackedNaiveBayes (same counts, so the same predictions)."""
    return ModelSpec.from_dict({**naive_bayes_dict(), "type": "gated_naive_bayes", "name": "Test gated NB"})


def sparse_nearest_centroid() -> ModelSpec:
    return ModelSpec.from_dict(
        {
            "type": "sparse_nearest_centroid",
            "name": "Test SNC",
            "description": "",
            "encoder": "none",
            "classifications": ["Negative", "Positive", "Neutral"],
            "num_features": 5,
            "feature_counts": [[4, 0, 1, 0, 0], [0, 4, 1, 0, 0], [0, 0, 0, 3, 3]],
            "num_samples": [4, 4, 3],
        }
    )


def dense_perceptron() -> ModelSpec:
    return ModelSpec.from_dict(
        {
            "type": "dense_perceptron",
            "name": "Test dense",
            "description": "",
            "encoder": "Multiply by 1E9, then round",
            "classifications": ["Negative", "Positive"],
            "num_features": 3,
            "weights": [2 * E9, -1 * E9, E9 // 2],
            "intercept": -E9 // 4,
            "learning_rate": E9,
        }
    )


def nearest_centroid() -> ModelSpec:
    return ModelSpec.from_dict(
        {
            "type": "nearest_centroid",
            "name": "Test centroid",
            "description": "",
            "encoder": "Multiply by 1E9, then round",
            "classifications": ["A", "B"],
            "num_features": 2,
            "centroid_sums": [[2 * E9, 0], [0, 3 * E9]],
            "num_samples": [2, 3],
        }
    )
