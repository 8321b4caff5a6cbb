"""skgen's VAE on real mixed-type tables: the new defaults against the old-like.

Four real tables that ship offline with PyPI packages: statsmodels' ``fair``
(6,366 rows), palmerpenguins (344 rows, missing values), sklearn's wine (178
rows) and diabetes (442 rows, unscaled). Two models, same ``random_state``:

- ``new``: ``VAE()`` at its defaults (column kinds detected by
  ``TabularEncoder()``, missing values modelled, ``decoder_variance="row"``);
- ``old-like``: ``VAE(encoder=TabularEncoder(column_types="dtype"),
  decoder_variance="column")``, approximately skgen 0.1's VAE (every numeric
  column continuous, one decoder variance per column). Unlike skgen 0.1 it
  accepts the penguins' missing values (``missing="auto"`` models them).

With ``--peers``, also SDV's ``TVAESynthesizer`` (trained for as many epochs
as ``VAE()`` trained on the same rows and seed) and
``GaussianCopulaSynthesizer``, both with detected metadata. sdv is a
benchmark-only dependency under the Business Source License: it lives in a
separate virtualenv (see benchmarks/README.md), never in skgen's.

Each model is fitted on a stratified 75 % of the table (``random_state=0``)
and samples as many rows as it was fitted on. Per table and model: the kinds
detected, the share of sampled values outside each column's support, missing
value rates real vs synthetic (penguins; also from 100 times as many
sampled rows), a classifier's cross-validated
real-vs-synthetic ROC AUC (detection), train-on-synthetic-test-on-real ROC
AUC against train-on-real on the held-out 25 %, fit time; and the 5-fold
cross-validated held-out log-likelihood of ``VAE(random_state=0)`` on the
whole table, fold by fold, with a check that every fold is finite.

The classifier helpers (``_detection_auc``, ``_tstr_auc``, ``_snap``) are
bench_vae.py's, imported. Run from the repository root:
``.venv/bin/python benchmarks/bench_tables.py`` (``--quick``: one seed and
2-fold CV; ``--tables`` to choose tables). Prints markdown; asserts nothing
about time.
"""

import argparse
import platform
import subprocess
import time
import warnings

import numpy as np
import pandas as pd
import torch
from bench_vae import _as_real, _detection_auc, _snap, _tstr_auc
from sklearn.model_selection import KFold, cross_val_score, train_test_split

from skgen.neural import VAE
from skgen.tabular import TabularEncoder

TABLES = ("fair", "penguins", "wine", "diabetes")
PENGUIN_MEASUREMENTS = (
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
)
#: Columns with at most this many distinct real values are checked for
#: values outside the real levels.
MAX_LEVELS = 10


# ------------------------------------------------------------------ tables


def load_table(name):
    """The table as it ships: a DataFrame, no column converted."""
    if name == "fair":
        import statsmodels.api as sm

        return sm.datasets.fair.load_pandas().data
    if name == "penguins":
        import palmerpenguins

        return palmerpenguins.load_penguins()
    from sklearn.datasets import load_diabetes, load_wine

    if name == "wine":
        return load_wine(as_frame=True).frame
    return load_diabetes(as_frame=True, scaled=False).frame


def with_target(name, frame, reference):
    """``frame`` with its natural binary target as column ``y`` (bool).

    fair: ``affairs > 0`` (``affairs`` dropped); wine: class 0 vs rest;
    penguins: ``species == "Adelie"`` (``species`` dropped); diabetes:
    ``target`` above the median of ``reference`` (the real training rows).
    """
    if name == "fair":
        y, drop = frame["affairs"] > 0, "affairs"
    elif name == "wine":
        y, drop = frame["target"] == 0, "target"
    elif name == "penguins":
        y, drop = frame["species"] == "Adelie", "species"
    else:
        y, drop = frame["target"] > reference["target"].median(), "target"
    return frame.drop(columns=drop).assign(y=y.to_numpy())


