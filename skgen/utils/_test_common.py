"""Instances of every estimator class for the common tests."""

from sklearn.base import BaseEstimator

__all__ = ["EXPECTED_FAILED_CHECKS", "construct_instances"]

#: sklearn checks known to fail, per class name, each with its reason.
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {}


def construct_instances(cls):
    """Yield small, fast instances of an estimator class for testing.

    Classes with required constructor arguments (pipelines) get instances
    built here; every other class its default instance and, where a
    parameter changes the code path, variants.
    """
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.mixture import GaussianMixture

    from skgen import GenerativeClassifier, GenerativeOutlierDetector
    from skgen.augment import (
        AugmentedClassifier,
        AugmentedRegressor,
        GenerativeResampler,
    )
    from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM
    from skgen.markov import MarkovChain
    from skgen.neural import VAE
    from skgen.pipeline import GenerativePipeline, make_generative_pipeline
    from skgen.text import CharTokenizer, WordTokenizer

    if cls is GenerativePipeline:
        yield make_generative_pipeline(CharTokenizer(), MarkovChain(order=3))
        yield make_generative_pipeline(
            WordTokenizer(), MarkovChain(order=1, smoothing="additive")
        )
    elif cls is MarkovChain:
        yield MarkovChain()
        yield MarkovChain(order=1, smoothing="additive", alpha=0.5)
        yield MarkovChain(order=0, discount=0.8)
    elif cls in (GaussianHMM, PoissonHMM, CategoricalHMM):
        yield cls(n_components=2, max_iter=10, random_state=0)
    elif cls is GMMHMM:
        yield cls(n_components=2, n_mix=2, max_iter=10, random_state=0)
        yield cls(n_components=2, covariance_type="full", max_iter=5, random_state=0)
    elif cls is VAE:
        yield VAE(hidden_layer_sizes=(8,), max_epochs=3, random_state=0)
        yield VAE(
            latent_dim=1,
            hidden_layer_sizes=(),
            max_epochs=2,
            n_importance_samples=4,
            early_stopping=True,
            validation_fraction=0.2,
            random_state=0,
        )
    elif cls is GenerativeResampler:
        yield GenerativeResampler(_tiny_vae(), random_state=0)
        yield GenerativeResampler(_tiny_vae(), conditional=False, random_state=0)
    elif cls is AugmentedClassifier:
        yield AugmentedClassifier(LogisticRegression(), _tiny_vae(), random_state=0)
        yield AugmentedClassifier(
            LogisticRegression(),
            _tiny_vae(),
            n_synthetic=0.5,
            conditional=False,
            random_state=0,
        )
    elif cls in (GenerativeClassifier, GenerativeOutlierDetector):
        # exact and fast: sklearn's checks fit them many times (skgen
        # generators inside them are tested in tests/test_meta.py)
        yield cls(GaussianMixture(random_state=0))
    elif cls is AugmentedRegressor:
        yield AugmentedRegressor(Ridge(), _tiny_vae(), random_state=0)
    else:
        assert issubclass(cls, BaseEstimator)
        yield cls()


def _tiny_vae():
    from skgen.neural import VAE

    return VAE(hidden_layer_sizes=(8,), max_epochs=2, random_state=0)
