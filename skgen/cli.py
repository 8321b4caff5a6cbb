"""The ``skgen`` command.

``skgen leaderboard`` compares generative models on a dataset by K-fold
cross-validated held-out log-likelihood and prints a table, then a few
samples from the best model.

Datasets: ``text`` (Markov chains on the embedded corpus or a file),
``sequences`` (hidden Markov models on synthetic HMM data) and ``digits``
(density models of tables: skgen's VAE beside scikit-learn's
GaussianMixture, KernelDensity, PCA and FactorAnalysis on sklearn's
``load_digits``, dequantized by adding U[0, 1) noise to the integer pixel
values, seeded by ``--random-state``, and left unscaled, so that every
log-likelihood is a density of the dequantized pixels).

Every bad option, data too small for the folds or the models included, is
reported as ``skgen: error: ...`` with exit status 2 (argparse's
``parser.error``) before any model is fitted.
"""

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold

__all__ = ["main"]


class UsageError(Exception):
    """A bad option, found once the data is known: ``skgen: error: ...``
    and exit status 2, as argparse reports the others."""


@dataclass
class Dataset:
    """Data for the leaderboard and how to read its models' results.

    ``count_steps(model, X)`` counts the steps each model predicts (tokens
    plus end symbols for text, time steps for sequences, pixels for
    digits); ``show(sample)`` renders one sample as a line, or
    ``render(samples)`` renders them all as a block of text.
    """

    name: str
    X: list
    count_steps: object
    show: object
    note: str = ""
    render: object = None


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
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text ({exc}).") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}.") from None
    if split == "auto":
        split = "block" if "\n\n" in text.strip() else "line"
    if split == "block":
        parts = [" ".join(p.split("\n")) for p in text.split("\n\n")]
    else:
        parts = text.split("\n")
    docs = [p.strip() for p in parts if p.strip()]
    if not docs:
        raise UsageError(f"{path} holds no documents.")
    return docs


def _text_steps(pipeline, X):
    """Predicted events per document: tokens plus the end symbol."""
    return sum(len(t) + 1 for t in pipeline[:-1].transform(X))


def _show_text(sample):
    return repr(" ".join(sample.split()))


def _text_dataset(args):
    if args.data is None:
        from skgen.datasets import load_text_corpus

        name, X = "embedded text corpus (pydoc topics)", load_text_corpus().data
    else:
        name, X = args.data, _read_documents(args.data, args.split)
    return Dataset(
        f"{name}: {len(X)} documents",
        X,
        _text_steps,
        _show_text,
        "A step is a token; the end of each document counts as one.",
    )


def _sequence_dataset(args):
    from skgen.datasets import make_hmm_sequences

    n = args.n_sequences
    X, _ = make_hmm_sequences(
        n, n_components=3, n_features=2, length=(20, 50), random_state=0
    )
    return Dataset(
        f"synthetic HMM sequences: {n} sequences of 2-D vectors from a 3-state "
        "Gaussian HMM (make_hmm_sequences, random_state=0)",
        X,
        lambda model, X: sum(len(x) for x in X),
        lambda s: f"{len(s)} steps, first 3: {np.round(s[:3], 2).tolist()}",
        "A step is one time step; HMM likelihoods are given the length.",
    )


#: Digit images have 17 grey levels (0 to 16); dequantized pixels lie in
#: [0, 17).
_DIGIT_LEVELS = 17
#: Rows of sklearn's ``load_digits``.
_N_DIGITS = 1797
_DIGIT_RAMP = " .:-=+*#%@"


def digits_data(random_state=0, n_rows=None):
    """sklearn's 8x8 digit images as a dequantized float table.

    Each row is one image (64 pixels, integer grey levels 0 to 16) plus
    noise drawn from U[0, 1) per pixel, so that a density on the result is
    a valid model of the integer data (its log-likelihood lower-bounds the
    discrete log-probability of the original pixels). Pixels are left
    unscaled: log-likelihoods are densities of the dequantized pixels.
    Always-zero pixels become U[0, 1) noise, so no column is constant.

    Parameters
    ----------
    random_state : int, default=0
        Seeds the noise and the choice of rows.
    n_rows : int, default=None
        A random subset of this many rows; all 1797 when None.

    Returns
    -------
    X : ndarray of shape (n_rows, 64), float64
    """
    from sklearn.datasets import load_digits

    rng = np.random.RandomState(random_state)
    X = load_digits().data
    X = X + rng.uniform(size=X.shape)
    if n_rows is not None and n_rows < len(X):
        X = X[np.sort(rng.choice(len(X), n_rows, replace=False))]
    return X


