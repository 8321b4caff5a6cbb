"""skgen's language models against the best Kneser-Ney chain, side by side.

Parts (``--part``; all by default), each printed as markdown:

1. ``chains``: ``MarkovChain(order=k)`` (Kneser-Ney) for k in ``--orders``
   on two held-out splits of whole documents of the embedded corpus
   (``bench_markov.py``'s RandomState(0) permutation holding out 8, and the
   first 70 / last 9), character level through ``CharTokenizer``: held-out
   per-character perplexity, bits per character, fit time; the best order.
2. ``models``: ``RNNLanguageModel()``, ``RNNLanguageModel("gru")`` and
   ``TransformerLanguageModel()`` at their defaults (``random_state=0``) in a
   ``make_generative_pipeline(CharTokenizer(), model)``: fit time, the budget
   ``"auto"`` chose, epochs run, held-out perplexity beside the best chain,
   and ``copy_rate(samples, X_train, min_length=50)`` of ``--n-samples``
   samples of ``--max-length`` characters (chains included). With
   ``--time-limit M`` each fit is stopped after the first epoch ending past
   M minutes (a skorch callback raising ``KeyboardInterrupt``, which skorch
   documents as the way to stop; early stopping still restores the best
   epoch): the row then says the fit was cut.
3. ``throughput``: training tokens per second of skgen's ``fit`` against a
   hand-written torch loop of the same module class, initialisation,
   batches of windows (skgen's ``WindowLoader``, the same seed), AdamW and
   gradient clipping at norm 1, on the same thread count: a fixed number of
   optimiser steps after one warm-up step, alternating the two sides.
   ``--profile`` adds a cProfile of skgen's steps.
4. ``generation``: tokens per second of ``_generate_tokens(..., cache=True)``
   (the Transformer's key-value cache, the RNN's carried state) against
   ``cache=False`` (the whole prefix again at every step) at several lengths.
5. ``tuning``: short fits at a fixed wall-clock budget (``--tune-minutes``)
   of the defaults and of nearby settings, and the arithmetic of the
   ``"auto"`` budget on this corpus.

Usage::

    .venv/bin/python benchmarks/bench_lm.py --quick       # minutes
    .venv/bin/python benchmarks/bench_lm.py --part chains throughput
    .venv/bin/python benchmarks/bench_lm.py --part models --time-limit 12

It prints markdown to stdout, asserts nothing about time and writes no files.
"""

import argparse
import cProfile
import io
import math
import os
import platform
import pstats
import sys
import time
import warnings

import numpy as np
import sklearn
import skorch
import torch
from _timing import fmt_time
from skorch.callbacks import Callback

from skgen.datasets import load_text_corpus
from skgen.markov import MarkovChain
from skgen.metrics import copy_rate
from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.neural._base import torch_threads, training_budget
from skgen.neural._engine import seeded
from skgen.neural._lm_data import WindowLoader
from skgen.pipeline import make_generative_pipeline
from skgen.text import CharTokenizer

MODELS = {
    "LSTM": lambda **kw: RNNLanguageModel(**kw),
    "GRU": lambda **kw: RNNLanguageModel("gru", **kw),
    "Transformer": lambda **kw: TransformerLanguageModel(**kw),
}


def log(args, message):
    if args.progress:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    print("\n".join(lines) + "\n", flush=True)


def bpc(ppl):
    return math.log2(ppl)


def verdict(ok):
    return "met" if ok else "**not met**"


# ------------------------------------------------------------------ splits


def splits(docs):
    """``{name: (train, test)}``: the Markov benchmark's split and 70 / 9."""
    perm = np.random.RandomState(0).permutation(len(docs))
    test = [docs[i] for i in np.sort(perm[:8])]
    train = [docs[i] for i in np.sort(perm[8:])]
    return {
        "markov (RandomState(0), 8 held out)": (train, test),
        "first 70 / last 9": (docs[:70], docs[70:]),
    }


def n_events(docs):
    """Characters plus one end per document: the events a model predicts."""
    return sum(len(d) + 1 for d in docs)


def pipeline_perplexity(pipe, test):
    ll = pipe.score_samples(test)
    return float(np.exp(-ll.sum() / n_events(test)))


# ------------------------------------------------------------------ chains


