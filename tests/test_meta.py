"""GenerativeClassifier and GenerativeOutlierDetector."""

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.base import is_classifier, is_outlier_detector
from sklearn.datasets import load_iris
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import (
    StratifiedKFold,
    check_cv,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KernelDensity

from skgen import GenerativeClassifier, GenerativeOutlierDetector
from skgen.datasets import make_hmm_sequences
from skgen.hmm import GaussianHMM
from skgen.markov import MarkovChain
from skgen.neural import VAE
from skgen.pipeline import make_generative_pipeline
from skgen.tabular import TabularEncoder
from skgen.text import CharTokenizer

SCORERS = ("accuracy", "balanced_accuracy", "roc_auc_ovr", "neg_log_loss")


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)  # sorted by label: folds must stratify


@pytest.fixture(scope="module")
def docs():
    cats = ["the cat sat", "a cat ran", "cats and hats", "the cat", "hat cat mat"]
    dogs = ["dogs bark loud", "a dog ran far", "the dog barked", "dog days", "bark"]
    return cats + dogs, np.array([0] * 5 + [1] * 5)


def test_is_a_classifier_and_stratifies(iris):
    clf = GenerativeClassifier(VAE())
    assert is_classifier(clf) and not is_classifier(VAE())
    assert isinstance(
        check_cv(3, iris[1], classifier=is_classifier(clf)), StratifiedKFold
    )


def test_conditional_vae_under_classifier_scorers(iris):
    # the reproduction: the VAE alone scored [0, 0, 0] (unstratified)
    X, y = iris
    clf = GenerativeClassifier(VAE(max_epochs=20, random_state=0))
    scores = cross_validate(clf, X, y, cv=3, scoring=SCORERS, error_score="raise")
    for name in SCORERS:
        assert np.all(np.isfinite(scores[f"test_{name}"]))
    assert scores["test_accuracy"].min() > 0.6
    assert scores["test_balanced_accuracy"].min() > 0.6
    assert scores["test_roc_auc_ovr"].min() > 0.85


@pytest.mark.parametrize("scoring", SCORERS)
def test_per_class_density_models_under_classifier_scorers(iris, scoring):
    X, y = iris
    clf = GenerativeClassifier(GaussianMixture(random_state=0))
    scores = cross_val_score(clf, X, y, cv=5, scoring=scoring, error_score="raise")
    assert np.all(np.isfinite(scores))
    if scoring == "accuracy":
        assert scores.mean() > 0.9


def test_per_class_mode_is_bayes_rule_by_hand(iris):
    X, y = iris
    clf = GenerativeClassifier(KernelDensity(bandwidth=0.5)).fit(X, y)
    assert not clf.conditional_ and len(clf.estimators_) == 3
    by_hand = np.column_stack(
        [
            KernelDensity(bandwidth=0.5).fit(X[y == k]).score_samples(X)
            + np.log(np.mean(y == k))
            for k in range(3)
        ]
    )
    expected = by_hand - logsumexp(by_hand, axis=1, keepdims=True)
    np.testing.assert_allclose(clf.predict_log_proba(X), expected, atol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), expected.argmax(axis=1))
    assert clf.n_features_in_ == 4


def test_conditional_mode_matches_the_generators_own_posterior(docs):
    X, y = docs
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    clf = GenerativeClassifier(pipe).fit(X, y)
    assert clf.conditional_
    own = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2)).fit(X, y)
    np.testing.assert_allclose(
        clf.predict_proba(X), own.predict_proba(X), rtol=1e-10, atol=1e-300
    )
    # the class log-likelihoods recovered from the posterior are exact
    joint = np.column_stack([own.score_samples(X, np.full(len(X), k)) for k in (0, 1)])
    np.testing.assert_allclose(
        clf._class_log_likelihood(X) + np.log(0.5), joint, rtol=1e-10
    )


