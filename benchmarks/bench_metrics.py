"""Speed of skgen.metrics at 10,000 and 100,000 rows, with references.

Data: a mixture of 5 Gaussians in 10 dimensions (real) against the same
mixture shifted by 0.1 in every coordinate (generated); the same number of
rows on both sides. Where a straightforward reference exists it runs in the
same process on the same data and the table shows reference / skgen:

- ``frechet_distance``: the usual implementation, ``scipy.linalg.sqrtm`` of
  the non-symmetric product ``S1 S2`` with the imaginary part dropped;
- ``mmd``: the same pooled kernel matrix with a Python loop over
  permutations that re-indexes it for each one (run for 100 permutations
  and scaled to the 1000 of the default);
- ``precision_recall`` (10,000 rows only): the reference code of Naeem et
  al. (``prdc``), full pairwise distance matrices and ``np.partition``,
  written out here (three 10,000 x 10,000 float64 matrices).

Usage::

    .venv/bin/python benchmarks/bench_metrics.py           # 10k and 100k rows
    .venv/bin/python benchmarks/bench_metrics.py --quick   # 10k rows only

It prints markdown to stdout and writes no files.
"""

import argparse
import platform
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from _timing import best_time, fmt_time
from scipy import linalg
from sklearn.metrics import pairwise_distances

from skgen.metrics import (
    detection_score,
    distance_to_closest_record,
    frechet_distance,
    inception_score,
    membership_inference_auc,
    mmd,
    precision_recall,
    representation_gap,
    tstr_score,
)
from skgen.metrics._mmd import _kernel_matrix, _mmd2_unbiased

N_FEATURES = 10


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, size=(5, N_FEATURES))

    def draw(shift):
        labels = rng.integers(0, 5, n)
        return centres[labels] + rng.normal(size=(n, N_FEATURES)) + shift, labels

    (R, yr), (G, yg) = draw(0.0), draw(0.1)
    return R, G, yr, yg


# ------------------------------------------------------------- references


def frechet_sqrtm(A, B):
    mu1, mu2 = A.mean(axis=0), B.mean(axis=0)
    S1, S2 = np.cov(A, rowvar=False), np.cov(B, rowvar=False)
    covmean = linalg.sqrtm(S1 @ S2)
    covmean = np.real(covmean)
    return float((mu1 - mu2) @ (mu1 - mu2) + np.trace(S1 + S2 - 2 * covmean))


def mmd_loop_permutations(X, Y, n_permutations, seed=0):
    """Statistic and permutation loop re-indexing the kernel matrix."""
    rng = np.random.RandomState(seed)
    K = _kernel_matrix(np.vstack([X, Y]), "rbf", None, rng)
    m = X.shape[0]
    observed = _mmd2_unbiased(K, m)
    count = 0
    for _ in range(n_permutations):
        p = rng.permutation(K.shape[0])
        count += _mmd2_unbiased(K[np.ix_(p, p)], m) >= observed
    return observed, (1 + count) / (1 + n_permutations)


def prdc_reference(R, G, k):
    """Naeem et al.'s prdc: full distance matrices."""

    def radii(X):
        d = pairwise_distances(X)
        return np.partition(d, k, axis=1)[:, k]

    r_real, r_gen = radii(R), radii(G)
    d = pairwise_distances(R, G)
    precision = (d <= r_real[:, None]).any(axis=0).mean()
    recall = (d <= r_gen[None, :]).any(axis=1).mean()
    density = (d <= r_real[:, None]).sum() / (k * G.shape[0])
    coverage = (d.min(axis=1) <= r_real).mean()
    return precision, recall, density, coverage


# -------------------------------------------------------------------- run