def scan_chains(args, train, test):
    tok = CharTokenizer().fit(train)
    X_train, X_test = tok.transform(train), tok.transform(test)
    out = []
    for k in args.orders:
        start = time.perf_counter()
        mc = MarkovChain(order=k).fit(X_train)
        fit_time = time.perf_counter() - start
        out.append((k, mc.perplexity(X_test), fit_time))
        log(args, f"chain order {k}: {out[-1][1]:.3f}")
    return out


def bench_chains(args, split_map, results):
    print("## 1. Kneser-Ney chains over orders\n")
    for name, (train, test) in split_map.items():
        scan = scan_chains(args, train, test)
        best = min(scan, key=lambda r: r[1])
        results.setdefault(name, {})["chain"] = best
        print(
            f"Split **{name}**: {len(train)} training documents "
            f"({sum(map(len, train)):,} characters), {len(test)} held out "
            f"({n_events(test):,} events = characters + one end per document).\n"
        )
        table(
            ["order", "held-out perplexity", "bits / char", "fit time"],
            [
                (
                    f"**{k}**" if k == best[0] else k,
                    f"{p:.3f}",
                    f"{bpc(p):.3f}",
                    fmt_time(t),
                )
                for k, p, t in scan
            ],
        )
        print(
            f"Best: order {best[0]}, perplexity {best[1]:.3f} "
            f"({bpc(best[1]):.3f} bits/char). The order is chosen on the "
            "held-out documents themselves, which favours the chain.\n"
        )


# ------------------------------------------------------------------ models


class TimeLimit(Callback):
    """Stop training after the first epoch that ends past ``minutes``."""

    def __init__(self, minutes):
        self.minutes = minutes

    def on_train_begin(self, net, **kwargs):
        self.start_ = time.perf_counter()
        self.cut_ = False

    def on_epoch_end(self, net, **kwargs):
        if time.perf_counter() - self.start_ > 60 * self.minutes:
            self.cut_ = True
            raise KeyboardInterrupt


def fit_report(pipe, train, test, limit):
    """Fit ``pipe``; its time, perplexity and what the training did."""
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pipe.fit(train)
    fit_time = time.perf_counter() - start
    est = pipe[-1]
    net = est.net_
    history = net.history
    valid = [h.get("valid_loss") for h in history]
    best = int(np.nanargmin(np.array(valid, dtype=float))) + 1 if valid[0] else None
    stopper = dict(net.callbacks_).get("early_stopping")
    cut = bool(limit is not None and dict(net.callbacks_)["user_0"].cut_)
    return {
        "fit_time": fit_time,
        "perplexity": pipeline_perplexity(pipe, test),
        "max_epochs": net.max_epochs,
        "batch_size": net.batch_size,
        "epochs": len(history),
        "steps": sum(len(h["batches"]) for h in history),
        "best_epoch": best,
        "stopped": stopper is not None and len(history) < net.max_epochs and not cut,
        "cut": cut,
        "epoch_time": float(np.median([h["dur"] for h in history])),
        "warnings": sorted({type(w.message).__name__ for w in caught}),
    }


def sample_copy_rate(args, pipe, train, seed=0):
    start = time.perf_counter()
    samples = pipe.sample(args.n_samples, max_length=args.max_length, random_state=seed)
    sample_time = time.perf_counter() - start
    rate = copy_rate(samples, train, min_length=50)
    mean_len = float(np.mean([len(s) for s in samples]))
    return rate, mean_len, sample_time


def chain_pipe(order):
    return make_generative_pipeline(CharTokenizer(), MarkovChain(order=order))


