"""Helpers shared by the augmenting estimators: seeding, drawing, tables."""

import inspect
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone

from skgen.base import get_generative_tags

#: Representations a generator must have to augment 2-D tables.
TABULAR_REPRESENTATIONS = ("tabular", "dataframe")


def draw_seed(rng):
    """An int seed drawn from a ``RandomState``."""
    return int(rng.randint(np.iinfo(np.int32).max))


def generator_tags(generator):
    """skgen's tags of ``generator``, or None for a non-skgen generator."""
    try:
        return get_generative_tags(generator)
    except TypeError:
        return None


def check_tabular_generator(generator, owner):
    """Reject generators of sequences or text: they cannot augment a table."""
    tags = generator_tags(generator)
    if tags is not None and tags.representation not in TABULAR_REPRESENTATIONS:
        raise ValueError(
            f"{owner} needs a generator of tables (2-D arrays or DataFrames); "
            f"got {type(generator).__name__}, whose representation is "
            f"{tags.representation!r}. Sequence and text generators cannot be "
            "used: imbalanced-learn samplers take 2-D tables."
        )


def seeded_clone(generator, seed):
    """Clone ``generator``; with an int ``seed``, set every ``random_state``.

    Nested parameters (``vae__random_state`` in a pipeline) are set too.
    With ``seed=None`` the clone keeps its own ``random_state``.
    """
    generator = clone(generator)
    if seed is not None:
        params = generator.get_params(deep=True)
        keys = [
            k for k in params if k == "random_state" or k.endswith("__random_state")
        ]
        generator.set_params(**dict.fromkeys(keys, seed))
    return generator


def _accepts(method, name):
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def draw(generator, n_samples, seed, *, y=None):
    """``generator.sample(n_samples, [y=y,] random_state=seed)``, rows only.

    A tuple's first element is taken: conditional models return ``(X, y)``
    and sklearn's ``GaussianMixture`` returns ``(X, component_labels)``.
    ``random_state`` is passed only where ``sample`` takes it (sklearn's
    ``GaussianMixture.sample`` uses the estimator's own).
    """
    kwargs = {} if y is None else {"y": y}
    if _accepts(generator.sample, "random_state"):
        kwargs["random_state"] = seed
    out = generator.sample(n_samples, **kwargs)
    if isinstance(out, tuple):
        out = out[0]
    return out


def is_frame(X):
    return isinstance(X, pd.DataFrame)


def check_frame(X, owner):
    """Validate a DataFrame kept as it is: rows, columns, no missing values.

    Sparse columns are made dense (the generator sees dense values; the
    caller restores the dtypes).
    """
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(
            f"{owner} needs at least one row and one column; got a DataFrame "
            f"of shape {X.shape}."
        )
    sparse = {c: X[c].dtype.subtype for c in X.columns if _is_sparse(X[c].dtype)}
    if sparse:
        X = X.astype(sparse)
    missing = X.columns[X.isna().any(axis=0).to_numpy()].tolist()
    if missing:
        raise ValueError(
            f"Input X contains missing values (NaN, None or pd.NA) in columns "
            f"{missing}; {owner} does not accept them. Impute them or drop "
            "those rows first."
        )
    numeric = X.select_dtypes(include="number")
    infinite = numeric.columns[
        np.isinf(numeric.to_numpy(dtype=float)).any(axis=0)
    ].tolist()
    if infinite:
        raise ValueError(
            f"Input X contains infinity in columns {infinite}; {owner} does "
            "not accept it."
        )
    return X


def _is_sparse(dtype):
    return isinstance(dtype, pd.SparseDtype)


def as_rows_like(X_new, X, n_samples, who):
    """Check generated rows and give them the representation of ``X``.

    A DataFrame ``X`` gives a DataFrame with its columns and dtypes; an
    array ``X`` an array of its dtype (integer columns rounded, bool
    thresholded at 0.5).
    """
    if is_frame(X):
        if not is_frame(X_new):
            X_new = pd.DataFrame(np.asarray(X_new), columns=X.columns)
        if X_new.shape != (n_samples, X.shape[1]) or set(X_new.columns) != set(
            X.columns
        ):
            raise ValueError(
                f"{who} returned a table of shape {X_new.shape} with columns "
                f"{list(X_new.columns)}; expected shape {(n_samples, X.shape[1])} "
                f"with columns {list(X.columns)}."
            )
        return X_new[X.columns].astype(X.dtypes.to_dict()).reset_index(drop=True)
    X_new = np.asarray(X_new)
    if X_new.shape != (n_samples, X.shape[1]):
        raise ValueError(
            f"{who} returned an array of shape {X_new.shape}; expected "
            f"{(n_samples, X.shape[1])}."
        )
    if X.dtype.kind == "b":
        return np.asarray(X_new, dtype=float) > 0.5
    if X.dtype.kind in "iu" and X_new.dtype.kind not in "iu":
        info = np.iinfo(X.dtype)
        X_new = np.clip(np.rint(X_new), info.min, info.max)
    return X_new.astype(X.dtype, copy=False)


def take_rows(X, mask):
    return X.loc[np.asarray(mask)] if is_frame(X) else X[mask]


def concat_rows(X, parts):
    """``X`` with the generated ``parts`` appended (a fresh RangeIndex)."""
    if not parts:
        return X
    if is_frame(X):
        return pd.concat([X.reset_index(drop=True), *parts], ignore_index=True)
    return np.concatenate([X, *parts], axis=0)


def n_rows_to_add(n_synthetic, n_samples):
    """Rows for ``n_synthetic``: an int as is, a float as a fraction."""
    if isinstance(n_synthetic, Integral):
        return int(n_synthetic)
    return round(n_synthetic * n_samples)
