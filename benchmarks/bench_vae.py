"""skgen's VAE: density of dequantized digits, training speed, SDV's TVAE.

1. ``digits``: 5-fold cross-validated held-out log-likelihood (nats per row,
   bits per pixel) of the VAE beside grids of scikit-learn's density models
   (GaussianMixture, KernelDensity, PCA, FactorAnalysis) on sklearn's digits,
   dequantized with U[0, 1) noise. The data, the candidates and the
   cross-validation are the ``skgen leaderboard --dataset digits`` ones
   (imported from the library, ``skgen.leaderboard``), with wider grids.
2. ``speed``: time per training epoch of ``VAE.fit`` (skorch) against a
   plain torch loop with the same module class, initialisation, data, batch
   size and optimizer, in the same run, as a ratio.
3. ``tvae``: SDV's TVAE against skgen's VAE on a real mixed-type table that
   ships with statsmodels (``fair``: 6,366 rows), the same number of epochs:
   fit time as a ratio; sample quality as train-on-synthetic-test-on-real
   ROC AUC and a classifier's real-vs-synthetic detection ROC AUC. Skipped,
   with a message, when ``sdv`` is not importable (it is a benchmark-only
   dependency under a non-open licence; see benchmarks/README.md).

Run: ``.venv/bin/python benchmarks/bench_vae.py`` (``--quick`` for a smaller
run, ``--part`` to choose parts). Prints markdown; asserts nothing about time.
"""

import argparse
import platform
import statistics
import time
import warnings

import numpy as np
import torch

from skgen.leaderboard import (
    Dataset,
    digits_candidates,
    digits_data,
    evaluate,
    format_table,
)
from skgen.neural import VAE

# The leaderboard's VAE, as the part 1 and 2 subject.
LEADERBOARD_VAE = dict(
    latent_dim=48,
    hidden_layer_sizes=(256,),
    weight_decay=3e-2,
    n_importance_samples=512,
)


def _family(name):
    return name.split("(")[0]


# ---------------------------------------------------------------- 1. digits


def bench_digits(args):
    print("## 1. Dequantized digits: held-out log-likelihood\n")
    X = digits_data(random_state=0)
    dataset = Dataset("digits", X, lambda model, X: X.size, str)
    if args.quick:
        grid = dict(gmm_components=(5, 20, 60), bandwidths=(1.0, 2.0))
        grid["pca_components"], max_epochs = (30, 60), 100
    else:
        grid = dict(
            gmm_components=(1, 2, 5, 10, 20, 30, 40, 60, 80, 100),
            bandwidths=(0.5, 1.0, 1.5, 1.75, 2.0, 3.0),
            pca_components=(10, 20, 30, 40, 50, 60, 64),
        )
        max_epochs = args.epochs
    candidates = list(digits_candidates(max_epochs=max_epochs, random_state=0, **grid))
    candidates.insert(1, ("VAE() (package defaults)", VAE(random_state=0)))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = evaluate(
            candidates, dataset, n_splits=5, random_state=0, progress=args.progress
        )
    elapsed = time.perf_counter() - t0
    print(
        f"{len(X)} rows x 64 pixels, grey levels 0-16 + U[0,1) noise "
        "(digits_data(random_state=0)), unscaled; 5-fold KFold(shuffle=True, "
        "random_state=0); loglik/sample = mean held-out score_samples (nats "
        "per row); nats/step and bits/step are per pixel (negative "
        f"log-likelihood). The leaderboard VAE: {LEADERBOARD_VAE}, "
        f"max_epochs={max_epochs}. Total {elapsed:.0f} s.\n"
    )
    print("```")
    print(format_table(results))
    print("```\n")
    vae = next(r for r in results if r.name.startswith("VAE(latent_dim"))
    best = {}
    for r in results:
        if not r.name.startswith("VAE") and (
            _family(r.name) not in best or r.mean > best[_family(r.name)].mean
        ):
            best[_family(r.name)] = r
    print("| family | best of grid (chosen on these folds) | loglik/row | VAE gain |")
    print("|---|---|---:|---:|")
    for fam, r in best.items():
        print(f"| {fam} | {r.name} | {r.mean:.2f} | {vae.mean - r.mean:+.2f} |")
    print(f"| VAE | {vae.name} | {vae.mean:.2f} (lower bound) | |")
    beats = all(vae.mean > r.mean for r in best.values())
    print(
        f"\nThe VAE's bound {'beats' if beats else 'does NOT beat'} the best "
        "grid point of every family (each family's best is picked on the same "
        "outer folds, which flatters the baselines).\n"
    )


