"""representation_gap on hand-made tables."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skgen.metrics import representation_gap


@pytest.fixture
def tables():
    real = pd.DataFrame(
        {
            "group": ["a", "a", "a", "b", "b", "c"],
            "income": [">50K", "<=50K", ">50K", "<=50K", "<=50K", ">50K"],
            "hired": [True, False, True, False, True, False],
        }
    )
    synth = pd.DataFrame(
        {
            "group": ["a", "a", "b", "b", "b", "d", "d", "a"],
            "income": [
                ">50K",
                ">50K",
                "<=50K",
                ">50K",
                "<=50K",
                ">50K",
                "<=50K",
                ">50K",
            ],
            "hired": [True, True, False, False, False, True, True, False],
        }
    )
    return real, synth


def test_shares_by_hand(tables):
    real, synth = tables
    res = representation_gap(real, synth, sensitive="group")
    t = res.table
    assert t.index.tolist() == ["a", "b", "c", "d"]
    assert t.index.name == "group"
    assert_array_equal(t["n_real"], [3, 2, 1, 0])
    assert_array_equal(t["n_generated"], [3, 3, 0, 2])
    assert_allclose(t["share_real"], [3 / 6, 2 / 6, 1 / 6, 0])
    assert_allclose(t["share_generated"], [3 / 8, 3 / 8, 0, 2 / 8])
    assert_allclose(t["share_gap"], [3 / 8 - 1 / 2, 3 / 8 - 1 / 3, -1 / 6, 1 / 4])
    assert res.max_share_gap == pytest.approx(1 / 4)
    assert np.isnan(res.max_outcome_gap)
    assert "outcome_rate_real" not in t


def test_outcome_rates_by_hand(tables):
    real, synth = tables
    res = representation_gap(real, synth, sensitive="group", outcome="hired")
    t = res.table
    assert_allclose(t["outcome_rate_real"], [2 / 3, 1 / 2, 0, np.nan])
    assert_allclose(t["outcome_rate_generated"], [2 / 3, 0, np.nan, 1])
    assert_allclose(t["outcome_rate_gap"], [0, -1 / 2, np.nan, np.nan])
    assert res.max_outcome_gap == pytest.approx(1 / 2)  # over groups in both


def test_positive_label_for_string_outcome(tables):
    real, synth = tables
    res = representation_gap(
        real, synth, sensitive="group", outcome="income", positive_label=">50K"
    )
    assert_allclose(res.table["outcome_rate_real"], [2 / 3, 0, 1, np.nan])
    assert_allclose(res.table["outcome_rate_generated"], [1, 1 / 3, np.nan, 1 / 2])
    assert res.max_outcome_gap == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="pass positive_label"):
        representation_gap(real, synth, sensitive="group", outcome="income")


def test_arrays_with_column_indices(tables):
    real, synth = tables
    by_name = representation_gap(real, synth, sensitive="group", outcome="hired")
    by_index = representation_gap(
        real.to_numpy(), synth.to_numpy(), sensitive=0, outcome=2
    )
    assert_allclose(by_index.table.to_numpy(float), by_name.table.to_numpy(float))
    assert by_index.max_share_gap == by_name.max_share_gap
    numeric = representation_gap(
        [[0, 1.0], [1, 0.0]], [[0, 0.0], [0, 1.0]], sensitive=0
    )
    assert numeric.table.index.tolist() == [0, 1]
    assert numeric.max_share_gap == pytest.approx(0.5)


def test_categorical_column_drops_unused_levels():
    dtype = pd.CategoricalDtype(["x", "y", "z"])
    real = pd.DataFrame({"g": pd.Series(["x", "y"], dtype=dtype)})
    synth = pd.DataFrame({"g": pd.Series(["x", "x"], dtype=dtype)})
    t = representation_gap(real, synth, sensitive="g").table
    assert t.index.tolist() == ["x", "y"]
    assert_allclose(t["share_gap"], [0.5, -0.5])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"sensitive": "nope"},
            ValueError,
            "sensitive='nope' is not a column of X_real",
        ),
        ({"sensitive": "group", "outcome": 7}, ValueError, "outcome=7 is not a column"),
        ({"sensitive": 1.5}, ValueError, "'sensitive' parameter of representation_gap"),
    ],
)
def test_errors(tables, kwargs, error, match):
    real, synth = tables
    with pytest.raises(error, match=match):
        representation_gap(real, synth, **kwargs)


def test_missing_values_and_shapes(tables):
    real, synth = tables
    with pytest.raises(
        ValueError, match="'group' \\(sensitive\\) of X_generated contains missing"
    ):
        representation_gap(real, synth.assign(group=None), sensitive="group")
    with pytest.raises(ValueError, match="X_generated has 2 columns, but X_real has 3"):
        representation_gap(real, synth.iloc[:, :2], sensitive="group")
    with pytest.raises(ValueError, match="sensitive=5 is not a column index of X_real"):
        representation_gap(real.to_numpy(), synth.to_numpy(), sensitive=5)
    with pytest.raises(ValueError, match="X_real must have at least 1 row"):
        representation_gap(real.iloc[:0], synth, sensitive="group")