def bench_models(args, split_map, results):
    print("## 2. Language models at their defaults beside the best chain\n")
    limit = args.time_limit
    if limit is not None:
        print(
            f"Each fit is cut after the first epoch ending past {limit} minutes "
            "(`--time-limit`); early stopping still restores its best epoch.\n"
        )
    for name, (train, test) in split_map.items():
        if name not in args.model_splits:
            continue
        chain = results.get(name, {}).get("chain")
        if chain is None:
            scan = scan_chains(args, train, test)
            chain = min(scan, key=lambda r: r[1])
            results.setdefault(name, {})["chain"] = chain
        rows = []
        # what a text copies by itself: held-out documents cut like samples
        natural = copy_rate([d[: args.max_length] for d in test], train, min_length=50)
        for order in sorted({4, chain[0]}):
            pipe = chain_pipe(order).fit(train)
            rate, mean_len, _ = sample_copy_rate(args, pipe, train)
            ppl = pipeline_perplexity(pipe, test)
            rows.append(
                (
                    f"MarkovChain(order={order})"
                    + (" (best)" if order == chain[0] else ""),
                    f"{ppl:.3f}",
                    f"{bpc(ppl):.3f}",
                    "",
                    "",
                    "",
                    f"{rate:.3f} (mean length {mean_len:.0f})",
                )
            )
        for label in args.models:
            log(args, f"fit {label} on {name}")
            kwargs = {"random_state": 0}
            if limit is not None:
                kwargs["callbacks"] = [TimeLimit(limit)]
            pipe = make_generative_pipeline(CharTokenizer(), MODELS[label](**kwargs))
            rep = fit_report(pipe, train, test, limit)
            rep["curve"] = curve(pipe[-1].net_.history)
            results[name][label] = rep
            log(args, f"{label}: {rep}")
            rate, mean_len, sample_time = sample_copy_rate(args, pipe, train)
            how = (
                "cut by --time-limit"
                if rep["cut"]
                else ("early stopping" if rep["stopped"] else "all max_epochs")
            )
            rows.append(
                (
                    f"{label} (defaults)",
                    f"{rep['perplexity']:.3f}",
                    f"{bpc(rep['perplexity']):.3f}",
                    f"{rep['fit_time'] / 60:.1f} min",
                    f"{rep['epochs']} of {rep['max_epochs']} ({how}; best "
                    f"{rep['best_epoch']}); {rep['steps']} steps",
                    f"batch {rep['batch_size']}, {rep['epoch_time']:.0f} s / epoch",
                    f"{rate:.3f} (mean length {mean_len:.0f}; sampled in "
                    f"{sample_time:.1f} s)",
                )
            )
        print(
            f"Split **{name}** ({len(train)} / {len(test)} documents; "
            f"threads: the default n_threads, {torch_threads_default()}).\n"
        )
        table(
            [
                "model",
                "held-out perplexity",
                "bits / char",
                "fit time",
                "epochs",
                "auto budget",
                f"copy rate ({args.n_samples} samples, max_length {args.max_length})",
            ],
            rows,
        )
        print(
            f"Copy rate of the held-out documents themselves (first "
            f"{args.max_length} characters, min_length 50): {natural:.3f}.\n"
        )
        for label in args.models:
            print(
                f"- {label}: validation perplexity @ minutes trained, per epoch: "
                f"{results[name][label]['curve']}"
            )
        print()
        goals(name, results[name], chain)


def torch_threads_default():
    from skgen.neural._base import default_n_threads

    return default_n_threads()


def goals(name, res, chain):
    lines = []
    if "LSTM" in res:
        lines.append(
            f"- (a) RNNLanguageModel() beats the best chain ({chain[1]:.3f}): "
            f"{res['LSTM']['perplexity']:.3f}, "
            f"{verdict(res['LSTM']['perplexity'] < chain[1])}"
        )
    if "Transformer" in res:
        p = res["Transformer"]["perplexity"]
        lines.append(
            f"- (b) TransformerLanguageModel() reaches 3.5 or better: {p:.3f}, "
            f"{verdict(p <= 3.5)}"
        )
    for label in ("LSTM", "GRU", "Transformer"):
        if label in res:
            r = res[label]
            t = r["fit_time"] / 60
            lines.append(
                f"- (c) default {label} fit within 8 minutes: {t:.1f} min"
                + (" (cut, so at least this)" if r["cut"] else "")
                + f", {verdict(t <= 8 and not r['cut'])}"
            )
    print(f"Goals on **{name}**:\n\n" + "\n".join(lines) + "\n")


# -------------------------------------------------------------- throughput


class StepTimer(Callback):
    """Times training steps; stops the fit after ``warmup + steps`` of them."""

    def __init__(self, warmup, steps, profile=False):
        self.warmup, self.steps, self.profile = warmup, steps, profile

    def on_train_begin(self, net, **kwargs):
        self.times_, self.tokens_ = [], []
        self.profiler_ = cProfile.Profile() if self.profile else None

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if not training:
            return
        self.times_.append(time.perf_counter())
        self.tokens_.append(int(batch[0]["mask"].sum()))
        n = len(self.times_)
        if self.profiler_ is not None and n == self.warmup:
            self.profiler_.enable()
        if n == self.warmup + self.steps:
            if self.profiler_ is not None:
                self.profiler_.disable()
            raise KeyboardInterrupt


