"""Tests of CharTokenizer and WordTokenizer."""

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from skgen.text import CharTokenizer, WordTokenizer

DOCS = ["abracadabra", "Hello, World!", "", "naïve café ☕", "aab\n\tb  "]
TOKENIZERS = [CharTokenizer, WordTokenizer]


def _as_lists(Xt):
    return [x.tolist() for x in Xt]


# ---------------------------------------------------------------- CharTokenizer


def test_char_round_trip():
    tok = CharTokenizer().fit(DOCS)
    Xt = tok.transform(DOCS)
    assert len(Xt) == len(DOCS)
    for doc, ids in zip(DOCS, Xt, strict=True):
        assert ids.dtype == np.int64
        assert ids.ndim == 1
        assert ids.shape[0] == len(doc)
    assert tok.inverse_transform(Xt) == DOCS


def test_char_round_trip_lone_surrogate():
    docs = ["a\udcffb", "\udcff"]
    tok = CharTokenizer().fit(docs)
    assert tok.inverse_transform(tok.transform(docs)) == docs


def test_char_matches_per_character_lookup():
    # The vectorised encoder agrees with the obvious dict lookup.
    tok = CharTokenizer(max_vocabulary=6).fit(DOCS)
    new = ["abcxyz", "Wörld ☕!", ""]
    expected = [[tok.vocabulary_.get(c, 0) for c in doc] for doc in new]
    assert _as_lists(tok.transform(new)) == expected


def test_char_ids_by_frequency_then_lexicographic():
    tok = CharTokenizer().fit(["bca", "cb", "c"])
    # c: 3, b: 2, a: 1
    assert tok.vocabulary_ == {"c": 1, "b": 2, "a": 3}
    assert tok.tokens_.tolist() == ["\ufffd", "c", "b", "a"]
    assert tok.token_counts_.tolist() == [0, 3, 2, 1]
    assert tok.unknown_id_ == 0
    # Ties are broken by the token, whatever the document order.
    a = CharTokenizer().fit(["xy", "yx", "z"]).vocabulary_
    b = CharTokenizer().fit(["z", "yx", "xy"]).vocabulary_
    assert a == b == {"x": 1, "y": 2, "z": 3}


def test_char_unknown_maps_to_zero():
    tok = CharTokenizer().fit(["abc"])
    assert _as_lists(tok.transform(["axc", "zz"])) == [[1, 0, 3], [0, 0]]
    assert tok.inverse_transform([[1, 0, 3]]) == ["a\ufffdc"]
    tok = CharTokenizer(unknown_token="<?>").fit(["abc"])
    assert tok.inverse_transform(tok.transform(["axc"])) == ["a<?>c"]


def test_char_min_frequency():
    tok = CharTokenizer(min_frequency=2).fit(["aab", "ac", "bd"])
    assert tok.vocabulary_ == {"a": 1, "b": 2}
    assert _as_lists(tok.transform(["abcd"])) == [[1, 2, 0, 0]]


def test_char_max_vocabulary():
    tok = CharTokenizer(max_vocabulary=2).fit(["aaabbc", "d"])
    assert tok.vocabulary_ == {"a": 1, "b": 2}
    assert len(tok.tokens_) == 3
    assert _as_lists(tok.transform(["abcd"])) == [[1, 2, 0, 0]]
    # More room than tokens keeps them all.
    assert len(CharTokenizer(max_vocabulary=100).fit(["abc"]).vocabulary_) == 3


def test_char_lowercase():
    tok = CharTokenizer(lowercase=True).fit(["AbC"])
    assert set(tok.vocabulary_) == {"a", "b", "c"}
    assert tok.inverse_transform(tok.transform(["CAB"])) == ["cab"]
    # Without lowercase, case matters.
    tok = CharTokenizer().fit(["AbC"])
    assert _as_lists(tok.transform(["a"])) == [[0]]


def test_char_empty_vocabulary():
    tok = CharTokenizer().fit(["", ""])
    assert tok.vocabulary_ == {}
    assert _as_lists(tok.transform(["ab", ""])) == [[0, 0], []]
    assert tok.inverse_transform([[0], []]) == ["\ufffd", ""]


# ---------------------------------------------------------------- WordTokenizer