# ----------------------------------------------------------------- 2. speed


def _hand_loop(module, Xt, *, epochs, batch_size, lr, weight_decay):
    """Plain torch: shuffled index batches, Adam, one loss.item() per batch."""
    optimizer = torch.optim.Adam(module.parameters(), lr=lr, weight_decay=weight_decay)
    durations = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        module.train()
        for idx in torch.randperm(len(Xt)).split(batch_size):
            loss = module(Xt[idx]).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()
        durations.append(time.perf_counter() - t0)
    return durations


def bench_speed(args):
    print("## 2. Epoch time: VAE.fit (skorch) vs a plain torch loop\n")
    X = digits_data(random_state=0)
    epochs, repeats = (20, 2) if args.quick else (60, 3)
    params = dict(LEADERBOARD_VAE, max_epochs=epochs, random_state=0)
    skgen_epochs, hand_epochs, skgen_fit, hand_fit = [], [], [], []
    for _ in range(repeats):  # interleaved, so load changes hit both
        t0 = time.perf_counter()
        vae = VAE(**params).fit(X)
        skgen_fit.append(time.perf_counter() - t0)
        skgen_epochs += [row["dur"] for row in vae.net_.history[1:]]
        t0 = time.perf_counter()
        Xt = torch.as_tensor(vae.encoder_.transform(X).astype(np.float32))
        torch.manual_seed(0)
        module_class, kwargs = vae._module_arguments()["module"]
        module = module_class(**kwargs)
        hand = _hand_loop(
            module,
            Xt,
            epochs=epochs,
            batch_size=vae.net_.batch_size,
            lr=vae.lr,
            weight_decay=vae.weight_decay,
        )
        hand_fit.append(time.perf_counter() - t0)
        hand_epochs += hand[1:]
    med_s, med_h = statistics.median(skgen_epochs), statistics.median(hand_epochs)
    print(
        f"{len(X)} rows, batch_size 128, Adam (lr 1e-3, weight_decay 3e-2), "
        f"VAEModule(latent 48, hidden (256,)); {repeats} x {epochs} epochs "
        "each side, interleaved, first epoch of each run dropped; "
        f"torch.set_num_threads({args.threads}) for both. skgen's epoch time "
        "is skorch's EpochTimer (`net_.history[:, 'dur']`: the training "
        "batches, callbacks and history).\n"
    )
    print("| measure | plain torch | skgen VAE | skgen / torch |")
    print("|---|---:|---:|---:|")
    print(
        f"| median epoch | {med_h * 1e3:.1f} ms | {med_s * 1e3:.1f} ms | "
        f"{med_s / med_h:.2f}x |"
    )
    print(
        f"| fastest epoch | {min(hand_epochs) * 1e3:.1f} ms | "
        f"{min(skgen_epochs) * 1e3:.1f} ms | "
        f"{min(skgen_epochs) / min(hand_epochs):.2f}x |"
    )
    mf_s, mf_h = min(skgen_fit), min(hand_fit)
    print(
        f"| whole fit, best of {repeats} ({epochs} epochs; skgen: encoder, "
        f"net set-up) | {mf_h:.2f} s | {mf_s:.2f} s | {mf_s / mf_h:.2f}x |"
    )
    print()


# ------------------------------------------------------------------ 3. TVAE


def load_fair():
    """statsmodels' ``fair`` (affairs) survey as a mixed-type DataFrame.

    Ratings and codes become categorical, age / years married / children
    stay numeric, and the target ``had_affair`` (``affairs > 0``) is bool;
    ``affairs`` itself is dropped (the target is a function of it).
    """
    import pandas as pd
    from statsmodels.datasets import fair

    raw = fair.load_pandas().data
    df = pd.DataFrame(
        {
            "rate_marriage": raw["rate_marriage"].astype(int).astype("category"),
            "age": raw["age"],
            "yrs_married": raw["yrs_married"],
            "children": raw["children"],
            "religious": raw["religious"].astype(int).astype("category"),
            "educ": raw["educ"].astype(int).astype("category"),
            "occupation": raw["occupation"].astype(int).astype("category"),
            "occupation_husb": raw["occupation_husb"].astype(int).astype("category"),
            "had_affair": raw["affairs"] > 0,
        }
    )
    return df


