"""
===================================================
Text: choosing a Markov chain's order by likelihood
===================================================

A character-level :class:`~skgen.markov.MarkovChain` of order ``k``
predicts each character from the ``k`` before it. A higher order fits the
training text better but has seen fewer of its contexts; cross-validated
log-likelihood, the default score of every skgen model, picks the order
that generalises. The chains here use additive smoothing (a pseudo-count
of 0.1 per character), whose held-out curve turns up once the contexts
get too sparse; the default Kneser-Ney smoothing backs off to shorter
contexts, so its held-out curve only flattens as the order grows. The
corpus is the embedded one (:func:`skgen.datasets.load_text_corpus`), no download.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import KFold, cross_validate

from skgen.datasets import load_text_corpus
from skgen.markov import MarkovChain
from skgen.metrics import bits_per_dim
from skgen.pipeline import make_generative_pipeline
from skgen.text import CharTokenizer

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

docs = load_text_corpus().data
if FAST:
    docs = docs[:30]
orders = [1, 2, 3, 4, 5] if FAST else [1, 2, 3, 4, 5, 6, 7]
chain = dict(smoothing="additive", alpha=0.1)
n_chars = np.mean([len(d) for d in docs])

# %%
# Held-out and training likelihood per order
# ------------------------------------------
# ``score`` is the mean log-likelihood per document, in nats; divided by
# the mean length and ``log 2`` it is bits per character.
held_out, train = [], []
for order in orders:
    model = make_generative_pipeline(CharTokenizer(), MarkovChain(order=order, **chain))
    cv = cross_validate(
        model, docs, cv=KFold(5, shuffle=True, random_state=0), return_train_score=True
    )
    held_out.append(cv["test_score"])
    train.append(cv["train_score"].mean())
held_out = np.array(held_out)
to_bits = -1 / (n_chars * np.log(2))  # nats per document -> bits per character

fig, ax = plt.subplots(figsize=(6, 4.4), layout="constrained")
ax.errorbar(
    orders,
    held_out.mean(axis=1) * to_bits,
    yerr=held_out.std(axis=1) * -to_bits,
    marker="o",
    capsize=3,
    label="held out (5-fold CV)",
)
ax.plot(orders, np.array(train) * to_bits, "s--", label="training")
best = orders[int(np.argmax(held_out.mean(axis=1)))]
ax.axvline(best, color="grey", lw=0.8, ls=":", label=f"best order: {best}")
ax.set_xticks(orders)
ax.set_xlabel("Markov chain order (characters of context)")
ax.set_ylabel("bits per character (lower is better)")
ax.set_title("Choosing the order by cross-validated likelihood")
fig.legend(loc="outside lower center", ncols=3, fontsize=8)
plt.show()

# %%
# Samples of the chosen order
# ---------------------------
# ``sample`` returns strings, because the pipeline's tokenizer inverts.
# They come from a Kneser-Ney chain of that order: additive smoothing gives
# every character some mass after every context, and samples show it.
best_model = make_generative_pipeline(CharTokenizer(), MarkovChain(order=best))
best_model.fit(docs)
for text in best_model.sample(3, max_length=160, random_state=0):
    print(repr(text))

# %%
# :func:`skgen.metrics.bits_per_dim` does the unit conversion for a set of
# documents: nats per document over their lengths, in bits.
test = docs[-5:]
print(bits_per_dim(best_model.score_samples(test), [len(d) for d in test]))