def test_priors_reweight_the_posterior(docs):
    X, y = docs
    pipe = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    base = GenerativeClassifier(pipe).fit(X, y)
    tilted = GenerativeClassifier(pipe, priors=[0.9, 0.1]).fit(X, y)
    logit = np.log(base.predict_proba(X)) + np.log([0.9, 0.1]) - np.log([0.5, 0.5])
    expected = np.exp(logit - logsumexp(logit, axis=1, keepdims=True))
    np.testing.assert_allclose(tilted.predict_proba(X), expected, rtol=1e-9)
    np.testing.assert_allclose(tilted.class_log_prior_, np.log([0.9, 0.1]))


def test_text_pipeline_classifies_strings_in_cross_validation(docs):
    X, y = docs
    clf = GenerativeClassifier(
        make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    )
    # labels are sorted: unstratified folds would hold one class only (NaN)
    scores = cross_val_score(clf, X, y, cv=5, error_score="raise")
    assert np.all(np.isfinite(scores)) and scores.mean() >= 0.6
    clf.fit(X, y)
    assert clf.predict(["the cat hat", "dog bark"]).tolist() == [0, 1]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_hmm_sequences_classified_per_class():
    X, _ = make_hmm_sequences(40, n_components=2, random_state=0)
    X2, _ = make_hmm_sequences(40, n_components=2, random_state=1)
    X = X + [x + 4.0 for x in X2]
    y = np.array([0] * 40 + [1] * 40)
    clf = GenerativeClassifier(GaussianHMM(2, max_iter=5, random_state=0))
    scores = cross_val_score(clf, X, y, cv=4, scoring="roc_auc", error_score="raise")
    assert scores.min() > 0.95


@pytest.mark.parametrize(
    ("priors", "match"),
    [
        ([0.5, 0.3, 0.2], r"one value per class \(2\); got shape \(3,\)"),
        ([0.7, 0.7], "must sum to 1; got sum 1.4"),
        ([1.5, -0.5], "must be non-negative"),
    ],
)
def test_bad_priors(priors, match):
    with pytest.raises(ValueError, match=match):
        GenerativeClassifier(MarkovChain(), priors=priors).fit(
            [[0, 1]] * 10, np.arange(10) % 2
        )


@pytest.mark.parametrize(
    ("y", "match"),
    [
        ([0, 0, 0, 0], r"only one class \(\[0\]\)"),
        ([0, np.nan, 1, 1], r"missing labels \(NaN or None\) at index \[1\]"),
        ([0, None, 1, 1], r"missing labels \(NaN or None\) at index \[1\]"),
        ([1, "a", 1, "a"], "Mix of label input types"),
    ],
)
def test_bad_labels(y, match):
    with pytest.raises(ValueError, match=match):
        GenerativeClassifier(MarkovChain()).fit([[0, 1], [1], [0], [1, 1]], y)


def test_failed_refit_keeps_the_fitted_classifier(docs):
    X, y = docs
    clf = GenerativeClassifier(
        make_generative_pipeline(CharTokenizer(), MarkovChain(order=1))
    ).fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(ValueError, match="one label per sample"):
        clf.fit(["zzz yy", "qq"], [0, 1, 1])
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_light_to_import():
    import subprocess
    import sys

    code = (
        "import sys; from skgen import GenerativeClassifier; "
        "print(sorted(m for m in ('torch', 'skorch', 'hmmlearn') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------- outlier detector


def test_outlier_detector_contract(iris):
    X, _ = iris
    det = GenerativeOutlierDetector(GaussianMixture(random_state=0), contamination=0.2)
    assert is_outlier_detector(det)
    labels = det.fit_predict(X)
    assert set(np.unique(labels)) == {-1, 1}
    assert np.mean(labels == -1) == pytest.approx(0.2, abs=0.01)
    gm = GaussianMixture(random_state=0).fit(X)
    np.testing.assert_allclose(det.score_samples(X), gm.score_samples(X))
    np.testing.assert_allclose(
        det.decision_function(X), gm.score_samples(X) - det.offset_
    )
    assert det.offset_ == pytest.approx(np.percentile(gm.score_samples(X), 20))
    assert det.predict([[30.0, -30.0, 30.0, 30.0]]).tolist() == [-1]


def test_outlier_detector_on_token_sequences():
    rng = np.random.RandomState(0)
    X = [rng.choice(2, size=rng.randint(4, 10)) for _ in range(60)]
    det = GenerativeOutlierDetector(MarkovChain(order=1)).fit(X)
    weird = [np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 7, 7, 7])]
    assert det.predict(weird).tolist() == [-1]
    assert det.predict([X[0]]).tolist() == [1]


