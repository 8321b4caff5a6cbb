"""Input checks shared by the metrics: one way to turn samples into matrices.

Every sample-based metric calls :func:`check_samples`, so every metric treats
arrays, numeric DataFrames and mixed-type DataFrames the same way:

- a numeric array is used as given (its scale matters to distances);
- when the reference input is a DataFrame, a
  :class:`~skgen.tabular.TabularEncoder` is fitted on the reference (real)
  rows and transforms every input: numeric columns are standardised with the
  reference mean and standard deviation, bool and two-level columns become
  0/1, other categorical columns become one-hot blocks.
"""

from numbers import Real

import numpy as np
import pandas as pd
from sklearn.utils import check_array

from skgen.tabular import TabularEncoder


def _named(exc, name):
    """Prefix an error message with the argument it is about, once."""
    message = str(exc)
    if name in message:
        return message
    return f"{name}: {message}"


def _as_matrix(X, name, caller):
    try:
        return check_array(
            X,
            dtype=np.float64,
            ensure_all_finite=True,
            ensure_min_samples=0,  # check_samples says how many are needed
            input_name=name,
            estimator=caller,
        )
    except ValueError as exc:
        # the first line: drop scikit-learn's advice on estimators for NaN
        message = _named(str(exc).split("\n", 1)[0], name)
        if "convert" in message and "float" in message:
            message += (
                " Pass a DataFrame to compare samples with non-numeric columns;"
                " it is encoded with a TabularEncoder fitted on the real rows."
            )
        raise ValueError(message) from None


def check_samples(*arrays, names, caller, fit_on=(0,), min_samples=1):
    """Validate samples and return them as float64 matrices of one width.

    Parameters
    ----------
    *arrays : array-like or DataFrame
        The samples to compare, reference (real) first.
    names : tuple of str
        The argument name of each array, for error messages.
    caller : str
        The public function, for error messages.
    fit_on : tuple of int, default=(0,)
        Which arrays the :class:`TabularEncoder` is fitted on (their rows
        concatenated) when the first array is a DataFrame.
    min_samples : int, default=1
        The fewest rows each array must have.

    Returns
    -------
    matrices : list of ndarray of shape (n_samples_i, n_features)
    """
    if isinstance(arrays[0], pd.DataFrame):
        reference = [arrays[i] for i in fit_on]
        reference = reference[0] if len(reference) == 1 else pd.concat(reference)
        try:
            encoder = TabularEncoder(
                column_types="dtype", missing="error", handle_unknown="error"
            ).fit(reference)
        except ValueError as exc:
            which = " and ".join(names[i] for i in fit_on)
            raise ValueError(_named(exc, which)) from None
        out = []
        for X, name in zip(arrays, names, strict=True):
            if isinstance(X, pd.DataFrame) and X.shape[0] == 0:
                raise ValueError(
                    f"{name} must have at least {min_samples} sample(s); got 0 "
                    f"in {caller}."
                )
            try:
                out.append(encoder.transform(X))
            except ValueError as exc:
                raise ValueError(_named(exc, name)) from None
    else:
        out = [
            _as_matrix(X, name, caller) for X, name in zip(arrays, names, strict=True)
        ]
    width = out[0].shape[1]
    for M, name in zip(out, names, strict=True):
        if M.shape[0] < min_samples:
            raise ValueError(
                f"{name} must have at least {min_samples} sample(s); got "
                f"{M.shape[0]} in {caller}."
            )
        if M.shape[1] != width:
            raise ValueError(
                f"{name} has {M.shape[1]} features, but {names[0]} has {width}; "
                "the samples must have the same columns."
            )
    return out


def check_values(values, name, *, allow_neg_inf=False):
    """A 1-D float array of finite values (``-inf`` allowed if asked)."""
    if isinstance(values, Real) and not isinstance(values, bool):
        values = np.array([values], dtype=np.float64)
    try:
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers; got {exc}.") from None
    if values.ndim != 1:
        raise ValueError(
            f"{name} must be a number or a 1-D array; got an array of shape "
            f"{values.shape}."
        )
    if values.shape[0] == 0:
        raise ValueError(f"{name} must not be empty; got an array of shape (0,).")
    if np.isnan(values).any():
        raise ValueError(
            f"{name} contains NaN at {np.flatnonzero(np.isnan(values))[:10].tolist()}."
        )
    bad = np.isposinf(values) if allow_neg_inf else ~np.isfinite(values)
    if bad.any():
        raise ValueError(
            f"{name} must be finite{' or -inf' if allow_neg_inf else ''}; got "
            f"{values[bad][0]} at {np.flatnonzero(bad)[:10].tolist()}."
        )
    return values


def rescaled(*arrays):
    """The arrays divided by one power of two, and its exponent.

    Squared distances, kernels and covariances of values above about
    ``1e154`` overflow float64 (and those of values below ``1e-154``
    underflow), although the quantities built from them are often
    representable. Dividing by ``2**exponent``, with ``exponent`` chosen so
    that the largest absolute value lies in ``[0.5, 1)``, is exact in
    floating point, so computing in the rescaled units and multiplying the
    result by ``2**exponent`` (distances) or ``4**exponent`` (squared
    units) gives the same floats wherever the original computation did not
    overflow, and the right value where it did.

    Infinite values (a log-likelihood of ``-inf``) stay infinite and do not
    set the exponent.

    Returns
    -------
    arrays : list of ndarray
        Each array times ``2**-exponent`` (the arrays themselves when the
        exponent is 0).
    exponent : int
    """
    peak = max(
        (float(np.abs(A[np.isfinite(A)]).max(initial=0.0)) for A in arrays),
        default=0.0,
    )
    exponent = int(np.frexp(peak)[1]) if peak > 0 else 0
    if exponent == 0:
        return list(arrays), 0
    return [np.ldexp(A, -exponent) for A in arrays], exponent


def unscaled(value, exponent, power, what):
    """``value * 2**(power * exponent)``: a result of :func:`rescaled` data
    back in the original units (``power`` 1 for distances, 2 for squared
    units), refused if float64 cannot hold it.

    ``what`` names the quantity in the error: ``"the Fréchet distance of
    X_real and X_generated"``.
    """
    with np.errstate(over="ignore"):
        out = np.ldexp(value, power * exponent)
    finite = np.isfinite(value)
    if not np.array_equal(finite, np.isfinite(out)):
        peak = np.max(np.abs(np.asarray(value)[finite]))
        magnitude = np.log10(peak) + power * exponent * np.log10(2)
        units = "the units" if power == 1 else "the square of the units"
        raise ValueError(
            f"{what} is about 1e{magnitude:.0f}, beyond the float64 range "
            f"(about 1.8e308); it grows with {units}: rescale the inputs."
        )
    return out


def subsample(X, max_samples, rng):
    """At most ``max_samples`` rows of ``X``, drawn without replacement.

    The rows keep their order; ``X`` itself is returned when it is small
    enough or ``max_samples`` is None.
    """
    if max_samples is None or X.shape[0] <= max_samples:
        return X
    return X[np.sort(rng.choice(X.shape[0], max_samples, replace=False))]
