"""An invertible encoder from mixed-type tables to real-valued matrices.

:class:`TabularEncoder` is the first step of every tabular generative model
in skgen (VAE, GANs): it maps a DataFrame of numeric, boolean and
categorical columns to a float matrix, and ``inverse_transform`` maps model
outputs back to a DataFrame with the original columns, dtypes and
categories. Its ``output_blocks_`` tell a model which output columns are a
Gaussian, a Bernoulli or one softmax group.
"""

from numbers import Integral
from typing import ClassVar

import numpy as np
import pandas as pd
from pandas.api import types as pdt
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import QuantileTransformer
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    validate_data,
)

from skgen.base import fit_atomically
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


class TabularEncoder(TransformerMixin, BaseEstimator):
    """Invertible encoding of a mixed-type table as a float matrix.

    Numeric columns are standardised (or mapped to a standard normal through
    their quantiles), boolean and two-level columns become one 0/1 column,
    and other categorical columns become one-hot blocks. ``inverse_transform``
    maps any real-valued matrix of that width (exact encodings, or the raw
    outputs of a generative model) back to a DataFrame with the original
    columns, dtypes and categories.

    Parameters
    ----------
    numeric : {"standard", "quantile"}, default="standard"
        How numeric columns are encoded: ``"standard"`` subtracts the mean and
        divides by the standard deviation (1 for a constant column);
        ``"quantile"`` maps each column to a standard normal with
        :class:`sklearn.preprocessing.QuantileTransformer`.
    categorical : {"onehot"}, default="onehot"
        How categorical columns with more than two levels are encoded: one
        indicator column per level.
    n_quantiles : int, default=1000
        Number of quantiles with ``numeric="quantile"`` (at most the number
        of training samples is used).
    random_state : int, RandomState instance or None, default=None
        Seeds the subsampling of ``QuantileTransformer`` (``numeric="quantile"``
        with more than 10,000 training rows); otherwise unused.
    missing : {"error"}, default="error"
        What to do with missing values (NaN, None, ``pd.NA``, NaT): raise a
        ValueError that names the columns holding them.

    Attributes
    ----------
    columns_ : list or None
        The column names of the training DataFrame, in order; None when
        fitted on an array (columns are then the integers ``0..n-1`` in
        ``output_blocks_`` and the other attributes).
    dtypes_ : list of dtype of length ``n_features_in_``
        The dtype of each input column (numpy or pandas extension dtype);
        ``inverse_transform`` restores them.
    numeric_columns_ : list
        Names of the columns encoded as numbers (Gaussian blocks).
    binary_columns_ : list
        Names of the bool columns and categorical columns with exactly two
        levels: one 0/1 output column each.
    categorical_columns_ : list
        Names of the categorical columns with one level or more than two:
        one one-hot block each.
    categories_ : dict of column name to ndarray
        The levels of every binary and categorical column: the
        ``categories`` of a ``category`` column (its order, unobserved
        levels included), ``[False, True]`` for a bool column, otherwise the
        sorted distinct values seen in ``fit``.
    output_blocks_ : list of tuple (column, kind, slice)
        The layout of the output of :meth:`transform`, one entry per input
        column, in input order; ``kind`` is ``"numeric"``, ``"binary"`` or
        ``"categorical"`` and ``slice`` selects its output columns. See Notes.
    n_output_ : int
        Number of output columns, ``output_blocks_[-1][2].stop``.
    mean_ : ndarray of shape (n_numeric,)
        Mean of each numeric column (``numeric="standard"`` only).
    scale_ : ndarray of shape (n_numeric,)
        Standard deviation of each numeric column, 1 where it is 0
        (``numeric="standard"`` only). Computed in units of a power of two
        near each column's largest magnitude, so it is exact (the same bits
        as ``np.std``) and finite for any finite values, 1e300 or 1e-300
        included.
    quantile_transformer_ : QuantileTransformer
        Fitted on the numeric columns (``numeric="quantile"`` with numeric
        columns only).
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the input columns, when fitted on a DataFrame whose column
        names are all strings.

    See Also
    --------
    sklearn.preprocessing.OneHotEncoder : One-hot encoding, not invertible
        to the original dtypes.
    sklearn.preprocessing.QuantileTransformer : The ``numeric="quantile"`` map.
    skgen.pipeline.make_generative_pipeline : Chain the encoder and a model.

    Notes
    -----
    **Output layout.** ``output_blocks_`` is the contract between the encoder
    and a tabular generative model. Each input column owns one contiguous
    block of output columns, in input-column order:

    - ``("age", "numeric", slice(j, j + 1))``: one real column, standardised
      (or normal scores); a model puts a Gaussian (or any real density) on it.
    - ``("smoker", "binary", slice(j, j + 1))``: one column in {0, 1}, 1 for
      ``categories_["smoker"][1]`` (``True`` for a bool column); a model
      puts a Bernoulli on it and outputs its **probability**:
      ``inverse_transform`` takes level 1 where the value is > 0.5, so pass
      sigmoid outputs, not logits.
    - ``("color", "categorical", slice(j, j + k))``: ``k`` one-hot columns,
      column ``j + i`` for ``categories_["color"][i]``; a model puts one
      softmax over the block. ``inverse_transform`` takes the argmax of the
      block (ties go to the first level), so probabilities and logits both
      work.

    Output feature names (:meth:`get_feature_names_out`) follow the same
    layout: ``"age"``; ``"smoker"`` for a bool column and
    ``"sex_male"`` (the level that is 1) for other binary columns;
    ``"color_red", "color_blue", ...``.

    **Inverse.** ``inverse_transform`` accepts any finite real matrix of
    width ``n_output_``. Numeric columns are unscaled (integer columns are
    rounded and clipped to the range of their dtype), discrete blocks are
    decoded as above, and every column gets its training dtype back:
    ``category`` with the same categories and ``ordered`` flag, ``bool``,
    the exact integer and float dtypes, ``object`` and string dtypes.
    ``inverse_transform(transform(X))`` equals ``X`` (to rounding for
    floats).

    **Likelihoods.** With only numeric columns and ``numeric="standard"``
    the encoding is affine, ``z = (x - mean_) / scale_``, and
    :meth:`log_abs_det_jacobian` returns :math:`-\\sum_j \\log s_j`, so a
    ``GenerativePipeline`` reports densities of the original data. With
    discrete columns there is no change of variables between a discrete
    value and a point in the encoded space, so it raises a ValueError.

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
    >>> enc.output_blocks_
    [('age', 'numeric', slice(0, 1, None)), ('color', 'categorical', slice(1, 4, None)), ('smoker', 'binary', slice(4, 5, None))]
    >>> enc.get_feature_names_out().tolist()
    ['age', 'color_blue', 'color_green', 'color_red', 'smoker']
    >>> Xt = enc.transform(df)
    >>> Xt[0]
    array([-1.34164079,  0.        ,  0.        ,  1.        ,  1.        ])
    >>> enc.inverse_transform(Xt).equals(df)
    True
    """  # noqa: E501

    _parameter_constraints: ClassVar[dict] = {
        "numeric": [StrOptions({"standard", "quantile"})],
        "categorical": [StrOptions({"onehot"})],
        "n_quantiles": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "missing": [StrOptions({"error"})],
    }

    def __init__(
        self,
        *,
        numeric="standard",
        categorical="onehot",
        n_quantiles=1000,
        random_state=None,
        missing="error",
    ):
        self.numeric = numeric
        self.categorical = categorical
        self.n_quantiles = n_quantiles
        self.random_state = random_state
        self.missing = missing

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
        self._check_missing(frame)
        return frame

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

    def _check_missing(self, frame):
        check_complete(frame, "TabularEncoder(missing='error')")

    # -------------------------------------------------------------------- fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the kind, dtype, levels and scaling of every column.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            A DataFrame with numeric, bool, ``category``, object or string
            columns, or a 2-D numeric array (every column numeric). No
            missing values.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted encoder. A fit that raises leaves the encoder as it
            was (fitted or not).
        """
        for attr in ("mean_", "scale_", "quantile_transformer_"):
            self.__dict__.pop(attr, None)  # from a fit with other parameters
        is_frame = isinstance(X, pd.DataFrame)
        frame = self._validate_input(X, reset=True)
        columns = list(frame.columns)
        self.columns_ = columns if is_frame else None
        self.dtypes_ = list(frame.dtypes)
        self.numeric_columns_ = []
        self.binary_columns_ = []
        self.categorical_columns_ = []
        self.categories_ = {}
        self.output_blocks_ = []
        start = 0
        for col in columns:
            kind, levels = _column_kind(col, frame[col])
            width = len(levels) if kind == "categorical" else 1
            getattr(self, f"{kind}_columns_").append(col)
            if levels is not None:
                self.categories_[col] = levels
            self.output_blocks_.append((col, kind, slice(start, start + width)))
            start += width
        self.n_output_ = start

        numeric = self._numeric_values(frame)
        if self.numeric == "standard":
            # on x / unit, so that squares of values above 1e154 (or below
            # 1e-154) neither overflow nor underflow; exact, see _binary_unit
            unit = _binary_unit(np.abs(numeric).max(axis=0))
            self.mean_ = (numeric / unit).mean(axis=0) * unit
            scale = (numeric / unit).std(axis=0) * unit
            # constant columns: scale 1, as StandardScaler does
            scale[scale < 10 * np.finfo(np.float64).eps * np.abs(self.mean_)] = 1.0
            scale[scale == 0.0] = 1.0
            self.scale_ = scale
        elif self.numeric_columns_:
            self.quantile_transformer_ = QuantileTransformer(
                n_quantiles=min(self.n_quantiles, numeric.shape[0]),
                output_distribution="normal",
                random_state=self.random_state,
            ).fit(numeric)
        return self

    def _numeric_values(self, frame):
        """The numeric columns of `frame` as a float64 matrix."""
        values = np.empty((frame.shape[0], len(self.numeric_columns_)))
        for j, col in enumerate(self.numeric_columns_):
            try:
                values[:, j] = frame[col].to_numpy(dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"Column {col!r} was numeric in fit, but its values are "
                    f"not numbers (dtype {frame[col].dtype}): {exc}"
                ) from None
        return values

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
            Numeric columns scaled, binary columns 0/1, categorical columns
            one-hot.

        Raises
        ------
        ValueError
            For missing values, for values of a binary or categorical column
            not seen in fit, for columns other than the training ones, or
            for an array of the wrong width.
        """
        check_is_fitted(self)
        frame = self._validate_input(X, reset=False)
        n_samples = frame.shape[0]
        Xt = np.zeros((n_samples, self.n_output_))
        rows = np.arange(n_samples)
        numeric_pos = []
        for col, kind, block in self.output_blocks_:
            if kind == "numeric":
                numeric_pos.append(block.start)
                continue
            codes = self._codes(col, frame[col])
            if kind == "binary":
                Xt[:, block.start] = codes
            else:
                Xt[rows, block.start + codes] = 1.0
        if numeric_pos:
            Xt[:, numeric_pos] = self._scale(self._numeric_values(frame))
        return Xt

    def _codes(self, col, series):
        """Index of each value of `series` in ``categories_[col]``."""
        levels = self.categories_[col]
        codes = pd.Index(levels).get_indexer_for(series)
        unseen = codes < 0
        if unseen.any():
            values = _sorted_levels(series[unseen].tolist())
            raise ValueError(
                f"Column {col!r} contains categories not seen in fit: "
                f"{_quote(values)}; known categories are {_quote(levels)}."
            )
        return codes.astype(np.intp)

    def _scale(self, numeric):
        if self._fitted_params["numeric"] == "standard":
            # (x - mean_) / scale_, computed in units of scale_ (exact) so
            # that the difference cannot overflow near the float64 maximum
            unit = _binary_unit(self.scale_)
            return (numeric / unit - self.mean_ / unit) / (self.scale_ / unit)
        return self.quantile_transformer_.transform(numeric)

    def _unscale(self, z):
        if self._fitted_params["numeric"] == "standard":
            unit = _binary_unit(self.scale_)  # z * scale_ + mean_, as above
            return (z * (self.scale_ / unit) + self.mean_ / unit) * unit
        return self.quantile_transformer_.inverse_transform(z)

    # ------------------------------------------------------ inverse_transform

    def inverse_transform(self, Xt):
        """Map an encoded matrix back to the original columns and dtypes.

        Parameters
        ----------
        Xt : array-like of shape (n_samples, ``n_output_``)
            Any finite real values: exact encodings, or model outputs laid
            out as ``output_blocks_`` (binary columns as probabilities,
            categorical blocks as probabilities or logits).

        Returns
        -------
        X : DataFrame or ndarray of shape (n_samples, ``n_features_in_``)
            A DataFrame with the training columns, in order, and their
            dtypes (categories and ``ordered`` flags included) when fitted on
            a DataFrame; an array of the training dtype when fitted on an
            array. Binary columns take level 1 where the value is > 0.5,
            categorical blocks the level of their argmax, integer columns
            are rounded.
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
        numeric_pos = [b.start for _, k, b in self.output_blocks_ if k == "numeric"]
        numeric = self._unscale(Xt[:, numeric_pos]) if numeric_pos else None
        data = {}
        i_num = 0
        for (col, kind, block), dtype in zip(
            self.output_blocks_, self.dtypes_, strict=True
        ):
            if kind == "numeric":
                data[col] = _cast_numeric(numeric[:, i_num], dtype)
                i_num += 1
                continue
            if kind == "binary":
                codes = (Xt[:, block.start] > 0.5).astype(np.intp)
            else:
                codes = np.argmax(Xt[:, block], axis=1)
            if isinstance(dtype, pd.CategoricalDtype):
                data[col] = pd.Categorical.from_codes(codes, dtype=dtype)
            else:
                data[col] = pd.Series(self.categories_[col][codes]).astype(dtype)
        if self.columns_ is None:
            return np.column_stack([np.asarray(v) for v in data.values()]).astype(
                self.dtypes_[0], copy=False
            )
        frame = pd.DataFrame({i: pd.Series(v) for i, v in enumerate(data.values())})
        frame.columns = pd.Index(self.columns_)
        return frame

    # ------------------------------------------------------------ likelihoods

    def log_abs_det_jacobian(self, X):
        """log|det dT/dx| of the encoding at each row of `X`.

        ``GenerativePipeline`` adds it to the log-likelihood of the encoded
        data to report log-likelihoods in the original space. Defined for an
        all-numeric encoder with ``numeric="standard"``: the affine map
        ``(x - mean_) / scale_`` has log-Jacobian ``-sum(log(scale_))``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The data to encode.

        Returns
        -------
        log_det : ndarray of shape (n_samples,)
            ``-sum(log(scale_))`` for every row.

        Raises
        ------
        ValueError
            With binary or categorical columns (discrete values have no
            density, so there is no change of variables), or with
            ``numeric="quantile"`` (not implemented).
        """
        check_is_fitted(self)
        discrete = self.binary_columns_ + self.categorical_columns_
        if discrete:
            raise ValueError(
                "The likelihood in the original space is not defined through "
                "TabularEncoder when there are binary or categorical columns "
                f"({_quote(discrete)}): a discrete value has no density, so no "
                "change of variables relates it to its encoding. Score such "
                "data with a model of the encoded table, outside a "
                "GenerativePipeline, or encode only numeric columns."
            )
        numeric = self._fitted_params["numeric"]
        if numeric != "standard":
            raise ValueError(
                "log_abs_det_jacobian is not implemented for "
                f"TabularEncoder(numeric={numeric!r}); use "
                "numeric='standard' to score in the original space."
            )
        n_samples = self._validate_input(X, reset=False).shape[0]
        return np.full(n_samples, -np.sum(np.log(self.scale_)))

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
            ``"age"`` for a numeric or bool column, ``"sex_male"`` for a
            binary column (its level 1), ``"color_red", ...`` for a
            categorical block.
        """
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        names = []
        for name, (col, kind, _), dtype in zip(
            input_features, self.output_blocks_, self.dtypes_, strict=True
        ):
            if kind == "numeric" or (kind == "binary" and pdt.is_bool_dtype(dtype)):
                names.append(str(name))
            elif kind == "binary":
                names.append(f"{name}_{self.categories_[col][1]}")
            else:
                names.extend(f"{name}_{level}" for level in self.categories_[col])
        return np.asarray(names, dtype=object)

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
        tags.input_tags.allow_nan = False
        return tags
