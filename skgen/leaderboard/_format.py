"""The leaderboard as aligned text or as JSON."""

import json
import math

import numpy as np
import pandas as pd

from skgen.leaderboard._run import results_frame

__all__ = ["format_table", "to_json"]

_HEADER = (
    "rank",
    "model",
    "likelihood",
    "loglik/sample",
    "± s.e.",
    "nats/step",
    "bits/step",
    "fit s",
    "score s",
)

_ESTIMATES = (
    "Estimates (likelihood_kind 'estimate': not ranked beside the exact "
    "likelihoods and lower bounds):"
)


def _as_frame(results):
    return results if isinstance(results, pd.DataFrame) else results_frame(results)


def _table(frame):
    rows = [
        (
            str(r.rank),
            r.model,
            r.likelihood_kind,
            f"{r.loglik_per_sample:.1f}",
            f"{r.loglik_per_sample_sem:.1f}",
            f"{r.nats_per_step:.4f}",
            f"{r.bits_per_step:.4f}",
            f"{r.fit_time:.3f}",
            f"{r.score_time:.3f}",
        )
        for r in frame.itertuples(index=False)
    ]
    widths = [max(len(x) for x in col) for col in zip(_HEADER, *rows, strict=True)]
    line = "  ".join
    out = [line(h.ljust(w) for h, w in zip(_HEADER, widths, strict=True))]
    out.append(line("-" * w for w in widths))
    out += [
        line(
            x.ljust(w) if j < 3 else x.rjust(w)
            for j, (x, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join(out)


def format_table(results):
    """Render the leaderboard as aligned text, best held-out likelihood first.

    Exact likelihoods and lower bounds share one table, the kind on every
    row; estimates follow in a table of their own.

    Parameters
    ----------
    results : pandas.DataFrame or list of Result
        The DataFrame of :func:`skgen.leaderboard.run` (or of
        :func:`skgen.leaderboard.results_frame`), or the list of
        :func:`skgen.leaderboard.evaluate`.

    Returns
    -------
    table : str
        The table (or tables, separated by a blank line), one row per
        candidate: rank, model, likelihood kind, log-likelihood per sample
        and its standard error, nats and bits per step, fit and score
        seconds per fold.
    """
    frame = _as_frame(results)
    blocks = []
    for group, part in frame.groupby("group", sort=False):
        table = _table(part)
        blocks.append(table if group == "likelihood" else f"{_ESTIMATES}\n{table}")
    return "\n\n".join(blocks)


def _plain(value):
    """JSON-ready: numpy scalars and arrays as Python, NaN and inf as null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_json(results, *, samples=None, indent=2):
    """Render the leaderboard as a JSON document.

    Parameters
    ----------
    results : pandas.DataFrame or list of Result
        The DataFrame of :func:`skgen.leaderboard.run` (or of
        :func:`skgen.leaderboard.results_frame`), or the list of
        :func:`skgen.leaderboard.evaluate`.
    samples : dict, default=None
        Added to the document as ``samples``, as given (such as
        ``{"model": name, "samples": [...]}``); left out when None.
    indent : int, default=2
        The indentation of :func:`json.dumps`.

    Returns
    -------
    document : str
        A JSON object with the entries of the DataFrame's ``attrs`` (the
        dataset's description ``dataset``, its ``note``, ``n_splits`` and
        ``random_state`` for the frames of :func:`skgen.leaderboard.run`),
        ``results``: one object per row of the DataFrame, per-fold values
        included, and ``samples`` when given. NumPy values are written as
        Python ones, NaN and infinities as null.
    """
    frame = _as_frame(results)
    doc = {**frame.attrs, "results": frame.to_dict(orient="records")}
    if samples is not None:
        doc["samples"] = samples
    return json.dumps(_plain(doc), indent=indent, allow_nan=False)
