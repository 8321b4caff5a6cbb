"""Augmenting imbalanced classes: no augmentation, SMOTE and skgen's VAE.

Each data set has its minority class subsampled to a few percent of the rows.
A classifier (LogisticRegression after scaling and, optionally,
HistGradientBoostingClassifier) is cross-validated (repeated stratified
K-fold, the same folds for every method) inside an ``imblearn`` pipeline:

- ``none``: no resampling;
- ``SMOTE`` (``SMOTENC`` on the mixed-type table);
- ``VAE (cond.)``: ``GenerativeResampler`` over a conditional VAE;
- ``VAE (per class)``: ``GenerativeResampler(conditional=False)``.

Every resampler balances the classes (``sampling_strategy="auto"``) on the
training folds only. Reported: balanced accuracy and PR-AUC (average
precision of the minority class), mean and standard deviation over folds,
and the fit time per fold.

Data: sklearn's bundled breast_cancer (malignant as minority), wine (class 0
against the rest) and digits (8 against the rest), and the ``fair`` table
bundled with statsmodels (an affair as minority; occupation columns
categorical). statsmodels is in skgen's ``dev`` extra for the benchmarks, not
a dependency of the library: without it that part is skipped with a message.

Run: ``.venv/bin/python benchmarks/bench_augment.py`` (``--quick`` for
fewer folds and epochs, ``--hgb`` to add HistGradientBoosting). Prints a
markdown table; asserts nothing.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling import SMOTE, SMOTENC
from imblearn.pipeline import make_pipeline
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from skgen.augment import GenerativeResampler
from skgen.neural import VAE


def subsample_minority(X, y, fraction, seed):
    """Keep every majority row and enough minority rows to make ``fraction``."""
    rng = np.random.RandomState(seed)
    minority = np.flatnonzero(y == 1)
    majority = np.flatnonzero(y == 0)
    n_min = max(6, round(fraction * len(majority) / (1 - fraction)))
    keep = np.sort(np.r_[majority, rng.choice(minority, n_min, replace=False)])
    if isinstance(X, pd.DataFrame):
        return X.iloc[keep].reset_index(drop=True), y[keep]
    return X[keep], y[keep]


def sklearn_datasets(fraction):
    out = {}
    X, y = load_breast_cancer(return_X_y=True)
    out["breast_cancer (malignant)"] = subsample_minority(X, 1 - y, fraction, 0)
    X, y = load_wine(return_X_y=True)
    out["wine (class 0 vs rest)"] = subsample_minority(
        X, (y == 0).astype(int), fraction, 0
    )
    X, y = load_digits(return_X_y=True)
    out["digits (8 vs rest)"] = subsample_minority(X, (y == 8).astype(int), fraction, 0)
    return out


def fair_dataset(fraction, n_majority):
    """statsmodels' bundled ``fair`` table (Fair, 1978), mixed types."""
    try:
        from statsmodels.datasets import fair
    except ImportError:
        return None
    df = fair.load_pandas().data
    y = (df.pop("affairs") > 0).to_numpy().astype(int)
    jobs = ["student", "farming", "white collar", "teacher", "manager", "professional"]
    X = pd.DataFrame(
        {
            "rate_marriage": df["rate_marriage"].astype("int64"),
            "age": df["age"],
            "yrs_married": df["yrs_married"],
            "children": df["children"],
            "religious": df["religious"].astype("int64"),
            "educ": df["educ"].astype("int64"),
            "occupation": pd.Categorical.from_codes(
                df["occupation"].astype(int) - 1, jobs
            ),
            "occupation_husb": pd.Categorical.from_codes(
                df["occupation_husb"].astype(int) - 1, jobs
            ),
        }
    )
    rng = np.random.RandomState(0)
    majority = rng.choice(np.flatnonzero(y == 0), n_majority, replace=False)
    keep = np.sort(np.r_[majority, np.flatnonzero(y == 1)])
    return subsample_minority(X.iloc[keep].reset_index(drop=True), y[keep], fraction, 1)


