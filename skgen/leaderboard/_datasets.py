"""The leaderboard's datasets and their candidate models.

``text`` (Markov chains, an LSTM and a Transformer on the embedded corpus or
on documents of yours), ``sequences`` (hidden Markov models, an LSTM and a
Transformer on synthetic HMM data) and ``digits``
(density models of tables: skgen's VAE beside scikit-learn's
GaussianMixture, KernelDensity, PCA and FactorAnalysis on sklearn's
``load_digits``, dequantized by adding U[0, 1) noise to the integer pixel
values and left unscaled, so that every log-likelihood is a density of the
dequantized pixels).
"""

import os

import numpy as np
from sklearn.base import clone

from skgen.leaderboard._registry import (
    Dataset,
    LeaderboardOptionError,
    register_candidates,
    register_dataset,
)

__all__ = ["digits_candidates", "digits_data"]


# ------------------------------------------------------------------ text


def _read_documents(path, split):
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise LeaderboardOptionError(f"{path} is not UTF-8 text ({exc}).") from None
    except OSError as exc:
        raise LeaderboardOptionError(f"cannot read {path}: {exc.strerror}.") from None
    if split == "auto":
        split = "block" if "\n\n" in text.strip() else "line"
    if split == "block":
        parts = [" ".join(p.split("\n")) for p in text.split("\n\n")]
    else:
        parts = text.split("\n")
    docs = [p.strip() for p in parts if p.strip()]
    if not docs:
        raise LeaderboardOptionError(f"{path} holds no documents.")
    return docs


def _text_steps(pipeline, X):
    """Predicted events per document: tokens plus the end symbol."""
    return sum(len(t) + 1 for t in pipeline[:-1].transform(X))


def _show_text(sample):
    return repr(" ".join(sample.split()))


def _load_text(*, random_state, data, split, max_length):
    if split not in ("auto", "line", "block"):
        raise LeaderboardOptionError(
            f"split must be 'auto', 'line' or 'block'; got {split!r}."
        )
    if data is None:
        from skgen.datasets import load_text_corpus

        name, X = "embedded text corpus (pydoc topics)", load_text_corpus().data
    elif isinstance(data, str | os.PathLike):
        name, X = os.fspath(data), _read_documents(data, split)
    else:
        name, X = "documents given", [str(d) for d in data]
        if not X:
            raise LeaderboardOptionError("data holds no documents.")
    return Dataset(
        f"{name}: {len(X)} documents",
        X,
        _text_steps,
        _show_text,
        "A step is a token; the end of each document counts as one.",
        sample_options={"max_length": max_length},
    )


def _tokenizer(level):
    """The tokenizer of ``level`` every text candidate is a pipeline after."""
    from skgen.text import CharTokenizer, WordTokenizer

    if level not in ("char", "word"):
        raise LeaderboardOptionError(f"level must be 'char' or 'word'; got {level!r}.")
    return CharTokenizer() if level == "char" else WordTokenizer()


def _markov_candidates(*, random_state, orders, smoothing, level):
    from skgen.markov import MarkovChain
    from skgen.pipeline import make_generative_pipeline

    tokenizer = _tokenizer(level)
    for s in smoothing:
        for order in orders:
            model = MarkovChain(order=order, smoothing=s)
            name = f"MarkovChain(order={order}, {s}) [{level}]"
            yield name, make_generative_pipeline(clone(tokenizer), model)


def _check_text(dataset, train, options, label, given):
    """Early stopping (the full budget) holds out a document: two are needed."""
    if options["lm"] and options["lm_budget"] == "full":
        docs = min(len(idx) for idx in train)
        if docs < 2:
            raise LeaderboardOptionError(
                f"{label('lm_budget')} 'full' trains the language models with "
                "early stopping on held-out documents and needs 2 training "
                f"documents in every fold; with {len(dataset.X)} documents and "
                f"{label('n_splits')} {len(train)} the smallest has {docs}. Use "
                "more documents or the 'demo' budget, or rank no language model."
            )


register_dataset(
    "text",
    _load_text,
    description="Markov chains, an LSTM and a Transformer on the embedded corpus "
    "(or data=, --data FILE)",
    options={"data": None, "split": "auto", "max_length": 300},
    check=_check_text,
)
register_candidates(
    "text",
    _markov_candidates,
    options={
        "orders": (1, 2, 3, 4, 5),
        "smoothing": ("kneser-ney", "additive"),
        "level": "char",
    },
)


# ------------------------------------------------------ language models

#: The language-model families of ``lm=``, and the budgets of ``lm_budget=``.
LM_FAMILIES = ("lstm", "transformer")
LM_BUDGETS = ("demo", "full")