def default_batch_size(est, X):
    """The batch size a default fit (early stopping on) of ``X`` would get."""
    return auto_budget(est, X)[1]


def skgen_steps(make, X, batch_size, threads, warmup, steps, profile=False):
    timer = StepTimer(warmup, steps, profile)
    est = make(
        early_stopping=False,
        max_epochs=1,
        batch_size=batch_size,
        n_threads=threads,
        random_state=0,
        callbacks=[timer],
    ).fit(X)
    cb = dict(est.net_.callbacks_)["user_0"]
    t = np.diff(cb.times_[warmup - 1 :])
    return est, t, np.array(cb.tokens_[warmup:]), cb.profiler_


def torch_steps(est, X, batch_size, threads, warmup, steps):
    """The same module, batches, optimizer and clipping in a plain loop."""
    cls, kwargs = est._module_arguments()["module"]
    data, _ = est._prepare(X)
    window, burn_in = est._window(est._fitted_params)
    times, tokens = [], []
    with torch_threads(threads), seeded(est._seed()):
        module = cls(**kwargs)
        opt = torch.optim.AdamW(module.parameters(), lr=2e-3, weight_decay=0.1)
        loader = WindowLoader(data, batch_size, window, burn_in)
        for batch, _ in loader:
            module.train()
            opt.zero_grad()
            losses, counts = module(**batch)
            loss = (counts * losses).sum() / counts.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            opt.step()
            loss.item()
            times.append(time.perf_counter())
            tokens.append(int(batch["mask"].sum()))
            if len(times) == warmup + steps:
                break
    return np.diff(times[warmup - 1 :]), np.array(tokens[warmup:])


def bench_throughput(args, split_map, results):
    print("## 3. Training throughput: skgen's fit against a plain torch loop\n")
    train, _ = split_map["first 70 / last 9"]
    X = CharTokenizer().fit(train).transform(train)
    rows, profiles = [], []
    for label in args.models:
        make = MODELS[label]
        batch = default_batch_size(make(), X)
        sk, th = [], []
        for r in range(args.repeats):
            log(args, f"throughput {label}: repeat {r}")
            est, t, tok, prof = skgen_steps(
                make,
                X,
                batch,
                args.threads,
                1,
                args.steps,
                args.profile and r == args.repeats - 1,
            )
            sk.append((t.sum(), tok.sum()))
            t2, tok2 = torch_steps(est, X, batch, args.threads, 1, args.steps)
            th.append((t2.sum(), tok2.sum()))
            same = np.array_equal(tok, tok2)
            if prof is not None:
                profiles.append((label, prof))
        sk_rate = max(n / t for t, n in sk)
        th_rate = max(n / t for t, n in th)
        results.setdefault("throughput", {})[label] = (sk_rate, th_rate)
        rows.append(
            (
                label,
                f"{batch} windows",
                args.steps,
                f"{th_rate:,.0f}",
                f"{sk_rate:,.0f}",
                f"{th_rate / sk_rate:.3f}x",
                verdict(th_rate / sk_rate <= 1.15),
                "yes" if same else "no",
            )
        )
    print(
        f"{args.steps} optimiser steps after one warm-up step, best of "
        f"{args.repeats} alternating runs per side, {args.threads} torch "
        "thread(s), training split first 70 documents (all of them: no "
        "validation split on either side). Tokens are predicted characters "
        "(the masked steps of the windows; burn-in steps are computed but not "
        "counted).\n"
    )
    table(
        [
            "model",
            "batch (the default fit's auto)",
            "steps",
            "torch loop tok/s",
            "skgen fit tok/s",
            "skgen time / torch time",
            "<= 1.15x",
            "same batches",
        ],
        rows,
    )
    for label, prof in profiles:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(25)
        print(f"cProfile of skgen's {label} steps (cumulative, top 25):\n")
        print("```\n" + s.getvalue().strip() + "\n```\n")


# -------------------------------------------------------------- generation


