"""Tests of skgen.tabular.TabularEncoder: exact round trips, layout, errors."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (
    check_dataframe_column_names_consistency,
    check_global_output_transform_pandas,
    check_set_output_transform,
    check_set_output_transform_pandas,
    check_transformer_get_feature_names_out,
    check_transformer_get_feature_names_out_pandas,
)
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import GenerativeMixin
from skgen.pipeline import make_generative_pipeline
from skgen.tabular import TabularEncoder
from skgen.utils import trusted_types


class _DiagGaussian(GenerativeMixin, BaseEstimator):
    """Test-only diagonal Gaussian fitted by maximum likelihood."""

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.mean_ = X.mean(axis=0)
        self.std_ = X.std(axis=0)
        return self

    def score_samples(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return norm.logpdf(X, self.mean_, self.std_).sum(axis=1)

    def sample(self, n_samples=1, *, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        return rng.normal(self.mean_, self.std_, size=(n_samples, self.mean_.size))


def _mixed_frame(n=60, seed=0):
    """Every supported column kind, each level observed at least once."""
    rng = np.random.default_rng(seed)
    cycle = np.arange(n)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, size=n).astype(np.int64),
            "height": rng.normal(170, 10, size=n).astype(np.float32),
            "income": rng.lognormal(10, 1, size=n),
            "smoker": cycle % 3 == 0,
            "size": pd.Categorical(
                np.array(["S", "M", "L"])[cycle % 3],
                categories=["S", "M", "L"],
                ordered=True,
            ),
            "color": pd.Categorical(
                np.array(["red", "green", "blue", "red"])[cycle % 4],
                categories=["red", "green", "blue", "violet"],  # violet unseen
            ),
            "city": pd.Series(
                np.array(["Paris", "Oslo", "Rome", "Lima"])[cycle % 4], dtype=object
            ),
            "sex": pd.Series(np.array(["f", "m"])[cycle % 2], dtype=object),
        }
    )


@pytest.fixture
def df():
    return _mixed_frame()


def _assert_frames_identical(result, expected, **kwargs):
    pd.testing.assert_frame_equal(
        result, expected, check_dtype=True, check_categorical=True, **kwargs
    )
    for col in expected.columns:
        if isinstance(expected[col].dtype, pd.CategoricalDtype):
            assert result[col].cat.ordered == expected[col].cat.ordered
            assert_array_equal(result[col].cat.categories, expected[col].cat.categories)


# ----------------------------------------------------------------- layout


def test_fitted_attributes_describe_every_column(df):
    enc = TabularEncoder().fit(df)
    assert enc.columns_ == list(df.columns)
    assert enc.dtypes_ == list(df.dtypes)
    assert enc.numeric_columns_ == ["age", "height", "income"]
    assert enc.binary_columns_ == ["smoker", "sex"]
    assert enc.categorical_columns_ == ["size", "color", "city"]
    assert enc.n_features_in_ == 8
    assert_array_equal(enc.feature_names_in_, df.columns)
    # categories: the pandas order for category dtype (unobserved kept),
    # [False, True] for bool, otherwise sorted
    assert_array_equal(enc.categories_["size"], ["S", "M", "L"])
    assert_array_equal(enc.categories_["color"], ["red", "green", "blue", "violet"])
    assert_array_equal(enc.categories_["city"], ["Lima", "Oslo", "Paris", "Rome"])
    assert_array_equal(enc.categories_["smoker"], [False, True])
    assert_array_equal(enc.categories_["sex"], ["f", "m"])
    assert set(enc.categories_) == {"smoker", "sex", "size", "color", "city"}


def test_output_blocks_layout(df):
    enc = TabularEncoder().fit(df)
    assert enc.column_kinds_ == {
        "age": "integer",  # 18..89: a Gaussian would not go below 0 either
        "height": "continuous",
        "income": "positive",
        "smoker": "binary",
        "size": "categorical",
        "color": "categorical",
        "city": "categorical",
        "sex": "binary",
    }
    assert enc.states_ == {}
    assert enc.output_blocks_ == [
        ("age", "integer", slice(0, 1)),
        ("height", "numeric", slice(1, 2)),
        ("income", "numeric", slice(2, 3)),
        ("smoker", "binary", slice(3, 4)),
        ("size", "categorical", slice(4, 7)),
        ("color", "categorical", slice(7, 11)),
        ("city", "categorical", slice(11, 15)),
        ("sex", "binary", slice(15, 16)),
    ]
    assert enc.n_output_ == 16
    Xt = enc.transform(df)
    assert Xt.shape == (len(df), 16)
    assert Xt.dtype == np.float64
    for col, kind, block in enc.output_blocks_:
        part = Xt[:, block]
        if kind in ("numeric", "integer"):
            assert_allclose(part.mean(), 0.0, atol=1e-12)
            assert_allclose(part.std(), 1.0)
        elif kind == "binary":
            levels = enc.categories_[col]
            assert_array_equal(part[:, 0], (df[col] == levels[1]).to_numpy())
        else:
            assert_array_equal(part.sum(axis=1), 1.0)
            levels = enc.categories_[col]
            assert_array_equal(levels[part.argmax(axis=1)], df[col].to_numpy())
    # the unobserved category has an all-zero column
    assert_array_equal(Xt[:, 10], 0.0)


def test_feature_names_follow_the_blocks(df):
    enc = TabularEncoder().fit(df)
    names = enc.get_feature_names_out()
    assert names.tolist() == [
        "age",
        "height",
        "income",
        "smoker",
        "size_S",
        "size_M",
        "size_L",
        "color_red",
        "color_green",
        "color_blue",
        "color_violet",
        "city_Lima",
        "city_Oslo",
        "city_Paris",
        "city_Rome",
        "sex_m",
    ]
    assert len(names) == enc.n_output_


def test_set_output_pandas_uses_feature_names(df):
    enc = TabularEncoder().set_output(transform="pandas").fit(df)
    out = enc.transform(df)
    assert list(out.columns) == enc.get_feature_names_out().tolist()
    _assert_frames_identical(enc.inverse_transform(out), df)


# ------------------------------------------------------------- round trips


def test_exact_round_trip_mixed_frame(df):
    enc = TabularEncoder().fit(df)
    _assert_frames_identical(enc.inverse_transform(enc.transform(df)), df)


def test_round_trip_string_and_nullable_dtypes():
    df = pd.DataFrame(
        {
            "name": pd.array(["a", "b", "c", "a"], dtype="str"),
            "tag": pd.array(["x", "y", "x", "z"], dtype="string"),
            "count": pd.array([1, 2, 3, 4], dtype="Int64"),
            "flag": pd.array([True, False, True, True], dtype="boolean"),
            "small": np.array([1, 200, 3, 4], dtype=np.uint8),
            "code": pd.Categorical([3, 1, 2, 3]),  # integer categories
        }
    )
    enc = TabularEncoder().fit(df)
    assert enc.binary_columns_ == ["flag"]
    _assert_frames_identical(enc.inverse_transform(enc.transform(df)), df)


def test_round_trip_from_noisy_model_outputs(df):
    """Logits for one-hot blocks, probabilities for binary, noisy numbers."""
    enc = TabularEncoder().fit(df)
    Xt = enc.transform(df)
    rng = np.random.default_rng(1)
    noisy = Xt.copy()
    for _, kind, block in enc.output_blocks_:
        part = Xt[:, block]
        if kind in ("numeric", "integer"):
            noisy[:, block] = part + rng.normal(scale=1e-4, size=part.shape)
        elif kind == "binary":  # probabilities on the right side of 0.5
            noisy[:, block] = 0.5 + (part - 0.5) * rng.uniform(0.1, 0.9, part.shape)
        else:  # logits: 3 on the true level plus noise, on any scale
            noisy[:, block] = 3 * part + rng.normal(scale=0.5, size=part.shape) - 7
    result = enc.inverse_transform(noisy)
    discrete = enc.binary_columns_ + enc.categorical_columns_
    _assert_frames_identical(result[discrete], df[discrete])
    assert result.dtypes.tolist() == df.dtypes.tolist()
    # an integer block rounds to its lattice: small noise decodes exactly
    pd.testing.assert_series_equal(result["age"], df["age"])
    assert_allclose(result["income"], df["income"], rtol=1e-3)


def test_inverse_accepts_any_real_values(df):
    enc = TabularEncoder().fit(df)
    rng = np.random.default_rng(2)
    raw = rng.normal(scale=50.0, size=(40, enc.n_output_))
    raw[0, 0] = 1e300  # far outside the int64 range: clipped, not overflowed
    raw[1, 0] = -1e300
    result = enc.inverse_transform(raw)
    assert result.dtypes.tolist() == df.dtypes.tolist()
    assert result["age"].iloc[0] > 9e18
    assert result["age"].iloc[1] == np.iinfo(np.int64).min
    for col in enc.categories_:
        assert set(result[col]) <= set(enc.categories_[col])
    # ties in a block and 0.5 in a binary column go to the first level
    result = enc.inverse_transform(np.full((1, enc.n_output_), 0.5))
    assert result["size"].iloc[0] == "S"
    assert result["smoker"].iloc[0] == np.False_


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_round_trip_array(dtype):
    X = (np.random.default_rng(0).normal(size=(30, 3)) * 100).astype(dtype)
    enc = TabularEncoder().fit(X)
    assert enc.columns_ is None
    assert enc.numeric_columns_ == [0, 1, 2]
    # integer arrays are integer blocks (detected), float ones real numbers
    block = "integer" if np.dtype(dtype).kind == "i" else "numeric"
    assert enc.column_kinds_ == dict.fromkeys(
        range(3), "integer" if block == "integer" else "continuous"
    )
    assert enc.output_blocks_ == [
        (0, block, slice(0, 1)),
        (1, block, slice(1, 2)),
        (2, block, slice(2, 3)),
    ]
    assert not hasattr(enc, "feature_names_in_")
    assert enc.get_feature_names_out().tolist() == ["x0", "x1", "x2"]
    Xt = enc.transform(X)
    assert_allclose(Xt.mean(axis=0), 0.0, atol=1e-12)
    back = enc.inverse_transform(Xt)
    assert isinstance(back, np.ndarray)
    assert back.dtype == dtype
    assert_allclose(back, X, rtol=1e-12 if dtype is np.float64 else 0)


def test_constant_column_has_unit_scale():
    X = np.column_stack([np.full(10, 4.0), np.arange(10.0)])
    enc = TabularEncoder(column_types="dtype").fit(X)
    assert enc.column_kinds_ == {0: "continuous", 1: "continuous"}
    assert_allclose(enc.scale_[0], 1.0)
    assert_allclose(enc.inverse_transform(enc.transform(X)), X)
    # detected, a constant column is one level: a one-column one-hot block
    enc = TabularEncoder().fit(X)
    assert enc.column_kinds_ == {0: "discrete", 1: "integer"}
    assert enc.output_blocks_[0] == (0, "categorical", slice(0, 1))
    assert_array_equal(enc.transform(X)[:, 0], 1.0)
    assert_array_equal(enc.inverse_transform(enc.transform(X)), X)


@pytest.mark.parametrize("n_quantiles", [1000, 50])
def test_quantile_round_trip(df, n_quantiles):
    enc = TabularEncoder(numeric="quantile", n_quantiles=n_quantiles)
    enc.fit(df)
    # real-valued columns are mapped by quantiles (the integer one is not)
    assert set(enc.quantile_maps_) == {"height", "income"}
    for knots, scores in enc.quantile_maps_.values():
        # the quantiles, and one tail knot beyond each end
        assert len(knots) == len(scores) <= min(n_quantiles, len(df)) + 2
        assert np.all(np.diff(knots) > 0) and np.all(np.diff(scores) > 0)
    assert_array_equal(enc.mean_[1:], 0.0)
    assert_array_equal(enc.scale_[1:], 1.0)
    Xt = enc.transform(df)
    # normal scores: centred, in the order of the data, linear beyond the
    # end knots (the extreme rows lie a little past them)
    numeric = Xt[:, 1:3]
    for j, col in enumerate(("height", "income")):
        assert_array_equal(np.argsort(numeric[:, j]), np.argsort(df[col].to_numpy()))
    assert np.abs(numeric).max() < 4
    assert_allclose(np.median(numeric, axis=0), 0.0, atol=0.1)
    result = enc.inverse_transform(Xt)
    for col in ("height", "income"):
        assert_allclose(result[col], df[col], rtol=1e-12)
    _assert_frames_identical(
        result.drop(columns=["height", "income"]), df.drop(columns=["height", "income"])
    )
    assert result.dtypes.tolist() == df.dtypes.tolist()


def test_quantile_without_numeric_columns():
    df = pd.DataFrame({"a": ["x", "y", "z"]})
    enc = TabularEncoder(numeric="quantile").fit(df)
    assert getattr(enc, "quantile_maps_", {}) == {}
    _assert_frames_identical(enc.inverse_transform(enc.transform(df)), df)


def test_realistic_survey_frame():
    """A census-like table of 500 people, built by hand (no network)."""
    rng = np.random.default_rng(42)
    n = 500
    education = ["primary", "secondary", "bachelor", "master", "doctorate"]
    df = pd.DataFrame(
        {
            "age": rng.integers(18, 91, size=n),
            "workclass": pd.Categorical(
                rng.choice(
                    ["private", "public", "self-employed"], size=n, p=[0.7, 0.2, 0.1]
                ),
                categories=["private", "public", "self-employed", "never-worked"],
            ),
            "education": pd.Categorical(
                rng.choice(education, size=n), categories=education, ordered=True
            ),
            "hours_per_week": rng.normal(40, 8, size=n).round(1),
            "capital_gain": np.where(
                rng.random(n) < 0.9, 0.0, rng.lognormal(8, 1, size=n)
            ).astype(np.float32),
            "sex": rng.choice(["Female", "Male"], size=n).astype(object),
            "country": pd.array(rng.choice(["US", "MX", "IN", "DE", "PH"], size=n)),
            "married": rng.random(n) < 0.5,
            "children": rng.poisson(1.2, size=n).astype(np.uint8),
        }
    )
    for numeric in ("standard", "quantile"):
        enc = TabularEncoder(numeric=numeric).fit(df)
        result = enc.inverse_transform(enc.transform(df))
        if numeric == "standard":
            _assert_frames_identical(result, df)
        else:
            _assert_frames_identical(result, df, rtol=1e-12)
    assert enc.column_kinds_ == {
        "age": "count",
        "workclass": "categorical",
        "education": "categorical",
        "hours_per_week": "continuous",
        "capital_gain": "nonnegative",
        "sex": "binary",
        "country": "categorical",
        "married": "binary",
        "children": "discrete",
    }
    widths = {}
    for col, _, b in enc.output_blocks_:
        widths[col] = widths.get(col, 0) + b.stop - b.start
    assert widths == {
        "age": 1,
        "workclass": 4,
        "education": 5,
        "hours_per_week": 1,
        "capital_gain": 3,  # states value and zero, then the value
        "sex": 1,
        "country": 5,
        "married": 1,
        "children": len(np.unique(df["children"])),
    }
    assert enc.states_ == {"capital_gain": ("value", "zero")}


# ---------------------------------------------------------------- pipeline


def test_pipeline_likelihood_in_original_space():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(5.0, 3.0, size=200),
            "b": rng.normal(-2.0, 0.5, size=200),
            "c": rng.integers(0, 1000, size=200),
        }
    )
    # the encoding of skgen 0.1: every numeric column standardised
    enc = TabularEncoder(column_types="dtype")
    pipe = make_generative_pipeline(enc, _DiagGaussian()).fit(X)
    values = X.to_numpy(dtype=float)
    expected = norm.logpdf(values, values.mean(axis=0), values.std(axis=0)).sum(1)
    assert_allclose(pipe.score_samples(X), expected)
    enc = pipe[0]
    assert_allclose(enc.log_abs_det_jacobian(X), -np.log(values.std(axis=0)).sum())
    # samples come back as a frame with the training dtypes
    sample = pipe.sample(5, random_state=0)
    assert sample.dtypes.tolist() == X.dtypes.tolist()
    # the same on arrays
    pipe = make_generative_pipeline(enc, _DiagGaussian()).fit(values)
    assert_allclose(pipe.score_samples(values), expected)


def test_log_abs_det_jacobian_refuses_discrete_columns(df):
    pipe = make_generative_pipeline(TabularEncoder(), _DiagGaussian()).fit(df)
    msg = "not defined through TabularEncoder for columns with a probability mass"
    with pytest.raises(ValueError, match=msg):
        pipe.score_samples(df)
    with pytest.raises(
        ValueError, match=re.escape("density: ['age' (integer), 'smoker' (binary), ")
    ):
        pipe[0].log_abs_det_jacobian(df)
    # a nonnegative column (its zero state) and a missing state too
    frame = pd.DataFrame(
        {"a": [0.0, 1.5, 2.5, 0.3, 7.0] * 8, "b": np.linspace(-3, 3, 40)}
    )
    frame.loc[3, "b"] = np.nan
    enc = TabularEncoder(column_types={"a": "nonnegative"}).fit(frame)
    with pytest.raises(
        ValueError,
        match=re.escape(
            "density: ['a' (nonnegative), 'b' (continuous, missing values)]"
        ),
    ):
        enc.log_abs_det_jacobian(frame)


def test_log_abs_det_jacobian_with_quantile_is_the_slopes_of_the_segments():
    X = np.random.default_rng(0).normal(size=(20, 2))
    enc = TabularEncoder(numeric="quantile").fit(X)
    expected = np.zeros(len(X))
    for j in range(2):
        knots, scores = enc.quantile_maps_[j]
        k = np.clip(
            np.searchsorted(knots, X[:, j], side="right") - 1, 0, len(knots) - 2
        )
        expected += np.log((scores[k + 1] - scores[k]) / (knots[k + 1] - knots[k]))
    assert_allclose(enc.log_abs_det_jacobian(X), expected, rtol=1e-12)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("column", "value"), [("income", np.nan), ("city", None), ("sex", pd.NA)]
)
def test_missing_values_name_the_columns(df, column, value):
    bad = df.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[3, column] = value
    msg = re.escape(
        f"missing values (NaN, None or pd.NA) in columns ['{column}']; "
        "TabularEncoder(missing='error') does not accept them"
    )
    with pytest.raises(ValueError, match=msg):
        TabularEncoder(missing="error").fit(bad)
    enc = TabularEncoder(missing="error").fit(df)
    with pytest.raises(ValueError, match=msg):
        enc.transform(bad)
    # by default a DataFrame's missing values are modelled: a state block
    enc = TabularEncoder().fit(bad)
    assert enc.states_ == {column: ("value", "missing")}
    # fitted without them, a missing value has likelihood 0, not an error
    _, correction = TabularEncoder().fit(df)._encode_with_correction(bad)
    assert correction[3] == -np.inf
    assert np.all(np.isfinite(np.delete(correction, 3)))


def test_missing_values_in_nullable_and_categorical_columns(df):
    bad = df.copy()
    bad["size"] = bad["size"].cat.set_categories(["S", "M"])  # "L" becomes NaN
    bad["age"] = bad["age"].astype("Int64")
    bad.loc[0, "age"] = pd.NA
    with pytest.raises(ValueError, match=re.escape("in columns ['age', 'size']")):
        TabularEncoder(missing="error").fit(bad)
    enc = TabularEncoder().fit(bad)
    assert enc.states_ == {
        "age": ("value", "missing"),
        "size": ("value", "missing"),
    }
    _assert_frames_identical(enc.inverse_transform(enc.transform(bad)), bad)


def test_missing_values_in_array_are_refused_by_fit():
    # missing="auto" resolves on the input (an array), not on the DataFrame
    # the encoder reads it into
    X = np.ones((5, 3))
    X[2, 1] = np.nan
    with pytest.raises(
        ValueError,
        match=re.escape(
            "NaN, None or pd.NA) in columns [1]; TabularEncoder(missing='auto') "
            "does not accept them"
        ),
    ):
        TabularEncoder().fit(X)


def test_missing_values_in_array():
    X = np.ones((5, 3))
    X[:, 0] = np.arange(5)
    enc = TabularEncoder().fit(X)
    X[2, 1] = np.nan
    with pytest.raises(
        ValueError, match=re.escape("NaN, None or pd.NA) in columns [1]")
    ):
        enc.transform(X)
    # missing="model" models them in an array too
    enc = TabularEncoder(missing="model").fit(X)
    assert enc.states_ == {1: ("value", "missing")}
    assert_array_equal(enc.inverse_transform(enc.transform(X)), X)
    X[2, 1] = np.inf
    with pytest.raises(
        ValueError, match=re.escape("infinite values (inf) in columns [1]")
    ):
        TabularEncoder().fit(X)
    with pytest.raises(
        ValueError, match=re.escape("infinite values (inf) in columns [1]")
    ):
        TabularEncoder(missing="model").fit(X)


def test_unseen_categories_are_no_level_with_the_reserved_mass(df):
    enc = TabularEncoder().fit(df)
    assert enc.unseen_mass_ == dict.fromkeys(
        ["smoker", "size", "color", "city", "sex"], 1 / (len(df) + 1)
    )
    bad = df.copy()
    bad["city"] = bad["city"].replace({"Oslo": "Tokyo", "Rome": "Accra"})
    bad["sex"] = bad["sex"].replace({"m": "x"})
    Xt, correction = enc._encode_with_correction(bad)
    _, seen = enc._encode_with_correction(df)
    city = enc._column_blocks()["city"]["categorical"]
    sex = enc._column_blocks()["sex"]["binary"].start
    unseen_city = (df["city"].isin(["Oslo", "Rome"])).to_numpy()
    unseen_sex = (df["sex"] == "m").to_numpy()
    assert_array_equal(Xt[unseen_city, city], 0.0)  # no level
    assert_array_equal(Xt[~unseen_city, city], enc.transform(df)[~unseen_city, city])
    assert_array_equal(Xt[unseen_sex, sex], 0.5)
    mass = 1 / (len(df) + 1)
    expected = (
        seen
        + np.where(unseen_city, np.log(mass) - np.log1p(-mass), 0.0)
        + np.where(unseen_sex, np.log(mass) - np.log1p(-mass), 0.0)
    )
    assert_allclose(correction, expected, rtol=1e-12)
    # an added category of a category column is unseen too
    bad = df.copy()
    bad["size"] = bad["size"].cat.add_categories("XL")
    bad.loc[0, "size"] = "XL"
    Xt, correction = enc._encode_with_correction(bad)
    assert_array_equal(Xt[0, enc._column_blocks()["size"]["categorical"]], 0.0)
    assert_allclose(correction[0] - seen[0], np.log(mass) - np.log1p(-mass))
    # decoding never writes an unseen level
    assert enc.inverse_transform(Xt)["size"].iloc[0] in {"S", "M", "L"}


def test_category_given_as_object_at_transform(df):
    """Values are matched by value, whatever the dtype at transform time."""
    enc = TabularEncoder().fit(df)
    other = df.astype({"size": object, "color": object, "city": "category"})
    assert_array_equal(enc.transform(other), enc.transform(df))


def test_wrong_columns(df):
    enc = TabularEncoder().fit(df)
    with pytest.raises(ValueError, match="The feature names should match"):
        enc.transform(df.drop(columns=["city"]))
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- town"):
        enc.transform(df.rename(columns={"city": "town"}))
    with pytest.raises(ValueError, match="same order as they were in fit"):
        enc.transform(df[df.columns[::-1]])
    with pytest.raises(ValueError, match="Feature names unseen at fit time:\n- extra"):
        enc.transform(df.assign(extra=1.0))


def test_wrong_columns_without_string_names():
    df = pd.DataFrame({0: [1.0, 2.0, 3.0], 1: ["a", "b", "a"]})
    enc = TabularEncoder().fit(df)
    assert enc.columns_ == [0, 1]
    bad = pd.DataFrame({0: [1.0], 2: ["a"]})
    with pytest.raises(
        ValueError, match=re.escape("got columns missing [1]; unexpected [2]")
    ):
        enc.transform(bad)
    with pytest.raises(ValueError, match=re.escape("in a different order [1, 0]")):
        enc.transform(df[[1, 0]])
    _assert_frames_identical(enc.inverse_transform(enc.transform(df)), df)


def test_wrong_width(df):
    X = np.ones((4, 3))
    enc = TabularEncoder().fit(X)
    with pytest.raises(
        ValueError, match="X has 2 features, but TabularEncoder is expecting 3"
    ):
        enc.transform(np.ones((4, 2)))
    with pytest.raises(
        ValueError,
        match="Xt has 4 columns, but TabularEncoder encodes 3 input columns as 3",
    ):
        enc.inverse_transform(np.ones((4, 4)))
    enc = TabularEncoder().fit(df)
    with pytest.raises(
        ValueError,
        match="Xt has 3 columns, but TabularEncoder encodes 8 input columns as 16",
    ):
        enc.inverse_transform(np.ones((4, 3)))


def test_inverse_rejects_non_finite(df):
    enc = TabularEncoder().fit(df)
    Xt = enc.transform(df)
    Xt[0, 5] = np.nan
    with pytest.raises(ValueError, match="Input Xt contains NaN"):
        enc.inverse_transform(Xt)


def test_unsupported_dtypes():
    df = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=3)})
    with pytest.raises(TypeError, match="Column 'when' has dtype datetime64"):
        TabularEncoder().fit(df)
    df = pd.DataFrame({"z": np.array([1 + 1j, 2, 3])})
    with pytest.raises(ValueError, match="Complex data not supported: column 'z'"):
        TabularEncoder().fit(df)


def test_numeric_column_given_strings(df):
    enc = TabularEncoder().fit(df)
    bad = df.astype({"age": object})
    bad.loc[0, "age"] = "old"
    with pytest.raises(
        ValueError,
        match="Column 'age' was numeric in fit, but its values are not numbers",
    ):
        enc.transform(bad)


def test_empty_and_duplicated_frames(df):
    with pytest.raises(ValueError, match="0 sample"):
        TabularEncoder().fit(df.iloc[:0])
    with pytest.raises(ValueError, match="0 feature"):
        TabularEncoder().fit(pd.DataFrame(index=range(3)))
    dup = pd.concat([df[["age"]], df[["age"]]], axis=1)
    with pytest.raises(
        ValueError, match="Expected unique column names, got:\n- 'age' 2 times"
    ):
        TabularEncoder().fit(dup)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"numeric": "minmax"}, "The 'numeric' parameter of TabularEncoder must be"),
        ({"categorical": "ordinal"}, "The 'categorical' parameter"),
        ({"missing": "impute"}, "The 'missing' parameter"),
        ({"n_quantiles": 0}, "The 'n_quantiles' parameter .* Got 0 instead"),
    ],
)
def test_invalid_parameters(df, params, message):
    with pytest.raises(ValueError, match=message):
        TabularEncoder(**params).fit(df)


def test_not_fitted(df):
    enc = TabularEncoder()
    for method in (enc.transform, enc.inverse_transform, enc.log_abs_det_jacobian):
        with pytest.raises(NotFittedError):
            method(df)
    with pytest.raises(NotFittedError):
        enc.get_feature_names_out()


def test_array_after_frame_fit_is_read_in_training_order(df):
    enc = TabularEncoder().fit(df)
    with pytest.warns(UserWarning, match="X does not have valid feature names"):
        Xt = enc.transform(df.to_numpy())
    assert_allclose(Xt, enc.transform(df))


# ------------------------------------------------------------ persistence


def test_tags():
    tags = TabularEncoder().__sklearn_tags__()
    assert tags.input_tags.categorical
    assert tags.input_tags.string
    assert not tags.input_tags.allow_nan


@pytest.mark.parametrize("numeric", ["standard", "quantile"])
def test_clone_pickle_and_skops(df, numeric):
    enc = TabularEncoder(numeric=numeric).fit(df)
    Xt = enc.transform(df)
    cloned = clone(enc)
    assert cloned.get_params() == enc.get_params()
    assert not hasattr(cloned, "output_blocks_")
    assert_allclose(cloned.fit(df).transform(df), Xt)
    for loaded in (
        pickle.loads(pickle.dumps(enc)),
        sio.loads(sio.dumps(enc), trusted=trusted_types()),
    ):
        assert loaded.dtypes_ == enc.dtypes_
        assert loaded.output_blocks_ == enc.output_blocks_
        assert_allclose(loaded.transform(df), Xt)
        _assert_frames_identical(
            loaded.inverse_transform(Xt), enc.inverse_transform(Xt)
        )
    # persisting does not change the fitted encoder
    assert enc.dtypes_ == list(df.dtypes)


def test_skops_with_pandas_extension_dtypes():
    df = pd.DataFrame(
        {
            "s": pd.array(["a", "b", "a"], dtype="string"),
            "n": pd.array([1, 2, 3], dtype="Int64"),
            "c": pd.Categorical([1.5, 2.5, 1.5], ordered=True),
        }
    )
    enc = TabularEncoder().fit(df)
    loaded = sio.loads(sio.dumps(enc), trusted=trusted_types())
    _assert_frames_identical(loaded.inverse_transform(loaded.transform(df)), df)


# ----------------------------------------- sklearn checks test_common skips


@pytest.mark.parametrize(
    "check",
    [
        check_dataframe_column_names_consistency,
        check_transformer_get_feature_names_out,
        check_transformer_get_feature_names_out_pandas,
        check_set_output_transform,
        check_set_output_transform_pandas,
        check_global_output_transform_pandas,
    ],
)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_sklearn_feature_name_checks(check):
    check("TabularEncoder", TabularEncoder())
