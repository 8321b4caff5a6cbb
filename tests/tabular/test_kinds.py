"""Column kinds of TabularEncoder: detection, supports, Jacobians, quantile map."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import norm
from sklearn.mixture import GaussianMixture

from skgen.pipeline import make_generative_pipeline
from skgen.tabular import TabularEncoder
from skgen.tabular._kinds import (
    bounded_below,
    detect_numeric_kind,
    fit_quantile_map,
    quantile_forward,
    quantile_inverse,
    quantile_log_derivative,
)
from skgen.utils import trusted_types

#: ``column_types`` of the kinds frame: what detection cannot see.
DECLARED = {"bnd": ("bounded", -5, 10), "prop": "proportion"}

#: The kinds of the kinds frame's columns.
KINDS = {
    "cont": "continuous",
    "pos": "positive",
    "nonneg": "nonnegative",
    "prop": "proportion",
    "bnd": "bounded",
    "count": "count",
    "int": "integer",
    "disc": "discrete",
    "bin01": "binary",
    "cat": "categorical",
    "obj": "categorical",
    "flag": "binary",
    "count_na": "count",
    "cont_na": "continuous",
    "cat_na": "categorical",
    "obj_na": "categorical",
    "str_na": "binary",
    "bool_na": "binary",
    "bool_obj": "binary",
}


#: The columns of the kinds frame with missing values.
WITH_MISSING = (
    "count_na",
    "cont_na",
    "cat_na",
    "obj_na",
    "str_na",
    "bool_na",
    "bool_obj",
)


def _kinds_frame(n=120, seed=0):
    """One column of every kind, and columns with missing values of each dtype."""
    rng = np.random.default_rng(seed)
    cycle = np.arange(n)
    frame = pd.DataFrame(
        {
            "cont": rng.normal(0, 3, size=n),
            "pos": rng.lognormal(1, 1, size=n),
            "nonneg": np.where(cycle % 3 == 0, 0.0, rng.exponential(2.0, size=n)),
            "prop": rng.beta(2, 5, size=n),
            "bnd": rng.uniform(-4, 9, size=n),
            "count": rng.negative_binomial(1, 0.1, size=n),
            "int": rng.integers(-500, 500, size=n),
            "disc": np.array([1, 2, 3, 5])[cycle % 4],
            "bin01": cycle % 2,
            "cat": pd.Categorical(np.array(["a", "b", "c"])[cycle % 3]),
            "obj": pd.Series(np.array(["u", "v", "w", "x"])[cycle % 4], dtype=object),
            "flag": cycle % 5 == 0,
            "count_na": pd.array(rng.negative_binomial(1, 0.1, size=n), dtype="Int64"),
            "cont_na": rng.normal(size=n),
            "cat_na": pd.Categorical(np.array(["p", "q", "r"])[cycle % 3]),
            "obj_na": pd.Series(np.array(["s", "t", "y"])[cycle % 3], dtype=object),
            "str_na": pd.array(np.array(["m", "f"])[cycle % 2], dtype="string"),
            "bool_na": pd.array(cycle % 3 == 0, dtype="boolean"),
            "bool_obj": pd.Series((cycle % 4 == 0).tolist(), dtype=object),
        }
    )
    for col in WITH_MISSING:
        frame.loc[[1, 7, 50], col] = None
    return frame


@pytest.fixture(scope="module")
def frame():
    return _kinds_frame()


@pytest.fixture(scope="module", params=["standard", "quantile"])
def fitted(request, frame):
    return TabularEncoder(column_types=DECLARED, numeric=request.param).fit(frame)


def _assert_frames_identical(result, expected):
    pd.testing.assert_frame_equal(
        result, expected, check_dtype=True, check_exact=False, rtol=1e-12, atol=0
    )


# -------------------------------------------------------------- round trips


def test_kinds_states_and_layout(fitted, frame):
    assert fitted.column_kinds_ == KINDS
    assert fitted.bounds_ == {"bnd": (-5.0, 10.0)}
    missing = WITH_MISSING
    assert fitted.states_ == {
        "nonneg": ("value", "zero"),
        **dict.fromkeys(missing, ("value", "missing")),
    }
    blocks = fitted._column_blocks()
    for col in fitted.states_:
        # the state block comes right before the value block
        state = blocks[col]["state"]
        (value,) = (b for k, b in blocks[col].items() if k != "state")
        assert state.stop == value.start
    assert [c for c, k, _ in fitted.output_blocks_ if k == "integer"] == [
        "count",
        "int",
        "count_na",
    ]
    assert_array_equal(fitted.categories_["disc"], [1, 2, 3, 5])
    assert_array_equal(fitted.categories_["bin01"], [0, 1])
    assert fitted.data_range_["pos"] == (frame["pos"].min(), frame["pos"].max())
    names = fitted.get_feature_names_out().tolist()
    assert names[names.index("cont_na") - 2 : names.index("cont_na")] == [
        "cont_na_value",
        "cont_na_missing",
    ]
    assert names[2:5] == ["nonneg_value", "nonneg_zero", "nonneg"]


def test_every_kind_round_trips_exactly(fitted, frame):
    Xt = fitted.transform(frame)
    assert np.all(np.isfinite(Xt))
    _assert_frames_identical(fitted.inverse_transform(Xt), frame)
    # the zero state holds the zeros of the nonnegative column
    state = fitted._column_blocks()["nonneg"]["state"]
    zero = (frame["nonneg"] == 0).to_numpy()
    assert_array_equal(Xt[:, state], np.column_stack([~zero, zero]))
    # a missing value is the missing state and an imputed value
    blocks = fitted._column_blocks()["cont_na"]
    missing = frame["cont_na"].isna().to_numpy()
    assert_array_equal(Xt[:, blocks["state"]], np.column_stack([~missing, missing]))
    assert_array_equal(Xt[missing, blocks["numeric"].start], 0.0)
    blocks = fitted._column_blocks()["cat_na"]
    assert_array_equal(Xt[missing][:, blocks["categorical"]], 0.0)


def test_missing_values_decode_as_the_dtype_holds_them(fitted, frame):
    back = fitted.inverse_transform(fitted.transform(frame))
    assert back.loc[1, "count_na"] is pd.NA
    assert back.loc[1, "bool_na"] is pd.NA
    assert back.loc[1, "str_na"] is pd.NA
    assert back.loc[1, "obj_na"] is None
    assert back.loc[1, "bool_obj"] is None
    assert set(back["bool_obj"].dropna()) == {True, False}
    assert np.isnan(back.loc[1, "cont_na"])
    assert pd.isna(back.loc[1, "cat_na"])


# ------------------------------------------------------------- Jacobians

#: One real-valued column per kind, its training values and the points where
#: the Jacobian is checked (inside and outside the training range).
_VALUE_COLUMNS = {
    "continuous": (lambda r: r.normal(2, 3, 200), [-20.0, -1.3, 0.2, 4.1, 30.0]),
    "positive": (lambda r: r.lognormal(1, 1, 200), [1e-3, 0.7, 2.9, 13.0, 400.0]),
    "proportion": (lambda r: r.beta(2, 3, 200), [1e-4, 0.13, 0.5, 0.77, 0.9999]),
    ("bounded", -5, 10): (
        lambda r: r.uniform(-4, 9, 200),
        [-4.999, -2.2, 0.3, 6.6, 9.99],
    ),
}


def _closed_form(kind, x):
    """log dt/dx of the kind's support map."""
    if kind == "positive":
        return -np.log(x)
    if kind == "proportion":
        return -np.log(x * (1 - x))
    if isinstance(kind, tuple):
        low, high = kind[1:]
        return -np.log((x - low) * (high - x) / (high - low))
    return np.zeros_like(x)


