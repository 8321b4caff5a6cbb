"""The VAE under set_params, extreme values, large requests, edited files, bad input."""

import inspect
import io
import json
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
import torch
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.preprocessing import StandardScaler

import skgen.neural._vae as vae_module
from skgen.augment import GenerativeResampler
from skgen.neural import VAE
from skgen.neural._base import row_seeded_normal
from skgen.neural._vae_module import VAEModule
from skgen.pipeline import make_generative_pipeline
from skgen.tabular import TabularEncoder
from skgen.utils import trusted_types


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    return VAE(**{**defaults, **params})


@pytest.fixture(scope="module")
def data():
    """N(40, 3) rows with two classes."""
    rng = np.random.RandomState(0)
    y = np.repeat(["a", "b"], 100)
    return rng.normal(40, 3, size=(200, 3)) + 2.0 * (y == "b")[:, None], y


@pytest.fixture(scope="module")
def vae(data):
    return tiny(n_importance_samples=16).fit(data[0])


@pytest.fixture(scope="module")
def cvae(data):
    return tiny(n_importance_samples=16).fit(*data)


# ------------------------------------------------------------- set_params

#: Every parameter, set to another valid value.
OTHER_PARAMS = {
    "latent_dim": 3,
    "encoder": TabularEncoder(numeric="quantile", n_quantiles=5),
    "decoder_variance": "column",
    "hidden_layer_sizes": (4, 4),
    "activation": "tanh",
    "max_epochs": 7,
    "batch_size": 5,
    "lr": 0.5,
    "optimizer": "sgd",
    "weight_decay": 0.1,
    "early_stopping": True,
    "validation_fraction": 0.5,
    "n_iter_no_change": 3,
    "n_importance_samples": 5,
    "callbacks": [],
    "device": "cuda:0",
    "dtype": "float32",
    "n_threads": 2,
    "verbose": 1,
    "random_state": 9,
}


def _outputs(model, X, y):
    Z = model.transform(X)
    out = {
        "score_samples": model.score_samples(X),
        "score": model.score(X),
        "elbo": model.elbo(X, y),
        "transform": Z,
        "inverse_transform": model.inverse_transform(Z, y),
        "names": model.get_feature_names_out(),
        "sample": model.sample(6, random_state=0),
    }
    if y is not None:
        out["joint"] = model.score_samples(X, y)
        out["predict_proba"] = model.predict_proba(X)
        out["transform_y"] = model.transform(X, y)
    return out


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        for u, v in zip(
            a[key] if isinstance(a[key], tuple) else (a[key],),
            b[key] if isinstance(b[key], tuple) else (b[key],),
            strict=True,
        ):
            np.testing.assert_array_equal(u, v, err_msg=key)


@pytest.mark.parametrize("conditional", [False, True])
def test_set_params_after_fit_changes_nothing(data, conditional):
    X, y = data[0][:20], (data[1][:20] if conditional else None)
    model = tiny(n_importance_samples=16).fit(data[0], data[1] if conditional else None)
    before = _outputs(model, X, y)
    net = model.net_
    assert set(OTHER_PARAMS) == set(model.get_params())
    model.set_params(**OTHER_PARAMS)
    _assert_same(_outputs(model, X, y), before)
    for loaded in (
        pickle.loads(pickle.dumps(model)),
        sio.loads(sio.dumps(model), trusted=trusted_types()),
    ):
        _assert_same(_outputs(loaded, X, y), before)
        # the rebuilt net is the fitted one, not one from the live parameters
        assert loaded.net_.max_epochs == net.max_epochs == 3
        assert loaded.net_.verbose == 0 and "progress_bar" not in dict(
            loaded.net_.callbacks_
        )
        assert loaded.get_params()["latent_dim"] == 3  # parameters as set
        assert loaded.get_params()["encoder"].numeric == "quantile"
        assert loaded.encoder_.numeric == "standard"  # the fitted encoding


# ---------------------------------------------------------- no silent NaN


EXTREME_ROWS = [
    [1e5, 0.0, 0.0],
    [1e300, 0.0, 0.0],
    [-1e300, 1e300, -1e300],
    [np.finfo(np.float64).max, 0.0, 40.0],
]


