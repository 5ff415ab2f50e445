"""Find the encoder a deployed model names in its ``encoder()`` string."""

from __future__ import annotations

import re
from pathlib import Path

from dacwallet.errors import InputError
from dacwallet.ml.encoders import (
    ADAPTIVE_WORDS_NAME,
    IMDB_VOCAB_IDENTITY,
    MURMUR_IDENTITY,
    WORDS_NAME,
    AdaptiveWordsEncoder,
    Encoder,
    ImdbVocabEncoder,
    MurmurEncoder,
    WordsEncoder,
    vocabulary_hash,
)
from dacwallet.paths import resources_dir

VOCAB_SUFFIX = ".vocab.txt"
_WORDS = re.compile(rf"{re.escape(WORDS_NAME)} sha256:([0-9a-f]{{16}}) cap=([1-9][0-9]*)", re.IGNORECASE)
_ADAPTIVE = re.compile(
    rf"{re.escape(ADAPTIVE_WORDS_NAME)} sha256:([0-9a-f]{{16}}) min=([1-9][0-9]*) "
    r"max=([1-9][0-9]*) stop=([0-9]+) bias=(-?[0-9]+)",
    re.IGNORECASE,
)


def models_dir() -> Path:
    return resources_dir() / "models"


def find_vocabulary(vocab_hash: str, search_dirs: list[Path] | None = None) -> Path | None:
    """The vocabulary file whose sha256 starts with ``vocab_hash``, if one is shipped."""
    for folder in search_dirs or [models_dir()]:
        for path in sorted(Path(folder).glob(f"*{VOCAB_SUFFIX}")):
            if vocabulary_hash(path) == vocab_hash.lower():
                return path
    return None


def get_encoder(
    identity: str,
    *,
    imdb_vocab: Path | None = None,
    search_dirs: list[Path] | None = None,
) -> Encoder:
    """The encoder for a contract's ``encoder()`` string (compared case-insensitively).

    ``imdb_vocab`` is the user's vocabulary JSON for the reference "IMDB vocab" encoder;
    ``search_dirs`` are folders with ``*.vocab.txt`` files (default: the shipped models).
    """
    wanted = identity.strip()
    if wanted.casefold() == MURMUR_IDENTITY.casefold():
        return MurmurEncoder()
    if wanted.casefold() == IMDB_VOCAB_IDENTITY.casefold():
        if imdb_vocab is None:
            raise InputError(
                'This model uses the reference "IMDB vocab" encoder; choose its vocabulary JSON file first.'
            )
        return ImdbVocabEncoder.from_file(imdb_vocab)
    match = _WORDS.fullmatch(wanted)
    if match:
        path = find_vocabulary(match.group(1), search_dirs)
        if path is not None:
            return WordsEncoder.from_file(path, int(match.group(2)))
    match = _ADAPTIVE.fullmatch(wanted)
    if match:
        path = find_vocabulary(match.group(1), search_dirs)
        min_count, max_count, stop, bias = (int(match.group(k)) for k in range(2, 6))
        if path is not None and min_count <= max_count:
            return AdaptiveWordsEncoder.from_file(path, min_count, max_count, stop, bias)
    raise InputError(
        f'This model expects encoder "{identity}", which this version of dacwallet does not have. '
        "Update dacwallet or choose another model."
    )
