"""The VAE: its bounds against closed forms, mixed tables, conditioning, training."""

import inspect

import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import multivariate_normal
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback

from skgen.neural import VAE
from skgen.neural._base import NonFiniteLossError, row_seeded_normal
from skgen.pipeline import make_generative_pipeline


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    return VAE(**{**defaults, **params})


@pytest.fixture(scope="module")
def ppca_data():
    """Rows from a probabilistic PCA model: 2 latent factors in 5 dimensions."""
    rng = np.random.RandomState(0)
    W = 2 * rng.normal(size=(5, 2))
    Z = rng.normal(size=(2000, 2))
    return Z @ W.T + 0.5 * rng.normal(size=(2000, 5)) + rng.normal(size=5)


@pytest.fixture(scope="module")
def linear_vae(ppca_data):
    return VAE(
        2,
        hidden_layer_sizes=(),
        decoder_variance="column",
        max_epochs=60,
        lr=1e-2,
        batch_size=64,
        random_state=0,
    ).fit(ppca_data)


def exact_linear_log_likelihood(vae, X):
    """log p(x) of a linear-Gaussian VAE in closed form: N(b, W W' + diag(s^2))."""
    module = vae._eval_module()
    W = module.decoder[0].weight.detach().numpy()
    b = module.decoder[0].bias.detach().numpy()
    likelihood = module.likelihood
    var = likelihood.sigma(likelihood.raw_sigma).detach().numpy() ** 2
    Xt = vae.encoder_.transform(X)
    log_det = -np.log(vae.encoder_.scale_).sum()
    return multivariate_normal(b, W @ W.T + np.diag(var)).logpdf(Xt) + log_det


@pytest.fixture
def mixed_frame():
    rng = np.random.RandomState(0)
    n = 300
    group = rng.choice(["a", "b", "c"], size=n)
    return pd.DataFrame(
        {
            "income": rng.normal(50, 10, size=n) + 20 * (group == "c"),
            "age": rng.randint(18, 90, size=n).astype(np.int32),
            "group": pd.Categorical(group, categories=["a", "b", "c", "d"]),
            "member": rng.rand(n) < 0.3,
            "city": rng.choice(["x", "y"], size=n).astype(object),
        }
    )


# ------------------------------------------------------------------ bounds


def test_linear_vae_approaches_probabilistic_pca(linear_vae, ppca_data):
    """The bound is below the exact likelihood, which is close to PPCA's."""
    X = ppca_data
    exact = exact_linear_log_likelihood(linear_vae, X).mean()
    bound = linear_vae.score(X)
    pca = PCA(n_components=2).fit(X).score(X)
    assert bound <= exact + 1e-3
    assert exact - bound < 0.01  # a linear Gaussian posterior is exact here
    assert bound < pca  # PPCA is the maximum-likelihood linear Gaussian model
    assert pca - bound < 0.05


def test_importance_weighting_tightens_the_bound():
    """On average: ELBO = one-sample bound < 8 samples < 256 samples."""
    rng = np.random.RandomState(0)
    X = np.tanh(rng.normal(size=(2000, 2)) @ rng.normal(size=(2, 5)) * 2)
    X += 0.1 * rng.normal(size=X.shape)
    vae = tiny().fit(X)  # three epochs: a loose posterior, a visible gap
    elbo = vae.elbo(X).mean()
    bounds = [vae.score_samples(X, n_importance_samples=k).mean() for k in (1, 8, 256)]
    assert abs(elbo - bounds[0]) < 0.02  # K=1 is one draw of the ELBO
    assert bounds[0] + 0.03 < bounds[1] < bounds[2]


def test_scores_are_deterministic_and_per_row(linear_vae, ppca_data):
    X = ppca_data[:50]
    scores = linear_vae.score_samples(X)
    np.testing.assert_array_equal(scores, linear_vae.score_samples(X))
    single = [linear_vae.score_samples(X[i : i + 1])[0] for i in (0, 17, 49)]
    np.testing.assert_allclose(single, scores[[0, 17, 49]], rtol=1e-12)
    np.testing.assert_allclose(
        linear_vae.score_samples(X[::-1])[::-1], scores, rtol=1e-12
    )
    assert scores.dtype == np.float64


