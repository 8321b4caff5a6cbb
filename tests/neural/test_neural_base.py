"""The shared neural base: threads, the cached inference module, the training
budget and the activations, shown on the VAE."""

import math
import pickle

import joblib
import numpy as np
import pytest
import torch
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from skorch.callbacks import Callback

import skgen.neural._base as base
from skgen import GenerativeClassifier
from skgen.neural import VAE
from skgen.neural._base import (
    default_n_threads,
    early_stopping,
    inference_dtype,
    torch_threads,
    training_budget,
)
from skgen.neural._engine import TrainingHook

#: The caller's thread count in these tests: neither a default nor n_threads.
CALLER_THREADS = 3


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    return VAE(**{**defaults, **params})


@pytest.fixture(scope="module")
def X():
    return np.random.RandomState(0).normal(size=(60, 3))


@pytest.fixture
def caller_threads():
    """torch set to CALLER_THREADS threads during the test, then restored."""
    before = torch.get_num_threads()
    torch.set_num_threads(CALLER_THREADS)
    yield CALLER_THREADS
    torch.set_num_threads(before)


class ThreadRecorder(Callback):
    """Records torch's thread count at every training batch."""

    def initialize(self):
        self.seen = set()
        return self

    def on_batch_end(self, net, **kwargs):
        self.seen.add(torch.get_num_threads())


# ------------------------------------------------------------------ threads


@pytest.mark.parametrize(
    ("cores", "expected"), [(1, 1), (2, 1), (3, 1), (4, 2), (6, 3), (8, 4), (64, 4)]
)
def test_default_n_threads(cores, expected):
    assert default_n_threads(cores) == expected


def test_torch_threads_restores_on_error(caller_threads):
    inside = []

    def failing():
        with torch_threads(2):
            inside.append(torch.get_num_threads())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing()
    assert inside == [2]
    assert torch.get_num_threads() == caller_threads
    with torch_threads(None) as n:
        assert n == default_n_threads() == torch.get_num_threads()
    assert torch.get_num_threads() == caller_threads


@pytest.mark.parametrize("n_threads", [1, 2, None])
def test_fit_trains_with_n_threads_and_restores(X, caller_threads, n_threads):
    vae = tiny(n_threads=n_threads, callbacks=[("threads", ThreadRecorder())])
    vae.fit(X)
    expected = default_n_threads() if n_threads is None else n_threads
    # the net's callbacks are copies: read the fitted one
    assert dict(vae.net_.callbacks_)["threads"].seen == {expected}
    assert torch.get_num_threads() == caller_threads


def test_threads_inside_every_method(X, caller_threads, monkeypatch):
    seen = []
    y = np.repeat([0, 1], 30)
    vae = tiny(n_threads=2).fit(X, y)
    for name in ("_log_weights", "_latent_mean", "_decode_rows", "_sample_class"):
        original = getattr(VAE, name)

        def recording(self, *args, _original=original, **kwargs):
            seen.append(torch.get_num_threads())
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(VAE, name, recording)
    calls = {
        "score_samples": lambda: vae.score_samples(X),
        "score": lambda: vae.score(X, y),
        "elbo": lambda: vae.elbo(X, y),
        "transform": lambda: vae.transform(X),
        "inverse_transform": lambda: vae.inverse_transform(np.zeros((2, 2)), [0, 1]),
        "predict_proba": lambda: vae.predict_proba(X),
        "predict": lambda: vae.predict(X),
        "sample": lambda: vae.sample(4, random_state=0),
    }
    for name, call in calls.items():
        seen.clear()
        call()
        assert seen, name
        assert set(seen) == {2}, name
        assert torch.get_num_threads() == caller_threads, name