TARGET_NOTE = {
    "fair": "affairs > 0",
    "wine": "class 0 vs rest",
    "penguins": 'species == "Adelie"',
    "diabetes": "target > training median",
}


def for_classifier(frame, real):
    """String and object columns as ``category`` with the real levels.

    HistGradientBoostingClassifier(categorical_features="from_dtype") then
    treats them as categorical; NaN stays missing (it takes NaN). A
    synthetic value not among the real levels becomes NaN here (the support
    measure counts it).
    """
    out = frame.copy()
    for col in [c for c in frame.columns if c in real.columns]:
        if not (
            pd.api.types.is_numeric_dtype(real[col])
            or pd.api.types.is_bool_dtype(real[col])
        ):
            levels = sorted(set(real[col].dropna()))
            out[col] = pd.Categorical(out[col].astype(object), categories=levels)
    return out


# ------------------------------------------------------------ the measures


def support_violations(real, synthetic):
    """Share of each checked column's sampled values outside its support.

    A column is checked when one of the rules applies (on its real values,
    missing ones left out): all non-negative integers (a negative or
    non-integer sample is outside), all positive or non-negative (a
    negative sample is outside), at most ``MAX_LEVELS`` distinct values (a
    sample not among them is outside). A missing sample in a checked
    column whose real values are never missing is outside too.
    """
    shares = {}
    for col in real.columns:
        r, s = real[col], synthetic[col]
        observed = r.dropna()
        s_missing = s.isna().to_numpy()
        bad = np.zeros(len(s), dtype=bool)
        checked = False
        if pd.api.types.is_numeric_dtype(r) and not pd.api.types.is_bool_dtype(r):
            rv = observed.to_numpy(dtype=float)
            sv = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
            with np.errstate(invalid="ignore"):
                if np.all(rv >= 0) and np.all(rv == np.round(rv)):
                    bad |= (sv < 0) | ((sv != np.round(sv)) & ~np.isnan(sv))
                    checked = True
                if np.all(rv >= 0):  # all positive, or non-negative with zeros
                    bad |= sv < 0
                    checked = True
        levels = pd.unique(observed)
        if len(levels) <= MAX_LEVELS:
            bad |= ~s.isin(levels).to_numpy() & ~s_missing
            checked = True
        if checked:
            if not r.isna().any():
                bad |= s_missing
            shares[col] = bad.mean()
    return shares


def missing_rates(real, synthetic):
    """``{column: (real rate, synthetic rate)}`` for real columns with NaN."""
    return {
        col: (real[col].isna().mean(), synthetic[col].isna().mean())
        for col in real.columns
        if real[col].isna().any()
    }


def all_measurements_missing(frame):
    return frame[list(PENGUIN_MEASUREMENTS)].isna().all(axis=1).mean()


def make_model(which, seed, threads):
    if which == "new":
        return VAE(random_state=seed, n_threads=threads)
    return VAE(
        encoder=TabularEncoder(column_types="dtype"),
        decoder_variance="column",
        random_state=seed,
        n_threads=threads,
    )


MODELS = ("new", "old-like")
#: SDV's synthesizers, benchmark-only (Business Source License, a separate
#: virtualenv: see benchmarks/README.md); run with ``--peers``.
PEERS = ("tvae", "copula")
LABELS = {
    "new": "VAE() new default",
    "old-like": "old-like",
    "tvae": "SDV TVAE",
    "copula": "SDV GaussianCopula",
}


