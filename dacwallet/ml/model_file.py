"""Model files (``resources/models/<name>.json``): loading with checks, and writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dacwallet.disk import read_bounded
from dacwallet.errors import InputError
from dacwallet.paths import resources_dir

FORMAT = "dacwallet-model/1"
DEFAULT_MODEL = "imdb-default"
# Far above any model a contract can hold (the shipped ones are tens of kB); a bound on what is read, so a
# device or a huge file named by mistake is refused instead of filling the memory.
MAX_MODEL_BYTES = 64 * 2**20
_COMMON = ("name", "description", "encoder", "classifications", "num_features")
_BY_TYPE = {
    "sparse_perceptron": ("weights", "intercept", "learning_rate"),
    "dense_perceptron": ("weights", "intercept", "learning_rate"),
    "naive_bayes": ("feature_counts", "num_samples", "smoothing_factor"),
    "gated_naive_bayes": ("feature_counts", "num_samples", "smoothing_factor"),
    "sparse_nearest_centroid": ("feature_counts", "num_samples"),
    "nearest_centroid": ("centroid_sums", "num_samples"),
}
# A model on the reference's own contracts ("contracts": "reference"): its nearest centroid holds averages, not sums.
_BY_REFERENCE_TYPE = {
    **_BY_TYPE,
    "nearest_centroid": ("centroids", "num_samples"),
    "sparse_nearest_centroid": ("centroids", "num_samples"),
}


def model_path(name_or_path: str | Path) -> Path:
    """``default`` or a shipped model name -> its file under resources/models; a path stays a path."""
    text = str(name_or_path)
    if text == "default":
        text = DEFAULT_MODEL
    if "/" not in text and "\\" not in text and not text.endswith(".json"):
        return resources_dir() / "models" / f"{text}.json"
    return Path(text)


def load_model(name_or_path: str | Path = "default") -> dict[str, Any]:
    """The checked contents of a model file; ``InputError`` says what is wrong with a bad one."""
    path = model_path(name_or_path)
    model: dict[str, Any] = read_model_json(path)  # check_model refuses anything but an object
    check_model(model, str(path))
    return model


def read_model_json(path: Path) -> Any:
    """The JSON in a model file: a regular file of at most MAX_MODEL_BYTES, or a clear InputError."""
    try:
        return json.loads(read_bounded(Path(path), MAX_MODEL_BYTES, "model"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise InputError(f"The model file {path} is not JSON.", detail=str(exc)) from None


def check_model(model: Any, where: str = "the model") -> None:
    if not isinstance(model, dict) or model.get("format") != FORMAT:
        raise InputError(f"{where} is not a {FORMAT} model file.")
    kind = model.get("type")
    parts = _BY_REFERENCE_TYPE if model.get("contracts") == "reference" else _BY_TYPE
    if kind not in parts:
        raise InputError(f"{where} has an unknown model type {kind!r}.")
    missing = [key for key in _COMMON + parts[kind] if key not in model]
    if missing:
        raise InputError(f"{where} lacks {', '.join(missing)}.")
    n_classes = len(model["classifications"])
    if "num_samples" in model and len(model["num_samples"]) != n_classes:
        raise InputError(f"{where}: num_samples must have one entry per class.")
    for key in ("feature_counts", "centroid_sums", "centroids"):
        if key in model and len(model[key]) != n_classes:
            raise InputError(f"{where}: {key} must have one row per class.")
    if "weights" in model and len(model["weights"]) != model["num_features"]:
        raise InputError(f"{where}: weights must have num_features entries.")


def save_model(model: dict[str, Any], path: Path) -> None:
    """Write compactly (one line per big array) so the committed file stays small."""
    check_model(model, str(path))
    Path(path).write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