def test_failing_calls_restore_threads(X, caller_threads):
    # a diverging fit raises inside training
    with pytest.raises(ValueError, match="Training diverged"):
        tiny(optimizer="sgd", lr=1e12, max_epochs=20, n_threads=2).fit(X * 1e3)
    assert torch.get_num_threads() == caller_threads
    vae = tiny(n_threads=2).fit(X)
    cvae = tiny(n_threads=2).fit(X, np.repeat([0, 1], 30))
    for call, message in (
        (lambda: tiny(n_threads=2).fit(X[:, :0]), "feature"),
        (lambda: vae.score_samples(X[:, :2]), "features"),
        (lambda: vae.transform(X[:, :2]), "features"),
        (lambda: vae.inverse_transform(np.zeros((2, 5))), "Z must have shape"),
        (lambda: vae.sample(0), "n_samples must be >= 1"),
        (lambda: cvae.predict_proba(X[:, :2]), "features"),
        (lambda: cvae.sample(2, y=7), "labels not seen in fit"),
    ):
        with pytest.raises(ValueError, match=message):
            call()
        assert torch.get_num_threads() == caller_threads


def test_n_threads_constraint(X):
    with pytest.raises(ValueError, match="'n_threads' parameter of VAE must be"):
        tiny(n_threads=0).fit(X)