@pytest.mark.parametrize("numeric", ["standard", "quantile"])
@pytest.mark.parametrize("kind", list(_VALUE_COLUMNS), ids=str)
def test_log_jacobian_is_the_derivative_of_the_encoding(kind, numeric):
    draw, points = _VALUE_COLUMNS[kind]
    train = pd.DataFrame({"x": draw(np.random.default_rng(0))})
    enc = TabularEncoder(column_types={"x": kind}, numeric=numeric, n_quantiles=50)
    enc.fit(train)
    x = np.array(points)
    h = 1e-7 * np.minimum(1.0, np.abs(x))
    if kind == "proportion":
        h = 1e-4 * np.minimum(x, 1 - x)
    elif isinstance(kind, tuple):
        h = 1e-4 * np.minimum(x + 5, 10 - x)
    up = enc.transform(pd.DataFrame({"x": x + h}))[:, 0]
    down = enc.transform(pd.DataFrame({"x": x - h}))[:, 0]
    numeric_derivative = np.log((up - down) / (2 * h))
    log_det = enc.log_abs_det_jacobian(pd.DataFrame({"x": x}))
    assert np.all(np.isfinite(log_det))
    assert_allclose(log_det, numeric_derivative, rtol=1e-5, atol=1e-6)
    if numeric == "standard":
        expected = _closed_form(kind, x) - np.log(enc.scale_[0])
        assert_allclose(log_det, expected, rtol=1e-12, atol=1e-12)


