"""The ``skgen`` command.

``skgen leaderboard`` compares generative models on a dataset by K-fold
cross-validated held-out log-likelihood and prints a table, then a few
samples from the best model.
"""

import argparse
import math
import sys
import time
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold

__all__ = ["main"]


@dataclass
class Dataset:
    """Data for the leaderboard: the samples and how to count their units."""

    name: str
    X: list
    representation: str


@dataclass
class Result:
    name: str
    likelihood_kind: str
    mean: float  # held-out log-likelihood, nats per sample
    sem: float  # standard error of the mean across folds
    nats_per_token: float
    fit_time: float
    score_time: float


def _read_documents(path, split):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if split == "auto":
        split = "block" if "\n\n" in text.strip() else "line"
    if split == "block":
        parts = [" ".join(p.split("\n")) for p in text.split("\n\n")]
    else:
        parts = text.split("\n")
    docs = [p.strip() for p in parts if p.strip()]
    if not docs:
        raise SystemExit(f"skgen: error: {path} holds no documents.")
    return docs


def _text_dataset(args):
    if args.data is None:
        from skgen.datasets import load_text_corpus

        return Dataset(
            "embedded text corpus (pydoc topics)", load_text_corpus().data, "text"
        )
    return Dataset(args.data, _read_documents(args.data, args.split), "text")


def _text_candidates(args):
    from skgen.markov import MarkovChain
    from skgen.pipeline import make_generative_pipeline
    from skgen.text import CharTokenizer, WordTokenizer

    tokenizer = CharTokenizer() if args.level == "char" else WordTokenizer()
    for smoothing in args.smoothing:
        for order in args.orders:
            model = MarkovChain(order=order, smoothing=smoothing)
            name = f"MarkovChain(order={order}, {smoothing}) [{args.level}]"
            yield name, make_generative_pipeline(clone(tokenizer), model)


def _n_tokens(pipeline, X):
    """Predicted events per document: tokens plus the end symbol."""
    tokens = pipeline[:-1].transform(X)
    return sum(len(t) + 1 for t in tokens)


def _progress(message, enabled, *, new_line=False):
    """Progress on stderr: one updating line on a terminal, else line by line."""
    if not enabled:
        return
    if sys.stderr.isatty():
        print(f"\r{message:<78}", end="", file=sys.stderr, flush=True)
    elif new_line:
        print(message, file=sys.stderr, flush=True)


def evaluate(candidates, dataset, *, n_splits=5, random_state=0, progress=False):
    """Cross-validate each candidate; return one :class:`Result` each."""
    X = dataset.X
    if len(X) < n_splits:
        raise SystemExit(
            f"skgen: error: {len(X)} samples cannot be split into {n_splits} folds."
        )
    folds = list(KFold(n_splits, shuffle=True, random_state=random_state).split(X))
    take = (lambda idx: [X[i] for i in idx]) if isinstance(X, list) else X.__getitem__
    results = []
    for c, (name, estimator) in enumerate(candidates, 1):
        _progress(f"[{c}/{len(candidates)}] {name}", progress, new_line=True)
        fold_means, total_ll, total_tokens, fit_time, score_time = [], 0.0, 0, 0.0, 0.0
        for f, (train, test) in enumerate(folds, 1):
            _progress(f"[{c}/{len(candidates)}] {name}: fold {f}/{n_splits}", progress)
            model = clone(estimator)
            t0 = time.perf_counter()
            model.fit(take(train))
            t1 = time.perf_counter()
            ll = model.score_samples(take(test))
            score_time += time.perf_counter() - t1
            fit_time += t1 - t0
            fold_means.append(ll.mean())
            total_ll += ll.sum()
            total_tokens += _n_tokens(model, take(test))
        fold_means = np.array(fold_means)
        results.append(
            Result(
                name=name,
                likelihood_kind=estimator.likelihood_kind,
                mean=total_ll / len(X),
                sem=fold_means.std(ddof=1) / math.sqrt(n_splits),
                nats_per_token=-total_ll / total_tokens,
                fit_time=fit_time / n_splits,
                score_time=score_time / n_splits,
            )
        )
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    return results