def test_row_noise_is_standard_normal_and_row_specific():
    X = np.random.RandomState(0).normal(size=(4000, 3))
    eps = row_seeded_normal(X, 5)
    assert eps.shape == (4000, 5)
    assert abs(eps.mean()) < 0.02 and abs(eps.std() - 1) < 0.02
    np.testing.assert_array_equal(eps[10], row_seeded_normal(X[10:11], 5)[0])
    assert np.corrcoef(eps[:, 0], eps[:, 1])[0, 1] < 0.05
    # -0.0 and 0.0 are the same value, so they get the same draws
    np.testing.assert_array_equal(
        row_seeded_normal(np.array([[0.0]]), 3),
        row_seeded_normal(np.array([[-0.0]]), 3),
    )


def test_likelihood_is_a_density_of_the_data_as_given(ppca_data):
    """Scaling the data by c moves the log-density by -d log c.

    The encoded data are the same, so the models are the same up to
    rounding; the importance draws, seeded by the encoded rows' bytes, differ
    slightly, so means over rows are compared.
    """
    X = ppca_data[:1000]
    a = tiny().fit(X)
    b = tiny().fit(10.0 * X)
    shift = X.shape[1] * np.log(10.0)
    k = {"n_importance_samples": 256}
    assert (
        abs(
            b.score_samples(10.0 * X, **k).mean()
            - (a.score_samples(X, **k).mean() - shift)
        )
        < 0.01
    )


def test_pipeline_likelihood_and_samples_in_the_original_space(ppca_data):
    X = ppca_data[:300]
    pipe = make_generative_pipeline(StandardScaler(), tiny()).fit(X)
    scaler, vae = pipe.steps[0][1], pipe.steps[-1][1]
    manual = vae.score_samples(scaler.transform(X)) - np.log(scaler.scale_).sum()
    np.testing.assert_allclose(pipe.score_samples(X), manual, rtol=1e-12)
    np.testing.assert_allclose(
        pipe.sample(5, random_state=3),
        scaler.inverse_transform(vae.sample(5, random_state=3)),
    )


# ------------------------------------------------------------ mixed tables


def test_mixed_frame_samples_keep_columns_dtypes_and_categories(mixed_frame):
    vae = tiny(max_epochs=5).fit(mixed_frame)
    samples = vae.sample(200, random_state=0)
    assert isinstance(samples, pd.DataFrame)
    assert list(samples.columns) == list(mixed_frame.columns)
    pd.testing.assert_series_equal(samples.dtypes, mixed_frame.dtypes)
    assert samples["group"].cat.categories.tolist() == ["a", "b", "c", "d"]
    assert set(samples["city"]) <= {"x", "y"}
    assert samples["member"].dtype == bool
    scores = vae.score_samples(mixed_frame)
    assert scores.shape == (len(mixed_frame),) and np.all(np.isfinite(scores))
    assert vae.transform(mixed_frame).shape == (len(mixed_frame), 2)
    decoded = vae.inverse_transform(vae.transform(mixed_frame.head(3)))
    pd.testing.assert_series_equal(decoded.dtypes, mixed_frame.dtypes)


def test_discrete_columns_contribute_probabilities(mixed_frame):
    """A decoder's categorical block sums to one over the levels."""
    vae = tiny().fit(mixed_frame[["group"]])
    levels = pd.DataFrame(
        {"group": pd.Categorical(["a", "b", "c", "d"], categories=list("abcd"))}
    )
    total = np.exp(vae.score_samples(levels, n_importance_samples=2000)).sum()
    assert 0.97 < total <= 1.0 + 1e-9


