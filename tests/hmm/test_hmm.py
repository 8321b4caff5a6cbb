"""Behaviour of the HMM estimators: fitting, errors, classes, sampling.

Agreement with brute-force enumeration and with hmmlearn lives in
``test_oracle.py``.
"""

import inspect

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold

from skgen.datasets import make_hmm_sequences
from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM


@pytest.fixture(scope="module")
def gaussian_data():
    return make_hmm_sequences(60, n_components=3, length=(10, 30), random_state=0)


def test_convergence_warning_on_max_iter(gaussian_data):
    X, _ = gaussian_data
    with pytest.warns(ConvergenceWarning, match="EM stopped after max_iter=2"):
        hmm = GaussianHMM(3, max_iter=2, tol=0, random_state=0).fit(X)
    assert not hmm.converged_ and hmm.n_iter_ == 2 and len(hmm.lower_bounds_) == 2


def test_n_init_keeps_the_best_training_likelihood(gaussian_data):
    X, _ = gaussian_data
    best = GaussianHMM(3, n_init=4, tol=1e-4, max_iter=300, random_state=7).fit(X)
    seeds = np.random.RandomState(7).randint(np.iinfo(np.int32).max, size=4)
    finals = [
        GaussianHMM(3, tol=1e-4, max_iter=300, random_state=int(s))
        .fit(X)
        .lower_bounds_[-1]
        for s in seeds
    ]
    assert best.lower_bounds_[-1] == max(finals)


