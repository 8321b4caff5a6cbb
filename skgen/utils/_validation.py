"""Validation of skgen's sequence representations.

Ragged sequences must not go through sklearn's ``validate_data`` (it would
read the number of tokens of the first sequence as ``n_features``), so skgen
validates them here with errors of the same quality.
"""

from collections.abc import Iterator
from numbers import Integral

import numpy as np

__all__ = ["check_token_sequences"]

#: The largest token id (int64's maximum).
MAX_TOKEN_ID = int(np.iinfo(np.int64).max)

#: The largest count of count sequences: larger ones are not exact in float64.
MAX_COUNT = 2**53


def reject_iterator(X, name="X"):
    """Raise for one-shot iterators: skgen reads its input more than once."""
    if isinstance(X, Iterator):
        raise TypeError(
            f"{name} is a one-shot iterator ({type(X).__name__}), which would be "
            f"used up by the first pass over it; pass a list, e.g. list({name})."
        )


def _describe(obj):
    return f"{type(obj).__name__}"


def _as_token_array(seq, name, i):
    if isinstance(seq, str | bytes):
        raise TypeError(
            f"{name}[{i}] is a string; token sequences must be arrays of "
            "integer ids. Put a tokenizer first (skgen.text.CharTokenizer or "
            "WordTokenizer, in a GenerativePipeline) to model text."
        )
    try:
        arr = np.asarray(seq)
    except ValueError as exc:  # inhomogeneous nested lists
        raise ValueError(
            f"{name}[{i}] must be a 1-D sequence of integer token ids; "
            f"it could not be read as an array ({exc})."
        ) from None
    if arr.ndim != 1:
        raise ValueError(
            f"{name}[{i}] must be a 1-D sequence of integer token ids; got an "
            f"array with {arr.ndim} dimensions and shape {arr.shape}."
        )
    return arr


def _check_token_dtype(arr, name):
    if arr.dtype.kind == "u" and arr.size and int(arr.max()) > MAX_TOKEN_ID:
        raise ValueError(
            f"{name} must contain integer token ids <= 2**63 - 1; got {arr.max()}."
        )
    if arr.dtype.kind in "iu":
        return
    if arr.dtype == object and arr.size:
        values = arr.ravel().tolist()
        if all(isinstance(v, Integral) and not isinstance(v, bool) for v in values):
            # Python ints beyond int64 (numpy keeps them as objects)
            raise ValueError(
                f"{name} must contain integer token ids in [0, 2**63 - 1]; got "
                f"{max(values, key=abs)}."
            )
    if arr.size == 0 and arr.dtype.kind == "f":
        return  # ``[]`` reads as an empty float array
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise ValueError(
            f"{name} contains NaN; token sequences must hold integer ids >= 0."
        )
    if arr.dtype.kind == "b":
        got = "booleans"
    elif arr.dtype.kind == "f":
        got = f"floats ({arr.dtype})"
    elif arr.dtype.kind in "OUS":
        got = f"non-numeric values ({arr.dtype})"
    else:
        got = str(arr.dtype)
    raise TypeError(f"{name} must contain integer token ids >= 0; got {got}.")


def check_token_sequences(X, *, name="X"):
    """Validate discrete token sequences and return them flattened.

    Parameters
    ----------
    X : list of 1-D array-like of int, or ndarray of shape (n_sequences, length)
        Sequences of non-negative integer token ids. A list may be ragged; a
        2-D integer array holds sequences of equal length. Empty sequences
        are allowed (a model may give the probability of ending at once).
    name : str, default="X"
        The name used in error messages.

    Returns
    -------
    tokens : ndarray of shape (n_tokens,), dtype=int64
        All sequences concatenated.
    lengths : ndarray of shape (n_sequences,), dtype=int64
        The length of each sequence.

    Raises
    ------
    TypeError
        For a string, a non-sequence, or tokens that are not integers.
    ValueError
        For no sequences, NaN, negative ids, or arrays that are not 1-D
        sequences (a 3-D array, say).
    """
    reject_iterator(X, name)
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be a list of integer sequences; got a single "
            f"{_describe(X)}. Put a tokenizer first (skgen.text) to model text."
        )
    if hasattr(X, "iloc") or isinstance(X, dict):
        raise TypeError(
            f"{name} must be a list of integer sequences or a 2-D integer "
            f"array; got {_describe(X)}."
        )
    if isinstance(X, np.ndarray):
        if X.dtype.kind in "US":
            raise TypeError(
                f"{name} holds strings ({X.dtype}); token sequences must be "
                "integer ids. Put a tokenizer first (skgen.text) to model text."
            )
        if X.ndim != 2 and X.dtype != object:
            raise ValueError(
                f"{name} as an array must be 2-D (n_sequences, length) with "
                f"integer ids; got {X.ndim} dimensions and shape {X.shape}."
            )
        if X.dtype != object:
            if X.shape[0] == 0:
                raise ValueError(
                    f"{name} holds no sequences; at least one is required."
                )
            _check_token_dtype(X, name)
            tokens = X.astype(np.int64, copy=False).ravel()
            lengths = np.full(X.shape[0], X.shape[1], dtype=np.int64)
            _check_non_negative(tokens, name)
            return tokens, lengths
    try:
        seqs = list(X)
    except TypeError:
        raise TypeError(
            f"{name} must be a list of integer sequences; got {_describe(X)}."
        ) from None
    if len(seqs) == 0:
        raise ValueError(f"{name} holds no sequences; at least one is required.")
    arrays = [_as_token_array(s, name, i) for i, s in enumerate(seqs)]
    lengths = np.fromiter((a.shape[0] for a in arrays), np.int64, len(arrays))
    for i, a in enumerate(arrays):
        _check_token_dtype(a, f"{name}[{i}]")
    tokens = (
        np.concatenate(arrays).astype(np.int64, copy=False)
        if lengths.sum()
        else np.zeros(0, dtype=np.int64)
    )
    _check_non_negative(tokens, name)
    return tokens, lengths


