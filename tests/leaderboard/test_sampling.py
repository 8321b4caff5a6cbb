"""skgen.utils._sampling.sample_from: one way to sample from any generator.

The leaderboard, the augmenting estimators and the generative scorers all
draw through it.
"""

import numpy as np
import pytest
from sklearn.decomposition import PCA, FactorAnalysis
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KernelDensity

from skgen.augment._common import draw
from skgen.markov import MarkovChain
from skgen.metrics import make_generative_scorer, mmd
from skgen.utils._sampling import can_sample, sample_from


@pytest.fixture
def table(rng):
    return rng.normal(size=(200, 3)) @ np.diag([1.0, 2.0, 3.0]) + 5.0


@pytest.fixture
def sequences(rng):
    X = [rng.randint(0, 3, size=10) for _ in range(20)]
    return X, np.repeat(["a", "b"], 10)


def test_skgen_model_is_seeded_and_unconditional(sequences):
    X, _ = sequences
    chain = MarkovChain().fit(X)
    a, labels = sample_from(chain, 4, random_state=0)
    b, _ = sample_from(chain, 4, random_state=0)
    assert labels is None and len(a) == 4
    for s, t in zip(a, b, strict=True):
        np.testing.assert_array_equal(s, t)


def test_conditional_model_returns_its_labels(sequences):
    X, y = sequences
    chain = MarkovChain().fit(X, y)
    samples, labels = sample_from(chain, 3, random_state=0, y="a")
    assert len(samples) == 3 and labels.tolist() == ["a", "a", "a"]
    _, drawn = sample_from(chain, 50, random_state=0)  # from the class frequencies
    assert set(drawn) == {"a", "b"}


def test_family_options_pass_through(sequences):
    X, _ = sequences
    chain = MarkovChain().fit(X)
    samples, _ = sample_from(chain, 5, random_state=0, max_length=3)
    assert max(len(s) for s in samples) <= 3


def test_gaussian_mixture_is_seeded_without_being_changed(table):
    gmm = GaussianMixture(2, random_state=7).fit(table)
    a, labels = sample_from(gmm, 5, random_state=0)
    b, _ = sample_from(gmm, 5, random_state=0)
    c, _ = sample_from(gmm, 5, random_state=1)
    assert a.shape == (5, 3) and labels is None  # component labels dropped
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert gmm.random_state == 7
    with pytest.raises(TypeError, match="GaussianMixture samples with no labels"):
        sample_from(gmm, 5, y=1)


@pytest.mark.parametrize("model", [PCA(2), FactorAnalysis(2)], ids=type)
def test_pca_and_factor_analysis_through_their_gaussian(model, table):
    model.fit(table)
    X, labels = sample_from(model, 20000, random_state=0)
    assert labels is None
    np.testing.assert_allclose(X.mean(axis=0), model.mean_, atol=0.1)
    np.testing.assert_allclose(np.cov(X.T), model.get_covariance(), atol=0.3)
    with pytest.raises(TypeError, match="samples with no labels or options; got y=0"):
        sample_from(model, 2, y=0)


def test_kernel_density_and_plain_samplers(table):
    kde = KernelDensity(bandwidth=0.5).fit(table)
    a, _ = sample_from(kde, 3, random_state=0)
    np.testing.assert_array_equal(a, sample_from(kde, 3, random_state=0)[0])

    class NoSeed:
        def sample(self, n_samples):
            return np.zeros((n_samples, 2))

    X, labels = sample_from(NoSeed(), 2, random_state=0)  # no random_state passed
    assert X.shape == (2, 2) and labels is None


def test_what_cannot_be_sampled(table):
    assert not can_sample(object()) and not can_sample(PCA())  # PCA unfitted
    assert can_sample(PCA(1).fit(table)) and can_sample(KernelDensity())
    with pytest.raises(TypeError, match=r"model has no sample\(\) .* got object"):
        sample_from(object(), 2)


def test_augment_draw_seeds_a_gaussian_mixture(table):
    # it drew with the mixture's own random_state, whatever the seed
    gmm = GaussianMixture(1, random_state=0).fit(table)
    a, b = draw(gmm, 5, 1, table), draw(gmm, 5, 2, table)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, draw(gmm, 5, 1, table))


def test_generative_scorer_on_a_gaussian_mixture(table):
    # GaussianMixture.sample takes no random_state: the scorer raised TypeError
    gmm = GaussianMixture(1, random_state=0).fit(table[:100])
    scorer = make_generative_scorer(mmd, random_state=0)
    value = scorer(gmm, table[100:])
    assert np.isfinite(value) and value == scorer(gmm, table[100:])