def test_log_jacobian_of_a_table_is_the_sum_over_its_columns():
    rng = np.random.default_rng(1)
    columns = {
        f"c{i}": draw(rng) for i, (draw, _) in enumerate(_VALUE_COLUMNS.values())
    }
    table = pd.DataFrame(columns)
    types = {f"c{i}": kind for i, kind in enumerate(_VALUE_COLUMNS)}
    for numeric in ("standard", "quantile"):
        enc = TabularEncoder(column_types=types, numeric=numeric).fit(table)
        total = enc.log_abs_det_jacobian(table)
        parts = sum(
            TabularEncoder(column_types={c: types[c]}, numeric=numeric)
            .fit(table[[c]])
            .log_abs_det_jacobian(table[[c]])
            for c in table
        )
        assert_allclose(total, parts, rtol=1e-12)


# ----------------------------------------------------------- quantile map


def test_quantile_map_is_a_monotone_bijection_of_the_reals():
    values = np.random.default_rng(0).standard_t(3, size=300)
    knots, scores = fit_quantile_map(values, 100)
    assert len(knots) == 102  # the quantiles and a tail knot beyond each end
    assert np.all(np.diff(knots) > 0) and np.all(np.diff(scores) > 0)
    t = np.concatenate(
        [np.sort(values), [-1e12, -1e6, -50.0, 50.0, 1e6, 1e12], np.linspace(-9, 9, 99)]
    )
    t = np.sort(t)
    z = quantile_forward(t, knots, scores)
    assert np.all(np.isfinite(z))
    assert np.all(np.diff(z) > 0)  # strictly increasing everywhere
    assert_allclose(quantile_inverse(z, knots, scores), t, rtol=1e-12, atol=1e-12)
    w = np.linspace(-1e6, 1e6, 101)
    assert_allclose(
        quantile_forward(quantile_inverse(w, knots, scores), knots, scores),
        w,
        rtol=1e-12,
        atol=1e-9,
    )
    # the knots map onto their normal scores
    assert_allclose(quantile_forward(knots, knots, scores), scores, rtol=1e-12)


def test_quantile_map_log_derivative_is_exact():
    values = np.random.default_rng(2).lognormal(size=200)
    knots, scores = fit_quantile_map(values, 40)
    t = np.random.default_rng(3).uniform(-2, 30, size=300)
    h = 1e-7
    slope = (
        quantile_forward(t + h, knots, scores) - quantile_forward(t - h, knots, scores)
    ) / (2 * h)
    # away from the knots the central difference is the segment's slope
    far = np.min(np.abs(t[:, None] - knots[None, :]), axis=1) > 10 * h
    assert far.sum() > 290
    assert_allclose(
        quantile_log_derivative(t, knots, scores)[far], np.log(slope[far]), rtol=1e-6
    )
    # beyond the end knots: the end segments' slopes
    end = np.log(np.diff(scores) / np.diff(knots))[[0, -1]]
    assert_allclose(quantile_log_derivative(np.array([-1e9, 1e9]), knots, scores), end)


