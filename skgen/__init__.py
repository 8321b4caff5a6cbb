"""skgen: generative models as first-class scikit-learn estimators.

Every model is an estimator with ``fit``, ``score_samples``, ``score`` and
``sample``, so it drops into a ``Pipeline``, is tuned by ``GridSearchCV`` and is
compared with other models by cross-validated log-likelihood.

Importing :mod:`skgen` is cheap: torch, skorch and hmmlearn are imported only
when a class that needs them is used, and the meta-estimators
:class:`GenerativeClassifier` and :class:`GenerativeOutlierDetector` load on
first use.
"""

__version__ = "0.1.0.dev0"

_META = ("GenerativeClassifier", "GenerativeOutlierDetector")

#: Subpackages reachable as attributes after ``import skgen`` alone
#: (``skgen.utils.trusted_types()``), imported on first use.
_SUBPACKAGES = (
    "augment",
    "base",
    "datasets",
    "hmm",
    "leaderboard",
    "markov",
    "metrics",
    "neural",
    "pipeline",
    "tabular",
    "text",
    "utils",
)


def __getattr__(name):
    if name in _META:
        from skgen import _meta

        return getattr(_meta, name)
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"skgen.{name}")
    raise AttributeError(f"module 'skgen' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_META, *_SUBPACKAGES})


__all__ = [
    "GenerativeClassifier",
    "GenerativeOutlierDetector",
    "base",
    "datasets",
    "markov",
    "pipeline",
    "text",
    "utils",
]
