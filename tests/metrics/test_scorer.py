"""make_generative_scorer: signs, conditional sampling, GridSearchCV."""

import itertools

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import GenerativeMixin
from skgen.metrics import (
    classifier_inception_score,
    detection_score,
    frechet_distance,
    make_generative_scorer,
    mmd,
    precision_recall,
    representation_gap,
    tstr_score,
)
from skgen.neural import VAE


class _Shifted(GenerativeMixin, BaseEstimator):
    """Test-only model: the training rows' Gaussian fit, shifted by `shift`.

    Records every ``sample`` call so tests can check what the scorer asked.
    """

    def __init__(self, shift=0.0):
        self.shift = shift

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0)
        if y is not None:
            self.classes_ = np.unique(y)
            self.class_means_ = np.array(
                [X[y == c].mean(axis=0) for c in self.classes_]
            )
        self.calls_ = []
        return self

    def score_samples(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        z = (X - self.mean_ - self.shift) / self.std_
        return -0.5 * (z**2).sum(axis=1) - np.log(self.std_).sum()

    def sample(self, n_samples=1, *, y=None, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        self.calls_.append({"n": n_samples, "y": y, "random_state": random_state})
        noise = self.std_ * rng.normal(size=(n_samples, len(self.mean_)))
        if not hasattr(self, "classes_"):
            return self.mean_ + self.shift + noise
        labels = y if y is not None else rng.choice(self.classes_, n_samples)
        labels = np.asarray(labels)
        means = self.class_means_[np.searchsorted(self.classes_, labels)]
        return means + self.shift + 0.5 * noise, labels


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    X = rng.normal(size=(200, 2)) @ np.array([[1.0, 0.5], [0.0, 1.0]])
    X[:, 0] += 3.0 * y
    return X, y


@pytest.mark.parametrize(
    ("metric", "manual"),
    [
        (
            mmd,
            lambda X, G: (
                -mmd(X, G, gamma="median_x", n_permutations=0, random_state=0).statistic
            ),
        ),
        ("frechet_distance", lambda X, G: -frechet_distance(X, G)),
        (precision_recall, lambda X, G: precision_recall(X, G).coverage),
        (
            detection_score,
            lambda X, G: -abs(detection_score(X, G, random_state=0) - 0.5),
        ),
    ],
)
def test_value_and_sign_match_the_metric(data, metric, manual):
    X, _ = data
    model = _Shifted(shift=0.5).fit(X)
    scorer = make_generative_scorer(metric)
    G = model.sample(len(X), random_state=0)
    assert scorer(model, X) == pytest.approx(manual(X, G))
    assert model.calls_[-1] == {"n": len(X), "y": None, "random_state": 0}


def test_statistic_and_n_samples(data):
    X, _ = data
    model = _Shifted().fit(X)
    scorer = make_generative_scorer(
        precision_recall, statistic="precision", n_samples=50, n_neighbors=3
    )
    G = model.sample(50, random_state=0)
    assert scorer(model, X) == precision_recall(X, G, n_neighbors=3).precision
    assert model.calls_[-1]["n"] == 50


def test_better_model_scores_higher_and_grid_search_picks_it(data):
    X, _ = data
    for metric in (mmd, frechet_distance, precision_recall):
        scorer = make_generative_scorer(metric)
        good = scorer(_Shifted(0.0).fit(X), X)
        bad = scorer(_Shifted(2.0).fit(X), X)
        assert good > bad, metric.__name__
    search = GridSearchCV(
        _Shifted(),
        {"shift": [-2.0, 0.0, 1.0]},
        cv=3,
        scoring=make_generative_scorer(mmd),
    ).fit(X)
    assert search.best_params_ == {"shift": 0.0}


def test_conditional_model_gets_held_out_labels(data):
    X, y = data
    model = _Shifted().fit(X, y)
    scorer = make_generative_scorer(frechet_distance)
    scorer(model, X[:40], y[:40])
    call = model.calls_[-1]
    np.testing.assert_array_equal(call["y"], y[:40])
    # more rows than labels: the model draws the labels
    make_generative_scorer(frechet_distance, n_samples=60)(model, X[:40], y[:40])
    assert model.calls_[-1]["y"] is None and model.calls_[-1]["n"] == 60
    # an unconditional model is not given labels
    plain = _Shifted().fit(X)
    scorer(plain, X[:40], y[:40])
    assert plain.calls_[-1]["y"] is None


def test_tstr_scorer(data):
    X, y = data
    model = _Shifted().fit(X, y)
    scorer = make_generative_scorer(tstr_score, estimator=LogisticRegression())
    G, yg = model.sample(len(X), y=y, random_state=0)
    expected = tstr_score(G, yg, X, y, estimator=LogisticRegression())
    assert scorer(model, X, y) == pytest.approx(expected)
    assert expected > 0.8
    with pytest.raises(ValueError, match="tstr_score scorer needs labels"):
        scorer(_Shifted().fit(X), X)


def test_inception_and_fairness_scorers(data):
    X, y = data
    clf = LogisticRegression().fit(X, y)
    model = _Shifted().fit(X, y)
    scorer = make_generative_scorer(classifier_inception_score, classifier=clf)
    G = model.sample(len(X), y=y, random_state=0)[0]
    assert scorer(model, X, y) == classifier_inception_score(clf, G).mean
    frame = pd.DataFrame({"g": np.where(y == 1, "a", "b"), "x": X[:, 0]})

    class _Frames(_Shifted):
        def sample(self, n_samples=1, *, y=None, random_state=None):
            rng = np.random.default_rng(random_state)
            return pd.DataFrame(
                {
                    "g": rng.choice(["a", "b"], n_samples, p=[0.8, 0.2]),
                    "x": rng.normal(size=n_samples),
                }
            )

    fair = make_generative_scorer(representation_gap, sensitive="g")
    expected = representation_gap(
        frame, _Frames().sample(200, random_state=0), sensitive="g"
    )
    assert fair(_Frames(), frame) == -expected.max_share_gap


def test_custom_metric():
    X = np.zeros((10, 2))
    model = _Shifted().fit(np.random.default_rng(1).normal(size=(30, 2)))

    def mean_gap(A, B, power=1):
        return float(np.abs(A.mean(axis=0) - B.mean(axis=0)).sum() ** power)

    lower = make_generative_scorer(mean_gap, greater_is_better=False, power=2)
    higher = make_generative_scorer(mean_gap, greater_is_better=True, power=2)
    G = model.sample(10, random_state=0)
    assert lower(model, X) == -mean_gap(X, G, power=2)
    assert higher(model, X) == mean_gap(X, G, power=2)
    assert (
        repr(lower)
        == "make_generative_scorer(mean_gap, greater_is_better=False, power=2)"
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((lambda a, b: 0.0,), {}, "greater_is_better must be given"),
        ((mmd,), {"greater_is_better": True}, "greater_is_better must be None for mmd"),
        ((mmd,), {"statistic": "recall"}, "statistic is for precision_recall only"),
        ((classifier_inception_score,), {}, "needs classifier="),
        ((representation_gap,), {}, "needs sensitive="),
        (("perplexity",), {}, "'metric' parameter of make_generative_scorer"),
        ((mmd,), {"n_samples": 0}, "'n_samples' parameter"),
    ],
)
def test_errors(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_generative_scorer(*args, **kwargs)


class _Gaussian(BaseEstimator):
    """Test-only model: draws ``N(shift, scale^2)`` in every coordinate."""

    def __init__(self, shift=0.0, scale=1.0):
        self.shift = shift
        self.scale = scale

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def sample(self, n_samples=1, *, random_state=None):
        rng = np.random.default_rng(random_state)
        return self.shift + self.scale * rng.normal(
            size=(n_samples, self.n_features_in_)
        )


def test_mmd_scorer_bandwidth_from_held_out_rows_ranks_fairly():
    X = np.random.default_rng(1).normal(size=(600, 5))
    shifted, spread = (
        {"shift": [1.25], "scale": [1.0]},
        {"shift": [0.0], "scale": [20.0]},
    )
    scorer = make_generative_scorer(mmd)
    search = GridSearchCV(_Gaussian(), [spread, shifted], cv=2, scoring=scorer).fit(X)
    assert search.best_params_ == {"shift": 1.25, "scale": 1.0}
    # the pooled median (mmd's default for its test) lets the spread
    # generator widen its own kernel and win: the unfairness avoided
    pooled = make_generative_scorer(mmd, gamma=None)
    search = GridSearchCV(_Gaussian(), [spread, shifted], cv=2, scoring=pooled).fit(X)
    assert search.best_params_ == {"shift": 0.0, "scale": 20.0}
    # an explicit gamma is used as given
    fixed = make_generative_scorer(mmd, gamma=0.1)
    model = _Gaussian(shift=1.25).fit(X)
    G = model.sample(600, random_state=0)
    assert fixed(model, X) == pytest.approx(
        -mmd(X, G, gamma=0.1, n_permutations=0, random_state=0).statistic
    )


@pytest.mark.parametrize(
    ("metric", "kwargs", "match"),
    [
        (mmd, {"kernal": "rbf"}, "mmd does not take: .*'kernal'"),
        ("precision_recall", {"n_neighbours": 3}, "'n_neighbours'"),
        (detection_score, {"estimater": None}, "'estimater'"),
        (
            classifier_inception_score,
            {"classifier": LogisticRegression(), "splits": 2},
            "'splits'",
        ),
    ],
)
def test_misspelled_keyword_arguments_rejected_when_made(metric, kwargs, match):
    with pytest.raises(TypeError, match=match):
        make_generative_scorer(metric, **kwargs)


def test_misspelled_keyword_argument_of_a_custom_metric():
    def gap(A, B, *, power=1):
        return float(np.abs(A.mean() - B.mean()) ** power)

    with pytest.raises(TypeError, match=r"gap does not take: .*'pwr'.*'power'"):
        make_generative_scorer(gap, greater_is_better=False, pwr=2)
    # a metric taking **kwargs accepts any name
    make_generative_scorer(lambda A, B, **kw: 0.0, greater_is_better=True, pwr=2)


def test_estimator_without_sample_gets_a_clear_error(data):
    X, _ = data
    pipe = Pipeline([("scale", StandardScaler()), ("model", _Shifted())]).fit(X)
    with pytest.raises(
        TypeError,
        match=r"estimator has no sample\(\); got Pipeline\..*"
        r"skgen\.pipeline\.make_generative_pipeline",
    ):
        make_generative_scorer(mmd)(pipe, X)


def test_docs_of_categories_ties_and_doctest_blocks():
    import skgen.metrics

    def flat(obj):
        return " ".join(obj.__doc__.split())

    assert "never show cannot be encoded and raises" in flat(skgen.metrics)
    assert "a rare level can be missing from a held-out fold" in flat(
        make_generative_scorer
    )
    assert "(``<=``, as in Kynkäänniemi et al.), where the ``prdc`` package" in flat(
        precision_recall
    )
    # RST: a doctest block starts after a blank line (or a section
    # underline), not straight after prose
    for name in skgen.metrics.__all__:
        lines = getattr(skgen.metrics, name).__doc__.splitlines()
        in_block = False
        for previous, line in itertools.pairwise(lines):
            if line.strip().startswith(">>>") and not in_block:
                assert previous.strip() in ("", "-" * len(previous.strip())), (
                    f"{name}: no blank line before {line!r}"
                )
            in_block = bool(line.strip()) and (in_block or ">>>" in line)


# ----------------------------------------------------------- the skgen VAE


@pytest.fixture(scope="module")
def vae_kwargs():
    return {
        "latent_dim": 2,
        "hidden_layer_sizes": (16,),
        "max_epochs": 5,
        "random_state": 0,
    }


def test_vae_in_grid_search(data, vae_kwargs):
    X, _ = data
    scorer = make_generative_scorer(mmd)
    search = GridSearchCV(
        VAE(**vae_kwargs), {"latent_dim": [1, 2]}, cv=2, scoring=scorer
    ).fit(X)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores)) and np.all(scores < 0.5)
    # the reported score is the scorer's value on the held-out fold (KFold:
    # the first split holds out the first half)
    model = VAE(**{**vae_kwargs, "latent_dim": 1}).fit(X[100:])
    expected = -mmd(
        X[:100],
        model.sample(100, random_state=0),
        gamma="median_x",
        n_permutations=0,
        random_state=0,
    ).statistic
    assert search.cv_results_["split0_test_score"][0] == pytest.approx(expected)


def test_conditional_vae_in_grid_search_multimetric(data, vae_kwargs):
    X, y = data
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "big": X[:, 1] > 0})
    search = GridSearchCV(
        VAE(**vae_kwargs),
        {"max_epochs": [1, 5]},
        cv=2,
        scoring={
            "frechet": make_generative_scorer(frechet_distance),
            "tstr": make_generative_scorer(tstr_score, estimator=LogisticRegression()),
        },
        refit="frechet",
    ).fit(frame, y)
    assert np.all(search.cv_results_["mean_test_frechet"] <= 0)
    assert np.all(
        (search.cv_results_["mean_test_tstr"] >= 0)
        & (search.cv_results_["mean_test_tstr"] <= 1)
    )
    assert isinstance(search.best_estimator_.sample(3, random_state=0)[0], pd.DataFrame)


def test_cross_val_score_with_vae(data, vae_kwargs):
    X, _ = data
    scores = cross_val_score(
        VAE(**vae_kwargs), X, cv=2, scoring=make_generative_scorer("precision_recall")
    )
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