def test_word_tokens_and_punctuation():
    tok = WordTokenizer().fit(["Hello, world! Hello again."])
    assert tok.vocabulary_ == {
        "Hello": 1,
        "!": 2,
        ",": 3,
        ".": 4,
        "again": 5,
        "world": 6,
    }
    Xt = tok.transform(["Hello   world,\nagain!"])
    assert _as_lists(Xt) == [[1, 6, 3, 5, 2]]
    # Whitespace is not preserved: tokens are joined by single spaces.
    assert tok.inverse_transform(Xt) == ["Hello world , again !"]


def test_word_round_trip_up_to_whitespace():
    docs = ["the cat sat on the mat .", "a dog !", ""]
    tok = WordTokenizer().fit(docs)
    assert tok.inverse_transform(tok.transform(docs)) == docs


def test_word_unknown_min_frequency_max_vocabulary():
    docs = ["a a a b b c", "d a b"]
    tok = WordTokenizer(min_frequency=2).fit(docs)
    assert tok.vocabulary_ == {"a": 1, "b": 2}
    Xt = tok.transform(["a c z b"])
    assert _as_lists(Xt) == [[1, 0, 0, 2]]
    assert tok.inverse_transform(Xt) == ["a <unk> <unk> b"]
    tok = WordTokenizer(max_vocabulary=1, unknown_token="?").fit(docs)
    assert tok.vocabulary_ == {"a": 1}
    assert tok.inverse_transform(tok.transform(["b a"])) == ["? a"]


def test_word_lowercase():
    tok = WordTokenizer(lowercase=True).fit(["The the THE"])
    assert tok.vocabulary_ == {"the": 1}
    assert tok.token_counts_.tolist() == [0, 3]
    assert _as_lists(tok.transform(["tHe"])) == [[1]]


def test_word_token_pattern():
    tok = WordTokenizer(token_pattern=r"\S+").fit(["don't stop, ok"])
    assert set(tok.vocabulary_) == {"don't", "stop,", "ok"}
    # One capturing group: the group is the token.
    tok = WordTokenizer(token_pattern=r"<(\w+)>").fit(["<a> b <c>"])
    assert set(tok.vocabulary_) == {"a", "c"}


@pytest.mark.parametrize(
    ("pattern", "match"),
    [
        ("(", "must be a valid regular expression; got '\\('"),
        (r"(a)(b)", "at most one capturing group; got '\\(a\\)\\(b\\)' with 2"),
    ],
)
def test_word_bad_token_pattern(pattern, match):
    with pytest.raises(ValueError, match=match):
        WordTokenizer(token_pattern=pattern).fit(["ab"])


