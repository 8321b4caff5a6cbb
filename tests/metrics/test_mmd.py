"""MMD against a brute-force double loop, and the permutation test."""

import numpy as np
import pytest

from skgen.metrics import mmd
from skgen.metrics._mmd import _kernel_matrix, _permutation_statistics


def _k(kernel, gamma, a, b):
    if kernel == "rbf":
        return np.exp(-gamma * np.sum((a - b) ** 2))
    if kernel == "laplacian":
        return np.exp(-gamma * np.sum(np.abs(a - b)))
    return float(a @ b)


def _brute_mmd2(X, Y, kernel, gamma):
    m, n = len(X), len(Y)
    xx = sum(
        _k(kernel, gamma, X[i], X[j]) for i in range(m) for j in range(m) if i != j
    )
    yy = sum(
        _k(kernel, gamma, Y[i], Y[j]) for i in range(n) for j in range(n) if i != j
    )
    xy = sum(_k(kernel, gamma, X[i], Y[j]) for i in range(m) for j in range(n))
    return xx / (m * (m - 1)) + yy / (n * (n - 1)) - 2 * xy / (m * n)


def _brute_median_gamma(Z, kernel):
    pairs = [(i, j) for i in range(len(Z)) for j in range(i + 1, len(Z))]
    if kernel == "rbf":
        sq = [np.sum((Z[i] - Z[j]) ** 2) for i, j in pairs]
        return 1 / (2 * np.median(sq))
    return 1 / np.median([np.sum(np.abs(Z[i] - Z[j])) for i, j in pairs])


@pytest.mark.parametrize("kernel", ["rbf", "laplacian", "linear"])
def test_unbiased_statistic_equals_double_loop(kernel):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 3))
    Y = rng.normal(0.5, 1.5, size=(9, 3))
    res = mmd(X, Y, kernel=kernel, gamma=0.3, n_permutations=0)
    assert res.statistic == pytest.approx(_brute_mmd2(X, Y, kernel, 0.3), rel=1e-10)
    assert np.isnan(res.pvalue)


@pytest.mark.parametrize("kernel", ["rbf", "laplacian"])
def test_median_heuristic(kernel):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(8, 2)), rng.normal(size=(6, 2))
    gamma = _brute_median_gamma(np.vstack([X, Y]), kernel)
    assert mmd(X, Y, kernel=kernel, n_permutations=0).statistic == pytest.approx(
        _brute_mmd2(X, Y, kernel, gamma), rel=1e-10
    )


def test_permutation_statistics_equal_relabelled_statistics():
    rng = np.random.default_rng(2)
    Z = rng.normal(size=(12, 2))
    m = 5
    K = _kernel_matrix(Z, "rbf", 0.5, None)
    stats = _permutation_statistics(K, m, 20, np.random.RandomState(0))
    # the same permutations, drawn the same way, scored one by one
    order = np.random.RandomState(0).random_sample((20, 12)).argsort(axis=1)
    for p in range(20):
        chosen = order[p, :m]
        rest = np.setdiff1d(np.arange(12), chosen)
        assert stats[p] == pytest.approx(
            _brute_mmd2(Z[chosen], Z[rest], "rbf", 0.5), rel=1e-10
        )


def test_same_distribution_large_pvalue():
    rng = np.random.default_rng(3)
    pvalues, stats = [], []
    for _ in range(5):
        res = mmd(
            rng.normal(size=(150, 3)),
            rng.normal(size=(120, 3)),
            n_permutations=200,
            random_state=0,
        )
        pvalues.append(res.pvalue)
        stats.append(res.statistic)
    assert min(pvalues) > 0.01
    assert np.median(pvalues) > 0.2
    assert max(abs(s) for s in stats) < 0.02


def test_shifted_distribution_tiny_pvalue():
    rng = np.random.default_rng(4)
    res = mmd(
        rng.normal(size=(150, 3)),
        rng.normal(0.7, 1.0, size=(150, 3)),
        n_permutations=500,
        random_state=0,
    )
    assert res.statistic > 0.1
    assert res.pvalue == pytest.approx(1 / 501)


def test_detects_variance_difference_the_means_miss():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(200, 2)), rng.normal(0, 2.0, size=(200, 2))
    assert mmd(X, Y, n_permutations=200, random_state=0).pvalue < 0.01
    assert mmd(X, Y, kernel="linear", n_permutations=200, random_state=0).pvalue > 0.01


def test_max_samples_subsamples_and_is_seeded():
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(2, 500, 2))
    a = mmd(X, Y, max_samples=100, n_permutations=50, random_state=7)
    b = mmd(X, Y, max_samples=100, n_permutations=50, random_state=7)
    assert a == b
    full = mmd(X, Y, max_samples=None, n_permutations=0)
    sub = mmd(X, Y, max_samples=100, n_permutations=0, random_state=7)
    assert full.statistic != sub.statistic
    # max_samples equal to the number of rows uses every row
    assert mmd(X, Y, max_samples=500, n_permutations=0).statistic == pytest.approx(
        full.statistic
    )


def test_result_unpacks():
    rng = np.random.default_rng(7)
    statistic, pvalue = mmd(*rng.normal(size=(2, 20, 2)), n_permutations=9)
    assert 0.1 <= pvalue <= 1.0
    assert isinstance(statistic, float)


def test_errors():
    with pytest.raises(ValueError, match="Y must have at least 2 sample"):
        mmd(np.zeros((3, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="'kernel' parameter of mmd"):
        mmd(np.zeros((3, 2)), np.zeros((3, 2)), kernel="poly")
    with pytest.raises(ValueError, match="'n_permutations' parameter of mmd"):
        mmd(np.zeros((3, 2)), np.zeros((3, 2)), n_permutations=-1)


@pytest.mark.parametrize("kernel", ["rbf", "laplacian"])
def test_median_heuristic_on_x_only(kernel):
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(8, 2)), rng.normal(0, 20.0, size=(6, 2))
    gamma = _brute_median_gamma(X, kernel)
    got = mmd(X, Y, kernel=kernel, gamma="median_x", n_permutations=0).statistic
    assert got == pytest.approx(_brute_mmd2(X, Y, kernel, gamma), rel=1e-10)
    # unlike the pooled median, the kernel does not depend on Y
    for scale in (1.0, 5.0):
        Z = rng.normal(0, scale, size=(6, 2))
        assert mmd(
            X, Z, kernel=kernel, gamma="median_x", n_permutations=0
        ).statistic == pytest.approx(_brute_mmd2(X, Z, kernel, gamma), rel=1e-10)


def test_linear_kernel_documented_as_unbiased_mean_distance():
    doc = " ".join(mmd.__doc__.split())
    assert (
        "an unbiased estimate of the squared distance between the population means"
        in doc
    )


def test_empty_and_nan_messages():
    with pytest.raises(
        ValueError, match=r"^Y must have at least 2 sample\(s\); got 0 in mmd\.$"
    ):
        mmd(np.zeros((3, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"^Input X contains NaN\.$"):
        mmd(np.array([[np.nan, 1.0], [1.0, 2.0]]), np.zeros((3, 2)))
