"""The shared helpers of skgen.augment: rounding, casting generated rows."""

import numpy as np
import pandas as pd
import pytest

from skgen.augment._common import (
    as_rows_like,
    n_rows_to_add,
    n_synthetic_strategy,
    round_to_dtype,
)


@pytest.mark.parametrize(
    ("n_synthetic", "n_samples", "expected"),
    [
        (0.5, 5, 3),  # 2.5 rounds up, not to even (Python's round gives 2)
        (0.5, 3, 2),  # 1.5
        (0.5, 1, 1),  # 0.5
        (0.25, 10, 3),  # 2.5
        (0.1, 4, 0),  # 0.4
        (0.0, 100, 0),
        (0, 100, 0),
        (7, 100, 7),  # an int is a count, whatever n_samples
    ],
)
def test_n_rows_to_add_rounds_half_up(n_synthetic, n_samples, expected):
    assert n_rows_to_add(n_synthetic, n_samples) == expected


def test_n_synthetic_strategy_rounds_each_class_half_up():
    y = np.repeat([0, 1], [15, 5])
    assert n_synthetic_strategy(y, 0.5) == {0: 23, 1: 8}  # 7.5 -> 8, 2.5 -> 3
    assert n_synthetic_strategy(y, 0.0) == {0: 15, 1: 5}


def test_round_to_dtype():
    values = np.array([-0.7, -0.2, 0.2, 0.49, 0.51, 1.5, 2.5, 300.0])
    np.testing.assert_array_equal(round_to_dtype(values, np.dtype(bool)), values > 0.5)
    np.testing.assert_array_equal(
        round_to_dtype(values, np.dtype(np.int64)), [-1, 0, 0, 0, 1, 2, 2, 300]
    )
    # clipped to the dtype's range
    np.testing.assert_array_equal(
        round_to_dtype(values, np.dtype(np.uint8)), [0, 0, 0, 0, 1, 2, 2, 255]
    )
    # nullable pandas dtypes too
    np.testing.assert_array_equal(
        round_to_dtype(values, pd.Int64Dtype()), [-1, 0, 0, 0, 1, 2, 2, 300]
    )
    np.testing.assert_array_equal(
        round_to_dtype(values, pd.BooleanDtype()), values > 0.5
    )
    # floats and integers already integral are left alone
    assert round_to_dtype(values, np.dtype(float)) is values
    ints = np.arange(3)
    assert round_to_dtype(ints, np.dtype(np.int32)) is ints


def test_frame_and_array_rows_are_cast_alike():
    """A generator returning an array: the same values whatever X's type."""
    rng = np.random.RandomState(0)
    generated = rng.normal(0.5, 0.6, size=(200, 1))
    for dtype in (bool, np.int64, np.uint8):
        X = np.zeros((3, 1), dtype=dtype)
        from_array = as_rows_like(generated, X, 200, "g")
        from_frame = as_rows_like(generated, pd.DataFrame(X, columns=["c"]), 200, "g")
        assert from_frame["c"].dtype == from_array.dtype == dtype
        np.testing.assert_array_equal(from_frame["c"].to_numpy(), from_array[:, 0])
    frame = as_rows_like(
        generated.repeat(2, axis=1),
        pd.DataFrame({"b": [True], "i": [1]}),
        200,
        "g",
    )
    np.testing.assert_array_equal(frame["b"], generated[:, 0] > 0.5)
    np.testing.assert_array_equal(frame["i"], np.rint(generated[:, 0]))
