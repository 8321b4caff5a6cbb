"""Tests of skgen.pipeline: likelihoods in the original space, sampling back."""

import pickle
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import logsumexp
from scipy.stats import lognorm, norm
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    StandardScaler,
)
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import (
    GenerativeClassifierMixin,
    GenerativeMixin,
    GenerativeTags,
    get_generative_tags,
)
from skgen.pipeline import GenerativePipeline, make_generative_pipeline

LOC = np.array([5.0, -2.0, 100.0])
SCALE = np.array([3.0, 0.5, 20.0])


class _DiagGaussian(GenerativeMixin, BaseEstimator):
    """Test-only diagonal Gaussian fitted by maximum likelihood."""

    def __init__(self, reg_var=0.0):
        self.reg_var = reg_var

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.mean_ = X.mean(axis=0)
        self.var_ = X.var(axis=0) + self.reg_var
        return self

    def score_samples(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return norm.logpdf(X, self.mean_, np.sqrt(self.var_)).sum(axis=1)

    def sample(self, n_samples=1, *, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        return rng.normal(
            self.mean_, np.sqrt(self.var_), size=(n_samples, self.mean_.size)
        )


class _ClassDiagGaussian(GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """Test-only class-conditional diagonal Gaussian (one per class)."""

    def fit(self, X, y=None):
        X = validate_data(self, X)
        if y is None:
            self.means_, self.vars_ = X.mean(axis=0)[None], X.var(axis=0)[None]
            return self
        self.classes_, idx = np.unique(y, return_inverse=True)
        self.class_log_prior_ = np.log(np.bincount(idx) / idx.size)
        self.means_ = np.stack([X[idx == k].mean(axis=0) for k in range(idx.max() + 1)])
        self.vars_ = np.stack([X[idx == k].var(axis=0) for k in range(idx.max() + 1)])
        return self

    def _class_log_likelihood(self, X):
        return norm.logpdf(
            X[:, None, :], self.means_[None], np.sqrt(self.vars_)[None]
        ).sum(axis=2)

    def score_samples(self, X, y=None):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        if self._fitted_with_y:
            return self._score_samples_with_labels(X, y)
        return self._class_log_likelihood(X)[:, 0]

    def sample(self, n_samples=1, *, y=None, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        if not self._fitted_with_y:
            return rng.normal(self.means_[0], np.sqrt(self.vars_[0]), (n_samples, 3))
        idx = self._sample_labels(n_samples, y, rng)
        X = rng.normal(self.means_[idx], np.sqrt(self.vars_[idx]))
        return X, self.classes_[idx]


class _Log(TransformerMixin, BaseEstimator):
    """Test-only elementwise log with its own per-row Jacobian."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.log(X)

    def inverse_transform(self, X):
        return np.exp(X)

    def log_abs_det_jacobian(self, X):
        return -np.log(X).sum(axis=1)


class _StringInput(TransformerMixin, BaseEstimator):
    """Test-only step whose tags say it takes strings."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


@pytest.fixture
def X():
    return np.random.default_rng(0).normal(LOC, SCALE, size=(200, 3))


@pytest.fixture
def X_test():
    return np.random.default_rng(1).normal(LOC, 2 * SCALE, size=(50, 3))


# A Gaussian fitted by maximum likelihood is affine-equivariant: fitted after
# any chain of affine scalers, the density it implies in the original space is
# exactly the Gaussian fitted to the raw data.
AFFINE_CHAINS = {
    "standard": [StandardScaler()],
    "minmax": [MinMaxScaler()],
    "minmax-range": [MinMaxScaler(feature_range=(-2, 3))],
    "maxabs": [MaxAbsScaler()],
    "standard-no-std": [StandardScaler(with_std=False)],
    "standard+minmax": [StandardScaler(), MinMaxScaler()],
    "passthrough+maxabs": ["passthrough", MaxAbsScaler(), None],
    "identity-function": [FunctionTransformer()],
}


def _fresh(chain):
    return [step if step in (None, "passthrough") else clone(step) for step in chain]


@pytest.mark.parametrize("chain", AFFINE_CHAINS.values(), ids=AFFINE_CHAINS.keys())
def test_likelihood_in_original_space_is_raw_gaussian(chain, X, X_test):
    pipe = make_generative_pipeline(*_fresh(chain), _DiagGaussian()).fit(X)
    for Z in (X, X_test):
        expected = norm.logpdf(Z, X.mean(axis=0), X.std(axis=0)).sum(axis=1)
        assert_allclose(pipe.score_samples(Z), expected, rtol=0, atol=1e-10)
        assert pipe.score(Z) == pytest.approx(expected.mean(), abs=1e-10)


def _hand_log_det(scaler, X):
    """log|det dT/dx| of an affine scaler, from the data, not its attributes."""
    if isinstance(scaler, StandardScaler):
        return -np.log(X.std(axis=0)).sum()
    if isinstance(scaler, MinMaxScaler):
        return -np.log(X.max(axis=0) - X.min(axis=0)).sum()
    return -np.log(np.abs(X).max(axis=0)).sum()


@pytest.mark.parametrize("scaler", [StandardScaler(), MinMaxScaler(), MaxAbsScaler()])
def test_each_scaler_adds_its_hand_computed_jacobian(scaler, X, X_test):
    pipe = make_generative_pipeline(scaler, _DiagGaussian(reg_var=0.1)).fit(X)
    gauss = pipe[-1]
    expected = gauss.score_samples(pipe[0].transform(X_test)) + _hand_log_det(scaler, X)
    assert_allclose(pipe.score_samples(X_test), expected, rtol=1e-12)


def test_step_with_its_own_jacobian_is_asked(X):
    X_pos = np.exp(X / SCALE)  # log-normal data
    pipe = make_generative_pipeline(_Log(), _DiagGaussian()).fit(X_pos)
    mu, sigma = np.log(X_pos).mean(axis=0), np.log(X_pos).std(axis=0)
    expected = lognorm.logpdf(X_pos, sigma, scale=np.exp(mu)).sum(axis=1)
    assert_allclose(pipe.score_samples(X_pos), expected, rtol=0, atol=1e-10)


def test_jacobian_of_the_wrong_shape_is_rejected(X):
    class _BadLog(_Log):
        def log_abs_det_jacobian(self, X):
            return -np.log(X)

    pipe = make_generative_pipeline(_BadLog(), _DiagGaussian()).fit(np.exp(X / SCALE))
    with pytest.raises(ValueError, match=r"must return a scalar .* got shape \(5, 3\)"):
        pipe.score_samples(np.exp(X[:5] / SCALE))


@pytest.mark.parametrize(
    "step",
    [PCA(), FunctionTransformer(np.log1p, inverse_func=np.expm1)],
    ids=["PCA", "FunctionTransformer"],
)
def test_unknown_jacobian_raises(step, X):
    pipe = make_generative_pipeline(step, _DiagGaussian()).fit(np.abs(X))
    msg = f"does not know the Jacobian of step {step!r} (type {type(step).__name__})"
    with pytest.raises(ValueError, match=re.escape(msg) + ".*would be wrong"):
        pipe.score_samples(np.abs(X))
    with pytest.raises(ValueError, match="log_abs_det_jacobian"):
        pipe.score(np.abs(X))
    # Sampling needs only inverse_transform.
    assert pipe.sample(4, random_state=0).shape == (4, 3)


def test_clipping_min_max_scaler_raises(X):
    pipe = make_generative_pipeline(MinMaxScaler(clip=True), _DiagGaussian()).fit(X)
    with pytest.raises(
        ValueError, match=r"MinMaxScaler\(clip=True\) is not invertible"
    ):
        pipe.score_samples(X)


def test_samples_come_back_in_original_scale():
    X = np.random.default_rng(0).normal(LOC, SCALE, size=(2000, 3))
    for chain in AFFINE_CHAINS.values():
        pipe = make_generative_pipeline(*_fresh(chain), _DiagGaussian()).fit(X)
        Xs = pipe.sample(4000, random_state=0)
        assert Xs.shape == (4000, 3)
        assert_allclose(Xs.mean(axis=0) / SCALE, LOC / SCALE, atol=0.1)
        assert_allclose(Xs.std(axis=0), SCALE, rtol=0.1)
        assert_array_equal(Xs, pipe.sample(4000, random_state=0))


def test_sample_forwards_kwargs_and_checks_n_samples(X):
    pipe = make_generative_pipeline(StandardScaler(), _DiagGaussian()).fit(X)
    assert pipe.sample().shape == (1, 3)
    with pytest.raises(ValueError, match="n_samples must be >= 1; got 0"):
        pipe.sample(0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        pipe.sample(2, bogus=1)


@pytest.mark.parametrize(
    ("step", "name"),
    [
        (Normalizer(), "normalizer"),
        (FunctionTransformer(np.log1p), "functiontransformer"),
    ],
)
def test_sample_through_non_invertible_step_raises(step, name, X):
    pipe = make_generative_pipeline(step, _DiagGaussian()).fit(np.abs(X))
    msg = f"cannot map samples back through step '{name}' (type {type(step).__name__})"
    with pytest.raises(ValueError, match=re.escape(msg)):
        pipe.sample(3)


def test_not_fitted(X):
    pipe = make_generative_pipeline(StandardScaler(), _DiagGaussian())
    for call in (lambda: pipe.score_samples(X), lambda: pipe.score(X), pipe.sample):
        with pytest.raises(NotFittedError):
            call()


def test_clone_and_pickle(X, X_test):
    pipe = make_generative_pipeline(StandardScaler(), _DiagGaussian()).fit(X)
    loaded = pickle.loads(pickle.dumps(pipe))
    assert_array_equal(loaded.score_samples(X_test), pipe.score_samples(X_test))
    assert_array_equal(loaded.sample(5, random_state=1), pipe.sample(5, random_state=1))
    twin = clone(pipe)
    assert isinstance(twin, GenerativePipeline)
    with pytest.raises(NotFittedError):
        twin.score_samples(X)
    assert_array_equal(twin.fit(X).score_samples(X_test), pipe.score_samples(X_test))


def test_cross_val_score_is_held_out_loglik_in_original_space(X):
    cv = KFold(3, shuffle=True, random_state=0)
    pipe = make_generative_pipeline(MinMaxScaler(), _DiagGaussian())
    scores = cross_val_score(pipe, X, cv=cv)
    expected = [
        norm.logpdf(X[test], X[train].mean(0), X[train].std(0)).sum(axis=1).mean()
        for train, test in cv.split(X)
    ]
    assert_allclose(scores, expected, rtol=1e-10)


def test_grid_search_with_default_scoring(X):
    cv = KFold(3, shuffle=True, random_state=0)
    pipe = make_generative_pipeline(StandardScaler(), _DiagGaussian())
    search = GridSearchCV(pipe, {"_diaggaussian__reg_var": [0.0, 5.0]}, cv=cv)
    search.fit(X)
    assert search.best_params_ == {"_diaggaussian__reg_var": 0.0}
    expected = cross_val_score(pipe, X, cv=cv).mean()
    assert search.best_score_ == pytest.approx(expected, rel=1e-10)
    assert isinstance(search.best_estimator_, GenerativePipeline)


@pytest.fixture
def labelled():
    rng = np.random.default_rng(2)
    y = np.array(["a"] * 300 + ["b"] * 100)
    X = rng.normal(LOC, SCALE, size=(400, 3))
    X[y == "b"] += 4 * SCALE
    return X, y


def test_conditional_final_step(labelled):
    X, y = labelled
    pipe = make_generative_pipeline(StandardScaler(), _ClassDiagGaussian()).fit(X, y)
    assert_array_equal(pipe.classes_, ["a", "b"])
    assert get_generative_tags(pipe).conditional

    # Joint and marginal likelihoods in the original space.
    joint = np.stack(
        [
            np.log(np.mean(y == c))
            + norm.logpdf(X, X[y == c].mean(0), X[y == c].std(0)).sum(axis=1)
            for c in ("a", "b")
        ],
        axis=1,
    )
    expected = joint[np.arange(len(y)), (y == "b").astype(int)]
    assert_allclose(pipe.score_samples(X, y), expected, rtol=0, atol=1e-10)
    assert_allclose(pipe.score_samples(X), logsumexp(joint, axis=1), atol=1e-10)
    assert pipe.score(X, y) == pytest.approx(expected.mean(), abs=1e-10)

    # Bayes' rule needs no Jacobian: same posteriors as without the scaler.
    raw = _ClassDiagGaussian().fit(X, y)
    assert_allclose(pipe.predict_proba(X), raw.predict_proba(X), atol=1e-10)
    assert_array_equal(pipe.predict(X), raw.predict(X))

    # Samples come back as (X, y) in the original scale.
    Xs, ys = pipe.sample(4000, random_state=0)
    assert Xs.shape == (4000, 3)
    assert ys.shape == (4000,)
    for c in ("a", "b"):
        assert_allclose(
            Xs[ys == c].mean(0) / SCALE, X[y == c].mean(0) / SCALE, atol=0.15
        )
    Xb, yb = pipe.sample(5, y="b", random_state=0)
    assert_array_equal(yb, ["b"] * 5)
    assert Xb.mean() > X[y == "a"].mean()

    # Model selection with labels compares joint likelihoods.
    scores = cross_val_score(pipe, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores))


def test_conditional_step_fitted_without_y_ignores_y(labelled):
    X, y = labelled
    pipe = make_generative_pipeline(StandardScaler(), _ClassDiagGaussian()).fit(X)
    expected = norm.logpdf(X, X.mean(0), X.std(0)).sum(axis=1)
    assert_allclose(pipe.score_samples(X, y), expected, atol=1e-10)
    assert not isinstance(pipe.sample(3, random_state=0), tuple)


def test_tags():
    pipe = make_generative_pipeline(StandardScaler(), _DiagGaussian())
    assert get_generative_tags(pipe) == GenerativeTags("tabular", "exact", False)
    assert pipe.likelihood_kind == "exact"
    tags = pipe.__sklearn_tags__()
    assert tags.estimator_type == "density_estimator"
    assert tags.input_tags.two_d_array
    assert not tags.input_tags.string

    text = make_generative_pipeline("passthrough", _StringInput(), _DiagGaussian())
    assert get_generative_tags(text).representation == "text"
    tags = text.__sklearn_tags__()
    assert tags.input_tags.string
    assert not tags.input_tags.two_d_array


def test_make_generative_pipeline_names_steps():
    pipe = make_generative_pipeline(
        StandardScaler(), StandardScaler(), _DiagGaussian(), memory=None, verbose=True
    )
    assert isinstance(pipe, GenerativePipeline)
    assert [name for name, _ in pipe.steps] == [
        "standardscaler-1",
        "standardscaler-2",
        "_diaggaussian",
    ]
    assert pipe.verbose is True
    assert isinstance(pipe[1:], GenerativePipeline)


def test_failed_refit_restores_every_step():
    from skgen.markov import MarkovChain
    from skgen.text import CharTokenizer

    docs = ["abcabc", "abca", "cab"]
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=1))
    pipe.fit(docs, [0, 1, 0])
    before = pipe.score_samples(docs)
    tokenizer = pipe.steps[0][1]
    vocabulary = tokenizer.vocabulary_
    with pytest.raises(ValueError, match="one label per sample"):
        pipe.fit(["zzzz yyy", "qqq"], [0, 1, 1])  # the tokenizer refitted first
    assert pipe.steps[0][1] is tokenizer and tokenizer.vocabulary_ is vocabulary
    np.testing.assert_array_equal(pipe.score_samples(docs), before)
    Xs, _ = pipe.sample(3, random_state=0)
    assert all(set(s) <= set("abc") for s in Xs)


def test_failed_refit_of_a_scaled_vae_keeps_scores_and_samples():
    from skgen.neural import VAE

    X = np.random.RandomState(0).normal(size=(60, 3))
    pipe = make_generative_pipeline(
        StandardScaler(), VAE(hidden_layer_sizes=(4,), max_epochs=2, random_state=0)
    ).fit(X)
    scores, samples = pipe.score_samples(X), pipe.sample(4, random_state=0)
    scaler_mean = pipe[0].mean_
    pipe.set_params(vae__latent_dim=0)  # invalid: the VAE rejects it in fit
    with pytest.raises(ValueError, match="latent_dim"):
        pipe.fit(X * 10 + 5)
    assert pipe[0].mean_ is scaler_mean
    np.testing.assert_array_equal(pipe.score_samples(X), scores)
    np.testing.assert_array_equal(pipe.sample(4, random_state=0), samples)


def test_score_checks_sample_weight():
    from sklearn.mixture import GaussianMixture

    X = np.random.RandomState(0).normal(size=(20, 2))
    pipe = make_generative_pipeline(StandardScaler(), GaussianMixture()).fit(X)
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(2,\), expected"):
        pipe.score(X, sample_weight=[1.0, 2.0])
    w = np.arange(20.0)
    assert pipe.score(X, sample_weight=w) == pytest.approx(
        np.average(pipe.score_samples(X), weights=w)
    )


def test_jacobian_follows_a_scaler_parameter_changed_after_fit():
    # sklearn's scaler reads with_std when it transforms, so must the Jacobian
    from sklearn.mixture import GaussianMixture

    X = np.random.RandomState(0).normal(loc=3.0, scale=5.0, size=(50, 2))
    pipe = make_generative_pipeline(StandardScaler(), GaussianMixture()).fit(X)
    gm = pipe[-1]
    pipe.set_params(standardscaler__with_std=False)
    assert_allclose(pipe.score_samples(X), gm.score_samples(X - pipe[0].mean_))