def test_unseen_levels_and_missing_values_are_scored(mixed_frame):
    """An unseen level has the encoder's reserved mass; NaN has no state here."""
    vae = tiny().fit(mixed_frame)
    rows = mixed_frame.head(3).copy()
    seen = vae.score_samples(rows)
    unseen = rows.assign(city=["x", "z", "y"])  # "z" is not a training level
    scores = vae.score_samples(unseen)
    assert np.all(np.isfinite(scores))
    np.testing.assert_array_equal(scores[[0, 2]], seen[[0, 2]])
    # at most log(1/301) for the level, where a seen one has log(300/301)
    # plus the model's log-probability of the level
    assert scores[1] < seen[1] - 3
    # income was never missing in training: a missing value has no mass
    missing = rows.copy()
    missing.loc[1, "income"] = np.nan
    scores = vae.score_samples(missing)
    assert scores[1] == -np.inf
    np.testing.assert_array_equal(scores[[0, 2]], seen[[0, 2]])
    # in an array a missing value is still an error
    X = np.random.RandomState(0).normal(size=(50, 2))
    numeric = tiny(max_epochs=1).fit(X)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN|missing"):
        numeric.score_samples(X)


# -------------------------------------------------------------- conditional


@pytest.fixture(scope="module")
def two_classes():
    rng = np.random.RandomState(0)
    y = np.repeat(["low", "high"], 300)
    means = np.where(y[:, None] == "high", [4.0, -2.0], [-1.0, 1.0])
    return means + rng.normal(size=(600, 2)), y


def test_conditional_samples_follow_the_class_means(two_classes):
    X, y = two_classes
    vae = VAE(hidden_layer_sizes=(16,), max_epochs=40, lr=5e-3, random_state=0)
    vae.fit(X, y)
    Xs, ys = vae.sample(2000, y="high", random_state=0)
    assert set(ys) == {"high"}
    np.testing.assert_allclose(Xs.mean(axis=0), [4.0, -2.0], atol=0.3)
    Xs, ys = vae.sample(2000, random_state=1)
    assert abs((ys == "low").mean() - 0.5) < 0.05
    np.testing.assert_allclose(Xs[ys == "low"].mean(axis=0), [-1.0, 1.0], atol=0.3)
    assert (vae.predict(X) == y).mean() > 0.95
    proba = vae.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(vae.classes_) == ["high", "low"]


def test_conditional_scores_transform_and_elbo(two_classes):
    X, y = two_classes
    vae = tiny().fit(X, y)
    joint = vae.score_samples(X[:5], y[:5])
    marginal = vae.score_samples(X[:5])
    assert np.all(joint <= marginal + 1e-12)
    assert vae.transform(X[:5], y[:5]).shape == (5, 2)
    assert vae.transform(X[:5]).shape == (5, 2)  # under the class posterior
    assert vae.elbo(X[:5], y[:5]).shape == (5,)
    with pytest.raises(ValueError, match="needs y"):
        vae.elbo(X[:5])
    with pytest.raises(ValueError, match="needs y"):
        vae.inverse_transform(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="not seen in fit"):
        vae.sample(2, y="medium")


# ----------------------------------------------------------------- training


def test_same_random_state_same_model_and_global_rng_untouched(ppca_data):
    X = ppca_data[:200]
    torch.manual_seed(123)
    before = torch.rand(3)
    torch.manual_seed(123)
    a = tiny(random_state=7).fit(X)
    after = torch.rand(3)
    torch.testing.assert_close(before, after)  # fit used a forked generator
    b = tiny(random_state=7).fit(X)
    np.testing.assert_array_equal(a.score_samples(X), b.score_samples(X))
    np.testing.assert_array_equal(
        a.sample(4, random_state=0), b.sample(4, random_state=0)
    )
    c = tiny(random_state=8).fit(X)
    assert not np.array_equal(a.score_samples(X), c.score_samples(X))


def test_history_callbacks_and_early_stopping(ppca_data):
    X = ppca_data[:300]

    class CountEpochs(Callback):
        def initialize(self):
            self.epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    counter = CountEpochs()
    vae = tiny(max_epochs=4, callbacks=[counter]).fit(X)
    fitted = dict(vae.net_.callbacks_)["user_0"]
    assert len(vae.net_.history) == 4 and fitted.epochs == 4
    assert not hasattr(counter, "epochs")  # the parameter is left as given
    assert vae.module_ is vae.net_.module_
    losses = vae.net_.history[:, "train_loss"]
    assert losses[-1] < losses[0]

    stopped = tiny(
        max_epochs=200, lr=0.05, early_stopping=True, n_iter_no_change=2
    ).fit(X)
    assert len(stopped.net_.history) < 200
    assert "valid_loss" in stopped.net_.history[-1]


