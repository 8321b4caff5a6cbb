"""Privacy: distance to closest record and a distance-based membership attack."""

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from skgen.metrics._neighbors import kneighbors
from skgen.metrics._validation import check_samples, rescaled, unscaled
from skgen.utils._compat import Interval, StrOptions, validate_params


class DCRResult(NamedTuple):
    """Result of :func:`distance_to_closest_record`.

    Attributes
    ----------
    distances : ndarray of shape (n_generated,)
        Distance from each generated row to its closest real row.
    baseline : ndarray of shape (n_holdout,) or (n_real,)
        Distance from each holdout row to its closest real row, or, without
        a holdout, from each real row to its closest other real row.
    ratio : float
        ``quantile(distances, q) / quantile(baseline, q)``.
    exact_match_rate : float
        Share of generated rows that copy a real row (distance 0).
    """

    distances: np.ndarray
    baseline: np.ndarray
    ratio: float
    exact_match_rate: float


@validate_params(
    {
        "X_real": ["array-like"],
        "X_generated": ["array-like"],
        "X_holdout": ["array-like", None],
        "quantile": [Interval(Real, 0, 1, closed="both")],
        "metric": [StrOptions({"euclidean", "manhattan"})],
    },
    prefer_skip_nested_validation=True,
)
def distance_to_closest_record(
    X_real, X_generated, *, X_holdout=None, quantile=0.5, metric="euclidean"
):
    """Distances of generated rows to their closest real (training) row.

    A generator that copies its training rows puts generated rows closer to
    them than fresh real data would be. The distances are compared with a
    baseline of what "fresh data" looks like: real rows the generator did
    not see (``X_holdout``) or, without them, each real row against the
    other real rows.

    Parameters
    ----------
    X_real : array-like or DataFrame of shape (n_real, n_features)
        The generator's training rows (at least 2).
    X_generated : array-like or DataFrame of shape (n_generated, n_features)
        Generated rows.
    X_holdout : array-like or DataFrame of shape (n_holdout, n_features), \
default=None
        Real rows from the same distribution that the generator was not
        trained on. Best of size ``n_generated``; see Notes. None uses the
        leave-one-out baseline.
    quantile : float in [0, 1], default=0.5
        Which quantile of the two distributions of distances the ratio
        compares: 0.5 compares medians; a small value (0.05) looks at the
        closest records, where copies show first.
    metric : {"euclidean", "manhattan"}, default="euclidean"
        The distance between encoded rows.

    Returns
    -------
    result : DCRResult
        Named tuple ``(distances, baseline, ratio, exact_match_rate)``.
        ``ratio`` near 1: generated rows are as far from the training rows
        as fresh data; well below 1: generated rows sit on top of training
        rows (memorisation). ``0 / 0`` gives NaN and ``x / 0`` infinity.

    See Also
    --------
    membership_inference_auc : An attack built on the same distances.

    Notes
    -----
    Distances to the nearest of ``n`` points shrink as ``n`` grows and do
    not depend on how many query rows there are, so the holdout baseline
    is unbiased against the generated distances: both query the same
    ``X_real``. The leave-one-out baseline queries ``n_real - 1`` points
    instead of ``n_real``, which makes it slightly larger (the ratio
    slightly smaller) for small ``n_real``.

    The distances are exact (the direct sum over features, not scikit-learn's
    fast ``|x|^2 - 2 x.y + |y|^2`` form, which leaves copies about ``1e-7``
    apart), so a copied row is at distance 0 exactly and counts in
    ``exact_match_rate`` whatever the number of features.

    DataFrames are encoded with a :class:`~skgen.tabular.TabularEncoder`
    fitted on ``X_real`` (numeric columns standardised, categories
    one-hot); arrays are used as given, so scale their columns first.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import distance_to_closest_record
    >>> rng = np.random.default_rng(0)
    >>> X_train, X_holdout = rng.normal(size=(2, 500, 3))
    >>> fresh = distance_to_closest_record(
    ...     X_train, rng.normal(size=(500, 3)), X_holdout=X_holdout)
    >>> bool(0.8 < fresh.ratio < 1.25)
    True
    >>> copies = X_train[:100] + rng.normal(0, 0.01, size=(100, 3))
    >>> leaky = distance_to_closest_record(X_train, copies, X_holdout=X_holdout)
    >>> bool(leaky.ratio < 0.1)
    True
    """
    arrays, names = [X_real, X_generated], ["X_real", "X_generated"]
    if X_holdout is not None:
        arrays.append(X_holdout)
        names.append("X_holdout")
    encoded = check_samples(
        *arrays, names=tuple(names), caller="distance_to_closest_record"
    )
    # squared distances of values above ~1e154 overflow: compute in units
    # where the values are below 1 (exactly, by a power of two)
    encoded, exponent = rescaled(*encoded)
    R, G = encoded[0], encoded[1]
    if X_holdout is None and R.shape[0] < 2:
        raise ValueError(
            "X_real must have at least 2 rows for the leave-one-out baseline; "
            f"got {R.shape[0]}. Pass X_holdout."
        )
    distances = kneighbors(R, G, metric=metric)[0][:, 0]
    holdout = None if X_holdout is None else encoded[2]
    baseline = kneighbors(R, holdout, metric=metric)[0][:, 0]
    num = np.quantile(distances, quantile)
    den = np.quantile(baseline, quantile)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(np.float64(num) / np.float64(den))
    what = "distance_to_closest_record: a distance"
    return DCRResult(
        unscaled(distances, exponent, 1, what),
        unscaled(baseline, exponent, 1, what),
        ratio,
        float(np.mean(distances == 0)),
    )


