"""An invertible encoder from mixed-type tables to real-valued matrices.

:class:`TabularEncoder` is the first step of every tabular generative model
in skgen (VAE, GANs): it maps a DataFrame of numeric, boolean and
categorical columns to a float matrix, and ``inverse_transform`` maps model
outputs back to a DataFrame with the original columns, dtypes and
categories, every value in its column's support. Its ``output_blocks_``
tell a model which output columns are a real number, an integer, a
Bernoulli, one softmax group or a column's state (a value, missing, a
point mass at zero); the column kinds are in ``_kinds.py``.
"""

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
import pandas as pd
from pandas.api import types as pdt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    validate_data,
)

from skgen.base import fit_atomically
from skgen.tabular._kinds import (
    DISCRETE_KINDS,
    INTEGER_KINDS,
    KINDS,
    SUPPORT_MAPS,
    VALUE_KINDS,
    detect_numeric_kind,
    fit_quantile_map,
    in_support,
    quantile_forward,
    quantile_inverse,
    quantile_log_derivative,
    support_map,
    support_of,
)
from skgen.tabular._values import _MAX_QUOTED, check_complete, round_to_dtype
from skgen.tabular._values import quote as _quote
from skgen.utils._compat import Interval, StrOptions, _fit_context
from skgen.utils._validation import reject_iterator

__all__ = ["TabularEncoder"]


def _sorted_levels(values):
    """Distinct values in a deterministic order: sorted, else by type and repr."""
    try:
        levels = sorted(set(values))
    except TypeError:  # mixed types that do not compare (1 and "a")
        levels = sorted(set(values), key=lambda v: (type(v).__qualname__, repr(v)))
    out = np.empty(len(levels), dtype=object)
    out[:] = levels
    return out


