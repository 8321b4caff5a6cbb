"""k-NN precision/recall/density/coverage by brute force; inception score."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skgen.metrics import (
    classifier_inception_score,
    inception_score,
    precision_recall,
)


def _brute_prdc(R, G, k):
    """The formulas of Kynkäänniemi et al. and Naeem et al., with loops."""

    def radius(S, i):
        d = sorted(np.linalg.norm(S[i] - S[j]) for j in range(len(S)) if j != i)
        return d[k - 1]

    r_real = [radius(R, i) for i in range(len(R))]
    r_gen = [radius(G, j) for j in range(len(G))]
    dist = np.array([[np.linalg.norm(x - y) for y in G] for x in R])
    inside = [[dist[i, j] <= r_real[i] for j in range(len(G))] for i in range(len(R))]
    precision = np.mean(
        [any(inside[i][j] for i in range(len(R))) for j in range(len(G))]
    )
    recall = np.mean(
        [any(dist[i, j] <= r_gen[j] for j in range(len(G))) for i in range(len(R))]
    )
    density = sum(map(sum, inside)) / (k * len(G))
    coverage = np.mean([min(dist[i]) <= r_real[i] for i in range(len(R))])
    return precision, recall, density, coverage


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute", "auto"])
@pytest.mark.parametrize(("seed", "k"), [(0, 1), (1, 3), (2, 5)])
def test_against_brute_force(algorithm, seed, k):
    rng = np.random.default_rng(seed)
    R = rng.normal(size=(40, 3))
    G = rng.normal(0.5, 1.3, size=(35, 3))
    res = precision_recall(R, G, n_neighbors=k, algorithm=algorithm)
    assert res == pytest.approx(_brute_prdc(R, G, k), abs=1e-12)


def test_many_features_uses_brute_and_agrees():
    rng = np.random.default_rng(3)
    R, G = rng.normal(size=(2, 30, 25))
    res = precision_recall(R, G, n_neighbors=2)
    assert res == pytest.approx(_brute_prdc(R, G, 2), abs=1e-12)
    assert res == precision_recall(R, G, n_neighbors=2, algorithm="kd_tree")


def test_same_distribution_and_mode_collapse():
    rng = np.random.default_rng(4)
    R = rng.normal(size=(1000, 2))
    same = precision_recall(R, rng.normal(size=(1000, 2)))
    assert same.precision > 0.9
    assert same.recall > 0.9
    assert same.density == pytest.approx(1.0, abs=0.15)
    assert same.coverage > 0.9
    collapsed = precision_recall(R, rng.normal(0, 0.05, size=(1000, 2)))
    assert collapsed.precision == 1.0
    assert collapsed.recall < 0.05
    assert collapsed.coverage < 0.05
    far = precision_recall(R, rng.normal(10, 1, size=(1000, 2)))
    assert far == (0.0, 0.0, 0.0, 0.0)


def test_max_samples_subsamples_each_side():
    rng = np.random.default_rng(7)
    R, G = rng.normal(size=(2, 300, 2))
    a = precision_recall(R, G, max_samples=100, random_state=0)
    assert a == precision_recall(R, G, max_samples=100, random_state=0)
    # the same rows the function draws, scored in full
    pick = np.random.RandomState(0)
    r = np.sort(pick.choice(300, 100, replace=False))
    g = np.sort(pick.choice(300, 100, replace=False))
    assert a == precision_recall(R[r], G[g], max_samples=None)
    assert precision_recall(R, G, max_samples=300) == precision_recall(
        R, G, max_samples=None
    )


def test_errors():
    with pytest.raises(ValueError, match="n_neighbors=5 must be < max_samples=5"):
        precision_recall(np.zeros((9, 2)), np.zeros((10, 2)), max_samples=5)
    with pytest.raises(ValueError, match="X_real must have at least 6 sample"):
        precision_recall(np.zeros((5, 2)), np.zeros((10, 2)))
    with pytest.raises(ValueError, match="'n_neighbors' parameter"):
        precision_recall(np.zeros((5, 2)), np.zeros((10, 2)), n_neighbors=0)


# ------------------------------------------------------------ inception score


def test_inception_closed_forms():
    assert inception_score(np.full((10, 4), 0.25)).mean == pytest.approx(1.0)
    # certain predictions, equally frequent classes: n_classes
    certain = np.tile(np.eye(5), (3, 1))
    assert inception_score(certain).mean == pytest.approx(5.0)
    # certain predictions of one class only: 1
    assert inception_score(np.tile([[0, 1, 0]], (6, 1))).mean == pytest.approx(1.0)
    # certain, classes with frequencies q: exp(entropy(q))
    P = np.eye(3)[[0, 0, 0, 1, 2, 2]]
    q = np.array([3, 1, 2]) / 6
    assert inception_score(P).mean == pytest.approx(np.exp(-(q * np.log(q)).sum()))


def test_inception_against_loop_and_splits():
    rng = np.random.default_rng(5)
    P = rng.dirichlet(np.full(4, 0.3), size=30)

    def score(chunk):
        py = chunk.mean(axis=0)
        kl = [
            sum(p[k] * np.log(p[k] / py[k]) for k in range(4) if p[k] > 0)
            for p in chunk
        ]
        return np.exp(np.mean(kl))

    assert inception_score(P).mean == pytest.approx(score(P), rel=1e-12)
    res = inception_score(P, n_splits=3)
    per_split = [score(P[:10]), score(P[10:20]), score(P[20:])]
    assert res.mean == pytest.approx(np.mean(per_split), rel=1e-12)
    assert res.std == pytest.approx(np.std(per_split), rel=1e-12)


def test_classifier_inception_score():
    rng = np.random.default_rng(6)
    X = np.r_[rng.normal(-4, 1, (100, 2)), rng.normal(4, 1, (100, 2))]
    y = np.repeat([0, 1], 100)
    clf = LogisticRegression().fit(X, y)
    assert classifier_inception_score(clf, X) == inception_score(clf.predict_proba(X))
    one_mode = classifier_inception_score(clf, rng.normal(-4, 1, (100, 2)))
    assert one_mode.mean < 1.05


@pytest.mark.parametrize(
    ("proba", "n_splits", "match"),
    [
        ([[0.5, 0.6]], 1, "proba rows must sum to 1; row 0 sums to 1.1"),
        ([[-0.5, 1.5]], 1, r"probabilities in \[0, 1\]"),
        ([[0.5, 0.5]], 2, "n_splits must be <= the number of samples"),
        ([[np.nan, 1.0]], 1, "Input proba contains NaN"),
    ],
)
def test_inception_errors(proba, n_splits, match):
    with pytest.raises(ValueError, match=match):
        inception_score(proba, n_splits=n_splits)


def test_classifier_inception_score_needs_predict_proba():
    with pytest.raises(ValueError, match="'classifier' parameter"):
        classifier_inception_score(object(), np.zeros((2, 2)))