def test_extreme_rows_get_a_very_low_bound_never_nan(data, vae, cvae):
    X = data[0]
    floor = vae.score_samples(X).min() - 1e3
    extreme = np.array(EXTREME_ROWS)
    ints = np.array(
        [[np.iinfo(np.int64).max, 0, 40], [np.iinfo(np.int64).min, 40, 40]],
        dtype=np.int64,
    )
    for rows in (extreme, ints):
        for scores in (
            vae.score_samples(rows),
            vae.score_samples(rows, n_importance_samples=1),
            vae.elbo(rows),
            cvae.score_samples(rows),
            cvae.score_samples(rows, ["a"] * len(rows)),
            cvae.elbo(rows, ["b"] * len(rows)),
        ):
            assert not np.any(np.isnan(scores))
            assert np.all(scores < floor)
        assert vae.score(rows) < floor
    pipe = make_generative_pipeline(StandardScaler(), tiny()).fit(X)
    scores = pipe.score_samples(np.vstack([extreme, X[:3]]))
    assert not np.any(np.isnan(scores)) and np.all(np.isfinite(scores[-3:]))


def test_capped_log_variance_leaves_ordinary_rows_alone(data, vae):
    """The cap is far above what the encoder gives training rows."""
    from skgen.neural._vae_module import MAX_LOGVAR

    with torch.no_grad():
        x = torch.as_tensor(vae.encoder_.transform(data[0]))
        h = vae._eval_module().encoder(x)[:, vae._latent_dim :]
    assert h.max() < MAX_LOGVAR - 10


@pytest.mark.parametrize(
    "encoder", [None, TabularEncoder(column_types="dtype")], ids=["detected", "dtype"]
)
def test_columns_above_1e154_fit_score_and_sample(data, encoder):
    """Scaling the data by 2**600 scales the density by 2**-600 per column."""
    X = data[0]
    c = 2.0**600  # about 4e180: the squares of such values overflow float64
    small, big = tiny(encoder=encoder).fit(X), tiny(encoder=encoder).fit(c * X)
    assert big.encoder_.column_kinds_ == small.encoder_.column_kinds_
    assert np.all(np.isfinite(big.encoder_.scale_))
    scores = big.score_samples(c * X)
    assert np.all(np.isfinite(scores))
    np.testing.assert_allclose(
        scores, small.score_samples(X) - 3 * 600 * np.log(2.0), rtol=1e-12
    )
    samples = big.sample(50, random_state=0)
    assert np.all(np.isfinite(samples))
    np.testing.assert_allclose(samples, c * small.sample(50, random_state=0))


# ---------------------------------------------------------- bounded memory


@pytest.mark.parametrize("conditional", [False, True])
def test_sample_beyond_memory_fails_at_once(data, vae, cvae, monkeypatch, conditional):
    model = cvae if conditional else vae
    with pytest.raises(ValueError, match=r"sample\(n_samples=10000000000000\)"):
        model.sample(10**13)
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 10**6)
    need = 100_000 * model._bytes_per_sample()
    with pytest.raises(
        ValueError, match=r"sample\(n_samples=100000\) would need about [\d.]+ MiB"
    ):
        model.sample(100_000)
    assert need > 10**6
    out = model.sample(1000, random_state=0)
    X, labels = out if conditional else (out, None)
    # the output and its copy, the labels and their class indices
    per_row = X.nbytes / 1000
    if conditional:
        per_row += labels.nbytes / 1000 + 8
    assert model._bytes_per_sample() >= 2 * per_row


def test_sample_bytes_cover_a_mixed_frame():
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=60),
            "g": pd.Categorical(rng.choice(list("abcd"), 60)),
            "b": rng.rand(60) < 0.5,
        }
    )
    model = tiny(max_epochs=1).fit(frame)
    out = model.sample(500, random_state=0)
    per_row = out.memory_usage(index=False, deep=True).sum() / 500
    assert model._bytes_per_sample() >= 8 * (2 * 6 + 2) + per_row


def _old_row_seeded_normal(X, n_draws):
    """The noise stream as first released (the oracle: draws must not move)."""
    from skgen.neural._base import _GOLDEN, _splitmix64

    X = np.ascontiguousarray(X, dtype=np.float64) + 0.0
    h = np.zeros(X.shape[0], dtype=np.uint64)
    for column in X.view(np.uint64).T:
        h = _splitmix64(h ^ column)
    n_pairs = (n_draws + 1) // 2
    with np.errstate(over="ignore"):
        counters = np.arange(1, 2 * n_pairs + 1, dtype=np.uint64) * _GOLDEN
        bits = _splitmix64(h[:, None] + counters)
    u = ((bits >> np.uint64(11)) + np.uint64(1)) * 2.0**-53
    radius = np.sqrt(-2.0 * np.log(u[:, :n_pairs]))
    angle = 2.0 * np.pi * u[:, n_pairs:]
    eps = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return eps[:, :n_draws]


