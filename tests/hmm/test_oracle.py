"""skgen's HMMs against slow, obvious oracles and against hmmlearn itself.

- Brute force: enumerate every hidden state path of short sequences, with the
  emission densities written out with ``scipy.stats``; the log-likelihood,
  the Viterbi path and the posterior state probabilities follow by summing or
  maximising over paths.
- hmmlearn: the wrappers batch sequences in their own forward-backward, so
  per-sequence scores, posteriors and whole EM runs are compared with
  hmmlearn's own, sequence by sequence.
- Properties: EM never lowers the training likelihood; a model fitted to data
  drawn from a known HMM recovers it.
"""

import copy
import functools
import itertools

import numpy as np
import pytest
from hmmlearn import hmm as hmmlearn_hmm
from scipy import stats
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp

from skgen.datasets import make_hmm_sequences
from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# Training symbols of the categorical models: not 0..n-1, so that the mapping
# from symbols to emission columns is exercised.
SYMBOLS = np.array([2, 5, 7, 11])
N_FEATURES = 2
N_MIX = 2
# Short sequences (enumerable: 3**6 = 729 paths), length-1 ones included.
SHORT_LENGTHS = [1, 4, 6, 2, 1, 5, 3, 6]
# Around the implementation's switch to hmmlearn's compiled recursions (64).
RAGGED_LENGTHS = [1, 2, 300, 5, 64, 65, 1, 17, 128]
KINDS = ["gaussian-diag", "gaussian-full", "gmm-diag", "categorical", "poisson"]

# ------------------------------------------------------------------ oracles


def _log_emission(kind, x, params, symbols=None):
    """log p(x_t | state k), shape (T, K), one frame and one state at a time."""
    T = x.shape[0]
    K = params["startprob"].shape[0]
    out = np.empty((T, K))
    for t, k in itertools.product(range(T), range(K)):
        if kind == "gaussian-diag":
            sd = np.sqrt(params["covars"][k])
            out[t, k] = stats.norm.logpdf(x[t], params["means"][k], sd).sum()
        elif kind == "gaussian-full":
            out[t, k] = stats.multivariate_normal.logpdf(
                x[t], params["means"][k], params["covars"][k]
            )
        elif kind == "gmm-diag":
            components = [
                np.log(params["weights"][k, m])
                + stats.multivariate_normal.logpdf(
                    x[t], params["means"][k, m], np.diag(params["covars"][k, m])
                )
                for m in range(params["weights"].shape[1])
            ]
            out[t, k] = logsumexp(components)
        elif kind == "categorical":
            column = list(symbols).index(x[t])
            out[t, k] = np.log(params["emissionprob"][k, column])
        elif kind == "poisson":
            out[t, k] = stats.poisson.logpmf(x[t], params["lambdas"][k]).sum()
        else:
            raise ValueError(kind)
    return out


def _enumerate_paths(startprob, transmat, log_emission):
    """Everything about one sequence by summing over all K**T state paths.

    Returns ``log p(x)``, ``log_joint`` (log p(x, path) of every path),
    ``paths`` (K**T, T) and the posteriors ``p(z_t = k | x)`` (T, K).
    """
    T, K = log_emission.shape
    paths = np.array(list(itertools.product(range(K), repeat=T)))
    log_joint = np.empty(paths.shape[0])
    for i, path in enumerate(paths):
        lp = np.log(startprob[path[0]]) + log_emission[0, path[0]]
        for t in range(1, T):
            lp += np.log(transmat[path[t - 1], path[t]]) + log_emission[t, path[t]]
        log_joint[i] = lp
    log_px = logsumexp(log_joint)
    weights = np.exp(log_joint - log_px)
    posteriors = np.zeros((T, K))
    for t in range(T):
        np.add.at(posteriors[t], paths[:, t], weights)
    return log_px, log_joint, paths, posteriors


# --------------------------------------------------------------- fixtures


