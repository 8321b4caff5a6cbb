"""The shared generative-classifier and fitting pieces of skgen.base."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from skgen.base import GenerativeClassifierMixin, check_n_samples
from skgen.markov import MarkovChain


class _Fixed(GenerativeClassifierMixin, BaseEstimator):
    """Class log-likelihoods given directly."""

    def __init__(self, ll, prior):
        self.ll = ll
        self.prior = prior

    def fit(self):
        self.classes_ = np.array(["a", "b"])
        self.class_log_prior_ = np.log(self.prior)
        return self

    def _class_log_likelihood(self, X):
        return np.asarray(self.ll, dtype=float)


def test_posteriors_are_stable_for_huge_log_likelihoods():
    clf = _Fixed([[-1e12, -1e12 - 1.0], [-3.0, -1e300]], [0.5, 0.5]).fit()
    proba = clf.predict_proba(None)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(proba[0], [1 / (1 + np.exp(-1)), 1 / (1 + np.e)])
    np.testing.assert_array_equal(clf.predict(None), ["a", "a"])


def test_zero_likelihood_under_every_class_is_an_error():
    clf = _Fixed([[-np.inf, -np.inf], [0.0, -1.0]], [0.5, 0.5]).fit()
    with pytest.raises(ValueError, match=r"Sample\(s\) \[0\] have zero likelihood"):
        clf.predict_proba(None)


@pytest.mark.parametrize(
    ("y", "match"),
    [
        ([0, "a", 1], "Mix of label input types"),
        ([0, 1], "one label per sample \\(3\\); got 2"),
        ([0.5, 1.5, 2.5], "Unknown label type"),
    ],
)
def test_training_labels_are_checked(y, match):
    with pytest.raises(ValueError, match=match):
        MarkovChain().fit([[0], [1], [2]], y)


def test_partial_fit_labels_keep_their_type():
    mc = MarkovChain().partial_fit([[0], [1]], [0, 1])
    with pytest.raises(ValueError, match="Mix of label input types"):
        mc.partial_fit([[0], [1]], ["a", "b"])
    np.testing.assert_array_equal(mc.classes_, [0, 1])  # nothing lost


def test_failed_fit_keeps_the_fitted_model():
    mc = MarkovChain().fit([[0, 1, 0, 1], [1, 0, 1]])
    expected = mc.score_samples([[0, 1]])
    with pytest.raises(ValueError, match=">= 0; got -1"):
        mc.fit([[0, -1]])
    with pytest.raises(ValueError, match="one label per sample"):
        mc.fit([[5, 6]], y=[0, 1])
    np.testing.assert_array_equal(mc.score_samples([[0, 1]]), expected)


@pytest.mark.parametrize(
    ("n", "error", "match"),
    [(0, ValueError, "n_samples must be >= 1; got 0"), (2.0, TypeError, "int >= 1")],
)
def test_check_n_samples(n, error, match):
    with pytest.raises(error, match=match):
        check_n_samples(n)
