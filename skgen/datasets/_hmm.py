"""Sequences drawn from a random hidden Markov model with known parameters."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from skgen.datasets._synthetic import (
    _check_length,
    _check_request,
    _draw_transitions,
)
from skgen.utils._compat import Interval, StrOptions, validate_params
from skgen.utils._random import categorical_draws

__all__ = ["make_hmm_sequences"]

# Weight of the identity in each transition row and of the peak symbol in each
# categorical emission row; the rest is a flat Dirichlet draw.
_STICKINESS = 0.5
_PEAK = 0.5
# Gaussian variances are drawn in [_VAR_LOW, _VAR_HIGH]; the means lie on a
# grid of spacing _SPACING, so distinct means are >= 5 standard deviations apart.
_VAR_LOW, _VAR_HIGH = 0.25, 1.0
_SPACING = 5.0
# Poisson rates: evenly spaced in sqrt-scale (where the spread of a count is
# about 1/2 whatever the rate) from _RATE_LOW to _RATE_HIGH.
_RATE_LOW, _RATE_HIGH = 1.0, 20.0
# Grids with up to this many points are sampled without replacement directly.
_MAX_GRID_ENUMERATION = 10**6


def _cumulative(probabilities):
    """Cumulative rows with no rounding gap above the last column."""
    cumulative = np.cumsum(probabilities, axis=-1)
    cumulative[..., -1] = 1.0
    return cumulative


def _grid_means(n_components, n_features, rng):
    """Distinct points of a centred grid of spacing ``_SPACING``, in random order."""
    side = 1
    while side**n_features < n_components:
        side += 1
    n_points = side**n_features
    if n_points <= _MAX_GRID_ENUMERATION:
        flat = rng.choice(n_points, size=n_components, replace=False)
        coords = np.stack(np.unravel_index(flat, (side,) * n_features), axis=1)
    else:
        # Too many points to enumerate: draw coordinates, redraw duplicates.
        coords = rng.randint(side, size=(n_components, n_features))
        while True:
            _, first = np.unique(coords, axis=0, return_index=True)
            duplicate = np.setdiff1d(np.arange(n_components), first)
            if duplicate.size == 0:
                break
            coords[duplicate] = rng.randint(side, size=(duplicate.size, n_features))
    return (coords - (side - 1) / 2.0) * _SPACING


@validate_params(
    {
        "n_sequences": [Interval(Integral, 1, None, closed="left")],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "emission": [StrOptions({"gaussian", "categorical", "poisson"})],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "n_symbols": [Interval(Integral, 1, None, closed="left")],
        "length": [Interval(Integral, 0, None, closed="left"), tuple, list],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_hmm_sequences(
    n_sequences=100,
    *,
    n_components=3,
    emission="gaussian",
    n_features=2,
    n_symbols=5,
    length=(20, 50),
    random_state=None,
):
    """Generate sequences from a random hidden Markov model.

    The model is drawn first, with well separated states so that a fitted
    HMM (``skgen.hmm``) can be checked against the truth: sticky
    transitions, and emission distributions that barely overlap. Then the
    sequence lengths are drawn, then the hidden state paths, then the
    observations.

    Parameters
    ----------
    n_sequences : int, default=100
        Number of sequences.
    n_components : int, default=3
        Number of hidden states.
    emission : {"gaussian", "categorical", "poisson"}, default="gaussian"
        Distribution of an observation given its hidden state:

        - ``"gaussian"``: a normal distribution with diagonal covariance
          in ``n_features`` dimensions;
        - ``"categorical"``: one symbol out of ``0..n_symbols - 1``;
        - ``"poisson"``: ``n_features`` independent Poisson counts.
    n_features : int, default=2
        Dimension of an observation, for ``"gaussian"`` and ``"poisson"``.
        Ignored for ``"categorical"``.
    n_symbols : int, default=5
        Size of the alphabet, for ``"categorical"``. Ignored otherwise.
    length : int or tuple of (int, int), default=(20, 50)
        The length of every sequence, or ``(min, max)``: each length is drawn
        uniformly from ``min..max``, both included.
    random_state : int, RandomState instance or None, default=None
        Determines the model, lengths, states and observations. Pass an int
        for reproducible output. ``None`` draws from NumPy's global generator
        (as scikit-learn does) without ever seeding it.

    Returns
    -------
    X : list of ndarray
        The sequences (ragged, even when all lengths are equal): arrays of
        shape (length_i, n_features), dtype float64, for ``"gaussian"``;
        of shape (length_i,), dtype int64, for ``"categorical"``; of shape
        (length_i, n_features), dtype int64, for ``"poisson"``.
    params : dict
        The truth, in hmmlearn's conventions:

        - ``"startprob"``: ndarray of shape (n_components,).
        - ``"transmat"``: ndarray of shape (n_components, n_components);
          ``transmat[i, j]`` is the probability of moving from state ``i``
          to state ``j``. Rows sum to 1.
        - ``"means"`` and ``"covars"``: ndarrays of shape
          (n_components, n_features), the means and the variances (diagonal
          covariances), for ``"gaussian"``.
        - ``"emissionprob"``: ndarray of shape (n_components, n_symbols),
          rows summing to 1, for ``"categorical"``.
        - ``"lambdas"``: ndarray of shape (n_components, n_features), the
          Poisson rates, for ``"poisson"``.
        - ``"states"``: list of ndarray of shape (length_i,), dtype int64,
          the hidden state path of each sequence.
        - ``"lengths"``: ndarray of shape (n_sequences,), dtype int64.

    See Also
    --------
    make_markov_sequences : Sequences from a visible Markov chain.

    Notes
    -----
    The start probabilities are a flat Dirichlet draw. Each transition row is
    ``0.5 * e_i + 0.5 * d_i`` with ``e_i`` the indicator of staying in state
    ``i`` and ``d_i`` a flat Dirichlet draw, so every state stays put with
    probability at least 1/2.

    Gaussian states have variances drawn uniformly from [0.25, 1] and means
    at distinct points of a centred grid of spacing 5, so any two means are
    at least 5 standard deviations apart. Each categorical state puts
    probability at least 1/2 on its own peak symbol (distinct peaks while
    ``n_symbols >= n_components``), the rest from a flat Dirichlet draw.
    Poisson rates are evenly spaced in square-root scale from 1 to 20 and
    assigned to the states in a random order for each feature.

    Generation is vectorised across sequences: at each step every sequence
    draws its next state at once, by inverse-CDF sampling on the cumulative
    rows of the transition matrix; then all observations are drawn in one
    call given their states.

    Examples
    --------
    >>> from skgen.datasets import make_hmm_sequences
    >>> X, params = make_hmm_sequences(
    ...     4, n_components=2, n_features=3, length=(5, 8), random_state=0
    ... )
    >>> [x.shape[0] for x in X] == params["lengths"].tolist()
    True
    >>> X[0].shape[1], params["means"].shape, params["transmat"].shape
    (3, (2, 3), (2, 2))
    >>> X, params = make_hmm_sequences(
    ...     2, emission="categorical", n_symbols=6, length=4, random_state=0
    ... )
    >>> X[0].dtype, X[0].shape, params["emissionprob"].shape
    (dtype('int64'), (4,), (3, 6))
    """
    min_length, max_length = _check_length(length)
    _check_request(
        n_sequences, max_length, 8 * (3 + 3 * n_features), "make_hmm_sequences"
    )
    rng = check_random_state(random_state)
    n_states = n_components

    startprob = _draw_transitions(1, n_states, 1.0, rng)[0]
    transmat = _STICKINESS * np.eye(n_states) + (1.0 - _STICKINESS) * (
        _draw_transitions(n_states, n_states, 1.0, rng)
    )
    params = {"startprob": startprob, "transmat": transmat}
    if emission == "gaussian":
        params["means"] = _grid_means(n_states, n_features, rng)
        params["covars"] = rng.uniform(_VAR_LOW, _VAR_HIGH, (n_states, n_features))
    elif emission == "categorical":
        order = rng.permutation(n_symbols)
        peaks = order[np.arange(n_states) % n_symbols]
        emissionprob = (1.0 - _PEAK) * _draw_transitions(n_states, n_symbols, 1.0, rng)
        emissionprob[np.arange(n_states), peaks] += _PEAK
        params["emissionprob"] = emissionprob
    else:
        roots = np.linspace(np.sqrt(_RATE_LOW), np.sqrt(_RATE_HIGH), n_states)
        ranks = np.argsort(rng.random_sample((n_features, n_states)), axis=1)
        params["lambdas"] = (roots[ranks] ** 2).T.copy()

    lengths = rng.randint(min_length, max_length + 1, size=n_sequences).astype(np.int64)

    start_cumulative = _cumulative(startprob)
    trans_cumulative = _cumulative(transmat)
    paths = np.empty((n_sequences, int(lengths.max())), dtype=np.int64)
    if paths.shape[1]:  # all sequences may be empty
        paths[:, 0] = categorical_draws(start_cumulative, rng, size=n_sequences)
    for t in range(1, paths.shape[1]):
        paths[:, t] = categorical_draws(trans_cumulative[paths[:, t - 1]], rng)
    states = [paths[i, :n].copy() for i, n in enumerate(lengths.tolist())]

    # All observations at once, given the concatenated states.
    flat = np.concatenate(states)
    if emission == "gaussian":
        noise = rng.standard_normal((flat.shape[0], n_features))
        frames = params["means"][flat] + np.sqrt(params["covars"][flat]) * noise
    elif emission == "categorical":
        frames = categorical_draws(_cumulative(params["emissionprob"])[flat], rng)
    else:
        frames = rng.poisson(params["lambdas"][flat]).astype(np.int64)
    X = np.split(frames, np.cumsum(lengths)[:-1])

    params["states"] = states
    params["lengths"] = lengths
    return X, params
