"""Values near the float64 limits: a correct value, or an error that says why.

Squared distances, kernels and covariances of values above about 1e154
overflow; the metrics compute in exactly rescaled units (a power of two), so
they give the value the formula gives, and refuse with a clear error only
what float64 cannot hold.
"""

import numpy as np
import pytest

from skgen.metrics import (
    bits_per_dim,
    cross_entropy,
    distance_to_closest_record,
    frechet_distance,
    membership_inference_auc,
    mmd,
    perplexity,
    precision_recall,
)

#: 2**520, about 3.4e156: squares of such values overflow float64.
BIG = 520


@pytest.fixture(scope="module")
def samples():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 2)), rng.normal(0.5, 1.0, size=(40, 2))


def _big(*arrays, exponent=BIG):
    return [np.ldexp(A, exponent) for A in arrays]


@pytest.mark.parametrize("kernel", ["rbf", "laplacian"])
def test_mmd_with_the_median_bandwidth_does_not_depend_on_the_units(samples, kernel):
    X, Y = samples
    expected = mmd(X, Y, kernel=kernel, n_permutations=50, random_state=0)
    for exponent in (BIG, 1000):  # 1e300-scale data gave a NaN statistic
        got = mmd(
            *_big(X, Y, exponent=exponent),
            kernel=kernel,
            n_permutations=50,
            random_state=0,
        )
        assert np.isfinite(got.statistic)
        assert got.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert got.pvalue == expected.pvalue


def test_mmd_with_a_fixed_gamma_is_in_the_original_units(samples):
    X, Y = samples
    expected = mmd(X, Y, gamma=0.5, n_permutations=0)
    # k(x, y) = exp(-gamma |x - y|^2) is unchanged when x, y grow by 2**BIG
    # and gamma shrinks by 4**BIG
    got = mmd(*_big(X, Y), gamma=np.ldexp(0.5, -2 * BIG), n_permutations=0)
    assert got.statistic == pytest.approx(expected.statistic, rel=1e-12)
    # laplacian: |x - y|_1 grows by 2**BIG
    expected = mmd(X, Y, kernel="laplacian", gamma=0.5, n_permutations=0)
    got = mmd(
        *_big(X, Y), kernel="laplacian", gamma=np.ldexp(0.5, -BIG), n_permutations=0
    )
    assert got.statistic == pytest.approx(expected.statistic, rel=1e-12)


def test_mmd_linear_kernel_in_squared_units(samples):
    X, Y = samples
    expected = mmd(X, Y, kernel="linear", n_permutations=0).statistic
    got = mmd(*_big(X, Y, exponent=510), kernel="linear", n_permutations=0)
    assert got.statistic == pytest.approx(np.ldexp(expected, 1020), rel=1e-12)
    with pytest.raises(
        ValueError,
        match=r"mmd: the linear-kernel statistic is about 1e3\d\d, beyond the "
        r"float64 range",
    ):
        mmd(*_big(X, Y), kernel="linear", n_permutations=0)


def test_frechet_distance_in_squared_units(samples):
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(2, 500, 2))
    expected = frechet_distance(A, B)
    # covariance sums of 2**508-scale values overflowed to inf
    got = frechet_distance(*_big(A, B, exponent=508))
    assert got == pytest.approx(np.ldexp(expected, 1016), rel=1e-9)
    X, Y = samples
    with pytest.raises(
        ValueError,
        match=r"frechet_distance: the Fréchet distance is about 1e\d{3}, beyond "
        r"the float64 range \(about 1.8e308\); it grows with the square of the "
        r"units",
    ):
        frechet_distance(X * 1e300, Y * 1e300)


@pytest.mark.parametrize("algorithm", ["kd_tree", "brute"])
def test_precision_recall_does_not_depend_on_the_units(samples, algorithm):
    X, Y = samples
    expected = precision_recall(X, Y, n_neighbors=3, algorithm=algorithm)
    # 1e300-scale data raised a reshape error in sklearn's neighbours code
    got = precision_recall(*_big(X, Y), n_neighbors=3, algorithm=algorithm)
    assert got == expected
    assert precision_recall(X * 1e300, Y * 1e300, n_neighbors=3) == precision_recall(
        X, Y, n_neighbors=3
    )


def test_distance_to_closest_record_in_the_original_units(samples):
    X, Y = samples
    expected = distance_to_closest_record(X, Y)
    got = distance_to_closest_record(*_big(X, Y))
    np.testing.assert_array_equal(got.distances, np.ldexp(expected.distances, BIG))
    np.testing.assert_array_equal(got.baseline, np.ldexp(expected.baseline, BIG))
    assert got.ratio == expected.ratio
    R, G, H = _big(X, Y, Y[::-1])
    holdout = distance_to_closest_record(R, G, X_holdout=H)
    assert np.isfinite(holdout.ratio)
    # two rows 3e308 apart: the distance itself is beyond float64
    far = np.array([[1.5e308], [-1.5e308]])
    with pytest.raises(
        ValueError,
        match=r"distance_to_closest_record: a distance is about 1e308, beyond "
        r"the float64 range",
    ):
        distance_to_closest_record(far, far[:1])


def test_membership_inference_does_not_depend_on_the_units(samples):
    X, Y = samples
    expected = membership_inference_auc(X, Y, X[:20])
    assert membership_inference_auc(*_big(X, Y, X[:20])) == expected


def test_cross_entropy_near_the_float64_limit():
    # the sum overflowed: [-1e308, -1e308] gave inf
    assert cross_entropy([-1e308, -1e308]) == 1e308
    assert cross_entropy([-1e308, -1e308], n_tokens=[1e308, 1e308]) == 1.0
    assert bits_per_dim([-1e308, -1e308], 1) == pytest.approx(1e308 / np.log(2))
    assert perplexity([-1e308, -1e308], 1e308) == pytest.approx(np.e)
    # a log-likelihood of -inf is still an infinite cross-entropy
    assert cross_entropy([-np.inf, -1e308]) == np.inf
    with pytest.raises(
        ValueError,
        match=r"the cross-entropy of log_likelihood is about 1e608, beyond the "
        r"float64 range",
    ):
        cross_entropy([-1e308, -1e308], n_tokens=1e-300)