# ------------------------------------------------------------------ both


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_transform_returns_int64_arrays(Tokenizer):
    tok = Tokenizer().fit(DOCS)
    Xt = tok.transform(DOCS)
    assert isinstance(Xt, list)
    assert all(isinstance(x, np.ndarray) and x.dtype == np.int64 for x in Xt)
    assert all(x.ndim == 1 for x in Xt)
    np.testing.assert_array_equal(
        np.concatenate(Xt), np.concatenate(tok.fit_transform(DOCS))
    )


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_tokens_and_vocabulary_agree(Tokenizer):
    tok = Tokenizer(lowercase=True).fit(DOCS)
    assert len(tok.tokens_) == len(tok.vocabulary_) + 1
    assert tok.tokens_[0] == tok.unknown_token
    for token, i in tok.vocabulary_.items():
        assert tok.tokens_[i] == token
        assert isinstance(i, int)
    assert sorted(tok.vocabulary_.values()) == list(range(1, len(tok.tokens_)))
    counts = tok.token_counts_[1:]
    assert np.all(counts[:-1] >= counts[1:])


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_accepts_array_and_tuple_rejects_iterators(Tokenizer):
    tok = Tokenizer().fit(DOCS)
    expected = _as_lists(tok.transform(DOCS))
    assert _as_lists(tok.transform(np.array(DOCS))) == expected
    assert _as_lists(tok.transform(tuple(DOCS))) == expected
    # a pipeline reads X twice (transform, then the Jacobian): one-shot
    # iterators are refused everywhere rather than silently used up
    with pytest.raises(TypeError, match="one-shot iterator"):
        tok.transform(d for d in DOCS)
    assert tok.inverse_transform(np.array([[1, 2], [2, 1]])) == tok.inverse_transform(
        [[1, 2], [2, 1]]
    )


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_log_abs_det_jacobian_is_zero(Tokenizer):
    tok = Tokenizer().fit(DOCS)
    log_det = tok.log_abs_det_jacobian(DOCS)
    assert log_det.shape == (len(DOCS),)
    assert np.all(log_det == 0)


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_clone_and_pickle(Tokenizer):
    tok = Tokenizer(lowercase=True, min_frequency=1, max_vocabulary=5)
    cloned = clone(tok)
    assert cloned.get_params() == tok.get_params()
    assert not hasattr(cloned, "vocabulary_")
    tok.fit(DOCS)
    restored = pickle.loads(pickle.dumps(tok))
    assert restored.vocabulary_ == tok.vocabulary_
    assert _as_lists(restored.transform(DOCS)) == _as_lists(tok.transform(DOCS))
    Xt = tok.transform(DOCS)
    assert restored.inverse_transform(Xt) == tok.inverse_transform(Xt)
    assert not hasattr(clone(tok), "vocabulary_")


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_skops_round_trip(Tokenizer):
    sio = pytest.importorskip("skops.io")
    tok = Tokenizer(min_frequency=2).fit(DOCS)
    data = sio.dumps(tok)
    untrusted = sio.get_untrusted_types(data=data)
    assert untrusted == [f"skgen.text._tokenizers.{Tokenizer.__name__}"]
    restored = sio.loads(data, trusted=untrusted)
    assert restored.vocabulary_ == tok.vocabulary_
    Xt = tok.transform(DOCS)
    assert _as_lists(restored.transform(DOCS)) == _as_lists(Xt)
    assert restored.inverse_transform(Xt) == tok.inverse_transform(Xt)


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_refit_forgets_previous_vocabulary(Tokenizer):
    tok = Tokenizer().fit(["aaa bbb"])
    tok.fit(["ccc"])
    expected = ["c"] if Tokenizer is CharTokenizer else ["ccc"]
    assert list(tok.vocabulary_) == expected


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_tags(Tokenizer):
    tags = Tokenizer().__sklearn_tags__()
    assert tags.input_tags.string
    assert not tags.input_tags.two_d_array
    assert tags.transformer_tags is not None


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_not_fitted(Tokenizer):
    tok = Tokenizer()
    for method, arg in [
        ("transform", DOCS),
        ("inverse_transform", [[1]]),
        ("log_abs_det_jacobian", DOCS),
    ]:
        with pytest.raises(NotFittedError, match="not fitted yet"):
            getattr(tok, method)(arg)


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
@pytest.mark.parametrize("method", ["fit", "transform", "log_abs_det_jacobian"])
@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ("a document", TypeError, "got a single str. Wrap it in a list"),
        (b"bytes", TypeError, "got a single bytes"),
        (["ok", 3], TypeError, re.escape("X[1] must be a str (one document); got int")),
        ([b"x"], TypeError, re.escape("X[0] must be a str (one document); got bytes")),
        (["ok", ["a"]], TypeError, re.escape("X[1] must be a str") + ".*got list"),
        (["ok", None], ValueError, re.escape("X[1] is missing (None)")),
        ([float("nan"), "ok"], ValueError, re.escape("X[0] is missing (nan)")),
        ([np.float64("nan")], ValueError, re.escape("X[0] is missing")),
        ([], ValueError, "X holds no documents; at least one is required"),
        (np.array([], dtype=str), ValueError, "X holds no documents"),
        (np.array([["a", "b"]]), ValueError, "1-D collection.*shape \\(1, 2\\)"),
        (42, TypeError, "must be a list of documents.*got int"),
        ({"a": "b"}, TypeError, "ordered collection of documents.*got a dict"),
        ({"a"}, TypeError, "got a set"),
    ],
)
def test_bad_documents(Tokenizer, method, X, error, match):
    tok = Tokenizer()
    if method != "fit":
        tok.fit(DOCS)
    with pytest.raises(error, match=match):
        getattr(tok, method)(X)


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_dataframe_rejected_series_accepted(Tokenizer):
    pd = pytest.importorskip("pandas")
    tok = Tokenizer().fit(DOCS)
    with pytest.raises(TypeError, match=r"got a DataFrame\. Select one column"):
        tok.transform(pd.DataFrame({"text": DOCS}))
    series = pd.Series(DOCS, index=range(10, 10 + len(DOCS)))
    assert _as_lists(tok.transform(series)) == _as_lists(tok.transform(DOCS))
    with pytest.raises(ValueError, match=re.escape("X[1] is missing (<NA>)")):
        tok.transform(pd.Series(["a", pd.NA], dtype="string"))


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
@pytest.mark.parametrize(
    ("Xt", "error", "match"),
    [
        ([[1, 99]], ValueError, "Xt contains token id 99, but ids must be < "),
        ([[1, -1]], ValueError, "Xt must contain integer token ids >= 0; got -1"),
        ([[1.5]], TypeError, "integer token ids"),
        (
            "abc",
            TypeError,
            re.escape(
                "Xt must be a list of token id sequences (such as the output of "
                "transform); got a single str. Use transform"
            ),
        ),
        (b"abc", TypeError, "got a single bytes"),
        ([], ValueError, "Xt holds no sequences"),
    ],
)
def test_bad_inverse_transform_input(Tokenizer, Xt, error, match):
    tok = Tokenizer().fit(DOCS)
    with pytest.raises(error, match=match):
        tok.inverse_transform(Xt)


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_inverse_transform_names_vocabulary_size(Tokenizer):
    tok = Tokenizer().fit(["ab"])
    n = len(tok.tokens_)
    with pytest.raises(
        ValueError, match=f"id {n}, but ids must be < {n} \\(the vocabulary size"
    ):
        tok.inverse_transform([[n]])
    assert tok.inverse_transform([[n - 1]]) == [tok.tokens_[n - 1]]


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"min_frequency": 0}, "'min_frequency' parameter .* range \\[1, inf\\)"),
        ({"max_vocabulary": 0}, "'max_vocabulary' parameter .* Got 0 instead"),
        ({"lowercase": "yes"}, "'lowercase' parameter .* 'bool'.* Got 'yes' instead"),
        (
            {"unknown_token": None},
            "'unknown_token' parameter .* 'str'. Got None instead",
        ),
    ],
)
def test_bad_params(Tokenizer, params, match):
    with pytest.raises(ValueError, match=match):
        Tokenizer(**params).fit(DOCS)


