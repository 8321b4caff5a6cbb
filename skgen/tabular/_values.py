"""Checks and casts of table values shared by the encoder and the augmenters."""

import numpy as np

_MAX_QUOTED = 10


def quote(values):
    """Short repr of a list of values for an error message."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:_MAX_QUOTED])
    more = len(values) - _MAX_QUOTED
    return f"[{shown}{f', ... ({more} more)' if more > 0 else ''}]"


def check_complete(frame, who, *, allow_missing=False):
    """Refuse missing values and infinities in a DataFrame, naming the columns.

    Parameters
    ----------
    frame : DataFrame
    who : str
        What refuses them, as the message names it.
    allow_missing : bool, default=False
        Refuse infinities only.
    """
    has_na = frame.isna().any(axis=0).to_numpy()
    if has_na.any() and not allow_missing:
        raise ValueError(
            "Input X contains missing values (NaN, None or pd.NA) in columns "
            f"{quote(frame.columns[has_na])}; {who} does not accept them. "
            "Impute them or drop those rows first."
        )
    numeric = frame.select_dtypes(include="number")
    if numeric.shape[1]:
        values = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(values).any(axis=0)
        if infinite.any():
            raise ValueError(
                "Input X contains infinite values (inf) in columns "
                f"{quote(numeric.columns[infinite])}; {who} does not accept "
                "them: numeric columns must be finite."
            )


def round_to_dtype(values, dtype):
    """Float ``values`` (a column, or a whole array) made fit for ``dtype``.

    Bool columns are thresholded at 0.5, integer columns rounded to the
    nearest integer and clipped to the largest floats inside the dtype's
    range (``float(2**63 - 1)`` is ``2**63``, outside int64), and float
    columns clipped to the dtype's finite range (float16 tops out at 65504):
    a model of numbers gives floats near them, which a plain ``astype``
    would truncate toward zero, call True whenever nonzero, or overflow to
    infinity. Values of other dtypes are returned as they are; the caller
    casts them.
    """
    np_dtype = getattr(dtype, "numpy_dtype", dtype)  # pandas nullable dtypes
    kind = getattr(np_dtype, "kind", "O")
    if kind == "b":
        return np.asarray(values, dtype=float) > 0.5
    if kind in "iu" and np.asarray(values).dtype.kind not in "iu":
        info = np.iinfo(np_dtype)
        high = float(info.max)
        if int(high) > info.max:
            high = np.nextafter(high, -np.inf)
        return np.clip(np.rint(np.asarray(values, dtype=float)), float(info.min), high)
    if kind == "f" and np.dtype(np_dtype).itemsize < 8:
        top = float(np.finfo(np_dtype).max)
        return np.clip(np.asarray(values, dtype=float), -top, top)
    return values
