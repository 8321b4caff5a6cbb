"""The language models on a GPU: fit, cached sampling, determinism, speed.

Run it when a GPU machine is lent; it prints a short markdown report::

    .venv/bin/python benchmarks/gpu_check.py                 # device="cuda"
    .venv/bin/python benchmarks/gpu_check.py --device cpu    # smoke test

For each of ``RNNLanguageModel()`` and ``TransformerLanguageModel()``
(default networks; ``--small`` for tiny ones, the default with
``--device cpu``) it fits ``--epochs`` epochs without early stopping on the
first ``--docs`` documents of the embedded corpus (``CharTokenizer`` ids) on
the device, twice with the same ``random_state``, and reports:

- training tokens per second (every step of every document is predicted
  once an epoch);
- where the fitted model scores and samples (device, dtype);
- determinism: the two fits' ``score_samples`` (identical, or their largest
  difference), and two ``sample`` calls with the same ``random_state``
  (identical tokens or not);
- cached against uncached generation (``_generate_tokens(..., cache=False)``)
  from the same generator: identical tokens or not;
- generation tokens per second of ``sample`` (the cached path) on the device.

It exits with a message (status 2) when CUDA is asked for and absent.
Asserts nothing about time and writes no files.
"""

import argparse
import platform
import sys
import time

import numpy as np
import torch

from skgen.datasets import load_text_corpus
from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.text import CharTokenizer

SMALL = {
    "LSTM": {"embedding_dim": 16, "hidden_size": 32, "num_layers": 1},
    "Transformer": {
        "d_model": 16,
        "nhead": 2,
        "num_layers": 1,
        "dim_feedforward": 32,
        "context_length": 32,
    },
}
CLASSES = {"LSTM": RNNLanguageModel, "Transformer": TransformerLanguageModel}


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def fit(label, X, args):
    kwargs = SMALL[label] if args.small else {}
    est = CLASSES[label](
        **kwargs,
        max_epochs=args.epochs,
        early_stopping=False,
        device=args.device,
        random_state=0,
    )
    sync(args.device)
    start = time.perf_counter()
    est.fit(X)
    sync(args.device)
    return est, time.perf_counter() - start


def check(label, X, args, rows):
    est, fit_time = fit(label, X, args)
    est2, fit_time2 = fit(label, X, args)
    tokens = args.epochs * sum(len(x) + 1 for x in X)
    weight = next(est._eval_module().parameters())
    s1 = est.score_samples(X[:5])
    s2 = est2.score_samples(X[:5])
    diff = float(np.max(np.abs(s1 - s2)))
    a = est.sample(args.n_samples, max_length=args.max_length, random_state=0)
    sync(args.device)
    start = time.perf_counter()
    b = est.sample(args.n_samples, max_length=args.max_length, random_state=0)
    sync(args.device)
    gen_time = time.perf_counter() - start
    same_samples = all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    module = est._eval_module()
    seqs = {}
    for cache in (True, False):
        gen = torch.Generator().manual_seed(0)
        seqs[cache], _ = est._generate_tokens(
            module, 4, None, args.uncached_length, 1.0, None, None, gen, cache=cache
        )
    same_cache = all(
        np.array_equal(u, v) for u, v in zip(seqs[True], seqs[False], strict=True)
    )
    n_drawn = sum(len(s) for s in b)
    rows += [
        (
            label,
            "fit time (first / second fit)",
            f"{fit_time:.1f} s / {fit_time2:.1f} s",
        ),
        (label, "training tokens / s (second fit)", f"{tokens / fit_time2:,.0f}"),
        (label, "scores and samples on", f"{weight.device}, {weight.dtype}"),
        (
            label,
            "same random_state, two fits: score_samples",
            "identical" if diff == 0 else f"differ by up to {diff:.3g} nats",
        ),
        (label, "same random_state, two samples: tokens", _yes(same_samples)),
        (
            label,
            f"cached vs uncached generation ({args.uncached_length} tokens)",
            "identical tokens" if same_cache else "**different tokens**",
        ),
        (
            label,
            f"generation tokens / s: sample({args.n_samples}, "
            f"max_length={args.max_length})",
            f"{n_drawn / gen_time:,.0f} ({n_drawn:,} tokens in {gen_time:.2f} s)",
        ),
    ]
    return same_samples and same_cache


def _yes(ok):
    return "identical" if ok else "**different**"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--small", action="store_true", help="tiny networks")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--n-samples", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=500)
    parser.add_argument("--uncached-length", type=int, default=200)
    args = parser.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print(
            f"gpu_check.py: device {args.device!r} was asked for but CUDA is not "
            f"available (torch {torch.__version__}); run with --device cpu for "
            "the smoke test.",
            file=sys.stderr,
        )
        return 2
    cpu = args.device == "cpu"
    args.small = args.small or cpu
    args.epochs = args.epochs or (1 if cpu else 3)
    args.docs = args.docs or (10 if cpu else 70)
    if cpu:
        args.n_samples = min(args.n_samples, 8)
        args.max_length = min(args.max_length, 100)
        args.uncached_length = min(args.uncached_length, 50)
    docs = list(load_text_corpus().data)[: args.docs]
    X = CharTokenizer().fit(docs).transform(docs)
    name = torch.cuda.get_device_name() if not cpu else platform.processor() or "cpu"
    print(
        f"# gpu_check.py {' '.join(sys.argv[1:])}\n\n"
        f"device {args.device} ({name}), torch {torch.__version__}; "
        f"{'tiny' if args.small else 'default'} networks, {args.epochs} epochs on "
        f"{len(X)} documents ({sum(map(len, X)):,} characters), no early "
        "stopping.\n"
    )
    rows, ok = [], True
    for label in CLASSES:
        ok &= check(label, X, args, rows)
    print("| model | check | result |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nSampling determinism and cache exactness: {'ok' if ok else 'FAILED'}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
