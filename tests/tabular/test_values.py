"""The value checks and casts shared by the encoder and the augmenters."""

import numpy as np
import pandas as pd
import pytest

from skgen.tabular._values import check_complete, round_to_dtype


@pytest.mark.parametrize(
    ("dtype", "values", "expected"),
    [
        (np.dtype(bool), [0.2, 0.7], [False, True]),
        (np.dtype(np.int8), [1.4, 300.0, -1e9], [1, 127, -128]),
        (np.dtype(np.int64), [1e300], [np.nextafter(2.0**63, 0)]),
        (pd.Int64Dtype(), [2.6], [3.0]),
        (np.dtype(np.float16), [7e4, -1e6, 1.5], [65504.0, -65504.0, 1.5]),
        (np.dtype(np.float32), [1e300], [float(np.finfo(np.float32).max)]),
    ],
)
def test_round_to_dtype(dtype, values, expected):
    out = round_to_dtype(np.array(values), dtype)
    np.testing.assert_array_equal(out, expected)
    cast = np.asarray(out).astype(getattr(dtype, "numpy_dtype", dtype))
    assert np.all(np.isfinite(cast.astype(float)))  # no overflow in the cast


def test_float64_values_are_left_alone():
    values = np.array([1e308, -2.5])
    assert round_to_dtype(values, np.dtype(np.float64)) is values


def test_check_complete_names_the_columns():
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": [1.0, 2.0], "c": ["x", "y"]})
    with pytest.raises(ValueError, match=r"missing values .* in columns \['a'\]; me"):
        check_complete(frame, "me")
    frame["a"] = [np.inf, 1.0]
    with pytest.raises(ValueError, match=r"infinite values \(inf\) in columns \['a'\]"):
        check_complete(frame, "me")
    check_complete(frame.drop(columns="a"), "me")


def test_vae_samples_of_a_float16_column_stay_finite():
    from skgen.neural import VAE

    rng = np.random.RandomState(0)
    df = pd.DataFrame(
        {"a": rng.normal(6e4, 5e3, 200).clip(-6e4, 6e4).astype(np.float16)}
    )
    vae = VAE(hidden_layer_sizes=(4,), max_epochs=2, random_state=0).fit(df)
    drawn = vae.sample(2000, random_state=0)["a"].to_numpy()
    assert drawn.dtype == np.float16 and np.all(np.isfinite(drawn))