def fit_sampler(which, train, seed, threads, epochs):
    """Fit model ``which`` on ``train``: ``(sample(n, seed), fitted VAE or None)``.

    ``epochs`` (TVAE only) is the number VAE() trained on the same rows.
    """
    if which in MODELS:
        vae = make_model(which, seed, threads).fit(train)
        return (lambda n, s: vae.sample(n, random_state=s)), vae
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer, TVAESynthesizer

    torch.manual_seed(seed)  # TVAE draws from torch's global generator
    np.random.seed(seed)  # noqa: NPY002 (and numpy's, for the transformers)
    metadata = Metadata.detect_from_dataframes({"t": train}, infer_keys=None)
    if which == "tvae":
        model = TVAESynthesizer(metadata, epochs=epochs, enable_gpu=False)
    else:
        model = GaussianCopulaSynthesizer(metadata)
    # SDV refuses pandas' category dtype: the same values as objects
    cats = [c for c in train if str(train[c].dtype) == "category"]
    model.fit({"t": train.astype(dict.fromkeys(cats, object))})

    def sample(n, s):
        np.random.seed(s)  # noqa: NPY002
        torch.manual_seed(s)
        return _as_real(model.sample(n)["t"], train)

    return sample, None


def run_table(name, args):
    """Every measure of one table: a dict of results."""
    table = load_table(name)
    labels = with_target(name, table, table)["y"]
    train, test = train_test_split(
        table, test_size=0.25, stratify=labels, random_state=0
    )
    real_t = for_classifier(with_target(name, train, train), train)
    test_t = for_classifier(with_target(name, test, train), train)
    # discrete-valued numeric columns without missing values, for _snap
    snap_cols = [
        c
        for c in train.select_dtypes("number")
        if train[c].nunique() <= MAX_LEVELS and not train[c].isna().any()
    ]
    models = MODELS + (PEERS if args.peers else ())
    out = dict(
        table=table,
        train=train,
        kinds=None,
        models=models,
        runs={m: [] for m in models},
    )
    for seed in range(args.seeds):
        epochs = None
        for which in models:
            t0 = time.perf_counter()
            sample, vae = fit_sampler(which, train, seed, args.threads, epochs)
            fit_s = time.perf_counter() - t0
            if which == "new":
                epochs = len(vae.net_.history)
                if out["kinds"] is None:
                    out["kinds"] = dict(vae.encoder_.column_kinds_)
                    out["epochs"] = epochs
            syn = sample(len(train), seed)
            viol = support_violations(train, syn)
            syn_c = for_classifier(syn, train)
            snapped = _snap(syn_c, train[snap_cols]) if snap_cols else syn_c
            syn_t = for_classifier(with_target(name, syn, train), train)
            try:
                tstr = _tstr_auc(syn_t, test_t, "y", seed)
            except ValueError:  # one class only in the synthetic target
                tstr = np.nan
            out["runs"][which].append(
                dict(
                    fit_s=fit_s,
                    viol=viol,
                    det=_detection_auc(for_classifier(train, train), syn_c, seed),
                    det_snap=_detection_auc(
                        for_classifier(train, train), snapped, seed
                    ),
                    tstr=tstr,
                    pos=syn_t["y"].mean(),
                    missing=missing_rates(train, syn),
                    all4=(
                        all_measurements_missing(syn) if name == "penguins" else None
                    ),
                )
            )
            if name == "penguins":  # the same rates from 100 times the rows
                big = sample(100 * len(train), seed + 1000)
                out["runs"][which][-1]["missing_big"] = missing_rates(train, big)
                out["runs"][which][-1]["all4_big"] = all_measurements_missing(big)
    out["trtr"] = _tstr_auc(real_t, test_t, "y")
    half = len(train) // 2
    shuffled = for_classifier(train, train).sample(frac=1.0, random_state=0)
    out["det_real"] = _detection_auc(shuffled.iloc[:half], shuffled.iloc[half:])
    out["pos_real"] = real_t["y"].mean()
    if args.cv_folds:
        out["cv"] = cross_validate(table, args)
    return out