def test_keyword_only_params():
    with pytest.raises(TypeError):
        CharTokenizer(True)
    with pytest.raises(TypeError):
        WordTokenizer(True)


@pytest.mark.parametrize(
    ("Tokenizer", "unknown", "docs"),
    [(CharTokenizer, "a", ["abc", "zz"]), (WordTokenizer, "cat", ["the cat sat"])],
)
def test_unknown_token_in_the_vocabulary_is_refused(Tokenizer, unknown, docs):
    """An unseen token must not come back as a real one."""
    tok = Tokenizer().fit(["xyz"])
    with pytest.raises(
        ValueError,
        match=re.escape(f"unknown_token={unknown!r} is a token of the vocabulary"),
    ):
        tok.set_params(unknown_token=unknown).fit(docs)
    assert tok.tokens_.tolist()[1:] == (
        ["x", "y", "z"] if Tokenizer is CharTokenizer else ["xyz"]
    )  # the failed fit lost nothing
    # a rare token that is not kept is unknown anyway: allowed
    rare = Tokenizer(unknown_token=unknown, min_frequency=2).fit(docs + docs[1:])
    assert unknown not in rare.vocabulary_


@pytest.mark.parametrize("Tokenizer", TOKENIZERS)
def test_set_params_after_fit_changes_nothing(Tokenizer):
    tok = Tokenizer().fit(DOCS)
    docs = ["Abra, CADABRA!", "new words"]
    Xt = tok.transform(docs)
    back = tok.inverse_transform(Xt)
    params = {
        "lowercase": True,
        "min_frequency": 3,
        "max_vocabulary": 2,
        "unknown_token": "#",
    }
    if Tokenizer is WordTokenizer:
        params["token_pattern"] = r"\w"
    tok.set_params(**params)
    assert _as_lists(tok.transform(docs)) == _as_lists(Xt)
    assert tok.inverse_transform(Xt) == back
    # the next fit uses them
    assert len(tok.fit(DOCS).tokens_) <= 3
