"""The tokenizer of dacwallet's own text encoder.

Rules, each on purpose:
- ``<br />`` tags (the IMDB files are full of them) become spaces;
- lower-case; curly apostrophes become ``'`` so both spellings give one token;
- an apostrophe inside a word keeps the word whole ("don't", "it's"), quotes around words go;
- ratings are one token: "7/10", "7 / 10" and "7 out of 10" all give ``7/10`` (also ``/5``),
  since a stated rating is the strongest sentiment clue a review can carry;
- other numbers are kept as written, minus thousands separators ("1,000" -> ``1000``);
- every other punctuation mark splits words and is dropped ("well-made" -> well, made).
"""

from __future__ import annotations

import re
from itertools import pairwise

_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_RATING = r"(?P<num>\d{1,2}(?:\.\d)?)\s*(?:/|out\s+of)\s*(?P<den>10|5)(?!\d)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_WORD = r"[^\W\d_]+(?:'[^\W\d_]+)*"
_TOKEN = re.compile(f"{_RATING}|(?P<number>{_NUMBER})|(?P<word>{_WORD}|[^\\W_]+)")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case tokens following the module's rules."""
    text = _BREAK.sub(" ", text).lower().translate(_APOSTROPHES)
    tokens = []
    for match in _TOKEN.finditer(text):
        if match.group("num") is not None:
            tokens.append(f"{match.group('num')}/{match.group('den')}")
        elif match.group("number") is not None:
            tokens.append(match.group("number").replace(",", ""))
        else:
            tokens.append(match.group("word"))
    return tokens


def features(tokens: list[str], bigrams: bool = True) -> list[str]:
    """Unigrams, then adjacent-pair bigrams written ``"a b"``, in text order."""
    if not bigrams:
        return list(tokens)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]
