"""Benchmark skgen's MarkovChain against nltk.lm and markovify, side by side.

Three measurements, each in one run and reported as ratios (see
``benchmarks/README.md`` for what each figure counts):

1. Character level, held-out split of the embedded corpus: nltk.lm
   ``KneserNeyInterpolated`` vs ``MarkovChain(smoothing="kneser-ney")`` on
   ``CharTokenizer`` ids. Fit time, scoring time per predicted character and
   held-out per-character perplexity on the same events.
2. Word level: ``markovify.Chain(state_size=2)`` vs ``MarkovChain(order=2)``.
   Fit time and batch generation speed (tokens per second).
3. Memory of an order-6 character model fitted on the whole corpus
   (tracemalloc peak during ``fit``, pickled size).

Usage::

    .venv/bin/python benchmarks/bench_markov.py          # full run
    .venv/bin/python benchmarks/bench_markov.py --quick  # smaller run

It prints markdown to stdout and writes no files.
"""

import argparse
import gc
import math
import os
import pickle
import platform
import random
import sys
import time
import tracemalloc

import markovify
import nltk
import numpy as np
from _timing import best_time, fmt_time
from nltk.lm import KneserNeyInterpolated
from nltk.lm.preprocessing import padded_everygram_pipeline

from skgen.datasets import load_text_corpus
from skgen.markov import MarkovChain
from skgen.text import CharTokenizer, WordTokenizer

BOS, EOS = "<s>", "</s>"  # nltk's padding symbols


def log(args, message):
    if args.progress:
        print(message, file=sys.stderr, flush=True)


def once(func):
    gc.collect()
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def fmt_ratio(x):
    return f"{x:,.0f}x" if x >= 100 else f"{x:.2f}x"


def verdict(ok):
    return "met" if ok else "**not met**"


# ------------------------------------------------------------ character level


def split_corpus(docs, test_fraction, seed):
    perm = np.random.RandomState(seed).permutation(len(docs))
    n_test = max(1, round(test_fraction * len(docs)))
    test = [docs[i] for i in np.sort(perm[:n_test])]
    train = [docs[i] for i in np.sort(perm[n_test:])]
    return train, test


def heldout_events(test_docs):
    """Every predicted event of the held-out documents: (doc, position).

    Position ``t < len(doc)`` predicts character ``t``; ``t == len(doc)``
    predicts the end of the document. That is what MarkovChain scores.
    """
    doc = np.concatenate(
        [np.full(len(d) + 1, i, dtype=np.int64) for i, d in enumerate(test_docs)]
    )
    pos = np.concatenate([np.arange(len(d) + 1) for d in test_docs])
    return doc, pos


def nltk_event(test_docs, k, i, t):
    """The (word, context) nltk scores for event (i, t), context of k symbols."""
    padded = [BOS] * k + list(test_docs[i][max(0, t - k) : t])
    context = tuple(padded[-k:]) if k else ()
    word = test_docs[i][t] if t < len(test_docs[i]) else EOS
    return word, context


def mc_event_log_proba(mc, ids, doc, pos):
    """log P(event) in nats from ``next_token_log_proba``, one per event."""
    k = mc.order
    padded = [np.concatenate([np.full(k, -1, dtype=np.int64), x]) for x in ids]
    contexts = np.array([padded[i][t : t + k] for i, t in zip(doc, pos, strict=True)])
    contexts = contexts.reshape(len(doc), k)
    vocab = mc.symbols_
    V = vocab.shape[0]
    cols = np.empty(len(doc), dtype=np.int64)
    for n, (i, t) in enumerate(zip(doc, pos, strict=True)):
        if t == len(ids[i]):
            cols[n] = V + 1  # end symbol
        else:
            j = np.searchsorted(vocab, ids[i][t])
            cols[n] = j if j < V and vocab[j] == ids[i][t] else V  # <unk>
    lp = mc.next_token_log_proba(contexts)
    return lp[np.arange(len(doc)), cols]


def perplexity(log_probs):
    return float(np.exp(-np.mean(log_probs)))