def _estimator(kind, n_components, **kwargs):
    if kind.startswith("gaussian"):
        cov = kind.split("-")[1]
        return GaussianHMM(n_components, covariance_type=cov, **kwargs)
    if kind == "gmm-diag":
        return GMMHMM(n_components, n_mix=N_MIX, covariance_type="diag", **kwargs)
    if kind == "categorical":
        return CategoricalHMM(n_components, **kwargs)
    return PoissonHMM(n_components, **kwargs)


def _training_data(kind, n_sequences, seed, n_components=3):
    emission = kind if kind in ("categorical", "poisson") else "gaussian"
    X, _ = make_hmm_sequences(
        n_sequences,
        n_components=n_components,
        emission=emission,
        n_features=N_FEATURES,
        n_symbols=len(SYMBOLS),
        random_state=seed,
    )
    if kind == "categorical":
        X = [SYMBOLS[x] for x in X]
    return X


@functools.cache
def _fitted(kind, n_components):
    """A briefly fitted estimator, shared by the tests (deep-copy to modify)."""
    est = _estimator(kind, n_components, max_iter=5, random_state=0)
    return est.fit(_training_data(kind, 40, 0))


def _test_data(kind, lengths, rng):
    """Sequences that need not come from the model (continuous where possible)."""
    if kind == "categorical":
        return [rng.choice(SYMBOLS, size=n) for n in lengths]
    if kind == "poisson":
        return [rng.poisson(3.0, size=(n, N_FEATURES)) for n in lengths]
    return [rng.normal(0.0, 2.0, size=(n, N_FEATURES)) for n in lengths]


def _random_params(kind, K, rng):
    params = {
        "startprob": rng.dirichlet(np.ones(K)),
        "transmat": rng.dirichlet(np.ones(K), size=K),
    }
    F = N_FEATURES
    if kind == "gaussian-diag":
        params["means"] = rng.normal(0.0, 2.0, size=(K, F))
        params["covars"] = rng.uniform(0.3, 2.0, size=(K, F))
    elif kind == "gaussian-full":
        params["means"] = rng.normal(0.0, 2.0, size=(K, F))
        A = rng.normal(size=(K, F, F))
        params["covars"] = A @ A.transpose(0, 2, 1) + 0.3 * np.eye(F)
    elif kind == "gmm-diag":
        params["weights"] = rng.dirichlet(np.ones(N_MIX), size=K)
        params["means"] = rng.normal(0.0, 2.0, size=(K, N_MIX, F))
        params["covars"] = rng.uniform(0.3, 2.0, size=(K, N_MIX, F))
    elif kind == "categorical":
        params["emissionprob"] = rng.dirichlet(np.ones(len(SYMBOLS)), size=K)
    else:
        params["lambdas"] = rng.uniform(0.5, 8.0, size=(K, F))
    return params


def _set_params(est, params):
    """Overwrite the fitted hmmlearn model's parameters (the estimator reads them)."""
    for name, value in params.items():
        setattr(est.model_, name + "_", value.copy())


def _engine_input(est, kind, seq):
    """One sequence in the form the wrapped hmmlearn model takes."""
    if kind == "categorical":
        return np.searchsorted(est.symbols_, seq).reshape(-1, 1)
    return seq


