"""The leaderboard's datasets, and the held-out likelihood it reports."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA, FactorAnalysis
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import KFold
from sklearn.neighbors import KernelDensity

from skgen.leaderboard import Dataset, digits_data, evaluate
from skgen.utils._sampling import sample_from


def test_digits_data_is_dequantized_and_seeded():
    X = digits_data(random_state=1)
    assert X.shape == (1797, 64)
    assert np.all((X >= 0) & (X < 17)) and np.all(X.std(axis=0) > 0)
    np.testing.assert_array_equal(np.floor(X), load_digits().data)
    np.testing.assert_array_equal(X, digits_data(random_state=1))
    assert not np.array_equal(X, digits_data(random_state=2))
    assert digits_data(n_rows=50).shape == (50, 64)


def test_held_out_likelihood_is_a_mean_per_sample():
    # KernelDensity.score is a sum: the leaderboard must use score_samples
    X = digits_data(n_rows=60)
    dataset = Dataset("digits", X, lambda model, X: X.size, str)
    kde = KernelDensity(bandwidth=2.0)
    (result,) = evaluate([("kde", kde)], dataset, n_splits=3)
    folds = KFold(3, shuffle=True, random_state=0).split(X)
    ll = np.concatenate([clone(kde).fit(X[a]).score_samples(X[b]) for a, b in folds])
    assert result.mean == pytest.approx(ll.mean())
    assert result.nats_per_token == pytest.approx(-ll.sum() / X.size)
    assert result.likelihood_kind == "exact"


@pytest.mark.parametrize(
    "model",
    [GaussianMixture(2), PCA(3), FactorAnalysis(3), KernelDensity()],
    ids=lambda m: type(m).__name__,
)
def test_every_digits_model_samples_rows(model):
    X = digits_data(n_rows=80)
    model.fit(X)
    (a, _), (b, _) = (
        sample_from(model, 4, random_state=0),
        sample_from(model, 4, random_state=0),
    )
    assert a.shape == (4, 64)
    np.testing.assert_array_equal(a, b)


def test_sequence_options_are_checked_before_any_work():
    from skgen.datasets import make_hmm_sequences, make_markov_sequences
    from skgen.leaderboard import LeaderboardOptionError, run

    with pytest.raises(ValueError, match=r"make_hmm_sequences\(n_sequences=10+\)"):
        run("sequences", n_sequences=10**9)
    with pytest.raises(ValueError, match="would need about"):
        make_hmm_sequences(10**9)
    with pytest.raises(ValueError, match=r"make_markov_sequences\(n_sequences="):
        make_markov_sequences(10**9, length=10**4)
    with pytest.raises(LeaderboardOptionError, match="state counts >= 1; got 0"):
        run("sequences", hmm_states=(0,), n_sequences=20)