def test_quantile_map_merges_ties():
    values = np.r_[np.zeros(50), np.ones(30), np.arange(20.0) + 2]
    knots, scores = fit_quantile_map(values, 1000)
    assert np.all(np.diff(knots) > 0) and np.all(np.diff(scores) > 0)
    assert np.all(np.isfinite(quantile_log_derivative(values, knots, scores)))
    # the run of quantiles equal to 0 is one knot at its mean probability
    probabilities = (np.arange(100) + 0.5) / 100
    run = np.quantile(values, probabilities) == 0
    assert run.sum() > 40
    assert knots[1] == 0.0 and 1.0 in knots  # knots[0]: the lower tail knot
    assert_allclose(scores[1], norm.ppf(probabilities[run].mean()), rtol=1e-12)
    z = quantile_forward(values, knots, scores)
    assert_allclose(quantile_inverse(z, knots, scores), values, atol=1e-12)
    # a constant column: one unit-slope segment
    knots, scores = fit_quantile_map(np.full(10, 4.0), 1000)
    assert_array_equal(knots, [3.5, 4.5])
    assert_allclose(np.diff(scores), 1.0)
    enc = TabularEncoder(numeric="quantile", column_types={"x": "continuous"})
    table = pd.DataFrame({"x": values})
    enc.fit(table)
    assert_allclose(enc.inverse_transform(enc.transform(table))["x"], values)


# ------------------------------------------------------- samples in support


@pytest.mark.parametrize("clip", [False, True])
def test_decoded_samples_stay_in_the_support(fitted, frame, clip):
    enc = fitted
    if clip:
        enc = TabularEncoder(**{**fitted.get_params(), "clip": True}).fit(frame)
    raw = np.random.default_rng(4).normal(size=(2000, enc.n_output_)) * 1e3
    out = enc.inverse_transform(raw)
    assert out.dtypes.tolist() == frame.dtypes.tolist()
    present = {c: out[c].dropna() for c in out}
    assert (present["pos"] > 0).all() and np.isfinite(present["pos"]).all()
    assert (present["nonneg"] >= 0).all() and (present["nonneg"] == 0).any()
    assert ((present["prop"] > 0) & (present["prop"] < 1)).all()
    assert ((present["bnd"] > -5) & (present["bnd"] < 10)).all()
    for col in ("count", "count_na"):
        values = present[col].to_numpy(dtype=float)
        assert np.all(values >= 0) and np.all(values == np.round(values))
    values = present["int"].to_numpy(dtype=float)
    assert np.all(values == np.round(values))
    for col in ("disc", "bin01", "cat", "obj", "obj_na", "str_na", "cat_na"):
        seen = set(frame[col].dropna())
        assert set(present[col]) <= seen, col
    # missing values are drawn in the columns that had them, and only there
    assert out["cont_na"].isna().any() and not out["cont"].isna().any()
    if clip:
        for col, (low, high) in enc.data_range_.items():
            values = present[col].to_numpy(dtype=float)
            assert np.all((values >= low) & (values <= high)), col
    else:
        assert present["pos"].max() > frame["pos"].max()
        assert present["count"].max() > frame["count"].max()


# ---------------------------------------------------------------- detection