def bench_char(args, docs, rows, checks):
    train, test = split_corpus(docs, args.test_fraction, args.seed)
    n_train_chars = sum(map(len, train))
    doc, pos = heldout_events(test)
    n_events = doc.shape[0]
    train_vocab = set("".join(train))
    oov = np.array(
        [
            t < len(test[i]) and test[i][t] not in train_vocab
            for i, t in zip(doc, pos, strict=True)
        ]
    )
    rows.append(
        (
            "split",
            f"{len(train)} train docs ({n_train_chars:,} chars) / {len(test)} "
            f"held-out docs ({n_events:,} events = chars + 1 end per doc, "
            f"{oov.sum()} with a char unseen in training)",
            "",
            "",
            "",
            "",
        )
    )

    tok_time, tok = best_time(lambda: CharTokenizer().fit(train), args.repeats)
    X_train = tok.transform(train)
    X_test = tok.transform(test)
    tr_time, _ = best_time(lambda: tok.transform(train), args.repeats)
    rows.append(
        (
            "char",
            "CharTokenizer fit + transform of the training text (not in fit ratio)",
            "",
            fmt_time(tok_time + tr_time),
            "",
            "",
        )
    )

    # Events nltk scores: a fixed random subsample of the held-out events.
    rng = np.random.RandomState(args.seed + 1)
    # Random order, so any prefix (nltk stops at its time budget) is itself
    # a uniform random subsample.
    n_sub = min(args.nltk_events, n_events)
    sub = rng.choice(n_events, n_sub, replace=False)
    sub_known_all = sub[~oov[sub]]

    for k in args.orders:
        n = k + 1  # nltk's order is the n-gram length
        log(args, f"[char] order {k}: nltk fit")
        text = [list(d) for d in train]

        def nltk_fit(n=n, text=text):
            lm = KneserNeyInterpolated(n)
            ngrams, vocab = padded_everygram_pipeline(n, text)
            lm.fit(ngrams, vocab)
            return lm

        nltk_fit_time, lm = once(nltk_fit)
        log(args, f"[char] order {k}: skgen fit")
        mc_fit_time, mc = best_time(
            lambda k=k: MarkovChain(order=k).fit(X_train), args.repeats
        )
        mc01 = MarkovChain(order=k, discount=0.1).fit(X_train)
        label = f"char k={k}"
        rows.append(
            (
                label,
                f"fit time (nltk order={n} on the same {n_train_chars:,} chars)",
                fmt_time(nltk_fit_time),
                fmt_time(mc_fit_time),
                fmt_ratio(nltk_fit_time / mc_fit_time),
                "",
            )
        )

        # Scoring: nltk per n-gram in Python, timed on the subsample.
        log(args, f"[char] order {k}: nltk scoring of up to {n_sub} events")
        events = [nltk_event(test, k, doc[j], pos[j]) for j in sub_known_all]
        gc.collect()
        nltk_lp2 = []
        start = time.perf_counter()
        deadline = start + args.nltk_seconds
        for w, c in events:
            nltk_lp2.append(lm.logscore(w, c))
            if time.perf_counter() > deadline:
                break
        nltk_per_event = (time.perf_counter() - start) / len(nltk_lp2)
        nltk_lp2 = np.array(nltk_lp2)
        sub_known = sub_known_all[: len(nltk_lp2)]
        events = events[: len(nltk_lp2)]
        nltk_lp = nltk_lp2 * math.log(2)  # bits -> nats
        # nltk on the events whose character it never saw in training.
        oov_events = [
            nltk_event(test, k, i, t) for i, t in zip(doc[oov], pos[oov], strict=True)
        ]
        oov_p = [lm.score(w, c) for w, c in oov_events]

        mc_score_time, ll = best_time(
            lambda mc=mc: mc.score_samples(X_test), args.repeats
        )
        mc_per_event = mc_score_time / n_events
        ratio = nltk_per_event / mc_per_event
        target = k == args.target_order
        rows.append(
            (
                label,
                f"scoring time per event (nltk: mean over {len(events)} sampled "
                f"events, extrapolated; skgen: score_samples on all {n_events:,})",
                fmt_time(nltk_per_event),
                fmt_time(mc_per_event),
                fmt_ratio(ratio),
                f">= 1000x: {verdict(ratio >= 1000)}" if target else "",
            )
        )
        rows.append(
            (
                label,
                "time to score the whole held-out set (nltk extrapolated)",
                f"~{fmt_time(nltk_per_event * n_events)}",
                fmt_time(mc_score_time),
                "",
                "",
            )
        )

        # Perplexity. Full held-out: MarkovChain counts every event.
        mc_all = mc_event_log_proba(mc, X_test, doc, pos)
        checks.append(
            (
                f"order {k}: per-event log-probs sum to score_samples",
                bool(np.isclose(mc_all.sum(), ll.sum(), rtol=1e-9, atol=1e-6)),
            )
        )
        nltk_full = (
            f"inf ({sum(p == 0 for p in oov_p)} of {len(oov_p)} unseen-char "
            "events get p = 0)"
            if any(p == 0 for p in oov_p)
            else "not computed (see extrapolated time)"
        )
        rows.append(
            (
                label,
                f"perplexity, all {n_events:,} held-out events",
                nltk_full,
                f"{mc.perplexity(X_test):.3f}",
                "",
                "",
            )
        )
        rows.append(
            (
                label,
                f"perplexity, all held-out events except the {oov.sum()} "
                "unseen-char ones",
                "",
                f"{perplexity(mc_all[~oov]):.3f}",
                "",
                "",
            )
        )
        mc_lp = mc_all[sub_known]
        mc01_lp = mc_event_log_proba(mc01, X_test, doc[sub_known], pos[sub_known])
        ppl_nltk, ppl_mc = perplexity(nltk_lp), perplexity(mc_lp)
        diff = mc_lp - nltk_lp
        se = diff.std(ddof=1) / math.sqrt(len(diff))
        rows.append(
            (
                label,
                f"perplexity, same {len(events)} sampled events (both models); "
                f"skgen/nltk",
                f"{ppl_nltk:.3f}",
                f"{ppl_mc:.3f}",
                f"{ppl_mc / ppl_nltk:.3f}",
                f"<= 1: {verdict(ppl_mc <= ppl_nltk)}" if target else "",
            )
        )
        rows.append(
            (
                label,
                "  same events, skgen with nltk's fixed discount=0.1",
                "",
                f"{perplexity(mc01_lp):.3f} (max per-event difference "
                f"from nltk {np.abs(mc01_lp - nltk_lp).max():.1e} nats)",
                f"{perplexity(mc01_lp) / ppl_nltk:.3f}",
                "",
            )
        )
        rows.append(
            (
                label,
                "  mean log-prob gain per event, skgen - nltk (nats, ± 1 s.e.)",
                "",
                f"{diff.mean():+.4f} ± {se:.4f}",
                "",
                "",
            )
        )
        del lm


