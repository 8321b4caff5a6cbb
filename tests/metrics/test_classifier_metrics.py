"""Detection (classifier two-sample test) and train-synthetic-test-real."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsClassifier

from skgen.metrics import detection_score, tstr_score


@pytest.fixture(scope="module")
def real():
    return np.random.default_rng(0).normal(size=(200, 3))


def test_detection_same_distribution_near_half(real):
    rng = np.random.default_rng(1)
    aucs = [
        detection_score(real, rng.normal(size=(200, 3)), random_state=s)
        for s in range(2)
    ]
    assert abs(np.mean(aucs) - 0.5) < 0.08


def test_detection_separated_near_one(real):
    rng = np.random.default_rng(2)
    auc = detection_score(real, rng.normal(4.0, 1.0, size=(150, 3)), random_state=0)
    assert auc > 0.99


def test_detection_estimator_cv_and_seed(real):
    rng = np.random.default_rng(3)
    gen = rng.normal(0.0, 3.0, size=(200, 3))
    knn = KNeighborsClassifier(15)
    a = detection_score(real, gen, estimator=knn, cv=3, random_state=0)
    assert a == detection_score(real, gen, estimator=knn, cv=3, random_state=0)
    assert a > 0.8  # variance difference, found by a non-linear classifier
    # a linear classifier cannot see a difference of the variances only
    lin = detection_score(real, gen, estimator=LogisticRegression(), cv=3)
    assert abs(lin - 0.5) < 0.15
    # a splitter object works too
    cv = KFold(4, shuffle=True, random_state=0)
    assert detection_score(real, gen, estimator=knn, cv=cv) > 0.8


def test_detection_unbalanced_sizes(real):
    rng = np.random.default_rng(4)
    aucs = [
        detection_score(
            real,
            rng.normal(size=(40, 3)),
            estimator=LogisticRegression(),
            random_state=s,
        )
        for s in range(4)
    ]
    assert abs(np.mean(aucs) - 0.5) < 0.12


def test_detection_small_samples_are_told_apart():
    # 20 rows each: the default classifier's min_samples_leaf of 20 made no
    # split at all and reported exactly 0.5 for samples 100 apart
    rng = np.random.default_rng(9)
    X = rng.normal(size=(20, 2))
    assert detection_score(X, X + 100, random_state=0) > 0.95
    same = [
        detection_score(X, rng.normal(size=(20, 2)), random_state=s) for s in range(8)
    ]
    assert abs(np.mean(same) - 0.5) < 0.12


def test_detection_errors(real):
    with pytest.raises(
        ValueError,
        match=r"cv=5 folds need at least 10 rows in each sample \(2 per held-out "
        r"fold\); the smaller sample has 9",
    ):
        detection_score(real, real[:9])
    with pytest.raises(ValueError, match="'estimator' parameter"):
        detection_score(real, real, estimator="logreg")


def _labelled(rng, n, shift=3.0):
    y = rng.integers(0, 2, n)
    return rng.normal(size=(n, 2)) + shift * y[:, None], y


def test_tstr_good_and_bad_synthetic_data():
    rng = np.random.default_rng(5)
    X_real, y_real = _labelled(rng, 300)
    X_good, y_good = _labelled(rng, 300)
    good = tstr_score(X_good, y_good, X_real, y_real, estimator=LogisticRegression())
    assert good > 0.9
    # labels that do not depend on X: chance level
    bad = tstr_score(
        X_good, rng.permutation(y_good), X_real, y_real, estimator=LogisticRegression()
    )
    assert bad < 0.7
    # default classifier and a scorer name
    auc = tstr_score(X_good, y_good, X_real, y_real, scoring="roc_auc")
    assert auc > 0.9


def test_tstr_regression_default_is_r2():
    rng = np.random.default_rng(6)
    X_s, X_r = rng.normal(size=(2, 200, 3))
    w = np.array([1.0, -2.0, 0.5])
    y_s, y_r = X_s @ w, X_r @ w
    assert tstr_score(X_s, y_s, X_r, y_r) > 0.8
    exact = tstr_score(X_s, y_s, X_r, y_r, estimator=LinearRegression())
    assert exact == pytest.approx(1.0)


def test_tstr_dataframes_are_encoded():
    rng = np.random.default_rng(7)

    def frame(n):
        colour = rng.choice(["red", "blue"], n)
        y = (colour == "red").astype(int)
        return pd.DataFrame({"x": rng.normal(size=n), "colour": colour}), y

    (X_s, y_s), (X_r, y_r) = frame(100), frame(100)
    assert tstr_score(X_s, y_s, X_r, y_r, estimator=LogisticRegression()) == 1.0


def test_tstr_errors():
    X = np.zeros((4, 2))
    with pytest.raises(
        ValueError, match=r"y_synth must have one entry per row .*\(4\); got 3"
    ):
        tstr_score(X, [0, 1, 0], X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="y_synth must hold at least 2 classes"):
        tstr_score(X, [1, 1, 1, 1], X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="X_synth has 3 features, but X_real has 2"):
        tstr_score(np.zeros((4, 3)), [0, 1, 0, 1], X, [0, 1, 0, 1])


class _FailingClassifier(LogisticRegression):
    """Fails on an odd number of training rows: on some folds only."""

    def fit(self, X, y):
        if len(X) % 2:
            raise ValueError("this classifier cannot be fitted")
        return super().fit(X, y)


def test_detection_raises_when_the_classifier_fails(real):
    # 301 rows in 5 folds: one fold trains on 240 rows, the others on 241;
    # a failed fold must raise, not make the mean AUC NaN
    gen = np.random.default_rng(6).normal(size=(101, 3))
    with pytest.raises(ValueError, match="this classifier cannot be fitted"):
        detection_score(real, gen, estimator=_FailingClassifier())


def test_detection_needs_predict_proba_or_decision_function(real):
    gen = np.random.default_rng(7).normal(size=(100, 3))
    with pytest.raises(
        TypeError,
        match=r"estimator must be a classifier with predict_proba or "
        r"decision_function.*got LinearRegression\(\)",
    ):
        detection_score(real, gen, estimator=LinearRegression())


def test_detection_numpy_int_cv_is_shuffled_stratified(real):
    # rows come sorted (real, then generated): unshuffled folds would differ
    gen = np.random.default_rng(8).normal(0.3, 1.0, size=(100, 3))
    clf = LogisticRegression()
    expected = detection_score(real, gen, estimator=clf, cv=5, random_state=0)
    got = detection_score(real, gen, estimator=clf, cv=np.int64(5), random_state=0)
    assert got == expected
    with pytest.raises(ValueError, match="cv=300 folds need at least 600 rows"):
        detection_score(real, gen, estimator=clf, cv=np.int64(300))