def test_detection_on_real_tables():
    from palmerpenguins import load_penguins
    from sklearn.datasets import load_diabetes, load_wine
    from statsmodels.api import datasets

    kinds = TabularEncoder().fit(load_diabetes(as_frame=True, scaled=False).frame)
    assert kinds.column_kinds_["sex"] == "binary"
    kinds = TabularEncoder().fit(load_penguins()).column_kinds_
    assert kinds["year"] == "discrete"
    assert kinds["species"] == "categorical" and kinds["sex"] == "binary"
    kinds = TabularEncoder().fit(load_wine(as_frame=True).frame).column_kinds_
    assert kinds["flavanoids"] == kinds["malic_acid"] == "positive"
    assert kinds["proline"] == "count"
    fair = datasets.fair.load_pandas().data
    kinds = TabularEncoder().fit(fair).column_kinds_
    assert kinds["rate_marriage"] == kinds["religious"] == "discrete"
    assert kinds["affairs"] == "nonnegative"


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (np.random.default_rng(0).normal(2, 1, 30), "continuous"),  # no sign by chance
        (np.random.default_rng(0).normal(170, 10, 1000), "continuous"),
        (np.random.default_rng(0).exponential(1, 200), "positive"),
        (np.r_[0.0, np.random.default_rng(0).exponential(1, 200)], "nonnegative"),
        (np.random.default_rng(0).normal(0, 1, 200), "continuous"),
        (np.random.default_rng(0).geometric(0.1, 200) - 1.0, "count"),
        (np.random.default_rng(0).integers(1000, 2000, 200) * 1.0, "integer"),
        (np.random.default_rng(0).integers(-50, 50, 200) * 1.0, "integer"),
        (np.r_[np.zeros(10), np.ones(5)], "binary"),
        (np.tile([1.0, 2.0, 4.0], 3), "discrete"),
        (np.arange(8.0), "integer"),  # 8 levels seen once: not discrete
        # one fraction in 200 whole numbers (1 %: still integer-valued), two
        # in 100 (2 %: continuous)
        (np.r_[42.5, np.random.default_rng(0).integers(20, 90, 199)], "integer"),
        (np.r_[42.5, 7.5, np.random.default_rng(0).integers(20, 90, 98)], "continuous"),
        (np.random.default_rng(0).normal(3, 1, 200) * 1e200, "continuous"),
        (np.random.default_rng(0).lognormal(0, 1, 200) * 1e300, "positive"),
    ],
)
def test_detect_numeric_kind(values, kind):
    assert detect_numeric_kind(values) == kind


def test_a_rare_fraction_keeps_a_detected_integer_column_and_is_scored():
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"s3": np.r_[42.5, rng.integers(20, 90, 299) * 1.0]})
    enc = TabularEncoder().fit(table)
    assert enc.column_kinds_ == {"s3": "integer"}
    Xt, correction = enc._encode_with_correction(table)
    assert np.all(np.isfinite(Xt)) and np.all(np.isfinite(correction))
    decoded = enc.inverse_transform(Xt)["s3"].to_numpy()
    assert np.all(decoded == np.round(decoded))  # decoding gives integers
    # the fraction's mass is the unit interval's around it: as large as the
    # (same-width) bins of its integer neighbours
    assert_array_equal(correction, np.full(len(table), correction[1]))
    with pytest.raises(ValueError, match="declared in column_types"):
        TabularEncoder(column_types={"s3": "integer"}).fit(table)


def test_bounded_below_weighs_the_evidence():
    rng = np.random.default_rng(0)
    assert not bounded_below(rng.normal(2, 1, 30))  # p = 0.023: 50% chance
    assert bounded_below(rng.normal(2, 1, 300))  # 300 rows, none below 0
    assert not bounded_below(np.full(5, 3.0))  # no spread: no evidence
    assert bounded_below(rng.exponential(1, 50))


def test_column_types_override_detection():
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {
            "a": rng.normal(3, 1, 30),  # all > 0, detected continuous
            "b": rng.integers(0, 4, 30),
            "c": rng.integers(0, 100, 30),
            "d": pd.Series(np.array(["x", "y"])[np.arange(30) % 2], dtype=object),
        }
    )
    enc = TabularEncoder(
        column_types={
            "a": "positive",
            "b": "continuous",
            "c": "categorical",
            "d": "categorical",
        }
    ).fit(table)
    assert enc.column_kinds_ == {
        "a": "positive",
        "b": "continuous",
        "c": "categorical",
        "d": "categorical",
    }
    blocks = enc._column_blocks()
    assert blocks["b"] == {"numeric": slice(1, 2)}
    n_levels = len(np.unique(table["c"]))
    assert blocks["c"] == {"categorical": slice(2, 2 + n_levels)}
    # two levels declared categorical: still one 0/1 column (a softmax over
    # two one-hot columns is a Bernoulli)
    assert blocks["d"] == {"binary": slice(2 + n_levels, 3 + n_levels)}
    assert_allclose(enc.mean_[0], np.log(table["a"]).mean())
    _assert_frames_identical(enc.inverse_transform(enc.transform(table)), table)
    # "dtype": every numeric column continuous
    enc = TabularEncoder(column_types="dtype").fit(table)
    assert enc.column_kinds_ == {
        "a": "continuous",
        "b": "continuous",
        "c": "continuous",
        "d": "binary",
    }
    # arrays: columns by index
    enc = TabularEncoder(column_types={1: "count"}).fit(table[["a", "b"]].to_numpy())
    assert enc.column_kinds_ == {0: "continuous", 1: "count"}