def bench_generation(args, split_map, results):
    print("## 4. Generation: cached (key-value cache / carried state) vs uncached\n")
    train, _ = split_map["first 70 / last 9"]
    X = CharTokenizer().fit(train).transform(train)
    rows = []
    for label in args.models:
        # a briefly trained default network: speed does not depend on the fit
        est = MODELS[label](
            early_stopping=False, max_epochs=1, random_state=0, n_threads=args.threads
        ).fit(X[:8])
        module = est._eval_module()
        for length in args.gen_lengths:
            speeds = {}
            seqs = {}
            for cache in (True, False):
                if not cache and length > args.uncached_cap:
                    continue
                gen = torch.Generator().manual_seed(0)
                with torch_threads(args.threads):
                    start = time.perf_counter()
                    out, _ = est._generate_tokens(
                        module,
                        args.gen_rows,
                        None,
                        length,
                        1.0,
                        None,
                        None,
                        gen,
                        cache=cache,
                    )
                    elapsed = time.perf_counter() - start
                n = sum(len(s) for s in out)
                speeds[cache] = (n / elapsed, elapsed, n)
                seqs[cache] = out
                log(
                    args,
                    f"generation {label} {length} cache={cache}: {n / elapsed:.0f}",
                )
            same = (
                all(
                    np.array_equal(a, b)
                    for a, b in zip(seqs[True], seqs[False], strict=True)
                )
                if False in seqs
                else None
            )
            c = speeds[True]
            u = speeds.get(False)
            rows.append(
                (
                    label,
                    length,
                    f"{c[2]:,}",
                    f"{c[0]:,.0f} ({fmt_time(c[1])})",
                    f"{u[0]:,.0f} ({fmt_time(u[1])})" if u else "skipped (quadratic)",
                    f"{c[0] / u[0]:.1f}x" if u else "",
                    {True: "yes", False: "no", None: ""}[same],
                )
            )
    print(
        f"{args.gen_rows} sequences generated together, max_length as shown, "
        f"float64 on the CPU (the fitted model's inference copy), "
        f"{args.threads} thread(s). Uncached: `_generate_tokens(..., "
        f"cache=False)` runs the whole prefix at every step; capped at "
        f"{args.uncached_cap} tokens.\n"
    )
    table(
        [
            "model",
            "max_length",
            "tokens drawn",
            "cached tok/s (time)",
            "uncached tok/s (time)",
            "speed-up",
            "same tokens",
        ],
        rows,
    )


# ------------------------------------------------------------------ tuning


TUNING = {
    "LSTM": [
        ("defaults", {}),
        ("batch_size=32", {"batch_size": 32}),
        ("batch_size=32, hidden_size=256", {"batch_size": 32, "hidden_size": 256}),
    ],
    "Transformer": [
        ("defaults", {}),
        ("batch_size=32", {"batch_size": 32}),
    ],
    "GRU": [("defaults", {})],
}


def auto_budget(est, X):
    """``(windows an epoch, batch_size, steps an epoch, max_epochs)`` of ``"auto"``.

    Through the estimator's own ``_n_training_rows``, as ``fit`` counts them.
    """
    est = est.__class__(**est.get_params())
    data, _ = est._prepare(X, reset=True)
    est._fitted_params = est.get_params()
    n = est._n_training_rows(data)
    extra = {}
    if getattr(est, "_auto_batch_range", None) is not None:  # the family's own
        extra["batch_range"] = est._auto_batch_range
    epochs, batch = training_budget("auto", "auto", n, est._auto_min_steps, **extra)
    return n, batch, math.ceil(n / batch), epochs


def budget_rows(split_map):
    """The ``"auto"`` budget of each default model on each split."""
    rows = []
    for name, (train, _) in split_map.items():
        X = CharTokenizer().fit(train).transform(train)
        for label in ("LSTM", "Transformer"):
            n, batch, per_epoch, epochs = auto_budget(MODELS[label](), X)
            rows.append((name, label, n, batch, per_epoch, epochs, per_epoch * epochs))
    return rows


def curve(history):
    """Validation perplexity per epoch, with the minutes trained by its end."""
    minutes = np.cumsum([h["dur"] for h in history]) / 60
    return "; ".join(
        f"{math.exp(h['valid_loss']):.2f} @{m:.1f}"
        for h, m in zip(history, minutes, strict=True)
        if h.get("valid_loss") is not None
    )


