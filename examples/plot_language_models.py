"""
========================================================
Text: an LSTM and a Transformer against a Markov chain
========================================================

Three character-level models of the embedded corpus
(:func:`skgen.datasets.load_text_corpus`, no download): a Kneser-Ney
:class:`~skgen.markov.MarkovChain`, an LSTM
(:class:`~skgen.neural.RNNLanguageModel`) and a Transformer
(:class:`~skgen.neural.TransformerLanguageModel`). All three give the exact
log-likelihood of a whole document, its end included, so their held-out
bits per character are the same quantity and go on one axis, here against
the seconds each model took to train. Whole documents are held out, never
characters.

The neural models are small, trained for a few epochs on one thread, so the
comparison is one of a small budget on two cores: the gallery's fast build
(``SKGEN_GALLERY_FAST``) trains tiny networks for two epochs on a few short
documents, and its curves and samples show far less than the full build's.
"""

import copy
import os
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from skorch.callbacks import Callback

from skgen.datasets import load_text_corpus
from skgen.markov import MarkovChain
from skgen.metrics import bits_per_dim, copy_rate
from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.pipeline import make_generative_pipeline
from skgen.text import CharTokenizer

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

docs = load_text_corpus().data
if FAST:  # a few short documents
    docs = [d for d in docs if len(d) < 1200][:12]