def test_outlier_threshold_between_impossible_scores():
    # a chain without smoothing gives -inf to unseen transitions
    X = [[0, 1]] * 8 + [[1, 0], [1, 1]]
    det = GenerativeOutlierDetector(
        MarkovChain(order=1, smoothing="additive", alpha=0.0), contamination=0.5
    ).fit(X)
    assert not np.isnan(det.offset_)
    assert det.predict([[0, 1]]).tolist() == [1]


def test_vae_outlier_scores_are_its_bound():
    X = np.random.RandomState(0).normal(size=(100, 3))
    det = GenerativeOutlierDetector(
        VAE(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    ).fit(X)
    np.testing.assert_allclose(det.score_samples(X), det.generator_.score_samples(X))
    assert det.predict([[50.0, 50.0, 50.0]]).tolist() == [-1]


def test_conditional_parameter_chooses_the_mode(iris):
    X, y = iris
    vae = VAE(hidden_layer_sizes=(8,), max_epochs=3, random_state=0)
    per_class = GenerativeClassifier(vae, conditional=False).fit(X, y)
    assert not per_class.conditional_ and len(per_class.estimators_) == 3
    assert not hasattr(per_class.estimators_[0], "classes_")
    assert GenerativeClassifier(vae).fit(X, y).conditional_
    with pytest.raises(ValueError, match="conditional=True needs a generator"):
        GenerativeClassifier(GaussianMixture(), conditional=True).fit(X, y)


def test_zero_likelihood_under_every_class_names_the_vae_case():
    X = np.random.RandomState(0).normal(size=(40, 3))
    X[:, 2] = 0.0  # constant in training: a point mass for the VAE
    # column kinds from the dtype: the constant column stays numeric, a point
    # mass (detected kinds would make it a one-level discrete column, whose
    # unseen values keep some probability)
    encoder = TabularEncoder(column_types="dtype")
    clf = GenerativeClassifier(
        VAE(encoder=encoder, hidden_layer_sizes=(4,), max_epochs=2, random_state=0)
    ).fit(X, np.repeat([0, 1], 20))
    with pytest.raises(ValueError, match="constant of a column that was constant"):
        clf.predict([[0.0, 0.0, 1.0]])


class _Broken(GaussianMixture):
    """A density model whose scores are malformed."""

    def __init__(self, mode="nan"):
        super().__init__()
        self.mode = mode

    def score_samples(self, X):
        n = len(X)
        return np.full(n, np.nan) if self.mode == "nan" else np.zeros(n + 1)


@pytest.mark.parametrize(
    ("mode", "match"),
    [("nan", "returned NaN for sample"), ("shape", r"returned shape \(5,\)")],
)
def test_malformed_generator_scores_are_named(iris, mode, match):
    X, y = iris
    with pytest.raises(ValueError, match=match):
        GenerativeClassifier(_Broken(mode)).fit(X, y).predict(X[:4])
    with pytest.raises(ValueError, match=match):
        GenerativeOutlierDetector(_Broken(mode)).fit(X[:4])


def test_non_numeric_priors():
    with pytest.raises(TypeError, match="priors must be an array of probabilities"):
        GenerativeClassifier(MarkovChain(), priors=["a", "b"]).fit(
            [[0], [1]] * 3, [0, 1] * 3
        )


def test_boolean_and_int_labels_are_not_merged():
    with pytest.raises(ValueError, match="mixes booleans and other labels"):
        GenerativeClassifier(MarkovChain()).fit([[0], [1], [0], [1]], [True, 2, 2, 1])
    with pytest.raises(ValueError, match="mixes booleans and other labels"):
        MarkovChain().fit([[0], [1]], np.array([True, 2], dtype=object))
