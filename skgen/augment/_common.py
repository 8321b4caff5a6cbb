"""Helpers shared by the augmenting estimators: seeding, drawing, tables."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from skgen.base import fit_atomically, get_generative_tags
from skgen.tabular._values import check_complete, round_to_dtype
from skgen.utils._compat import Interval, RealNotInt, _fit_context
from skgen.utils._random import draw_seed
from skgen.utils._resources import check_allocation
from skgen.utils._sampling import sample_from

#: Representations a generator must have to augment 2-D tables.
TABULAR_REPRESENTATIONS = ("tabular", "dataframe")

#: ``n_synthetic``: an int >= 0 (a number of rows), a float >= 0 (a
#: fraction) or None (AugmentedClassifier only: balance the classes with
#: ``sampling_strategy``). 0 and 0.0 both add no row.
N_SYNTHETIC_CONSTRAINTS = [
    Interval(Integral, 0, None, closed="left"),
    Interval(RealNotInt, 0, None, closed="left"),
    None,
]


def n_rows_to_add(n_synthetic, n_samples):
    """Rows for ``n_synthetic``: an int as is, a float as a fraction.

    The fraction is rounded half up (2.5 rows give 3), not to even as
    Python's ``round`` does.
    """
    if isinstance(n_synthetic, Integral):
        return int(n_synthetic)
    return int(np.floor(n_synthetic * n_samples + 0.5))


def n_synthetic_strategy(y, n_synthetic):
    """A ``sampling_strategy`` callable adding ``n_synthetic`` rows per class.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The labels.
    n_synthetic : int or float
        An int: that many synthetic rows for every class. A float: that
        fraction of each class's own size (rounded half up).

    Returns
    -------
    strategy : dict
        The number of rows each class has after resampling.
    """
    classes, counts = np.unique(y, return_counts=True)
    return {
        c: int(n) + n_rows_to_add(n_synthetic, int(n))
        for c, n in zip(classes, counts, strict=True)
    }


def check_class_labels(y):
    """Refuse targets that are not class labels, before any conversion.

    ``y`` as the user gave it: a list ``[1, "a"]`` becomes an array of
    strings once converted, so sklearn's check for labels of mixed types
    (``unique_labels``: "Mix of label input types (string and number)")
    must see it first.
    """
    check_classification_targets(y)
    unique_labels(y)


def check_augmented_size(n_rows, n_new, n_columns, n_features, owner):
    """Refuse, before fitting anything, an augmentation that cannot fit in
    memory.

    The estimate, 8 bytes a value: the ``n_new`` generated rows of
    ``n_columns`` values, and the augmented copy of the data, ``n_rows +
    n_new`` rows of ``n_features`` values and a target. Python ints, so
    that a huge request cannot overflow while it is sized.

    Raises
    ------
    ValueError
        Naming the number of rows and the memory they would need.
    """
    n_rows, n_new = int(n_rows), int(n_new)
    n_bytes = 8 * (n_new * n_columns + (n_rows + n_new) * (n_features + 1))
    check_allocation(
        n_bytes,
        f"{owner}: {n_new} synthetic rows of {n_columns} columns added to "
        f"{n_rows} rows",
    )


# ----------------------------------------------------------- generators


class Seeds:
    """The seeds of one ``fit``: for each generator fitted and each draw.

    An int (or RandomState) ``random_state`` gives every clone of a
    generator a seed derived from it; None leaves the generator's own
    ``random_state``. Draws are always seeded from ``random_state``.
    """

    def __init__(self, random_state):
        self._rng = check_random_state(random_state)
        self._fixed = random_state is not None

    def next(self):
        """A fresh int seed."""
        return draw_seed(self._rng)

    def clone(self, generator):
        """An unfitted clone of ``generator``, seeded (see the class)."""
        return seeded_clone(generator, self.next() if self._fixed else None)


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


def draw(generator, n_samples, seed, like, *, y=None):
    """``n_samples`` rows of ``generator``, as :func:`as_rows_like` ``like``.

    Samples through :func:`skgen.utils._sampling.sample_from`, seeded by
    ``seed``: ``generator.sample(n_samples, [y=y,] random_state=seed)``,
    keeping ``X`` of a conditional model's ``(X, y)``; sklearn's
    ``GaussianMixture`` (whose ``sample`` takes no ``random_state``) is
    seeded by ``seed`` too, without changing it.
    """
    out, _ = sample_from(generator, n_samples, random_state=seed, y=y)
    return as_rows_like(out, like, n_samples, f"{type(generator).__name__}.sample")


# ---------------------------------------------------------------- tables


def is_frame(X):
    return isinstance(X, pd.DataFrame)


def check_frame(X, owner):
    """Validate a DataFrame kept as it is: rows, columns, no missing values.

    Sparse columns are made dense (the generator sees dense values; the
    caller restores the dtypes).
    """
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(
            f"{owner} needs at least one row and one column; got a DataFrame "
            f"of shape {X.shape}."
        )
    sparse = {c: X[c].dtype.subtype for c in X.columns if _is_sparse(X[c].dtype)}
    if sparse:
        X = X.astype(sparse)
    check_complete(X, owner)
    return X


def check_frame_X_y(estimator, X, y):
    """Validate a DataFrame ``X`` (kept as one) and a 1-D ``y`` for ``fit``.

    Sets ``n_features_in_`` and ``feature_names_in_`` on ``estimator``.
    """
    X = check_frame(X, type(estimator).__name__)
    validate_data(estimator, X=X, reset=True, skip_check_array=True)
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    return X, y


def _is_sparse(dtype):
    return isinstance(dtype, pd.SparseDtype)


def as_rows_like(X_new, X, n_samples, who):
    """Check generated rows and give them the representation of ``X``.

    A DataFrame ``X`` gives a DataFrame with its columns and dtypes; an
    array ``X`` an array of its dtype. Either way integer columns are
    rounded and bool columns thresholded at 0.5 (:func:`round_to_dtype`).
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
        X_new = X_new[X.columns].reset_index(drop=True)
        numeric = X_new.select_dtypes(include="number")
        if numeric.shape[1]:
            _check_finite_rows(numeric.to_numpy(dtype=float), who)
        columns = {c: round_to_dtype(X_new[c], d) for c, d in X.dtypes.items()}
        return pd.DataFrame(columns, columns=X.columns).astype(X.dtypes.to_dict())
    X_new = np.asarray(X_new)
    if X_new.shape != (n_samples, X.shape[1]):
        raise ValueError(
            f"{who} returned an array of shape {X_new.shape}; expected "
            f"{(n_samples, X.shape[1])}."
        )
    _check_finite_rows(X_new, who)
    return round_to_dtype(X_new, X.dtype).astype(X.dtype, copy=False)


