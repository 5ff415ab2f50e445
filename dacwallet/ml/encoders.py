"""Encoders: text -> the feature indices a contract receives as ``int64[]``.

Every encoder has an ``identity``: the exact ``encoder()`` string of the contracts that expect it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Protocol

from dacwallet.errors import InputError
from dacwallet.ml.murmur3 import murmur3_32
from dacwallet.ml.text import checked_text
from dacwallet.ml.tokenizer import features, tokenize

WORDS_NAME = "dacwallet-words/1"
# Version 2 changes the selection rule (an adaptive count driven by static evidence), so a new name.
ADAPTIVE_WORDS_NAME = "dacwallet-words/2"
IMDB_VOCAB_IDENTITY = "IMDB vocab"
MURMUR_IDENTITY = "MurmurHash3"
# The reference client sends this index for every word missing from its vocabulary.
IMDB_UNKNOWN_INDEX = 1337


class Encoder(Protocol):
    identity: str

    def encode(self, text: str | bytes) -> list[int]:
        """The indices for ``text``; raises ``InputError`` for text it cannot encode."""
        ...


def _no_known_word() -> InputError:
    return InputError("None of these words is known to the model; write a few more ordinary words.")


def vocabulary_hash(path: Path) -> str:
    """The first 16 hex digits of the file's sha256, as written in the encoder string."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_vocabulary(path: Path) -> list[str]:
    """One feature a line; the line number (from 0) is the feature index.

    A line may carry the feature's static evidence after a tab (version 2 files); tokens never hold
    a tab, so the feature is what comes before it.
    """
    return [line.split("\t")[0] for line in Path(path).read_text(encoding="utf-8").split("\n")[:-1]]


def read_evidence(path: Path) -> list[int]:
    """The integer static evidence after each line's tab (0 where a line has none)."""
    lines = Path(path).read_text(encoding="utf-8").split("\n")[:-1]
    return [int(line.split("\t")[1]) if "\t" in line else 0 for line in lines]


def write_vocabulary(path: Path, vocabulary: list[str], evidence: list[int] | None = None) -> None:
    lines = vocabulary if evidence is None else [f"{w}\t{e}" for w, e in zip(vocabulary, evidence, strict=True)]
    Path(path).write_bytes("".join(f"{line}\n" for line in lines).encode("utf-8"))


class WordsEncoder:
    """dacwallet's encoder: unigrams and bigrams looked up in a ranked vocabulary.

    The vocabulary is ordered by importance to the model it was built with (index 0 first), so the
    cap keeps the ``cap`` present features of lowest index: the most telling words of the review,
    and the same choice on every machine.
    """

    def __init__(self, vocabulary: list[str], vocab_hash: str, cap: int) -> None:
        if cap < 1:
            raise ValueError("cap must be positive")
        self.vocabulary = tuple(vocabulary)
        self._index = {word: i for i, word in enumerate(vocabulary)}
        self.cap = cap
        self.num_features = len(vocabulary)
        self.identity = f"{WORDS_NAME} sha256:{vocab_hash} cap={cap}"

    @classmethod
    def from_file(cls, path: Path, cap: int) -> WordsEncoder:
        return cls(read_vocabulary(path), vocabulary_hash(path), cap)

    def all_indices(self, text: str) -> list[int]:
        """Every vocabulary feature present in ``text``, sorted, before the cap (no checks)."""
        index = self._index
        return sorted({index[f] for f in features(tokenize(text)) if f in index})

    def encode(self, text: str | bytes) -> list[int]:
        present = self.all_indices(checked_text(text))
        if not present:
            raise _no_known_word()
        return present[: self.cap]