def _render_digits(samples, per_line=4):
    """Sampled rows as 8x8 images in ASCII art, side by side."""
    samples = np.asarray(samples, dtype=float).reshape(-1, 8, 8)
    top = len(_DIGIT_RAMP) - 1
    levels = np.clip(samples / _DIGIT_LEVELS * len(_DIGIT_RAMP), 0, top)
    levels = np.nan_to_num(levels).astype(int)
    blocks = []
    for start in range(0, len(samples), per_line):
        chunk = levels[start : start + per_line]
        head = "  ".join(f"{start + i + 1}.".ljust(16) for i in range(len(chunk)))
        rows = [
            "  ".join("".join(2 * _DIGIT_RAMP[v] for v in img[r]) for img in chunk)
            for r in range(8)
        ]
        blocks.append("\n".join(["  " + head.rstrip(), *("  " + r for r in rows)]))
    return "\n".join(blocks)


def _digits_dataset(args):
    X = digits_data(args.random_state, args.n_rows)
    return Dataset(
        f"sklearn digits (load_digits): {len(X)} images of 8x8 = 64 pixels, "
        "grey levels 0-16 dequantized with U[0,1) noise "
        f"(random_state={args.random_state}), unscaled",
        X,
        lambda model, X: X.size,
        lambda s: np.array2string(np.round(s, 1), max_line_width=200),
        "A step is one pixel: nats/step and bits/step are nats and bits per "
        "pixel (per dimension) of the dequantized pixel density.",
        _render_digits,
    )


#: GaussianMixture component counts (``--n-components``) and PCA component
#: counts of the digits leaderboard.
_DIGITS_N_COMPONENTS = (5, 20, 60)
_DIGITS_PCA_COMPONENTS = (30, 60)


def digits_candidates(
    *,
    n_components=_DIGITS_N_COMPONENTS,
    bandwidths=(1.0, 2.0),
    pca_components=_DIGITS_PCA_COMPONENTS,
    max_epochs=300,
    random_state=0,
):
    """(name, estimator) pairs that the digits leaderboard compares.

    skgen's VAE, and scikit-learn's density models: GaussianMixture with
    diagonal covariances (``n_components`` each) and full covariances
    (those of ``n_components`` up to 10), KernelDensity (Gaussian kernel,
    ``bandwidths``), PCA (probabilistic PCA, ``pca_components``) and
    FactorAnalysis (all components). Their ``score_samples`` are
    log-densities per row in nats; their ``score`` is not used (for
    KernelDensity it is a sum).
    """
    from sklearn.decomposition import PCA, FactorAnalysis
    from sklearn.mixture import GaussianMixture
    from sklearn.neighbors import KernelDensity

    from skgen.neural import VAE

    yield (
        "VAE(latent_dim=48, hidden=(256,))",
        VAE(
            48,
            hidden_layer_sizes=(256,),
            weight_decay=3e-2,
            max_epochs=max_epochs,
            n_importance_samples=512,
            random_state=random_state,
        ),
    )
    for k in n_components:
        for cov in ("diag", "full") if k <= 10 else ("diag",):
            yield (
                f"GaussianMixture(n_components={k}, {cov})",
                GaussianMixture(k, covariance_type=cov, random_state=random_state),
            )
    for b in bandwidths:
        yield f"KernelDensity(bandwidth={b:g})", KernelDensity(bandwidth=b)
    for k in pca_components:
        yield f"PCA(n_components={k})", PCA(k)
    yield "FactorAnalysis()", FactorAnalysis(random_state=random_state)


def _digits_candidates(args):
    return digits_candidates(
        n_components=args.n_components or _DIGITS_N_COMPONENTS,
        max_epochs=args.max_epochs,
        random_state=args.random_state,
    )


