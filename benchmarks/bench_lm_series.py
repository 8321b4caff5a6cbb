"""Language models against GaussianHMM on real series, cross-validated by window.

Two series that ship inside statsmodels (``skgen.datasets.load_series``):
``macrodata`` (quarterly US growth of real GDP, consumption and investment,
% a year, 202 quarters, 3 features) and ``sunspots`` (square root of the
yearly sunspot number, 309 years, 1 feature). Each is cut into disjoint
windows (``window_series`` with its default stride: no time step is in
two windows, so none is in a training and a test fold), a window being one
sample:
macrodata into 20 windows of 10 quarters, sunspots into 20 windows of 15
years. ``KFold(5)`` without shuffling keeps each test fold a contiguous
stretch of time, so the dependence between neighbouring windows crosses
folds only at a fold's two edges.

Every model is scored by ``cross_validate`` with its default scoring, the
mean held-out log-likelihood per window (nats, in the data's own units:
the language models include the Jacobian of their standardisation), beside
GaussianHMM with 1 to 4 states (``n_init=2, tol=1.0`` as the leaderboard
fits them). The language models run at their defaults, then with the
variants that ``benchmarks/README.md`` explains (a longer patience for
early stopping; for the RNN also a smaller network). The column "vs best
HMM" is the paired difference, fold by fold, with the HMM whose mean is
best: mean and standard error over folds.

Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_lm_series.py``
(``--quick``: 3 folds, HMMs with 1 and 3 states, no variants; ``--seed``:
the language models' ``random_state``, 0 by default). Prints markdown;
asserts nothing about time.
"""

import argparse
import platform
import time
import warnings

import numpy as np
from _timing import fmt_time
from sklearn.model_selection import KFold, cross_validate

from skgen.datasets import load_series, window_series
from skgen.hmm import GaussianHMM
from skgen.neural import RNNLanguageModel, TransformerLanguageModel

#: Window length (steps) of each series: 20 disjoint windows each.
WINDOWS = {"macrodata": 10, "sunspots": 15}

#: Variants beside the defaults (see benchmarks/README.md): a longer
#: patience for early stopping, whose epochs are one or two optimiser steps
#: on 16 training windows; then also a smaller network.
PATIENCE = {"n_iter_no_change": 30}
VARIANTS = {
    RNNLanguageModel: [
        PATIENCE,
        {**PATIENCE, "hidden_size": 64, "num_layers": 1, "embedding_dim": 32},
    ],
    TransformerLanguageModel: [PATIENCE],
}


def candidates(quick, seed):
    for k in (1, 3) if quick else (1, 2, 3, 4):
        yield f"GaussianHMM({k})", GaussianHMM(k, n_init=2, tol=1.0, random_state=0)
    for cls, variants in VARIANTS.items():
        yield f"{cls.__name__}()", cls(random_state=seed)
        for params in [] if quick else variants:
            args = ", ".join(f"{key}={value}" for key, value in params.items())
            yield f"{cls.__name__}({args})", cls(random_state=seed, **params)


def bench_series(name, quick, seed):
    series = load_series(name)
    length = WINDOWS[name]
    X = window_series(series.data, length)
    n_splits = 3 if quick else 5
    width = series.data.shape[1]
    print(
        f"## {name}: {len(X)} windows of {length} steps x {width} "
        f"feature{'s' if width > 1 else ''}, KFold({n_splits})\n"
    )
    results = {}
    for label, est in candidates(quick, seed):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning of tol=1.0 EM
            cv = cross_validate(est, X, cv=KFold(n_splits))
        results[label] = cv
    hmms = [label for label in results if label.startswith("GaussianHMM")]
    best = max(hmms, key=lambda label: results[label]["test_score"].mean())
    print(
        "| model | log-lik / window | log-lik / step | vs best HMM "
        f"({best}) | fit time / fold |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, cv in results.items():
        score = cv["test_score"]
        diff = score - results[best]["test_score"]
        se = diff.std(ddof=1) / np.sqrt(diff.size)
        versus = "" if label in hmms else f"{diff.mean():+.2f} ± {se:.2f}"
        print(
            f"| {label} | {score.mean():.2f} ± {score.std():.2f} | "
            f"{score.mean() / length:.3f} | {versus} | "
            f"{fmt_time(cv['fit_time'].mean())} |"
        )
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of the language models"
    )
    args = parser.parse_args(argv)
    print(
        f"Python {platform.python_version()}, {platform.machine()}; language "
        f"models' random_state={args.seed}; scores: mean ± std over folds "
        "(nats, higher is better).\n"
    )
    start = time.perf_counter()
    for name in WINDOWS:
        bench_series(name, args.quick, args.seed)
    print(f"Total: {fmt_time(time.perf_counter() - start)}")


if __name__ == "__main__":
    main()
