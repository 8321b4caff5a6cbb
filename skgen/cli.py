"""The ``skgen`` command: argparse over :mod:`skgen.leaderboard`.

``skgen leaderboard`` compares generative models on a dataset by K-fold
cross-validated held-out log-likelihood and prints a table (or, with
``--format json``, a JSON document), then a few samples from the best model.

Datasets: ``text`` (Markov chains, a small LSTM and a small Transformer on
the embedded corpus or a file), ``sequences`` (hidden Markov models, an LSTM
and a Transformer on synthetic HMM data) and ``digits``
(density models of tables: skgen's VAE beside scikit-learn's
GaussianMixture, KernelDensity, PCA and FactorAnalysis on sklearn's
``load_digits``, dequantized by adding U[0, 1) noise to the integer pixel
values, seeded by ``--random-state``, and left unscaled, so that every
log-likelihood is a density of the dequantized pixels). The datasets, the
candidates and the cross-validation live in :mod:`skgen.leaderboard`; each
candidate option has its own flag (``--hmm-states``, ``--gmm-components``,
``--pca-components``, ``--bandwidths``); ``--n-components`` stays, mapped to
``--hmm-states`` for sequences and to ``--gmm-components`` for digits. The
language models' ``--lm`` (which families) and ``--lm-budget`` (``demo``:
small networks, a few epochs; ``full``: the models' defaults) mean the same
on ``text`` and ``sequences``.

Every bad option, data too small for the folds or the models included, is
reported as ``skgen: error: ...`` with exit status 2 (argparse's
``parser.error``) before any model is fitted.
"""

import argparse
import os
import sys

from skgen.leaderboard import (
    LeaderboardOptionError,
    evaluate,
    format_table,
    prepare,
    results_frame,
    sample_best,
    to_json,
)
from skgen.leaderboard._datasets import _N_DIGITS, LM_BUDGETS, LM_FAMILIES

__all__ = ["main"]

#: Candidate flags of one dataset: flag -> (dataset, leaderboard option).
#: ``--n-components`` is mapped explicitly by dataset (see _candidate_flags).
_DATASET_FLAGS = {
    "--hmm-states": ("sequences", "hmm_states"),
    "--gmm-components": ("digits", "gmm_components"),
    "--pca-components": ("digits", "pca_components"),
    "--bandwidths": ("digits", "bandwidths"),
}
_N_COMPONENTS = {"sequences": "hmm_states", "digits": "gmm_components"}


class UsageError(Exception):
    """A bad option, found once the data is known.

    Reported as ``skgen: error: ...`` with exit status 2, as argparse
    reports the others.
    """


def _dest(flag):
    return flag.lstrip("-").replace("-", "_")


def _candidate_flags(args):
    """The candidate options given as flags, and the flag naming each.

    Returns ``({option: value}, {option: flag})``; a flag of another dataset,
    or ``--n-components`` beside the flag it stands for, is a UsageError.
    """
    options, flags = {}, {}
    for flag, (dataset, option) in _DATASET_FLAGS.items():
        value = getattr(args, _dest(flag))
        if value is None:
            continue
        if dataset != args.dataset:
            raise UsageError(
                f"{flag} is an option of --dataset {dataset}; got --dataset "
                f"{args.dataset}."
            )
        options[option], flags[option] = value, flag
    option = _N_COMPONENTS.get(args.dataset)
    if args.n_components is not None and option is not None:
        if option in options:
            raise UsageError(
                f"--n-components means {flags[option]} here; give one of them."
            )
        options[option], flags[option] = args.n_components, "--n-components"
    return options, flags


def _options(args):
    """The leaderboard options of ``args.dataset``, those given, their flags."""
    if args.dataset != "text" and args.data is not None:
        raise UsageError(f"--data is text; drop --dataset {args.dataset}.")
    options, flags = _candidate_flags(args)
    given = set(options)
    if args.dataset in _LM_DATASETS:
        options.update(lm=args.lm, lm_budget=args.lm_budget)
    if args.dataset == "text":
        options.update(
            data=args.data,
            split=args.split,
            max_length=args.max_length,
            orders=args.orders,
            smoothing=list(dict.fromkeys(args.smoothing)),
            level=args.level,
        )
    elif args.dataset == "sequences":
        options["n_sequences"] = args.n_sequences
    elif args.dataset == "digits":
        options.update(n_rows=args.n_rows, max_epochs=args.max_epochs)
        if args.n_rows is not None:
            given.add("n_rows")
    return options, given, flags


