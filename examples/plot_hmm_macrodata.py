"""
==================================================
A hidden Markov model of US GDP growth
==================================================

A two-state :class:`~skgen.hmm.GaussianHMM` on the quarterly growth rate of
US real GDP (statsmodels' ``macrodata``, 1959-2009, shipped inside the
package). Each state is a Gaussian regime of growth; the Viterbi path
(``predict_states``) shades the quarters of the low-growth regime, which
lines up with the recessions.
"""

import os

import matplotlib.pyplot as plt
import numpy as np

from skgen.hmm import GaussianHMM

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

try:
    from statsmodels.datasets import macrodata
except ImportError:  # statsmodels is a dev dependency, not a core one
    raise SystemExit(
        "This example needs statsmodels: pip install statsmodels"
    ) from None

data = macrodata.load_pandas().data
growth = 400 * np.diff(np.log(data["realgdp"].to_numpy()))  # % a year
years = (data["year"] + (data["quarter"] - 1) / 4).to_numpy()[1:]

# %%
# One sequence is one sample
# --------------------------
# skgen's HMMs take a list of sequences, each of shape (n_steps,
# n_features). With one series there is nothing to cross-validate over,
# so the number of states is fixed at two (expansion and contraction), with
# several EM restarts.
X = [growth.reshape(-1, 1)]
hmm = GaussianHMM(n_components=2, n_init=2 if FAST else 10, random_state=0).fit(X)
states = hmm.predict_states(X)[0]
means = hmm.model_.means_.ravel()
low = int(np.argmin(means))
print(f"state means: {np.round(means, 2)} % a year; log p(series) = {hmm.score(X):.1f}")

fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
ax.plot(years, growth, color="black", lw=1, label="real GDP growth")
ax.fill_between(
    years,
    growth.min(),
    growth.max(),
    where=states == low,
    color="tab:red",
    alpha=0.25,
    step="mid",
    label=f"low-growth state (mean {means[low]:.1f}%)",
)
ax.axhline(0, color="grey", lw=0.6)
ax.set_xlabel("year")
ax.set_ylabel("annualised growth (% a year)")
ax.set_title("US real GDP growth and the decoded HMM regime")
ax.legend(loc="lower left", fontsize=8)
plt.show()

# %%
# Samples are new series of the same length, drawn from the fitted regimes.
new = hmm.sample(1, length=len(growth), random_state=0)
print(f"sampled series: mean {np.mean(new[0]):.2f}, std {np.std(new[0]):.2f}")
