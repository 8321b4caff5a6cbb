"""The shared likelihood estimate of samplers (likelihood_kind="estimate")."""

import pickle
import warnings

import numpy as np
import pytest
from scipy.stats import multivariate_normal
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from skgen._estimate import BANDWIDTH_FACTORS, EstimatedLikelihoodMixin
from skgen.base import (
    GenerativeClassifierMixin,
    GenerativeMixin,
    fit_atomically,
    get_generative_tags,
)
from skgen.utils.estimator_checks import check_generative_estimator

MEAN = np.array([1.0, -2.0])
COV = np.array([[1.0, 0.6], [0.6, 2.0]])


class _GaussianSampler(EstimatedLikelihoodMixin, GenerativeMixin, BaseEstimator):
    """Samples a full-covariance Gaussian; its likelihood only estimated.

    The true density of the fitted model is known (``mean_``, ``cov_``), so
    the estimate can be compared with it.
    """

    def __init__(self, n_generated=2000, held_out=0.2, random_state=None):
        self.n_generated = n_generated
        self.held_out = held_out
        self.random_state = random_state

    @fit_atomically
    def fit(self, X, y=None):
        X = validate_data(self, X)
        rng = check_random_state(self.random_state)
        train, held = self._split_held_out(X.shape[0], self.held_out, rng)
        self.mean_ = X[train].mean(axis=0)
        self.cov_ = np.cov(X[train].T) + 1e-6 * np.eye(X.shape[1])
        self._fit_likelihood_estimate(
            X[held], n_generated=self.n_generated, random_state=rng
        )
        return self

    def _sample_class(self, n_samples, class_index, rng):
        return rng.multivariate_normal(self.mean_, self.cov_, size=n_samples)

    def true_log_density(self, X):
        return multivariate_normal(self.mean_, self.cov_).logpdf(X)


class _ClassGaussianSampler(
    EstimatedLikelihoodMixin, GenerativeClassifierMixin, GenerativeMixin, BaseEstimator
):
    """One diagonal Gaussian per class, sampled; likelihood estimated."""

    def __init__(self, n_generated=500, random_state=None):
        self.n_generated = n_generated
        self.random_state = random_state

    @fit_atomically
    def fit(self, X, y=None):
        X = validate_data(self, X)
        rng = check_random_state(self.random_state)
        train, held = self._split_held_out(X.shape[0], 0.2, rng)
        y_index = self._fit_class_labels(y, X.shape[0])
        groups = (
            [train]
            if y is None
            else [train[y_index[train] == k] for k in range(len(self.classes_))]
        )
        self.means_ = np.array([X[g].mean(axis=0) for g in groups])
        self.stds_ = np.array([X[g].std(axis=0) + 1e-3 for g in groups])
        self._fit_likelihood_estimate(
            X[held],
            None if y is None else np.asarray(y)[held],
            n_generated=self.n_generated,
            random_state=rng,
        )
        return self

    def _sample_class(self, n_samples, class_index, rng):
        k = 0 if class_index is None else class_index
        return self.means_[k] + self.stds_[k] * rng.standard_normal(
            (n_samples, self.means_.shape[1])
        )


def _gaussian_data(n, seed=0):
    return np.random.RandomState(seed).multivariate_normal(MEAN, COV, size=n)


def _error(n_generated):
    """Mean absolute error of the estimate on held-out points, in nats."""
    X = _gaussian_data(2000)
    est = _GaussianSampler(n_generated=n_generated, random_state=0).fit(X)
    X_test = _gaussian_data(500, seed=1)
    return np.mean(np.abs(est.score_samples(X_test) - est.true_log_density(X_test)))


def test_estimate_approaches_the_true_log_density():
    errors = [_error(n) for n in (100, 1000, 10000)]
    # measured: 0.25, 0.11, 0.06 nats
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.1


def test_estimate_of_a_scaled_gaussian_keeps_the_jacobian():
    # the same Gaussian in units 1000 times larger: log-densities shift by
    # exactly -2 * log(1000), which the standardisation's Jacobian restores
    X = _gaussian_data(1000)
    small = _GaussianSampler(n_generated=1000, random_state=0).fit(X)
    large = _GaussianSampler(n_generated=1000, random_state=0).fit(X * 1000)
    X_test = _gaussian_data(50, seed=1)
    np.testing.assert_allclose(
        large.score_samples(X_test * 1000),
        small.score_samples(X_test) - 2 * np.log(1000),
        rtol=1e-6,
    )
    np.testing.assert_allclose(large.estimate_bandwidth_, small.estimate_bandwidth_)


