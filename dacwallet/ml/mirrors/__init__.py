"""Exact local mirrors of the on-chain classifiers."""

from __future__ import annotations

from typing import Any

from dacwallet.ml.mirrors.base import Batch, Mirror, ModelRevert, ReplayResult
from dacwallet.ml.mirrors.centroids import NearestCentroidMirror, SparseNearestCentroidMirror
from dacwallet.ml.mirrors.dense_perceptron import DensePerceptronMirror
from dacwallet.ml.mirrors.gated_naive_bayes import GatedNaiveBayesMirror
from dacwallet.ml.mirrors.naive_bayes import NaiveBayesMirror
from dacwallet.ml.mirrors.reference_dense import ReferenceDensePerceptronMirror, ReferenceNearestCentroidMirror
from dacwallet.ml.mirrors.reference_naive_bayes import ReferenceNaiveBayesMirror
from dacwallet.ml.mirrors.reference_sparse_centroids import ReferenceSparseNearestCentroidMirror
from dacwallet.ml.mirrors.sparse_perceptron import ReferenceSparsePerceptronMirror, SparsePerceptronMirror
from dacwallet.ml.reference_model import REFERENCE_CONTRACTS

MIRROR_TYPES: dict[str, type[Mirror]] = {
    "sparse_perceptron": SparsePerceptronMirror,
    "dense_perceptron": DensePerceptronMirror,
    "naive_bayes": NaiveBayesMirror,
    "gated_naive_bayes": GatedNaiveBayesMirror,
    "sparse_nearest_centroid": SparseNearestCentroidMirror,
    "nearest_centroid": NearestCentroidMirror,
}

# Models deployed on the reference's own contracts (a model file with "contracts": "reference"), whose arithmetic
# differs from ours; see dacwallet.ml.reference_model.
REFERENCE_MIRROR_TYPES: dict[str, type[Mirror]] = {
    "sparse_perceptron": ReferenceSparsePerceptronMirror,
    "dense_perceptron": ReferenceDensePerceptronMirror,
    "naive_bayes": ReferenceNaiveBayesMirror,
    "nearest_centroid": ReferenceNearestCentroidMirror,
    "sparse_nearest_centroid": ReferenceSparseNearestCentroidMirror,
}


def mirror_for(model: dict[str, Any]) -> Mirror:
    """A fresh mirror of a loaded model file (see ``dacwallet.ml.model_file``)."""
    types = REFERENCE_MIRROR_TYPES if model.get("contracts") == REFERENCE_CONTRACTS else MIRROR_TYPES
    return types[model["type"]].from_model_file(model)


__all__ = [
    "Batch",
    "Mirror",
    "ModelRevert",
    "ReplayResult",
    "MIRROR_TYPES",
    "REFERENCE_MIRROR_TYPES",
    "mirror_for",
    "SparsePerceptronMirror",
    "ReferenceSparsePerceptronMirror",
    "ReferenceDensePerceptronMirror",
    "ReferenceNaiveBayesMirror",
    "ReferenceNearestCentroidMirror",
    "ReferenceSparseNearestCentroidMirror",
    "DensePerceptronMirror",
    "NaiveBayesMirror",
    "GatedNaiveBayesMirror",
    "SparseNearestCentroidMirror",
    "NearestCentroidMirror",
]