def run(n, rows, log):
    R, G, yr, yg = make_data(n)
    half = n // 2

    t, val = best_time(lambda: frechet_distance(R, G), repeats=5)
    t_ref, ref = best_time(lambda: frechet_sqrtm(R, G), repeats=5)
    rows.append(
        (
            n,
            "frechet_distance",
            fmt_time(t),
            fmt_time(t_ref),
            f"{t_ref / t:.2f}x",
            f"{val:.6f} (sqrtm: {ref:.6f})",
        )
    )
    log(f"{n}: frechet done")

    t, res = best_time(lambda: mmd(R, G, random_state=0))
    note = f"statistic {res.statistic:.4f}, p = {res.pvalue:.4f}; 2000 + 2000 rows"
    ref_cell = ratio = ""
    if n <= 10_000:
        rng = np.random.default_rng(0)
        Xs = R[rng.choice(n, 2000, replace=False)]
        Ys = G[rng.choice(n, 2000, replace=False)]
        t_sk, _ = best_time(lambda: mmd(Xs, Ys, max_samples=None, random_state=0))
        t_loop, _ = best_time(lambda: mmd_loop_permutations(Xs, Ys, 100))
        t_kernel, _ = best_time(lambda: mmd(Xs, Ys, max_samples=None, n_permutations=0))
        t_loop_1000 = t_kernel + (t_loop - t_kernel) * 10
        ref_cell = f"~{fmt_time(t_loop_1000)}"
        ratio = f"{t_loop_1000 / t_sk:.1f}x"
        note += f"; kernel matrix + statistic alone {fmt_time(t_kernel)}"
    rows.append((n, "mmd (1000 permutations)", fmt_time(t), ref_cell, ratio, note))
    log(f"{n}: mmd done")

    t, res = best_time(lambda: precision_recall(R, G, random_state=0))
    ref_cell = ratio = ""
    note = "P {:.3f} R {:.3f} D {:.3f} C {:.3f}".format(*res)
    if n <= 10_000:
        t_ref, ref = best_time(lambda: prdc_reference(R, G, 5))
        ref_cell, ratio = fmt_time(t_ref), f"{t_ref / t:.2f}x"
        same = np.allclose(res, ref, rtol=0, atol=1e-12)
        note += f"; equal to reference: {'yes' if same else 'NO'}"
    else:
        note += "; default max_samples=10,000 per side"
    rows.append((n, "precision_recall (k=5)", fmt_time(t), ref_cell, ratio, note))
    log(f"{n}: precision_recall done")

    t, auc = best_time(lambda: detection_score(R, G, random_state=0))
    rows.append(
        (n, "detection_score (HGB, 5 folds)", fmt_time(t), "", "", f"AUC {auc:.3f}")
    )
    log(f"{n}: detection done")

    t, acc = best_time(lambda: tstr_score(G, yg, R, yr))
    rows.append((n, "tstr_score (HGB)", fmt_time(t), "", "", f"accuracy {acc:.3f}"))
    log(f"{n}: tstr done")

    t, res = best_time(lambda: distance_to_closest_record(R, G))
    rows.append(
        (
            n,
            "distance_to_closest_record (leave-one-out)",
            fmt_time(t),
            "",
            "",
            f"ratio {res.ratio:.3f}",
        )
    )
    log(f"{n}: dcr done")

    t, auc = best_time(lambda: membership_inference_auc(R[:half], R[half:], G[:half]))
    rows.append(
        (
            n,
            f"membership_inference_auc ({half} + {half} candidates)",
            fmt_time(t),
            "",
            "",
            f"AUC {auc:.3f}",
        )
    )
    log(f"{n}: mia done")

    proba = np.random.default_rng(1).dirichlet(np.full(10, 0.2), size=n)
    t, res = best_time(lambda: inception_score(proba, n_splits=10), repeats=3)
    rows.append(
        (
            n,
            "inception_score (10 classes, 10 splits)",
            fmt_time(t),
            "",
            "",
            f"{res.mean:.3f} ± {res.std:.3f}",
        )
    )

    real = pd.DataFrame({"group": yr, "outcome": R[:, 0] > 0})
    gen = pd.DataFrame({"group": yg, "outcome": G[:, 0] > 0})
    t, res = best_time(
        lambda: representation_gap(real, gen, sensitive="group", outcome="outcome"),
        repeats=3,
    )
    rows.append(
        (
            n,
            "representation_gap (5 groups, outcome)",
            fmt_time(t),
            "",
            "",
            f"max share gap {res.max_share_gap:.4f}",
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k rows only")
    parser.add_argument("--progress", action="store_true", help="log to stderr")
    args = parser.parse_args()

    def log(message):
        if args.progress:
            print(message, file=sys.stderr, flush=True)

    sizes = [10_000] if args.quick else [10_000, 100_000]
    rows = []
    for n in sizes:
        run(n, rows, log)
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}; {N_FEATURES} features, the same "
        "number of real and generated rows.\n"
    )
    print("| rows | metric | skgen | reference | reference / skgen | value |")
    print("|---:|---|---:|---:|---:|---|")
    for row in rows:
        print(
            "| "
            + " | ".join(f"{row[0]:,}" if i == 0 else str(c) for i, c in enumerate(row))
            + " |"
        )


if __name__ == "__main__":
    main()
