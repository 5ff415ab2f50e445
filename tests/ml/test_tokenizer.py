from dacwallet.ml.tokenizer import features, tokenize


def test_breaks_case_and_punctuation():
    assert tokenize("Great film.<br /><br />Loved IT!") == ["great", "film", "loved", "it"]
    assert tokenize("a<BR/>b<br>c") == ["a", "b", "c"]


def test_apostrophes_keep_contractions_and_drop_quotes():
    assert tokenize("I don't think it's 'good'") == ["i", "don't", "think", "it's", "good"]
    assert tokenize("won\u2019t") == ["won't"]


def test_ratings_become_one_token():
    assert tokenize("7/10, 7 / 10 and 7 out of 10") == ["7/10", "7/10", "and", "7/10"]
    assert tokenize("3.5/5 stars") == ["3.5/5", "stars"]


def test_numbers_and_hyphens():
    assert tokenize("it cost 1,000,000 in 1984") == ["it", "cost", "1000000", "in", "1984"]
    assert tokenize("well-made") == ["well", "made"]


def test_bigrams_follow_unigrams():
    assert features(["not", "good", "at"]) == ["not", "good", "at", "not good", "good at"]
