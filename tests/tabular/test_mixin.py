"""The tabular plumbing shared by tabular generative models, on a toy model."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from skgen.base import GenerativeClassifierMixin, GenerativeMixin
from skgen.tabular._mixin import TabularModelMixin


class Toy(TabularModelMixin, GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """The mixin's state, without a model."""

    def fit(self, X, y=None):
        self.Xt_, self.y_index_ = self._fit_table(X, y)
        return self


class Unconditional(TabularModelMixin, GenerativeMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.Xt_, self.y_index_ = self._fit_table(X, y)
        return self


@pytest.fixture
def frame():
    rng = np.random.RandomState(0)
    return pd.DataFrame(
        {
            "x": rng.normal(10, 2, size=40),
            "k": np.full(40, 3.0),
            "g": pd.Categorical(rng.choice(list("abc"), 40)),
            "b": rng.rand(40) < 0.5,
        }
    )


def test_fit_table_sets_the_encoding_and_point_masses(frame):
    toy = Toy().fit(frame)
    assert toy.n_features_in_ == 4
    assert list(toy.feature_names_in_) == ["x", "k", "g", "b"]
    assert toy._blocks == [
        ("numeric", 0, 1),
        ("constant", 1, 2),
        ("categorical", 2, 5),
        ("binary", 5, 6),
    ]
    np.testing.assert_array_equal(toy._constant_columns, [1])
    np.testing.assert_array_equal(toy._constant_values, toy.Xt_[0, [1]])
    np.testing.assert_array_equal(toy.Xt_, toy.encoder_.transform(frame))
    assert toy.y_index_ is None and not hasattr(toy, "classes_")
    toy.fit(np.zeros((5, 2)))  # a refit drops the feature names
    assert not hasattr(toy, "feature_names_in_") and toy.n_features_in_ == 2


def test_log_jacobian_and_the_constant_check(frame):
    toy = Toy().fit(frame)
    other = frame.assign(k=np.where(np.arange(40) < 3, 4.0, 3.0))
    log_jacobian = toy._table_log_jacobian(toy.encoder_.transform(other))
    expected = -np.log(toy.encoder_.scale_).sum()
    assert np.all(log_jacobian[:3] == -np.inf)
    np.testing.assert_array_equal(log_jacobian[3:], expected)
    numeric = frame[["x", "k"]]
    numeric_toy = Toy().fit(numeric)
    np.testing.assert_array_equal(
        numeric_toy._table_log_jacobian(numeric_toy.Xt_),
        numeric_toy.encoder_.log_abs_det_jacobian(numeric),
    )


def test_decoding_writes_the_constants_back(frame):
    toy = Toy().fit(frame)
    encoded = toy.Xt_.copy()
    encoded[:, 1] = 99.0  # a model's output for the point mass is ignored
    decoded = toy._decode_rows(encoded)
    pd.testing.assert_frame_equal(decoded, frame)


def test_class_onehots(frame):
    toy = Toy().fit(frame, np.repeat(["u", "v"], 20))
    np.testing.assert_array_equal(toy.y_index_, np.repeat([0, 1], 20))
    np.testing.assert_array_equal(toy._class_onehot([1, 0]), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(toy._onehot_or_none("v", 2), [[0, 1], [0, 1]])
    with pytest.raises(ValueError, match="A conditional Toy needs y here"):
        toy._onehot_or_none(None, 2)
    plain = Toy().fit(frame)
    assert plain._onehot_or_none(None, 2) is None
    with pytest.raises(ValueError, match="y was given, but this Toy was fitted"):
        plain._onehot_or_none("u", 2)
    assert Unconditional().fit(frame, np.zeros(40)).y_index_ is None


def test_bytes_per_sample(frame):
    toy = Toy().fit(frame)
    # 6 encoded columns, 2 numeric, 4 input columns, the label and its value
    assert toy._bytes_per_sample() == 8 * (2 * 6 + 2 * 2 + 2 * 4 + 2)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("_blocks", [("numeric", 0, 1)], "blocks must tile the encoder's 6"),
        ("_blocks", None, "blocks must tile the encoder's 6"),
        (
            "_blocks",
            [
                ("constant", 0, 1),
                ("constant", 1, 2),
                ("binary", 2, 5),
                ("binary", 5, 6),
            ],
            "blocks must tile the encoder's 6",
        ),
        ("_constant_values", [3.0], r"float64 array of shape \(1,\)"),
        ("_constant_values", np.zeros(2), r"float64 array of shape \(1,\)"),
    ],
)
def test_table_state_check(frame, key, value, message):
    toy = Toy().fit(frame)
    toy._check_table_state()
    setattr(toy, key, value)
    with pytest.raises(ValueError, match=message):
        toy._check_table_state()


def test_the_mixin_imports_no_engine():
    code = (
        "import sys, skgen.tabular._mixin; "
        "assert 'torch' not in sys.modules and 'skorch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
