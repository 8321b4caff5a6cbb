"""Fairness: do generated data represent groups as the real data do?"""

from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api import types as pdt

from skgen.utils._compat import validate_params


class RepresentationGapResult(NamedTuple):
    """Result of :func:`representation_gap`.

    Attributes
    ----------
    table : DataFrame
        One row per group (index: the group values), see
        :func:`representation_gap`.
    max_share_gap : float
        Largest absolute difference of a group's share, generated - real.
    max_outcome_gap : float
        Largest absolute difference of a group's outcome rate over the
        groups present in both samples; NaN without ``outcome``.
    """

    table: pd.DataFrame
    max_share_gap: float
    max_outcome_gap: float


def _as_frame(X, name):
    if isinstance(X, pd.DataFrame):
        return X
    values = np.asarray(X, dtype=object) if not hasattr(X, "dtype") else np.asarray(X)
    if values.ndim != 2:
        raise ValueError(
            f"{name} must be a DataFrame or a 2-D array; got an array with "
            f"{values.ndim} dimension(s)."
        )
    return pd.DataFrame(values).infer_objects()


def _column(frame, column, name, role):
    if isinstance(column, Integral) and not isinstance(column, bool):
        if column in frame.columns:
            series = frame[column]
        elif isinstance(frame.columns, pd.RangeIndex):
            if not -frame.shape[1] <= column < frame.shape[1]:
                raise ValueError(
                    f"{role}={column} is not a column index of {name}, which "
                    f"has {frame.shape[1]} columns."
                )
            series = frame.iloc[:, column]
        else:
            raise ValueError(
                f"{role}={column!r} is not a column of {name}; its columns are "
                f"{list(frame.columns)[:10]}."
            )
    elif column in frame.columns:
        series = frame[column]
    else:
        raise ValueError(
            f"{role}={column!r} is not a column of {name}; its columns are "
            f"{list(frame.columns)[:10]}."
        )
    if series.shape[0] == 0:
        raise ValueError(f"{name} must have at least 1 row; got 0.")
    if series.isna().any():
        raise ValueError(
            f"Column {column!r} ({role}) of {name} contains missing values; "
            "drop or label them first."
        )
    return series


def _outcome_indicator(series, positive_label, name):
    """The outcome as floats: its values (bool, numeric) or == positive_label."""
    if positive_label is not None:
        return (series == positive_label).to_numpy(dtype=np.float64)
    if pdt.is_bool_dtype(series.dtype) or (
        pdt.is_numeric_dtype(series.dtype)
        and not isinstance(series.dtype, pd.CategoricalDtype)
    ):
        return series.to_numpy(dtype=np.float64)
    levels = sorted(map(str, pd.unique(series)))[:10]
    raise ValueError(
        f"The outcome column of {name} is not bool or numeric (values such as "
        f"{levels}); pass positive_label to say which value counts as the "
        "outcome."
    )


