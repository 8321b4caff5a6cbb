"""
=================================================
Augmenting an imbalanced table: SMOTE and a VAE
=================================================

On an imbalanced table, a classifier sees few rows of the minority class.
:class:`skgen.augment.GenerativeResampler` is an imbalanced-learn sampler
that adds synthetic minority rows drawn from a generative model, here a
class-conditional :class:`~skgen.neural.VAE`. In an
:class:`imblearn.pipeline.Pipeline` it resamples only while fitting, so no
test fold holds a synthetic row. It is compared with no augmentation and
with imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE`, by balanced
accuracy and PR-AUC (average precision) under stratified cross-validation.
"""

import os

import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler

from skgen.augment import GenerativeResampler
from skgen.neural import VAE

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

# %%
# An imbalanced table
# -------------------
# The breast-cancer table with most malignant tumours left out: about one
# row in twelve is malignant (the positive class, 1 here).
X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1: malignant
rng = np.random.default_rng(0)
keep = (y == 0) | (rng.random(len(y)) < 0.15)
X, y = X[keep], y[keep]
print(f"{len(y)} rows, {y.sum()} malignant ({y.mean():.0%})")

models = {
    "no augmentation": make_pipeline(StandardScaler(), LogisticRegression()),
    "SMOTE": make_pipeline(
        StandardScaler(), SMOTE(random_state=0), LogisticRegression()
    ),
    "skgen VAE": make_pipeline(
        StandardScaler(),
        GenerativeResampler(
            VAE(latent_dim=4, max_epochs=3 if FAST else 100, random_state=0),
            random_state=0,
        ),
        LogisticRegression(),
    ),
}
cv = StratifiedKFold(3 if FAST else 5, shuffle=True, random_state=0)
scoring = {"balanced accuracy": "balanced_accuracy", "PR-AUC": "average_precision"}
results = {
    name: cross_validate(model, X, y, cv=cv, scoring=scoring)
    for name, model in models.items()
}

# %%
# Scores across folds
# -------------------
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for ax, metric in zip(axes, scoring, strict=True):
    values = [results[name][f"test_{metric}"] for name in models]
    ax.bar(
        list(models),
        [v.mean() for v in values],
        yerr=[v.std() for v in values],
        capsize=4,
        color=["tab:grey", "tab:blue", "tab:orange"],
    )
    ax.set_ylim(0.5, 1.0)
    ax.set_ylabel(f"{metric} (mean over {cv.get_n_splits()} folds)")
    ax.set_title(metric)
    for name, v in zip(models, values, strict=True):
        print(f"{name:16s} {metric:18s} {v.mean():.3f} ± {v.std():.3f}")
fig.suptitle("Imbalanced breast cancer: logistic regression with augmentation")
plt.show()