def format_table(results):
    """The leaderboard as aligned text, best held-out likelihood first."""
    header = (
        "rank",
        "model",
        "likelihood",
        "loglik/sample",
        "± s.e.",
        "nats/token",
        "bits/token",
        "fit s",
        "score s",
    )
    rows = [
        (
            str(i),
            r.name,
            r.likelihood_kind,
            f"{r.mean:.1f}",
            f"{r.sem:.1f}",
            f"{r.nats_per_token:.4f}",
            f"{r.nats_per_token / math.log(2):.4f}",
            f"{r.fit_time:.3f}",
            f"{r.score_time:.3f}",
        )
        for i, r in enumerate(sorted(results, key=lambda r: -r.mean), 1)
    ]
    widths = [max(len(x) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join
    out = [line(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append(line("-" * w for w in widths))
    out += [
        line(
            x.ljust(w) if j < 3 else x.rjust(w)
            for j, (x, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    return "\n".join(out)


def leaderboard(args):
    dataset = _text_dataset(args)
    candidates = list(_text_candidates(args))
    progress = not args.quiet
    print(
        f"Dataset: {dataset.name}: {len(dataset.X)} documents; "
        f"{args.n_splits}-fold cross-validation, held-out log-likelihood in nats "
        "(per document and per token, the end of each document counting as a token)."
    )
    results = evaluate(
        candidates,
        dataset,
        n_splits=args.n_splits,
        random_state=args.random_state,
        progress=progress,
    )
    print(format_table(results))
    if args.n_samples:
        best = max(results, key=lambda r: r.mean)
        model = clone(dict(candidates)[best.name]).fit(dataset.X)
        print(f"\nSamples from the best model, {best.name}, fitted on all the data:")
        samples = model.sample(
            args.n_samples, max_length=args.max_length, random_state=args.random_state
        )
        for i, s in enumerate(samples, 1):
            print(f"  {i}. {' '.join(s.split())!r}")
    return 0


def _orders(text):
    try:
        orders = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"orders must be comma-separated ints; got {text!r}"
        ) from None
    if min(orders) < 0:
        raise argparse.ArgumentTypeError(f"orders must be >= 0; got {text!r}")
    return orders


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skgen", description="Generative models as scikit-learn estimators."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    lb = sub.add_parser(
        "leaderboard",
        help="compare models by cross-validated held-out log-likelihood",
        description=(
            "Fit candidate models with K-fold cross-validation and rank them "
            "by mean held-out log-likelihood. Default data: the embedded text "
            "corpus; Markov chains of several orders with both smoothings."
        ),
    )
    lb.add_argument("--data", metavar="FILE", help="a UTF-8 text file of documents")
    lb.add_argument(
        "--split",
        choices=["auto", "line", "block"],
        default="auto",
        help="documents are lines or blank-line-separated blocks (default: auto)",
    )
    lb.add_argument("--level", choices=["char", "word"], default="char")
    lb.add_argument("--orders", type=_orders, default=[1, 2, 3, 4, 5])
    lb.add_argument(
        "--smoothing",
        nargs="+",
        choices=["kneser-ney", "additive"],
        default=["kneser-ney", "additive"],
    )
    lb.add_argument("--n-splits", type=int, default=5)
    lb.add_argument("--n-samples", type=int, default=3, help="samples to print")
    lb.add_argument("--max-length", type=int, default=300, help="tokens per sample")
    lb.add_argument("--random-state", type=int, default=0)
    lb.add_argument("--quiet", action="store_true", help="no progress on stderr")
    lb.set_defaults(func=leaderboard)
    return parser


def main(argv=None):
    """Entry point of the ``skgen`` console script."""
    args = build_parser().parse_args(argv)
    if args.n_splits < 2:
        build_parser().error(f"--n-splits must be >= 2; got {args.n_splits}")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