def _check_non_negative(tokens, name):
    if tokens.size and tokens.min() < 0:
        raise ValueError(
            f"{name} must contain integer token ids >= 0; got {tokens.min()}."
        )


def split_sequences(tokens, lengths):
    """Inverse of the flattening in :func:`check_token_sequences`."""
    return np.split(tokens, np.cumsum(lengths)[:-1])


def check_continuous_sequences(X, *, n_features=None, counts=False, name="X"):
    """Validate sequences of feature vectors and return them flattened.

    Parameters
    ----------
    X : list of array-like of shape (T_i, n_features), or ndarray of shape \
            (n_sequences, T, n_features)
        Sequences of feature vectors. A list may be ragged in ``T_i``; every
        sequence needs at least one step.
    n_features : int, default=None
        The width every sequence must have (the fitted width when scoring).
    counts : bool, default=False
        Require non-negative integer counts (Poisson emissions), at most
        ``2**53``.
    name : str, default="X"
        The name used in error messages.

    Returns
    -------
    frames : ndarray of shape (n_frames, n_features)
        All sequences concatenated (float64, or int64 for counts).
    lengths : ndarray of shape (n_sequences,), dtype=int64
    """
    reject_iterator(X, name)
    if isinstance(X, str | bytes) or hasattr(X, "iloc") or isinstance(X, dict):
        raise TypeError(
            f"{name} must be a list of 2-D arrays (n_steps, n_features) or a "
            f"3-D array; got {type(X).__name__}."
        )
    if isinstance(X, np.ndarray) and X.dtype != object:
        if X.ndim != 3:
            raise ValueError(
                f"{name} as an array must be 3-D (n_sequences, n_steps, "
                f"n_features); got {X.ndim} dimensions and shape {X.shape}. "
                "Pass a list of 2-D arrays for sequences of different lengths."
            )
        seqs = list(X)
    else:
        try:
            seqs = list(X)
        except TypeError:
            raise TypeError(
                f"{name} must be a list of 2-D arrays (n_steps, n_features); "
                f"got {type(X).__name__}."
            ) from None
    if len(seqs) == 0:
        raise ValueError(f"{name} holds no sequences; at least one is required.")
    arrays = []
    for i, s in enumerate(seqs):
        try:
            a = np.asarray(s)
        except ValueError as exc:
            raise ValueError(
                f"{name}[{i}] could not be read as an array ({exc})."
            ) from None
        if a.dtype.kind not in "iufb":
            raise TypeError(
                f"{name}[{i}] must hold numbers; got values of dtype {a.dtype}."
            )
        if a.ndim != 2:
            raise ValueError(
                f"{name}[{i}] must be 2-D (n_steps, n_features); got shape "
                f"{a.shape}. Reshape a univariate sequence with x.reshape(-1, 1)."
            )
        if a.shape[0] == 0:
            raise ValueError(
                f"{name}[{i}] is empty; every sequence needs at least one step."
            )
        arrays.append(a)
    widths = {a.shape[1] for a in arrays}
    if len(widths) > 1:
        raise ValueError(
            f"{name} mixes sequences of different widths {sorted(widths)}; all "
            "must have the same number of features."
        )
    width = widths.pop()
    if n_features is not None and width != n_features:
        raise ValueError(
            f"{name} has {width} features per step, but the model was fitted "
            f"with {n_features}."
        )
    lengths = np.fromiter((a.shape[0] for a in arrays), np.int64, len(arrays))
    frames = np.concatenate(arrays).astype(np.float64)
    if not np.all(np.isfinite(frames)):
        what = "NaN" if np.isnan(frames).any() else "infinity"
        raise ValueError(f"{name} contains {what}.")
    if counts:
        if frames.min() < 0 or np.any(frames != np.round(frames)):
            raise ValueError(
                f"{name} must hold non-negative integer counts; got values such "
                f"as {frames[(frames < 0) | (frames != np.round(frames))][0]}."
            )
        if frames.max() > MAX_COUNT:
            raise ValueError(
                f"{name} must hold counts <= 2**53 = {MAX_COUNT} (the largest "
                f"that float64 holds exactly); got {frames.max():.6g}."
            )
        frames = frames.astype(np.int64)
    return frames, lengths


def sequence_starts(lengths):
    """Index of the first frame of each sequence in the concatenation."""
    starts = np.zeros(lengths.shape[0], dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return starts


def frames_of(lengths, members):
    """Frame indices, in the concatenation, of the sequences ``members``.

    The frames of ``members[0]`` come first, then those of ``members[1]``,
    and so on: indexing the concatenated frames with the result gives the
    concatenation of the chosen sequences.
    """
    sub = lengths[members]
    offset = sequence_starts(lengths)[members] - sequence_starts(sub)
    return np.repeat(offset, sub) + np.arange(sub.sum())