def test_set_params_n_threads_after_fit_is_ignored(X, caller_threads, monkeypatch):
    vae = tiny(n_threads=2).fit(X)
    vae.set_params(n_threads=1)
    seen = []
    original = VAE._log_weights

    def recording(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(VAE, "_log_weights", recording)
    vae.score_samples(X)
    assert set(seen) == {2}


# ------------------------------------------------- cached inference module


@pytest.fixture
def builds(monkeypatch):
    """Counts the float64 inference copies the VAE builds."""
    count = []
    original = VAE._make_eval_module

    def counting(self):
        count.append(1)
        return original(self)

    monkeypatch.setattr(VAE, "_make_eval_module", counting)
    return count


def test_inference_module_is_cached(X, builds):
    vae = tiny().fit(X)
    first = vae.score_samples(X)
    second = vae.score_samples(X)
    vae.transform(X)
    vae.elbo(X)
    vae.sample(3, random_state=0)
    vae.inverse_transform(np.zeros((2, 2)))
    assert len(builds) == 1
    np.testing.assert_array_equal(first, second)
    uncached = tiny().fit(X)
    np.testing.assert_array_equal(uncached.score_samples(X), first)


def test_conditional_scoring_builds_one_copy(X, builds):
    y = np.repeat([0, 1, 2], 20)
    vae = tiny().fit(X, y)
    vae.score_samples(X)
    vae.predict_proba(X)
    vae.transform(X)
    assert len(builds) == 1


def test_refit_rebuilds_the_inference_module(X, builds):
    vae = tiny().fit(X)
    before = vae.score_samples(X)
    vae.set_params(random_state=1).fit(X)
    after = vae.score_samples(X)
    assert len(builds) == 2
    assert not np.array_equal(before, after)
    np.testing.assert_array_equal(after, tiny(random_state=1).fit(X).score_samples(X))


def test_failed_refit_keeps_the_inference_module(X, builds):
    vae = tiny().fit(X)
    before = vae.score_samples(X)
    with pytest.raises(ValueError, match="feature"):
        vae.fit(X[:, :0])
    np.testing.assert_array_equal(vae.score_samples(X), before)
    assert len(builds) == 1


def test_inference_module_never_persisted(X, builds):
    vae = tiny().fit(X)
    unscored = pickle.dumps(vae)
    hashed = joblib.hash(vae)
    state = dict(vae.__dict__)
    scores = vae.score_samples(X)
    assert vae.__dict__ == state
    assert pickle.dumps(vae) == unscored
    assert joblib.hash(vae) == hashed
    loaded = pickle.loads(unscored)
    np.testing.assert_array_equal(loaded.score_samples(X), scores)
    assert len(builds) == 2  # the loaded model builds its own


# ------------------------------------------------------ inference dtype


@pytest.mark.parametrize(
    ("device", "dtype", "expected"),
    [
        ("cpu", None, (torch.float64, "cpu")),
        ("cuda", None, (torch.float32, "cuda")),  # stays where it trained
        ("cuda:1", None, (torch.float32, "cuda:1")),
        ("cuda", "float64", (torch.float64, "cuda")),
        ("cpu", "float32", (torch.float32, "cpu")),
        ("cpu", "float64", (torch.float64, "cpu")),
    ],
)
def test_inference_dtype_rule(device, dtype, expected):
    assert inference_dtype(device, dtype) == (expected[0], torch.device(expected[1]))


def _module_dtype(model):
    return next(model._eval_module().parameters()).dtype


def test_float32_inference_on_the_cpu(X):
    y = np.repeat([0, 1], 30)
    default, single = tiny().fit(X, y), tiny(dtype="float32").fit(X, y)
    assert _module_dtype(default) == torch.float64
    assert _module_dtype(single) == torch.float32
    # the same training: the weights do not depend on the inference dtype
    for a, b in zip(
        default.module_.state_dict().values(),
        single.module_.state_dict().values(),
        strict=True,
    ):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    Z = default.transform(X, y)
    for name, call in {
        "score_samples": lambda m: m.score_samples(X),
        "joint": lambda m: m.score_samples(X, y),
        "elbo": lambda m: m.elbo(X, y),
        "predict_proba": lambda m: m.predict_proba(X),
        "transform": lambda m: m.transform(X, y),
        "inverse_transform": lambda m: m.inverse_transform(Z, y),
    }.items():
        exact, approx = call(default), call(single)
        assert approx.dtype == exact.dtype == np.float64, name
        np.testing.assert_allclose(approx, exact, rtol=1e-4, atol=1e-4, err_msg=name)
        assert not np.array_equal(approx, exact), name  # computed in float32
    samples, labels = single.sample(5, random_state=0)
    assert samples.dtype == np.float64 and samples.shape == (5, 3)
    np.testing.assert_array_equal(labels, default.sample(5, random_state=0)[1])
    loaded = pickle.loads(pickle.dumps(single))
    assert loaded.net_.device == "cpu" and _module_dtype(loaded) == torch.float32
    np.testing.assert_array_equal(loaded.score_samples(X), single.score_samples(X))


def test_dtype_constraint(X):
    with pytest.raises(ValueError, match="'dtype' parameter of VAE must be"):
        tiny(dtype="float16").fit(X)


# ----------------------------------------------------------- training budget


@pytest.mark.parametrize(
    ("max_epochs", "batch_size", "n_rows", "expected"),
    [
        ("auto", "auto", 150, (100, 16)),  # iris: 10 steps an epoch
        ("auto", "auto", 1797, (67, 128)),  # digits: 15 steps an epoch
        ("auto", "auto", 12800, (10, 128)),  # at least ten epochs
        ("auto", "auto", 10, (1000, 10)),  # batches at most the rows
        ("auto", 64, 150, (334, 64)),
        (3, "auto", 100, (3, 16)),  # an int is used as given
        (5, 7, 100, (5, 7)),
    ],
)
def test_training_budget(max_epochs, batch_size, n_rows, expected):
    assert training_budget(max_epochs, batch_size, n_rows) == expected


class StepCounter(Callback):
    def initialize(self):
        self.steps = 0
        return self

    def on_batch_end(self, net, training=False, **kwargs):
        self.steps += bool(training)


def test_auto_budget_sets_the_steps(monkeypatch):
    monkeypatch.setattr(base, "AUTO_MIN_STEPS", 50)
    monkeypatch.setattr(base, "AUTO_MIN_EPOCHS", 2)
    X = np.random.RandomState(0).normal(size=(150, 2))
    vae = VAE(hidden_layer_sizes=(4,), callbacks=[("steps", StepCounter())])
    vae.set_params(random_state=0).fit(X)
    assert vae.get_params()["max_epochs"] == "auto"
    assert (vae.net_.max_epochs, vae.net_.batch_size) == (5, 16)
    assert len(vae.net_.history) == 5
    assert dict(vae.net_.callbacks_)["steps"].steps == 50
    loaded = pickle.loads(pickle.dumps(vae))
    assert (loaded.net_.max_epochs, loaded.net_.batch_size) == (5, 16)


def test_auto_budget_counts_training_rows_only(monkeypatch):
    monkeypatch.setattr(base, "AUTO_MIN_STEPS", 20)
    X = np.random.RandomState(0).normal(size=(200, 2))
    vae = VAE(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        validation_fraction=0.5,
        n_iter_no_change=100,
        random_state=0,
    )
    with pytest.warns(Warning, match="ran all max_epochs=10"):
        vae.fit(X)
    # 100 training rows: batches of 16, 7 steps an epoch, at least 10 epochs
    assert (vae.net_.max_epochs, vae.net_.batch_size) == (10, 16)


def test_explicit_budget_is_used_as_given(X):
    vae = tiny(max_epochs=2, batch_size=7).fit(X)
    assert (vae.net_.max_epochs, vae.net_.batch_size) == (2, 7)
    assert len(vae.net_.history) == 2


@pytest.mark.parametrize("name", ["max_epochs", "batch_size"])
def test_budget_constraints(X, name):
    with pytest.raises(ValueError, match=f"'{name}' parameter of VAE must be"):
        tiny(**{name: "lots"}).fit(X)


@pytest.mark.slow
def test_default_vae_on_iris_trains():
    """At defaults, a conditional VAE classifies iris about as GaussianNB does."""
    X, y = load_iris(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, random_state=0, stratify=y)
    clf = GenerativeClassifier(VAE(random_state=0)).fit(Xtr, ytr)
    # the 100-epoch, batch-128 default of before: about 0.87 (cross-validated)
    assert clf.score(Xte, yte) >= 0.9


def test_early_stopping_is_one_split_and_one_callback():
    params = {
        "early_stopping": False,
        "validation_fraction": 0.2,
        "n_iter_no_change": 4,
    }
    assert early_stopping(params, 7) == (None, [])
    split, callbacks = early_stopping({**params, "early_stopping": True}, 7)
    assert (split.cv, split.random_state) == (0.2, 7)
    [(name, stop)] = callbacks
    assert name == "early_stopping"
    assert (stop.monitor, stop.patience, stop.load_best) == ("valid_loss", 4, True)


def test_the_patience_is_at_least_thirty_optimiser_steps():
    """On tiny data an epoch is one step: three epochs would be noise."""
    params = {"early_stopping": True, "validation_fraction": 0.1}
    for n_iter, steps, patience in [(3, 1, 30), (3, 7, 5), (3, 10, 3), (10, 2, 15)]:
        _, [(_, stop)] = early_stopping(
            {**params, "n_iter_no_change": n_iter}, 0, steps_per_epoch=steps
        )
        assert stop.patience == patience


def test_the_net_uses_the_early_stopping_of_the_budget(X):
    vae = tiny(early_stopping=True, n_iter_no_change=2, max_epochs=50).fit(X)
    stop = dict(vae.net_.callbacks_)["early_stopping"]
    n_train = len(X) - math.ceil(0.1 * len(X))
    steps = math.ceil(n_train / vae.net_.batch_size)
    assert stop.patience == max(2, math.ceil(30 / steps)) and stop.load_best
    assert vae.net_.train_split.cv == 0.1
    assert len(vae.net_.history) < 50


# ---------------------------------------------------------------- activations


@pytest.mark.parametrize("activation", base.ACTIVATIONS)
def test_activations(X, activation):
    from skgen.neural._layers import _ACTIVATIONS

    vae = tiny(activation=activation, max_epochs=1).fit(X)
    layers = [type(m) for m in vae.module_.encoder]
    assert _ACTIVATIONS[activation] in layers
    assert np.isfinite(vae.score_samples(X)).all()
    loaded = pickle.loads(pickle.dumps(vae))
    np.testing.assert_array_equal(loaded.score_samples(X), vae.score_samples(X))


def test_activation_names():
    assert set(base.ACTIVATIONS) == {
        "sigmoid",
        "relu",
        "leaky_relu",
        "tanh",
        "elu",
        "gelu",
        "silu",
    }
    with pytest.raises(ValueError, match="'activation' parameter of VAE must be"):
        tiny(activation="softplus").fit(np.zeros((10, 2)))


def test_vae_trains_on_the_generative_net(X):
    from skgen.neural._engine import GenerativeNet, TrainingHook

    class CountingHook(TrainingHook):
        def __init__(self):
            self.steps = 0

        def wrap_optimizer(self, name, optimizer, net):
            hook, step = self, optimizer.step

            def counted(closure=None):
                hook.steps += 1
                return step(closure)

            optimizer.step = counted
            return optimizer

    model = tiny(batch_size=20)
    model._training_hook = hook = CountingHook()
    model.fit(X)
    assert isinstance(model.net_, GenerativeNet)
    assert model.net_.training_hook is hook
    assert hook.steps == 3 * 3  # three epochs of three batches
    names = [name for name, _ in model.net_.callbacks_]
    assert names.count("stop_on_non_finite") == 1


# ------------------------------------------- hooks the next families use


class Wrapper(torch.nn.Module):
    """Wraps a network as opacus' GradSampleModule does (keys gain a prefix)."""

    def __init__(self, module):
        super().__init__()
        self._module = module

    def forward(self, *args, **kwargs):
        return self._module(*args, **kwargs)


class Wrapping(TrainingHook):
    def wrap_module(self, name, module, net):
        return Wrapper(module)

    def unwrap_module(self, name, module, net):
        return module._module


def test_a_hook_that_wraps_the_network_persists_and_scores_the_network(X):
    vae = tiny()
    vae._training_hook = Wrapping()
    vae.fit(X)
    assert isinstance(vae.net_.module_, Wrapper)
    assert not isinstance(vae.module_, Wrapper)
    saved = vae.__getstate__()["_net_state"]["weights"]["module"]
    assert not any(key.startswith("_module.") for key in saved)
    loaded = pickle.loads(pickle.dumps(vae))
    np.testing.assert_array_equal(loaded.score_samples(X), vae.score_samples(X))


class Family(VAE):
    """A family that sets the hooks of NeuralTrainingMixin."""

    _auto_min_steps = 40
    _early_stopping_monitor = "train_loss"

    def _net_kwargs(self, params):
        return {**super()._net_kwargs(params), "optimizer__betas": (0.5, 0.9)}


@pytest.mark.filterwarnings("ignore:Training ran all")
def test_a_family_sets_its_budget_monitor_and_optimizer_arguments(monkeypatch, X):
    monkeypatch.setattr(base, "AUTO_MIN_EPOCHS", 1)
    family = Family(hidden_layer_sizes=(4,), early_stopping=True, random_state=0)
    family.fit(X)
    # 54 training rows: batches of 16, 4 steps an epoch, 40 steps
    assert (family.net_.max_epochs, family.net_.batch_size) == (10, 16)
    stop = dict(family.net_.callbacks_)["early_stopping"]
    assert stop.monitor == "train_loss"
    assert family.net_.optimizer_.param_groups[0]["betas"] == (0.5, 0.9)
    vae = VAE(hidden_layer_sizes=(4,), early_stopping=True, random_state=0)
    with pytest.warns(Warning, match="ran all"):
        vae.set_params(n_iter_no_change=1000).fit(X)
    assert dict(vae.net_.callbacks_)["early_stopping"].monitor == "valid_loss"
    assert vae.net_.max_epochs > 10


def test_every_hidden_layer_sizes_spelling_is_checked():
    base.NeuralTrainingMixin._check_layer_sizes(
        {"hidden_layer_sizes": (4,), "generator_hidden_layer_sizes": (8, 8)}
    )
    with pytest.raises(ValueError, match="The saved discriminator_hidden_layer_sizes"):
        base.NeuralTrainingMixin._check_layer_sizes(
            {"discriminator_hidden_layer_sizes": (8, 0)}, "The saved "
        )
