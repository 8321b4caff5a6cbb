"""Fréchet distance against the closed form for Gaussians."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import linalg
from sklearn.decomposition import PCA

from skgen.metrics import frechet_distance
from skgen.metrics._fidelity import _frechet_from_moments


def _reference(mu1, S1, mu2, S2):
    """The formula, with scipy's sqrtm of the non-symmetric product."""
    covmean = linalg.sqrtm(S1 @ S2)
    covmean = np.real(covmean)
    diff = mu1 - mu2
    return diff @ diff + np.trace(S1 + S2 - 2 * covmean)


def _random_cov(rng, d, rank=None):
    A = rng.normal(size=(d, rank or d))
    return A @ A.T / d + (0 if rank else 0.1 * np.eye(d))


def _with_moments(rng, n, mu, S):
    """Rows whose sample mean and (ddof=1) covariance are exactly mu and S."""
    Z = rng.normal(size=(n, len(mu)))
    Z -= Z.mean(axis=0)
    Z = Z @ np.linalg.inv(np.linalg.cholesky(np.cov(Z, rowvar=False))).T
    return mu + Z @ np.linalg.cholesky(S).T


def test_moments_diagonal_closed_form():
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1.0])
    expected = 1 + 0 + 4 + np.sum((np.sqrt(s1) - np.sqrt(s2)) ** 2)
    value = _frechet_from_moments(mu1, np.diag(s1), mu2, np.diag(s2))
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_moments_against_scipy_sqrtm(seed):
    rng = np.random.default_rng(seed)
    d = 6
    mu1, mu2 = rng.normal(size=(2, d))
    S1, S2 = _random_cov(rng, d), _random_cov(rng, d)
    assert _frechet_from_moments(mu1, S1, mu2, S2) == pytest.approx(
        _reference(mu1, S1, mu2, S2), rel=1e-9
    )


def test_moments_singular_covariances():
    rng = np.random.default_rng(3)
    S1, S2 = _random_cov(rng, 8, rank=2), _random_cov(rng, 8, rank=3)
    mu = np.zeros(8)
    value = _frechet_from_moments(mu, S1, mu, S2)
    assert value == pytest.approx(_reference(mu, S1, mu, S2), rel=1e-6, abs=1e-8)
    assert _frechet_from_moments(mu, S1, mu, S1) == pytest.approx(0.0, abs=1e-10)


def test_samples_with_exact_moments_match_formula():
    rng = np.random.default_rng(4)
    d = 4
    mu1, mu2 = rng.normal(size=(2, d))
    S1, S2 = _random_cov(rng, d), _random_cov(rng, d)
    X1 = _with_moments(rng, 50, mu1, S1)
    X2 = _with_moments(rng, 80, mu2, S2)
    assert frechet_distance(X1, X2) == pytest.approx(
        _reference(mu1, S1, mu2, S2), rel=1e-9
    )


def test_large_samples_converge_to_population_value():
    rng = np.random.default_rng(5)
    d = 3
    mu1, mu2 = np.zeros(d), np.array([0.5, -0.5, 0.0])
    S1, S2 = _random_cov(rng, d), _random_cov(rng, d)
    X1 = rng.multivariate_normal(mu1, S1, size=100_000)
    X2 = rng.multivariate_normal(mu2, S2, size=100_000)
    expected = _reference(mu1, S1, mu2, S2)
    assert frechet_distance(X1, X2) == pytest.approx(expected, rel=0.03)
    # symmetric
    assert frechet_distance(X2, X1) == pytest.approx(frechet_distance(X1, X2))


def test_features_callable_and_transformer():
    rng = np.random.default_rng(6)
    X1, X2 = rng.normal(size=(2, 300, 5))
    X2[:, 0] += 2.0

    def first_two(X):
        return np.asarray(X)[:, :2]

    assert frechet_distance(X1, X2, features=first_two) == pytest.approx(
        frechet_distance(X1[:, :2], X2[:, :2])
    )
    pca = PCA(n_components=2).fit(X1)
    assert frechet_distance(X1, X2, features=pca) == pytest.approx(
        frechet_distance(pca.transform(X1), pca.transform(X2))
    )


def test_one_feature_and_identical_samples():
    X = np.arange(10.0)[:, None]
    assert frechet_distance(X, X) == 0.0
    assert frechet_distance(X, X + 3) == pytest.approx(9.0)
    # (2 mu - mu)^2 + (2 sigma - sigma)^2
    expected = X.mean() ** 2 + np.var(X, ddof=1)
    assert_allclose(frechet_distance(X, 2 * X), expected, rtol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="X_real must have at least 2 sample"):
        frechet_distance(np.zeros((1, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="X_generated has 3 features, but X_real"):
        frechet_distance(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="'features' parameter of frechet_distance"):
        frechet_distance(np.zeros((3, 2)), np.zeros((3, 2)), features=3)
    with pytest.raises(ValueError, match="Input features\\(X_real\\) contains NaN"):
        frechet_distance(
            np.zeros((3, 2)), np.zeros((3, 2)), features=lambda X: X * np.nan
        )


def test_empty_input_says_two_rows_are_needed():
    with pytest.raises(
        ValueError,
        match=r"^X_real must have at least 2 sample\(s\); got 0 in frechet_distance\.$",
    ):
        frechet_distance(np.zeros((0, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="X_generated must have at least 2 sample"):
        frechet_distance(np.zeros((3, 2)), np.zeros((0, 2)))
