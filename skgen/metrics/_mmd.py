"""Maximum mean discrepancy with a permutation test."""

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.metrics.pairwise import euclidean_distances, manhattan_distances
from sklearn.utils import check_random_state

from skgen.metrics._validation import check_samples, rescaled, subsample, unscaled
from skgen.utils._compat import Interval, StrOptions, validate_params

#: Pooled points used to compute the median heuristic.
_MEDIAN_POINTS = 1000
#: Permutations evaluated per matrix product (bounds the memory used).
_PERMUTATION_BATCH = 128


class MMDResult(NamedTuple):
    """Result of :func:`mmd`.

    Attributes
    ----------
    statistic : float
        The unbiased estimate of MMD^2 (can be slightly negative).
    pvalue : float
        Permutation-test p-value of "same distribution" (NaN with
        ``n_permutations=0``).
    """

    statistic: float
    pvalue: float


def _distances(X, kernel):
    if kernel == "laplacian":
        return manhattan_distances(X)
    return euclidean_distances(X, squared=True)


def _median_gamma(D, kernel, rng):
    """Median heuristic on pairwise distances of at most 1000 pooled points."""
    n = D.shape[0]
    idx = (
        np.arange(n)
        if n <= _MEDIAN_POINTS
        else rng.choice(n, _MEDIAN_POINTS, replace=False)
    )
    sub = D[np.ix_(idx, idx)][np.triu_indices(idx.shape[0], k=1)]
    median = float(np.median(sub))
    if median <= 0:  # most points coincide
        positive = sub[sub > 0]
        median = float(np.median(positive)) if positive.size else 1.0
    if kernel == "rbf":  # D holds squared distances: gamma = 1 / (2 sigma^2)
        return 1.0 / (2.0 * median)
    return 1.0 / median  # laplacian: exp(-|x - y|_1 / median)


def _kernel_matrix(Z, kernel, gamma, rng, n_x=None, exponent=0):
    """Kernel matrix of the pooled rows ``Z``, X = the first ``n_x`` rows.

    ``gamma=None`` takes the median heuristic over all rows of ``Z``,
    ``gamma="median_x"`` over the first ``n_x`` rows only. ``Z`` may be
    :func:`~skgen.metrics._validation.rescaled` by ``2**-exponent``: a
    median bandwidth does not depend on the units, a fixed ``gamma`` is
    in the original units (the linear kernel stays in the rescaled ones).
    """
    if kernel == "linear":
        return Z @ Z.T
    D = _distances(Z, kernel)
    if gamma is None:
        gamma = _median_gamma(D, kernel, rng)
    elif gamma == "median_x":
        gamma = _median_gamma(D[:n_x, :n_x], kernel, rng)
    else:
        # a fixed gamma is in the original units, where D is 2**exponent
        # (laplacian) or 4**exponent (rbf) times larger: multiply by the
        # mantissa of gamma, then by all the powers of two at once (exact;
        # an overflow to -inf is a kernel value of 0)
        mantissa, gamma_exponent = np.frexp(gamma)
        np.multiply(D, -mantissa, out=D)
        power = exponent * (2 if kernel == "rbf" else 1) + int(gamma_exponent)
        with np.errstate(over="ignore", under="ignore"):
            np.ldexp(D, power, out=D)
        np.exp(D, out=D)
        return D
    np.multiply(D, -gamma, out=D)
    np.exp(D, out=D)
    return D


def _mmd2_unbiased(K, m):
    """Unbiased MMD^2 from the pooled kernel matrix, X = first m rows."""
    n = K.shape[0] - m
    Kxx, Kyy, Kxy = K[:m, :m], K[m:, m:], K[:m, m:]
    sxx = Kxx.sum() - np.trace(Kxx)
    syy = Kyy.sum() - np.trace(Kyy)
    return sxx / (m * (m - 1)) + syy / (n * (n - 1)) - 2.0 * Kxy.sum() / (m * n)


def _permutation_statistics(K, m, n_permutations, rng):
    """MMD^2 for random relabellings, ``_PERMUTATION_BATCH`` at a time.

    With ``a`` the 0/1 indicator of the rows labelled X, ``t = K 1`` and
    ``T = 1' K 1``: the X-X sum is ``a'Ka``, the X-Y sum ``a't - a'Ka`` and
    the Y-Y sum ``T - 2 a't + a'Ka``; the diagonal terms are ``a'd`` and
    ``(1 - a)'d``. One product ``K A`` gives ``a'Ka`` for a whole batch.
    """
    N = K.shape[0]
    n = N - m
    row_sums = K.sum(axis=1)
    total = row_sums.sum()
    diag = np.diag(K).copy()
    out = np.empty(n_permutations)
    for start in range(0, n_permutations, _PERMUTATION_BATCH):
        size = min(_PERMUTATION_BATCH, n_permutations - start)
        order = rng.random((size, N)).argsort(axis=1)[:, :m]
        A = np.zeros((N, size))
        A[order, np.arange(size)[:, None]] = 1.0
        aKa = np.einsum("ip,ip->p", A, K @ A)
        at = row_sums @ A
        ad = diag @ A
        sxx = aKa - ad
        syy = total - 2.0 * at + aKa - (diag.sum() - ad)
        sxy = at - aKa
        out[start : start + size] = (
            sxx / (m * (m - 1)) + syy / (n * (n - 1)) - 2.0 * sxy / (m * n)
        )
    return out