def bench_tuning(args, split_map, results):
    print("## 5. Tuning: the auto budget, and short fits at a fixed time\n")
    table(
        [
            "split",
            "model",
            "windows / epoch (as fit counts them)",
            "auto batch_size",
            "steps / epoch",
            "auto max_epochs",
            "steps at most",
        ],
        budget_rows(split_map),
    )
    print(
        "The corpus's documents are very uneven (median 1,663 characters, "
        "largest 62,522), so what the validation split (10 % of the "
        "documents, seeded by random_state) holds out varies a lot in "
        "characters.\n"
    )
    train, test = split_map["first 70 / last 9"]
    rows = []
    for label in args.models:
        for desc, kw in TUNING[label]:
            if desc == "defaults" and args.skip_tune_defaults:
                continue
            log(args, f"tuning {label} {desc}")
            est = MODELS[label](
                random_state=0, callbacks=[TimeLimit(args.tune_minutes)], **kw
            )
            pipe = make_generative_pipeline(CharTokenizer(), est)
            rep = fit_report(pipe, train, test, args.tune_minutes)
            rows.append(
                (
                    label,
                    desc,
                    f"{rep['fit_time'] / 60:.1f} min",
                    f"{rep['epochs']} ({rep['steps']} steps, "
                    f"batch {rep['batch_size']})",
                    curve(pipe[-1].net_.history),
                    f"{rep['perplexity']:.3f}",
                )
            )
            log(args, f"-> {rows[-1]}")
    print(
        f"Short fits on the first 70 documents, cut after the first epoch "
        f"ending past {args.tune_minutes} minutes, random_state=0; validation "
        "perplexity per epoch is exp(valid_loss) on the 10 % of training "
        "documents early stopping holds out.\n"
    )
    table(
        [
            "model",
            "setting",
            "time",
            "epochs",
            "validation perplexity @ minutes trained, per epoch",
            "held-out perplexity (last 9)",
        ],
        rows,
    )


# -------------------------------------------------------------------- main


PARTS = {
    "chains": bench_chains,
    "models": bench_models,
    "throughput": bench_throughput,
    "generation": bench_generation,
    "tuning": bench_tuning,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", nargs="+", choices=list(PARTS), default=list(PARTS))
    parser.add_argument("--quick", action="store_true", help="a run of minutes")
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=None)
    parser.add_argument(
        "--orders",
        nargs="+",
        type=int,
        default=[*range(1, 21), 24, 32, 48, 64],
        help="chain orders scanned",
    )
    parser.add_argument(
        "--model-splits",
        nargs="+",
        default=None,
        help="splits of part 2 (default: both; --quick: first 70 / last 9)",
    )
    parser.add_argument("--time-limit", type=float, default=None, help="minutes")
    parser.add_argument("--n-samples", type=int, default=200)
    parser.add_argument("--max-length", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1, help="torch threads, 3-4")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--gen-lengths", nargs="+", type=int, default=None)
    parser.add_argument("--gen-rows", type=int, default=4)
    parser.add_argument("--uncached-cap", type=int, default=None)
    parser.add_argument("--tune-minutes", type=float, default=None)
    parser.add_argument(
        "--skip-tune-defaults",
        action="store_true",
        help="part 5 without the defaults (part 2 has their curve)",
    )
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()
    quick = args.quick
    args.models = args.models or list(MODELS)
    args.steps = args.steps or (2 if quick else 10)
    args.gen_lengths = args.gen_lengths or (
        [64, 256] if quick else [64, 256, 512, 1024]
    )
    args.uncached_cap = args.uncached_cap or (64 if quick else 512)
    args.tune_minutes = args.tune_minutes or (1.0 if quick else 5.0)
    if quick:
        args.repeats = 1
        args.skip_tune_defaults = True  # part 2 has the defaults' curves
        args.orders = [k for k in args.orders if k <= 8]
        args.n_samples = min(args.n_samples, 50)
        if args.time_limit is None:
            args.time_limit = 1.0
    docs = list(load_text_corpus().data)
    split_map = splits(docs)
    if args.model_splits is None:
        args.model_splits = ["first 70 / last 9"] if quick else list(split_map)
    else:
        args.model_splits = [s for s in split_map if s.split()[0] in args.model_splits]
    print(
        f"# bench_lm.py {' '.join(sys.argv[1:])}\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{os.cpu_count()} CPU cores ({platform.machine()}), "
        f"load average {os.getloadavg()[0]:.1f} at the start, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, CPython "
        f"{platform.python_version()}, torch {torch.__version__}, skorch "
        f"{skorch.__version__}, scikit-learn {sklearn.__version__}.\n"
    )
    results = {}
    for part in PARTS:
        if part in args.part:
            start = time.perf_counter()
            PARTS[part](args, split_map, results)
            print(f"_(part {part}: {time.perf_counter() - start:.0f} s)_\n")


if __name__ == "__main__":
    main()
