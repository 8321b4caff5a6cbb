"""Sample quality: Fréchet distance, inception score, k-NN precision/recall."""

from numbers import Integral
from typing import NamedTuple

import numpy as np
from scipy.special import rel_entr
from sklearn.neighbors import KDTree
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from skgen.metrics._neighbors import (
    exact_inside,
    kneighbors,
    paired_distances,
    screened_blocks,
)
from skgen.metrics._validation import (
    _as_matrix,
    check_samples,
    rescaled,
    subsample,
    unscaled,
)
from skgen.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)

# --------------------------------------------------------------- Fréchet


def _sqrtm_psd(S):
    """Symmetric square root of a symmetric positive semi-definite matrix."""
    w, V = np.linalg.eigh(S)
    return (V * np.sqrt(np.clip(w, 0.0, None))) @ V.T


def _frechet_from_moments(mu1, S1, mu2, S2):
    """``||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^{1/2})``, stably.

    ``S1 S2`` is not symmetric, but it has the eigenvalues of the symmetric
    PSD matrix ``S1^{1/2} S2 S1^{1/2}``, so ``Tr((S1 S2)^{1/2})`` is the sum
    of the square roots of that matrix's (clipped) eigenvalues: two
    symmetric eigendecompositions, no complex arithmetic.
    """
    root1 = _sqrtm_psd(S1)
    M = root1 @ S2 @ root1
    eig = np.linalg.eigvalsh((M + M.T) / 2)
    trace_root = np.sqrt(np.clip(eig, 0.0, None)).sum()
    diff = mu1 - mu2
    value = diff @ diff + np.trace(S1) + np.trace(S2) - 2.0 * trace_root
    return float(max(value, 0.0))


def _features(X, features, name):
    if features is None:
        return X
    if hasattr(features, "transform"):
        F = features.transform(X)
    else:
        F = features(X)
    if isinstance(F, tuple):  # e.g. a transform returning (mean, log_var)
        raise TypeError(
            f"features must return one 2-D array of features; got a tuple of "
            f"{len(F)} for {name}."
        )
    return F


@validate_params(
    {
        "X_real": ["array-like"],
        "X_generated": ["array-like"],
        "features": [None, HasMethods("transform"), callable],
    },
    prefer_skip_nested_validation=True,
)
def frechet_distance(X_real, X_generated, *, features=None):
    """Fréchet distance between Gaussian fits of real and generated features.

    The Fréchet (2-Wasserstein) distance between ``N(mu_r, S_r)`` and
    ``N(mu_g, S_g)`` fitted to the features of the two samples: FID when the
    features are those of an Inception network, but any features work.

    Parameters
    ----------
    X_real : array-like or DataFrame of shape (n_real, n_features)
        Real samples (at least 2).
    X_generated : array-like or DataFrame of shape (n_generated, n_features)
        Generated samples (at least 2).
    features : None, callable or fitted transformer, default=None
        How to compute features from each sample, applied to both samples
        as given. None uses the raw columns (DataFrames are encoded, see
        Notes); a callable maps ``X -> features``; an object with a
        ``transform`` method (a fitted VAE, whose ``transform`` gives latent
        means, a PCA, ...) is used through ``transform``.

    Returns
    -------
    distance : float
        ``||mu_r - mu_g||^2 + Tr(S_r + S_g - 2 (S_r S_g)^{1/2})``, >= 0, in
        squared feature units.

    See Also
    --------
    mmd : A kernel two-sample statistic that sees more than two moments.

    Notes
    -----
    Means and covariances (``ddof=1``) are the sample estimates. The trace
    of ``(S_r S_g)^{1/2}`` is computed from the symmetric matrix
    ``S_r^{1/2} S_g S_r^{1/2}``, which has the same eigenvalues, with
    eigenvalues clipped at 0: unlike ``scipy.linalg.sqrtm`` of the
    non-symmetric product, this needs no complex arithmetic and no clean-up
    of imaginary parts, and is stable for singular covariances.

    The estimate is biased upwards for small samples (the bias falls like
    ``1 / n``), so compare models with samples of the same size.

    With ``features=None`` and a DataFrame ``X_real``, both samples go
    through a :class:`~skgen.tabular.TabularEncoder` fitted on ``X_real``
    (numeric columns standardised, categories one-hot); arrays are used as
    given.

    References
    ----------
    Heusel et al. (2017), "GANs trained by a two time-scale update rule
    converge to a local Nash equilibrium", NeurIPS.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import frechet_distance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2000, 3))
    >>> round(frechet_distance(X, X), 6)
    0.0
    >>> round(frechet_distance(X, X + [1.0, 0.0, 0.0]), 6)  # mean shift of 1
    1.0
    """
    if features is None:
        R, G = check_samples(
            X_real,
            X_generated,
            names=("X_real", "X_generated"),
            caller="frechet_distance",
            min_samples=2,
        )
    else:
        R = _as_matrix(
            _features(X_real, features, "X_real"),
            "features(X_real)",
            "frechet_distance",
        )
        G = _as_matrix(
            _features(X_generated, features, "X_generated"),
            "features(X_generated)",
            "frechet_distance",
        )
        R, G = check_samples(
            R,
            G,
            names=("features(X_real)", "features(X_generated)"),
            caller="frechet_distance",
            min_samples=2,
        )
    # covariances of values above ~1e154 overflow: work in units where the
    # values are below 1 (exactly, by a power of two)
    (R, G), exponent = rescaled(R, G)
    value = _frechet_from_moments(
        R.mean(axis=0),
        np.atleast_2d(np.cov(R, rowvar=False)),
        G.mean(axis=0),
        np.atleast_2d(np.cov(G, rowvar=False)),
    )
    return float(unscaled(value, exponent, 2, "frechet_distance: the Fréchet distance"))


