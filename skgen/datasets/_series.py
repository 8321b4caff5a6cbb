"""Real time series that ship inside statsmodels, and windows cut from them."""

from numbers import Integral

import numpy as np
from sklearn.utils import Bunch

from skgen.utils._compat import Interval, StrOptions, validate_params

__all__ = ["load_series", "window_series"]

#: The macrodata columns whose growth rates ``load_series("macrodata")`` gives.
_MACRO_COLUMNS = ("realgdp", "realcons", "realinv")


def _statsmodels_datasets():
    try:
        from statsmodels import datasets
    except ImportError:  # a dev dependency, not a core one
        raise ImportError(
            "load_series needs the package 'statsmodels', which ships the "
            "series (no download): pip install statsmodels"
        ) from None
    return datasets


def _macrodata(datasets):
    frame = datasets.macrodata.load_pandas().data
    levels = frame[list(_MACRO_COLUMNS)].to_numpy(dtype=float)
    data = 400.0 * np.diff(np.log(levels), axis=0)
    quarter = frame["year"].to_numpy() + (frame["quarter"].to_numpy() - 1) / 4
    names = [f"{column}_growth" for column in _MACRO_COLUMNS]
    descr = (
        "US macroeconomic growth rates (statsmodels macrodata)\n"
        "-----------------------------------------------------\n\n"
        f"Quarterly growth, in % a year, of {', '.join(_MACRO_COLUMNS)} "
        "(real GDP, real personal consumption, real private investment; "
        "US Federal Reserve data via FRED, 1959Q1-2009Q3, public domain): "
        "400 * diff(log(level)), so a step is the growth from the previous "
        f"quarter to this one. {data.shape[0]} quarters (1959Q2-2009Q3) and "
        f"{data.shape[1]} features. time is the year of each quarter's start "
        "(1959.25 is 1959Q2).\n"
    )
    return Bunch(data=data, time=quarter[1:], feature_names=names, DESCR=descr)


def _sunspots(datasets):
    frame = datasets.sunspots.load_pandas().data
    data = np.sqrt(frame["SUNACTIVITY"].to_numpy(dtype=float))[:, None]
    descr = (
        "Yearly sunspot activity (statsmodels sunspots)\n"
        "----------------------------------------------\n\n"
        "The square root of the yearly sunspot number, 1700-2008 (National "
        "Geophysical Data Center, public domain): "
        f"{data.shape[0]} years, one feature. The square root stabilises the "
        "variance (the spread of a count grows with its level); square the "
        "data for the raw numbers. The series cycles about every 11 years.\n"
    )
    return Bunch(
        data=data,
        time=frame["YEAR"].to_numpy(dtype=float),
        feature_names=["sqrt_sunactivity"],
        DESCR=descr,
    )


_LOADERS = {"macrodata": _macrodata, "sunspots": _sunspots}


@validate_params(
    {"name": [StrOptions(set(_LOADERS))]},
    prefer_skip_nested_validation=True,
)
def load_series(name):
    """Load a real time series that ships inside statsmodels (no download).

    ``"macrodata"``: the quarterly growth rates, in % a year
    (``400 * diff(log(level))``), of US real GDP (``realgdp``), real
    personal consumption (``realcons``) and real private investment
    (``realinv``), 1959Q2-2009Q3: 202 steps, 3 features.

    ``"sunspots"``: the square root of the yearly sunspot number,
    1700-2008: 309 steps, 1 feature. The square root stabilises the
    variance of the counts.

    Cut the series into sequences with :func:`window_series`: skgen's
    sequence models take a list of sequences and cross-validate over them.

    Parameters
    ----------
    name : {"macrodata", "sunspots"}
        The series.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : ndarray of shape (n_steps, n_features)
            The series, one row per time step, in time order.
        time : ndarray of shape (n_steps,)
            The time of each step, in years (a quarter starting in April
            1960 is 1960.25).
        feature_names : list of str
            The name of each column of ``data``.
        DESCR : str
            A description of the series, its source and its transform.

    Raises
    ------
    ImportError
        When statsmodels, which ships the data, is not installed.

    See Also
    --------
    window_series : Cut a series into windows, one sequence each.
    skgen.hmm.GaussianHMM : A model of continuous sequences.

    Examples
    --------
    >>> from skgen.datasets import load_series
    >>> macro = load_series("macrodata")
    >>> macro.data.shape
    (202, 3)
    >>> macro.feature_names
    ['realgdp_growth', 'realcons_growth', 'realinv_growth']
    >>> load_series("sunspots").data.shape
    (309, 1)
    """
    return _LOADERS[name](_statsmodels_datasets())


@validate_params(
    {
        "series": ["array-like"],
        "length": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def window_series(series, length, *, stride=None):
    """Cut one long series into windows, each a sequence of its own.

    Window ``i`` is ``series[i * stride : i * stride + length]``, for every
    ``i`` whose window fits: the last ``(n_steps - length) % stride`` steps
    (fewer than a stride) are left out.

    Windows that overlap (``stride < length``) share steps, so a
    cross-validation over them leaks between folds: keep the default
    (``stride=length``, disjoint windows) to cross-validate, or keep
    overlapping windows of the same stretch in one fold (``GroupKFold``).

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features)
        The series, in time order. A 1-D series is one feature.
    length : int
        Steps per window, at most ``n_steps``.
    stride : int, default=None
        Steps from the start of one window to the start of the next.
        ``None``: ``length`` (disjoint windows that tile the series).

    Returns
    -------
    windows : list of ndarray of shape (length, n_features)
        The windows, in time order, as float arrays (copies): the continuous
        sequences :class:`~skgen.hmm.GaussianHMM` and the language models
        take.

    See Also
    --------
    load_series : Real series to cut.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.datasets import window_series
    >>> windows = window_series(np.arange(7.0), 3)
    >>> [w.ravel().tolist() for w in windows]
    [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    >>> len(window_series(np.arange(7.0), 3, stride=2))
    3
    """
    values = np.asarray(series)
    if values.dtype == object or not (
        np.issubdtype(values.dtype, np.number) or values.dtype == bool
    ):
        raise TypeError(
            f"series must hold numbers; got an array of dtype {values.dtype}."
        )
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(
            "series must be 1-D (n_steps,) or 2-D (n_steps, n_features); got "
            f"an array of shape {values.shape}."
        )
    n_steps = values.shape[0]
    if length > n_steps:
        raise ValueError(
            f"length must be at most the series' {n_steps} steps; got {length}."
        )
    step = length if stride is None else stride
    starts = np.arange(0, n_steps - length + 1, step)
    windows = values[starts[:, None] + np.arange(length)].astype(float)
    return list(windows)
