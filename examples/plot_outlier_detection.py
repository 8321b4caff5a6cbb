"""
======================================================
Anomaly detection with a generative model's likelihood
======================================================

:class:`skgen.GenerativeOutlierDetector` turns any density model into an
sklearn outlier detector: a sample is an outlier when its log-likelihood is
below the ``contamination`` quantile of the training scores. Here it wraps
a :class:`~sklearn.mixture.GaussianMixture` and skgen's
:class:`~skgen.neural.VAE`, beside :class:`~sklearn.ensemble.IsolationForest`,
on the breast-cancer table: trained on benign tumours only, each detector
scores held-out benign and malignant ones, and the ROC AUC says how well
the score separates them.
"""

import os

import matplotlib.pyplot as plt
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import IsolationForest
from sklearn.metrics import RocCurveDisplay, roc_auc_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skgen import GenerativeOutlierDetector
from skgen.neural import VAE
from skgen.pipeline import make_generative_pipeline

FAST = bool(os.environ.get("SKGEN_GALLERY_FAST"))

X, y = load_breast_cancer(return_X_y=True)  # y == 1: benign
X_benign, X_test, _, y_test = train_test_split(
    X[y == 1], y[y == 1], test_size=0.3, random_state=0
)
X_test = [*X_test, *X[y == 0]]
is_malignant = [0] * len(y_test) + [1] * int((y == 0).sum())

# %%
# Three detectors, one contamination
# ----------------------------------
# The generative detectors scale the table inside a
# :class:`~skgen.pipeline.GenerativePipeline`, so their likelihoods stay in
# the original units.
detectors = {
    "GaussianMixture likelihood": GenerativeOutlierDetector(
        make_generative_pipeline(
            StandardScaler(),
            GaussianMixture(n_components=2, covariance_type="diag", random_state=0),
        ),
        contamination=0.05,
    ),
    "VAE likelihood (lower bound)": GenerativeOutlierDetector(
        make_generative_pipeline(
            StandardScaler(),
            VAE(latent_dim=4, max_epochs=10 if FAST else 150, random_state=0),
        ),
        contamination=0.05,
    ),
    "IsolationForest": IsolationForest(contamination=0.05, random_state=0),
}

fig, ax = plt.subplots(figsize=(5.5, 5), layout="constrained")
for name, detector in detectors.items():
    detector.fit(X_benign)
    # Higher decision_function means more normal: negate to score outliers.
    outlier_score = -detector.decision_function(X_test)
    auc = roc_auc_score(is_malignant, outlier_score)
    flagged = (detector.predict(X_test) == -1).mean()
    print(f"{name:30s} ROC AUC {auc:.3f}, flagged {flagged:.0%} of the test rows")
    RocCurveDisplay.from_predictions(is_malignant, outlier_score, name=name, ax=ax)
ax.plot([0, 1], [0, 1], "k:", lw=0.8)
ax.set_xlabel("false positive rate (benign flagged)")
ax.set_ylabel("true positive rate (malignant flagged)")
ax.set_title("Breast cancer: malignant tumours as outliers")
plt.show()
