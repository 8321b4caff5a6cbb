"""The leaderboard: generative models ranked by cross-validated likelihood.

A registry of datasets and of named, configurable candidate models per
dataset; :func:`run` cross-validates every candidate and returns a ranked
:class:`pandas.DataFrame` (exact likelihoods and lower bounds ranked
together, estimates apart); :func:`format_table` and :func:`to_json` render
it. The ``skgen leaderboard`` command is a thin layer over this package.
"""

from skgen.leaderboard._datasets import digits_candidates, digits_data
from skgen.leaderboard._format import format_table, to_json
from skgen.leaderboard._registry import (
    Dataset,
    LeaderboardOptionError,
    dataset_names,
    get_dataset,
    register_candidates,
    register_dataset,
)
from skgen.leaderboard._run import (
    COLUMNS,
    Result,
    evaluate,
    prepare,
    results_frame,
    run,
    sample_best,
)

__all__ = [
    "COLUMNS",
    "Dataset",
    "LeaderboardOptionError",
    "Result",
    "dataset_names",
    "digits_candidates",
    "digits_data",
    "evaluate",
    "format_table",
    "get_dataset",
    "prepare",
    "register_candidates",
    "register_dataset",
    "results_frame",
    "run",
    "sample_best",
    "to_json",
]