def test_grid_search_ranks_the_true_number_of_states():
    X, _ = make_hmm_sequences(
        150, n_components=3, n_features=2, length=(15, 30), random_state=1
    )
    search = GridSearchCV(
        GaussianHMM(random_state=0, n_init=3, tol=1.0, max_iter=50),
        {"n_components": [1, 2, 3, 4]},
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(X)
    mean = search.cv_results_["mean_test_score"]
    std = search.cv_results_["std_test_score"]
    assert search.best_params_["n_components"] in (3, 4)
    assert mean[2] >= mean.max() - 2 * std[2] - 1e-9
    assert mean[1] < mean[2] - 3 * std[2]  # fewer states are clearly worse
    assert mean[0] < mean[1]


def test_classes_by_bayes_rule():
    a, _ = make_hmm_sequences(40, n_components=2, length=20, random_state=2)
    b, _ = make_hmm_sequences(40, n_components=2, length=20, random_state=3)
    X, y = a + b, np.array(["a"] * 40 + ["b"] * 40)
    hmm = GaussianHMM(2, random_state=0).fit(X, y)
    assert (hmm.predict(X) == y).mean() > 0.8
    proba = hmm.predict_proba(X)
    assert proba.shape == (80, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    separate = [GaussianHMM(2, random_state=0).fit(s) for s in (a, b)]
    ll = np.stack([m.score_samples(X) for m in separate], axis=1)
    joint = ll + np.log(0.5)
    np.testing.assert_allclose(
        hmm.score_samples(X), np.logaddexp(joint[:, 0], joint[:, 1]), rtol=1e-10
    )
    np.testing.assert_array_equal(hmm.predict(X), np.array(["a", "b"])[joint.argmax(1)])
    Xs, ys = hmm.sample(5, y="b", length=7, random_state=0)
    assert len(Xs) == 5 and all(x.shape == (7, 2) for x in Xs) and set(ys) == {"b"}
    with pytest.raises(AttributeError, match="fitted without y"):
        hmm.decode(X)


def test_sample_lengths_and_states(gaussian_data):
    X, _ = gaussian_data
    hmm = GaussianHMM(3, random_state=0).fit(X)
    Xs, states = hmm.sample(4, length=[1, 5, 2, 9], return_states=True, random_state=0)
    assert [len(x) for x in Xs] == [1, 5, 2, 9] and [len(s) for s in states] == [
        1,
        5,
        2,
        9,
    ]
    # emissions follow their states' means
    Xs, states = hmm.sample(300, length=20, random_state=1, return_states=True)
    frames, st = np.concatenate(Xs), np.concatenate(states)
    for k in range(3):
        np.testing.assert_allclose(
            frames[st == k].mean(0), hmm.model_.means_[k], atol=0.15
        )
    # default lengths come from the training lengths
    lengths = {len(x) for x in hmm.sample(50, random_state=0)}
    assert lengths <= {len(x) for x in X}
    with pytest.raises(ValueError, match="length must be >= 1; got 0"):
        hmm.sample(2, length=0)
    with pytest.raises(ValueError, match="length must be an int or 3 ints"):
        hmm.sample(3, length=[1, 2])


def test_sampled_transitions_follow_the_model(gaussian_data):
    X, _ = gaussian_data
    hmm = GaussianHMM(3, random_state=0).fit(X)
    _, states = hmm.sample(400, length=30, random_state=0, return_states=True)
    pairs = np.concatenate([np.stack([s[:-1], s[1:]], 1) for s in states])
    counts = np.zeros((3, 3))
    np.add.at(counts, (pairs[:, 0], pairs[:, 1]), 1)
    np.testing.assert_allclose(
        counts / counts.sum(1, keepdims=True), hmm.model_.transmat_, atol=0.02
    )


def test_decode_map_and_viterbi(gaussian_data):
    X, _ = gaussian_data
    hmm = GaussianHMM(3, random_state=0).fit(X)
    log_prob, paths = hmm.decode(X[:5])
    assert [len(p) for p in paths] == [len(x) for x in X[:5]]
    assert np.all(log_prob <= hmm.score_samples(X[:5]) + 1e-9)
    map_ll, map_paths = hmm.decode(X[:5], algorithm="map")
    np.testing.assert_allclose(map_ll, hmm.score_samples(X[:5]))
    post = hmm.predict_state_proba(X[:5])
    for p, m in zip(post, map_paths, strict=True):
        np.testing.assert_array_equal(p.argmax(1), m)
    with pytest.raises(ValueError, match="'viterbi' or 'map'; got 'x'"):
        hmm.decode(X, algorithm="x")


def test_information_criteria_match_hmmlearn(gaussian_data):
    X, _ = gaussian_data
    hmm = GaussianHMM(3, random_state=0).fit(X)
    cat, lengths = np.concatenate(X), [len(x) for x in X]
    np.testing.assert_allclose(hmm.bic(X), hmm.model_.bic(cat, lengths), rtol=1e-10)
    np.testing.assert_allclose(hmm.aic(X), hmm.model_.aic(cat, lengths), rtol=1e-10)
    total = hmm.score_samples(X).sum()
    np.testing.assert_allclose(hmm.score_per_step(X), total / sum(lengths))
    np.testing.assert_allclose(hmm.perplexity(X), np.exp(-total / sum(lengths)))


def test_categorical_symbols_and_unknowns():
    X = [np.array([10, 10, 30, 10]), np.array([30, 30, 50])]
    hmm = CategoricalHMM(2, random_state=0).fit(X)
    np.testing.assert_array_equal(hmm.symbols_, [10, 30, 50])
    assert hmm.model_.emissionprob_.shape == (2, 3)
    assert hmm.get_params()["unknown_symbol_proba"] is None  # nothing mutated
    with pytest.raises(ValueError, match=r"symbols not seen in fit: \[20\]"):
        hmm.score_samples([[10, 20]])
    smooth = CategoricalHMM(2, unknown_symbol_proba=0.01, random_state=0).fit(X)
    ll_unknown = smooth.score_samples([[10, 99]])
    assert np.isfinite(ll_unknown).all()
    # every state emits an unseen symbol with p / (n_symbols + 1), so it adds
    # that log-probability whatever the state
    first = smooth.score_samples([[10]])
    np.testing.assert_allclose(ll_unknown, first + np.log(0.01 / 4), rtol=1e-12)
    # the smoothed emissions still sum to one over all length-1 sequences
    total = np.exp(smooth.score_samples([[10], [30], [50], [99]])).sum()
    np.testing.assert_allclose(total, 1.0)
    # a class that never saw a symbol still gives it a finite probability
    clf = CategoricalHMM(2, unknown_symbol_proba=0.01, random_state=0)
    clf.fit([[10, 10, 30], [10, 30, 30], [50, 50, 60], [60, 50, 50]], [0, 0, 1, 1])
    proba = clf.predict_proba([[10, 30, 50]])
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(), 1.0)
    strict = CategoricalHMM(2, random_state=0)
    strict.fit([[10, 10, 30], [10, 30, 30], [50, 50, 60], [60, 50, 50]], [0, 0, 1, 1])
    with pytest.raises(ValueError, match=r"Sample\(s\) \[0\] have zero likelihood"):
        strict.predict_proba([[10, 30, 50]])
    samples = hmm.sample(20, length=6, random_state=0)
    assert set(np.concatenate(samples)) <= {10, 30, 50}


def test_poisson_and_gmm_fit_known_structure():
    X, params = make_hmm_sequences(
        100, n_components=2, emission="poisson", n_features=1, random_state=0
    )
    hmm = PoissonHMM(2, random_state=0).fit(X)
    np.testing.assert_allclose(
        np.sort(hmm.model_.lambdas_.ravel()),
        np.sort(params["lambdas"].ravel()),
        rtol=0.1,
    )
    Xg, _ = make_hmm_sequences(30, n_components=2, random_state=0)
    gmm = GMMHMM(2, n_mix=2, covariance_type="full", random_state=0).fit(Xg)
    assert np.all(np.diff(gmm.lower_bounds_) >= -1e-6)
    assert all(x.shape[1] == 2 for x in gmm.sample(3, random_state=0))


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([np.ones((3, 2)), np.ones((4, 3))], ValueError, r"different widths \[2, 3\]"),
        ([np.array([[0.0, np.nan]])], ValueError, "contains NaN"),
        ([np.array([[0.0, np.inf]])], ValueError, "contains infinity"),
        ([np.ones((3, 2)), np.zeros((0, 2))], ValueError, r"X\[1\] is empty"),
        ([np.ones(3)], ValueError, r"must be 2-D \(n_steps, n_features\)"),
        ([], ValueError, "holds no sequences"),
        ([np.ones((1, 2))], ValueError, "n_components=2 states need at least"),
        (np.ones((3, 2)), ValueError, "must be 3-D"),
        ("abc", TypeError, "got str"),
        ([np.array([["a", "b"]])], TypeError, "must hold numbers"),
    ],
)
def test_gaussian_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        GaussianHMM(2).fit(X)


