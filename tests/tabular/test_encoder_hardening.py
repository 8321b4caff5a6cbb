"""TabularEncoder under failed fits, set_params, extreme magnitudes, bad input."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from skgen.tabular import TabularEncoder


@pytest.fixture
def df():
    rng = np.random.default_rng(0)
    n = 40
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n),
            "income": rng.lognormal(10, 1, size=n),
            "color": pd.Categorical(
                np.array(["red", "green", "blue"])[np.arange(n) % 3]
            ),
            "smoker": np.arange(n) % 2 == 0,
        }
    )


def _fitted_state(enc):
    return pickle.dumps(enc.__dict__)


# ---------------------------------------------------------------- atomic fit


@pytest.mark.parametrize("bad", ["nan", "datetime", "complex"])
def test_failed_refit_leaves_the_encoder_as_it_was(df, bad):
    enc = TabularEncoder().fit(df)
    before, Xt = _fitted_state(enc), enc.transform(df)
    other = pd.DataFrame({"x": np.arange(5.0), "y": np.arange(5.0)})
    if bad == "nan":
        other.loc[2, "y"] = np.nan
    elif bad == "datetime":
        other["y"] = pd.date_range("2020-01-01", periods=5)
    else:
        other["y"] = other["y"] + 1j
    with pytest.raises((ValueError, TypeError)):
        enc.fit(other)
    assert _fitted_state(enc) == before
    assert enc.n_features_in_ == 4 and enc.columns_ == list(df.columns)
    assert list(enc.feature_names_in_) == list(df.columns)
    assert_array_equal(enc.transform(df), Xt)


def test_failed_first_fit_leaves_it_unfitted():
    enc = TabularEncoder()
    frame = pd.DataFrame({"x": [1.0, np.nan], "t": pd.date_range("2020", periods=2)})
    with pytest.raises(ValueError, match="missing values"):
        enc.fit(frame)
    assert enc.__dict__ == TabularEncoder().__dict__
    with pytest.raises(NotFittedError):
        check_is_fitted(enc)


# ------------------------------------------------------------- set_params


def test_set_params_after_fit_changes_nothing(df):
    for fitted, other in (("standard", "quantile"), ("quantile", "standard")):
        enc = TabularEncoder(numeric=fitted, n_quantiles=10, random_state=0).fit(df)
        Xt = enc.transform(df)
        back = enc.inverse_transform(Xt)
        names = enc.get_feature_names_out()
        enc.set_params(
            numeric=other, n_quantiles=3, random_state=5, categorical="onehot"
        )
        assert_array_equal(enc.transform(df), Xt)
        pd.testing.assert_frame_equal(enc.inverse_transform(Xt), back)
        assert_array_equal(enc.get_feature_names_out(), names)
        loaded = pickle.loads(pickle.dumps(enc))
        assert_array_equal(loaded.transform(df), Xt)


def test_log_abs_det_jacobian_follows_the_fitted_encoding():
    X = np.random.default_rng(0).normal(size=(30, 2))
    enc = TabularEncoder().fit(X)
    expected = enc.log_abs_det_jacobian(X)
    enc.set_params(numeric="quantile")
    assert_array_equal(enc.log_abs_det_jacobian(X), expected)
    quantile = TabularEncoder(numeric="quantile").fit(X)
    quantile.set_params(numeric="standard")
    with pytest.raises(ValueError, match="numeric='quantile'"):
        quantile.log_abs_det_jacobian(X)


def test_refit_with_other_parameters_drops_stale_attributes(df):
    enc = TabularEncoder().fit(df)
    enc.set_params(numeric="quantile").fit(df)
    assert not hasattr(enc, "mean_") and not hasattr(enc, "scale_")
    enc.set_params(numeric="standard").fit(df)
    assert not hasattr(enc, "quantile_transformer_")


# -------------------------------------------------------- extreme magnitudes


def test_scales_of_huge_and_tiny_columns_are_exact():
    rng = np.random.default_rng(0)
    n = 200
    base = rng.normal(3, 2, size=(n, 4))
    X = np.column_stack(
        [
            base[:, 0] * 1e200,  # squares overflow float64
            base[:, 1] * 1e-200,  # squares underflow to 0
            base[:, 2],
            rng.integers(-9, 10, size=n) * 1e5,
        ]
    )
    enc = TabularEncoder().fit(X)
    assert np.all(np.isfinite(enc.scale_)) and np.all(np.isfinite(enc.mean_))
    # the closed forms, in rescaled units
    for j, unit in ((0, 1e200), (1, 1e-200)):
        assert_allclose(enc.mean_[j], (X[:, j] / unit).mean() * unit, rtol=1e-12)
        assert_allclose(enc.scale_[j], (X[:, j] / unit).std() * unit, rtol=1e-12)
    # ordinary columns: the same bits as numpy's
    assert_array_equal(enc.mean_[2:], X[:, 2:].mean(axis=0))
    assert_array_equal(enc.scale_[2:], X[:, 2:].std(axis=0))
    Xt = enc.transform(X)
    assert np.all(np.isfinite(Xt))
    assert_allclose(Xt.mean(axis=0), 0.0, atol=1e-12)
    assert_allclose(Xt.std(axis=0), 1.0, rtol=1e-12)
    assert_allclose(enc.inverse_transform(Xt), X, rtol=1e-12, atol=0)


def test_values_near_the_float64_maximum_round_trip():
    """(x - mean) and z * scale would overflow; computed in units they do not."""
    X = np.array([[1.7e308], [1.7e308], [1.7e308], [-1.7e308]])
    enc = TabularEncoder().fit(X)
    Xt = enc.transform(X)
    assert np.all(np.isfinite(Xt))
    assert_allclose(enc.inverse_transform(Xt), X, rtol=1e-12)


# ------------------------------------------------------------- bad input


def test_a_generator_is_a_clear_error(df):
    X = df[["age", "income"]].to_numpy(dtype=float)
    message = r"X is a one-shot iterator \(generator\).*pass a list"
    with pytest.raises(TypeError, match=message):
        TabularEncoder().fit(row for row in X)
    enc = TabularEncoder().fit(X)
    with pytest.raises(TypeError, match=message):
        enc.transform(row for row in X)
    with pytest.raises(TypeError, match=r"Xt is a one-shot iterator \(generator\)"):
        enc.inverse_transform(row for row in enc.transform(X))


def test_non_numeric_frame_given_to_an_array_fitted_encoder():
    X = np.random.default_rng(0).normal(size=(10, 3))
    enc = TabularEncoder().fit(X)
    frame = pd.DataFrame(
        {
            0: pd.Categorical(["a", "b"]),
            1: [1.0, 2.0],
            2: pd.Series(["u", "v"], dtype=object),
        }
    )
    with pytest.raises(
        ValueError,
        match=(
            r"fitted on a numeric array, so X must have numeric columns only; "
            r"got non-numeric columns \[0 \(category\), 2 \(object\)\]"
        ),
    ):
        enc.transform(frame)
    numeric = pd.DataFrame(X[:2])
    assert_array_equal(enc.transform(numeric), enc.transform(X[:2]))


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.empty((0, 2)), "Found array with 0 sample"),
        (np.array([1.0, 2.0]), "2-D DataFrame or array.*reshape\\(1, -1\\)"),
    ],
)
def test_an_array_given_to_a_frame_fitted_encoder_is_checked_first(X, message):
    enc = TabularEncoder().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0]}))
    with pytest.raises(ValueError, match=message):
        enc.transform(X)
