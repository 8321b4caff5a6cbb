"""Synthetic data sets drawn from models with known parameters."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from skgen.utils._compat import Interval, validate_params
from skgen.utils._random import categorical_draws
from skgen.utils._resources import check_allocation

__all__ = ["make_markov_sequences"]

# Largest transition tensor (in entries) make_markov_sequences will build.
_MAX_TRANSITION_ENTRIES = 10**8


def _check_request(n_sequences, max_length, bytes_per_step, name):
    """Refuse a data set too large for memory before drawing any of it."""
    check_allocation(
        n_sequences * max(max_length, 1) * bytes_per_step,
        f"{name}(n_sequences={n_sequences}) of up to {max_length} steps each",
    )


def _check_length(length):
    """Return ``(min_length, max_length)`` from the ``length`` argument."""
    if isinstance(length, Integral):
        return int(length), int(length)
    bounds = tuple(length)
    if len(bounds) != 2 or not all(
        isinstance(b, Integral) and not isinstance(b, bool) for b in bounds
    ):
        raise ValueError(
            f"length must be an int or a (min, max) pair of ints; got {length!r}."
        )
    low, high = int(bounds[0]), int(bounds[1])
    if low < 0 or high < low:
        raise ValueError(
            f"length as (min, max) must have 0 <= min <= max; got {length!r}."
        )
    return low, high


def _draw_transitions(n_contexts, n_symbols, concentration, rng):
    """Rows from a symmetric Dirichlet(concentration), by normalised gammas.

    A row whose gammas all underflow to 0 (tiny concentration) becomes a
    one-hot row at a uniformly drawn symbol, the limit of the Dirichlet as
    the concentration goes to 0.
    """
    gammas = rng.standard_gamma(concentration, size=(n_contexts, n_symbols))
    totals = gammas.sum(axis=1, keepdims=True)
    dead = totals[:, 0] == 0
    if np.any(dead):
        gammas[dead, rng.randint(n_symbols, size=int(dead.sum()))] = 1.0
        totals[dead] = 1.0
    return gammas / totals


@validate_params(
    {
        "n_sequences": [Interval(Integral, 1, None, closed="left")],
        "order": [Interval(Integral, 0, None, closed="left")],
        "n_symbols": [Interval(Integral, 1, None, closed="left")],
        "length": [Interval(Integral, 0, None, closed="left"), tuple, list],
        "concentration": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_markov_sequences(
    n_sequences=100,
    *,
    order=1,
    n_symbols=5,
    length=(10, 50),
    concentration=0.5,
    random_state=None,
):
    """Generate symbol sequences from a random order-k Markov chain.

    The chain's transition probabilities are drawn first, then the sequence
    lengths, then the sequences, so the returned ``params`` are the truth a
    fitted model (``skgen.markov.MarkovChain``, an HMM) can be checked
    against.

    Parameters
    ----------
    n_sequences : int, default=100
        Number of sequences.
    order : int, default=1
        Number of previous symbols the next one depends on. ``order=0``
        draws independent symbols from one distribution.
    n_symbols : int, default=5
        Size of the alphabet: symbols are ``0..n_symbols - 1``.
    length : int or tuple of (int, int), default=(10, 50)
        The length of every sequence, or ``(min, max)``: each length is drawn
        uniformly from ``min..max``, both included.
    concentration : float, default=0.5
        Parameter of the symmetric Dirichlet each row of transition
        probabilities is drawn from: below 1 gives peaked rows (predictable
        sequences), above 1 near-uniform rows.
    random_state : int, RandomState instance or None, default=None
        Determines the transitions, lengths and sequences. Pass an int for
        reproducible output. ``None`` draws from NumPy's global generator
        (as scikit-learn does) without ever seeding it.

    Returns
    -------
    X : list of ndarray of shape (length_i,), dtype=int64
        The sequences (ragged, even when all lengths are equal).
    params : dict
        The truth:

        - ``"transitions"``: ndarray of shape
          ``(n_symbols + 1,) * order + (n_symbols,)``;
          ``transitions[c_1, ..., c_k, s]`` is the probability of symbol
          ``s`` after the context ``c_1, ..., c_k`` (oldest first), where
          the value ``n_symbols`` stands for the start padding. Rows sum
          to 1.
        - ``"order"``: ``order``.
        - ``"n_symbols"``: ``n_symbols``.
        - ``"lengths"``: ndarray of shape (n_sequences,), dtype=int64.

    See Also
    --------
    skgen.markov.MarkovChain : Fit an order-k chain to sequences.

    Notes
    -----
    Every sequence starts from the context of ``order`` start symbols
    (``n_symbols`` each), so its first symbol is drawn from
    ``transitions[n_symbols, ..., n_symbols]``. Contexts in which the start
    padding follows a real symbol never occur; their rows are drawn anyway so
    that the tensor is complete. The lengths are drawn independently of the
    symbols (there is no end symbol).

    Generation is vectorised across sequences: at each step every sequence
    draws its next symbol at once, by inverse-CDF sampling on the cumulative
    rows of its current context.

    Examples
    --------
    >>> from skgen.datasets import make_markov_sequences
    >>> X, params = make_markov_sequences(
    ...     3, order=2, n_symbols=4, length=(5, 8), random_state=0
    ... )
    >>> [len(x) for x in X] == params["lengths"].tolist()
    True
    >>> params["transitions"].shape
    (5, 5, 4)
    """
    min_length, max_length = _check_length(length)
    _check_request(n_sequences, max_length, 24, "make_markov_sequences")
    n_contexts = (n_symbols + 1) ** order
    if n_contexts * n_symbols > _MAX_TRANSITION_ENTRIES:
        raise ValueError(
            f"order={order} with n_symbols={n_symbols} needs a transition "
            f"tensor of {n_contexts * n_symbols} entries; at most "
            f"{_MAX_TRANSITION_ENTRIES} are supported. Lower order or n_symbols."
        )
    rng = check_random_state(random_state)

    flat = _draw_transitions(n_contexts, n_symbols, concentration, rng)
    lengths = rng.randint(min_length, max_length + 1, size=n_sequences).astype(np.int64)

    cumulative = np.cumsum(flat, axis=1)
    cumulative[:, -1] = 1.0  # no rounding gap above the last symbol
    # A context is a base-(n_symbols + 1) number, oldest symbol first; the
    # start context is all padding (every digit n_symbols).
    context = np.full(n_sequences, n_contexts - 1, dtype=np.int64)
    out = np.empty((n_sequences, int(lengths.max())), dtype=np.int64)
    for t in range(out.shape[1]):
        symbol = categorical_draws(cumulative[context], rng)
        out[:, t] = symbol
        context = (context * (n_symbols + 1) + symbol) % n_contexts

    X = [out[i, :n].copy() for i, n in enumerate(lengths.tolist())]
    params = {
        "transitions": flat.reshape((n_symbols + 1,) * order + (n_symbols,)),
        "order": order,
        "n_symbols": n_symbols,
        "lengths": lengths,
    }
    return X, params
