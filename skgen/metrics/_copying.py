"""Copying: the share of generated sequences that recite training text."""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from skgen.utils._compat import Interval, validate_params
from skgen.utils._resources import check_allocation
from skgen.utils._validation import check_token_sequences, reject_iterator

#: Odd 64-bit base of the polynomial hash (invertible modulo 2**64).
_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 2**64)

#: Window start positions hashed at a time (bounds the temporaries).
_HASH_CHUNK = 2**18

#: Tokens compared at a time when hash hits are checked.
_VERIFY_CHUNK = 2**22

#: Bytes per token of the arrays a call holds at once: the tokens, the
#: window hashes, their sort order and the sorted hashes, with slack.
_BYTES_PER_TOKEN = 48


def _window_hashes(tokens, length):
    """Polynomial hash modulo 2**64 of every window of ``length`` tokens.

    Parameters
    ----------
    tokens : ndarray of shape (n_tokens,)
        Non-negative token ids (or code points).
    length : int
        The window length, >= 1.

    Returns
    -------
    hashes : ndarray of shape (max(n_tokens - length + 1, 0),), dtype=uint64
        ``hashes[p] = sum_j tokens[p + j] * B**j`` (wrapping), the window
        starting at ``p``. Equal windows have equal hashes; unequal windows
        may collide, so callers compare the tokens of every hit.
    """
    n_windows = tokens.shape[0] - length + 1
    if n_windows <= 0:
        return np.zeros(0, dtype=np.uint64)
    chunk = min(_HASH_CHUNK, n_windows)
    powers = np.full(chunk + length - 1, _BASE, dtype=np.uint64)
    powers[0] = 1
    inverse_powers = np.full(chunk, _BASE_INV, dtype=np.uint64)
    inverse_powers[0] = 1
    # uint64 products and sums wrap modulo 2**64, which is the hash's ring
    np.cumprod(powers, out=powers)
    np.cumprod(inverse_powers, out=inverse_powers)
    hashes = np.empty(n_windows, dtype=np.uint64)
    for start in range(0, n_windows, chunk):
        stop = min(start + chunk, n_windows)
        segment = tokens[start : stop + length - 1].astype(np.uint64)
        prefix = np.zeros(segment.shape[0] + 1, dtype=np.uint64)
        np.cumsum(segment * powers[: segment.shape[0]], out=prefix[1:])
        # window sum times B**-offset: the window's hash wherever it starts
        n = stop - start
        hashes[start:stop] = (prefix[length : length + n] - prefix[:n]) * (
            inverse_powers[:n]
        )
    return hashes


def _window_starts(lengths, length):
    """Start positions (in the concatenated tokens) of the windows of each
    sequence that do not cross its end, and the sequence of each."""
    ends = np.cumsum(lengths)
    n_tokens = int(ends[-1]) if ends.size else 0
    seq = np.repeat(np.arange(lengths.shape[0]), lengths)
    positions = np.arange(n_tokens)
    valid = positions + length <= ends[seq]
    return np.flatnonzero(valid), seq[valid]


def _windows_equal(a, a_starts, b, b_starts, length):
    """Whether ``a[a_starts[i]:][:length]`` equals ``b[b_starts[i]:][:length]``."""
    a_windows = sliding_window_view(a, length)
    b_windows = sliding_window_view(b, length)
    equal = np.empty(a_starts.shape[0], dtype=bool)
    step = max(1, _VERIFY_CHUNK // length)
    for i in range(0, a_starts.shape[0], step):
        j = slice(i, i + step)
        equal[j] = (a_windows[a_starts[j]] == b_windows[b_starts[j]]).all(axis=1)
    return equal


def _is_text(X, name):
    """True for a list of str, False for token sequences; mixed: TypeError."""
    reject_iterator(X, name)
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be a list of strings or of integer sequences; got a "
            f"single {type(X).__name__}. Wrap it in a list."
        )
    if isinstance(X, np.ndarray) and X.dtype != object:
        if X.ndim >= 1 and X.shape[0] == 0:
            raise ValueError(f"{name} holds no sequences; at least one is required.")
        return X.dtype.kind == "U" and X.ndim == 1
    try:
        items = list(X)
    except TypeError:
        raise TypeError(
            f"{name} must be a list of strings or of integer sequences; got "
            f"{type(X).__name__}."
        ) from None
    if not items:
        raise ValueError(f"{name} holds no sequences; at least one is required.")
    n_str = sum(isinstance(s, str) for s in items)
    if n_str and n_str != len(items):
        raise TypeError(
            f"{name} mixes strings and other sequences ({n_str} of {len(items)} "
            "are str); pass all strings or all integer sequences."
        )
    return n_str > 0


def _as_codes(X, name, text):
    """Flattened tokens (code points for text) and the length of each."""
    if not text:
        return check_token_sequences(X, name=name)
    X = [str(s) for s in X]  # numpy str_ too
    lengths = np.fromiter(map(len, X), np.int64, len(X))
    joined = "".join(X).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(joined, dtype="<u4"), lengths