def cross_validate(table, args):
    """Held-out log-likelihood of VAE(random_state=0) per fold, checked."""
    cv = KFold(args.cv_folds, shuffle=True, random_state=0)
    model = VAE(random_state=0, n_threads=args.threads)
    t0 = time.perf_counter()
    scores = cross_val_score(model, table, cv=cv)
    elapsed = time.perf_counter() - t0
    problems = []
    for k, (tr, te) in enumerate(cv.split(table)):
        if np.isfinite(scores[k]):
            continue
        # refit the fold to name the rows whose log-likelihood is not finite
        vae = VAE(random_state=0, n_threads=args.threads).fit(table.iloc[tr])
        rows = vae.score_samples(table.iloc[te])
        bad = table.iloc[te][~np.isfinite(rows)]
        problems.append((k, scores[k], bad, rows[~np.isfinite(rows)]))
    return dict(scores=scores, elapsed=elapsed, problems=problems)


# ----------------------------------------------------------------- report


def cell(values, fmt="{:.3f}"):
    values = [v for v in values if v is not None]
    if any(np.isnan(values)):
        return "nan in " + ", ".join(fmt.format(v) for v in values)
    text = fmt.format(np.mean(values))
    if len(values) > 1:
        text += " ± " + fmt.format(np.std(values))
    return text


def report_table(name, res, args):
    table, train = res["table"], res["train"]
    n_missing = int(table.isna().any(axis=1).sum())
    print(f"### {name}\n")
    print(
        f"{len(table)} rows x {table.shape[1]} columns"
        f"{f', {n_missing} rows with a missing value' if n_missing else ''}; "
        f"fitted on {len(train)} rows (stratified 75 %), {len(train)} rows "
        f"sampled per model and seed; VAE() trained {res['epochs']} epochs "
        f"(max_epochs='auto'). TSTR target: {TARGET_NOTE[name]} (real share "
        f"{res['pos_real']:.3f}).\n"
    )
    print("Kinds detected by `VAE().encoder_.column_kinds_`:\n")
    print(", ".join(f"`{c}`: {k}" for c, k in res["kinds"].items()) + "\n")
    models, runs = res["models"], res["runs"]
    print("| measure | " + " | ".join(LABELS[m] for m in models) + " | note |")
    print("|---|" + "---:|" * len(models) + "---|")

    def row(label, key, fmt="{:.3f}", note=""):
        cells = " | ".join(cell([r[key] for r in runs[m]], fmt) for m in models)
        print(f"| {label} | {cells} | {note} |")

    for which in models:
        for r in runs[which]:
            v = r["viol"]
            r["viol_total"] = float(np.mean(list(v.values()))) if v else 0.0
    n_checked = len(runs["new"][0]["viol"])
    row(
        "sampled values outside the support, share",
        "viol_total",
        "{:.4f}",
        f"over the {n_checked} checked columns",
    )
    worst = []
    for which in models:
        per_col = pd.DataFrame([r["viol"] for r in runs[which]]).mean()
        col = per_col.idxmax() if len(per_col) else None
        worst.append(
            f"`{col}` {per_col[col]:.4f}" if col and per_col[col] > 0 else "none"
        )
    print("| worst column (mean over seeds) | " + " | ".join(worst) + " | |")
    row(
        "detection ROC AUC (0.5 is best)",
        "det",
        note=f"real vs real (two halves of the training rows): {res['det_real']:.3f}",
    )
    row(
        "detection ROC AUC, discrete numeric columns snapped",
        "det_snap",
        note="columns with <= 10 real values moved to the nearest real value",
    )
    row(
        "TSTR ROC AUC (higher is better)",
        "tstr",
        note=f"trained on real rows: {res['trtr']:.3f}",
    )
    row("target share in the synthetic rows", "pos", note=f"real {res['pos_real']:.3f}")
    row("fit time, s", "fit_s", "{:.1f}")
    print()
    if any(r["missing"] for r in runs["new"]):
        print("Missing-value rates, training rows vs synthetic (mean over seeds):\n")
        big = "missing_big" in runs["new"][0]
        heads = [LABELS[m] for m in models]
        heads += [f"{LABELS[m]}, 100x rows" for m in models] if big else []
        print("| column | real | " + " | ".join(heads) + " |")
        print("|---|---:|" + "---:|" * len(heads))
        for col, (real_rate, _) in runs["new"][0]["missing"].items():
            cells = [cell([r["missing"][col][1] for r in runs[m]]) for m in models]
            if big:
                cells += [
                    cell([r["missing_big"][col][1] for r in runs[m]], "{:.4f}")
                    for m in models
                ]
            print(f"| `{col}` | {real_rate:.3f} | " + " | ".join(cells) + " |")
        if name == "penguins":
            cells = [cell([r["all4"] for r in runs[m]]) for m in models]
            if big:
                cells += [
                    cell([r["all4_big"] for r in runs[m]], "{:.4f}") for m in models
                ]
            print(
                f"| all four measurements missing (rows) | "
                f"{all_measurements_missing(train):.3f} | " + " | ".join(cells) + " |"
            )
        print()
    if "cv" in res:
        cv = res["cv"]
        scores = cv["scores"]
        folds = ", ".join(f"{s:.2f}" for s in scores)
        finite = np.all(np.isfinite(scores))
        print(
            f"{args.cv_folds}-fold CV held-out log-likelihood of "
            f"VAE(random_state=0) on all {len(table)} rows (nats per row, "
            f"`cross_val_score`, KFold(shuffle=True, random_state=0), "
            f"{cv['elapsed']:.0f} s): mean {np.mean(scores):.2f}; folds "
            f"[{folds}]; every fold finite: **{'yes' if finite else 'NO'}**.\n"
        )
        for k, score, bad, values in cv["problems"]:
            print(f"Fold {k} scored {score}; its non-finite rows:\n")
            print("```")
            print(bad.assign(score_samples=values).to_string())
            print("```\n")