def test_verbose_prints_the_epoch_log(ppca_data, capsys):
    tiny(max_epochs=2, verbose=1).fit(ppca_data[:100])
    out = capsys.readouterr().out
    assert "train_loss" in out and "epoch" in out


def test_diverging_training_stops_with_a_clear_error(ppca_data):
    vae = tiny(optimizer="sgd", lr=1e12, max_epochs=20)
    with pytest.raises(NonFiniteLossError, match=r"diverged.*in epoch \d+"):
        vae.fit(ppca_data[:300])
    assert not hasattr(vae, "net_")


def test_failed_refit_keeps_the_fitted_model(ppca_data):
    vae = tiny().fit(ppca_data[:100])
    scores = vae.score_samples(ppca_data[:10])
    bad = ppca_data[:100].copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN|missing"):
        vae.fit(bad)
    np.testing.assert_array_equal(vae.score_samples(ppca_data[:10]), scores)


def test_errors_before_fit_and_on_bad_shapes(ppca_data):
    with pytest.raises(NotFittedError):
        VAE().score_samples(ppca_data)
    with pytest.raises(NotFittedError):
        VAE().sample(2)
    vae = tiny().fit(ppca_data[:100])
    with pytest.raises(ValueError, match="5 features"):
        vae.score_samples(ppca_data[:10, :3])
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        vae.inverse_transform(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="fitted without y"):
        vae.sample(2, y=[0, 1])
    with pytest.raises(ValueError, match="latent_dim"):
        VAE(latent_dim=0).fit(ppca_data)


def test_import_does_not_load_torch():
    import subprocess
    import sys

    code = (
        "import sys, skgen.neural, skgen.tabular; "
        "assert 'torch' not in sys.modules and 'skorch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_training_on_cuda_scores_and_persists_on_the_cpu(ppca_data):
    import pickle

    X = ppca_data[:200]
    vae = tiny(device="cuda").fit(X)
    assert next(vae.module_.parameters()).device.type == "cuda"
    # on CUDA the model scores in its training dtype (float32); loaded, it
    # is on the CPU and scores in float64
    assert vae._eval_module().encoder[0].weight.dtype == torch.float32
    loaded = pickle.loads(pickle.dumps(vae))
    assert loaded._eval_module().encoder[0].weight.dtype == torch.float64
    np.testing.assert_allclose(
        loaded.score_samples(X), vae.score_samples(X), rtol=1e-4, atol=1e-3
    )
    assert vae.sample(3, random_state=0).shape == (3, 5)
    assert loaded.device == "cuda" and loaded.sample(3, random_state=0).shape == (3, 5)


# ------------------------------------------------- edge cases from review


def test_inverse_transform_takes_binary_levels_above_one_half():
    rng = np.random.RandomState(0)
    df = pd.DataFrame({"b": rng.rand(400) < 0.6, "a": rng.normal(size=400)})
    vae = VAE(1, hidden_layer_sizes=(8,), max_epochs=10, random_state=0).fit(df)
    Z = np.linspace(-3, 3, 201)[:, None]
    with torch.no_grad():
        logits = vae._eval_module().decode(torch.as_tensor(Z)).numpy()[:, 0]
    decoded = vae.inverse_transform(pd.DataFrame(Z, columns=["vae0"]))
    np.testing.assert_array_equal(decoded["b"].to_numpy(), logits > 0)


def test_constant_columns_are_one_level_or_point_masses():
    """Detected, a constant column is one level; typed by dtype, a point mass."""
    from skgen.tabular import TabularEncoder

    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=300), np.full(300, 7.0)])
    probe = np.array([[0.0, 7.0], [0.0, 7.5]])
    # a discrete column of one level: 7.5 is an unseen level, finite and
    # lower by about log(300) (the one level has all the model's mass)
    vae = tiny(max_epochs=5).fit(X)
    assert vae.encoder_.column_kinds_[1] == "discrete"
    assert vae.module_.likelihood.numeric.numel() == 1
    assert np.all(vae.sample(50, random_state=0)[:, 1] == 7.0)
    scores = vae.score_samples(probe)
    assert np.all(np.isfinite(scores))
    assert scores[1] < scores[0] - np.log(300) + 1
    np.testing.assert_array_equal(vae.inverse_transform(np.zeros((2, 2)))[:, 1], 7.0)
    # column_types="dtype": a real-valued column, constant: a point mass
    vae = tiny(max_epochs=5, encoder=TabularEncoder(column_types="dtype")).fit(X)
    assert [kind for kind, _, _ in vae._blocks] == ["numeric", "constant"]
    assert vae.module_.likelihood.numeric.numel() == 1
    assert vae.module_.likelihood.n_outputs == 2 + 1  # one sigma output
    samples = vae.sample(50, random_state=0)
    assert np.all(samples[:, 1] == 7.0)
    scores = vae.score_samples(probe)
    assert np.isfinite(scores[0]) and scores[1] == -np.inf
    np.testing.assert_array_equal(vae.inverse_transform(np.zeros((2, 2)))[:, 1], 7.0)