def _draw(model, n_samples, random_state, **kwargs):
    """``n_samples`` new samples from a fitted model, seeded.

    skgen models follow the sampling contract. Of scikit-learn's density
    models, GaussianMixture samples with its own ``random_state`` and
    returns (X, labels); PCA and FactorAnalysis have no ``sample``, so their
    Gaussian (``mean_``, ``get_covariance()``) is sampled directly.
    """
    from sklearn.mixture import GaussianMixture

    if isinstance(model, GaussianMixture):
        return model.set_params(random_state=random_state).sample(n_samples)[0]
    if not hasattr(model, "sample") and hasattr(model, "get_covariance"):
        rng = np.random.RandomState(random_state)
        return rng.multivariate_normal(model.mean_, model.get_covariance(), n_samples)
    return model.sample(n_samples, random_state=random_state, **kwargs)


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


def _sequence_candidates(args):
    from skgen.hmm import GMMHMM, GaussianHMM

    for k in args.n_components or (1, 2, 3, 4, 5):
        yield (
            f"GaussianHMM(n_components={k})",
            GaussianHMM(k, n_init=2, tol=1.0, random_state=args.random_state),
        )
    yield (
        "GMMHMM(n_components=2, n_mix=2)",
        GMMHMM(2, n_mix=2, n_init=2, tol=1.0, random_state=args.random_state),
    )


def _progress(message, enabled, *, new_line=False):
    """Progress on stderr: one updating line on a terminal, else line by line."""
    if not enabled:
        return
    if sys.stderr.isatty():
        print(f"\r{message:<78}", end="", file=sys.stderr, flush=True)
    elif new_line:
        print(message, file=sys.stderr, flush=True)


def _folds(n_samples, n_splits, random_state):
    """The (train, test) index pairs of the leaderboard's K-fold split."""
    kfold = KFold(n_splits, shuffle=True, random_state=random_state)
    return list(kfold.split(np.arange(n_samples)))