@validate_params(
    {
        "X": ["array-like"],
        "Y": ["array-like"],
        "kernel": [StrOptions({"rbf", "laplacian", "linear"})],
        "gamma": [
            Interval(Real, 0, None, closed="neither"),
            StrOptions({"median_x"}),
            None,
        ],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "max_samples": [Interval(Integral, 2, None, closed="left"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def mmd(
    X,
    Y,
    *,
    kernel="rbf",
    gamma=None,
    n_permutations=1000,
    max_samples=2000,
    random_state=None,
):
    """Unbiased squared maximum mean discrepancy with a permutation test.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_x, n_features)
        First sample (the real data), at least 2 rows.
    Y : array-like or DataFrame of shape (n_y, n_features)
        Second sample (the generated data), at least 2 rows.
    kernel : {"rbf", "laplacian", "linear"}, default="rbf"
        ``"rbf"``: ``exp(-gamma ||x - y||^2)``; ``"laplacian"``:
        ``exp(-gamma ||x - y||_1)``; ``"linear"``: ``x . y`` (then the
        statistic is an unbiased estimate of the squared distance between
        the population means, and ``gamma`` is ignored).
    gamma : float > 0, "median_x" or None, default=None
        Kernel bandwidth parameter. None uses the median heuristic on the
        pooled sample, the usual choice for the test; ``"median_x"`` uses
        it on ``X`` alone, so that the kernel does not depend on ``Y``: use
        it to rank several ``Y`` against one ``X`` (see Notes).
    n_permutations : int, default=1000
        Number of random relabellings of the pooled sample for the p-value;
        0 skips the test (``pvalue`` is NaN).
    max_samples : int or None, default=2000
        At most this many rows of each sample are used, drawn without
        replacement; None uses all rows. The kernel matrix has
        ``(n_x + n_y)^2`` entries (128 MB for 2000 + 2000 rows), so the
        full estimate is infeasible for large samples; see Notes.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsampling, the median heuristic's subsample and the
        permutations.

    Returns
    -------
    result : MMDResult
        Named tuple ``(statistic, pvalue)``.

    See Also
    --------
    frechet_distance : Compares means and covariances only.
    detection_score : A classifier two-sample test.

    Notes
    -----
    The unbiased estimate (Gretton et al. 2012, eq. 3) is

    .. math::

        \\frac{1}{m(m-1)} \\sum_{i \\ne j} k(x_i, x_j)
        + \\frac{1}{n(n-1)} \\sum_{i \\ne j} k(y_i, y_j)
        - \\frac{2}{mn} \\sum_{i, j} k(x_i, y_j).

    It is 0 in expectation when X and Y come from the same distribution,
    so it can be slightly negative.

    **Median heuristic.** With ``gamma=None``, ``sigma`` is the median
    distance between distinct pairs of up to 1000 points of the pooled
    sample (Euclidean for ``"rbf"``, with ``gamma = 1 / (2 sigma^2)``;
    Manhattan for ``"laplacian"``, with ``gamma = 1 / sigma``).
    ``gamma="median_x"`` takes the median over up to 1000 points of ``X``
    only. The pooled median is right for the test (it treats both samples
    alike, and under the null hypothesis they are one sample), but it makes
    the kernel depend on ``Y``: a widely spread ``Y`` widens its own kernel
    and shrinks its own statistic, so statistics for different ``Y``
    computed with the pooled median are not on one scale. To compare
    generators against the same real ``X``, fix ``gamma`` or use
    ``"median_x"`` (the default of :func:`make_generative_scorer`).

    **Permutation test.** The pooled kernel matrix is computed once; each
    permutation relabels its rows, and batches of permutations are scored
    with one matrix product. The p-value is
    ``(1 + #{permuted >= observed}) / (1 + n_permutations)``.

    **Large samples.** The cost is ``O((n_x + n_y)^2)`` memory and time
    (plus ``n_permutations`` matrix-vector products), so by default each
    sample is subsampled to 2000 rows. The statistic stays unbiased; its
    standard error grows as the subsample shrinks, and the test stays
    valid. Raise ``max_samples`` when memory allows and differences are
    small.

    DataFrames are encoded with a :class:`~skgen.tabular.TabularEncoder`
    fitted on ``X``; arrays are used as given.

    References
    ----------
    Gretton et al. (2012), "A kernel two-sample test", JMLR 13.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import mmd
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> same = mmd(X, rng.normal(size=(200, 2)), random_state=0)
    >>> bool(same.pvalue > 0.05)
    True
    >>> shifted = mmd(X, rng.normal(1.0, 1.0, size=(200, 2)), random_state=0)
    >>> bool(shifted.statistic > 0.1), bool(shifted.pvalue < 0.01)
    (True, True)
    """
    X, Y = check_samples(X, Y, names=("X", "Y"), caller="mmd", min_samples=2)
    rng = check_random_state(random_state)
    X, Y = subsample(X, max_samples, rng), subsample(Y, max_samples, rng)
    # squared distances of values above ~1e154 overflow: work in units where
    # the values are below 1 (exactly, by a power of two)
    (X, Y), exponent = rescaled(X, Y)
    m = X.shape[0]
    K = _kernel_matrix(np.vstack([X, Y]), kernel, gamma, rng, n_x=m, exponent=exponent)
    statistic = float(_mmd2_unbiased(K, m))
    value = statistic
    if kernel == "linear":  # squared units
        value = float(
            unscaled(statistic, exponent, 2, "mmd: the linear-kernel statistic")
        )
    if n_permutations == 0:
        return MMDResult(value, float("nan"))
    permuted = _permutation_statistics(K, m, n_permutations, rng)
    # a relative tolerance so that rounding does not decide ties
    ties = np.abs(permuted - statistic) <= 1e-12 * max(abs(statistic), 1e-300)
    count = np.count_nonzero((permuted >= statistic) | ties)
    return MMDResult(value, float((1 + count) / (1 + n_permutations)))
