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


# ------------------------------------------------ shared contract helpers


@pytest.mark.parametrize(
    ("random_state", "error", "match"),
    [
        (-1, ValueError, r"int in \[0, 2\*\*32 - 1\].*; got -1\."),
        (2**32, ValueError, "; got 4294967296"),
        ("abc", TypeError, "got 'abc' of type str"),
        (True, TypeError, "got True of type bool"),
        (1.5, TypeError, "got 1.5 of type float"),
    ],
)
def test_sample_random_state_is_checked(random_state, error, match):
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    with pytest.raises(error, match=match):
        mc.sample(2, random_state=random_state)


def test_sample_random_state_accepts_ints_generators_and_none():
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    a = mc.sample(5, random_state=np.int64(3))
    b = mc.sample(5, random_state=np.random.RandomState(3))
    assert [s.tolist() for s in a] == [s.tolist() for s in b]
    assert len(mc.sample(5, random_state=None)) == 5


def test_huge_sample_request_fails_before_any_work(monkeypatch):
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    with pytest.raises(ValueError, match=r"sample\(n_samples=10{30}\) would need"):
        mc.sample(10**30)
    called = []
    monkeypatch.setattr(
        MarkovChain, "_bytes_per_sample", lambda self: called.append(1) or 10
    )
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 1000)
    with pytest.raises(
        ValueError, match=r"about 1010 B of memory, more than the 1000 B"
    ):
        MarkovChain().fit([[0, 1]])._check_sample_params(101, 0)
    assert called


def test_format_bytes():
    from skgen.utils._resources import format_bytes

    assert format_bytes(512) == "512 B"
    assert format_bytes(3 * 2**30) == "3.0 GiB"
    assert format_bytes(2**60) == "1024.0 PiB"


def test_unavailable_method_says_why():
    mc = MarkovChain().fit([[0, 1]])
    assert not hasattr(mc, "predict_proba")
    with pytest.raises(AttributeError, match="was fitted without y, so it does not"):
        mc.predict_proba([[0, 1]])
    with pytest.raises(AttributeError, match="not fitted yet"):
        MarkovChain().predict([[0]])


def test_y_given_to_an_unconditional_model():
    mc = MarkovChain().fit([[0, 1]])
    with pytest.raises(ValueError, match="y was given, but this MarkovChain was"):
        mc._check_no_labels([0])


@pytest.mark.parametrize("missing", [np.nan, None])
def test_missing_training_labels_are_named(missing):
    with pytest.raises(ValueError, match=r"missing labels \(NaN or None\) at index"):
        MarkovChain().fit([[0], [1], [0]], [0, missing, 1])


def test_fitted_params_are_recorded_by_a_successful_fit_only():
    mc = MarkovChain(order=1).fit([[0, 1]])
    assert mc._fitted_params == mc.get_params()
    mc.set_params(order=3)
    with pytest.raises(ValueError, match=">= 0; got -1"):
        mc.fit([[0, -1]])
    assert mc._fitted_params["order"] == 1


def test_warnings_are_attributed_to_the_first_frame_outside_skgen():
    import inspect

    from skgen.utils._warnings import warn

    line = inspect.currentframe().f_lineno + 2
    with pytest.warns(UserWarning, match="here") as record:
        warn("here")
    assert record[0].filename == __file__ and record[0].lineno == line
