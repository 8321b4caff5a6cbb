"""The HMMs' public surface: state decoding vs classification, fitted state
only, priors, extreme inputs and bounded requests."""

import numpy as np
import pytest

from skgen.datasets import make_hmm_sequences
from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def data():
    X, _ = make_hmm_sequences(12, n_components=2, length=(5, 12), random_state=0)
    return X


@pytest.fixture(scope="module")
def fitted(data):
    return GaussianHMM(2, max_iter=5, random_state=0).fit(data)


# ------------------------------------------------------ states vs classes


def test_predict_exists_only_for_a_model_fitted_with_y(data, fitted):
    assert not hasattr(fitted, "predict") and not hasattr(fitted, "predict_proba")
    with pytest.raises(AttributeError, match="GaussianHMM was fitted without y"):
        fitted.predict(data)
    with pytest.raises(AttributeError, match="GaussianHMM was fitted without y"):
        fitted.predict_proba(data)
    _, paths = fitted.decode(data)
    states = fitted.predict_states(data)
    for a, b in zip(states, paths, strict=True):
        np.testing.assert_array_equal(a, b)
    posteriors = fitted.predict_state_proba(data)
    assert [p.shape for p in posteriors] == [(len(x), 2) for x in data]
    np.testing.assert_allclose([p.sum(axis=1) for p in posteriors[:1]], 1.0)

    clf = GaussianHMM(2, max_iter=5, random_state=0).fit(data, [0, 1] * 6)
    assert hasattr(clf, "predict") and hasattr(clf, "predict_proba")
    assert clf.predict(data).shape == (12,)
    for method in ("predict_states", "predict_state_proba", "decode"):
        with pytest.raises(AttributeError, match="needs a model fitted without y"):
            getattr(clf, method)(data)


def test_y_given_to_an_unconditional_model(fitted):
    with pytest.raises(
        ValueError, match="y was given, but this GaussianHMM was fitted without y"
    ):
        fitted.sample(2, y=0)


# ------------------------------------------------------ fitted state only


def _outputs(est, X):
    samples = est.sample(4, random_state=0)
    return est.score_samples(X), samples, est.predict_state_proba(X)


def _assert_same(a, b):
    np.testing.assert_array_equal(a[0], b[0])
    for x, y in zip(a[1], b[1], strict=True):
        np.testing.assert_array_equal(x, y)
    for x, y in zip(a[2], b[2], strict=True):
        np.testing.assert_array_equal(x, y)


def test_set_params_after_fit_changes_nothing_gaussian(data):
    est = GaussianHMM(2, max_iter=5, random_state=0).fit(data)
    before = _outputs(est, data)
    est.set_params(
        n_components=3,
        covariance_type="full",
        min_covar=0.5,
        startprob_prior=2.0,
        transmat_prior=2.0,
        means_prior=1.0,
        means_weight=1.0,
        covars_prior=1.0,
        covars_weight=2.0,
        max_iter=1,
        tol=5.0,
        n_init=2,
        init_params="st",
        params="st",
        warm_start=True,
        random_state=7,
        verbose=0,
    )
    _assert_same(_outputs(est, data), before)


def test_set_params_after_fit_changes_nothing_categorical():
    X = [[0, 0, 1, 0, 7, 7, 7, 8], [7, 8, 7, 0, 1, 0]]
    test = [[0, 1, 99], [7, 7]]  # 99 was never seen: smoothed
    est = CategoricalHMM(2, unknown_symbol_proba=0.01, max_iter=5, random_state=0)
    est.fit(X)
    before = _outputs(est, test)
    est.set_params(
        n_components=3,
        unknown_symbol_proba=None,
        emissionprob_prior=2.0,
        startprob_prior=3.0,
        random_state=1,
    )
    _assert_same(_outputs(est, test), before)


# ----------------------------------------------------------------- priors


def test_priors_as_lists_are_arrays(data):
    ref = GaussianHMM(2, max_iter=5, random_state=0).fit(data)
    for params in (
        {"startprob_prior": [1.0, 1.0]},
        {"transmat_prior": [[1.0, 1.0], [1.0, 1.0]]},
        {"means_prior": [0.0], "means_weight": [0.0, 0.0]},
    ):
        est = GaussianHMM(2, max_iter=5, random_state=0, **params).fit(data)
        np.testing.assert_allclose(est.score_samples(data), ref.score_samples(data))
    X = [[0, 0, 1, 0, 2], [2, 1, 0]]
    a = CategoricalHMM(2, emissionprob_prior=[[1.0] * 3] * 2, random_state=0).fit(X)
    b = CategoricalHMM(2, random_state=0).fit(X)
    np.testing.assert_allclose(a.score_samples(X), b.score_samples(X))
    # a real prior changes the fit, as an array would
    c = CategoricalHMM(2, emissionprob_prior=[2.0, 1.0, 1.0], random_state=0).fit(X)
    d = CategoricalHMM(2, emissionprob_prior=np.array([2.0, 1, 1]), random_state=0)
    np.testing.assert_allclose(c.score_samples(X), d.fit(X).score_samples(X))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"startprob_prior": [1.0, 1.0, 1.0]},
            r"startprob_prior must be .* of "
            r"shape \(2,\); got shape \(3,\)",
        ),
        (
            {"transmat_prior": [[1.0, -1.0], [1.0, 1.0]]},
            "transmat_prior must be > 0 and finite; got -1.0",
        ),
        ({"startprob_prior": ["a", "b"]}, "startprob_prior must be a float or"),
        ({"means_prior": np.inf}, "means_prior must be finite; got inf"),
        ({"covars_prior": np.nan}, "covars_prior must be >= 0 and finite; got nan"),
    ],
)
def test_bad_priors_are_named(data, params, match):
    est = GaussianHMM(2, max_iter=5, random_state=0).fit(data)
    before = est.score_samples(data)
    with pytest.raises((ValueError, TypeError), match=match):
        est.set_params(**params).fit(data)
    np.testing.assert_array_equal(est.score_samples(data), before)  # lost nothing