def leaderboard(args):
    """Run the leaderboard; a :class:`UsageError` comes before any fit."""
    options, given, flags = _options(args)
    try:
        prepared = prepare(
            args.dataset,
            n_splits=args.n_splits,
            random_state=args.random_state,
            label=lambda option: flags.get(option, f"--{option.replace('_', '-')}"),
            given=given,
            **options,
        )
    except LeaderboardOptionError as exc:
        raise UsageError(str(exc)) from None
    dataset = prepared.dataset
    if args.format == "table":
        print(
            f"Dataset: {dataset.name}.\n{args.n_splits}-fold cross-validation; "
            "held-out log-likelihood in nats per sample and per step. "
            f"{dataset.note}"
        )
    results = evaluate(
        prepared.candidates,
        dataset,
        n_splits=args.n_splits,
        random_state=args.random_state,
        n_jobs=args.n_jobs,
        progress=not args.quiet,
    )
    frame = results_frame(results, attrs=prepared.attrs())
    if args.format == "json":
        drawn = None
        if args.n_samples:
            best, samples = sample_best(prepared, frame, args.n_samples)
            drawn = {"model": best, "samples": list(samples)}
        print(to_json(frame, samples=drawn))
        return 0
    print(format_table(frame))
    if args.n_samples:
        best, samples = sample_best(prepared, frame, args.n_samples)
        print(f"\nSamples from the best model, {best}, fitted on all the data:")
        if dataset.render is not None:
            print(dataset.render(samples))
        else:
            for i, s in enumerate(samples, 1):
                print(f"  {i}. {dataset.show(s)}")
    return 0


