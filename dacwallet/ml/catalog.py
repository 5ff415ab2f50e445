"""The shipped models: one call gives the model file, its encoder and fresh mirrors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dacwallet.ml.encoders import Encoder
from dacwallet.ml.mirrors import Mirror, mirror_for
from dacwallet.ml.model_file import load_model
from dacwallet.ml.registry import get_encoder


@dataclass(frozen=True)
class ModelBundle:
    model: dict[str, Any]
    encoder: Encoder

    def new_mirror(self) -> Mirror:
        """A mirror in the model's initial state (as deployed, before any contribution)."""
        return mirror_for(self.model)

    def preview(self, text: str | bytes, mirror: Mirror | None = None) -> tuple[list[int], str]:
        """(indices, class name) the model gives ``text``; ``InputError`` for text it cannot encode."""
        indices = self.encoder.encode(text)
        label = (mirror or self.new_mirror()).predict(indices)
        return indices, self.model["classifications"][label]


def load_bundle(name_or_path: str | Path = "default", imdb_vocab: Path | None = None) -> ModelBundle:
    """``default`` (imdb-default), a shipped model name, or a model file path, with its encoder."""
    model = load_model(name_or_path)
    return ModelBundle(model, get_encoder(model["encoder"], imdb_vocab=imdb_vocab))
