"""The tabular plumbing shared by tabular generative models, on a toy model."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from skgen.base import GenerativeClassifierMixin, GenerativeMixin
from skgen.tabular import TabularEncoder
from skgen.tabular._mixin import TabularModelMixin

#: The encoder of the toys: ``k`` is a constant real-valued column (detected,
#: a constant column is one level of a discrete column).
ENCODER = TabularEncoder(column_types={"k": "continuous"})


class Toy(TabularModelMixin, GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """The mixin's state, without a model."""

    def __init__(self, encoder=ENCODER):
        self.encoder = encoder

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
    # the encoder parameter is cloned, not fitted
    assert toy.encoder_ is not ENCODER and not hasattr(ENCODER, "output_blocks_")
    assert toy.encoder_.get_params() == ENCODER.get_params()
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
    toy.set_params(encoder=None).fit(np.zeros((5, 2)))  # a refit drops the names
    assert not hasattr(toy, "feature_names_in_") and toy.n_features_in_ == 2
    # None is the default encoder: the constant column is one discrete level
    assert toy.encoder_.get_params() == TabularEncoder().get_params()
    assert Toy(encoder=None).fit(frame)._blocks[1] == ("categorical", 1, 2)


def test_the_encoder_parameter_must_be_a_tabular_encoder(frame):
    with pytest.raises(
        TypeError,
        match=r"The encoder parameter of Toy must be a TabularEncoder or None; "
        r"got 'onehot'",
    ):
        Toy(encoder="onehot").fit(frame)


def test_encode_scored_and_the_constant_check(frame):
    toy = Toy().fit(frame)
    other = frame.assign(k=np.where(np.arange(40) < 3, 4.0, 3.0))
    Xt, correction = toy._encode_scored(other)
    np.testing.assert_array_equal(Xt, toy.encoder_.transform(other))
    seen = np.log1p(-1 / 41)  # g and b: a level seen in training
    expected = -np.log(toy.encoder_.scale_[0]) + 2 * seen
    assert np.all(correction[:3] == -np.inf)
    np.testing.assert_allclose(correction[3:], expected, rtol=1e-12)
    numeric = frame[["x", "k"]]
    numeric_toy = Toy().fit(numeric)
    np.testing.assert_array_equal(
        numeric_toy._encode_scored(numeric)[1],
        numeric_toy.encoder_.log_abs_det_jacobian(numeric),
    )


def test_likelihood_arguments_carry_the_masks_and_bins():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "n": rng.negative_binomial(1, 0.1, size=60),  # a count
            "x": rng.normal(size=60),
            "g": pd.Categorical(rng.choice(list("abc"), 60)),
        }
    )
    frame.loc[[2, 5], "x"] = np.nan
    toy = Toy(encoder=None).fit(frame)
    enc = toy.encoder_
    assert enc.column_kinds_ == {"n": "count", "x": "continuous", "g": "categorical"}
    arguments = toy._likelihood_arguments()
    assert arguments["blocks"] == [
        ("integer", 0, 1),
        ("state", 1, 3),
        ("numeric", 3, 4),
        ("categorical", 4, 7),
    ]
    # the value block of x counts where its "value" state (column 1) is on
    assert arguments["masks"] == [-1, -1, 1, -1]
    ((half, censor),) = arguments["integer_bins"]
    mean, scale = enc.mean_[0], enc.scale_[0]
    np.testing.assert_allclose(half, 0.5 / scale, rtol=1e-12)
    np.testing.assert_allclose(censor, (0 - mean) / scale + half, rtol=1e-12)
    np.testing.assert_array_equal(toy.Xt_[[2, 5], 1:3], [[0, 1], [0, 1]])


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
        ("_block_masks", [1, -1, -1, -1], "block masks and integer bins must be"),
        ("_integer_bins", [(0.5, -np.inf)], "block masks and integer bins must be"),
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