def _column_kind(name, series):
    """Return ``(kind, levels)`` of a column from its dtype and values."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        levels = dtype.categories.to_numpy()
    elif pdt.is_bool_dtype(dtype):
        return "binary", np.array([False, True])
    elif pdt.is_complex_dtype(dtype):
        raise ValueError(
            f"Complex data not supported: column {name!r} has dtype {dtype}."
        )
    elif pdt.is_numeric_dtype(dtype):
        return "numeric", None
    elif pdt.is_object_dtype(dtype) or pdt.is_string_dtype(dtype):
        levels = _sorted_levels(series.tolist())
    else:
        raise TypeError(
            f"Column {name!r} has dtype {dtype}, which TabularEncoder does not "
            "support; use numeric, bool, category, object or string columns "
            "(convert datetimes to numbers first)."
        )
    return ("binary" if len(levels) == 2 else "categorical"), levels


def _binary_unit(values):
    """A power of two within a factor 2 of each ``|value|`` (0.5 for 0).

    Dividing by a power of two is exact, so statistics computed on
    ``x / unit`` and scaled back are the statistics of ``x``, bit for bit,
    while no intermediate (a square, a sum, a difference) overflows or
    underflows for values anywhere in the float64 range.
    """
    _, exponent = np.frexp(values)
    return np.ldexp(1.0, exponent - 1)


def _cast_numeric(values, dtype):
    """Cast float64 values back to a numeric dtype (:func:`round_to_dtype`)."""
    values = round_to_dtype(values, dtype)
    if isinstance(dtype, np.dtype):
        return values.astype(dtype)
    return pd.array(values).astype(dtype)


def _dtype_to_spec(dtype):
    """A dtype as builtins and arrays, for persistence (skops, pickle)."""
    if isinstance(dtype, np.dtype):
        return ("numpy", dtype.str)
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        return (
            "category",
            categories.to_numpy(),
            _dtype_to_spec(categories.dtype),
            bool(dtype.ordered),
        )
    if isinstance(dtype, pd.StringDtype):
        return ("string", dtype.storage, dtype.na_value is pd.NA)
    if pdt.pandas_dtype(str(dtype)) == dtype:  # Int64, boolean, Float64, ...
        return ("pandas", str(dtype))
    return ("object", dtype)  # kept as is: pickle works, skops may not


def _spec_to_dtype(spec):
    """Inverse of :func:`_dtype_to_spec`."""
    kind = spec[0]
    if kind == "numpy":
        return np.dtype(spec[1])
    if kind == "category":
        _, values, index_spec, ordered = spec
        categories = pd.Index(values, dtype=_spec_to_dtype(index_spec))
        return pd.CategoricalDtype(categories, ordered=ordered)
    if kind == "string":
        return pd.StringDtype(spec[1], na_value=pd.NA if spec[2] else np.nan)
    if kind == "pandas":
        return pdt.pandas_dtype(spec[1])
    return spec[1]


def _inside_support(x, kind, bounds, dtype):
    """Values of an open support kept inside it once cast to ``dtype``.

    The support maps keep values strictly inside in float64; a narrower
    float dtype would round a value next to a bound onto it (a tiny positive
    value to 0.0 in float32), so they are clipped to the dtype's nearest
    representable values inside.
    """
    np_dtype = getattr(dtype, "numpy_dtype", dtype)
    if getattr(np_dtype, "kind", "O") != "f" or np.dtype(np_dtype).itemsize >= 8:
        return x
    low, high, low_open = support_of(kind, bounds)
    narrow = np.dtype(np_dtype).type
    top = float(np.finfo(np_dtype).max)
    inner_high = (
        top if np.isinf(high) else float(np.nextafter(narrow(high), narrow(low)))
    )
    inner_low = low
    if low_open:
        inner_low = float(np.nextafter(narrow(low), narrow(min(high, top))))
    return np.clip(x, inner_low, inner_high)


class TabularEncoder(TransformerMixin, BaseEstimator):
    """Invertible encoding of a mixed-type table as a float matrix.

    Every column gets a *kind* (detected from its values, or declared in
    ``column_types``) whose encoding keeps samples in the column's support
    and whose likelihood is exact: real-valued kinds are mapped onto the
    reals (log for positive columns, logit for bounded ones) and
    standardised; integer columns stay on their lattice; discrete columns
    become levels, with probability reserved for levels never seen in
    training. Missing values can be modelled as a state of their own.
    ``inverse_transform`` maps any real-valued matrix of the output width
    (exact encodings, or the raw outputs of a generative model) back to a
    DataFrame with the original columns, dtypes and categories, every value
    in its column's support.

    Parameters
    ----------
    column_types : "auto", "dtype" or dict, default="auto"
        How each column's kind is decided. ``"auto"`` detects it from the
        dtype and the values (see Notes); ``"dtype"`` from the dtype only
        (every numeric column ``"continuous"``, the encoding of skgen 0.1);
        a dict maps column names (or indices, for an array) to a kind and
        detects the others. Kinds: ``"continuous"``, ``"positive"``,
        ``"nonnegative"``, ``"proportion"``, ``("bounded", low, high)``,
        ``"count"``, ``"integer"``, ``"discrete"``, ``"binary"``,
        ``"categorical"``. The kinds decided are in ``column_kinds_``.
    numeric : {"standard", "quantile"}, default="standard"
        How real-valued columns are standardised after their support map:
        ``"standard"`` subtracts the mean and divides by the standard
        deviation (1 for a constant column); ``"quantile"`` maps them onto
        standard-normal scores with a piecewise-linear map through
        ``n_quantiles`` quantiles (exact Jacobian, linear tails, see Notes).
        Integer columns are always standardised.
    categorical : {"onehot"}, default="onehot"
        How categorical columns with more than two levels are encoded: one
        indicator column per level.
    n_quantiles : int, default=1000
        Number of quantiles with ``numeric="quantile"`` (at most the number
        of observed values of a column is used).
    missing : {"auto", "model", "error"}, default="auto"
        ``"model"``: each column with missing values (NaN, None,
        ``pd.NA``) in training gets a state block that says whether the
        value is there, and the value block holds an imputed value (the
        standardised mean, or no level) where it is not; a model of the
        encoded table learns where values are missing, samples them at the
        real rates and in the real combinations, and its likelihood counts
        the missingness. ``"error"``: missing values raise a ValueError
        that names the columns. ``"auto"``: ``"model"`` for a DataFrame,
        ``"error"`` for an array.
    handle_unknown : {"reserve", "error"}, default="reserve"
        A level of a discrete column not seen in fit: ``"reserve"`` encodes
        it as no level, with the probability ``unseen_mass_`` reserved for
        such levels (so held-out rows always have a finite likelihood);
        ``"error"`` raises a ValueError naming the column and the levels.
    clip : bool, default=False
        Clip decoded values of real-valued and integer columns to the range
        seen in training. By default values are decoded anywhere in the
        column's support (a positive column can take any positive value).

    Attributes
    ----------
    columns_ : list or None
        The column names of the training DataFrame, in order; None when
        fitted on an array (columns are then the integers ``0..n-1`` in
        ``output_blocks_`` and the other attributes).
    dtypes_ : list of dtype of length ``n_features_in_``
        The dtype of each input column (numpy or pandas extension dtype);
        ``inverse_transform`` restores them.
    column_kinds_ : dict of column to str
        The kind of every column, as detected or declared.
    bounds_ : dict of column to tuple
        ``(low, high)`` of every ``("bounded", low, high)`` column.
    numeric_columns_ : list
        The real-valued and integer columns (one encoded number each), in
        input order; ``mean_`` and ``scale_`` follow this order.
    binary_columns_ : list
        Columns with two levels: one 0/1 output column each.
    categorical_columns_ : list
        Discrete columns with one level or more than two: one one-hot block
        each.
    categories_ : dict of column to ndarray
        The levels of every binary and categorical column: the
        ``categories`` of a ``category`` column (its order, unobserved
        levels included), ``[False, True]`` for a bool column, otherwise the
        sorted distinct values seen in ``fit`` (numbers, for a discrete
        numeric column).
    unseen_mass_ : dict of column to float
        The probability a discrete column reserves for a level not in
        ``categories_``: ``1 / (n + 1)`` for ``n`` observed values.
    states_ : dict of column to tuple of str
        For each column with a state block, its states in block order:
        ``"value"`` (the value is there), ``"zero"`` (a nonnegative column
        at exactly 0), ``"missing"``.
    output_blocks_ : list of tuple (column, kind, slice)
        The layout of the output of :meth:`transform`: a column's state
        block (if any), then its value block, in input-column order. See
        Notes.
    n_output_ : int
        Number of output columns, ``output_blocks_[-1][2].stop``.
    mean_, scale_ : ndarray of shape (n_numeric,)
        The standardisation of each column of ``numeric_columns_`` after
        its support map (``t(x) = (mean_ + scale_ * z)``); 0 and 1 for
        columns mapped by quantiles.
    quantile_maps_ : dict of column to tuple of ndarray
        ``(knots, scores)`` of each real-valued column's quantile map
        (``numeric="quantile"``).
    data_range_ : dict of column to tuple
        ``(min, max)`` of the observed values of each numeric column
        (``clip=True`` clips to it).
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the input columns, when fitted on a DataFrame whose column
        names are all strings.

    See Also
    --------
    sklearn.preprocessing.OneHotEncoder : One-hot encoding, not invertible
        to the original dtypes.
    skgen.pipeline.make_generative_pipeline : Chain the encoder and a model.

    Notes
    -----
    **Detection** (``column_types="auto"``). Bool columns are binary;
    ``category``, object and string columns are binary (two levels) or
    categorical. A numeric column, on its observed values:

    1. with at most 10 distinct values, each seen 3 times or more on
       average: ``"binary"`` (two values) or ``"discrete"`` (one level per
       value: sklearn's diabetes ``sex``, penguins' ``year``, rating
       scales);
    2. else, when at least 99 % of the values are integers (and every value
       is below ``2**53`` in magnitude): ``"count"`` when none is negative
       and that is not chance (below), else ``"integer"``. Its rare
       fractions (sklearn's diabetes ``s3`` has one 42.5 in 442 rows) get
       the mass of the unit interval around them, and it samples integers;
       a declared integer kind refuses fractions;
    3. else ``"positive"`` (every value > 0) or ``"nonnegative"`` (the
       smallest is 0) when that is not chance, else ``"continuous"``.

    "Not chance": a Gaussian of the column's mean and standard deviation
    would have shown a value below 0 (-1/2 for integers) in that many rows
    with probability at least 0.75 (:func:`skgen.tabular._kinds.bounded_below`).
    Heights in cm are never near 0 and stay ``"continuous"``; 30 draws of a
    Gaussian of mean 2 that happen to be positive stay ``"continuous"`` too,
    so a held-out negative value keeps a finite likelihood.

    A kind's support comes from the kind (or declared bounds), never from
    the training range, so a held-out value outside that range still has a
    finite likelihood.

    **Kinds and their encodings.**

    - ``continuous``: support the reals; standardised.
    - ``positive``: support ``(0, inf)``; ``log x``, standardised.
    - ``nonnegative``: ``[0, inf)``; a state block ``("value", "zero")``
      holds the point mass at 0, and positive values are encoded as
      ``positive``.
    - ``proportion``: ``(0, 1)``; ``logit x``, standardised.
      ``("bounded", a, b)``: ``(a, b)``; ``logit((x - a) / (b - a))``.
    - ``count`` (non-negative integers) and ``integer`` (all integers):
      standardised, block kind ``"integer"``: a model puts on integer ``k``
      the mass of the bin ``[k - 1/2, k + 1/2)`` (``(-inf, 1/2)`` for 0 of
      a count column), in encoded units ``scale_`` times smaller, and
      decoding rounds (and, for counts, clips at 0). This is the exact
      probability of the integer under a model of the encoded number: the
      integral of its density over the bin, which is what uniform
      dequantization bounds from below. A held-out value between integers
      (a column whole in training, with rare fractions elsewhere) gets the
      mass of the unit interval around it: finite, as unseen levels are.
    - ``discrete``, ``binary``, ``categorical``: levels; a level not in
      ``categories_`` is encoded as no level (0.5 in a binary column, all
      zeros in a one-hot block) and has probability ``unseen_mass_``; the
      seen levels share the rest.

    **Output layout.** ``output_blocks_`` is the contract between the
    encoder and a tabular generative model. Blocks are contiguous, in
    input-column order:

    - ``("income", "numeric", slice(j, j + 1))``: one real number; a model
      puts a density on it, and :meth:`log_abs_det_jacobian` converts that
      density to one of the column.
    - ``("children", "integer", slice(j, j + 1))``: one standardised
      integer; a model puts mass on its bin (above).
    - ``("smoker", "binary", slice(j, j + 1))``: 0 or 1 (0.5: no seen
      level), 1 for ``categories_["smoker"][1]``; a model puts a Bernoulli
      on it and outputs its **probability**: ``inverse_transform`` takes
      level 1 where the value is > 0.5.
    - ``("color", "categorical", slice(j, j + k))``: ``k`` one-hot columns,
      column ``j + i`` for ``categories_["color"][i]``; a model puts one
      softmax over the block. ``inverse_transform`` takes the argmax.
    - ``("bill", "state", slice(j, j + m))``: one-hot over ``states_["bill"]``,
      before the column's value block; a model puts a softmax over it, and
      the value block counts only where the state is ``"value"`` (its first
      column). ``inverse_transform`` writes a missing value (NaN, ``pd.NA``
      or None, as the dtype holds them) or 0 where the argmax is another
      state.

    **Likelihoods.** A model's log-likelihood of an encoded row plus the
    encoder's correction is the log-likelihood of the row as given: the
    log-Jacobian of the support map and standardisation of every
    real-valued value present, ``log(1 - unseen_mass_)`` for a seen level
    and ``log unseen_mass_`` for an unseen one, and ``-inf`` for a value
    outside its column's support (a negative count, 0 in a positive
    column) or a missing value in a column without a missing state.
    :meth:`log_abs_det_jacobian` returns it for a table of real-valued
    columns, whose encoded rows a density model of the reals can score in
    a :class:`~skgen.pipeline.GenerativePipeline`; skgen's tabular models
    add it for every kind.

    **Quantile map.** With ``numeric="quantile"`` a real-valued column
    (after its support map) is mapped through knots at its quantiles of
    probability ``(k + 1/2) / n`` onto the normal scores of those
    probabilities, linearly between knots and beyond the end knots with the
    end segments' slopes: a bijection of the reals with a piecewise-constant
    Jacobian.

    **Inverse.** ``inverse_transform(transform(X))`` equals ``X`` (to
    rounding for floats), missing values included.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgen.tabular import TabularEncoder
    >>> df = pd.DataFrame({
    ...     "age": [30, 40, 50, 60],
    ...     "color": pd.Categorical(["red", "blue", "green", "red"]),
    ...     "smoker": [True, False, False, True],
    ... })
    >>> enc = TabularEncoder().fit(df)
    >>> enc.column_kinds_
    {'age': 'integer', 'color': 'categorical', 'smoker': 'binary'}
    >>> enc.output_blocks_
    [('age', 'integer', slice(0, 1, None)), ('color', 'categorical', slice(1, 4, None)), ('smoker', 'binary', slice(4, 5, None))]
    >>> enc.get_feature_names_out().tolist()
    ['age', 'color_blue', 'color_green', 'color_red', 'smoker']
    >>> Xt = enc.transform(df)
    >>> Xt[0]
    array([-1.34164079,  0.        ,  0.        ,  1.        ,  1.        ])
    >>> enc.inverse_transform(Xt).equals(df)
    True
    """  # noqa: E501

    _parameter_constraints: ClassVar[dict] = {
        "column_types": [StrOptions({"auto", "dtype"}), dict],
        "numeric": [StrOptions({"standard", "quantile"})],
        "categorical": [StrOptions({"onehot"})],
        "n_quantiles": [Interval(Integral, 2, None, closed="left")],
        "missing": [StrOptions({"auto", "model", "error"})],
        "handle_unknown": [StrOptions({"reserve", "error"})],
        "clip": ["boolean"],
    }

    def __init__(
        self,
        *,
        column_types="auto",
        numeric="standard",
        categorical="onehot",
        n_quantiles=1000,
        missing="auto",
        handle_unknown="reserve",
        clip=False,
    ):
        self.column_types = column_types
        self.numeric = numeric
        self.categorical = categorical
        self.n_quantiles = n_quantiles
        self.missing = missing
        self.handle_unknown = handle_unknown
        self.clip = clip

    # ------------------------------------------------------------------ input

    def _validate_input(self, X, *, reset):
        """Check `X` and return it as a DataFrame with the training columns."""
        reject_iterator(X)
        fitted_on_frame = reset or self.columns_ is not None
        if isinstance(X, pd.DataFrame) and fitted_on_frame:
            # feature-name, duplicate-name and width checks, sklearn's messages
            validate_data(self, X, skip_check_array=True, reset=reset)
            if X.shape[0] == 0:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by TabularEncoder."
                )
            if X.shape[1] == 0:
                raise ValueError(
                    f"Found array with 0 feature(s) (shape={X.shape}) while a "
                    "minimum of 1 is required by TabularEncoder."
                )
            if not reset:
                self._check_columns(list(X.columns))
            frame = X
        elif fitted_on_frame and not reset:
            # fitted on a DataFrame, given an array: sklearn warns about the
            # missing names; the values are taken in the training order.
            values = np.asarray(X, dtype=object)
            if values.ndim != 2:
                raise ValueError(
                    f"Expected a 2-D DataFrame or array; got an array with "
                    f"{values.ndim} dimensions. Reshape one row with "
                    "X.reshape(1, -1)."
                )
            if values.shape[0] == 0:
                raise ValueError(
                    f"Found array with 0 sample(s) (shape={values.shape}) while "
                    "a minimum of 1 is required by TabularEncoder."
                )
            validate_data(self, X, skip_check_array=True, reset=False)
            frame = pd.DataFrame(values, columns=self.columns_).infer_objects()
        else:
            if isinstance(X, pd.DataFrame):  # fitted on a numeric array
                self._check_all_numeric(X)
            arr = validate_data(
                self, X, dtype="numeric", ensure_all_finite=False, reset=reset
            )
            frame = pd.DataFrame(arr, copy=False)
        missing = self._missing_mode(X) if reset else self._fitted_missing
        if missing == "error":
            check_complete(frame, f"TabularEncoder(missing={self.missing!r})")
        else:
            check_complete(frame, "TabularEncoder", allow_missing=True)
        return frame

    def _missing_mode(self, X):
        """``missing`` with ``"auto"`` resolved for the input type."""
        if self.missing != "auto":
            return self.missing
        return "model" if isinstance(X, pd.DataFrame) else "error"

    def _check_all_numeric(self, frame):
        """A DataFrame given to an encoder fitted on an array: numbers only."""
        dtypes = frame.dtypes
        bad = [
            f"{col!r} ({dtype})"
            for col, dtype in dtypes.items()
            if not pdt.is_numeric_dtype(dtype)
        ]
        if bad:
            shown = ", ".join(bad[:_MAX_QUOTED])
            more = len(bad) - _MAX_QUOTED
            raise ValueError(
                "TabularEncoder was fitted on a numeric array, so X must have "
                f"numeric columns only; got non-numeric columns [{shown}"
                f"{f', ... ({more} more)' if more > 0 else ''}]. Fit it on a "
                "DataFrame to encode categorical or string columns."
            )

    def _check_columns(self, columns):
        if columns == self.columns_:
            return
        missing = [c for c in self.columns_ if c not in columns]
        extra = [c for c in columns if c not in self.columns_]
        parts = []
        if missing:
            parts.append(f"missing {_quote(missing)}")
        if extra:
            parts.append(f"unexpected {_quote(extra)}")
        if not parts:
            parts.append(f"in a different order {_quote(columns)}")
        raise ValueError(
            "X must have the columns TabularEncoder was fitted on, "
            f"{_quote(self.columns_)}, in that order; got columns "
            f"{'; '.join(parts)}."
        )

    def _declared_kinds(self, columns):
        """``column_types`` as ``{column: kind}`` (bounds in ``bounds``)."""
        spec = self.column_types
        if not isinstance(spec, dict):
            return {}, {}
        unknown = [c for c in spec if c not in columns]
        if unknown:
            raise ValueError(
                f"column_types names columns that X does not have: "
                f"{_quote(unknown)}; the columns are {_quote(columns)}."
            )
        kinds, bounds = {}, {}
        for col, kind in spec.items():
            if isinstance(kind, tuple) and len(kind) == 3 and kind[0] == "bounded":
                low, high = kind[1], kind[2]
                if not (
                    isinstance(low, Real)
                    and isinstance(high, Real)
                    and np.isfinite([low, high]).all()
                    and low < high
                ):
                    raise ValueError(
                        f"column_types[{col!r}] = {kind!r}: a bounded column "
                        "needs finite bounds low < high, as ('bounded', low, "
                        "high)."
                    )
                kinds[col], bounds[col] = "bounded", (float(low), float(high))
            elif isinstance(kind, str) and kind in KINDS and kind != "bounded":
                kinds[col] = kind
            else:
                raise ValueError(
                    f"column_types[{col!r}] must be one of "
                    f"{_quote(k for k in KINDS if k != 'bounded')} or "
                    f"('bounded', low, high); got {kind!r}."
                )
        return kinds, bounds

    # -------------------------------------------------------------------- fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the kind, dtype, levels and scaling of every column.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            A DataFrame with numeric, bool, ``category``, object or string
            columns, or a 2-D numeric array (every column numeric).
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted encoder. A fit that raises leaves the encoder as it
            was (fitted or not).
        """
        for attr in ("quantile_maps_",):
            self.__dict__.pop(attr, None)  # from a fit with other parameters
        is_frame = isinstance(X, pd.DataFrame)
        frame = self._validate_input(X, reset=True)
        self._fitted_missing = self._missing_mode(X)
        columns = list(frame.columns)
        declared, self.bounds_ = self._declared_kinds(columns)
        self.columns_ = columns if is_frame else None
        self.dtypes_ = list(frame.dtypes)
        self.column_kinds_ = {}
        self.numeric_columns_, self.binary_columns_, self.categorical_columns_ = (
            [],
            [],
            [],
        )
        self.categories_, self.unseen_mass_, self.states_ = {}, {}, {}
        self.data_range_ = {}
        self.output_blocks_ = []
        means, scales, start = [], [], 0
        for col in columns:
            series = frame[col]
            present = ~series.isna().to_numpy()
            if not present.any():
                raise ValueError(
                    f"Column {col!r} has no observed values (all missing); "
                    "drop it before fitting."
                )
            kind, levels = self._fit_kind(col, series[present], declared.get(col))
            self.column_kinds_[col] = kind
            states = ["value"]
            if kind == "nonnegative":
                states.append("zero")
            if not present.all():
                states.append("missing")
            if len(states) > 1:
                self.states_[col] = tuple(states)
                width = len(states)
                self.output_blocks_.append((col, "state", slice(start, start + width)))
                start += width
            if levels is not None:
                self.categories_[col] = levels
                self.unseen_mass_[col] = 1.0 / (present.sum() + 1.0)
                block = "binary" if len(levels) == 2 else "categorical"
                getattr(self, f"{block}_columns_").append(col)
                width = 1 if block == "binary" else len(levels)
            else:
                block = "integer" if kind in INTEGER_KINDS else "numeric"
                self.numeric_columns_.append(col)
                mean, scale = self._fit_scaling(col, kind, self._numbers(series))
                means.append(mean)
                scales.append(scale)
                width = 1
            self.output_blocks_.append((col, block, slice(start, start + width)))
            start += width
        self.n_output_ = start
        self.mean_ = np.array(means, dtype=np.float64)
        self.scale_ = np.array(scales, dtype=np.float64)
        return self

    def _fit_kind(self, col, observed, declared):
        """``(kind, levels)`` of a column from its observed values."""
        dtype = observed.dtype
        base, levels = _column_kind(col, observed)
        if base != "numeric":  # bool, category, object, string
            if declared not in (None, "binary", "categorical", "discrete"):
                raise ValueError(
                    f"column_types[{col!r}] = {declared!r}, but the column is "
                    f"not numeric (dtype {dtype}); it can be 'binary' (two "
                    "levels) or 'categorical'."
                )
            if declared == "binary" and len(levels) != 2:
                raise ValueError(
                    f"column_types[{col!r}] = 'binary', but the column has "
                    f"{len(levels)} levels {_quote(levels)}."
                )
            if declared is not None and len(levels) == 2 and declared != "binary":
                return "categorical", levels  # two one-hot columns would be one
            return base, levels
        values = self._numbers(observed)
        if declared is not None:
            kind = declared
        elif self.column_types == "dtype":
            kind = "continuous"
        else:
            kind = detect_numeric_kind(values)
        # a detected integer kind may hold rare fractions (see Notes); a
        # declared one may not
        bad = ~in_support(
            kind, values, self.bounds_.get(col), integral=declared is not None
        )
        if kind in VALUE_KINDS + INTEGER_KINDS and bad.any():
            raise ValueError(
                f"Column {col!r} is {kind!r}"
                f"{' (declared in column_types)' if declared else ''}, but "
                "holds values outside its support: "
                f"{_quote(values[bad][:5].tolist())}. "
                "Declare another kind in column_types."
            )
        if kind in DISCRETE_KINDS:
            levels = np.unique(values)
            if getattr(getattr(dtype, "numpy_dtype", dtype), "kind", "f") in "iu":
                levels = levels.astype(np.int64)  # integer levels print as such
            if kind == "binary" and len(levels) != 2:
                raise ValueError(
                    f"column_types[{col!r}] = 'binary', but the column has "
                    f"{len(levels)} distinct values."
                )
            if kind == "categorical" and len(levels) == 2:
                kind = "discrete"
            return kind, levels
        self.data_range_[col] = (float(values.min()), float(values.max()))
        return kind, None

    def _fit_scaling(self, col, kind, values):
        """``(mean, scale)`` of the column's values after its support map."""
        values = values[~np.isnan(values)]
        if kind == "nonnegative":
            values = values[values > 0]
            if not len(values):  # declared nonnegative, all zeros
                values = np.ones(1)
        t = self._support_forward(col, kind, values)
        if self.numeric == "quantile" and kind in VALUE_KINDS:
            if not hasattr(self, "quantile_maps_"):
                self.quantile_maps_ = {}
            self.quantile_maps_[col] = fit_quantile_map(t, self.n_quantiles)
            return 0.0, 1.0
        # on t / unit, so that squares of values above 1e154 (or below
        # 1e-154) neither overflow nor underflow; exact, see _binary_unit
        unit = _binary_unit(np.abs(t).max())
        mean = (t / unit).mean() * unit
        scale = (t / unit).std() * unit
        if scale < 10 * np.finfo(np.float64).eps * abs(mean) or scale == 0.0:
            scale = 1.0  # a constant column, as StandardScaler does
        return float(mean), float(scale)

    def _support_forward(self, col, kind, values):
        forward, _, _ = SUPPORT_MAPS[support_map(kind)]
        low, high, _ = support_of(kind, self.bounds_.get(col))
        return forward(values, low, high)

    @staticmethod
    def _numbers(series):
        """A numeric column as float64, missing values as NaN."""
        try:
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"Column {series.name!r} was numeric in fit, but its values "
                f"are not numbers (dtype {series.dtype}): {exc}"
            ) from None

    # -------------------------------------------------------------- transform

    def transform(self, X):
        """Encode `X` as a float matrix laid out as ``output_blocks_``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Data with the columns (names, order, kinds) seen in :meth:`fit`.

        Returns
        -------
        Xt : ndarray of shape (n_samples, ``n_output_``), dtype=float64
            Real-valued and integer columns standardised, binary columns
            0/1, categorical columns one-hot, state blocks one-hot; a level
            not seen in fit is encoded as no level, a value outside its
            column's support at the column's mean (its likelihood is 0, see
            :meth:`log_abs_det_jacobian`).

        Raises
        ------
        ValueError
            For missing values with ``missing="error"``, infinite values,
            for columns other than the training ones, or for an array of
            the wrong width.
        """
        check_is_fitted(self)
        return self._encode(self._validate_input(X, reset=False))[0]

    def _encode_with_correction(self, X):
        """``(Xt, log_correction)`` of `X` (see :meth:`log_abs_det_jacobian`)."""
        check_is_fitted(self)
        return self._encode(self._validate_input(X, reset=False))

    def _column_blocks(self):
        """``{column: {block kind: slice}}`` from ``output_blocks_``."""
        blocks = {}
        for col, kind, block in self.output_blocks_:
            blocks.setdefault(col, {})[kind] = block
        return blocks

    def _encode(self, frame):
        n_samples = frame.shape[0]
        Xt = np.zeros((n_samples, self.n_output_))
        correction = np.zeros(n_samples)
        rows = np.arange(n_samples)
        numeric_index = {c: j for j, c in enumerate(self.numeric_columns_)}
        for col, blocks in self._column_blocks().items():
            kind = self.column_kinds_[col]
            series = frame[col]
            missing = series.isna().to_numpy()
            absent = missing.copy()
            states = self.states_.get(col, ("value",))
            if "missing" not in states:
                correction[missing] = -np.inf  # never missing in training
            if col in self.categories_:
                codes = self._codes(col, series, absent)
                unseen = (codes < 0) & ~absent
                if unseen.any() and self._fitted_params["handle_unknown"] == "error":
                    levels = self.categories_[col]
                    raise ValueError(
                        f"Column {col!r} contains categories not seen in fit: "
                        f"{_quote(_sorted_levels(series[unseen].tolist()))}; "
                        f"known categories are {_quote(levels)}."
                    )
                log_mass = np.log(self.unseen_mass_[col])
                correction += np.where(
                    absent, 0.0, np.where(unseen, log_mass, np.log1p(-np.exp(log_mass)))
                )
                value = blocks.get("binary", blocks.get("categorical"))
                if "binary" in blocks:
                    Xt[:, value.start] = np.where(codes < 0, 0.5, codes)
                else:
                    seen = codes >= 0
                    Xt[rows[seen], value.start + codes[seen]] = 1.0
            else:
                x = self._numbers(series)
                if kind == "nonnegative":
                    absent |= x == 0
                ok = in_support(kind, x, self.bounds_.get(col), integral=False)
                ok |= absent
                correction[~ok] = -np.inf
                use = ~absent & ok
                j = numeric_index[col]
                z, log_jac = self._scale(col, kind, j, x[use])
                value = blocks.get("numeric", blocks.get("integer"))
                Xt[use, value.start] = z
                if kind in VALUE_KINDS:
                    correction[use] += log_jac
            if "state" in blocks:
                code = np.zeros(n_samples, dtype=np.intp)
                if kind == "nonnegative":
                    code[~missing & absent] = states.index("zero")
                if "missing" in states:
                    code[missing] = states.index("missing")
                Xt[rows, blocks["state"].start + code] = 1.0
        return Xt, correction

    def _codes(self, col, series, absent):
        """Index of each value of `series` in ``categories_[col]``, -1 if none."""
        codes = pd.Index(self.categories_[col]).get_indexer_for(series)
        codes[absent] = -1
        return codes.astype(np.intp)

    def _scale(self, col, kind, j, x):
        """Encoded values of the values ``x`` (all in the support), and
        ``log|dz/dx|`` at each (real-valued kinds)."""
        _, _, log_derivative = SUPPORT_MAPS[support_map(kind)]
        low, high, _ = support_of(kind, self.bounds_.get(col))
        t = self._support_forward(col, kind, x)
        log_jac = log_derivative(t, low, high)
        maps = getattr(self, "quantile_maps_", {})
        if col in maps:
            knots, scores = maps[col]
            return quantile_forward(t, knots, scores), log_jac + (
                quantile_log_derivative(t, knots, scores)
            )
        # (t - mean) / scale in units of scale (exact), so that the
        # difference cannot overflow near the float64 maximum
        mean, scale = self.mean_[j], self.scale_[j]
        unit = _binary_unit(scale)
        return (t / unit - mean / unit) / (scale / unit), log_jac - np.log(scale)

    def _unscale(self, col, kind, j, z):
        """The values of the column whose encodings are ``z``."""
        maps = getattr(self, "quantile_maps_", {})
        if col in maps:
            t = quantile_inverse(z, *maps[col])
        else:
            mean, scale = self.mean_[j], self.scale_[j]
            unit = _binary_unit(scale)  # z * scale + mean, as in _scale
            t = (z * (scale / unit) + mean / unit) * unit
        if kind in INTEGER_KINDS:
            x = np.rint(t)
            return np.maximum(x, 0.0) if kind == "count" else x
        _, inverse, _ = SUPPORT_MAPS[support_map(kind)]
        low, high, _ = support_of(kind, self.bounds_.get(col))
        return inverse(t, low, high)

    # ------------------------------------------------------ inverse_transform

    def inverse_transform(self, Xt):
        """Map an encoded matrix back to the original columns and dtypes.

        Parameters
        ----------
        Xt : array-like of shape (n_samples, ``n_output_``)
            Any finite real values: exact encodings, or model outputs laid
            out as ``output_blocks_`` (binary columns as probabilities,
            categorical and state blocks as probabilities or logits).

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, ``n_features_in_``)
            A DataFrame with the training columns, in order, and their
            dtypes (categories and ``ordered`` flags included) when fitted on
            a DataFrame; an array of the training dtype when fitted on an
            array. Every value is in its column's support: binary columns
            take level 1 where the value is > 0.5, categorical blocks the
            level of their argmax, integer columns are rounded (counts at
            least 0), positive and bounded columns strictly inside their
            bounds; a state block's argmax writes a missing value or 0.
        """
        check_is_fitted(self)
        reject_iterator(Xt, "Xt")
        Xt = check_array(Xt, dtype=np.float64, input_name="Xt")
        if Xt.shape[1] != self.n_output_:
            raise ValueError(
                f"Xt has {Xt.shape[1]} columns, but TabularEncoder encodes "
                f"{self.n_features_in_} input columns as {self.n_output_} "
                "output columns (see output_blocks_)."
            )
        numeric_index = {c: j for j, c in enumerate(self.numeric_columns_)}
        data = []
        for (col, blocks), dtype in zip(
            self._column_blocks().items(), self.dtypes_, strict=True
        ):
            kind = self.column_kinds_[col]
            state = np.zeros(Xt.shape[0], dtype=np.intp)
            if "state" in blocks:
                state = np.argmax(Xt[:, blocks["state"]], axis=1)
            states = np.asarray(self.states_.get(col, ("value",)))[state]
            missing = states == "missing"
            if col in self.categories_:
                if "binary" in blocks:
                    codes = (Xt[:, blocks["binary"].start] > 0.5).astype(np.intp)
                else:
                    codes = np.argmax(Xt[:, blocks["categorical"]], axis=1)
                data.append(self._decode_levels(col, codes, missing, dtype))
                continue
            value = blocks.get("numeric", blocks.get("integer"))
            x = self._unscale(col, kind, numeric_index[col], Xt[:, value.start])
            if self._fitted_params["clip"]:
                x = np.clip(x, *self.data_range_[col])
            elif kind in VALUE_KINDS:
                x = _inside_support(x, kind, self.bounds_.get(col), dtype)
            x[states == "zero"] = 0.0
            x[missing] = np.nan
            data.append(_cast_numeric(x, dtype))
        if self.columns_ is None:
            return np.column_stack([np.asarray(v) for v in data]).astype(
                self.dtypes_[0], copy=False
            )
        frame = pd.DataFrame({i: pd.Series(v) for i, v in enumerate(data)})
        frame.columns = pd.Index(self.columns_)
        return frame

    def _decode_levels(self, col, codes, missing, dtype):
        """The levels of ``codes`` (missing where ``missing``) as ``dtype``."""
        if isinstance(dtype, pd.CategoricalDtype):
            return pd.Categorical.from_codes(np.where(missing, -1, codes), dtype=dtype)
        levels = self.categories_[col]
        if pdt.is_numeric_dtype(dtype) and not pdt.is_bool_dtype(dtype):
            values = levels[codes].astype(np.float64)
            values[missing] = np.nan
            return _cast_numeric(values, dtype)
        values = pd.Series(levels[codes], dtype=object)
        values[missing] = None
        return values.astype(dtype)

    # ------------------------------------------------------------ likelihoods

    def log_abs_det_jacobian(self, X):
        """log|det dT/dx| of the encoding at each row of `X`.

        ``GenerativePipeline`` adds it to the log-likelihood of the encoded
        data to report log-likelihoods in the original space. Defined when
        every column is real-valued (``continuous``, ``positive``,
        ``proportion``, ``bounded``) without missing values: the sum over
        columns of the log-derivatives of the support map and of the
        standardisation (``-log scale_``, or the quantile map's segment
        slope), and ``-inf`` for a row with a value outside its column's
        support.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The data to encode.

        Returns
        -------
        log_det : ndarray of shape (n_samples,)

        Raises
        ------
        ValueError
            With discrete, integer, nonnegative or missing-value columns:
            their values have a probability mass, not a density, so no
            change of variables relates them to their encodings. skgen's
            tabular models (:class:`~skgen.neural.VAE`) model them.
        """
        check_is_fitted(self)
        discrete = [
            c
            for c, k in self.column_kinds_.items()
            if k not in VALUE_KINDS or k == "nonnegative" or c in self.states_
        ]
        if discrete:
            kinds = [
                f"{c!r} ({self.column_kinds_[c]}"
                f"{', missing values' if 'missing' in self.states_.get(c, ()) else ''})"
                for c in discrete
            ]
            raise ValueError(
                "The likelihood in the original space is not defined through "
                "TabularEncoder for columns with a probability mass rather "
                f"than a density: [{', '.join(kinds[:_MAX_QUOTED])}"
                f"{', ...' if len(kinds) > _MAX_QUOTED else ''}] (discrete, "
                "integer, nonnegative or with missing values): no change of "
                "variables relates such a value to its encoding. Model the "
                "table with skgen's VAE, which handles every kind, or declare "
                "those columns 'continuous' in column_types."
            )
        return self._encode_with_correction(X)[1]

    # ------------------------------------------------------- feature names

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns, laid out as ``output_blocks_``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; by default ``feature_names_in_`` (or
            ``x0, x1, ...`` when fitted without string names).

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``"age"`` for a real-valued, integer or bool column,
            ``"sex_male"`` for a binary column (its level 1),
            ``"color_red", ...`` for a categorical block, ``"bill_value",
            "bill_missing"`` for a state block.
        """
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        name_of = dict(zip(self._column_blocks(), input_features, strict=True))
        dtype_of = dict(zip(self._column_blocks(), self.dtypes_, strict=True))
        names = []
        for col, kind, _ in self.output_blocks_:
            name = name_of[col]
            if kind == "state":
                names.extend(f"{name}_{state}" for state in self.states_[col])
            elif kind in ("numeric", "integer") or (
                kind == "binary" and pdt.is_bool_dtype(dtype_of[col])
            ):
                names.append(str(name))
            elif kind == "binary":
                names.append(f"{name}_{self.categories_[col][1]}")
            else:
                names.extend(f"{name}_{level}" for level in self.categories_[col])
        return np.asarray(names, dtype=object)

    # --------------------------------------------------------- for models

    def _likelihood_layout(self):
        """What a model of the encoded rows needs beyond the block kinds.

        Returns
        -------
        masks : list of int
            For each block of ``output_blocks_``, the encoded column that is
            1 where the block's value is there (its column's ``"value"``
            state), or -1 (always there).
        integer_bins : list of tuple
            For each ``"integer"`` block, in order, ``(half_width,
            censor_below)`` in encoded units: the bin of an encoded value
            ``z`` is ``[z - half_width, z + half_width)``, and below
            ``-inf`` for ``z < censor_below`` (the 0 of a count column),
            ``censor_below`` being ``-inf`` for an ``integer`` column.
        """
        numeric_index = {c: j for j, c in enumerate(self.numeric_columns_)}
        masks, bins = [], []
        for col, kind, _ in self.output_blocks_:
            state = self._column_blocks()[col].get("state")
            masks.append(-1 if state is None or kind == "state" else state.start)
            if kind == "integer":
                j = numeric_index[col]
                half = 0.5 / self.scale_[j]
                low = -np.inf
                if self.column_kinds_[col] == "count":
                    low = float(self._scale(col, "count", j, np.zeros(1))[0][0]) + half
                bins.append((float(half), low))
        return masks, bins

    def __getstate__(self):
        state = dict(super().__getstate__())  # may be self.__dict__ itself
        if "dtypes_" in state:
            # pandas dtypes hold objects skops cannot persist; keep their specs
            state["dtypes_"] = [_dtype_to_spec(d) for d in state["dtypes_"]]
        return state

    def __setstate__(self, state):
        if "dtypes_" in state:
            state = {
                **state,
                "dtypes_": [_spec_to_dtype(spec) for spec in state["dtypes_"]],
            }
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True  # object and string DataFrame columns
        tags.input_tags.allow_nan = False  # arrays: missing="auto" is "error"
        return tags