def _check_finite_rows(values, who):
    """Generated numbers must be finite: blame the generator, not the user."""
    values = np.asarray(values)
    if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
        bad = np.flatnonzero(~np.all(np.isfinite(values), axis=1))
        raise ValueError(
            f"{who} returned {bad.shape[0]} row(s) with NaN or infinite values "
            f"(rows {bad[:10].tolist()}); the generator is broken or diverged, "
            "so no synthetic rows were added."
        )


def take_rows(X, mask):
    return X.loc[np.asarray(mask)] if is_frame(X) else X[mask]


def concat_rows(X, parts):
    """``X`` with the generated ``parts`` appended (a fresh RangeIndex)."""
    if not parts:
        return X
    if is_frame(X):
        return pd.concat([X.reset_index(drop=True), *parts], ignore_index=True)
    return np.concatenate([X, *parts], axis=0)


def refuse_sparse_and_nan(tags):
    """``tags`` saying that sparse input and missing values are rejected."""
    tags.input_tags.sparse = False
    tags.input_tags.allow_nan = False
    return tags


# ------------------------------------------------------- meta-estimators


def fit_method(fit):
    """Decorate the ``fit`` (or ``fit_resample``) of an augmenting estimator.

    Parameters are validated when it starts, and so are the generator's and
    the estimator's when they are fitted: they are the user's, unchecked
    (imbalanced-learn's samplers skip that nested validation). A failure
    leaves the estimator as it was (:func:`skgen.base.fit_atomically`).
    """
    return fit_atomically(_fit_context(prefer_skip_nested_validation=False)(fit))


def estimator_has(attr):
    """Check the fitted ``estimator_`` if there is one, else ``estimator``."""

    def check(self):
        getattr(getattr(self, "estimator_", self.estimator), attr)
        return True

    return check


def delegate(method, summary, returns):
    """A method ``m(X)`` returning ``estimator_.m(X)``, there when it is."""

    def call(self, X):
        check_is_fitted(self)
        return getattr(self.estimator_, method)(X)

    call.__name__ = method
    call.__qualname__ = method
    call.__doc__ = f"""{summary}

        Parameters
        ----------
        X : {{array-like, DataFrame}} of shape (n_samples, n_features)
            Rows as given, never augmented.

        Returns
        -------
        {returns}
        """
    return available_if(estimator_has(method))(call)


class AugmentedMixin:
    """``predict`` and tags of the meta-estimators that augment in ``fit``.

    ``score`` comes from sklearn's ``ClassifierMixin`` or ``RegressorMixin``
    (accuracy, R²), computed on ``predict``.
    """

    predict = delegate(
        "predict",
        "Predict with the fitted estimator.",
        "y_pred : ndarray of shape (n_samples,)",
    )

    def __sklearn_tags__(self):
        return refuse_sparse_and_nan(super().__sklearn_tags__())