def _classifier(random_state):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=random_state
    )


def _as_real(synthetic, real):
    """Synthetic rows with the real table's columns and dtypes."""
    out = synthetic[list(real.columns)].copy()
    for col, dtype in real.dtypes.items():
        if str(dtype) == "category":
            out[col] = out[col].astype(type(dtype)(dtype.categories))
        else:
            out[col] = out[col].astype(dtype)
    return out


def _snap(synthetic, real):
    """Numeric columns moved to the nearest value seen in ``real``.

    The numeric columns of ``fair`` take 6 or 7 values each; continuous
    synthetic values there make real and synthetic rows trivially
    separable, whatever the rest of the row looks like. Applied to both
    models' rows alike, for a second set of figures.
    """
    out = synthetic.copy()
    for col in real.select_dtypes("number"):
        values = np.unique(real[col])
        idx = np.clip(np.searchsorted(values, out[col]), 1, len(values) - 1)
        left, right = values[idx - 1], values[idx]
        out[col] = np.where(out[col] - left <= right - out[col], left, right)
    return out


# Local stand-ins for skgen.metrics.tstr_score / detection_score (written in
# parallel): plain scikit-learn, no skgen code.


def _tstr_auc(train, test, target, random_state=0):
    """Train a classifier on ``train`` (synthetic), ROC AUC on real ``test``."""
    from sklearn.metrics import roc_auc_score

    clf = _classifier(random_state).fit(train.drop(columns=target), train[target])
    proba = clf.predict_proba(test.drop(columns=target))[:, 1]
    return roc_auc_score(test[target], proba)


def _detection_auc(real, synthetic, random_state=0):
    """5-fold CV ROC AUC of a classifier telling real rows from synthetic.

    0.5: indistinguishable; 1.0: every synthetic row is recognised.
    """
    import pandas as pd
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    both = pd.concat([real, synthetic], ignore_index=True)
    both = both.assign(
        **{c: both[c].astype(int) for c in both if both[c].dtype == bool}
    )
    label = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    cv = StratifiedKFold(5, shuffle=True, random_state=random_state)
    return cross_val_score(
        _classifier(random_state), both, label, cv=cv, scoring="roc_auc"
    ).mean()


