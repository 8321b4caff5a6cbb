"""Tests of load_series and window_series: values, shapes, windows, errors."""

import builtins

import numpy as np
import pytest

from skgen.datasets import load_series, window_series

statsmodels_datasets = pytest.importorskip("statsmodels.datasets")


# ------------------------------------------------------------ load_series


def test_macrodata_is_annualised_log_growth_of_three_columns():
    raw = statsmodels_datasets.macrodata.load_pandas().data
    series = load_series("macrodata")
    assert series.feature_names == [
        "realgdp_growth",
        "realcons_growth",
        "realinv_growth",
    ]
    assert series.data.shape == (len(raw) - 1, 3) == (202, 3)
    assert series.data.dtype == np.float64
    for j, column in enumerate(["realgdp", "realcons", "realinv"]):
        level = raw[column].to_numpy()
        # One quarter at a time, by hand: 400 * log(x_t / x_{t-1}).
        expected = [400 * np.log(level[t] / level[t - 1]) for t in range(1, len(raw))]
        np.testing.assert_allclose(series.data[:, j], expected, rtol=0, atol=1e-9)
    # 1959Q2 is the first growth rate; 2009Q3 the last.
    assert series.time[0] == 1959.25
    assert series.time[-1] == 2009.5
    np.testing.assert_allclose(np.diff(series.time), 0.25)
    assert "realgdp" in series.DESCR and "400" in series.DESCR


def test_sunspots_is_the_square_root_of_the_yearly_numbers():
    raw = statsmodels_datasets.sunspots.load_pandas().data
    series = load_series("sunspots")
    assert series.data.shape == (309, 1)
    assert series.feature_names == ["sqrt_sunactivity"]
    np.testing.assert_allclose(series.data[:, 0] ** 2, raw["SUNACTIVITY"])
    assert series.data[4, 0] == 6.0  # 1704: 36 sunspots
    np.testing.assert_array_equal(series.time, np.arange(1700.0, 2009.0))
    assert "square root" in series.DESCR


def test_load_series_returns_fresh_arrays():
    first = load_series("sunspots")
    first.data[:] = -1.0
    assert load_series("sunspots").data.min() >= 0.0


def test_load_series_rejects_an_unknown_name():
    with pytest.raises(ValueError, match=r"'name' parameter.*Got 'nile' instead"):
        load_series("nile")


def test_load_series_without_statsmodels_names_the_package(monkeypatch):
    real_import = builtins.__import__

    def no_statsmodels(name, *args, **kwargs):
        if name == "statsmodels" or name.startswith("statsmodels."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_statsmodels)
    with pytest.raises(ImportError, match="needs the package 'statsmodels'"):
        load_series("macrodata")


# ---------------------------------------------------------- window_series


@pytest.mark.parametrize(
    ("n_steps", "length", "stride"),
    [(10, 3, None), (10, 5, None), (11, 4, 2), (7, 7, 3)],
)
def test_windows_are_the_slices_they_should_be(n_steps, length, stride):
    series = np.arange(2.0 * n_steps).reshape(n_steps, 2)
    windows = window_series(series, length, stride=stride)
    step = length if stride is None else stride
    # Every start i * step whose window fits, and no other.
    starts = [s for s in range(0, n_steps, step) if s + length <= n_steps]
    assert len(windows) == len(starts)
    for window, start in zip(windows, starts, strict=True):
        assert window.shape == (length, 2)
        assert window.dtype == np.float64
        np.testing.assert_array_equal(window, series[start : start + length])


def test_disjoint_windows_tile_the_series_but_the_remainder():
    series = load_series("macrodata").data
    windows = window_series(series, 20)
    assert len(windows) == 10  # 202 quarters: the last 2 are left out
    np.testing.assert_array_equal(np.concatenate(windows), series[:200])


def test_a_1d_series_is_one_feature_and_windows_are_copies():
    series = np.arange(6)
    windows = window_series(series, 2)
    assert [w.shape for w in windows] == [(2, 1)] * 3
    windows[0][0, 0] = 99.0
    assert series[0] == 0
    assert windows[1][0, 0] == 2.0


def test_windows_fit_the_sequence_models():
    from skgen.hmm import GaussianHMM

    windows = window_series(load_series("sunspots").data, 30)
    hmm = GaussianHMM(2, n_init=1, random_state=0).fit(windows)
    assert hmm.score_samples(windows).shape == (10,)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"length": 0}, ValueError, r"'length' parameter.*Got 0 instead"),
        ({"length": 2, "stride": 0}, ValueError, r"'stride' parameter.*Got 0 instead"),
        ({"length": 2.5}, ValueError, r"'length' parameter.*Got 2\.5 instead"),
        (
            {"length": 6},
            ValueError,
            "length must be at most the series' 5 steps; got 6",
        ),
    ],
)
def test_window_series_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        window_series(np.zeros(5), **kwargs)


def test_window_series_rejects_bad_series():
    with pytest.raises(ValueError, match=r"got an array of shape \(2, 3, 4\)"):
        window_series(np.zeros((2, 3, 4)), 1)
    with pytest.raises(TypeError, match="series must hold numbers; got an array"):
        window_series(np.array(["a", "b"]), 1)