@pytest.mark.parametrize("n_draws", [1, 2, 7, 64, 129])
def test_row_noise_in_chunks_is_the_same_stream(n_draws):
    X = np.random.RandomState(0).normal(size=(20, 3))
    full = row_seeded_normal(X, n_draws)
    np.testing.assert_array_equal(full, _old_row_seeded_normal(X, n_draws))
    for start, stop in ((0, 1), (n_draws // 2, n_draws), (n_draws - 1, n_draws)):
        np.testing.assert_array_equal(
            row_seeded_normal(X, n_draws, start, stop), full[:, start:stop]
        )


@pytest.mark.parametrize("conditional", [False, True])
def test_importance_samples_are_scored_in_bounded_blocks(
    data, vae, cvae, monkeypatch, conditional
):
    model = cvae if conditional else vae
    X, y = data[0][:7], (data[1][:7] if conditional else None)
    k = {"n_importance_samples": 50}
    whole = model.score_samples(X, **k), model.elbo(X, y)
    sizes = []

    def spy(rows, n_draws, start=0, stop=None):
        sizes.append(rows.shape[0] * (stop - start))
        return row_seeded_normal(rows, n_draws, start, stop)

    monkeypatch.setattr(vae_module, "row_seeded_normal", spy)
    monkeypatch.setattr(vae_module, "_SCORE_BLOCK", 64)
    blocks = model.score_samples(X, **k), model.elbo(X, y)
    assert max(sizes) <= 64 and len(sizes) > 2 * len(X)
    for a, b in zip(whole, blocks, strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-12)
    # memory does not grow with the number of importance samples
    sizes.clear()
    many = model.score_samples(X[:1], n_importance_samples=2_000)
    assert np.isfinite(many[0]) and max(sizes) <= 64


def test_every_class_uses_the_same_number_of_importance_samples(
    data, cvae, monkeypatch
):
    X = data[0][:5]
    used = []
    log_weights = VAE._log_weights

    def spy(self, module, x, c, n_samples, start, stop):
        used.append((int(c[0].argmax()), n_samples))
        return log_weights(self, module, x, c, n_samples, start, stop)

    monkeypatch.setattr(VAE, "_log_weights", spy)
    cvae.set_params(n_importance_samples=3)  # not the fitted 16
    try:
        cvae.predict_proba(X)
        assert sorted(used) == [(0, 16), (1, 16)]
        used.clear()
        cvae.score_samples(X, n_importance_samples=7)
        assert sorted(used) == [(0, 7), (1, 7)]
    finally:
        cvae.set_params(n_importance_samples=16)


# ------------------------------------------------------------ edited files


def test_state_shapes_are_the_modules(data, cvae):
    for kwargs in (
        cvae._module_arguments()["module"][1],
        {
            "n_features": 7,
            "latent_dim": 3,
            "hidden": (5, 4, 2),
            "activation": "gelu",
            "blocks": [("numeric", 0, 2), ("categorical", 2, 5), ("binary", 5, 7)],
            "n_classes": 0,
        },
        {
            "n_features": 1,
            "latent_dim": 1,
            "hidden": (),
            "activation": "relu",
            "blocks": [("binary", 0, 1)],
            "n_classes": 4,
        },
        *(
            {
                "n_features": 7,
                "latent_dim": 2,
                "hidden": (3,),
                "activation": "relu",
                "blocks": [
                    ("state", 0, 2),
                    ("integer", 2, 3),
                    ("numeric", 3, 4),
                    ("state", 4, 6),
                    ("numeric", 6, 7),
                ],
                "masks": [-1, 0, -1, -1, 4],
                "integer_bins": [(0.1, -1.0)],
                "variance": variance,
                "n_classes": 2,
            }
            for variance in ("row", "column")
        ),
    ):
        state = VAEModule(**kwargs).state_dict()
        assert VAEModule.state_shapes(**kwargs) == {
            k: tuple(v.shape) for k, v in state.items()
        }


def test_module_arguments_come_from_the_fitted_state(cvae):
    (name, (module_class, kwargs)), *others = cvae._module_arguments().items()
    assert (name, module_class, others) == ("module", VAEModule, [])
    assert kwargs == {
        "n_features": 3,
        "latent_dim": 2,
        "hidden": (8,),
        "activation": "relu",
        "blocks": [("numeric", 0, 1), ("numeric", 1, 2), ("numeric", 2, 3)],
        "masks": [-1, -1, -1],
        "integer_bins": [],
        "variance": "row",
        "n_classes": 2,
    }
    assert not hasattr(cvae, "_module_kwargs")


def _edit_params(**changes):
    def edit(state):
        state["_fitted_params"] = {**state["_fitted_params"], **changes}

    return edit


def _set(key, value):
    def edit(state):
        state[key] = value

    return edit


MISMATCH = "network 'module' do not match its fitted state"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit_params(hidden_layer_sizes=(10**6, 10**6)), MISMATCH),
        (_edit_params(latent_dim=10**9), MISMATCH),
        (_set("classes_", np.array(["a", "b", "c"])), MISMATCH),
        (_edit_params(activation="swish"), "'activation' parameter of VAE must be"),
        (_edit_params(latent_dim=0), "'latent_dim' parameter of VAE must be"),
        (
            _edit_params(hidden_layer_sizes=(8, -1)),
            r"saved hidden_layer_sizes must hold positive ints .*got \(8, -1\)",
        ),
        (_set("_blocks", [("numeric", 0, 1)]), "blocks must tile the encoder's 3"),
        (_set("_blocks", "numeric"), "blocks must tile the encoder's 3"),
        (
            _set("_blocks", [("numeric", 0, 1), ("binary", 1, 2), ("numeric", 2, 3)]),
            "blocks must tile the encoder's 3",
        ),
        (
            _set("_constant_values", np.zeros(2)),
            r"constant values must be a float64 array of shape \(0,\)",
        ),
    ],
)
def test_edited_fitted_state_is_refused_before_building(
    vae, monkeypatch, edit, message
):
    state = vae.__getstate__()
    edit(state)

    def never(self, *args, **kwargs):
        raise AssertionError("a module was built before the check")

    monkeypatch.setattr(VAEModule, "__init__", never)
    with pytest.raises(ValueError, match=message):
        VAE.__new__(VAE).__setstate__(state)


