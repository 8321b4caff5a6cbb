"""skgen's HMMs against hmmlearn, side by side in one run, as ratios.

1. One long sequence: the wrapper's overhead over hmmlearn for fit and score.
2. Many short sequences: per-sequence scores against hmmlearn called per
   sequence, and fit against hmmlearn with ``lengths``, from the same
   initialisation (same ``random_state``), with the final log-likelihoods.

Run: ``.venv/bin/python benchmarks/bench_hmm.py`` (``--quick`` for a smaller
run). Prints a markdown table; asserts nothing about time.
"""

import argparse
import time
import warnings

import numpy as np
from hmmlearn import hmm as hl

from skgen.datasets import make_hmm_sequences
from skgen.hmm import GaussianHMM


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    long_len = 20_000 if args.quick else 100_000
    n_short = 2_000 if args.quick else 10_000
    n_iter = 10
    warnings.simplefilter("ignore")
    rows = []

    # 1. one long sequence
    X, _ = make_hmm_sequences(1, n_components=3, length=long_len, random_state=0)
    cat = X[0]
    kw = dict(n_components=3, random_state=0, tol=0.0)
    t_sk, sk = best_of(lambda: GaussianHMM(max_iter=n_iter, **kw).fit(X), 3)
    t_hl, ref = best_of(lambda: hl.GaussianHMM(n_iter=n_iter, **kw).fit(cat), 3)
    rows.append(("long sequence: fit (10 EM iterations)", long_len, t_hl, t_sk))
    t_sk_s, ll_sk = best_of(lambda: sk.score_samples(X), 5)
    t_hl_s, ll_hl = best_of(lambda: ref.score(cat), 5)
    rows.append(("long sequence: score", long_len, t_hl_s, t_sk_s))
    long_diff = abs(ll_sk[0] - ll_hl) / abs(ll_hl)

    # 2. many short sequences
    X, _ = make_hmm_sequences(n_short, n_components=3, length=10, random_state=1)
    cat, lengths = np.concatenate(X), np.full(n_short, 10)
    sk = GaussianHMM(max_iter=n_iter, **kw).fit(X)
    model = sk.model_
    t_sk_s, ll = best_of(lambda: sk.score_samples(X), 3)
    t_hl_s, ll_ref = best_of(lambda: np.array([model.score(x) for x in X]), 1)
    rows.append((f"{n_short} x 10 steps: score_samples", n_short, t_hl_s, t_sk_s))
    score_diff = np.max(np.abs(ll - ll_ref) / np.abs(ll_ref))
    t_sk_f, sk = best_of(lambda: GaussianHMM(max_iter=n_iter, **kw).fit(X), 2)
    t_hl_f, ref = best_of(
        lambda: hl.GaussianHMM(n_iter=n_iter, **kw).fit(cat, lengths), 1
    )
    rows.append(
        (f"{n_short} x 10 steps: fit (10 EM iterations)", n_short, t_hl_f, t_sk_f)
    )
    fit_ll, ref_ll = sk.lower_bounds_[-1], ref.monitor_.history[-1]
    fit_diff = abs(fit_ll - ref_ll) / abs(ref_ll)

    print("| task | size | hmmlearn s | skgen s | hmmlearn / skgen |")
    print("|---|---:|---:|---:|---:|")
    for name, size, a, b in rows:
        print(f"| {name} | {size} | {a:.4f} | {b:.4f} | {a / b:.2f}x |")
    print()
    print(f"long sequence: relative difference of log-likelihoods {long_diff:.1e}")
    print(
        "short sequences: max relative difference of per-sequence scores "
        f"{score_diff:.1e}"
    )
    print(
        f"short sequences: final training log-likelihood skgen {fit_ll:.6f}, "
        f"hmmlearn {ref_ll:.6f}, relative difference {fit_diff:.1e}"
    )


if __name__ == "__main__":
    main()