rng = np.random.default_rng(0)
shuffled = rng.permutation(len(docs))
n_test = max(3, len(docs) // 10)
test = [docs[i] for i in shuffled[:n_test]]
train = [docs[i] for i in shuffled[n_test:]]
# Every event a model predicts: each character and one end per document.
n_events = np.array([len(d) + 1 for d in test])
print(
    f"{len(train)} training documents, {len(test)} held out "
    f"({n_events.sum()} characters and ends)"
)


def held_out_bpc(model):
    """Held-out bits per character (the end of each document included)."""
    return bits_per_dim(model.score_samples(test), n_events)


# %%
# The Markov chain: one fit per order
# -----------------------------------
# A Kneser-Ney chain fits by counting, in well under a second; each order
# is one point, at its fit time.
orders = [1, 2, 3, 4] if FAST else [1, 2, 3, 4, 5, 6, 7]
markov_seconds, markov_bpc, markov = [], [], {}
for k in orders:
    chain = make_generative_pipeline(CharTokenizer(), MarkovChain(order=k))
    start = time.perf_counter()
    chain.fit(train)
    markov_seconds.append(time.perf_counter() - start)
    markov_bpc.append(held_out_bpc(chain))
    markov[k] = chain
best_order = orders[int(np.argmin(markov_bpc))]

# %%
# Learning curves of the neural models
# ------------------------------------
# skorch records each epoch's duration in ``net_.history`` (``"dur"``:
# training and the early-stopping validation, the whole cost of the
# epoch). For the held-out curve, a small skorch callback keeps a copy of
# the network's weights after every epoch; once the model is fitted, each
# copy is loaded into a copy of the fitted pipeline and scored on the
# held-out documents, exactly as the final model is scored. (The
# ``valid_loss`` of the history is also held out, on the early-stopping
# share of the training documents, but it averages per-batch means and is
# not on the documents the Markov chain is scored on.) A copy of the
# pipeline is needed because a fitted model keeps its own inference copy
# of the network, which loading weights into ``module_`` does not change.


class WeightsPerEpoch(Callback):
    """Keep a copy of the network's weights at the end of every epoch."""

    def initialize(self):
        self.weights_ = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.weights_.append(copy.deepcopy(net.module_.state_dict()))


def learning_curve(pipe):
    """Cumulated training seconds and held-out bits per character, per epoch."""
    net = pipe[-1].net_
    seconds = np.cumsum(net.history[:, "dur"])
    bpc = []
    for weights in dict(net.callbacks_)["weights"].weights_:
        at_epoch = copy.deepcopy(pipe)
        at_epoch[-1].module_.load_state_dict(weights)
        bpc.append(held_out_bpc(at_epoch))
    return seconds, np.array(bpc)


budget = dict(
    max_epochs=2 if FAST else 12,
    batch_size=16 if FAST else 32,
    callbacks=[("weights", WeightsPerEpoch())],
    random_state=0,
)
lstm = RNNLanguageModel(
    embedding_dim=16 if FAST else 32,
    hidden_size=32 if FAST else 128,
    num_layers=1,
    window_length=64 if FAST else 128,
    **budget,
)
transformer = TransformerLanguageModel(
    d_model=16 if FAST else 64,
    nhead=2 if FAST else 4,
    num_layers=1 if FAST else 2,
    dim_feedforward=32 if FAST else 128,
    context_length=32 if FAST else 64,
    **{**budget, "max_epochs": 2 if FAST else 8},
)
neural, curves = {}, {}
for name, lm in [("LSTM", lstm), ("Transformer", transformer)]:
    with warnings.catch_warnings():
        # The budget is short on purpose: a model whose held-out loss still
        # falls when max_epochs runs out warns so (a ConvergenceWarning).
        warnings.simplefilter("ignore", ConvergenceWarning)
        neural[name] = make_generative_pipeline(CharTokenizer(), lm).fit(train)
    curves[name] = learning_curve(neural[name])
    print(
        f"{name}: {len(curves[name][0])} epochs, "
        f"{curves[name][0][-1]:.1f} s, final {held_out_bpc(neural[name]):.2f} bpc"
    )

# %%
# Held-out bits per character against training time
# -------------------------------------------------
# The chain's points are labelled by order; the neural curves have one
# point per epoch. In the full build (about three minutes of one core),
# both networks are still improving when their budget ends, the
# Transformer ahead of the LSTM at every second; the Kneser-Ney chain of
# order 7, fitted in about a second, is still well below both. On half a
# million characters and two cores a Markov chain is hard to beat: the
# networks need far more training (and a GPU) to pass it.
fig, ax = plt.subplots(figsize=(6.4, 4.4), layout="constrained")
ax.plot(
    markov_seconds,
    markov_bpc,
    "o:",
    color="C2",
    label="Kneser-Ney Markov chain (by order)",
)
for k, x, y in zip(orders, markov_seconds, markov_bpc, strict=True):
    ax.annotate(f"{k}", (x, y), textcoords="offset points", xytext=(5, 3), fontsize=8)
for (name, (seconds, bpc)), color in zip(curves.items(), ["C0", "C3"], strict=True):
    ax.plot(seconds, bpc, ".-", color=color, label=f"{name} (one point per epoch)")
ax.set_xscale("log")
ax.set_xlabel("training time (seconds, one thread; log scale)")
ax.set_ylabel("held-out bits per character (lower is better)")
ax.set_title("Character models of the embedded corpus")
ax.legend(fontsize=8)
plt.show()

# %%
# Samples
# -------
# The pipelines return strings. The neural models draw with
# ``temperature=0.8`` (a little sharper than the model) and the chain at
# its best held-out order. The neural samples continue the prompt
# ``"The "``, a string: the pipeline tokenizes it, and the samples begin
# with it.
samples = {
    f"Markov chain, order {best_order}": markov[best_order].sample(
        2, max_length=200, random_state=0
    ),
    **{
        name: pipe.sample(
            2, max_length=200, temperature=0.8, prompt="The ", random_state=0
        )
        for name, pipe in neural.items()
    },
}
for name, texts in samples.items():
    print(f"--- {name}")
    for text in texts:
        print(repr(text))

# %%
# A model can lower its held-out loss and still recite training text:
# :func:`skgen.metrics.copy_rate` is the share of samples sharing a run of
# ``min_length`` characters with one training document. The same figure
# against the held-out documents is the baseline of stock phrases (the
# corpus repeats its grammar rules and names), which is not memorisation.
# In the full build the high-order chain copies more than the baseline;
# the networks, trained less, copy little.
n, length = (3, 150) if FAST else (40, 400)
for name, pipe in {"Markov chain": markov[best_order], **neural}.items():
    drawn = pipe.sample(n, max_length=length, random_state=1)
    print(
        f"{name}: copy rate {copy_rate(drawn, train, min_length=30):.2f} "
        f"(held out: {copy_rate(drawn, test, min_length=30):.2f})"
    )