@validate_params(
    {
        "X_train": ["array-like"],
        "X_holdout": ["array-like"],
        "X_generated": ["array-like"],
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "metric": [StrOptions({"euclidean", "manhattan"})],
    },
    prefer_skip_nested_validation=True,
)
def membership_inference_auc(
    X_train, X_holdout, X_generated, *, n_neighbors=1, metric="euclidean"
):
    """ROC AUC of a distance-based membership attack on generated data.

    The attacker sees only the generated rows and a candidate row, and
    guesses that the candidate was in the generator's training set when
    generated rows lie close to it. Candidates are the training rows
    (members) and real rows the generator never saw (non-members); the AUC
    says how well that guess separates them.

    Parameters
    ----------
    X_train : array-like or DataFrame of shape (n_train, n_features)
        Rows the generator was trained on (members), or a sample of them.
    X_holdout : array-like or DataFrame of shape (n_holdout, n_features)
        Real rows from the same distribution that the generator did not see
        (non-members).
    X_generated : array-like or DataFrame of shape (n_generated, n_features)
        Generated rows (at least ``n_neighbors``).
    n_neighbors : int, default=1
        The attack score of a candidate is minus its mean distance to its
        ``n_neighbors`` nearest generated rows.
    metric : {"euclidean", "manhattan"}, default="euclidean"
        The distance between encoded rows.

    Returns
    -------
    auc : float
        ROC AUC of members against non-members: 0.5 means the generated
        data reveal nothing about membership through distances; 1 means
        every member is closer to the generated data than every
        non-member.

    See Also
    --------
    distance_to_closest_record : The distances themselves.

    Notes
    -----
    This is the black-box attack of Hilprecht et al. and Chen et al.
    (GAN-leaks) with the generated sample in place of unlimited queries: a
    model that overfits puts probability mass (and so generated rows) near
    its training rows. An AUC near 0.5 is necessary but not sufficient for
    privacy: stronger attacks exist (shadow models, likelihood-based
    attacks), and only differentially private training bounds all of them.
    Use about as many members as non-members so both are scored equally
    well; the AUC itself does not depend on their shares.

    DataFrames are encoded with a :class:`~skgen.tabular.TabularEncoder`
    fitted on the members and non-members together, so that neither group
    is favoured by the scaling.

    References
    ----------
    Hilprecht, Härterich & Bernau (2019), "Monte Carlo and reconstruction
    membership inference attacks against generative models", PoPETs.
    Chen et al. (2020), "GAN-Leaks: a taxonomy of membership inference
    attacks against generative models", CCS.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import membership_inference_auc
    >>> rng = np.random.default_rng(0)
    >>> X_train, X_holdout = rng.normal(size=(2, 300, 4))
    >>> fresh = rng.normal(size=(300, 4))
    >>> bool(abs(membership_inference_auc(X_train, X_holdout, fresh) - 0.5) < 0.1)
    True
    >>> copies = X_train + rng.normal(0, 0.01, size=(300, 4))
    >>> membership_inference_auc(X_train, X_holdout, copies)
    1.0
    """
    if isinstance(X_train, pd.DataFrame) and not isinstance(X_holdout, pd.DataFrame):
        raise TypeError(
            "X_holdout must be a DataFrame like X_train; got "
            f"{type(X_holdout).__name__}."
        )
    T, H, G = check_samples(
        X_train,
        X_holdout,
        X_generated,
        names=("X_train", "X_holdout", "X_generated"),
        caller="membership_inference_auc",
        fit_on=(0, 1),
    )
    # the AUC does not depend on the units: values below 1 keep squared
    # distances from overflowing
    (T, H, G), _ = rescaled(T, H, G)
    if G.shape[0] < n_neighbors:
        raise ValueError(
            f"n_neighbors={n_neighbors} must be <= the number of generated "
            f"rows ({G.shape[0]})."
        )
    dist = kneighbors(G, np.vstack([T, H]), n_neighbors, metric=metric)[0]
    dist = dist.mean(axis=1)
    labels = np.r_[np.ones(T.shape[0]), np.zeros(H.shape[0])]
    return float(roc_auc_score(labels, -dist))
