"""Requests too large for memory fail at once; labels of mixed types are refused."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.mixture import GaussianMixture

from skgen.augment import AugmentedClassifier, AugmentedRegressor, GenerativeResampler

#: 1 MB of memory: enough for the small fits, not for the large requests.
SMALL_MEMORY = 10**6


class CountingMixture(GaussianMixture):
    """A GaussianMixture that counts its fits, shared across clones."""

    fits: list = []  # noqa: RUF012

    def fit(self, X, y=None):
        CountingMixture.fits.append(X.shape)
        return super().fit(X, y)


@pytest.fixture
def data():
    CountingMixture.fits.clear()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    return X, y


@pytest.fixture
def small_memory(monkeypatch):
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: SMALL_MEMORY)


def _fitted_state(model, X):
    return sorted(vars(model)), model.predict(X)


def test_regressor_refuses_rows_that_cannot_fit(data, small_memory):
    X, y = data
    reg = AugmentedRegressor(
        Ridge(), CountingMixture(1), n_synthetic=10, random_state=0
    )
    reg.fit(X, y.astype(float))
    CountingMixture.fits.clear()
    before = _fitted_state(reg, X)
    # 10**5 rows of 3 features and a target: 3.2 MB generated, 3.2 MB copied
    reg.set_params(n_synthetic=10**5)
    with pytest.raises(
        ValueError,
        match=r"AugmentedRegressor: 100000 synthetic rows of 4 columns added to "
        r"40 rows would need about 6.1 MiB of memory, more than the 976.6 KiB "
        r"available",
    ):
        reg.fit(X, y.astype(float))
    assert CountingMixture.fits == []  # refused before fitting the generator
    names, predictions = _fitted_state(reg, X)
    assert names == before[0]
    np.testing.assert_array_equal(predictions, before[1])
    assert reg.n_synthetic_ == 10


def test_regressor_float_n_synthetic_of_a_billion(data):
    # a fraction of 1e9: 4e10 rows, refused whatever the machine
    X, y = data
    reg = AugmentedRegressor(Ridge(), CountingMixture(1), n_synthetic=1e9)
    with pytest.raises(ValueError, match=r"40000000000 synthetic rows of 4 columns"):
        reg.fit(X, y.astype(float))
    assert CountingMixture.fits == []


def test_classifier_refuses_rows_that_cannot_fit(data, small_memory):
    X, y = data
    clf = AugmentedClassifier(
        LogisticRegression(), CountingMixture(1), n_synthetic=5, conditional=False
    ).fit(X, y)
    CountingMixture.fits.clear()
    before = _fitted_state(clf, X)
    clf.set_params(n_synthetic=10**5)
    with pytest.raises(
        ValueError,
        match=r"AugmentedClassifier: 200000 synthetic rows of 3 columns added to "
        r"40 rows would need about 10.7 MiB",
    ):
        clf.fit(X, y)
    assert CountingMixture.fits == []
    names, predictions = _fitted_state(clf, X)
    assert names == before[0]
    np.testing.assert_array_equal(predictions, before[1])
    assert clf.n_synthetic_ == 10


def test_classifier_huge_int_n_synthetic(data):
    X, y = data
    clf = AugmentedClassifier(
        LogisticRegression(), CountingMixture(1), n_synthetic=10**30
    )
    with pytest.raises(ValueError, match=r"2000000000000000000000000000000 synthetic"):
        clf.fit(X, y)
    assert CountingMixture.fits == []


def test_resampler_strategy_of_ten_billion_rows(data):
    # built a 74 GiB array before: now refused before any generator is fitted
    X, y = data
    sampler = GenerativeResampler(
        CountingMixture(1), sampling_strategy={1: 10**10}, conditional=False
    )
    with pytest.raises(
        ValueError,
        match=r"GenerativeResampler: 9999999990 synthetic rows of 3 columns added "
        r"to 40 rows would need about 521.5 GiB of memory",
    ):
        sampler.fit_resample(X, y)
    assert CountingMixture.fits == []
    assert not hasattr(sampler, "sampling_strategy_")
    # beyond int64, where imbalanced-learn's counts overflowed
    sampler.set_params(sampling_strategy={1: 10**30})
    with pytest.raises(
        ValueError,
        match=r"sampling_strategy asks for more rows than an int64 can count "
        r"\(2\*\*63 - 1\); got \{1: 10{30}\}",
    ):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize(
    "make",
    [
        lambda: (
            AugmentedClassifier(
                LogisticRegression(), GaussianMixture(1), conditional=False
            ).fit
        ),
        lambda: GenerativeResampler(GaussianMixture(1), conditional=False).fit_resample,
    ],
    ids=["AugmentedClassifier", "GenerativeResampler"],
)
def test_mixed_label_types_are_refused(data, make):
    # a list [1, "a", ...] became strings and was accepted: predictions of "1"
    X, _ = data
    with pytest.raises(
        ValueError, match=r"Mix of label input types \(string and number\)"
    ):
        make()(X, [1, "a"] * 20)
    with pytest.raises(ValueError, match="Unknown label type"):
        make()(X, np.array([1, "a"] * 20, dtype=object))


class _NaNSampler:
    """A generator that fits but samples NaN rows."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def sample(self, n_samples=1, random_state=None):
        return np.full((n_samples, self.n_features_in_), np.nan)

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


def test_generated_nan_rows_blame_the_generator():
    from skgen.augment import GenerativeResampler

    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(60, 3)), np.array([0] * 45 + [1] * 15)
    with pytest.raises(ValueError, match=r"returned 30 row\(s\) with NaN"):
        GenerativeResampler(_NaNSampler(), conditional=False).fit_resample(X, y)
