"""
==============================================
The digits leaderboard as a bar chart
==============================================

:func:`skgen.leaderboard.run` cross-validates density models of sklearn's
digits (dequantized by uniform noise, so every model has a density of the
same continuous data) and returns the ranked table as a DataFrame. The
VAE's score is a lower bound on its log-likelihood; the Gaussian mixtures',
kernel densities' and linear-Gaussian models' are exact. A bound is at most
the model's true likelihood, so it is drawn differently: hatched bars.
"""

import os

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from skgen.leaderboard import format_table, run

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

options = (
    dict(n_rows=400, gmm_components=(2,), bandwidths=(1.0,), pca_components=(10,))
    if FAST
    else dict(gmm_components=(5, 20), bandwidths=(1.0, 2.0), pca_components=(30,))
)
frame = run(
    "digits", n_splits=3, max_epochs=2 if FAST else 40, random_state=0, **options
)
print(format_table(frame))

# %%
# One bar per model, error bars across folds
# ------------------------------------------
# ``bits_per_step`` is bits per pixel (lower is better); its spread across
# folds is ``nats_per_step_std`` in nats, converted to bits.
frame = frame.sort_values("bits_per_step")
bound = frame["likelihood_kind"] == "lower_bound"
std_bits = frame["nats_per_step_std"] / 0.6931471805599453

fig, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.5), layout="constrained")
bars = ax.barh(
    frame["model"],
    frame["bits_per_step"],
    xerr=std_bits,
    color=["tab:orange" if b else "tab:blue" for b in bound],
    capsize=3,
)
for bar, is_bound in zip(bars, bound, strict=True):
    if is_bound:
        bar.set_hatch("//")
ax.invert_yaxis()
ax.set_xlabel("held-out bits per pixel (lower is better; 3-fold CV)")
ax.set_title("Digits leaderboard:\nexact likelihoods and lower bounds")
ax.legend(
    handles=[
        Patch(color="tab:blue", label="exact"),
        Patch(facecolor="tab:orange", hatch="//", label="lower bound"),
    ],
    loc="upper left",
    bbox_to_anchor=(1.01, 1.0),
)
plt.show()
