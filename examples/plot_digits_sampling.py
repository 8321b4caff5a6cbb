"""
==============================================
Digits: VAE samples beside KDE and GMM samples
==============================================

The counterpart of scikit-learn's ``plot_digits_kde_sampling``: three
density models of the 8x8 digits, each asked for new images.
:class:`~sklearn.neighbors.KernelDensity` and
:class:`~sklearn.mixture.GaussianMixture` work in a 15-dimensional PCA
space, as in scikit-learn's example; skgen's :class:`~skgen.neural.VAE`
models the 64 pixels directly (a Gaussian per pixel given a latent code).
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KernelDensity

from skgen.neural import VAE

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

digits = load_digits()
X = digits.data  # pixel intensities 0-16

# %%
# Fit the three models
# --------------------
# The kernel density and the mixture are fitted on PCA scores and sampled
# back through ``inverse_transform``. The VAE trains for 30 epochs in the
# gallery's fast mode instead of 60, about a second on one core; its
# decoder means are recognisable digits, if blurrier than the full build's.
pca = PCA(n_components=15, whiten=False, random_state=0).fit(X)
Z = pca.transform(X)
kde = KernelDensity(bandwidth=3.0).fit(Z)
gmm = GaussianMixture(n_components=20 if not FAST else 5, random_state=0).fit(Z)
vae = VAE(latent_dim=8, max_epochs=30 if FAST else 60, random_state=0).fit(X)

n = 20
samples = {
    "Real digits": X[:n],
    "KernelDensity (PCA 15)": pca.inverse_transform(kde.sample(n, random_state=0)),
    "GaussianMixture (PCA 15)": pca.inverse_transform(gmm.sample(n)[0]),
    "VAE samples": vae.sample(n, random_state=0),
    # The decoder's means at latent draws from the prior: ``sample`` adds
    # each pixel's Gaussian noise on top of these.
    "VAE decoder means": vae.inverse_transform(
        np.random.default_rng(0).standard_normal((n, vae.latent_dim))
    ),
}

# %%
# Image grids
# -----------
# The VAE's samples are draws of the full model, per-pixel noise included,
# so they look grainier than the decoder's means, which are what an
# autoencoder "imagines" at each latent point.
fig, axes = plt.subplots(
    len(samples), n, figsize=(n * 0.5, len(samples) * 0.8), layout="constrained"
)
for row, (title, images) in zip(axes, samples.items(), strict=True):
    for ax, image in zip(row, np.clip(images, 0, 16), strict=True):
        ax.imshow(image.reshape(8, 8), cmap="binary", vmin=0, vmax=16)
        ax.set_xticks([])
        ax.set_yticks([])
    row[0].set_ylabel(title, rotation=0, ha="right", va="center", fontsize=8)
fig.suptitle("Digits: real images and samples of three density models (8x8 pixels)")
plt.show()

# %%
# The VAE's ``score_samples`` is a lower bound on ``log p(x)`` in nats per
# image of the raw pixels; the PCA models' scores are densities of 15 PCA
# coordinates, a different space, so the numbers are not comparable here.
# ``skgen leaderboard --dataset digits`` compares them fairly.
print(f"VAE mean lower bound: {vae.score(X):.1f} nats per image")
