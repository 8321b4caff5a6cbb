"""k-NN precision/recall/density/coverage by brute force; inception score."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.linear_model import LogisticRegression

from skgen.metrics import (
    classifier_inception_score,
    inception_score,
    precision_recall,
)
from skgen.metrics._neighbors import kneighbors, paired_distances


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


# ------------------------------------------------------------------ ties


def _exact_prdc(R, G, k):
    """The same formulas with cdist distances and ``<=``: exact on ties."""
    d_rr, d_gg, d_rg = cdist(R, R), cdist(G, G), cdist(R, G)
    r_real = np.sort(d_rr, axis=1)[:, k]  # column 0 is the row itself
    r_gen = np.sort(d_gg, axis=1)[:, k]
    in_real = d_rg <= r_real[:, None]
    return (
        in_real.any(axis=0).mean(),
        (d_rg <= r_gen[None, :]).any(axis=1).mean(),
        in_real.sum() / (k * len(G)),
        in_real.any(axis=1).mean(),
    )


def _one_hot(seed, n=400, n_levels=25):
    rng = np.random.default_rng(seed)
    return np.eye(n_levels)[rng.integers(0, n_levels, n)] * 0.1 + 3.7


@pytest.mark.parametrize(
    "make",
    [
        # one-hot rows (encoded categories): every distance is 0 or one value
        lambda seed: _one_hot(seed),
        # integer grid in 25 dimensions: distances sqrt(integer), many ties
        lambda seed: np.random.default_rng(seed).integers(0, 3, (150, 25)) * 1.0,
        # the same far from the origin, where fast distances round the most
        lambda seed: np.random.default_rng(seed).integers(0, 3, (150, 25)) + 1e3,
        # integer grid in 3 dimensions, where the KD-tree is the default
        lambda seed: np.random.default_rng(seed).integers(0, 4, (150, 3)) * 0.5,
    ],
)
@pytest.mark.parametrize("k", [1, 5])
def test_ties_count_and_brute_equals_kd_tree(make, k):
    R, G = make(0), make(1)
    brute = precision_recall(R, G, n_neighbors=k, algorithm="brute")
    kd_tree = precision_recall(R, G, n_neighbors=k, algorithm="kd_tree")
    assert brute == kd_tree == precision_recall(R, G, n_neighbors=k)
    assert brute == pytest.approx(_exact_prdc(R, G, k), abs=1e-12)


def test_one_hot_repro_of_the_review():
    R, G = _one_hot(0), _one_hot(1)
    # every category has more than 5 rows on each side: all radii are 0 and
    # every generated row sits exactly on real rows (ties at distance 0)
    res = precision_recall(R, G)
    assert (res.precision, res.recall, res.coverage) == (1.0, 1.0, 1.0)
    assert res == precision_recall(R, G, algorithm="kd_tree")


def test_exact_neighbour_helper_matches_cdist():
    rng = np.random.default_rng(8)
    P, Q = rng.normal(size=(60, 30)), rng.normal(size=(40, 30))
    for metric, name in [("euclidean", "euclidean"), ("manhattan", "cityblock")]:
        D = cdist(Q, P, name)
        expected = np.sort(D, axis=1)[:, :4]
        for algorithm in ("auto", "kd_tree", "brute"):
            dist, idx = kneighbors(P, Q, 4, metric=metric, algorithm=algorithm)
            # bit for bit: the helper sums over features in cdist's order
            assert np.array_equal(dist, expected)
            assert np.array_equal(np.take_along_axis(D, idx, axis=1), dist)
            rows = np.arange(len(Q))[:, None]
            assert np.array_equal(paired_distances(Q, rows, P, idx, metric), dist)
        # queries None: each row against the others, copies at distance 0
        X = np.r_[P, P[:3]]
        loo = kneighbors(X, None, 1, metric=metric, algorithm="brute")[0][:, 0]
        D = cdist(X, X, name)
        np.fill_diagonal(D, np.inf)
        assert np.array_equal(loo, D.min(axis=1))
        assert np.array_equal(
            loo, kneighbors(X, None, 1, metric=metric, algorithm="auto")[0][:, 0]
        )
        assert np.all(loo[[0, 1, 2, 60, 61, 62]] == 0)
