"""Metrics for generative models.

- **Likelihood units**: :func:`cross_entropy`, :func:`perplexity`,
  :func:`bits_per_dim` turn ``score_samples`` into the usual figures.
- **Sample quality**: :func:`frechet_distance`, :func:`mmd`,
  :func:`precision_recall`, :func:`inception_score`,
  :func:`classifier_inception_score`, :func:`detection_score`,
  :func:`tstr_score`.
- **Privacy**: :func:`distance_to_closest_record`,
  :func:`membership_inference_auc`, :func:`copy_rate` (generated sequences
  that recite training text).
- **Fairness**: :func:`representation_gap`.
- **Model selection**: :func:`make_generative_scorer` turns a sample-based
  metric into a ``scoring=`` for ``cross_val_score`` and ``GridSearchCV``.

Every sample-based metric takes numeric arrays, which it uses as given, or
DataFrames with numeric, bool and categorical columns, which it encodes with
a :class:`~skgen.tabular.TabularEncoder` fitted on the real rows (numeric
columns standardised, bool and two-level columns 0/1, other categorical
columns one-hot) before comparing. A category of the generated rows that
the real rows never show cannot be encoded and raises a ``ValueError``
(inside a scorer, a rare level missing from a held-out fold does the same;
see :func:`make_generative_scorer`).
"""

from skgen.metrics._copying import copy_rate
from skgen.metrics._detection import detection_score, tstr_score
from skgen.metrics._fairness import RepresentationGapResult, representation_gap
from skgen.metrics._fidelity import (
    InceptionScoreResult,
    PrecisionRecallResult,
    classifier_inception_score,
    frechet_distance,
    inception_score,
    precision_recall,
)
from skgen.metrics._likelihood import bits_per_dim, cross_entropy, perplexity
from skgen.metrics._mmd import MMDResult, mmd
from skgen.metrics._privacy import (
    DCRResult,
    distance_to_closest_record,
    membership_inference_auc,
)
from skgen.metrics._scorer import make_generative_scorer

__all__ = [
    "DCRResult",
    "InceptionScoreResult",
    "MMDResult",
    "PrecisionRecallResult",
    "RepresentationGapResult",
    "bits_per_dim",
    "classifier_inception_score",
    "copy_rate",
    "cross_entropy",
    "detection_score",
    "distance_to_closest_record",
    "frechet_distance",
    "inception_score",
    "make_generative_scorer",
    "membership_inference_auc",
    "mmd",
    "perplexity",
    "precision_recall",
    "representation_gap",
    "tstr_score",
]