#: The ``"demo"`` budget per dataset and family: small networks trained for
#: a few epochs without early stopping (it would never stop that early, and
#: would hold out a tenth of the training documents). On the embedded corpus
#: an epoch is the ~370,000 characters of a training fold; there the demo
#: gave 2.18 (LSTM) and 2.30 (Transformer) held-out bits per character, in
#: 17 s and 39 s of fitting a fold on a busy two-core machine (Markov
#: chains: 1.66 at best, 2.65 at order 2). Batches of 16 windows: the
#: automatic 128 leaves ~13 optimiser steps an epoch.
_LM_DEMO = {
    "text": {
        "lstm": dict(
            embedding_dim=64, hidden_size=128, num_layers=1, dropout=0.1,
            batch_size=16, lr=1e-2, max_epochs=3, early_stopping=False,
        ),
        "transformer": dict(
            d_model=64, nhead=4, num_layers=2, dim_feedforward=256,
            dropout=0.1, context_length=64, batch_size=16, lr=5e-3,
            max_epochs=2, early_stopping=False,
        ),
    },
    "sequences": {
        "lstm": dict(
            embedding_dim=32, hidden_size=64, num_layers=1, dropout=0.1,
            max_epochs=100,
        ),
        "transformer": dict(
            d_model=32, nhead=2, num_layers=2, dim_feedforward=64,
            dropout=0.1, max_epochs=100,
        ),
    },
}  # fmt: skip

#: Parameters shown in a candidate's name, per family.
_LM_SHOWN = {
    "lstm": ("hidden_size", "num_layers", "max_epochs"),
    "transformer": ("d_model", "num_layers", "max_epochs"),
}


def _check_lm_options(lm, lm_budget):
    bad = [f for f in lm if f not in LM_FAMILIES]
    if bad:
        raise LeaderboardOptionError(
            f"lm must hold families among {list(LM_FAMILIES)}; got {bad[0]!r}."
        )
    if lm_budget not in LM_BUDGETS:
        raise LeaderboardOptionError(
            f"lm_budget must be 'demo' or 'full'; got {lm_budget!r}."
        )


def _language_models(dataset, *, random_state, lm, lm_budget):
    """``(name, model)`` of each family of ``lm`` at ``lm_budget``, unwrapped."""
    from skgen.neural import RNNLanguageModel, TransformerLanguageModel

    _check_lm_options(lm, lm_budget)
    classes = {"lstm": RNNLanguageModel, "transformer": TransformerLanguageModel}
    for family in dict.fromkeys(lm):  # a repeated family is one candidate
        cls = classes[family]
        params = _LM_DEMO[dataset][family] if lm_budget == "demo" else {}
        shown = ", ".join(f"{k}={params[k]}" for k in _LM_SHOWN[family] if k in params)
        yield f"{cls.__name__}({shown})", cls(**params, random_state=random_state)


def _text_lm_candidates(*, random_state, lm, lm_budget, level):
    from skgen.pipeline import make_generative_pipeline

    tokenizer = _tokenizer(level)
    models = _language_models(
        "text", random_state=random_state, lm=lm, lm_budget=lm_budget
    )
    for name, model in models:
        yield f"{name} [{level}]", make_generative_pipeline(clone(tokenizer), model)


register_candidates(
    "text",
    _text_lm_candidates,
    options={"lm": LM_FAMILIES, "lm_budget": "demo"},
    reads=("level",),
)


# ------------------------------------------------------------- sequences


def _load_sequences(*, random_state, n_sequences):
    from skgen.datasets import make_hmm_sequences

    n = n_sequences
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


def _hmm_candidates(*, random_state, hmm_states):
    from skgen.hmm import GMMHMM, GaussianHMM

    for k in hmm_states:
        yield (
            f"GaussianHMM(n_components={k})",
            GaussianHMM(k, n_init=2, tol=1.0, random_state=random_state),
        )
    yield (
        "GMMHMM(n_components=2, n_mix=2)",
        GMMHMM(2, n_mix=2, n_init=2, tol=1.0, random_state=random_state),
    )


def _check_sequences(dataset, train, options, label, given):
    """Training folds need a time step per HMM state, two sequences per LM."""
    bad = [k for k in options["hmm_states"] if k < 1]
    if bad:
        raise LeaderboardOptionError(
            f"{label('hmm_states')} must hold state counts >= 1; got {bad[0]}."
        )
    rows = min(len(idx) for idx in train)
    if options["lm"] and rows < 2:  # both budgets stop early on held-out ones
        raise LeaderboardOptionError(
            f"{label('lm')} trains with early stopping on held-out sequences and "
            f"needs 2 training sequences in every fold; with {label('n_sequences')} "
            f"{len(dataset.X)} and {label('n_splits')} {len(train)} the smallest "
            "has 1. Use more sequences."
        )
    k = max(options["hmm_states"], default=0)
    steps = min(sum(len(dataset.X[i]) for i in idx) for idx in train)
    if steps < k:
        raise LeaderboardOptionError(
            f"{label('hmm_states')} {k} needs at least {k} time steps in every "
            f"training fold; with {label('n_sequences')} {len(dataset.X)} and "
            f"{label('n_splits')} {len(train)} the smallest has {steps} time "
            "steps. Use fewer components or more sequences."
        )


register_dataset(
    "sequences",
    _load_sequences,
    description="hidden Markov models on synthetic HMM data",
    options={"n_sequences": 200},
    check=_check_sequences,
)
register_candidates(
    "sequences", _hmm_candidates, options={"hmm_states": (1, 2, 3, 4, 5)}
)