def test_bad_emission_priors_are_named():
    with pytest.raises(ValueError, match=r"emissionprob_prior must be .* \(2, 3\)"):
        CategoricalHMM(2, emissionprob_prior=[1.0, 1.0]).fit([[0, 1, 2, 1]])
    with pytest.raises(ValueError, match="weights_prior must be > 0"):
        GMMHMM(2, n_mix=2, weights_prior=[0.0, 1.0]).fit([np.ones((6, 1))])
    with pytest.raises(ValueError, match="lambdas_prior must be >= 0 and finite"):
        PoissonHMM(2, lambdas_prior=np.inf).fit([np.ones((6, 1), dtype=int)])


# ---------------------------------------------------------- extreme data


@pytest.mark.parametrize("count", [1e300, 2**63 - 1])
def test_poisson_counts_too_large_to_model(count):
    X = [np.array([[count], [1.0], [3.0]]), np.array([[2.0], [5.0]])]
    with pytest.raises(ValueError, match=r"counts <= 2\*\*53 = 9007199254740992"):
        PoissonHMM(2).fit(X)


@pytest.mark.parametrize("Model", [GaussianHMM, GMMHMM])
def test_gaussian_data_too_large_to_square(data, Model):
    with pytest.raises(ValueError, match=r"X holds values up to .*e\+300 in magnitude"):
        Model(2, covariance_type="full").fit([x * 1e300 for x in data])
    tiny = [x * 1e-300 for x in data]  # squares underflow: the floor holds
    est = Model(2, covariance_type="full", max_iter=5, random_state=0).fit(tiny)
    assert np.all(np.isfinite(est.score_samples(tiny)))


# ---------------------------------------------------------- bounded requests


def test_sample_request_too_large_fails_before_allocating(fitted, monkeypatch):
    with pytest.raises(ValueError, match=r"sample\(n_samples=1000000000\) would need"):
        fitted.sample(10**9)
    with pytest.raises(ValueError, match=r"length=\.\.\.\) of 10000000000000 steps"):
        fitted.sample(10, length=10**12)
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 10**6)
    per_sample = fitted._bytes_per_sample()
    # a sequence of frames of two floats: at least its output
    assert per_sample > 16 * fitted.training_lengths_.mean()
    n = int(10**6 / per_sample)
    assert len(fitted.sample(n, random_state=0)) == n
    with pytest.raises(ValueError, match=rf"sample\(n_samples={n + 1}\) would need"):
        fitted.sample(n + 1)
    with pytest.raises(ValueError, match=r"length=\.\.\.\)") as info:
        fitted.sample(2, length=10**5)
    assert "200000 steps" in str(info.value)


def test_a_class_with_fewer_steps_than_states_is_named():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(30, 2)) for _ in range(4)] + [rng.normal(size=(2, 2))]
    with pytest.raises(ValueError, match="in every class; class 1 has 2"):
        GaussianHMM(3, random_state=0).fit(X, [0, 0, 0, 0, 1])


def test_state_posteriors_of_an_impossible_sequence_are_an_error():
    rng = np.random.RandomState(0)
    hmm = GaussianHMM(2, max_iter=5, random_state=0).fit(
        [rng.normal(size=(10, 2)) for _ in range(5)]
    )
    with pytest.raises(ValueError, match=r"Sequence\(s\) \[0\] have zero likelihood"):
        hmm.predict_state_proba([np.array([[1e300, 0.0]])])
    proba = hmm.predict_state_proba([rng.normal(size=(4, 2))])[0]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("est", "match"),
    [
        (PoissonHMM(2, lambdas_prior=-100.0), "lambdas_prior must be >= 0"),
        (PoissonHMM(2, lambdas_weight=-1.0), "lambdas_weight must be >= 0"),
        (GaussianHMM(2, covars_prior=-1.0), "covars_prior must be >= 0"),
        (GaussianHMM(2, means_weight=[-1.0, 1.0]), "means_weight must be >= 0"),
    ],
)
def test_negative_prior_weights_and_rates_are_refused(est, match):
    rng = np.random.RandomState(0)
    X = [rng.poisson(3, size=(10, 2)) for _ in range(4)]
    with pytest.raises(ValueError, match=match):
        est.fit(X)