def classifiers(mixed, hgb):
    if mixed:
        encode = make_column_transformer(
            (OneHotEncoder(), make_column_selector(dtype_include="category")),
            remainder=StandardScaler(),
        )
    else:
        encode = StandardScaler()
    out = {"LogReg": [encode, LogisticRegression(max_iter=2000)]}
    if hgb:
        hgb_est = HistGradientBoostingClassifier(
            max_iter=100,
            categorical_features="from_dtype" if mixed else None,
            random_state=0,
        )
        out["HGB"] = [hgb_est]
    return out


def resamplers(mixed, epochs):
    def vae():
        return VAE(
            latent_dim=4,
            hidden_layer_sizes=(64,),
            max_epochs=epochs,
            batch_size=128,
            lr=3e-3,
            random_state=0,
        )

    smote = (
        SMOTENC(categorical_features="auto", k_neighbors=3, random_state=0)
        if mixed
        else SMOTE(k_neighbors=3, random_state=0)
    )
    return {
        "none": None,
        "SMOTENC" if mixed else "SMOTE": smote,
        "VAE (cond.)": GenerativeResampler(vae(), random_state=0),
        "VAE (per class)": GenerativeResampler(
            vae(), conditional=False, random_state=0
        ),
    }


def evaluate(X, y, mixed, cv, epochs, hgb):
    rows = []
    for clf_name, steps in classifiers(mixed, hgb).items():
        for name, sampler in resamplers(mixed, epochs).items():
            pipe = make_pipeline(*([sampler] if sampler is not None else []), *steps)
            t0 = time.perf_counter()
            res = cross_validate(
                pipe, X, y, cv=cv, scoring=("balanced_accuracy", "average_precision")
            )
            elapsed = (time.perf_counter() - t0) / cv.get_n_splits()
            rows.append(
                (
                    clf_name,
                    name,
                    res["test_balanced_accuracy"],
                    res["test_average_precision"],
                    elapsed,
                )
            )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--hgb", action="store_true", help="add HistGradientBoosting")
    parser.add_argument("--fraction", type=float, default=0.08)
    args = parser.parse_args(argv)
    n_repeats, epochs = (1, 20) if args.quick else (2, 40)
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=n_repeats, random_state=0)
    warnings.simplefilter("ignore")
    torch.set_num_threads(1)  # tiny nets: threads only contend on 2 cores

    data = {k: (X, y, False) for k, (X, y) in sklearn_datasets(args.fraction).items()}
    fair = fair_dataset(args.fraction, n_majority=2000)
    if fair is None:
        print(
            "> statsmodels is not installed: the mixed-type `fair` table is "
            "skipped (`.venv/bin/pip install -e '.[dev]'` to include it)."
        )
    else:
        data["fair (statsmodels, mixed types)"] = (*fair, True)

    print(
        f"Minority subsampled to {args.fraction:.0%} of the rows; "
        f"{n_repeats}x stratified 5-fold CV; VAE: latent 4, hidden (64,), "
        f"batch 128, {epochs} epochs; one thread for torch and OpenMP.\n"
    )
    print(
        "| data (rows, minority) | classifier | resampling | balanced accuracy "
        "| PR-AUC | fit+score s/fold |"
    )
    print("|---|---|---|---|---|---|")
    t_start = time.perf_counter()
    with threadpool_limits(limits=1, user_api="openmp"):
        for name, (X, y, mixed) in data.items():
            label = f"{name} ({len(y)}, {int(y.sum())})"
            for clf, method, bacc, ap, secs in evaluate(
                X, y, mixed, cv, epochs, args.hgb
            ):
                print(
                    f"| {label} | {clf} | {method} | {bacc.mean():.3f} ± "
                    f"{bacc.std():.3f} | {ap.mean():.3f} ± {ap.std():.3f} "
                    f"| {secs:.2f} |",
                    flush=True,
                )
    print(f"\nTotal time: {time.perf_counter() - t_start:.0f} s")


if __name__ == "__main__":
    main()