def _check_sizes(args, dataset):
    """Refuse, before any fit, data too small for the folds or the models.

    Every training fold must hold as many samples as the largest model has
    components: time steps for the HMMs (one state per step at least),
    rows for the digits' GaussianMixture and PCA.
    """
    n = len(dataset.X)
    if n < args.n_splits:
        raise UsageError(f"{n} samples cannot be split into {args.n_splits} folds.")
    train = [idx for idx, _ in _folds(n, args.n_splits, args.random_state)]
    if args.dataset == "sequences":
        k = max(args.n_components or (1, 2, 3, 4, 5))
        steps = min(sum(len(dataset.X[i]) for i in idx) for idx in train)
        if steps < k:
            raise UsageError(
                f"--n-components {k} needs at least {k} time steps in every "
                f"training fold; with --n-sequences {n} and --n-splits "
                f"{args.n_splits} the smallest has {steps} time steps. Use fewer "
                "components or more sequences."
            )
    elif args.dataset == "digits":
        rows = min(len(idx) for idx in train)
        needs = [
            (k, f"GaussianMixture(n_components={k})", "--n-components")
            for k in args.n_components or _DIGITS_N_COMPONENTS
        ] + [(k, f"PCA(n_components={k})", None) for k in _DIGITS_PCA_COMPONENTS]
        k, model, flag = max(needs)
        if rows < k:
            # floor(n (s - 1) / s) training rows in the smallest fold
            least = -(-k * args.n_splits // (args.n_splits - 1))
            grow = args.n_rows is not None and least <= _N_DIGITS
            advice = f"use --n-rows >= {least}" if grow else ""
            if flag:
                advice += f"{' or ' if advice else ''}lower {flag}"
            raise UsageError(
                f"{n} rows in {args.n_splits} folds leave {rows} training rows "
                f"in a fold, fewer than the {k} that {model} needs; {advice}."
            )


def evaluate(candidates, dataset, *, n_splits=5, random_state=0, progress=False):
    """Cross-validate each candidate; return one :class:`Result` each.

    A model's held-out log-likelihood is the mean of its ``score_samples``
    over the held-out samples (never its ``score``: scikit-learn's
    KernelDensity returns a sum there). Estimators without a
    ``likelihood_kind`` (scikit-learn's) are listed as "exact".
    """
    X = dataset.X
    folds = _folds(len(X), n_splits, random_state)
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
            total_tokens += dataset.count_steps(model, take(test))
        fold_means = np.array(fold_means)
        results.append(
            Result(
                name=name,
                likelihood_kind=getattr(estimator, "likelihood_kind", "exact"),
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
        "nats/step",
        "bits/step",
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
    """Run the leaderboard; a :class:`UsageError` comes before any fit."""
    if args.dataset != "text" and args.data is not None:
        raise UsageError(f"--data is text; drop --dataset {args.dataset}.")
    if args.dataset == "sequences":
        dataset, candidates = _sequence_dataset(args), list(_sequence_candidates(args))
    elif args.dataset == "digits":
        dataset, candidates = _digits_dataset(args), list(_digits_candidates(args))
    else:
        dataset, candidates = _text_dataset(args), list(_text_candidates(args))
    _check_sizes(args, dataset)
    progress = not args.quiet
    print(
        f"Dataset: {dataset.name}.\n{args.n_splits}-fold cross-validation; "
        "held-out log-likelihood in nats per sample and per step. "
        f"{dataset.note}"
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
        kwargs = {"max_length": args.max_length} if args.dataset == "text" else {}
        samples = _draw(model, args.n_samples, args.random_state, **kwargs)
        if dataset.render is not None:
            print(dataset.render(samples))
        else:
            for i, s in enumerate(samples, 1):
                print(f"  {i}. {dataset.show(s)}")
    return 0


def _orders(text):
    """Comma-separated non-negative ints (``--orders``, ``--n-components``)."""
    try:
        orders = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated ints; got {text!r}"
        ) from None
    if min(orders) < 0:
        raise argparse.ArgumentTypeError(f"expected ints >= 0; got {text!r}")
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
            "corpus; Markov chains of several orders with both smoothings. "
            "--dataset digits: sklearn's load_digits (8x8 images, 64 pixels), "
            "dequantized by adding U[0,1) noise to the integer pixel values "
            "(seeded by --random-state) and left unscaled, so log-likelihoods "
            "are densities of the dequantized pixels; skgen's VAE (a lower "
            "bound) beside GaussianMixture, KernelDensity, PCA and "
            "FactorAnalysis."
        ),
    )
    lb.add_argument(
        "--dataset",
        choices=["text", "sequences", "digits"],
        default="text",
        help="text: Markov chains on the embedded corpus (or --data); "
        "sequences: hidden Markov models on synthetic HMM data; "
        "digits: density models on sklearn's digits, dequantized with "
        "U[0,1) noise seeded by --random-state",
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
    lb.add_argument(
        "--n-components",
        type=_orders,
        default=None,
        help="HMM state counts (sequences; default 1,2,3,4,5) or "
        "GaussianMixture component counts (digits; default 5,20,60; full "
        "covariances too for counts up to 10)",
    )
    lb.add_argument(
        "--n-sequences",
        type=int,
        default=200,
        help="size of the synthetic sequence dataset (sequences)",
    )
    lb.add_argument(
        "--n-rows",
        type=int,
        default=None,
        help="use this many randomly chosen rows (digits; default: all 1797)",
    )
    lb.add_argument(
        "--max-epochs",
        type=int,
        default=300,
        help="training epochs of the VAE (digits)",
    )
    lb.add_argument("--n-splits", type=int, default=5)
    lb.add_argument("--n-samples", type=int, default=3, help="samples to print")
    lb.add_argument("--max-length", type=int, default=300, help="tokens per sample")
    lb.add_argument("--random-state", type=int, default=0)
    lb.add_argument("--quiet", action="store_true", help="no progress on stderr")
    lb.set_defaults(func=leaderboard)
    return parser


def _check_args(parser, args):
    """Reject impossible values before any work, with argparse's error format."""
    bounds = [
        ("--n-splits", [args.n_splits], 2),
        ("--n-samples", [args.n_samples], 0),
        ("--max-length", [args.max_length], 1),
        ("--n-components", args.n_components or [1], 1),
        ("--n-sequences", [args.n_sequences], args.n_splits),
        (
            "--n-rows",
            [args.n_splits if args.n_rows is None else args.n_rows],
            args.n_splits,
        ),
        ("--max-epochs", [args.max_epochs], 1),
        ("--random-state", [args.random_state], 0),
    ]
    for flag, values, low in bounds:
        if min(values) < low:
            parser.error(f"{flag} must be >= {low}; got {min(values)}")
    if args.random_state >= 2**32:
        parser.error(f"--random-state must be < 2**32; got {args.random_state}")


def main(argv=None):
    """Entry point of the ``skgen`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_args(parser, args)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.error(str(exc))
    except BrokenPipeError:  # e.g. `skgen leaderboard | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