def test_edited_weights_name_the_network_keys_and_shapes(vae):
    state = vae.__getstate__()
    weights = state["_net_state"]["weights"]["module"]
    weights["encoder.0.bias"] = np.zeros(3, dtype=np.float32)
    with pytest.raises(
        ValueError,
        match=r"network 'module' .*for \['encoder.0.bias'\] expected shapes "
        r"\[\(8,\)\], got \[\(3,\)\]",
    ):
        VAE.__new__(VAE).__setstate__(state)
    state["_net_state"]["weights"] = {"generator": weights}
    with pytest.raises(ValueError, match=r"networks \['module'\]; got \['generator'\]"):
        VAE.__new__(VAE).__setstate__(state)


def test_edited_saved_parameters_are_refused(vae, monkeypatch):
    state = vae.__getstate__()
    state["_fitted_params"] = {**state["_fitted_params"], "optimizer": "lbfgs"}
    with pytest.raises(ValueError, match="'optimizer' parameter of VAE must be"):
        VAE.__new__(VAE).__setstate__(state)


def _edited_skops(data, edit):
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "schema.json":
                schema = json.loads(content)
                edit(schema["content"]["content"]["_fitted_params"]["content"])
                content = json.dumps(schema).encode()
            dst.writestr(name, content)
    return out.getvalue()


def test_edited_skops_file_gets_a_clear_error(vae):
    dumped = sio.dumps(vae)

    def activation(params):  # a new node id: skops shares equal objects
        params["activation"].update(content='"swish"', __id__=10**6)

    def hidden(params):
        params["hidden_layer_sizes"]["__id__"] = 10**6 + 1
        params["hidden_layer_sizes"]["content"][0].update(
            content="100000", __id__=10**6 + 2
        )

    with pytest.raises(ValueError, match="Got 'swish' instead"):
        sio.loads(_edited_skops(dumped, activation), trusted=trusted_types())
    with pytest.raises(
        ValueError,
        match=r"'module' do not match .*expected shapes \[\(100000,\), \(100000, 2\)",
    ):
        sio.loads(_edited_skops(dumped, hidden), trusted=trusted_types())


