"""
=================================================
Tables: missing values, column kinds and supports
=================================================

Real tables have holes, integer columns and columns of a few levels. The
palmerpenguins table (Horst, Hill and Gorman, 2020; shipped inside the
``palmerpenguins`` package) has all three: 344 penguins, a few of them
without measurements or without a recorded sex, body masses and flipper
lengths in whole grams and millimetres, and a ``year`` column that only
takes 2007, 2008 and 2009.

A :class:`~skgen.neural.VAE` at its defaults takes the DataFrame as it is.
Its :class:`~skgen.tabular.TabularEncoder` decides a kind for every column,
models each column's missingness as a state of its own, and decodes every
sample into its column's support. Here we look at what it decided, compare
the missing-value rates and three marginals of as many synthetic rows as
the table has with the real ones, check that no sampled value is outside
its column's support, and measure the held-out log-likelihood by 5-fold
cross-validation.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import KFold, cross_val_score

from skgen.neural import VAE

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

try:
    from palmerpenguins import load_penguins
except ImportError:
    raise SystemExit(
        "This example needs palmerpenguins: pip install 'skgen[data]'"
    ) from None

penguins = load_penguins()
print(penguins.head())

# %%
# Column kinds, as detected
# -------------------------
# ``fit`` detects each column's kind from its dtype and values (the rule is
# in the user guide). The string columns are categorical, or binary with two
# levels (``sex``); the bill measurements are continuous; flipper length and
# body mass hold only whole numbers, so they are integer columns (the model
# puts a probability on each integer, and samples integers); ``year`` has
# three values, each seen many times, so it is discrete: three levels, never
# a fourth. The columns with missing values get a state block ("value" or
# "missing") in front of their value.
vae = VAE(max_epochs=3 if FAST else "auto", random_state=0).fit(penguins)
encoder = vae.encoder_
print(pd.Series(encoder.column_kinds_, name="kind").to_string())
print(encoder.states_)

# %%
# Missing values, real and synthetic
# ----------------------------------
# The synthetic table has as many rows as the real one. Missing values are
# sampled as a column's state, jointly with the other columns, so each
# column's rate is learnt from the data. In the real table two penguins lack
# every measurement and their sex, and nine others only their sex; a pattern
# of two rows in 344 is more than the default model learns, and it scatters
# single missing measurements instead, at rates of the same order.
synthetic = vae.sample(len(penguins), random_state=0)
rates = pd.DataFrame(
    {"real": penguins.isna().mean(), "synthetic": synthetic.isna().mean()}
)
print((100 * rates).round(1).rename(columns=lambda c: f"{c} (% missing)"))


def pattern(frame):
    """Each row's missing columns, as one label."""
    missing = frame.isna()
    return missing.apply(lambda row: ", ".join(frame.columns[row]) or "none", axis=1)


patterns = pd.DataFrame(
    {
        "real": pattern(penguins).value_counts(),
        "synthetic": pattern(synthetic).value_counts(),
    }
).fillna(0)
with pd.option_context("display.max_colwidth", None, "display.width", 120):
    print(patterns.astype(int).sort_values(["real", "synthetic"], ascending=False))

# %%
# Marginals, real and synthetic
# -----------------------------
# A continuous column (bill length), an integer one (body mass: whole grams,
# in the table mostly multiples of 25 g; the model knows it is an integer,
# not that it is rounded to 25) and the discrete ``year``, whose synthetic
# rows take only the three years of the real table.
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
for ax, col, unit in zip(
    axes[:2], ["bill_length_mm", "body_mass_g"], ["mm", "g"], strict=True
):
    bins = np.linspace(penguins[col].min(), penguins[col].max(), 25)
    ax.hist(penguins[col].dropna(), bins=bins, alpha=0.5, density=True, label="real")
    ax.hist(
        synthetic[col].dropna(), bins=bins, alpha=0.5, density=True, label="synthetic"
    )
    ax.set_xlabel(f"{col} ({unit})")
    ax.set_ylabel(f"density (per {unit})")
    ax.set_title(col)
axes[0].legend()
years = encoder.categories_["year"]
width = 0.4
for offset, (name, frame) in zip(
    (-width / 2, width / 2), (("real", penguins), ("synthetic", synthetic)), strict=True
):
    share = frame["year"].value_counts(normalize=True).reindex(years, fill_value=0)
    axes[2].bar(np.arange(len(years)) + offset, share, width, label=name)
axes[2].set_xticks(np.arange(len(years)), [f"{year:.0f}" for year in years])
axes[2].set_xlabel("year (study season)")
axes[2].set_ylabel("share of rows")
axes[2].set_title("year")
axes[2].set_ylim(0, 1.3 * axes[2].get_ylim()[1])  # room for the legend
axes[2].legend(loc="upper left")
fig.suptitle(f"palmerpenguins: {len(penguins)} real rows vs as many VAE samples")
plt.show()

# %%
# No value outside its column's support
# -------------------------------------
# Each kind has a support: the levels seen in training for a discrete,
# binary or categorical column, the integers for an integer column (and the
# non-negative ones for a count), the positive reals for a positive column.
# The encoder decodes every model output into it, so the share of sampled
# values outside is zero for every column (missing values are a state, not
# a value, and are left out).


def outside_support(frame, encoder):
    """Share of each column's present values outside its kind's support."""
    shares = {}
    for col, kind in encoder.column_kinds_.items():
        x = frame[col].dropna()
        if col in encoder.categories_:
            bad = ~x.isin(encoder.categories_[col])
        else:
            x = x.to_numpy(dtype=float)
            bad = ~np.isfinite(x)
            if kind in ("count", "integer"):
                bad |= x != np.round(x)
            if kind in ("count", "nonnegative"):
                bad |= x < 0
            if kind in ("positive", "proportion"):
                bad |= x <= 0
            if kind == "proportion":
                bad |= x >= 1
        shares[col] = float(np.mean(bad))
    return pd.Series(shares, name="share outside")


print(outside_support(synthetic, encoder).to_string())

# %%
# Every synthetic row is then a row the model can score: its log-likelihood
# is finite (a value outside a column's support would score ``-inf``).
print("finite log-likelihood:", np.isfinite(vae.score_samples(synthetic)).all())

# %%
# Held-out log-likelihood
# -----------------------
# ``score`` is the mean importance-weighted lower bound on ``log p(row)``,
# in nats: a density for the bill measurements (per mm), the probability of
# each integer for the integer columns, of each level for the discrete ones,
# and of each column's state, so missing values count too. A level or value
# a fold never saw in training still gets a finite likelihood: discrete
# columns reserve probability for unseen levels, and supports come from the
# kinds, not from the training range.
cv = KFold(2 if FAST else 5, shuffle=True, random_state=0)
scores = cross_val_score(
    VAE(max_epochs=3 if FAST else "auto", random_state=0), penguins, cv=cv
)
print(
    f"held-out log-likelihood: {scores.mean():.2f} nats per row "
    f"(folds {np.round(scores, 2).tolist()})"
)
