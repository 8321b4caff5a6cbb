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


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("nan", "missing values"),
        ("all missing", "Column 'y' has no observed values"),
        ("datetime", "Column 'y' has dtype datetime64"),
        ("complex", "Complex data not supported: column 'y'"),
        ("unknown column", "column_types names columns that X does not have"),
        ("bad kind", r"column_types\['y'\] must be one of"),
        ("bad bounds", "a bounded column needs finite bounds low < high"),
        ("outside support", "Column 'y' is 'positive' .* outside its support"),
        ("binary with 3 levels", "'binary', but the column has 5 distinct values"),
    ],
)
def test_failed_refit_leaves_the_encoder_as_it_was(df, bad, message):
    enc = TabularEncoder(missing="error").fit(df)
    Xt = enc.transform(df)
    other = pd.DataFrame({"x": np.arange(5.0), "y": np.arange(5.0)})
    types = {
        "unknown column": {"z": "count"},
        "bad kind": {"y": "ordinal"},
        "bad bounds": {"y": ("bounded", 1.0, 1.0)},
        "outside support": {"y": "positive"},  # y holds 0
        "binary with 3 levels": {"y": "binary"},
    }
    if bad == "nan":
        other.loc[2, "y"] = np.nan
    elif bad == "all missing":
        other["y"] = np.nan
        enc.set_params(missing="model")
    elif bad == "datetime":
        other["y"] = pd.date_range("2020-01-01", periods=5)
    elif bad == "complex":
        other["y"] = other["y"] + 1j
    else:
        enc.set_params(column_types=types[bad])
    before = _fitted_state(enc)  # the parameters set, the fitted state
    with pytest.raises((ValueError, TypeError), match=message):
        enc.fit(other)
    assert _fitted_state(enc) == before
    assert enc.n_features_in_ == 4 and enc.columns_ == list(df.columns)
    assert list(enc.feature_names_in_) == list(df.columns)
    assert_array_equal(enc.transform(df), Xt)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"missing": "error"}, "missing values"),
        ({"column_types": {"x": "count"}}, "Column 'x' is 'count'"),
        ({}, "Column 't' has dtype datetime64"),
    ],
)
def test_failed_first_fit_leaves_it_unfitted(params, message):
    enc = TabularEncoder(**params)
    frame = pd.DataFrame(
        {"x": [1.5, np.nan, 2.0], "t": pd.date_range("2020", periods=3)}
    )
    with pytest.raises((ValueError, TypeError), match=message):
        enc.fit(frame)
    assert enc.__dict__ == TabularEncoder(**params).__dict__
    with pytest.raises(NotFittedError):
        check_is_fitted(enc)


# ------------------------------------------------------------- set_params


def test_set_params_after_fit_changes_nothing(df):
    for fitted, other in (("standard", "quantile"), ("quantile", "standard")):
        enc = TabularEncoder(numeric=fitted, n_quantiles=10).fit(df)
        Xt = enc.transform(df)
        back = enc.inverse_transform(Xt)
        names = enc.get_feature_names_out()
        enc.set_params(
            numeric=other,
            n_quantiles=3,
            categorical="onehot",
            column_types="dtype",
            missing="error",
            clip=True,
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
    assert_allclose(expected, -np.log(X.std(axis=0)).sum(), rtol=1e-12)
    enc.set_params(numeric="quantile")
    assert_array_equal(enc.log_abs_det_jacobian(X), expected)
    quantile = TabularEncoder(numeric="quantile").fit(X)
    expected = quantile.log_abs_det_jacobian(X)
    assert np.ptp(expected) > 0  # piecewise constant, not one constant
    quantile.set_params(numeric="standard", column_types={0: "count"})
    assert_array_equal(quantile.log_abs_det_jacobian(X), expected)


def test_refit_with_other_parameters_drops_stale_attributes(df):
    enc = TabularEncoder(column_types={"income": ("bounded", 0, 1e7)}).fit(df)
    assert enc.bounds_ == {"income": (0.0, 1e7)}
    enc.set_params(numeric="quantile", column_types="auto").fit(df)
    assert enc.bounds_ == {}
    assert set(enc.quantile_maps_) == {"income"}
    # the quantile-mapped column is not standardised; the integer one is
    assert enc.mean_[1] == 0.0 and enc.scale_[1] == 1.0
    assert enc.scale_[0] != 1.0
    enc.set_params(numeric="standard").fit(df)
    assert not hasattr(enc, "quantile_maps_")
    assert_allclose(enc.mean_[1], np.log(df["income"]).mean())


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
    # floats above 2**53 are all integers, which says nothing: continuous
    assert enc.column_kinds_ == {
        0: "continuous",
        1: "continuous",
        2: "continuous",
        3: "integer",
    }
    assert np.all(np.isfinite(enc.scale_)) and np.all(np.isfinite(enc.mean_))
    # the closed forms, in rescaled units
    for j, unit in ((0, 1e200), (1, 1e-200)):
        assert_allclose(enc.mean_[j], (X[:, j] / unit).mean() * unit, rtol=1e-12)
        assert_allclose(enc.scale_[j], (X[:, j] / unit).std() * unit, rtol=1e-12)
    # ordinary columns: the same bits as numpy's, column by column
    for j in (2, 3):
        assert enc.mean_[j] == X[:, j].mean()
        assert enc.scale_[j] == X[:, j].std()
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