def test_conditional_scores_use_the_number_of_importance_samples(two_classes):
    X, y = two_classes
    vae = tiny().fit(X, y)
    one = vae.score_samples(X, n_importance_samples=1)
    many = vae.score_samples(X, n_importance_samples=200)
    assert not np.allclose(one, many) and many.mean() > one.mean()
    for bad in (0, -3):
        with pytest.raises(ValueError, match="n_importance_samples"):
            vae.score_samples(X[:2], n_importance_samples=bad)
    with pytest.raises(TypeError, match="n_importance_samples"):
        vae.score_samples(X[:2], n_importance_samples=2.5)


def test_labels_of_another_type_are_unseen(two_classes):
    X, y = two_classes
    vae = tiny().fit(X, y)
    with pytest.raises(ValueError, match="labels not seen in fit: \\[1\\]"):
        vae.sample(2, y=1)
    numbered = tiny().fit(X, (y == "high").astype(int))
    with pytest.raises(ValueError, match="labels not seen in fit: \\['1'\\]"):
        numbered.sample(2, y="1")
    _, ys = numbered.sample(3, y=np.int32(1), random_state=0)
    assert list(ys) == [1, 1, 1]


def test_loading_leaves_torch_generator_and_refit_drops_feature_names(mixed_frame):
    import pickle

    vae = tiny().fit(mixed_frame)
    dumped = pickle.dumps(vae)
    torch.manual_seed(5)
    expected = torch.rand(2)
    torch.manual_seed(5)
    pickle.loads(dumped)
    torch.testing.assert_close(torch.rand(2), expected)
    assert "income" in vae.feature_names_in_
    vae.fit(np.random.RandomState(0).normal(size=(50, 3)))
    assert not hasattr(vae, "feature_names_in_") and vae.n_features_in_ == 3


def test_parameter_checks_at_fit(ppca_data):
    X = ppca_data[:50]
    with pytest.raises(ValueError, match="hidden_layer_sizes must hold positive"):
        tiny(hidden_layer_sizes=(0,)).fit(X)
    with pytest.raises(ValueError, match="hidden_layer_sizes must hold positive"):
        tiny(hidden_layer_sizes=[8.5]).fit(X)
    with pytest.raises(ValueError, match="not a torch device"):
        tiny(device="gpu0").fit(X)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="no CUDA device"):
            tiny(device="cuda").fit(X)


def test_early_stopping_that_never_triggers_warns(ppca_data):
    from sklearn.exceptions import ConvergenceWarning

    vae = tiny(max_epochs=2, early_stopping=True, n_iter_no_change=5)
    line = inspect.currentframe().f_lineno + 2  # the call in the block
    with pytest.warns(ConvergenceWarning, match="ran all max_epochs=2") as record:
        vae.fit(ppca_data[:200])
    assert record[0].filename == __file__  # points at the caller's line
    assert record[0].lineno == line
