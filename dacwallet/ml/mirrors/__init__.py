"""Exact local mirrors of the on-chain classifiers."""

from __future__ import annotations

from dacwallet.ml.mirrors.base import Batch, Mirror, ModelRevert, ReplayResult
from dacwallet.ml.mirrors.centroids import NearestCentroidMirror, SparseNearestCentroidMirror
from dacwallet.ml.mirrors.dense_perceptron import DensePerceptronMirror
from dacwallet.ml.mirrors.naive_bayes import NaiveBayesMirror
from dacwallet.ml.mirrors.sparse_perceptron import SparsePerceptronMirror

MIRROR_TYPES: dict[str, type[Mirror]] = {
    "sparse_perceptron": SparsePerceptronMirror,
    "dense_perceptron": DensePerceptronMirror,
    "naive_bayes": NaiveBayesMirror,
    "sparse_nearest_centroid": SparseNearestCentroidMirror,
    "nearest_centroid": NearestCentroidMirror,
}


def mirror_for(model: dict) -> Mirror:
    """A fresh mirror of a loaded model file (see ``dacwallet.ml.model_file``)."""
    return MIRROR_TYPES[model["type"]].from_model_file(model)


__all__ = ["Batch", "Mirror", "ModelRevert", "ReplayResult", "MIRROR_TYPES", "mirror_for",
           "SparsePerceptronMirror", "DensePerceptronMirror", "NaiveBayesMirror",
           "SparseNearestCentroidMirror", "NearestCentroidMirror"]
