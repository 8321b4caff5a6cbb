"""Tests of make_hmm_sequences: shapes, reproducibility and the truth it returns."""

import itertools

import numpy as np
import pytest
from scipy import stats

from skgen.datasets import make_hmm_sequences

EMISSIONS = ["gaussian", "categorical", "poisson"]
EMISSION_KEYS = {
    "gaussian": {"means", "covars"},
    "categorical": {"emissionprob"},
    "poisson": {"lambdas"},
}


def _pooled_chisquare(observed, expected):
    """Chi-square p-value, pooling the cells expected below 5 into one."""
    small = expected < 5
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    keep = exp > 0
    if keep.sum() < 2:
        return 1.0
    return stats.chisquare(obs[keep], exp[keep]).pvalue


# ---------------------------------------------------------------- shapes


@pytest.mark.parametrize("emission", EMISSIONS)
def test_shapes_and_dtypes(emission):
    X, params = make_hmm_sequences(
        15,
        n_components=4,
        emission=emission,
        n_features=3,
        n_symbols=6,
        length=(1, 9),
        random_state=0,
    )
    assert isinstance(X, list)
    assert len(X) == 15
    common = {"startprob", "transmat", "states", "lengths"}
    assert set(params) == common | EMISSION_KEYS[emission]
    assert params["startprob"].shape == (4,)
    assert params["transmat"].shape == (4, 4)
    lengths = params["lengths"]
    assert lengths.dtype == np.int64
    assert lengths.shape == (15,)
    assert np.all((lengths >= 1) & (lengths <= 9))
    assert len(params["states"]) == 15
    for x, z, n in zip(X, params["states"], lengths, strict=True):
        assert isinstance(x, np.ndarray)
        assert z.dtype == np.int64
        assert z.shape == (n,)
        assert np.all((z >= 0) & (z < 4))
        if emission == "gaussian":
            assert x.dtype == np.float64
            assert x.shape == (n, 3)
            assert np.all(np.isfinite(x))
        elif emission == "categorical":
            assert x.dtype == np.int64
            assert x.shape == (n,)
            assert np.all((x >= 0) & (x < 6))
        else:
            assert x.dtype == np.int64
            assert x.shape == (n, 3)
            assert np.all(x >= 0)
    if emission == "gaussian":
        assert params["means"].shape == (4, 3)
        assert params["covars"].shape == (4, 3)
    elif emission == "categorical":
        assert params["emissionprob"].shape == (4, 6)
    else:
        assert params["lambdas"].shape == (4, 3)


@pytest.mark.parametrize("emission", EMISSIONS)
def test_probabilities_are_valid_and_states_separated(emission):
    _, params = make_hmm_sequences(
        2,
        n_components=5,
        emission=emission,
        n_features=2,
        n_symbols=7,
        random_state=1,
    )
    np.testing.assert_allclose(params["startprob"].sum(), 1.0)
    np.testing.assert_allclose(params["transmat"].sum(axis=1), 1.0)
    assert np.all(params["startprob"] >= 0)
    assert np.all(params["transmat"] >= 0)
    # Sticky states.
    assert np.all(np.diag(params["transmat"]) >= 0.5)
    if emission == "gaussian":
        std = np.sqrt(params["covars"])
        assert np.all(std > 0)
        means = params["means"]
        for i, j in itertools.combinations(range(5), 2):
            assert np.linalg.norm(means[i] - means[j]) >= 4 * std.max()
    elif emission == "categorical":
        emissionprob = params["emissionprob"]
        np.testing.assert_allclose(emissionprob.sum(axis=1), 1.0)
        peaks = emissionprob.argmax(axis=1)
        assert len(set(peaks.tolist())) == 5
        assert np.all(emissionprob.max(axis=1) >= 0.5)
    else:
        lambdas = params["lambdas"]
        assert np.all((lambdas >= 1.0 - 1e-12) & (lambdas <= 20.0 + 1e-12))
        # Every feature tells every pair of states apart.
        for f in range(2):
            assert len(np.unique(lambdas[:, f])) == 5


def test_one_state_and_high_dimension():
    _, params = make_hmm_sequences(3, n_components=1, length=4, random_state=0)
    np.testing.assert_array_equal(params["transmat"], [[1.0]])
    assert all(np.all(z == 0) for z in params["states"])
    # More grid points than can be enumerated: means still distinct.
    _, params = make_hmm_sequences(
        2, n_components=6, n_features=30, length=2, random_state=0
    )
    assert len(np.unique(params["means"], axis=0)) == 6


def test_fewer_symbols_than_states():
    X, params = make_hmm_sequences(
        5, n_components=4, emission="categorical", n_symbols=2, random_state=0
    )
    assert params["emissionprob"].shape == (4, 2)
    assert all(np.all((x >= 0) & (x < 2)) for x in X)


def test_fixed_length_gives_ragged_list():
    X, params = make_hmm_sequences(5, length=7, random_state=0)
    assert isinstance(X, list)
    assert [x.shape for x in X] == [(7, 2)] * 5
    assert params["lengths"].tolist() == [7] * 5


def test_lengths_cover_the_range():
    _, params = make_hmm_sequences(300, length=(2, 4), random_state=0)
    assert set(params["lengths"].tolist()) == {2, 3, 4}


@pytest.mark.parametrize("emission", EMISSIONS)
def test_empty_sequences_allowed(emission):
    X, params = make_hmm_sequences(
        3, emission=emission, n_features=2, length=0, random_state=0
    )
    expected = (0,) if emission == "categorical" else (0, 2)
    assert [x.shape for x in X] == [expected] * 3
    assert [z.shape for z in params["states"]] == [(0,)] * 3