def test_length_one_sequences_and_3d_arrays():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(1, 2)) for _ in range(30)] + [rng.normal(size=(8, 2))]
    hmm = GaussianHMM(2, random_state=0).fit(X)
    assert np.isfinite(hmm.score_samples(X)).all()
    cube = rng.normal(size=(5, 4, 2))
    np.testing.assert_allclose(hmm.score_samples(cube), hmm.score_samples(list(cube)))
    with pytest.raises(
        ValueError, match="has 3 features per step, but the model was fitted with 2"
    ):
        hmm.score_samples([np.ones((2, 3))])


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([[0.5, 1.0]], TypeError, "integer token ids"),
        ([[1, -1]], ValueError, ">= 0; got -1"),
        ([[1, 2], []], ValueError, r"X\[1\] is empty"),
    ],
)
def test_categorical_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        CategoricalHMM(2).fit(X)


def test_poisson_bad_input():
    with pytest.raises(ValueError, match="non-negative integer counts"):
        PoissonHMM(2).fit([np.array([[1.5], [2.0]])])


def test_parameter_validation():
    with pytest.raises(
        ValueError,
        match="'init_params' parameter of GaussianHMM must be a str of letters from",
    ):
        GaussianHMM(init_params="x").fit([np.ones((3, 1))])
    with pytest.raises(ValueError, match="'n_components' parameter"):
        GaussianHMM(n_components=0).fit([np.ones((3, 1))])


def test_degenerate_fit_is_reported():
    """A state that never gets data is named; NaN parameters stop the fit."""
    X = [np.zeros((5, 1)) + i % 2 for i in range(6)]
    hmm = GaussianHMM(2, init_params="", params="stmc", random_state=0)
    hmm.fit(X)  # fit once to get a model to break
    broken = hmm.model_
    broken.means_ = np.array([[np.nan], [0.0]])
    with pytest.raises(ValueError, match="means_ became non-finite"):
        hmm._check_degenerate(
            broken, {"start": np.ones(2), "trans": np.ones((2, 2))}, 3
        )
    with pytest.warns(UserWarning, match=r"state\(s\) \[1\] received no data"):
        hmm._check_degenerate(
            _finite(broken),
            {
                "start": np.array([1.0, 0.0]),
                "trans": np.array([[1.0, 0.0], [0.0, 0.0]]),
            },
            1,
        )


def _finite(model):
    model.means_ = np.array([[0.0], [1.0]])
    return model


def test_warm_start_keeps_parameters_outside_init_params(gaussian_data):
    X, _ = gaussian_data
    hmm = GaussianHMM(3, random_state=0).fit(X)
    means = np.array([[100.0, 0.0], [0.0, 100.0], [-100.0, 0.0]])
    hmm.model_.means_ = means.copy()
    hmm.set_params(warm_start=True, init_params="st", params="stc").fit(X)
    np.testing.assert_array_equal(hmm.model_.means_, means)  # kept, not updated
    cold = GaussianHMM(3, init_params="st", params="stc", random_state=0).fit(X)
    assert not np.allclose(cold.model_.means_, means)
    with pytest.raises(ValueError, match="warm_start needs the same number"):
        hmm.set_params(n_components=2).fit(X)
    assert hmm.model_.n_components == 3  # the failed fit lost nothing


def test_warnings_point_at_the_callers_line(gaussian_data):
    """Computed, not counted: the file and line of the user's call."""
    X, _ = gaussian_data
    line = inspect.currentframe().f_lineno + 2
    with pytest.warns(ConvergenceWarning) as record:
        GaussianHMM(3, max_iter=2, tol=0, random_state=0).fit(X)
    assert (record[0].filename, record[0].lineno) == (__file__, line)
    hmm = GaussianHMM(3, random_state=0).fit(X)
    hmm.model_.means_ = np.array([[100.0, 0.0], [0.0, 100.0], [-100.0, 0.0]])
    hmm.set_params(warm_start=True, init_params="st", params="stc")
    line = inspect.currentframe().f_lineno + 2
    with pytest.warns(UserWarning, match="received no data") as record:
        hmm.fit(X)
    assert (record[0].filename, record[0].lineno) == (__file__, line)