# ------------------------------------------------------ 1. brute force


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("n_components", "seed"), [(2, 0), (3, 1), (3, 2)])
def test_brute_force(kind, n_components, seed):
    rng = np.random.RandomState(seed)
    est = copy.deepcopy(_fitted(kind, n_components))
    if kind == "categorical":
        np.testing.assert_array_equal(est.symbols_, SYMBOLS)
    params = _random_params(kind, n_components, rng)
    _set_params(est, params)

    # Mixed lengths in one call, one long sequence among them.
    X = _test_data(kind, [*SHORT_LENGTHS, 300], rng)
    log_px = est.score_samples(X)
    paths = est.predict_states(X)
    posteriors = est.predict_state_proba(X)
    viterbi_logp, decoded = est.decode(X)
    assert log_px.shape == (len(X),)
    assert len(paths) == len(posteriors) == len(decoded) == len(X)
    assert est.score(X) == pytest.approx(log_px.mean(), rel=1e-12)

    for i, x in enumerate(X[:-1]):
        log_emission = _log_emission(kind, x, params, SYMBOLS)
        want_px, log_joint, all_paths, want_post = _enumerate_paths(
            params["startprob"], params["transmat"], log_emission
        )
        np.testing.assert_allclose(log_px[i], want_px, rtol=1e-10, err_msg=str(i))
        np.testing.assert_allclose(posteriors[i], want_post, rtol=0, atol=1e-10)
        np.testing.assert_allclose(viterbi_logp[i], log_joint.max(), rtol=1e-10)
        best = np.sort(log_joint)[::-1]
        if best.shape[0] == 1 or best[0] - best[1] > 1e-8:  # a unique argmax
            want_path = all_paths[np.argmax(log_joint)]
            np.testing.assert_array_equal(paths[i], want_path, err_msg=str(i))
            np.testing.assert_array_equal(decoded[i], want_path, err_msg=str(i))

    # The long one: hmmlearn on that sequence alone.
    long_seq = _engine_input(est, kind, X[-1])
    np.testing.assert_allclose(log_px[-1], est.model_.score(long_seq), rtol=1e-9)
    np.testing.assert_allclose(
        posteriors[-1], est.model_.predict_proba(long_seq), rtol=0, atol=1e-9
    )


# ----------------------------------------- 2. per sequence, as hmmlearn


@pytest.mark.parametrize("kind", KINDS)
def test_per_sequence_matches_hmmlearn(kind):
    rng = np.random.RandomState(3)
    est = _fitted(kind, 3)
    X = _test_data(kind, RAGGED_LENGTHS, rng)
    log_px = est.score_samples(X)
    posteriors = est.predict_state_proba(X)
    paths = est.predict_states(X)
    for i, x in enumerate(X):
        seq = _engine_input(est, kind, x)
        np.testing.assert_allclose(
            log_px[i], est.model_.score(seq), rtol=1e-9, err_msg=str(i)
        )
        np.testing.assert_allclose(
            posteriors[i], est.model_.predict_proba(seq), rtol=0, atol=1e-9
        )
        np.testing.assert_array_equal(paths[i], est.model_.predict(seq))
    # Information criteria: hmmlearn's formulas on the concatenated frames.
    frames = np.concatenate([_engine_input(est, kind, x) for x in X])
    lengths = [len(x) for x in X]
    np.testing.assert_allclose(est.bic(X), est.model_.bic(frames, lengths), rtol=1e-9)
    np.testing.assert_allclose(est.aic(X), est.model_.aic(frames, lengths), rtol=1e-9)


# ------------------------------------------------- 3. EM is monotone


@pytest.mark.parametrize(
    "kind", ["gaussian-diag", "gmm-diag", "categorical", "poisson"]
)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_em_never_decreases_the_likelihood(kind, seed):
    # Four states for data from three: EM has something to struggle with.
    est = _estimator(kind, 4, max_iter=25, tol=0, random_state=seed)
    est.fit(_training_data(kind, 40, seed))
    history = np.asarray(est.lower_bounds_)
    assert history.shape == (est.n_iter_,)
    assert np.all(np.isfinite(history))
    assert np.all(np.diff(history) >= -1e-8 * np.abs(history[1:])), history


# ------------------------------------- 4. the same EM run as hmmlearn