def _comma_list(text, cast, what):
    """Comma-separated values of ``text`` read by ``cast``, or argparse's error."""
    try:
        return [cast(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated {what}; got {text!r}"
        ) from None


def _orders(text):
    """Comma-separated non-negative ints (``--orders``, ``--n-components``)."""
    orders = _comma_list(text, int, "ints")
    if min(orders) < 0:
        raise argparse.ArgumentTypeError(f"expected ints >= 0; got {text!r}")
    return list(dict.fromkeys(orders))  # a repeated value is one candidate


def _bandwidths(text):
    """Comma-separated positive numbers (``--bandwidths``)."""
    values = _comma_list(text, float, "numbers")
    if not all(v > 0 and v < float("inf") for v in values):
        raise argparse.ArgumentTypeError(f"expected finite numbers > 0; got {text!r}")
    return values


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
            "by mean held-out log-likelihood (exact likelihoods and lower "
            "bounds in one table, the kind on every row; estimates apart). "
            "Default data: the embedded text corpus; Markov chains of several "
            "orders with both smoothings, a small LSTM and a small Transformer "
            "(--lm, --lm-budget). --dataset sequences: hidden Markov models "
            "beside the language models on synthetic HMM sequences. "
            "--dataset digits: sklearn's "
            "load_digits (8x8 images, 64 pixels), dequantized by adding "
            "U[0,1) noise to the integer pixel values (seeded by "
            "--random-state) and left unscaled, so log-likelihoods are "
            "densities of the dequantized pixels; skgen's VAE (a lower "
            "bound) beside GaussianMixture, KernelDensity, PCA and "
            "FactorAnalysis. The Python API is skgen.leaderboard.run."
        ),
    )
    lb.add_argument(
        "--dataset",
        choices=["text", "sequences", "digits"],
        default="text",
        help="text: Markov chains and language models on the embedded corpus "
        "(or --data); sequences: hidden Markov models and language models on "
        "synthetic HMM data; "
        "digits: density models on sklearn's digits, dequantized with "
        "U[0,1) noise seeded by --random-state",
    )
    lb.add_argument("--data", metavar="FILE", help="a UTF-8 text file of documents")
    lb.add_argument(
        "--split",
        choices=["auto", "line", "block"],
        default=None,
        help="documents are lines or blank-line-separated blocks (default: auto)",
    )
    lb.add_argument(
        "--level", choices=["char", "word"], default=None, help="text; default char"
    )
    lb.add_argument(
        "--orders", type=_orders, default=None, help="text; default 1,2,3,4,5"
    )
    lb.add_argument(
        "--smoothing",
        nargs="+",
        choices=["kneser-ney", "additive"],
        default=None,
        help="text; default both",
    )
    lb.add_argument(
        "--hmm-states",
        type=_orders,
        default=None,
        help="GaussianHMM state counts (sequences; default 1,2,3,4,5; a "
        "GMMHMM with 2 states of 2 components is always a candidate too)",
    )
    lb.add_argument(
        "--gmm-components",
        type=_orders,
        default=None,
        help="GaussianMixture component counts (digits; default 5,20,60; full "
        "covariances too for counts up to 10)",
    )
    lb.add_argument(
        "--pca-components",
        type=_orders,
        default=None,
        help="PCA component counts (digits; default 30,60)",
    )
    lb.add_argument(
        "--bandwidths",
        type=_bandwidths,
        default=None,
        help="KernelDensity bandwidths (digits; default 1,2)",
    )
    lb.add_argument(
        "--lm",
        nargs="+",
        choices=[*LM_FAMILIES, "none"],
        default=None,
        help="language models to rank (text and sequences; default: lstm "
        "transformer; none: no language model): lstm is RNNLanguageModel, "
        "transformer is TransformerLanguageModel",
    )
    lb.add_argument(
        "--lm-budget",
        choices=LM_BUDGETS,
        default=None,
        help="training of the language models (text and sequences). demo "
        "(default): on text a 1-layer LSTM of 128 units for 3 epochs and a "
        "2-layer Transformer of width 64 (context 64) for 2 epochs, under a "
        "minute of CPU a fold for the two (the whole default leaderboard: "
        "about 4 minutes of CPU, 5.5 minutes on a busy two-core machine); on "
        "sequences an "
        "LSTM of 64 units and a Transformer of width 32 with early stopping, "
        "seconds a fold. full: the models' defaults, RNNLanguageModel() and "
        "TransformerLanguageModel() (2 layers of 256 units; 4 layers of "
        "width 128; early stopping): on the embedded text 10 epochs each, "
        "7 and 12.5 minutes a fit on a busy two-core machine, about an hour "
        "and a half for the 5 folds; on sequences about a minute a fold "
        "per model",
    )
    lb.add_argument(
        "--n-components",
        type=_orders,
        default=None,
        help="--hmm-states for sequences, --gmm-components for digits",
    )
    lb.add_argument(
        "--n-sequences",
        type=int,
        default=None,
        help="size of the synthetic sequence dataset (sequences; default 200)",
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
        default=None,
        help="training epochs of the VAE (digits; default 300)",
    )
    lb.add_argument("--n-splits", type=int, default=5)
    lb.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="folds fitted in parallel (cross_validate's n_jobs; -1: all cores)",
    )
    lb.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="table: aligned text (default); json: one JSON document on stdout",
    )
    lb.add_argument("--n-samples", type=int, default=3, help="samples to print")
    lb.add_argument("--max-length", type=int, default=300, help="tokens per sample")
    lb.add_argument("--random-state", type=int, default=0)
    lb.add_argument("--quiet", action="store_true", help="no progress on stderr")
    lb.set_defaults(func=leaderboard)
    return parser


#: Upper bounds of the command's options (see :func:`_check_args`).
_MAX_SAMPLES = 10_000
_MAX_LENGTH = 100_000
_MAX_SEQUENCES = 100_000
_MAX_ORDER = 50
_MAX_EPOCHS = 100_000


#: The datasets that rank language models (``--lm``, ``--lm-budget``).
_LM_DATASETS = ("text", "sequences")