# -------------------------------------------------------- reproducibility


@pytest.mark.parametrize("emission", EMISSIONS)
def test_reproducible(emission):
    X1, p1 = make_hmm_sequences(20, emission=emission, random_state=42)
    X2, p2 = make_hmm_sequences(20, emission=emission, random_state=42)
    assert p1.keys() == p2.keys()
    for key in p1.keys() - {"states"}:
        np.testing.assert_array_equal(p1[key], p2[key])
    for a, b in zip(X1 + p1["states"], X2 + p2["states"], strict=True):
        np.testing.assert_array_equal(a, b)
    _, p3 = make_hmm_sequences(20, emission=emission, random_state=43)
    assert not np.array_equal(p1["transmat"], p3["transmat"])
    # The model is drawn first: it depends on the seed alone.
    _, p4 = make_hmm_sequences(3, emission=emission, length=2, random_state=42)
    for key in p1.keys() - {"states", "lengths"}:
        np.testing.assert_array_equal(p1[key], p4[key])


def test_random_state_instance_and_none():
    rng = np.random.RandomState(0)
    X1, _ = make_hmm_sequences(5, random_state=rng)
    X2, _ = make_hmm_sequences(5, random_state=rng)
    assert any(
        a.shape != b.shape or not np.array_equal(a, b)
        for a, b in zip(X1, X2, strict=True)
    )
    _, p1 = make_hmm_sequences(5, random_state=None)
    _, p2 = make_hmm_sequences(5, random_state=None)
    assert not np.array_equal(p1["transmat"], p2["transmat"])


def test_does_not_touch_global_generator():
    # The legacy global generator is what random_state=None would draw from.
    state = np.random.get_state()  # noqa: NPY002
    make_hmm_sequences(5, random_state=0)
    after = np.random.get_state()  # noqa: NPY002
    assert state[0] == after[0]
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2:] == after[2:]


# ------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_sequences": 0}, "'n_sequences' parameter .* Got 0"),
        ({"n_components": 0}, "'n_components' parameter .* Got 0"),
        ({"emission": "normal"}, "'emission' parameter .* Got 'normal'"),
        ({"n_features": 0}, "'n_features' parameter .* Got 0"),
        ({"n_symbols": 0}, "'n_symbols' parameter .* Got 0"),
        ({"length": -1}, "'length' parameter .* Got -1"),
        ({"length": (5, 2)}, r"0 <= min <= max; got \(5, 2\)"),
        ({"length": (1, 2, 3)}, r"got \(1, 2, 3\)"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_hmm_sequences(**kwargs)


# ------------------------------------------------------- the truth holds


@pytest.mark.parametrize("emission", EMISSIONS)
def test_state_frequencies_match_the_chain(emission):
    n_states = 4
    _, params = make_hmm_sequences(
        600,
        n_components=n_states,
        emission=emission,
        length=(20, 40),
        random_state=7,
    )
    states = params["states"]
    starts = np.bincount([z[0] for z in states], minlength=n_states)
    p_start = _pooled_chisquare(starts, len(states) * params["startprob"])
    assert p_start > 1e-3
    pairs = np.concatenate([z[:-1] * n_states + z[1:] for z in states])
    counts = np.bincount(pairs, minlength=n_states**2).reshape(n_states, n_states)
    for i in range(n_states):
        expected = counts[i].sum() * params["transmat"][i]
        assert _pooled_chisquare(counts[i], expected) > 1e-3, i


def test_gaussian_emissions_match_their_state():
    X, params = make_hmm_sequences(
        300, n_components=3, n_features=2, length=(20, 40), random_state=3
    )
    frames = np.concatenate(X)
    states = np.concatenate(params["states"])
    for k in range(3):
        x = frames[states == k]
        n = x.shape[0]
        assert n > 500
        var = params["covars"][k]
        # Mean within 5 standard errors, variance within 10%.
        se = np.sqrt(var / n)
        assert np.all(np.abs(x.mean(axis=0) - params["means"][k]) < 5 * se)
        np.testing.assert_allclose(x.var(axis=0, ddof=1), var, rtol=0.1)
        # Each coordinate is normal (no shift, no scale error).
        for f in range(2):
            z = (x[:, f] - params["means"][k, f]) / np.sqrt(var[f])
            assert stats.kstest(z, "norm").pvalue > 1e-3


def test_categorical_emissions_match_their_state():
    X, params = make_hmm_sequences(
        300,
        n_components=3,
        emission="categorical",
        n_symbols=5,
        length=(20, 40),
        random_state=3,
    )
    frames = np.concatenate(X)
    states = np.concatenate(params["states"])
    for k in range(3):
        counts = np.bincount(frames[states == k], minlength=5)
        expected = counts.sum() * params["emissionprob"][k]
        assert _pooled_chisquare(counts, expected) > 1e-3, k


def test_poisson_emissions_match_their_state():
    X, params = make_hmm_sequences(
        300,
        n_components=3,
        emission="poisson",
        n_features=2,
        length=(20, 40),
        random_state=3,
    )
    frames = np.concatenate(X)
    states = np.concatenate(params["states"])
    for k in range(3):
        x = frames[states == k]
        lam = params["lambdas"][k]
        se = np.sqrt(lam / x.shape[0])
        assert np.all(np.abs(x.mean(axis=0) - lam) < 5 * se)
        # Poisson: variance equals the mean.
        np.testing.assert_allclose(x.var(axis=0, ddof=1), lam, rtol=0.15)
