"""The generative checks catch estimators that break the contract."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import (
    REPRESENTATIONS,
    GenerativeMixin,
    GenerativeTags,
    get_generative_tags,
)
from skgen.markov import MarkovChain
from skgen.utils._representations import (
    REGISTRY,
    get_representation,
    register_representation,
)
from skgen.utils.estimator_checks import check_generative_estimator, make_check_data


class _Gaussian(GenerativeMixin, BaseEstimator):
    """A correct diagonal Gaussian, the base of the broken variants."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y=None):
        X = validate_data(self, X)
        self.mean_, self.var_ = X.mean(0), X.var(0) + 1e-3
        return self

    def score_samples(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return -0.5 * (
            ((X - self.mean_) ** 2 / self.var_) + np.log(2 * np.pi * self.var_)
        ).sum(1)

    def sample(self, n_samples=1, *, random_state=None):
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        return self.mean_ + np.sqrt(self.var_) * rng.standard_normal(
            (n_samples, len(self.mean_))
        )


class _SumScore(_Gaussian):
    def score(self, X, y=None):
        return float(self.score_samples(X).sum())


class _GlobalSeed(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        n_samples, _ = self._check_sample_params(n_samples, random_state)
        rng = check_random_state(0)
        return self.mean_ + np.sqrt(self.var_) * rng.standard_normal(
            (n_samples, len(self.mean_))
        )


class _MutatingSample(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        out = super().sample(n_samples, random_state=random_state)
        self.n_draws_ = getattr(self, "n_draws_", 0) + n_samples
        return out


class _AcceptsNaN(_Gaussian):
    def fit(self, X, y=None):
        X = validate_data(self, X, ensure_all_finite=False)
        self.mean_, self.var_ = np.nanmean(X, 0), np.nanvar(X, 0) + 1e-3
        return self


class _ForgetsOnBadFit(_Gaussian):
    def fit(self, X, y=None):
        self.__dict__.pop("mean_", None)  # state dropped before validation
        return super().fit(X, y)


class _NoSampleCheck(_Gaussian):
    def sample(self, n_samples=1, *, random_state=None):
        check_is_fitted(self)
        rng = check_random_state(random_state)
        return self.mean_ + rng.standard_normal((max(n_samples, 0), len(self.mean_)))


def test_a_correct_estimator_passes():
    check_generative_estimator(_Gaussian())


@pytest.mark.parametrize(
    ("estimator", "match"),
    [
        (_SumScore(), "check_score_samples"),
        (_GlobalSeed(), "random_state=None must give fresh draws"),
        (_MutatingSample(), "sample must not change the model"),
        (_AcceptsNaN(), "fit accepted bad input: NaN"),
        (_NoSampleCheck(), r"sample\(0\) must raise ValueError"),
        (_ForgetsOnBadFit(), "a rejected input changed the model"),
    ],
)
def test_broken_estimators_fail(estimator, match):
    with pytest.raises(AssertionError, match=match):
        check_generative_estimator(estimator)


def test_sequence_model_passes_with_and_without_labels():
    check_generative_estimator(MarkovChain(order=1))


# -- kinds and representations in the tags ----------------------------------


@pytest.mark.parametrize(
    ("likelihood_kind", "kind"),
    [("exact", "density"), ("lower_bound", "density"), ("estimate", "sampler")],
)
def test_kind_follows_the_likelihood_kind(likelihood_kind, kind):
    assert GenerativeTags(likelihood_kind=likelihood_kind).kind == kind


def test_kind_of_skgen_estimators():
    assert get_generative_tags(MarkovChain()).kind == "density"
    assert get_generative_tags(_Gaussian()).kind == "density"
    translator = GenerativeTags(likelihood_kind=None, kind="translator")
    assert translator.kind == "translator"


@pytest.mark.parametrize(
    ("params", "match"),
    [
        (
            {"kind": "gan"},
            r"kind must be one of \['density', 'sampler', 'translator'\]; "
            "got 'gan'",
        ),
        ({"likelihood_kind": "bound"}, "likelihood_kind must be one of .*got 'bound'"),
        ({"likelihood_kind": None}, "likelihood_kind must be one of .*got None"),
        (
            {"likelihood_kind": "estimate", "kind": "density"},
            "kind='density' contradicts likelihood_kind='estimate'",
        ),
        (
            {"likelihood_kind": "exact", "kind": "sampler"},
            "kind='sampler' contradicts likelihood_kind='exact'",
        ),
        ({"representation": "images2d"}, "representation must be one of .*'images2d'"),
    ],
)
def test_inconsistent_tags_are_refused(params, match):
    with pytest.raises(ValueError, match=match):
        GenerativeTags(**params)


def test_a_class_overrides_its_kind():
    class _Translator(_Gaussian):
        _kind = "translator"

    assert get_generative_tags(_Translator()).kind == "translator"

    class _Contradiction(_Gaussian):
        _kind = "sampler"

    with pytest.raises(ValueError, match="contradicts likelihood_kind='exact'"):
        get_generative_tags(_Contradiction())


def test_representations_are_declared_once():
    assert REPRESENTATIONS == tuple(REGISTRY)
    for name in REPRESENTATIONS:
        rep = get_representation(name)
        X, y = make_check_data(name)
        assert len(y) == 30
        assert rep.bad_inputs(X), name
        assert rep.score_only <= {what for what, _ in rep.bad_inputs(X)}


@pytest.mark.parametrize("name", REPRESENTATIONS)
def test_sklearn_input_tags_come_from_the_registry(name):
    class _Model(_Gaussian):
        _representation = name

    it = _Model().__sklearn_tags__().input_tags
    declared = get_representation(name).input_tags
    assert it.two_d_array is declared.get("two_d_array", True)
    for tag in ("categorical", "three_d_array", "string"):
        assert getattr(it, tag) is declared.get(tag, False)
    # sequences, strings and frames all say what they take instead
    assert (
        it.two_d_array
        or it.string
        or it.categorical
        or it.three_d_array
        or (name == "dataframe")
    )


def test_unknown_representation_is_named():
    with pytest.raises(ValueError, match="Unknown representation 'images2d'"):
        make_check_data("images2d")
    with pytest.raises(ValueError, match="already registered"):
        register_representation(REGISTRY["tabular"])


# -- translators are checked as translators ---------------------------------


class _AffineTranslator(TransformerMixin, BaseEstimator):
    """Matches the mean and spread of one domain to the other's, per column."""

    def __init__(self, jitter=0.0, random_state=None):
        self.jitter = jitter
        self.random_state = random_state

    def __skgen_tags__(self):
        return GenerativeTags(likelihood_kind=None, kind="translator")

    def fit(self, X, domain=None):
        X = validate_data(self, X)
        if domain is None:
            raise TypeError("fit needs domain, one label per sample; got None.")
        domain = np.asarray(domain)
        if domain.shape != (X.shape[0],):
            raise ValueError(
                f"domain must have one label per sample ({X.shape[0]}); got "
                f"shape {domain.shape}."
            )
        domains = np.unique(domain)
        if domains.shape[0] != 2:
            raise ValueError(f"domain must hold two domains; got {domains.tolist()}.")
        rng = self._rng()
        stats = []
        for d in domains:
            rows = X[domain == d]
            noise = self.jitter * rng.standard_normal(X.shape[1])
            stats.append((rows.mean(axis=0) + noise, rows.std(axis=0) + 1e-3))
        (self.mean_a_, self.std_a_), (self.mean_b_, self.std_b_) = stats
        self.domains_ = domains
        return self

    def _rng(self):
        return check_random_state(self.random_state)

    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return (X - self.mean_a_) / self.std_a_ * self.std_b_ + self.mean_b_

    def inverse_transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return (X - self.mean_b_) / self.std_b_ * self.std_a_ + self.mean_a_


class _GlobalRandomTranslator(_AffineTranslator):
    def _rng(self):
        return np.random.mtrand._rand  # numpy's global generator


class _DropsAColumn(_AffineTranslator):
    def inverse_transform(self, X):
        return super().inverse_transform(X)[:, :-1]


class _ReturnsFloat32(_AffineTranslator):
    def inverse_transform(self, X):
        return super().inverse_transform(X).astype(np.float32)


class _TranslatesNaN(_AffineTranslator):
    def transform(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, ensure_all_finite=False)
        return (X - self.mean_a_) / self.std_a_ * self.std_b_ + self.mean_b_


class _OneDomainIsFine(_AffineTranslator):
    def fit(self, X, domain=None):
        domain = np.asarray(domain)
        if domain.ndim == 1 and domain.shape[0] == len(X):
            domain = domain.copy()
            domain[0] = 1 - domain.min()  # quietly makes a second domain
        return super().fit(X, domain)


class _NotDeterministic(_AffineTranslator):
    def transform(self, X):
        out = super().transform(X)
        return out + np.random.default_rng().standard_normal(out.shape) * 1e-3


def test_a_correct_translator_passes():
    check_generative_estimator(_AffineTranslator(jitter=0.1, random_state=0))


def test_translators_get_the_translator_checks():
    from skgen.utils.estimator_checks import _yield_checks

    names = [c.func.__name__ for c, _, _ in _yield_checks(_AffineTranslator())]
    assert names == [
        "check_translator_not_fitted",
        "check_translator_fit_returns_self_and_clones",
        "check_translator_round_trip",
        "check_translator_seeding",
        "check_translator_persistence",
        "check_translator_bad_input",
    ]


@pytest.mark.parametrize(
    ("estimator", "match"),
    [
        (
            _GlobalRandomTranslator(jitter=0.1),
            "two fits with the same random_state translate differently",
        ),
        (_DropsAColumn(), r"inverse_transform must return shape \(15, 3\)"),
        (_ReturnsFloat32(), "the round trip must keep dtype float64; got float32"),
        (_TranslatesNaN(), "transform accepted bad input: NaN"),
        (_OneDomainIsFine(), "fit accepted bad input: one domain"),
        (_NotDeterministic(), "translation is not deterministic"),
    ],
)
def test_broken_translators_fail(estimator, match):
    with pytest.raises(AssertionError, match=match):
        check_generative_estimator(estimator)


# -- samplers are checked as samplers ----------------------------------------


def test_samplers_get_the_sampler_checks():
    from skgen.utils.estimator_checks import _yield_checks

    class _Sampler(_Gaussian):
        likelihood_kind = "estimate"

    names = [c.func.__name__ for c, _, _ in _yield_checks(_Sampler())]
    assert "check_estimated_likelihood" in names
    assert "check_score_samples" not in names
    assert "check_model_selection" not in names  # default scoring is an estimate
    assert "check_sample_seeding" in names and "check_bad_input" in names
    density = [c.func.__name__ for c, _, _ in _yield_checks(_Gaussian())]
    assert "check_score_samples" in density and "check_estimated_likelihood" not in (
        density
    )