#: Options of some datasets only: dest -> (datasets, default). Given with
#: another dataset they are usage errors, not silently ignored.
_DATASET_ONLY = {
    "level": (("text",), "char"),
    "orders": (("text",), [1, 2, 3, 4, 5]),
    "smoothing": (("text",), ["kneser-ney", "additive"]),
    "split": (("text",), "auto"),
    "n_sequences": (("sequences",), 200),
    "n_rows": (("digits",), None),
    "max_epochs": (("digits",), 300),
    "lm": (_LM_DATASETS, list(LM_FAMILIES)),
    "lm_budget": (_LM_DATASETS, "demo"),
}


def _fill_dataset_defaults(parser, args):
    """Refuse another dataset's options, then fill in the defaults."""
    for dest, (datasets, default) in _DATASET_ONLY.items():
        value = getattr(args, dest)
        if value is None:
            setattr(args, dest, default)
        elif args.dataset not in datasets:
            parser.error(
                f"--{dest.replace('_', '-')} is an option of --dataset "
                f"{' or '.join(datasets)}; got it with --dataset {args.dataset}"
            )
    if "none" in args.lm:
        if len(set(args.lm)) > 1:
            parser.error(
                "--lm none ranks no language model and takes no family beside "
                f"it; got --lm {' '.join(args.lm)}"
            )
        args.lm = []
    args.lm = list(dict.fromkeys(args.lm))  # a repeated family is one candidate


def _check_args(parser, args):
    """Reject impossible values before any work, with argparse's error format."""
    bounds = [
        ("--n-splits", [args.n_splits], 2),
        ("--n-samples", [args.n_samples], 0),
        ("--max-length", [args.max_length], 1),
        ("--n-components", args.n_components or [1], 1),
        ("--hmm-states", args.hmm_states or [1], 1),
        ("--gmm-components", args.gmm_components or [1], 1),
        ("--pca-components", args.pca_components or [1], 1),
        (
            "--n-sequences",
            [args.n_sequences],
            # one sequence per fold at least; the folds of another dataset
            # are checked against that dataset
            args.n_splits if args.dataset == "sequences" else 5,
        ),
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
    # what a demo on one machine can print or hold (the library takes more)
    limits = [
        ("--n-samples", [args.n_samples], _MAX_SAMPLES),
        ("--max-length", [args.max_length], _MAX_LENGTH),
        ("--n-sequences", [args.n_sequences], _MAX_SEQUENCES),
        ("--orders", args.orders or [0], _MAX_ORDER),
        ("--n-rows", [args.n_rows or 0], _N_DIGITS),
        ("--max-epochs", [args.max_epochs], _MAX_EPOCHS),
    ]
    for flag, values, high in limits:
        if max(values) > high:
            parser.error(f"{flag} must be <= {high}; got {max(values)}")
    if args.random_state >= 2**32:
        parser.error(f"--random-state must be < 2**32; got {args.random_state}")
    if args.n_jobs == 0:
        parser.error("--n-jobs must be a non-zero int (-1: all cores); got 0")
    if args.n_jobs is not None and args.n_jobs > args.n_splits:
        parser.error(
            f"--n-jobs must be <= --n-splits ({args.n_splits}, one job per fold) "
            f"or -1; got {args.n_jobs}"
        )


def main(argv=None):
    """Run the ``skgen`` command: the entry point of its console script.

    Parameters
    ----------
    argv : list of str, default=None
        The command-line arguments, without the program name; when None,
        ``sys.argv[1:]``.

    Returns
    -------
    status : int
        The exit status: 0, or 1 when standard output was closed early
        (``skgen leaderboard | head``). A bad option exits through
        :class:`SystemExit` with status 2 (``skgen: error: ...``) before any
        model is fitted.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    _fill_dataset_defaults(parser, args)
    _check_args(parser, args)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.error(str(exc))
    except ImportError as exc:  # an engine extra is not installed
        parser.exit(2, f"skgen: error: {exc}\n")
    except BrokenPipeError:  # e.g. `skgen leaderboard | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
