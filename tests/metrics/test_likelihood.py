"""Likelihood units against hand computation and the models' own methods."""

import math

import numpy as np
import pytest

from skgen.hmm import CategoricalHMM
from skgen.markov import MarkovChain
from skgen.metrics import bits_per_dim, cross_entropy, perplexity


def test_cross_entropy_by_hand():
    ll = [-1.0, -2.0, -6.0]
    assert cross_entropy(ll) == pytest.approx(3.0)
    # per token: total nats over total tokens, not the mean of ratios
    assert cross_entropy(ll, n_tokens=[1, 1, 4]) == pytest.approx(9 / 6)
    assert cross_entropy(ll, n_tokens=3) == pytest.approx(1.0)


def test_perplexity_by_hand():
    # two sequences of 3 and 5 tokens, each token of probability 1/4
    ll = [3 * math.log(0.25), 5 * math.log(0.25)]
    assert perplexity(ll, [3, 5]) == pytest.approx(4.0)
    assert perplexity(-10.0, 5) == pytest.approx(math.exp(2.0))
    assert perplexity([-np.inf, -1.0], [1, 1]) == math.inf


def test_bits_per_dim_by_hand():
    ll = np.array([-3.0, -5.0])
    assert bits_per_dim(ll, 2) == pytest.approx(2.0 / math.log(2))
    assert bits_per_dim(ll, [1, 3]) == pytest.approx(8.0 / (4 * math.log(2)))
    # a standard normal in 1-D: entropy 0.5 log(2 pi e) nats
    x = np.random.default_rng(0).normal(size=200_000)
    ll = -0.5 * x**2 - 0.5 * math.log(2 * math.pi)
    assert bits_per_dim(ll, 1) == pytest.approx(
        0.5 * math.log2(2 * math.pi * math.e), rel=1e-2
    )


def test_perplexity_agrees_with_markov_chain():
    rng = np.random.default_rng(0)
    X = [rng.integers(0, 4, size=n) for n in rng.integers(1, 12, size=30)]
    chain = MarkovChain(order=2).fit(X)
    n_tokens = [len(s) + 1 for s in X]  # the end symbol is predicted too
    assert perplexity(chain.score_samples(X), n_tokens) == pytest.approx(
        chain.perplexity(X), rel=1e-12
    )


def test_perplexity_agrees_with_hmm():
    rng = np.random.default_rng(1)
    X = [rng.integers(0, 3, size=n) for n in rng.integers(2, 10, size=20)]
    hmm = CategoricalHMM(n_components=2, random_state=0).fit(X)
    lengths = [len(s) for s in X]  # HMMs do not model the length
    assert perplexity(hmm.score_samples(X), lengths) == pytest.approx(
        hmm.perplexity(X), rel=1e-10
    )


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([-1.0, np.nan], 2), ValueError, r"log_likelihood contains NaN at \[1\]"),
        (([-1.0, np.inf], 2), ValueError, "log_likelihood must be finite or -inf"),
        (([], 2), ValueError, r"log_likelihood must not be empty"),
        (([-1.0, -2.0], [1, 2, 3]), ValueError, r"one entry per .* \(2\); got 3"),
        (
            ([-1.0, -2.0], [1, -1]),
            ValueError,
            r"n_tokens must be > 0; got -1.0 at \[1\]",
        ),
        (([-1.0, -2.0], [0, 2]), ValueError, r"n_tokens must be > 0; got 0.0 at \[0\]"),
        (([[-1.0]], 2), ValueError, r"shape \(1, 1\)"),
        ((["a"], 2), TypeError, "log_likelihood must hold numbers"),
        (([-1.0], 0), ValueError, r"n_tokens must be > 0; got 0.0\.$"),
        (([-1.0], -2.5), ValueError, r"n_tokens must be > 0; got -2.5\.$"),
        (("abc", 2), ValueError, "'log_likelihood' parameter of perplexity"),
    ],
)
def test_perplexity_errors(args, error, match):
    with pytest.raises(error, match=match):
        perplexity(*args)


def test_counts_are_positive_reals_for_scalars_and_arrays():
    ll = [-784 * math.log(2), -2 * 784 * math.log(2)]
    # a float count is accepted like an int count and like an array of floats
    assert bits_per_dim(ll, 784.0) == bits_per_dim(ll, 784) == pytest.approx(1.5)
    assert bits_per_dim(ll, [784.0, 784.0]) == pytest.approx(1.5)
    assert bits_per_dim(ll, np.float32(784)) == pytest.approx(1.5)
    # zero is rejected the same way as a scalar and inside an array
    for func, name in [(bits_per_dim, "n_dims"), (perplexity, "n_tokens")]:
        with pytest.raises(ValueError, match=rf"^{name} must be > 0; got 0.0\.$"):
            func(ll, 0)
        with pytest.raises(ValueError, match=rf"{name} must be > 0; got 0.0 at \[1\]"):
            func(ll, [3.0, 0.0])
    with pytest.raises(ValueError, match=r"n_tokens must be > 0; got 0.0"):
        cross_entropy(ll, n_tokens=0)
    with pytest.raises(ValueError, match="'n_dims' parameter of bits_per_dim"):
        bits_per_dim(ll, "784")