# ------------------------------------------------------ inception score


class InceptionScoreResult(NamedTuple):
    """Result of :func:`inception_score`.

    Attributes
    ----------
    mean : float
        The mean inception score over the splits.
    std : float
        The standard deviation of the per-split scores (0 for one split).
    """

    mean: float
    std: float


@validate_params(
    {
        "proba": ["array-like"],
        "n_splits": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def inception_score(proba, *, n_splits=1):
    """Inception score ``exp(E_x KL(p(y|x) || p(y)))`` of class probabilities.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities ``p(y | x)`` of each generated sample
        (rows sum to 1, to within 1e-6), e.g. ``predict_proba`` of a
        classifier trained on real data.
    n_splits : int, default=1
        Number of consecutive chunks of rows scored separately (10 in
        Salimans et al.); ``p(y)`` is the mean of the rows of each chunk.

    Returns
    -------
    result : InceptionScoreResult
        Named tuple ``(mean, std)`` over the splits.

    See Also
    --------
    classifier_inception_score : Computes ``proba`` with a fitted classifier.

    Notes
    -----
    ``KL(p(y|x) || p(y)) = sum_k p(k|x) log(p(k|x) / p(k))``, with
    ``0 log 0 = 0``. The score lies in ``[1, n_classes]``: 1 when every
    sample gets the same prediction, ``n_classes`` when every prediction is
    certain and the classes are equally frequent. High scores need both
    confident (realistic) and varied samples; the score does not compare
    with real data, so a model that reproduces its training set scores as
    well as the real data.

    References
    ----------
    Salimans et al. (2016), "Improved techniques for training GANs",
    NeurIPS.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import inception_score
    >>> inception_score(np.eye(4)).mean  # certain and balanced: n_classes
    4.0
    >>> inception_score(np.full((6, 3), 1 / 3)).mean  # no information
    1.0
    """
    P = check_array(proba, dtype=np.float64, input_name="proba")
    if (P < 0).any() or (P > 1).any():
        raise ValueError(
            f"proba must hold probabilities in [0, 1]; got values in "
            f"[{P.min()}, {P.max()}]."
        )
    sums = P.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > 1e-6)
    if bad.size:
        raise ValueError(
            f"proba rows must sum to 1; row {bad[0]} sums to {sums[bad[0]]}."
        )
    if n_splits > P.shape[0]:
        raise ValueError(
            f"n_splits must be <= the number of samples ({P.shape[0]}); got {n_splits}."
        )
    scores = []
    for chunk in np.array_split(P, n_splits):
        marginal = chunk.mean(axis=0)
        kl = rel_entr(chunk, marginal).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return InceptionScoreResult(float(np.mean(scores)), float(np.std(scores)))


@validate_params(
    {
        "classifier": [HasMethods("predict_proba")],
        "X_generated": ["array-like"],
        "n_splits": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def classifier_inception_score(classifier, X_generated, *, n_splits=1):
    """Inception score of generated samples under any fitted classifier.

    The inception score without Inception: ``p(y | x)`` comes from
    ``classifier.predict_proba(X_generated)``, for example a classifier
    trained on the real data the generator imitates.

    Parameters
    ----------
    classifier : fitted classifier with ``predict_proba``
        Takes samples in the representation of ``X_generated``.
    X_generated : array-like or DataFrame of shape (n_samples, n_features)
        Generated samples, passed to the classifier as given.
    n_splits : int, default=1
        See :func:`inception_score`.

    Returns
    -------
    result : InceptionScoreResult
        Named tuple ``(mean, std)``.

    See Also
    --------
    inception_score : The score from a probability matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skgen.metrics import classifier_inception_score
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(-5, 1, (50, 1)), rng.normal(5, 1, (50, 1))]
    >>> y = np.repeat([0, 1], 50)
    >>> clf = LogisticRegression().fit(X, y)
    >>> score = classifier_inception_score(clf, X)  # two clear classes
    >>> round(score.mean, 1)
    2.0
    """
    return inception_score(classifier.predict_proba(X_generated), n_splits=n_splits)


# ------------------------------------------------- precision and recall


class PrecisionRecallResult(NamedTuple):
    """Result of :func:`precision_recall`.

    Attributes
    ----------
    precision : float
        Share of generated samples inside the real manifold.
    recall : float
        Share of real samples inside the generated manifold.
    density : float
        Mean number of real k-NN balls holding a generated sample, over k.
    coverage : float
        Share of real samples whose k-NN ball holds a generated sample.
    """

    precision: float
    recall: float
    density: float
    coverage: float


def _knn_radii(X, k, algorithm):
    """Exact distance from each row to its k-th nearest other row."""
    return kneighbors(X, None, k, algorithm=algorithm)[0][:, -1]


def _ball_hits_tree(centres, radii, points):
    """Which points lie in which balls ``B(centres[i], radii[i])``.

    Returns ``inside`` such that point ``j`` is in ball ``i`` exactly when
    ``(i, j)`` is among the pairs of ``inside`` (two index arrays). A tree
    over ``points`` answers one radius query per ball with that ball's own
    radius, so the work grows with the number of hits, not with
    ``len(centres) * len(points)``. The tree compares squared distances with
    the squared radius, which can lose a point at exactly the radius, so it
    searches a slightly larger ball and the exact distances decide.
    """
    tree = KDTree(points)
    found = tree.query_radius(centres, radii * (1 + 1e-9))
    counts = np.fromiter((f.shape[0] for f in found), np.intp, len(found))
    balls = np.repeat(np.arange(len(found)), counts)
    candidates = np.concatenate(found).astype(np.intp)
    keep = paired_distances(centres, balls, points, candidates) <= radii[balls]
    return balls[keep], candidates[keep]


def _prdc_tree(R, r_real, G, r_gen):
    """``(generated in a real ball, hits, real balls hit, real in a
    generated ball)`` as boolean masks and a count, with KD-trees."""
    ball, point = _ball_hits_tree(R, r_real, G)
    gen_inside = np.zeros(G.shape[0], bool)
    gen_inside[point] = True
    ball_hit = np.zeros(R.shape[0], bool)
    ball_hit[ball] = True
    real_inside = np.zeros(R.shape[0], bool)
    real_inside[_ball_hits_tree(G, r_gen, R)[1]] = True
    return gen_inside, point.shape[0], ball_hit, real_inside


def _prdc_brute(R, r_real, G, r_gen):
    """Same as :func:`_prdc_tree` from blocks of real-generated distances,
    one pass for both directions."""
    gen_inside = np.zeros(G.shape[0], bool)
    ball_hit = np.zeros(R.shape[0], bool)
    real_inside = np.zeros(R.shape[0], bool)
    hits = 0
    for start, D, tol in screened_blocks(R, G):
        stop = start + D.shape[0]
        in_real = exact_inside(D, tol, r_real[start:stop, None], R, start, G)
        gen_inside |= in_real.any(axis=0)
        ball_hit[start:stop] = in_real.any(axis=1)
        hits += np.count_nonzero(in_real)
        in_gen = exact_inside(D, tol, r_gen[None, :], R, start, G)
        real_inside[start:stop] = in_gen.any(axis=1)
    return gen_inside, hits, ball_hit, real_inside


@validate_params(
    {
        "X_real": ["array-like"],
        "X_generated": ["array-like"],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "algorithm": [StrOptions({"auto", "kd_tree", "brute"})],
        "max_samples": [Interval(Integral, 2, None, closed="left"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def precision_recall(
    X_real,
    X_generated,
    *,
    n_neighbors=5,
    algorithm="auto",
    max_samples=10_000,
    random_state=None,
):
    """k-NN manifold precision, recall, density and coverage.

    Each sample's k-NN ball is the ball around it whose radius is the
    distance to its ``n_neighbors``-th nearest neighbour in its own set.
    The union of the real balls estimates the real manifold, the union of
    the generated balls the generated one.

    Parameters
    ----------
    X_real : array-like or DataFrame of shape (n_real, n_features)
        Real samples (more than ``n_neighbors``).
    X_generated : array-like or DataFrame of shape (n_generated, n_features)
        Generated samples (more than ``n_neighbors``).
    n_neighbors : int, default=5
        The ``k`` of the k-NN radii (5 in both papers).
    algorithm : {"auto", "kd_tree", "brute"}, default="auto"
        How the balls are searched: ``"kd_tree"`` runs one radius query per
        ball in a KD-tree (work grows with the number of hits, fast for
        up to ~20 features); ``"brute"`` computes all real-real,
        generated-generated and real-generated distances in blocks
        (``(n_real + n_generated)^2`` work, better for many features).
        ``"auto"`` takes ``"kd_tree"`` for at most 20 features. Both give
        the same result (see Notes on ties).
    max_samples : int or None, default=10_000
        At most this many rows of each sample are used, drawn without
        replacement (10,000 as in Naeem et al.); None uses all rows. See
        Notes on sample size and cost.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsampling (only used when a sample is larger than
        ``max_samples``).

    Returns
    -------
    result : PrecisionRecallResult
        Named tuple ``(precision, recall, density, coverage)``. Precision,
        recall and coverage are in [0, 1]; density is about 1 when the
        samples come from the same distribution and can exceed 1.

    See Also
    --------
    detection_score : A classifier two-sample test.

    Notes
    -----
    With ``r_k(x)`` the k-NN radius of a real sample among the real samples
    and ``r_k(y)`` that of a generated sample among the generated ones
    (each sample excluded from its own neighbours), ``M`` generated and
    ``N`` real samples:

    - precision ``= 1/M sum_y 1[exists x: d(y, x) <= r_k(x)]``
      (Kynkäänniemi et al.);
    - recall ``= 1/N sum_x 1[exists y: d(x, y) <= r_k(y)]``;
    - density ``= 1/(k M) sum_y sum_x 1[d(y, x) <= r_k(x)]``
      (Naeem et al.);
    - coverage ``= 1/N sum_x 1[min_y d(x, y) <= r_k(x)]``.

    **Sample size.** The k-NN radii shrink as the samples grow, so the
    values depend on the sample sizes: compare models on samples of the
    same size. The default subsample of at most 10,000 rows per side fixes
    that size and bounds the cost: exact k-NN searches over full-rank data
    in 10-20 dimensions take time close to ``n_real * n_generated``
    distance evaluations whatever the index (about a minute per pass at
    100,000 rows on two cores), and four passes are needed (two k-NN radii
    searches and one radius search each way).

    **Ties.** A sample at exactly the radius is inside the ball (``<=``, as
    in Kynkäänniemi et al.), where the ``prdc`` package of Naeem et al.
    uses ``<``. Ties are common on encoded categories (one-hot columns) and
    integer data, so the two can differ there. Every radius and every
    comparison with a radius uses the exact distance
    ``sqrt(sum_j (x_j - y_j)^2)``, summed in column order (the fast form
    ``|x|^2 - 2 x.y + |y|^2``, off by about ``1e-7``, only screens out
    pairs far from the radius), with either ``algorithm``: a tie is a tie,
    and ``"kd_tree"`` and ``"brute"`` agree exactly.

    Distances are Euclidean. DataFrames are encoded with a
    :class:`~skgen.tabular.TabularEncoder` fitted on ``X_real``; arrays are
    used as given, so scale the columns first when their units differ.

    References
    ----------
    Kynkäänniemi et al. (2019), "Improved precision and recall metric for
    assessing generative models", NeurIPS.
    Naeem et al. (2020), "Reliable fidelity and diversity metrics for
    generative models", ICML.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import precision_recall
    >>> rng = np.random.default_rng(0)
    >>> X_real = rng.normal(size=(500, 2))
    >>> res = precision_recall(X_real, rng.normal(size=(500, 2)))
    >>> bool(res.precision > 0.9 and res.recall > 0.9)
    True
    >>> collapsed = precision_recall(X_real, rng.normal(0, 0.1, size=(500, 2)))
    >>> round(collapsed.precision, 2), bool(collapsed.recall < 0.2)
    (1.0, True)
    """
    R, G = check_samples(
        X_real,
        X_generated,
        names=("X_real", "X_generated"),
        caller="precision_recall",
        min_samples=n_neighbors + 1,
    )
    rng = check_random_state(random_state)
    R, G = subsample(R, max_samples, rng), subsample(G, max_samples, rng)
    # every comparison is between distances, so the units do not matter:
    # values below 1 keep squared distances from overflowing
    (R, G), _ = rescaled(R, G)
    if max_samples is not None and n_neighbors >= max_samples:
        raise ValueError(
            f"n_neighbors={n_neighbors} must be < max_samples={max_samples}."
        )
    if algorithm == "auto":
        algorithm = "kd_tree" if R.shape[1] <= 20 else "brute"
    r_real = _knn_radii(R, n_neighbors, algorithm)
    r_gen = _knn_radii(G, n_neighbors, algorithm)
    prdc = _prdc_tree if algorithm == "kd_tree" else _prdc_brute
    gen_inside, hits, ball_hit, real_inside = prdc(R, r_real, G, r_gen)
    precision = gen_inside.mean()
    density = hits / (n_neighbors * G.shape[0])
    coverage = ball_hit.mean()
    recall = real_inside.mean()
    return PrecisionRecallResult(
        float(precision), float(recall), float(density), float(coverage)
    )
