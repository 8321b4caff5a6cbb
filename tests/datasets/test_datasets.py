"""Tests of the embedded corpus and the synthetic Markov sequences."""

import socket
import sys

import numpy as np
import pytest
from scipy import stats

from skgen.datasets import load_text_corpus, make_markov_sequences

# ------------------------------------------------------------ load_text_corpus


def test_load_text_corpus_needs_no_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("load_text_corpus must not use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    corpus = load_text_corpus()
    assert len(corpus.data) >= 50
    if sys.version_info[:2] == (3, 11):
        assert len(corpus.data) == 79


def test_load_text_corpus_content():
    corpus = load_text_corpus()
    assert set(corpus) >= {"data", "titles", "DESCR"}
    assert len(corpus.titles) == len(corpus.data)
    assert corpus.titles == sorted(corpus.titles)
    assert len(set(corpus.titles)) == len(corpus.titles)
    assert all(isinstance(doc, str) and doc for doc in corpus.data)
    assert sum(map(len, corpus.data)) > 100_000
    assert "pydoc_data" in corpus.DESCR
    assert str(len(corpus.data)) in corpus.DESCR
    i = corpus.titles.index("pass")
    assert '"pass" statement' in corpus.data[i]


def test_load_text_corpus_is_deterministic():
    a, b = load_text_corpus(), load_text_corpus()
    assert a.data == b.data
    assert a.titles == b.titles
    # Fresh lists: editing one result does not change the next.
    a.data.clear()
    assert load_text_corpus().data == b.data


# ------------------------------------------------------- make_markov_sequences


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_markov_shapes(order):
    X, params = make_markov_sequences(
        20, order=order, n_symbols=4, length=(3, 9), random_state=0
    )
    assert isinstance(X, list)
    assert len(X) == 20
    assert params["order"] == order
    assert params["n_symbols"] == 4
    transitions = params["transitions"]
    assert transitions.shape == (5,) * order + (4,)
    np.testing.assert_allclose(transitions.sum(axis=-1), 1.0)
    assert np.all(transitions >= 0)
    lengths = params["lengths"]
    assert lengths.dtype == np.int64
    assert lengths.shape == (20,)
    assert np.all((lengths >= 3) & (lengths <= 9))
    for x, n in zip(X, lengths, strict=True):
        assert isinstance(x, np.ndarray)
        assert x.dtype == np.int64
        assert x.shape == (n,)
        assert np.all((x >= 0) & (x < 4))


def test_markov_fixed_length_gives_ragged_list():
    X, params = make_markov_sequences(5, length=7, random_state=0)
    assert isinstance(X, list)
    assert [x.shape for x in X] == [(7,)] * 5
    assert params["lengths"].tolist() == [7] * 5


def test_markov_lengths_cover_the_range():
    _, params = make_markov_sequences(500, length=(2, 4), random_state=0)
    assert set(params["lengths"].tolist()) == {2, 3, 4}


def test_markov_empty_sequences_allowed():
    X, params = make_markov_sequences(3, length=0, random_state=0)
    assert [x.shape for x in X] == [(0,)] * 3
    assert params["transitions"].shape == (6, 5)


def test_markov_reproducible():
    X1, p1 = make_markov_sequences(30, order=2, random_state=42)
    X2, p2 = make_markov_sequences(30, order=2, random_state=42)
    np.testing.assert_array_equal(p1["transitions"], p2["transitions"])
    np.testing.assert_array_equal(p1["lengths"], p2["lengths"])
    for a, b in zip(X1, X2, strict=True):
        np.testing.assert_array_equal(a, b)
    _, p3 = make_markov_sequences(30, order=2, random_state=43)
    assert not np.array_equal(p1["transitions"], p3["transitions"])
    # The transitions are drawn first: they depend on the seed alone.
    _, p4 = make_markov_sequences(7, order=2, length=3, random_state=42)
    np.testing.assert_array_equal(p1["transitions"], p4["transitions"])


def test_markov_random_state_instance_and_none():
    rng = np.random.RandomState(0)
    X1, _ = make_markov_sequences(5, random_state=rng)
    X2, _ = make_markov_sequences(5, random_state=rng)
    assert any(
        a.shape != b.shape or not np.array_equal(a, b)
        for a, b in zip(X1, X2, strict=True)
    )
    # None gives fresh draws.
    _, p1 = make_markov_sequences(5, random_state=None)
    _, p2 = make_markov_sequences(5, random_state=None)
    assert not np.array_equal(p1["transitions"], p2["transitions"])


def test_markov_tiny_concentration_gives_one_hot_rows():
    X, params = make_markov_sequences(
        10, n_symbols=4, concentration=1e-12, random_state=0
    )
    transitions = params["transitions"]
    assert np.all(np.isfinite(transitions))
    np.testing.assert_allclose(transitions.sum(axis=-1), 1.0)
    # Nearly deterministic chain: every step follows the row's argmax.
    first = transitions[4].argmax()
    for x in X:
        assert x[0] == first
        np.testing.assert_array_equal(x[1:], transitions[x[:-1]].argmax(axis=1))


def _pooled_chi_square(observed, expected, min_expected=5.0):
    """Chi-square statistic and dof of one row, pooling cells expected < 5."""
    small = expected < min_expected
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    if exp[-1] < min_expected:  # fold a still-small pool into the largest cell
        j = np.argmax(exp[:-1])
        obs[j] += obs[-1]
        exp[j] += exp[-1]
        obs, exp = obs[:-1], exp[:-1]
    keep = exp > 0
    obs, exp = obs[keep], exp[keep]
    return float(np.sum((obs - exp) ** 2 / exp)), max(len(exp) - 1, 0)


@pytest.mark.parametrize(("order", "n_symbols"), [(0, 6), (1, 4), (2, 3)])
def test_markov_empirical_transitions_match(order, n_symbols):
    X, params = make_markov_sequences(
        2000,
        order=order,
        n_symbols=n_symbols,
        length=(5, 30),
        concentration=0.7,
        random_state=0,
    )
    transitions = params["transitions"]
    S = n_symbols
    rows = transitions.reshape(-1, S)
    counts = np.zeros_like(rows)
    # Slow, obvious counting with an explicit context tuple.
    for x in X:
        context = (S,) * order
        for s in x.tolist():
            row = np.ravel_multi_index(context, (S + 1,) * order) if order else 0
            counts[row, s] += 1
            context = (*context[1:], s) if order else ()
    statistic, dof = 0.0, 0
    for observed, p in zip(counts, rows, strict=True):
        n = observed.sum()
        if n < 50:
            continue
        stat, df = _pooled_chi_square(observed, n * p)
        statistic += stat
        dof += df
    assert dof > 0
    p_value = stats.chi2.sf(statistic, dof)
    assert p_value > 1e-3, (statistic, dof)
    # Impossible contexts (padding after a real symbol) never occur.
    if order == 2:
        counts_3d = counts.reshape(S + 1, S + 1, S)
        assert counts_3d[:S, S].sum() == 0


def test_markov_first_symbols_follow_start_row():
    X, params = make_markov_sequences(
        5000, order=2, n_symbols=3, length=1, concentration=1.0, random_state=1
    )
    first = np.bincount([x[0] for x in X], minlength=3)
    expected = 5000 * params["transitions"][3, 3]
    assert stats.chisquare(first, expected).pvalue > 1e-3


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_sequences": 0}, "'n_sequences' parameter .* range \\[1, inf\\). Got 0"),
        ({"order": -1}, "'order' parameter .* range \\[0, inf\\). Got -1"),
        ({"n_symbols": 0}, "'n_symbols' parameter .* Got 0 instead"),
        ({"concentration": 0.0}, "'concentration' parameter .* Got 0.0 instead"),
        ({"concentration": float("nan")}, "'concentration' parameter"),
        ({"length": -1}, "'length' parameter .* Got -1 instead"),
        ({"length": 2.5}, "'length' parameter .* Got 2.5 instead"),
        ({"length": (5, 2)}, "0 <= min <= max; got \\(5, 2\\)"),
        ({"length": (-1, 2)}, "0 <= min <= max; got \\(-1, 2\\)"),
        ({"length": (1, 2, 3)}, "a \\(min, max\\) pair of ints; got \\(1, 2, 3\\)"),
        ({"length": (1.0, 2)}, "a \\(min, max\\) pair of ints; got \\(1.0, 2\\)"),
        ({"random_state": "seed"}, "'random_state' parameter"),
        (
            {"order": 12, "n_symbols": 10},
            "order=12 with n_symbols=10 needs a transition tensor of",
        ),
    ],
)
def test_markov_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_markov_sequences(**kwargs)


def test_markov_length_as_list():
    _, params = make_markov_sequences(50, length=[3, 4], random_state=0)
    assert set(params["lengths"].tolist()) <= {3, 4}
