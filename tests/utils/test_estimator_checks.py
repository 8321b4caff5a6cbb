"""The generative checks catch estimators that break the contract."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import GenerativeMixin
from skgen.markov import MarkovChain
from skgen.utils.estimator_checks import check_generative_estimator


class _Gaussian(GenerativeMixin, BaseEstimator):
    """A correct diagonal Gaussian, the base of the broken variants."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.mean_, self.var_ = X.mean(0), X.var(0) + 1e-3
        return self

    def score_samples(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return -0.5 * (
            ((X - self.mean_) ** 2 / self.var_) + np.log(2 * np.pi * self.var_)
        ).sum(1)

    def sample(self, n_samples=1, *, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        return self.mean_ + np.sqrt(self.var_) * rng.standard_normal(
            (n_samples, len(self.mean_))
        )


class _SumScore(_Gaussian):
    def score(self, X, y=None):
        return float(self.score_samples(X).sum())


class _GlobalSeed(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        n_samples, _ = self._check_sample_params(n_samples, random_state)
        rng = check_random_state(0)
        return self.mean_ + np.sqrt(self.var_) * rng.standard_normal(
            (n_samples, len(self.mean_))
        )


class _MutatingSample(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        out = super().sample(n_samples, random_state=random_state)
        self.n_draws_ = getattr(self, "n_draws_", 0) + n_samples
        return out


class _AcceptsNaN(_Gaussian):
    def fit(self, X, y=None):
        X = validate_data(self, X, ensure_all_finite=False)
        self.mean_, self.var_ = np.nanmean(X, 0), np.nanvar(X, 0) + 1e-3
        return self


class _ForgetsOnBadFit(_Gaussian):
    def fit(self, X, y=None):
        self.__dict__.pop("mean_", None)  # state dropped before validation
        return super().fit(X, y)


class _NoSampleCheck(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        check_is_fitted(self)
        rng = check_random_state(random_state)
        return self.mean_ + rng.standard_normal((max(n_samples, 0), len(self.mean_)))


def test_a_correct_estimator_passes():
    check_generative_estimator(_Gaussian())


@pytest.mark.parametrize(
    ("estimator", "match"),
    [
        (_SumScore(), "check_score_samples"),
        (_GlobalSeed(), "random_state=None must give fresh draws"),
        (_MutatingSample(), "sample must not change the model"),
        (_AcceptsNaN(), "fit accepted bad input: NaN"),
        (_NoSampleCheck(), r"sample\(0\) must raise ValueError"),
        (_ForgetsOnBadFit(), "a rejected input changed the model"),
    ],
)
def test_broken_estimators_fail(estimator, match):
    with pytest.raises(AssertionError, match=match):
        check_generative_estimator(estimator)


def test_sequence_model_passes_with_and_without_labels():
    check_generative_estimator(MarkovChain(order=1))