def _git(*args):
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="+", choices=TABLES, default=list(TABLES))
    parser.add_argument("--quick", action="store_true", help="1 seed, 2-fold CV")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cv-folds", type=int, default=5, help="0 skips the CV")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also SDV's TVAE (VAE()'s epochs) and GaussianCopula (needs sdv)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.cv_folds = 1, min(args.cv_folds, 2)
    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore", category=UserWarning)
    dirty = _git("status", "--porcelain", "--", "skgen")
    print(
        f"# bench_tables: {platform.machine()}, Python "
        f"{platform.python_version()}, torch {torch.__version__}, torch "
        f"threads {args.threads}, skgen at {_git('log', '-1', '--format=%h')}"
        f"{' + uncommitted changes in skgen/' if dirty else ''}; seeds "
        f"{list(range(args.seeds))}{', --quick' if args.quick else ''}\n"
    )
    print(
        "new default: `VAE()`; old-like: `VAE(encoder=TabularEncoder("
        'column_types="dtype"), decoder_variance="column")`; both with '
        "`random_state=seed, n_threads=1`. Figures are mean ± std over seeds. "
        "Classifier (detection, 5-fold stratified CV; TSTR): "
        "HistGradientBoostingClassifier(categorical_features='from_dtype'), "
        "string columns as category, NaN left in.\n"
    )
    if args.peers:
        import sdv

        warnings.filterwarnings("ignore", module="sdv")
        print(
            f"Peers (sdv {sdv.__version__}): `TVAESynthesizer(metadata, "
            "epochs=<the epochs VAE() trained on the same rows and seed>)` and "
            "`GaussianCopulaSynthesizer(metadata)`, metadata from "
            "`Metadata.detect_from_dataframes`, torch and numpy seeded with "
            "the seed.\n"
        )
    t_all = time.perf_counter()
    for name in args.tables:
        t0 = time.perf_counter()
        res = run_table(name, args)
        report_table(name, res, args)
        print(f"({name}: {time.perf_counter() - t0:.0f} s)\n")
    print(f"(total: {time.perf_counter() - t_all:.0f} s)")


if __name__ == "__main__":
    main()