# ----------------------------------------------------------------- word level


def bench_word(args, docs, rows, unit="docs", n_generate=None):
    """Word level; ``unit`` names what a sequence is (documents or lines)."""
    part = f"word ({unit})"
    tok = WordTokenizer().fit(docs)
    X = [x for x in tok.transform(docs) if len(x)]
    words = [tok.tokens_[x].tolist() for x in X]
    n_tokens = sum(map(len, X))
    lengths = np.array([len(x) for x in X])
    rows.append(
        (
            part,
            f"corpus: {len(X)} {unit}, {n_tokens:,} WordTokenizer tokens "
            f"(doc length median {int(np.median(lengths))}, max {lengths.max()}), "
            f"{len(tok.tokens_) - 1:,} types; markovify gets the same tokens "
            "as strings",
            "",
            "",
            "",
            "",
        )
    )
    log(args, "[word] fit")
    mk_fit, chain = best_time(
        lambda: markovify.Chain(words, state_size=2), args.repeats
    )
    compile_time, compiled = best_time(lambda: chain.compile(), args.repeats)
    variants = {
        "MarkovChain(order=2) (Kneser-Ney)": MarkovChain(order=2),
        "MarkovChain(order=2, smoothing='additive', alpha=0) (markovify's "
        "distribution)": MarkovChain(order=2, smoothing="additive", alpha=0.0),
    }
    fitted = {}
    for name, est in variants.items():
        fit_time, fitted[name] = best_time(lambda est=est: est.fit(X), args.repeats)
        ratio = mk_fit / fit_time
        rows.append(
            (
                part,
                f"fit time: markovify.Chain vs {name}",
                fmt_time(mk_fit),
                fmt_time(fit_time),
                fmt_ratio(ratio),
                f">= 1x: {verdict(ratio >= 1)}",
            )
        )
    rows.append(
        (
            part,
            "  (markovify.Chain.compile(), optional, not in its fit time)",
            fmt_time(compile_time),
            "",
            "",
            "",
        )
    )

    N = n_generate or args.n_generate
    seeds = range(args.seed, args.seed + args.batches)
    log(args, f"[word] markovify: {args.batches} x {N} walks")
    refs = {}
    for name, ch in (("markovify walk()", chain), ("compiled markovify", compiled)):
        total_tokens, total_time = 0, 0.0
        for s in seeds:
            random.seed(s)  # markovify draws from the global `random`
            gc.collect()
            start = time.perf_counter()
            walks = [ch.walk() for _ in range(N)]
            total_time += time.perf_counter() - start
            total_tokens += sum(map(len, walks))
        refs[name] = (total_tokens / total_time, total_tokens / (N * args.batches))
    for ref_name, (ref_rate, ref_mean) in refs.items():
        rows.append(
            (
                part,
                f"{ref_name}: {args.batches} x {N} walks, mean length "
                f"{ref_mean:.0f} tokens",
                f"{ref_rate:,.0f} tok/s",
                "",
                "",
                "",
            )
        )
    for name, est in fitted.items():
        log(args, f"[word] {name}: {args.batches} x sample({N})")
        total_tokens, total_time, longest, cut = 0, 0.0, 0, 0
        for s in seeds:
            gc.collect()
            start = time.perf_counter()
            out = est.sample(N, max_length=args.max_length, random_state=s)
            total_time += time.perf_counter() - start
            lens = np.array([len(x) for x in out])
            total_tokens += lens.sum()
            longest = max(longest, lens.max())
            cut += int((lens == args.max_length).sum())
        rate = total_tokens / total_time
        short = name.split(" (")[0]
        rows.append(
            (
                part,
                f"{name}: {args.batches} x sample({N}, max_length="
                f"{args.max_length}), mean length "
                f"{total_tokens / (N * args.batches):.0f}, longest {longest}, "
                f"{cut} cut at max_length",
                "",
                f"{rate:,.0f} tok/s",
                "",
                "",
            )
        )
        for ref_name, (ref_rate, _) in refs.items():
            ratio = rate / ref_rate
            rows.append(
                (
                    part,
                    f"  generation speed, {short} vs {ref_name}",
                    f"{ref_rate:,.0f} tok/s",
                    f"{rate:,.0f} tok/s",
                    fmt_ratio(ratio),
                    f">= 5x: {verdict(ratio >= 5)}"
                    if ref_name == "markovify walk()"
                    else "",
                )
            )
        # Diagnostic: the same call with every sequence cut short, so the
        # loop over positions has no long tail of few active sequences.
        cut_len = args.diagnostic_length
        t_cut, out = best_time(
            lambda est=est, m=cut_len: est.sample(N, max_length=m, random_state=0),
            args.repeats,
        )
        n_cut = sum(map(len, out))
        rows.append(
            (
                part,
                f"  diagnostic, not comparable: sample({N}, max_length={cut_len})"
                " (sequences truncated, no long tail)",
                "",
                f"{n_cut / t_cut:,.0f} tok/s",
                "",
                "",
            )
        )


