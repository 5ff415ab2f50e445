import json
from pathlib import Path

import pytest

from dacwallet.errors import InputError
from dacwallet.ml.encoders import (
    AdaptiveWordsEncoder,
    ImdbVocabEncoder,
    MurmurEncoder,
    WordsEncoder,
    vocabulary_hash,
    write_vocabulary,
)
from dacwallet.ml.murmur3 import murmur3_32
from dacwallet.ml.registry import get_encoder
from dacwallet.ml.text import MAX_TEXT_CHARS


def test_murmur3_known_values():
    assert murmur3_32(b"hey") == 318325784
    assert murmur3_32(b"blockchain") == 3905957473
    assert murmur3_32(b"") == 0
    assert murmur3_32(b"The quick brown fox jumps over the lazy dog", 0x9747B28C) == 0x2FA826CD


def test_murmur_encoder_lowercases_and_keeps_every_token():
    assert MurmurEncoder().encode("Hey  BLOCKCHAIN hey") == [318325784, 3905957473, 318325784]


def test_imdb_vocab_is_faithful_to_the_reference_client(reference_vocab_path):
    encoder = ImdbVocabEncoder.from_file(reference_vocab_path)
    vocab = json.loads(reference_vocab_path.read_text())
    # Punctuation stays attached (so "good." is unknown), duplicates and order stay.
    assert encoder.encode("Good good good. Zzzqx") == [vocab["good"], vocab["good"], 1337, 1337]
    assert encoder.encode("10 ability") == [0, 8]


def test_words_encoder_caps_by_vocabulary_rank(tmp_path: Path):
    path = tmp_path / "v.vocab.txt"
    write_vocabulary(path, ["great", "bad", "film", "not good", "plot"])
    encoder = WordsEncoder.from_file(path, cap=2)
    assert encoder.encode("plot film great great") == [0, 2]  # sorted, unique, two best-ranked
    assert encoder.encode("not good plot") == [3, 4]
    assert encoder.identity.startswith("dacwallet-words/1 sha256:") and encoder.identity.endswith("cap=2")


def test_adaptive_encoder_stops_once_the_evidence_is_decisive(tmp_path: Path):
    path = tmp_path / "v2.vocab.txt"
    write_vocabulary(path, ["great", "awful", "film", "plot", "cast"], [5, -5, 1, 1, 0])
    encoder = AdaptiveWordsEncoder.from_file(path, min_count=2, max_count=4, stop=6, bias=0)
    assert encoder.encode("great film plot cast") == [0, 2]  # 5 + 1 reaches 6 after the minimum two
    assert encoder.encode("great awful film plot cast") == [0, 1, 2, 3]  # never decisive: up to max
    assert encoder.encode("cast") == [4]
    identity = f"dacwallet-words/2 sha256:{vocabulary_hash(path)} min=2 max=4 stop=6 bias=0"
    assert encoder.identity == identity
    resolved = get_encoder(identity.upper(), search_dirs=[tmp_path])
    assert isinstance(resolved, AdaptiveWordsEncoder) and resolved.encode("great film plot") == [0, 2]
    # The same file read as a version 1 vocabulary: the evidence column is not part of the feature.
    v1 = get_encoder(f"dacwallet-words/1 sha256:{vocabulary_hash(path)} cap=3", search_dirs=[tmp_path])
    assert v1.encode("plot cast film") == [2, 3, 4]


def test_version_1_identity_of_the_first_shipped_model_still_resolves():
    encoder = get_encoder("dacwallet-words/1 sha256:e2809078dd325268 cap=20")
    assert type(encoder) is WordsEncoder and encoder.num_features == 2000
    assert len(encoder.encode("A wonderful film: brilliant acting, a moving story. 9/10")) <= 20


def test_version_2_identity_of_the_2000_feature_model_still_resolves():
    encoder = get_encoder("dacwallet-words/2 sha256:237f9b5bb5fe326f min=10 max=40 stop=4000000 bias=25417")
    assert type(encoder) is AdaptiveWordsEncoder and encoder.num_features == 2000
    assert (
        10
        <= len(
            encoder.encode(
                "A wonderful film: brilliant acting, a moving story, a great cast, fine music "
                "and a script that never drags; I loved it and so did my kids. 9/10"
            )
        )
        <= 40
    )


@pytest.mark.parametrize("bad", ["", "   \n ", "x" * (MAX_TEXT_CHARS + 1), b"\xff\xfe bad", "qqqq zzzz"])
def test_bad_text_is_refused_clearly(bad):
    encoder = get_encoder(_default_identity())
    with pytest.raises(InputError) as info:
        encoder.encode(bad)
    assert info.value.user_message


def test_registry_is_case_insensitive_and_names_missing_encoders(tmp_path, reference_vocab_path):
    assert isinstance(get_encoder("murmurhash3"), MurmurEncoder)
    assert isinstance(get_encoder("imdb VOCAB", imdb_vocab=reference_vocab_path), ImdbVocabEncoder)
    assert get_encoder(_default_identity().upper()).identity == _default_identity()
    with pytest.raises(InputError, match="IMDB vocab"):
        get_encoder("IMDB vocab")
    with pytest.raises(InputError, match='expects encoder "universal sentence encoder"'):
        get_encoder("universal sentence encoder")
    with pytest.raises(InputError):
        get_encoder("dacwallet-words/1 sha256:0000000000000000 cap=20")


def _default_identity() -> str:
    from dacwallet.ml.model_file import load_model

    return load_model("default")["encoder"]
