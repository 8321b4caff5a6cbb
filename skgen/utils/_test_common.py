"""Instances of every estimator class for the common tests."""

from sklearn.base import BaseEstimator

__all__ = [
    "EXPECTED_FAILED_CHECKS",
    "check_data_for",
    "construct_instances",
    "public_modules",
]

#: sklearn checks known to fail, per class name, each with its reason.
EXPECTED_FAILED_CHECKS: dict[str, dict[str, str]] = {}


def _tiny_vae():
    from skgen.neural import VAE

    return VAE(hidden_layer_sizes=(8,), max_epochs=2, random_state=0)


def _generative_pipeline(cls):
    from skgen.markov import MarkovChain
    from skgen.pipeline import make_generative_pipeline
    from skgen.text import CharTokenizer, WordTokenizer

    return [
        make_generative_pipeline(CharTokenizer(), MarkovChain(order=3)),
        make_generative_pipeline(
            WordTokenizer(), MarkovChain(order=1, smoothing="additive")
        ),
    ]


def _markov_chain(cls):
    return [
        cls(),
        cls(order=1, smoothing="additive", alpha=0.5),
        cls(order=0, discount=0.8),
    ]


def _hmm(cls):
    return [cls(n_components=2, max_iter=10, random_state=0)]


def _gmmhmm(cls):
    return [
        cls(n_components=2, n_mix=2, max_iter=10, random_state=0),
        cls(n_components=2, covariance_type="full", max_iter=5, random_state=0),
    ]


def _vae(cls):
    return [
        cls(hidden_layer_sizes=(8,), max_epochs=3, random_state=0),
        cls(
            latent_dim=1,
            hidden_layer_sizes=(),
            max_epochs=2,
            n_importance_samples=4,
            early_stopping=True,
            validation_fraction=0.2,
            random_state=0,
        ),
    ]


def _rnn_language_model(cls):
    return [
        cls(
            embedding_dim=8,
            hidden_size=8,
            num_layers=1,
            max_epochs=2,
            window_length=8,
            random_state=0,
        ),
        cls(
            "gru",
            embedding_dim=4,
            hidden_size=8,
            num_layers=2,
            max_epochs=1,
            window_length=4,
            n_components=2,
            early_stopping=False,
            random_state=0,
        ),
    ]


def _transformer_language_model(cls):
    return [
        cls(
            d_model=8,
            nhead=2,
            num_layers=1,
            dim_feedforward=16,
            context_length=4,
            max_epochs=2,
            random_state=0,
        ),
    ]


def _generative_resampler(cls):
    return [
        cls(_tiny_vae(), random_state=0),
        cls(_tiny_vae(), conditional=False, random_state=0),
    ]


def _augmented_classifier(cls):
    from sklearn.linear_model import LogisticRegression

    return [
        cls(LogisticRegression(), _tiny_vae(), random_state=0),
        cls(
            LogisticRegression(),
            _tiny_vae(),
            n_synthetic=0.5,
            conditional=False,
            random_state=0,
        ),
    ]


def _augmented_regressor(cls):
    from sklearn.linear_model import Ridge

    return [cls(Ridge(), _tiny_vae(), random_state=0)]


def _generative_meta(cls):
    # exact and fast: sklearn's checks fit them many times (skgen generators
    # inside them are tested in tests/test_meta.py)
    from sklearn.mixture import GaussianMixture

    return [cls(GaussianMixture(random_state=0))]


def _instance_table():
    """Class -> builder: a function of the class returning its test instances.

    Built on first use so that importing this module imports no estimator
    package (and no engine).
    """
    from skgen import GenerativeClassifier, GenerativeOutlierDetector
    from skgen.augment import (
        AugmentedClassifier,
        AugmentedRegressor,
        GenerativeResampler,
    )
    from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM
    from skgen.markov import MarkovChain
    from skgen.neural import VAE, RNNLanguageModel, TransformerLanguageModel
    from skgen.pipeline import GenerativePipeline

    return {
        GenerativePipeline: _generative_pipeline,
        MarkovChain: _markov_chain,
        GaussianHMM: _hmm,
        PoissonHMM: _hmm,
        CategoricalHMM: _hmm,
        GMMHMM: _gmmhmm,
        VAE: _vae,
        RNNLanguageModel: _rnn_language_model,
        TransformerLanguageModel: _transformer_language_model,
        GenerativeResampler: _generative_resampler,
        AugmentedClassifier: _augmented_classifier,
        AugmentedRegressor: _augmented_regressor,
        GenerativeClassifier: _generative_meta,
        GenerativeOutlierDetector: _generative_meta,
    }


def construct_instances(cls):
    """Yield small, fast instances of an estimator class for testing.

    Classes with required constructor arguments (pipelines, meta-estimators)
    and classes where a parameter changes the code path get their instances
    from a table of builders; every other class its default instance.

    Parameters
    ----------
    cls : type
        A skgen estimator class (from discovery).

    Yields
    ------
    estimator : estimator instance
        A fresh, unfitted instance of ``cls``.
    """
    build = _instance_table().get(cls)
    if build is None:
        assert issubclass(cls, BaseEstimator)
        yield cls()
        return
    yield from build(cls)


def check_data_for(estimator, random_state=0):
    """``(X, y)`` of the estimator's representation for the common tests.

    A generative estimator's representation comes from its tags; the
    tokenizers (string input, no 2-D arrays) take text; anything else a
    table.
    """
    from skgen.base import get_generative_tags
    from skgen.utils.estimator_checks import make_check_data

    input_tags = estimator.__sklearn_tags__().input_tags
    if hasattr(estimator, "__skgen_tags__"):
        representation = get_generative_tags(estimator).representation
    elif input_tags.string and not input_tags.two_d_array:
        representation = "text"
    else:
        representation = "tabular"
    return make_check_data(representation, random_state=random_state)


def public_modules():
    """``skgen`` and every module of it with no private part in its name."""
    import pkgutil
    from importlib import import_module

    import skgen

    modules = [skgen]
    for info in pkgutil.walk_packages(skgen.__path__, prefix="skgen."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            modules.append(import_module(info.name))
    return modules