@pytest.mark.parametrize(
    ("column_types", "message"),
    [
        (
            {"zz": "count"},
            "column_types names columns that X does not have: ['zz']; the "
            "columns are ['x', 'k', 's']",
        ),
        (
            {"x": "ordinal"},
            "column_types['x'] must be one of ['continuous', 'positive', "
            "'nonnegative', 'proportion', 'count', 'integer', 'discrete', "
            "'binary', 'categorical'] or ('bounded', low, high); got 'ordinal'",
        ),
        ({"x": ("bounded", 0)}, "column_types['x'] must be one of"),
        (
            {"x": ("bounded", 3, 1)},
            "column_types['x'] = ('bounded', 3, 1): a bounded column needs "
            "finite bounds low < high",
        ),
        ({"x": ("bounded", 0, np.inf)}, "needs finite bounds low < high"),
        ({"x": ("bounded", "0", 1)}, "needs finite bounds low < high"),
        (
            {"x": "proportion"},
            "Column 'x' is 'proportion' (declared in column_types), but holds "
            "values outside its support: [",
        ),
        ({"x": ("bounded", -1, 1.5)}, "Column 'x' is 'bounded' (declared"),
        ({"x": "positive"}, "Column 'x' is 'positive' (declared in column_types)"),
        ({"x": "count"}, "Column 'x' is 'count' (declared"),
        ({"k": "binary"}, "column_types['k'] = 'binary', but the column has 3 "),
        (
            {"s": "binary"},
            "column_types['s'] = 'binary', but the column has 3 levels ['a', 'b', 'c']",
        ),
        (
            {"s": "count"},
            "column_types['s'] = 'count', but the column is not numeric (dtype object)",
        ),
    ],
)
def test_column_types_errors(column_types, message):
    table = pd.DataFrame(
        {
            "x": [0.0, 0.5, 1.5, -0.2, 2.0, 0.25],
            "k": [1, 2, 3, 1, 2, 3],
            "s": pd.Series(list("abcabc"), dtype=object),
        }
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        TabularEncoder(column_types=column_types).fit(table)


def test_detection_keeps_the_training_values_in_the_support():
    # the detected support always holds the training values: a column with a
    # negative value is never positive, a fraction never a count
    table = pd.DataFrame(
        {"x": np.r_[-1e-9, np.random.default_rng(0).exponential(1, 99)]}
    )
    assert TabularEncoder().fit(table).column_kinds_ == {"x": "continuous"}


# ------------------------------------------------------ likelihood terms


def test_unseen_levels_and_values_outside_the_support(frame):
    enc = TabularEncoder(column_types=DECLARED).fit(frame)
    _, base = enc._encode_with_correction(frame)
    mass = enc.unseen_mass_["disc"]
    assert mass == 1 / (len(frame) + 1)
    assert enc.unseen_mass_["cat_na"] == 1 / (len(frame) - 3 + 1)  # 3 missing
    # per row of a discrete column: log(1 - mass) for a seen level
    only = frame[["disc"]]
    alone = TabularEncoder().fit(only)
    _, correction = alone._encode_with_correction(only)
    assert_allclose(correction, np.log1p(-mass), rtol=1e-12)
    _, correction = alone._encode_with_correction(pd.DataFrame({"disc": [4, 1]}))
    assert_allclose(correction, [np.log(mass), np.log1p(-mass)], rtol=1e-12)
    # in the whole table
    other = frame.copy()
    other.loc[0, "disc"] = 4
    other.loc[1, "bin01"] = 7
    Xt, correction = enc._encode_with_correction(other)
    swap = np.log(mass) - np.log1p(-mass)
    assert_allclose(correction[:2] - base[:2], swap, rtol=1e-12)
    assert_array_equal(correction[2:], base[2:])
    disc = enc._column_blocks()["disc"]["categorical"]
    assert_array_equal(Xt[0, disc], 0.0)
    assert Xt[1, enc._column_blocks()["bin01"]["binary"].start] == 0.5
    # a missing value in a column that had none: likelihood 0
    for col in ("cont", "disc", "cat", "obj", "pos"):
        other = frame.copy()
        other[col] = other[col].astype(object)
        other.loc[5, col] = None
        correction = enc._encode_with_correction(other)[1]
        assert correction[5] == -np.inf, col
        assert_array_equal(np.delete(correction, 5), np.delete(base, 5))
    # a value outside its column's support: likelihood 0
    for col, value in [
        ("pos", 0.0),
        ("pos", -1.0),
        ("prop", 1.0),
        ("prop", 0.0),
        ("bnd", 10.0),
        ("bnd", -7.0),
        ("nonneg", -0.5),
        ("count", -1),
    ]:
        other = frame.copy()
        if isinstance(value, float) and col in ("count", "int"):
            other[col] = other[col].astype(float)
        other.loc[5, col] = value
        Xt, correction = enc._encode_with_correction(other)
        assert correction[5] == -np.inf, (col, value)
        assert_array_equal(np.delete(correction, 5), np.delete(base, 5))
        assert np.all(np.isfinite(Xt))
    # a fraction in an integer column: the mass of the unit interval around
    # it, finite and between its neighbours' (a column whole in training
    # may hold a rare fraction elsewhere)
    for col in ("count", "int"):
        other = frame.copy()
        other[col] = other[col].astype(float)
        other.loc[5, col] = other.loc[5, col] + 0.5
        Xt, correction = enc._encode_with_correction(other)
        assert np.isfinite(correction[5]), col
        assert np.all(np.isfinite(Xt))
    # a value outside the training range but inside the support: finite
    other = frame.copy()
    other.loc[5, "pos"] = 1e6
    other.loc[6, "count"] = 10**6
    other.loc[7, "cont"] = -1e4
    assert np.all(np.isfinite(enc._encode_with_correction(other)[1]))


def test_likelihood_layout_masks_and_bins(fitted):
    masks, bins = fitted._likelihood_layout()
    assert len(masks) == len(fitted.output_blocks_)
    blocks = fitted._column_blocks()
    for (col, kind, _), mask in zip(fitted.output_blocks_, masks, strict=True):
        if col in fitted.states_ and kind != "state":
            assert mask == blocks[col]["state"].start  # its "value" state
            assert fitted.states_[col][0] == "value"
        else:
            assert mask == -1
    integer_columns = [c for c, k, _ in fitted.output_blocks_ if k == "integer"]
    assert len(bins) == len(integer_columns) == 3
    for col, (half, censor) in zip(integer_columns, bins, strict=True):
        j = fitted.numeric_columns_.index(col)
        mean, scale = fitted.mean_[j], fitted.scale_[j]
        assert_allclose(half, 0.5 / scale, rtol=1e-12)
        if fitted.column_kinds_[col] == "count":
            assert_allclose(censor, (0 - mean) / scale + half, rtol=1e-12)
        else:
            assert censor == -np.inf
    # the encoded integers lie on the lattice of bins of width 2 * half
    table = _kinds_frame()
    Xt = fitted.transform(table)
    for col, (half, _) in zip(integer_columns, bins, strict=True):
        z = Xt[table[col].notna().to_numpy(), blocks[col]["integer"].start]
        steps = np.diff(np.unique(z)) / (2 * half)
        assert_allclose(steps, np.round(steps), atol=1e-9)


# ---------------------------------------------------------------- pipeline


@pytest.mark.parametrize("numeric", ["standard", "quantile"])
def test_gaussian_mixture_pipeline_on_a_real_valued_table(numeric):
    rng = np.random.default_rng(5)
    n = 300
    table = pd.DataFrame(
        {
            "cont": rng.normal(0, 2, n),
            "pos": rng.lognormal(0, 1, n),
            "prop": rng.beta(2, 5, n),
            "bnd": rng.uniform(1, 4, n),
        }
    )
    types = {"prop": "proportion", "bnd": ("bounded", 0, 5)}
    enc = TabularEncoder(column_types=types, numeric=numeric)
    pipe = make_generative_pipeline(enc, GaussianMixture(2, random_state=0)).fit(table)
    scores = pipe.score_samples(table)
    assert np.all(np.isfinite(scores))
    enc, gmm = pipe[0], pipe[-1]
    expected = gmm.score_samples(enc.transform(table)) + enc.log_abs_det_jacobian(table)
    assert_allclose(scores, expected, rtol=1e-12)
    # outside the support: likelihood 0
    bad = table.iloc[:3].copy()
    bad.loc[0, "pos"] = -1.0
    bad.loc[1, "prop"] = 1.0
    assert_array_equal(pipe.score_samples(bad), [-np.inf, -np.inf, scores[2]])
    drawn, _ = pipe.sample(500)  # GaussianMixture.sample returns labels too
    assert list(drawn.columns) == list(table.columns)
    assert (drawn["pos"] > 0).all()
    assert ((drawn["prop"] > 0) & (drawn["prop"] < 1)).all()
    assert ((drawn["bnd"] > 0) & (drawn["bnd"] < 5)).all()
    assert np.all(np.isfinite(pipe.score_samples(drawn)))


# ------------------------------------------------------------- persistence


@pytest.mark.parametrize("numeric", ["standard", "quantile"])
def test_pickle_and_skops_round_trip(frame, numeric):
    enc = TabularEncoder(column_types=DECLARED, numeric=numeric).fit(frame)
    Xt, correction = enc._encode_with_correction(frame)
    raw = np.random.default_rng(6).normal(size=(50, enc.n_output_)) * 3
    decoded = enc.inverse_transform(raw)
    for loaded in (
        pickle.loads(pickle.dumps(enc)),
        sio.loads(sio.dumps(enc), trusted=trusted_types()),
    ):
        for attr in ("column_kinds_", "bounds_", "states_", "unseen_mass_"):
            assert getattr(loaded, attr) == getattr(enc, attr), attr
        assert loaded.data_range_ == enc.data_range_
        assert loaded.dtypes_ == enc.dtypes_
        if numeric == "quantile":
            assert set(loaded.quantile_maps_) == set(enc.quantile_maps_)
            for col, (knots, scores) in enc.quantile_maps_.items():
                assert_array_equal(loaded.quantile_maps_[col][0], knots)
                assert_array_equal(loaded.quantile_maps_[col][1], scores)
        loaded_Xt, loaded_correction = loaded._encode_with_correction(frame)
        assert_array_equal(loaded_Xt, Xt)
        assert_array_equal(loaded_correction, correction)
        pd.testing.assert_frame_equal(loaded.inverse_transform(raw), decoded)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_decoded_values_of_narrow_floats_stay_in_the_support(dtype):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {
            "pos": rng.lognormal(0, 1, 100).astype(dtype),
            "prop": rng.beta(2, 5, 100).astype(dtype),
        }
    )
    enc = TabularEncoder(column_types={"prop": "proportion"}).fit(table)
    out = enc.inverse_transform(np.array([[-1e3, -1e3], [1e3, 1e3]]))
    assert out.dtypes.tolist() == [np.dtype(dtype)] * 2
    assert (out["pos"] > 0).all()
    assert ((out["prop"] > 0) & (out["prop"] < 1)).all()
    assert np.all(np.isfinite(enc._encode_with_correction(out)[1]))


def test_quantile_tails_follow_the_outer_tenth_not_the_last_segment():
    # the two largest values are close: the last segment is steep, and a
    # held-out value beyond them must not get an absurd score
    values = np.r_[np.linspace(0.0, 10.0, 118), 10.001, 10.002]
    knots, scores = fit_quantile_map(values, 1000)
    inner = np.searchsorted(norm.cdf(scores[1:-1]), 0.9) + 1
    secant = (scores[-2] - scores[inner]) / (knots[-2] - knots[inner])
    assert_allclose(
        quantile_log_derivative(np.array([11.0]), knots, scores), np.log(secant)
    )
    last = (scores[-2] - scores[-3]) / (knots[-2] - knots[-3])
    assert last > 20 * secant  # the end segment alone would be far steeper
    z = quantile_forward(np.array([12.0, -2.0]), knots, scores)
    assert np.all(np.abs(z) < 7)  # the last segment's slope: |z| near 500
    assert_allclose(quantile_inverse(z, knots, scores), [12.0, -2.0], rtol=1e-12)