class AdaptiveWordsEncoder(WordsEncoder):
    """Version 2: how many ranked features a review sends depends on how clear the review is.

    Present features are taken in vocabulary order (most telling first). After ``min_count`` of them,
    the encoder stops as soon as the static evidence is decisive, ``|bias + sum of their evidence|
    >= stop``; otherwise it goes on up to ``max_count``. Clear reviews cost fewer indices than the
    version 1 cap of 20, ambiguous ones get the extra words they need. The evidence (integers, in
    millionths) is the initial model's view shipped inside the vocabulary file, so the vocabulary
    hash, and with it the encoder identity, covers it; integer sums keep every machine in step.
    """

    def __init__(
        self,
        vocabulary: list[str],
        evidence: list[int],
        vocab_hash: str,
        min_count: int,
        max_count: int,
        stop: int,
        bias: int,
    ) -> None:
        if not 1 <= min_count <= max_count or stop < 0 or len(evidence) != len(vocabulary):
            raise ValueError("need 1 <= min_count <= max_count, stop >= 0 and one evidence per feature")
        super().__init__(vocabulary, vocab_hash, max_count)
        self.evidence = tuple(evidence)
        self.min_count, self.max_count, self.stop, self.bias = min_count, max_count, stop, bias
        self.identity = (
            f"{ADAPTIVE_WORDS_NAME} sha256:{vocab_hash} min={min_count} max={max_count} stop={stop} bias={bias}"
        )

    @classmethod
    def from_file(  # type: ignore[override]  # its file carries more than a cap; callers name this class
        cls,
        path: Path,
        min_count: int,
        max_count: int,
        stop: int,
        bias: int,
    ) -> AdaptiveWordsEncoder:
        return cls(read_vocabulary(path), read_evidence(path), vocabulary_hash(path), min_count, max_count, stop, bias)

    def select(self, present: list[int]) -> list[int]:
        """The leading part of ``present`` (sorted indices) that the rule above keeps."""
        score = self.bias
        for taken, index in enumerate(present[: self.max_count], 1):
            score += self.evidence[index]
            if taken >= self.min_count and abs(score) >= self.stop:
                return present[:taken]
        return present[: self.max_count]

    def encode(self, text: str | bytes) -> list[int]:
        present = self.all_indices(checked_text(text))
        if not present:
            raise _no_known_word()
        return self.select(present)


class ImdbVocabEncoder:
    """The reference client's "IMDB vocab": lower-case, split on whitespace, look up; unknown -> 1337.

    Punctuation stays and duplicates stay, in text order: the on-chain key hashes the exact data,
    so anything else would not match contributions the reference client made.
    """

    identity = IMDB_VOCAB_IDENTITY

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self._vocabulary = vocabulary
        # Index -> word (the Model page's strongest words, the preview's evidence); "" where no word has an index.
        names = [""] * (max(vocabulary.values(), default=-1) + 1)
        for word, index in vocabulary.items():
            names[index] = word
        self.vocabulary = tuple(names)

    @classmethod
    def from_file(cls, path: Path) -> ImdbVocabEncoder:
        try:
            vocabulary = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"Cannot read the IMDB vocabulary file {path}.", detail=str(exc)) from None
        if not isinstance(vocabulary, dict) or not all(
            type(v) is int and 0 <= v < IMDB_UNKNOWN_INDEX for v in vocabulary.values()
        ):
            raise InputError(
                f"{path} is not an IMDB vocabulary (a JSON object of word -> index, each index from 0 "
                f"to {IMDB_UNKNOWN_INDEX - 1})."
            )
        return cls(vocabulary)

    def encode(self, text: str | bytes) -> list[int]:
        words = checked_text(text).lower().split()
        indices = [self._vocabulary.get(word, IMDB_UNKNOWN_INDEX) for word in words]
        if not any(word in self._vocabulary for word in words):
            raise _no_known_word()
        return indices


class MurmurEncoder:
    """The reference "MurmurHash3" encoder: murmur3 (seed 0) of each lower-cased whitespace token."""

    identity = MURMUR_IDENTITY

    def encode(self, text: str | bytes) -> list[int]:
        return [murmur3_32(word.encode("utf-8")) for word in checked_text(text).lower().split()]
