"""
=================================
The VAE's latent space of digits
=================================

A :class:`~skgen.neural.VAE` with a two-dimensional latent space maps each
8x8 digit to a point: ``transform`` gives the latent means, and digits of
one class gather together although the VAE never saw a label.
``inverse_transform`` decodes latent points back to images, so a straight
line between two digits' codes decodes to a morph from one to the other.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skgen.neural import VAE

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

X, y = load_digits(return_X_y=True)
if FAST:
    X, y = X[:600], y[:600]
vae = VAE(latent_dim=2, max_epochs=3 if FAST else 80, random_state=0).fit(X)
codes = vae.transform(X)  # latent means, shape (n_samples, 2)

# %%
# Digits encoded to two dimensions, coloured by class
# ---------------------------------------------------
fig, (ax, ax_line) = plt.subplots(
    1, 2, figsize=(11, 4.5), width_ratios=(1, 1.4), layout="constrained"
)
points = ax.scatter(codes[:, 0], codes[:, 1], c=y, cmap="tab10", s=6)
fig.colorbar(points, ax=ax, label="digit class (not seen by the VAE)")
ax.set_xlabel("latent dimension 1")
ax.set_ylabel("latent dimension 2")
ax.set_title("Digits in the VAE's latent space")
# sphinx_gallery_defer_figures

# %%
# An interpolation between two digits
# -----------------------------------
# The codes of the first 0 and the first 6, and eight points between.
start, end = codes[np.flatnonzero(y == 0)[0]], codes[np.flatnonzero(y == 6)[0]]
ax.plot(*np.array([start, end]).T, "k-o", ms=4, label="interpolation line")
ax.legend(loc="best", fontsize=8)
steps = np.linspace(0.0, 1.0, 10)[:, None]
images = vae.inverse_transform((1 - steps) * start + steps * end)
ax_line.imshow(
    np.hstack([np.clip(im, 0, 16).reshape(8, 8) for im in images]),
    cmap="binary",
    vmin=0,
    vmax=16,
)
ax_line.set_xticks(np.arange(10) * 8 + 3.5, [f"{t:.1f}" for t in steps[:, 0]])
ax_line.set_yticks([])
ax_line.set_xlabel("position along the line from a 0 to a 6 (fraction)")
ax_line.set_title("Decoded images along the line (8x8 pixels each)")
plt.show()
