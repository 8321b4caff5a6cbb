"""Data augmentation with generative models.

:class:`GenerativeResampler` is an imbalanced-learn sampler that over-samples
classes with rows drawn from a generator; :class:`AugmentedClassifier` and
:class:`AugmentedRegressor` train an estimator on data augmented inside
``fit``, so cross-validation never augments a test fold.

Generators of tables work here (:class:`skgen.neural.VAE`, a
:class:`skgen.pipeline.GenerativePipeline` ending in one, sklearn's
``GaussianMixture``). Sequence generators (:class:`skgen.markov.MarkovChain`,
the HMMs) take lists of sequences, which imbalanced-learn samplers do not
accept, so they cannot be used.
"""

from skgen.augment._classifier import AugmentedClassifier
from skgen.augment._regressor import AugmentedRegressor
from skgen.augment._resampler import GenerativeResampler

__all__ = ["AugmentedClassifier", "AugmentedRegressor", "GenerativeResampler"]