def test_bandwidth_is_chosen_on_rows_kept_aside():
    X = _gaussian_data(500)
    est = _GaussianSampler(n_generated=500, random_state=0).fit(X)
    scott = 500 ** (-1 / 6)
    assert np.isclose(est.estimate_bandwidth_, scott * BANDWIDTH_FACTORS).any()
    none_kept = _GaussianSampler(n_generated=500, held_out=0.0, random_state=0)
    assert none_kept.fit(X).estimate_bandwidth_ == pytest.approx(scott)


def test_fitted_once_per_fit_and_deterministic():
    X = _gaussian_data(300)
    est = _GaussianSampler(n_generated=300, random_state=0).fit(X)
    first = est.score_samples(X)
    np.testing.assert_array_equal(est.score_samples(X), first)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(est)).score_samples(X), first
    )
    again = _GaussianSampler(n_generated=300, random_state=0).fit(X)
    np.testing.assert_array_equal(again.score_samples(X), first)


def test_score_warns_once_per_fit_naming_the_scorer():
    X = _gaussian_data(200)
    est = _GaussianSampler(n_generated=200, random_state=0).fit(X)
    with pytest.warns(UserWarning, match="make_generative_scorer") as record:
        score = est.score(X)
    assert len(record) == 1 and "is an estimate" in str(record[0].message)
    assert record[0].filename == __file__  # the user's line, not skgen's
    assert score == pytest.approx(est.score_samples(X).mean())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.score(X)  # once per fit
        clone(est).fit(X).score_samples(X)  # score_samples never warns
    with pytest.warns(UserWarning, match="make_generative_scorer"):
        est.fit(X).score(X)  # a new fit warns again


def test_kind_and_likelihood_kind_tell_estimates_apart():
    tags = get_generative_tags(_GaussianSampler())
    assert tags.kind == "sampler" and tags.likelihood_kind == "estimate"
    assert _GaussianSampler.likelihood_kind == "estimate"


def test_samplers_pass_the_sampler_checks():
    check_generative_estimator(_GaussianSampler(n_generated=200, random_state=0))
    check_generative_estimator(_ClassGaussianSampler(n_generated=100, random_state=0))


def test_conditional_estimate_classifies_by_bayes_rule():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(200, 2)), rng.normal(size=(200, 2)) + 4])
    y = np.repeat(["a", "b"], 200)
    est = _ClassGaussianSampler(n_generated=500, random_state=0).fit(X, y)
    assert np.mean(est.predict(X) == y) > 0.95
    joint = est.score_samples(X, y)
    assert np.all(joint <= est.score_samples(X) + 1e-12)


def test_only_tabular_models_are_estimated():
    class _Sequences(_GaussianSampler):
        _representation = "token_sequences"

    with pytest.raises(ValueError, match=r"needs tabular data.*'token_sequences'"):
        _Sequences(n_generated=10).fit(_gaussian_data(20))


def test_n_generated_is_checked():
    with pytest.raises(ValueError, match="n_generated must be >= 1; got 0"):
        _GaussianSampler(n_generated=0).fit(_gaussian_data(20))


class _SilentScore(_GaussianSampler):
    def score(self, X, y=None):
        return float(np.mean(self.score_samples(X)))


class _AlwaysWarns(_GaussianSampler):
    def score(self, X, y=None):
        warnings.warn("an estimate; see make_generative_scorer", stacklevel=2)
        return float(np.mean(self.score_samples(X)))


@pytest.mark.parametrize(
    ("estimator", "match"),
    [
        (_SilentScore(n_generated=100), "score must warn that it is an estimate"),
        (_AlwaysWarns(n_generated=100), "score must warn once per fit"),
    ],
)
@pytest.mark.filterwarnings("ignore:an estimate; see")
def test_broken_samplers_fail(estimator, match):
    with pytest.raises(AssertionError, match=match):
        check_generative_estimator(estimator)