def _sequence_lm_candidates(*, random_state, lm, lm_budget):
    yield from _language_models(
        "sequences", random_state=random_state, lm=lm, lm_budget=lm_budget
    )


register_candidates(
    "sequences",
    _sequence_lm_candidates,
    options={"lm": LM_FAMILIES, "lm_budget": "demo"},
)


# ---------------------------------------------------------------- digits

#: Digit images have 17 grey levels (0 to 16); dequantized pixels lie in
#: [0, 17).
_DIGIT_LEVELS = 17
#: Rows of sklearn's ``load_digits``.
_N_DIGITS = 1797
_DIGIT_RAMP = " .:-=+*#%@"


def digits_data(random_state=0, n_rows=None):
    """Load sklearn's 8x8 digit images as a dequantized float table.

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
        The dequantized pixels, in ``[0, 17)``; rows in their order in
        ``load_digits``.
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


def _load_digits(*, random_state, n_rows):
    X = digits_data(random_state, n_rows)
    return Dataset(
        f"sklearn digits (load_digits): {len(X)} images of 8x8 = 64 pixels, "
        "grey levels 0-16 dequantized with U[0,1) noise "
        f"(random_state={random_state}), unscaled",
        X,
        lambda model, X: X.size,
        lambda s: np.array2string(np.round(s, 1), max_line_width=200),
        "A step is one pixel: nats/step and bits/step are nats and bits per "
        "pixel (per dimension) of the dequantized pixel density.",
        _render_digits,
    )


#: GaussianMixture and PCA component counts of the digits leaderboard.
_GMM_COMPONENTS = (5, 20, 60)
_PCA_COMPONENTS = (30, 60)
_BANDWIDTHS = (1.0, 2.0)


def digits_candidates(
    *,
    gmm_components=_GMM_COMPONENTS,
    bandwidths=_BANDWIDTHS,
    pca_components=_PCA_COMPONENTS,
    max_epochs=300,
    random_state=0,
):
    """Generate the (name, estimator) pairs that the digits leaderboard compares.

    skgen's VAE (``max_epochs`` of training), and scikit-learn's density
    models: GaussianMixture with diagonal covariances (``gmm_components``
    each) and full covariances (those of ``gmm_components`` up to 10),
    KernelDensity (Gaussian kernel, ``bandwidths``), PCA (probabilistic
    PCA, ``pca_components``) and FactorAnalysis (all components). Their
    ``score_samples`` are log-densities per row in nats; their ``score`` is
    not used (for KernelDensity it is a sum).

    Parameters
    ----------
    gmm_components : sequence of int, default=(5, 20, 60)
        Component counts of the GaussianMixture candidates: one with
        diagonal covariances per count, and one with full covariances for
        each count up to 10.
    bandwidths : sequence of float, default=(1.0, 2.0)
        Bandwidths of the KernelDensity candidates, one each.
    pca_components : sequence of int, default=(30, 60)
        Component counts of the PCA candidates, one each.
    max_epochs : int, default=300
        Training epochs of the VAE.
    random_state : int, default=0
        Seeds the VAE, the GaussianMixtures and FactorAnalysis.

    Yields
    ------
    name : str
        The candidate's name in the leaderboard, such as
        ``"GaussianMixture(n_components=5, diag)"``.
    estimator : estimator
        The unfitted model.
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
    for k in gmm_components:
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


def _check_digits(dataset, train, options, label, given):
    """Every training fold needs as many rows as the largest model components."""
    rows = min(len(idx) for idx in train)
    needs = [
        (k, f"GaussianMixture(n_components={k})", "gmm_components")
        for k in options["gmm_components"]
    ] + [
        (k, f"PCA(n_components={k})", "pca_components")
        for k in options["pca_components"]
    ]
    if not needs:
        return
    k, model, option = max(needs)
    if rows < k:
        n, n_splits = len(dataset.X), len(train)
        # floor(n (s - 1) / s) training rows in the smallest fold
        least = -(-k * n_splits // (n_splits - 1))
        advice = []
        if options["n_rows"] is not None and least <= _N_DIGITS:
            advice.append(f"use {label('n_rows')} >= {least}")
        if option in given:
            advice.append(f"lower {label(option)}")
        raise LeaderboardOptionError(
            f"{n} rows in {n_splits} folds leave {rows} training rows "
            f"in a fold, fewer than the {k} that {model} needs"
            + (f"; {' or '.join(advice)}." if advice else ".")
        )


register_dataset(
    "digits",
    _load_digits,
    description="density models on sklearn's digits, dequantized with U[0,1) "
    "noise seeded by random_state",
    options={"n_rows": None},
    check=_check_digits,
)
register_candidates(
    "digits",
    digits_candidates,
    options={
        "gmm_components": _GMM_COMPONENTS,
        "bandwidths": _BANDWIDTHS,
        "pca_components": _PCA_COMPONENTS,
        "max_epochs": 300,
    },
)