# ---------------------------------------------------------------------- memory


def bench_memory(args, docs, rows):
    k = args.memory_order
    X = CharTokenizer().fit_transform(docs)
    n_chars = sum(map(len, X))
    log(args, f"[memory] order {k}")
    fit_time, _ = best_time(lambda: MarkovChain(order=k).fit(X), args.repeats)
    gc.collect()
    tracemalloc.start()
    mc = MarkovChain(order=k).fit(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(pickle.dumps(mc, protocol=pickle.HIGHEST_PROTOCOL))
    stats = len(
        pickle.dumps(
            (mc.ngrams_, mc.ngram_counts_, mc.symbols_),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    )
    mib = 2**20
    label = f"memory k={k}"
    rows.append(
        (
            label,
            f"MarkovChain(order={k}) on the whole corpus ({n_chars:,} chars, "
            f"{mc.ngrams_[0].shape[0]:,} distinct events): fit time",
            "",
            fmt_time(fit_time),
            "",
            "",
        )
    )
    rows.append(
        (label, "tracemalloc peak during fit", "", f"{peak / mib:.1f} MiB", "", "")
    )
    rows.append(
        (
            label,
            f"pickled model (of which n-gram counts + symbols: "
            f"{stats / mib:.1f} MiB; the rest is the derived smoothing tables)",
            "",
            f"{size / mib:.1f} MiB",
            "",
            "",
        )
    )


# ------------------------------------------------------------------------ main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller run (fewer orders and events)"
    )
    parser.add_argument(
        "--orders",
        type=lambda s: [int(x) for x in s.split(",")],
        default=None,
        help="character context lengths k, comma-separated (default 2,4,6; "
        "--quick: 4). MarkovChain(order=k) is compared with nltk order k+1.",
    )
    parser.add_argument(
        "--target-order", type=int, default=4, help="order the targets refer to"
    )
    parser.add_argument(
        "--nltk-events",
        type=int,
        default=None,
        help="held-out events nltk scores (default 2000; --quick: 300)",
    )
    parser.add_argument(
        "--nltk-seconds",
        type=float,
        default=None,
        help="time budget of nltk scoring per order; it stops early, on a "
        "smaller random subsample, when spent (default 60; --quick: 20)",
    )
    parser.add_argument("--test-fraction", type=float, default=0.1)
    parser.add_argument(
        "--n-generate",
        type=int,
        default=None,
        help="sequences per generation batch (default 1000; --quick: 200)",
    )
    parser.add_argument(
        "--batches", type=int, default=None, help="generation batches (3; quick 1)"
    )
    parser.add_argument(
        "--max-length",
        type=int,
        default=20000,
        help="MarkovChain.sample max_length (markovify walks have none)",
    )
    parser.add_argument(
        "--diagnostic-length",
        type=int,
        default=300,
        help="max_length of the truncated diagnostic sample() call",
    )
    parser.add_argument("--memory-order", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=None, help="best of (5; 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--progress", action="store_true", help="print progress to stderr"
    )
    args = parser.parse_args(argv)
    defaults = {
        "orders": ([4], [2, 4, 6]),
        "nltk_events": (300, 2000),
        "nltk_seconds": (20.0, 60.0),
        "n_generate": (200, 1000),
        "batches": (1, 3),
        "repeats": (3, 5),
    }
    for name, (quick, full) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    if min(args.orders) < 1:
        parser.error("--orders must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    docs = load_text_corpus().data
    rows, checks = [], []
    start = time.perf_counter()
    bench_char(args, docs, rows, checks)
    bench_word(args, docs, rows)
    # markovify's usual unit: short texts (here the non-empty lines), where a
    # batch holds many sequences and generation has no long tail
    lines = [line for doc in docs for line in doc.split("\n") if line.strip()]
    bench_word(args, lines, rows, unit="lines", n_generate=10 * args.n_generate)
    bench_memory(args, docs, rows)
    elapsed = time.perf_counter() - start

    print(
        f"# MarkovChain benchmark{' (--quick)' if args.quick else ''}\n\n"
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"numpy {np.__version__}, nltk {nltk.__version__}, markovify "
        f"{getattr(markovify, '__version__', '?')}; {os.cpu_count()} CPUs; "
        f"{platform.machine()}. Total run {elapsed:.0f} s. Ratios: times "
        "reference/skgen, tokens/s skgen/reference, perplexity skgen/nltk.\n"
    )
    print("| part | measure | reference | skgen | ratio | target |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for name, ok in checks:
        print(f"- check, {name}: {'ok' if ok else '**FAILED**'}")


if __name__ == "__main__":
    main()
