"""Tests of the shared token vocabulary."""

import io

import numpy as np
import pytest

from skgen.hmm import CategoricalHMM
from skgen.markov import MarkovChain
from skgen.utils import trusted_types
from skgen.utils._vocabulary import Vocabulary


def test_sorted_ids_and_unknown_index():
    vocab = Vocabulary.from_tokens(np.array([[9, 2], [2, 5]]))
    assert vocab.tokens.dtype == np.int64
    assert vocab.tokens.tolist() == [2, 5, 9] and len(vocab) == 3
    np.testing.assert_array_equal(vocab.to_index([[9, 1], [2, 100]]), [[2, 3], [0, 3]])
    np.testing.assert_array_equal(vocab.to_tokens([2, 0]), [9, 2])


def test_empty_vocabulary_maps_everything_to_unknown():
    vocab = Vocabulary()
    assert len(vocab) == 0 and vocab.unknown_index == 0
    np.testing.assert_array_equal(vocab.to_index([4, 5]), [0, 0])
    assert vocab.to_index(np.zeros(0, dtype=np.int64)).shape == (0,)


def test_merge_is_a_new_sorted_union():
    vocab = Vocabulary.from_tokens([3, 1])
    merged = vocab.merge([2, 3, 10**15])
    assert merged.tokens.tolist() == [1, 2, 3, 10**15]
    assert vocab.tokens.tolist() == [1, 3]  # the old one unchanged
    assert merged.to_index([10**15])[0] == 3


def test_a_view_of_the_fitted_array():
    tokens = np.array([1, 4, 6], dtype=np.int64)
    assert Vocabulary(tokens).tokens is tokens  # no copy
    with pytest.raises(ValueError, match=r"1-D array of token ids; got shape \(1, 3\)"):
        Vocabulary(tokens[None])


def test_token_models_keep_plain_arrays_and_load_with_skops():
    sio = pytest.importorskip("skops.io")
    X = [[5, 7, 5], [7, 9], [5]]
    mc = MarkovChain(order=1).partial_fit(X[:2]).partial_fit([*X[2:], [11]])
    assert mc.symbols_.tolist() == [5, 7, 9, 11]
    hmm = CategoricalHMM(2, max_iter=50, random_state=0).fit(X)
    assert hmm.symbols_.tolist() == [5, 7, 9]
    for model in (mc, hmm):
        assert type(model.symbols_) is np.ndarray
        buffer = io.BytesIO(sio.dumps(model))
        loaded = sio.loads(buffer.getvalue(), trusted=trusted_types())
        np.testing.assert_array_equal(loaded.symbols_, model.symbols_)
        np.testing.assert_array_equal(loaded.score_samples(X), model.score_samples(X))
