"""Randomness helpers shared by every family: seeds and categorical draws.

DESIGN.md §1, "Randomness": never seed globally; derive local generators.
These helpers turn one local ``RandomState`` into the seeds of the engines
it drives (hmmlearn restarts, torch generators, generator clones) and into
categorical draws by inverse CDF, the same way everywhere.
"""

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["SEED_BOUND", "categorical_draws", "draw_lengths", "draw_seed"]

#: Seeds are drawn from ``[0, SEED_BOUND)``: valid for numpy, torch and
#: every engine that takes a 32-bit signed seed.
SEED_BOUND = int(np.iinfo(np.int32).max)


def draw_seed(random_state, size=None):
    """Draw an int seed (or ``size`` seeds) from a random state.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        Passed through :func:`sklearn.utils.check_random_state`: a
        ``RandomState`` advances by one draw (``size`` draws), an int gives
        the same seed every time, None a fresh one.
    size : int or None, default=None
        None returns one Python int; an int returns an int64 array of that
        many seeds (the draws of ``randint(SEED_BOUND, size=size)``).

    Returns
    -------
    seed : int or ndarray of shape (size,)
        In ``[0, 2**31 - 1)``.
    """
    rng = check_random_state(random_state)
    if size is None:
        return int(rng.randint(SEED_BOUND))
    return rng.randint(SEED_BOUND, size=size).astype(np.int64)


def categorical_draws(cum_probs, rng, size=None):
    """Inverse-CDF draws of categories from cumulative probabilities.

    Each draw is the first category whose cumulative probability exceeds a
    uniform ``u`` scaled by the total mass, so unnormalised (or rounded)
    cumulative sums work and a category of zero mass is never drawn. The
    index is capped at the last category against rounding at the top.

    Parameters
    ----------
    cum_probs : ndarray of shape (n_categories,) or (..., n_categories)
        Cumulative (non-decreasing) probabilities along the last axis. A 1-D
        array is one distribution drawn ``size`` times; more dimensions give
        one draw per distribution (row).
    rng : numpy.random.RandomState
        The generator; consumes one ``random_sample`` per draw.
    size : int or None, default=None
        Number of draws from a 1-D ``cum_probs`` (one when None); not
        allowed with more dimensions.

    Returns
    -------
    index : ndarray of int64 of shape (size,) or cum_probs.shape[:-1]
        Category indices in ``[0, n_categories)``.
    """
    cum = np.asarray(cum_probs, dtype=np.float64)
    if cum.ndim == 0 or cum.shape[-1] == 0:
        raise ValueError(
            "cum_probs must have at least one category along its last axis; "
            f"got shape {cum.shape}."
        )
    if cum.ndim == 1:
        n = 1 if size is None else int(size)
        u = rng.random_sample(n) * cum[-1]
        index = np.searchsorted(cum, u, side="right")
    else:
        if size is not None:
            raise ValueError(
                "size is only for a 1-D cum_probs (one distribution); got "
                f"size={size!r} with cum_probs of shape {cum.shape}."
            )
        u = rng.random_sample(cum.shape[:-1]) * cum[..., -1]
        index = (cum <= u[..., None]).sum(axis=-1)
    return np.minimum(index, cum.shape[-1] - 1).astype(np.int64)


def draw_lengths(n_samples, length, training_lengths, rng):
    """The lengths of sampled sequences, for models with no length distribution.

    The HMMs and the continuous language models model a sequence given its
    length; ``sample(n, length=...)`` takes it as an int or one int per
    sequence, and ``None`` draws lengths from those of the training
    sequences.

    Parameters
    ----------
    n_samples : int
    length : int, array-like of shape (n_samples,) of int, or None
    training_lengths : ndarray of int
        The fitted model's training lengths.
    rng : numpy.random.RandomState

    Returns
    -------
    lengths : ndarray of shape (n_samples,), dtype=int64
    """
    if length is None:
        return rng.choice(training_lengths, size=n_samples).astype(np.int64)
    lengths = np.asarray(length)
    if lengths.ndim == 0:
        lengths = np.full(n_samples, lengths.item())
    if lengths.shape != (n_samples,) or lengths.dtype.kind not in "iu":
        raise ValueError(f"length must be an int or {n_samples} ints; got {length!r}.")
    if lengths.min() < 1:
        raise ValueError(f"length must be >= 1; got {lengths.min()}.")
    return lengths.astype(np.int64)
