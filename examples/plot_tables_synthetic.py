"""
================================================
Tables: real and synthetic rows of a mixed table
================================================

A :class:`~skgen.neural.VAE` fitted on a pandas DataFrame with numeric,
categorical and boolean columns samples a DataFrame with the same columns,
dtypes and categories. Here it learns statsmodels' ``fair`` survey table
(Fair, 1978; shipped inside statsmodels), and the synthetic rows are judged
three ways: their marginals and pairwise correlations beside the real ones,
:func:`~skgen.metrics.detection_score` (the cross-validated AUC of a
classifier telling real from synthetic rows; 0.5 is indistinguishable) and
:func:`~skgen.metrics.distance_to_closest_record` (a ratio well below 1
would mean the generator copies its training rows).
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skgen.metrics import detection_score, distance_to_closest_record
from skgen.neural import VAE

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

try:
    from statsmodels.datasets import fair
except ImportError:
    raise SystemExit(
        "This example needs statsmodels: pip install statsmodels"
    ) from None

raw = fair.load_pandas().data
table = pd.DataFrame(
    {
        "age": raw["age"],
        "yrs_married": raw["yrs_married"],
        "educ": raw["educ"],
        "occupation": pd.Categorical(raw["occupation"].astype(int).astype(str)),
        "had_affair": raw["affairs"] > 0,
    }
).sample(frac=1.0, random_state=0, ignore_index=True)
n_train = 600 if FAST else 3000
train, holdout = table[:n_train], table[n_train : 2 * n_train]

vae = VAE(latent_dim=4, max_epochs=3 if FAST else 60, random_state=0).fit(train)
synthetic = vae.sample(len(holdout), random_state=0)
print(synthetic.dtypes)

# %%
# Marginals and pairwise correlations
# -----------------------------------
numeric = ["age", "yrs_married", "educ"]
fig, axes = plt.subplots(2, 4, figsize=(12, 6), layout="constrained")
for ax, col in zip(axes[0, :3], numeric, strict=True):
    bins = np.linspace(table[col].min(), table[col].max(), 20)
    ax.hist(holdout[col], bins=bins, alpha=0.5, density=True, label="real")
    ax.hist(synthetic[col], bins=bins, alpha=0.5, density=True, label="synthetic")
    ax.set_xlabel(f"{col} (years)")
    ax.set_ylabel("density")
    ax.set_title(col)
axes[0, 0].legend()
categories = holdout["occupation"].cat.categories
width = 0.4
pos = np.arange(len(categories))
for offset, (name, frame) in zip(
    (-width / 2, width / 2), (("real", holdout), ("synthetic", synthetic)), strict=True
):
    share = frame["occupation"].value_counts(normalize=True).reindex(categories)
    axes[0, 3].bar(pos + offset, share, width, label=name)
axes[0, 3].set_xticks(pos, categories)
axes[0, 3].set_xlabel("occupation code")
axes[0, 3].set_ylabel("share of rows")
axes[0, 3].set_title("occupation")
axes[0, 3].set_ylim(0, 1.4 * axes[0, 3].get_ylim()[1])  # room for the legend
axes[0, 3].legend(loc="upper right", fontsize=8)

columns = [*numeric, "had_affair"]
for ax, (name, frame) in zip(
    axes[1, :2], (("real", holdout), ("synthetic", synthetic)), strict=True
):
    corr = frame[columns].astype(float).corr().to_numpy()
    image = ax.imshow(corr, vmin=-1, vmax=1, cmap="RdBu_r")
    ax.set_xticks(range(len(columns)), columns, rotation=45, ha="right")
    ax.set_yticks(range(len(columns)), columns)
    ax.set_title(f"correlations, {name}")
fig.colorbar(image, ax=axes[1, :2], label="Pearson correlation")

affair = [holdout["had_affair"].mean(), synthetic["had_affair"].mean()]
axes[1, 2].bar(["real", "synthetic"], affair, color=["tab:blue", "tab:orange"])
axes[1, 2].set_xlabel("rows (held-out real or synthetic)")
axes[1, 2].set_ylabel("share with had_affair true")
axes[1, 2].set_title("had_affair")
# sphinx_gallery_defer_figures

# %%
# Detection AUC and distance to the closest record
# ------------------------------------------------
# The survey's numbers are coded levels (age 17.5, 22, 27, ...), while the
# VAE puts a continuous Gaussian on each numeric column: a classifier tells
# real from synthetic rows by that alone. Snapping each synthetic value to
# the nearest level seen in training removes the give-away, and what is
# left is the model's error. The real table repeats rows, so the median
# distance of held-out rows to their closest training row is 0, and the
# DCR ratio (synthetic over held-out median) is infinite; comparing how
# often a synthetic and a held-out row equal some training row says more.
snapped = synthetic.copy()
for col in numeric:
    levels = np.unique(train[col])
    nearest = np.abs(synthetic[col].to_numpy()[:, None] - levels).argmin(axis=1)
    snapped[col] = levels[nearest]
auc = detection_score(holdout, synthetic, random_state=0)
auc_snapped = detection_score(holdout, snapped, random_state=0)
dcr = distance_to_closest_record(train, snapped, X_holdout=holdout)
print(f"detection AUC {auc:.3f}, snapped to levels {auc_snapped:.3f} (0.5: ideal)")
print(
    f"rows equal to a training row: synthetic {dcr.exact_match_rate:.1%}, "
    f"real held-out {np.mean(dcr.baseline == 0):.1%}"
)
axes[1, 3].axis("off")
axes[1, 3].text(
    0.0,
    0.5,
    f"detection AUC (0.5 = ideal)\n  raw samples: {auc:.3f}\n"
    f"  snapped to levels: {auc_snapped:.3f}\n\n"
    "rows equal to a\ntraining row:\n"
    f"  synthetic (snapped) {dcr.exact_match_rate:.0%}\n"
    f"  real held-out {np.mean(dcr.baseline == 0):.0%}",
    fontsize=10,
    va="center",
)
fig.suptitle("fair table: real (held-out) rows vs VAE samples")
plt.show()