@validate_params(
    {
        "samples": "no_validation",  # checked by _is_text and _as_codes
        "X_train": "no_validation",
        "min_length": [Interval(Integral, 1, None, closed="left")],
        "return_matches": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def copy_rate(samples, X_train, *, min_length=50, return_matches=False):
    """Share of generated sequences that copy a run of training text.

    A sample copies when some ``min_length`` consecutive tokens of it
    (characters, for strings) also occur consecutively in one training
    sequence. A language model can win on perplexity by reciting its
    training text; this metric catches it, and a recited passage is also a
    privacy leak.

    Parameters
    ----------
    samples : list of str, list of 1-D array-like of int, or ndarray of \
shape (n_samples, length)
        Generated sequences: strings (compared by Unicode code point) or
        token sequences of non-negative integer ids, ragged in a list or
        of equal length in a 2-D integer array. At least one.
    X_train : list of str, list of 1-D array-like of int, or ndarray of \
shape (n_train, length)
        The training sequences, of the same kind as ``samples`` (both
        strings or both token sequences).
    min_length : int, default=50
        The length (>= 1) of the shortest shared run that counts as a copy.
        Samples and training sequences shorter than this copy nothing.
    return_matches : bool, default=False
        Whether to return which samples copy, as well as the rate.

    Returns
    -------
    rate : float
        Share of the samples, in [0, 1], that copy.
    matched : ndarray of shape (n_samples,), dtype=bool
        Whether each sample copies. Only with ``return_matches=True``.

    See Also
    --------
    distance_to_closest_record : Copying of tabular rows.

    Notes
    -----
    Runs never cross the boundary between two sequences, of the training
    set or of the samples: text made of the end of one training sequence
    and the start of the next is not a copy.

    Every window of ``min_length`` tokens of the training set gets a
    polynomial hash modulo ``2**64``; the windows of the samples are looked
    up among the sorted hashes, and every hit is checked token by token
    against the training window, so the result is exact: a hash collision
    can cost time, never a false copy or a missed one. Time and memory grow
    linearly with the number of tokens (about 50 bytes per training token).

    Examples
    --------
    >>> from skgen.metrics import copy_rate
    >>> train = ["the quick brown fox jumps over the lazy dog"]
    >>> samples = ["a quick brown fox ran", "the lazy cat", "dog days"]
    >>> copy_rate(samples, train, min_length=10)
    0.3333333333333333
    >>> rate, matched = copy_rate(samples, train, min_length=5,
    ...                           return_matches=True)
    >>> matched
    array([ True,  True, False])
    """
    text = _is_text(samples, "samples")
    if _is_text(X_train, "X_train") != text:
        kinds = ("strings", "token sequences")
        raise TypeError(
            "samples and X_train must be of the same kind (both strings or "
            f"both token sequences); got {kinds[not text]} for samples and "
            f"{kinds[text]} for X_train."
        )
    sample_tokens, sample_lengths = _as_codes(samples, "samples", text)
    train_tokens, train_lengths = _as_codes(X_train, "X_train", text)
    n_tokens = train_tokens.shape[0] + sample_tokens.shape[0]
    check_allocation(
        _BYTES_PER_TOKEN * n_tokens,
        f"copy_rate of {sample_tokens.shape[0]} sample tokens against "
        f"{train_tokens.shape[0]} training tokens",
    )
    matched = _copying_samples(
        sample_tokens, sample_lengths, train_tokens, train_lengths, min_length
    )
    rate = float(matched.mean())
    return (rate, matched) if return_matches else rate


def _copying_samples(sample_tokens, sample_lengths, train_tokens, train_lengths, L):
    """Bool mask of the samples sharing a window of ``L`` tokens with training."""
    matched = np.zeros(sample_lengths.shape[0], dtype=bool)
    train_starts, _ = _window_starts(train_lengths, L)
    sample_starts, sample_of = _window_starts(sample_lengths, L)
    if train_starts.size == 0 or sample_starts.size == 0:
        return matched
    train_hashes = _window_hashes(train_tokens, L)[train_starts]
    order = np.argsort(train_hashes)
    sorted_hashes = train_hashes[order]
    train_starts = train_starts[order]
    del train_hashes, order
    hashes = _window_hashes(sample_tokens, L)[sample_starts]
    # sorted needles let each binary search start where the last one ended
    # (about three times faster than looking them up in sample order)
    needles = np.argsort(hashes)
    at = np.empty(hashes.shape[0], dtype=np.intp)
    at[needles] = np.searchsorted(sorted_hashes, hashes[needles])
    del needles
    hit = at < sorted_hashes.shape[0]
    hit[hit] = sorted_hashes[at[hit]] == hashes[hit]
    # candidates: (sample window, position in the sorted training windows),
    # in sample order; each round checks the first few of every sample not
    # yet matched; a collision moves on to the next training window with
    # the same hash, until none is left
    starts, sample_of, at, hashes = (
        sample_starts[hit],
        sample_of[hit],
        at[hit],
        hashes[hit],
    )
    budget = max(1, _VERIFY_CHUNK // L)
    per_sample = 1
    while starts.size:
        first = np.flatnonzero(np.r_[True, sample_of[1:] != sample_of[:-1]])
        sizes = np.diff(np.r_[first, starts.size])
        rank = np.arange(starts.size) - np.repeat(first, sizes)
        test = rank < min(per_sample, max(1, budget // first.size))
        equal = _windows_equal(
            sample_tokens, starts[test], train_tokens, train_starts[at[test]], L
        )
        matched[sample_of[test][equal]] = True
        # a failed check tries the next training window with the same hash
        failed = np.flatnonzero(test)[~equal]
        at[failed] += 1
        keep = ~matched[sample_of]
        ok = at[failed] < sorted_hashes.shape[0]
        ok[ok] = sorted_hashes[at[failed][ok]] == hashes[failed][ok]
        keep[failed[~ok]] = False
        starts, sample_of, at, hashes = (
            starts[keep],
            sample_of[keep],
            at[keep],
            hashes[keep],
        )
        per_sample *= 2
    return matched
