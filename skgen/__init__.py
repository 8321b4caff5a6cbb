"""skgen: generative models as first-class scikit-learn estimators.

Every model is an estimator with ``fit``, ``score_samples``, ``score`` and
``sample``, so it drops into a ``Pipeline``, is tuned by ``GridSearchCV`` and is
compared with other models by cross-validated log-likelihood.

Importing :mod:`skgen` is cheap: torch, skorch and hmmlearn are imported only
when a class that needs them is used.
"""

__version__ = "0.1.0.dev0"

__all__ = [
    "base",
    "datasets",
    "markov",
    "pipeline",
    "text",
    "utils",
]