def bench_tvae(args):
    print("## 3. SDV's TVAE vs skgen's VAE on a mixed-type table\n")
    try:
        import sdv
        from sdv.metadata import Metadata
        from sdv.single_table import TVAESynthesizer
    except ImportError:
        print(
            "Skipped: `sdv` is not importable. It is a benchmark-only "
            "dependency (Business Source License), never a dependency of "
            "skgen; see benchmarks/README.md for a separate virtualenv.\n"
        )
        return
    from sklearn.model_selection import train_test_split

    warnings.filterwarnings("ignore", module="sdv")

    df = load_fair()
    train, test = train_test_split(
        df, test_size=0.25, stratify=df["had_affair"], random_state=0
    )
    epochs = 30 if args.quick else args.tvae_epochs
    n_syn = len(train)
    metadata = Metadata.detect_from_dataframes({"fair": train}, infer_keys=None)
    sdtypes = {c: v["sdtype"] for c, v in metadata.tables["fair"].columns.items()}
    # TVAE refuses pandas' category dtype: the same values as objects
    cats = [c for c in train if str(train[c].dtype) == "category"]
    train_obj = train.astype(dict.fromkeys(cats, object))
    rows, seeds = [], range(args.tvae_seeds)
    for seed in seeds:
        torch.manual_seed(seed)  # TVAE draws from torch's global generator
        np.random.seed(seed)  # noqa: NPY002 (and numpy's, for its transformers)
        tvae = TVAESynthesizer(metadata, epochs=epochs, enable_gpu=False)
        t0 = time.perf_counter()
        tvae.fit({"fair": train_obj})  # sdv 2: a dict of one table
        t_tvae = time.perf_counter() - t0
        syn_tvae = _as_real(tvae.sample(n_syn)["fair"], train)
        vae = VAE(
            latent_dim=128,
            hidden_layer_sizes=(128, 128),
            batch_size=500,
            max_epochs=epochs,
            random_state=seed,
        )
        t0 = time.perf_counter()
        vae.fit(train)
        t_vae = time.perf_counter() - t0
        syn_vae = _as_real(vae.sample(n_syn, random_state=seed), train)
        row = {"fit_tvae": t_tvae, "fit_vae": t_vae}
        for name, syn in (("tvae", syn_tvae), ("vae", syn_vae)):
            row[f"tstr_{name}"] = _tstr_auc(syn, test, "had_affair", seed)
            row[f"det_{name}"] = _detection_auc(train, syn, seed)
            snapped = _snap(syn, train)
            row[f"tstr_snap_{name}"] = _tstr_auc(snapped, test, "had_affair", seed)
            row[f"det_snap_{name}"] = _detection_auc(train, snapped, seed)
            row[f"pos_{name}"] = syn["had_affair"].mean()
        rows.append(row)
    trtr = _tstr_auc(train, test, "had_affair")
    half = len(train) // 2
    det_real = _detection_auc(train.iloc[:half], train.iloc[half:])

    def cell(key, fmt):
        values = [r[key] for r in rows]
        text = fmt.format(np.mean(values))
        return text + (f" ± {np.std(values):.3f}" if len(values) > 1 else "")

    print(
        f"statsmodels `fair`: {len(df)} rows; 5 categorical, 3 numeric and "
        f"a bool target `had_affair` ({df['had_affair'].mean():.1%} true). "
        f"Stratified 75/25 split: {len(train)} training rows, {len(test)} "
        f"held out. sdv {sdv.__version__}, TVAESynthesizer defaults "
        f"(batch_size 500, embedding 128, compress/decompress (128, 128)) "
        f"with epochs={epochs}; skgen VAE(latent_dim=128, "
        f"hidden_layer_sizes=(128, 128), batch_size=500, max_epochs={epochs}). "
        f"SDV's detected sdtypes: {sdtypes}. {n_syn} synthetic rows each. "
        f"Seeds {list(seeds)} (mean ± std over "
        f"seeds); torch.set_num_threads({args.threads}) for both. Classifier: "
        "HistGradientBoostingClassifier(categorical_features='from_dtype').\n"
    )
    print("| measure | TVAE | skgen VAE | note |")
    print("|---|---:|---:|---|")
    ratio = np.mean([r["fit_tvae"] / r["fit_vae"] for r in rows])
    print(
        f"| fit time, s | {cell('fit_tvae', '{:.1f}')} | "
        f"{cell('fit_vae', '{:.1f}')} | TVAE / skgen = {ratio:.2f}x |"
    )
    print(
        f"| TSTR ROC AUC (higher is better) | {cell('tstr_tvae', '{:.3f}')} | "
        f"{cell('tstr_vae', '{:.3f}')} | trained on real rows: {trtr:.3f} |"
    )
    print(
        f"| detection ROC AUC (0.5 is best) | {cell('det_tvae', '{:.3f}')} | "
        f"{cell('det_vae', '{:.3f}')} | real vs real (two halves of the "
        f"training rows): {det_real:.3f} |"
    )
    print(
        f"| TSTR ROC AUC, numeric values snapped | {cell('tstr_snap_tvae', '{:.3f}')}"
        f" | {cell('tstr_snap_vae', '{:.3f}')} | snapped to the nearest value "
        "seen in training |"
    )
    print(
        f"| detection ROC AUC, numeric values snapped | "
        f"{cell('det_snap_tvae', '{:.3f}')} | {cell('det_snap_vae', '{:.3f}')} | |"
    )
    print(
        f"| share of had_affair in the synthetic rows | {cell('pos_tvae', '{:.3f}')}"
        f" | {cell('pos_vae', '{:.3f}')} | real: {train['had_affair'].mean():.3f} |"
    )
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--part",
        nargs="+",
        choices=["digits", "speed", "tvae"],
        default=["digits", "speed", "tvae"],
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--epochs", type=int, default=300, help="digits VAE epochs")
    parser.add_argument("--tvae-epochs", type=int, default=300)
    parser.add_argument("--tvae-seeds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    print(
        f"# bench_vae: {platform.machine()}, Python {platform.python_version()}, "
        f"torch {torch.__version__}, torch threads {args.threads}"
        f"{', --quick' if args.quick else ''}\n"
    )
    parts = {"digits": bench_digits, "speed": bench_speed, "tvae": bench_tvae}
    for part in args.part:
        t0 = time.perf_counter()
        parts[part](args)
        print(f"({part}: {time.perf_counter() - t0:.0f} s)\n")


if __name__ == "__main__":
    main()
