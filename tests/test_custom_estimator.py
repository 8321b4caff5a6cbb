"""A user's own generative estimator on skgen's public base classes.

It implements only its maths: fit its parameters, the log-density of each
class, one batch of draws of one class. Validation of ``sample``'s
arguments, seeding, conditional sampling with ``y`` and Bayes-rule
classification come from the base, and it passes the public checks.
"""

from numbers import Real
from typing import ClassVar

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.model_selection import cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen import GenerativeClassifier
from skgen.base import GenerativeClassifierMixin, GenerativeMixin, fit_atomically
from skgen.utils.estimator_checks import check_generative_estimator


class DiagonalGaussian(GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """One Gaussian with a diagonal covariance per class (or for all data)."""

    _parameter_constraints: ClassVar[dict] = {
        "var_smoothing": [Interval(Real, 0, None, closed="left")]
    }

    def __init__(self, var_smoothing=1e-3):
        self.var_smoothing = var_smoothing

    @fit_atomically  # a failed fit leaves a fitted model as it was
    def fit(self, X, y=None):
        self._validate_params()
        X = validate_data(self, X)
        y_index = self._fit_class_labels(y, X.shape[0])  # classes_, priors
        groups = (
            [X] if y is None else [X[y_index == k] for k in range(len(self.classes_))]
        )
        self.means_ = np.array([g.mean(axis=0) for g in groups])
        self.vars_ = np.array([g.var(axis=0) for g in groups]) + self.var_smoothing
        return self

    def _class_log_likelihood(self, X):
        """log p(x | class k), shape (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        sq = (X[:, None, :] - self.means_) ** 2 / self.vars_
        return -0.5 * (sq + np.log(2 * np.pi * self.vars_)).sum(axis=-1)

    def score_samples(self, X, y=None):
        if self._fitted_with_y:  # joint with y, marginal without
            return self._score_samples_with_labels(X, y)
        self._check_no_labels(y)
        return self._class_log_likelihood(X)[:, 0]

    def _sample_class(self, n_samples, class_index, rng):
        """One batch of draws of one class (None: fitted without y)."""
        k = 0 if class_index is None else class_index
        noise = rng.standard_normal((n_samples, self.means_.shape[1]))
        return self.means_[k] + np.sqrt(self.vars_[k]) * noise


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(size=(40, 3)), rng.normal(size=(40, 3)) + 2])
    return X, np.repeat(["a", "b"], 40)


def test_passes_the_generative_checks():
    check_generative_estimator(DiagonalGaussian())


def test_bayes_rule_from_the_base_matches_gaussian_nb(data):
    X, y = data
    nb = GaussianNB().fit(X, y)
    model = DiagonalGaussian(var_smoothing=nb.epsilon_).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), nb.predict_proba(X), rtol=1e-9)
    np.testing.assert_array_equal(model.predict(X), nb.predict(X))
    joint = nb.predict_joint_log_proba(X)[np.arange(len(y)), (y == "b").astype(int)]
    np.testing.assert_allclose(model.score_samples(X, y), joint, rtol=1e-9)


def test_sampling_comes_from_the_base(data):
    X, y = data
    plain = DiagonalGaussian().fit(X)
    with pytest.raises(ValueError, match="n_samples must be >= 1; got 0"):
        plain.sample(0)
    with pytest.raises(ValueError, match="y was given, but this DiagonalGaussian"):
        plain.sample(3, y="a")
    np.testing.assert_array_equal(
        plain.sample(5, random_state=1), plain.sample(5, random_state=1)
    )
    conditional = DiagonalGaussian().fit(X, y)
    X_b, y_b = conditional.sample(200, y="b", random_state=0)
    assert X_b.shape == (200, 3) and set(y_b) == {"b"}
    np.testing.assert_allclose(X_b.mean(axis=0), X[y == "b"].mean(axis=0), atol=0.3)
    _, y_drawn = conditional.sample(400, random_state=0)
    assert 150 < np.sum(y_drawn == "a") < 250  # training frequencies: 1/2


def test_parameters_are_validated(data):
    X, _ = data
    with pytest.raises(ValueError, match=r"'var_smoothing' parameter .* Got -1"):
        DiagonalGaussian(var_smoothing=-1).fit(X)


def test_model_selection_as_a_classifier(data):
    X, y = data
    scores = cross_val_score(GenerativeClassifier(DiagonalGaussian()), X, y, cv=3)
    assert scores.mean() > 0.8


class _NoMarginal(DiagonalGaussian):
    """Forgets to marginalise: score_samples ignores the classes."""

    def score_samples(self, X, y=None):
        return self._class_log_likelihood(X)[:, 0]


class _IgnoresClass(DiagonalGaussian):
    """Samples class 0 whatever class is asked for."""

    def _sample_class(self, n_samples, class_index, rng):
        return super()._sample_class(n_samples, None, rng)


@pytest.mark.parametrize(
    ("broken", "match"),
    [
        (_NoMarginal(), "score_samples\\(X\\) without y must marginalise"),
        (_IgnoresClass(), "must draw from class"),
    ],
)
def test_the_checks_catch_wrong_conditional_models(broken, match):
    with pytest.raises(AssertionError, match=match):
        check_generative_estimator(broken)