def _reference(kind, n_components, **kwargs):
    if kind == "gaussian-diag":
        return hmmlearn_hmm.GaussianHMM(n_components, covariance_type="diag", **kwargs)
    if kind == "gmm-diag":
        return hmmlearn_hmm.GMMHMM(
            n_components, n_mix=N_MIX, covariance_type="diag", **kwargs
        )
    if kind == "categorical":
        return hmmlearn_hmm.CategoricalHMM(n_components, **kwargs)
    return hmmlearn_hmm.PoissonHMM(n_components, **kwargs)


ENGINE_ARRAYS = {
    "gaussian-diag": ["means_", "covars_"],
    "gmm-diag": ["weights_", "means_", "covars_"],
    "categorical": ["emissionprob_"],
    "poisson": ["lambdas_"],
}


@pytest.mark.parametrize(
    "kind", ["gaussian-diag", "gmm-diag", "categorical", "poisson"]
)
def test_same_em_run_as_hmmlearn(kind):
    X = _training_data(kind, 60, 11)
    if kind == "categorical":
        X = [np.searchsorted(SYMBOLS, x) for x in X]  # symbols 0..n-1 already
    # A tiny tol, not 0: once EM has converged to rounding noise, tol=0 would
    # stop it wherever the noise first goes negative, which differs.
    est = _estimator(kind, 3, max_iter=20, tol=1e-6, random_state=0).fit(X)

    ref = _reference(kind, 3, n_iter=20, tol=1e-6, random_state=0)
    frames = np.concatenate(X)
    if frames.ndim == 1:
        frames = frames.reshape(-1, 1)
    lengths = [len(x) for x in X]
    ref.fit(frames, lengths)

    history = list(ref.monitor_.history)
    assert est.n_iter_ == ref.monitor_.iter == len(history)
    # hmmlearn's `converged` is also True at n_iter; skgen's only on tol.
    assert est.converged_ == (history[-1] - history[-2] < 1e-6)
    np.testing.assert_allclose(est.lower_bounds_, history, rtol=1e-6)
    np.testing.assert_allclose(
        est.score_samples(X).sum(), ref.score(frames, lengths), rtol=1e-6
    )
    for name in ["startprob_", "transmat_", *ENGINE_ARRAYS[kind]]:
        np.testing.assert_allclose(
            getattr(est.model_, name),
            getattr(ref, name),
            rtol=1e-4,
            atol=1e-6,
            err_msg=name,
        )


# -------------------------------------------- 5. parameter recovery


def test_gaussian_recovers_the_truth():
    X, truth = make_hmm_sequences(
        300, n_components=3, n_features=2, length=(20, 50), random_state=0
    )
    est = GaussianHMM(3, n_init=2, random_state=0).fit(X)
    means = est.model_.means_
    cost = ((truth["means"][:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
    rows, perm = linear_sum_assignment(cost)
    np.testing.assert_array_equal(rows, np.arange(3))
    np.testing.assert_allclose(means[perm], truth["means"], atol=0.1)
    fitted_var = np.array([np.diag(c) for c in est.model_.covars_])
    np.testing.assert_allclose(fitted_var[perm], truth["covars"], rtol=0.15)
    transmat = est.model_.transmat_[np.ix_(perm, perm)]
    np.testing.assert_allclose(transmat, truth["transmat"], atol=0.03)
    np.testing.assert_allclose(
        est.model_.startprob_[perm], truth["startprob"], atol=0.1
    )
    # The fitted model explains held-out data as well as the truth does.
    X_test, _ = make_hmm_sequences(
        100, n_components=3, n_features=2, length=(20, 50), random_state=0
    )
    true_score = _true_score(X_test, truth)
    assert est.score(X_test) > true_score - 0.01 * abs(true_score)


def _true_score(X, truth):
    model = hmmlearn_hmm.GaussianHMM(3, covariance_type="diag")
    model.startprob_ = truth["startprob"]
    model.transmat_ = truth["transmat"]
    model.means_ = truth["means"]
    model.covars_ = truth["covars"]
    return np.mean([model.score(x) for x in X])