@validate_params(
    {
        "X_real": ["array-like"],
        "X_generated": ["array-like"],
        "sensitive": [str, Integral],
        "outcome": [str, Integral, None],
        "positive_label": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def representation_gap(
    X_real, X_generated, *, sensitive, outcome=None, positive_label=None
):
    """Group shares and outcome rates per group, real against generated.

    Parameters
    ----------
    X_real : DataFrame or array-like of shape (n_real, n_features)
        Real rows.
    X_generated : DataFrame or array-like of shape (n_generated, n_features)
        Generated rows with the same columns.
    sensitive : str or int
        The column that defines the groups: a column name of a DataFrame,
        or a column index of an array (or of a DataFrame with integer
        column names).
    outcome : str, int or None, default=None
        An outcome column. Bool and numeric columns are averaged per group
        (the rate of a 0/1 or bool outcome); other columns need
        ``positive_label``.
    positive_label : object, default=None
        The outcome value whose rate is compared (for example ``">50K"``);
        when given, the rate is the share of rows with that value.

    Returns
    -------
    result : RepresentationGapResult
        Named tuple ``(table, max_share_gap, max_outcome_gap)``. ``table``
        has one row per group seen in either sample (sorted) and columns
        ``n_real``, ``n_generated``, ``share_real``, ``share_generated``,
        ``share_gap`` (generated - real) and, with ``outcome``,
        ``outcome_rate_real``, ``outcome_rate_generated`` and
        ``outcome_rate_gap`` (NaN for a group missing from a sample).

    Notes
    -----
    A generator can match the overall distribution and still under-represent
    a small group, or learn a different outcome rate for it, which a
    classifier trained on the generated data would then inherit. The
    maximum absolute gaps summarise both.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgen.metrics import representation_gap
    >>> real = pd.DataFrame({"sex": ["f", "f", "m", "m"], "hired": [1, 0, 1, 1]})
    >>> synth = pd.DataFrame({"sex": ["f", "m", "m", "m"], "hired": [0, 1, 1, 0]})
    >>> res = representation_gap(real, synth, sensitive="sex", outcome="hired")
    >>> cols = ["share_real", "share_generated", "share_gap"]
    >>> res.table[cols]  # doctest: +NORMALIZE_WHITESPACE
         share_real  share_generated  share_gap
    sex
    f           0.5             0.25      -0.25
    m           0.5             0.75       0.25
    >>> res.max_share_gap, res.max_outcome_gap
    (0.25, 0.5)
    """
    real = _as_frame(X_real, "X_real")
    gen = _as_frame(X_generated, "X_generated")
    if real.shape[1] != gen.shape[1]:
        raise ValueError(
            f"X_generated has {gen.shape[1]} columns, but X_real has "
            f"{real.shape[1]}; they must have the same columns."
        )
    s_real = _column(real, sensitive, "X_real", "sensitive")
    s_gen = _column(gen, sensitive, "X_generated", "sensitive")
    n_real = s_real.value_counts(sort=False)
    n_gen = s_gen.value_counts(sort=False)
    groups = n_real.index.union(n_gen.index)
    if isinstance(s_real.dtype, pd.CategoricalDtype):
        groups = groups[
            groups.isin(n_real.index[n_real > 0]) | groups.isin(n_gen.index[n_gen > 0])
        ]
    try:
        groups = groups.sort_values()
    except TypeError:  # values of mixed types that do not compare
        pass
    table = pd.DataFrame(index=groups)
    table.index.name = s_real.name if isinstance(real, pd.DataFrame) else sensitive
    table["n_real"] = n_real.reindex(groups, fill_value=0).astype(int)
    table["n_generated"] = n_gen.reindex(groups, fill_value=0).astype(int)
    table["share_real"] = table["n_real"] / s_real.shape[0]
    table["share_generated"] = table["n_generated"] / s_gen.shape[0]
    table["share_gap"] = table["share_generated"] - table["share_real"]
    max_share_gap = float(table["share_gap"].abs().max())
    max_outcome_gap = float("nan")
    if outcome is not None:
        o_real = _outcome_indicator(
            _column(real, outcome, "X_real", "outcome"), positive_label, "X_real"
        )
        o_gen = _outcome_indicator(
            _column(gen, outcome, "X_generated", "outcome"),
            positive_label,
            "X_generated",
        )
        rate_real = pd.Series(o_real, index=s_real.to_numpy()).groupby(level=0).mean()
        rate_gen = pd.Series(o_gen, index=s_gen.to_numpy()).groupby(level=0).mean()
        table["outcome_rate_real"] = rate_real.reindex(groups).to_numpy()
        table["outcome_rate_generated"] = rate_gen.reindex(groups).to_numpy()
        table["outcome_rate_gap"] = (
            table["outcome_rate_generated"] - table["outcome_rate_real"]
        )
        gaps = table["outcome_rate_gap"].abs().dropna()
        if gaps.shape[0]:
            max_outcome_gap = float(gaps.max())
    return RepresentationGapResult(table, max_share_gap, max_outcome_gap)
