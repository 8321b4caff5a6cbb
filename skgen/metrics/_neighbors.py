"""Exact nearest-neighbour distances, shared by the fidelity and privacy metrics.

scikit-learn's brute-force ``NearestNeighbors`` computes Euclidean distances
as ``sqrt(|x|^2 - 2 x.y + |y|^2)``, which is fast but not exact: identical
rows come out about ``1e-7`` apart, and two pairs at the same true distance
can come out on either side of each other. The metrics here compare
distances with each other (``d <= radius``, ``d == 0``), so every distance
they use comes from one formula, the direct sum over features,
``sqrt(sum_j (x_j - y_j)^2)`` (``sum_j |x_j - y_j|`` for Manhattan), which
is what :func:`scipy.spatial.distance.cdist` and scikit-learn's trees
compute, bit for bit: the same pair always gives the same float, a row and
its copy are exactly 0 apart, and ties stay ties. The fast form still does
the bulk of brute-force work, as a screen: with a bound on its rounding
error, it settles every pair except those too close to the threshold to
tell, whose exact distances are then computed.
"""

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors

#: Entries of one block of pairwise distances (32 MB of float64).
_BLOCK_ENTRIES = 1 << 22

_CDIST_METRIC = {"euclidean": "euclidean", "manhattan": "cityblock"}


def paired_distances(A, ia, B, ib, metric="euclidean"):
    """Exact distances between rows ``A[ia]`` and ``B[ib]`` (index arrays
    that broadcast together).

    The sum over features runs in column order, as in ``cdist`` and the
    scikit-learn trees, so the result equals theirs bit for bit.
    """
    ia, ib = np.broadcast_arrays(ia, ib)
    total = np.zeros(ia.shape)
    for j in range(A.shape[1]):
        diff = A[ia, j] - B[ib, j]
        total += diff * diff if metric == "euclidean" else np.abs(diff)
    return np.sqrt(total) if metric == "euclidean" else total


def screened_blocks(A, B, metric="euclidean"):
    """Yield ``(start, D, tol)``: distances from rows ``A[start:]`` to ``B``.

    ``D[i, j]`` is within ``tol[i]`` of the exact distance, so that only
    pairs with ``|D - threshold| <= tol`` need the exact one to decide a
    comparison. Euclidean blocks use the fast matrix-product form (with
    ``tol`` a bound on its rounding error, about ``1e-6`` relative to the
    norms); Manhattan blocks are exact (``tol = 0``). Each block has at most
    about ``2**22`` entries.
    """
    chunk = max(1, _BLOCK_ENTRIES // max(B.shape[0], 1))
    if metric != "euclidean":
        for start in range(0, A.shape[0], chunk):
            D = cdist(A[start : start + chunk], B, _CDIST_METRIC[metric])
            yield start, D, np.zeros(D.shape[0])
        return
    sq_a = np.einsum("ij,ij->i", A, A)
    sq_b = np.einsum("ij,ij->i", B, B)
    # |fl(|a|^2 - 2 a.b + |b|^2) - |a - b|^2| <= (d + 2) eps (|a| + |b|)^2,
    # and |sqrt(x) - sqrt(y)| <= sqrt(|x - y|): a bound with a margin of 16
    bound = 32 * (A.shape[1] + 2) * np.finfo(np.float64).eps
    for start in range(0, A.shape[0], chunk):
        stop = min(start + chunk, A.shape[0])
        D = A[start:stop] @ B.T
        D *= -2.0
        D += sq_a[start:stop, None]
        D += sq_b
        np.maximum(D, 0.0, out=D)
        np.sqrt(D, out=D)
        yield start, D, np.sqrt(bound * (sq_a[start:stop] + sq_b.max()))


def exact_inside(D, tol, radii, A, start, B):
    """``d(A[start + i], B[j]) <= radii[i, j]`` for a block of
    :func:`screened_blocks` (``radii`` broadcasts to ``D``), with exact
    distances for the pairs too close to the radius to tell."""
    tol = tol[:, None]
    gap = D - radii
    inside = gap < -tol
    np.abs(gap, out=gap)
    unsure = gap <= tol
    if unsure.any():
        rows, cols = np.nonzero(unsure)
        exact = paired_distances(A, start + rows, B, cols)
        inside[rows, cols] = exact <= np.broadcast_to(radii, D.shape)[rows, cols]
    return inside


def kneighbors(
    points, queries=None, n_neighbors=1, *, metric="euclidean", algorithm="auto"
):
    """Exact distances to and indices of each query's nearest points.

    Parameters
    ----------
    points : ndarray of shape (n_points, n_features)
    queries : ndarray of shape (n_queries, n_features) or None
        None queries every row of ``points`` against the other rows (a row
        is never its own neighbour; its copies are, at distance 0).
    n_neighbors : int
    metric : {"euclidean", "manhattan"}
    algorithm : {"auto", "kd_tree", "brute"}
        ``"brute"`` screens all pairs by blocks (:func:`screened_blocks`)
        and computes exactly the distances of every pair that could be
        among the nearest: exact neighbours and distances. ``"auto"`` and
        ``"kd_tree"`` let scikit-learn's ``NearestNeighbors`` (with that
        algorithm) pick the neighbours, then recompute their distances
        exactly and re-sort them: the values are exact, and a neighbour is
        missed only when another point lies within rounding (about ``1e-7``
        times the norms) of the same distance.

    Returns
    -------
    distances : ndarray of shape (n_queries, n_neighbors)
        Sorted in increasing order along each row.
    indices : ndarray of shape (n_queries, n_neighbors)
    """
    self_query = queries is None
    Q = points if self_query else queries
    if algorithm != "brute":
        nn = NearestNeighbors(
            n_neighbors=n_neighbors, algorithm=algorithm, metric=metric
        ).fit(points)
        idx = nn.kneighbors(None if self_query else Q, return_distance=False)
        dist = paired_distances(Q, np.arange(Q.shape[0])[:, None], points, idx, metric)
        order = np.argsort(dist, axis=1, kind="stable")
        return np.take_along_axis(dist, order, axis=1), np.take_along_axis(
            idx, order, axis=1
        )
    dist = np.empty((Q.shape[0], n_neighbors))
    idx = np.empty((Q.shape[0], n_neighbors), dtype=np.intp)
    first_k = np.arange(n_neighbors)
    for start, D, tol in screened_blocks(Q, points, metric):
        n = D.shape[0]
        if self_query:
            D[np.arange(n), start + np.arange(n)] = np.inf
        kth = np.partition(D, n_neighbors - 1, axis=1)[:, n_neighbors - 1]
        # every pair that can be among the exact n_neighbors nearest
        rows, cols = np.nonzero(D <= (kth + 2 * tol)[:, None])
        exact = paired_distances(Q, start + rows, points, cols, metric)
        order = np.lexsort((cols, exact, rows))  # by row, then distance
        offsets = np.r_[0, np.cumsum(np.bincount(rows, minlength=n))[:-1]]
        pick = order[offsets[:, None] + first_k]
        dist[start : start + n] = exact[pick]
        idx[start : start + n] = cols[pick]
    return dist, idx