# ------------------------------------------------------------ clear errors


def test_a_generator_is_a_clear_error(data, vae):
    X = data[0]
    message = r"X is a one-shot iterator \(generator\)"
    with pytest.raises(TypeError, match=message):
        tiny().fit(row for row in X)
    with pytest.raises(TypeError, match=message):
        vae.score_samples(row for row in X)
    with pytest.raises(TypeError, match=r"Z is a one-shot iterator \(generator\)"):
        vae.inverse_transform(z for z in np.zeros((2, 2)))


def test_module_before_fit_is_not_fitted():
    with pytest.raises(NotFittedError, match="This VAE instance is not fitted"):
        VAE().module_  # noqa: B018
    assert not hasattr(VAE(), "module_")


def test_early_stopping_says_how_many_rows_it_needs(data):
    X = data[0]
    with pytest.raises(ValueError, match=r"needs at least 2 rows.*; got n_samples=1\."):
        tiny(early_stopping=True).fit(X[:1])
    model = tiny(early_stopping=True, validation_fraction=0.9, max_epochs=1)
    with pytest.raises(
        ValueError,
        match=r"validation_fraction=0.9 .* at least 10 rows.*got n_samples=9\.",
    ):
        model.fit(X[:9])
    with pytest.warns(ConvergenceWarning):  # one epoch: did not settle
        model.fit(X[:10])  # one row left to train on


def test_boolean_numbers_of_importance_samples_are_refused(data, vae):
    # the constructor's int interval refuses booleans (skgen.utils._compat)
    with pytest.raises(TypeError, match=r"'n_importance_samples' parameter .* True"):
        tiny(n_importance_samples=True).fit(data[0])
    message = r"n_importance_samples must be an int >= 1; got True of type bool"
    with pytest.raises(TypeError, match=message):
        vae.score_samples(data[0][:2], n_importance_samples=True)


def test_non_numeric_frame_given_to_an_array_fitted_vae(vae):
    frame = pd.DataFrame(
        {"a": pd.Categorical(["x", "y"]), "b": ["u", "v"], "c": [1.0, 2.0]}
    )
    with pytest.raises(
        ValueError,
        match=r"numeric columns only; got non-numeric columns \['a' \(category\), 'b'",
    ):
        vae.score_samples(frame)


def test_labels_given_to_an_unconditional_vae(data, vae):
    message = "y was given, but this VAE was fitted without y"
    for call in (
        lambda: vae.transform(data[0][:2], data[1][:2]),
        lambda: vae.inverse_transform(np.zeros((2, 2)), data[1][:2]),
        lambda: vae.sample(2, y="a"),
    ):
        with pytest.raises(ValueError, match=message):
            call()


# ------------------------------------------------------------------ warnings


def test_early_stopping_warning_points_at_the_line_that_fitted(data):
    """Also when another skgen estimator fits the VAE for the user."""
    X, y = data
    resampler = GenerativeResampler(
        tiny(max_epochs=2, early_stopping=True), conditional=True, random_state=0
    )
    y = np.where(np.arange(len(y)) < 150, "a", "b")
    line = inspect.currentframe().f_lineno + 2  # the call in the block
    with pytest.warns(ConvergenceWarning, match="ran all max_epochs=2") as record:
        resampler.fit_resample(X, y)
    assert record[0].filename == __file__
    assert record[0].lineno == line


def test_a_network_too_large_for_memory_fails_before_building(data):
    from skgen.neural._base import mlp_state_shapes
    from skgen.neural._layers import mlp

    layers = mlp(7, (5, 3), 4, "relu")
    assert mlp_state_shapes(7, (5, 3), 4) == {
        k: tuple(v.shape) for k, v in layers.state_dict().items()
    }
    vae = VAE(hidden_layer_sizes=(10**5, 10**5), max_epochs=1)
    with pytest.raises(
        ValueError,
        match=r"a VAE \(hidden_layer_sizes=\(100000, 100000\)\) with 20,001,\d{3},"
        r"\d{3} parameters",
    ):
        vae.fit(data[0])
    assert not hasattr(vae, "net_")
