"""One vocabulary of names across families (docs/DESIGN.md §7).

Every public estimator found by discovery is checked against the tables of
:mod:`skgen.utils._names`: no constructor parameter or keyword of ``sample``
is a rejected synonym; every neural estimator takes each shared neural
parameter (or its per-network spellings) with the shared constraint, and
one spelling has one default across neural estimators; fitted, no
attribute has a rejected name and ``vocabulary_`` is a dict from token to
index (scikit-learn's ``CountVectorizer`` meaning), except for the
deprecated aliases listed, which warn and return their new attribute. Each
check runs on every estimator, then on a deliberately wrong toy, so it is
shown to fail.
"""

import inspect
import warnings
from numbers import Integral

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from skgen.neural import VAE
from skgen.neural._base import (
    MLP_PARAMETER_CONSTRAINTS,
    NEURAL_PARAMETER_CONSTRAINTS,
    NeuralTrainingMixin,
)
from skgen.utils._names import (
    DEPRECATED_ATTRIBUTES,
    NETWORKS,
    PER_NETWORK_PARAMETERS,
    REJECTED_ATTRIBUTES,
    REJECTED_NEURAL_PARAMETERS,
    REJECTED_PARAMETERS,
)
from skgen.utils._test_common import check_data_for, construct_instances
from skgen.utils.discovery import all_estimators

CLASSES = [cls for _, cls in all_estimators()]
NEURAL = [cls for cls in CLASSES if issubclass(cls, NeuralTrainingMixin)]


# ------------------------------------------------------------------ checks


def _names_taken(cls):
    """Constructor parameters and the keywords of ``sample``."""
    names = set(cls._get_param_names())
    if hasattr(cls, "sample"):
        names |= set(inspect.signature(cls.sample).parameters) - {"self"}
    return names


def check_no_rejected_names(cls):
    """No parameter or ``sample`` keyword is a rejected synonym."""
    rejected = dict(REJECTED_PARAMETERS)
    if issubclass(cls, NeuralTrainingMixin):
        rejected |= REJECTED_NEURAL_PARAMETERS
    found = {name: rejected[name] for name in sorted(_names_taken(cls) & set(rejected))}
    assert not found, f"{cls.__name__} takes rejected names (use instead): {found}."


def _spellings(name):
    """The parameter names a shared neural parameter may take."""
    if name in PER_NETWORK_PARAMETERS:
        return [name, *(f"{network}_{name}" for network in NETWORKS)]
    return [name]


def check_shared_neural_parameters(cls):
    """Each shared neural parameter is taken, with the shared constraint.

    The MLP parameters (``hidden_layer_sizes``, ``activation``) are taken by
    the families built from MLPs only, with the shared constraint when they
    are.
    """
    params = set(cls._get_param_names())
    shared_all = NEURAL_PARAMETER_CONSTRAINTS | MLP_PARAMETER_CONSTRAINTS
    for name, shared in shared_all.items():
        taken = [p for p in _spellings(name) if p in params]
        if name in NEURAL_PARAMETER_CONSTRAINTS:
            assert taken, f"{cls.__name__} lacks the shared neural parameter {name}."
        for p in taken:
            own = cls._parameter_constraints.get(p)
            assert own is shared or own == shared, (
                f"The constraint of {p} of {cls.__name__} is {own}, not the shared "
                f"constraint of {name!r}: {shared}."
            )


def check_shared_defaults(classes):
    """A spelling of a shared neural parameter has one default in all classes.

    A family may keep a default of its own for a shared parameter where the
    shared one does not train it well, if its class lists the name, with
    the reason, in ``_family_defaults`` (docs/DESIGN.md section 7).
    """
    shared = {
        p
        for name in NEURAL_PARAMETER_CONSTRAINTS | MLP_PARAMETER_CONSTRAINTS
        for p in _spellings(name)
    }
    defaults = {}
    for cls in classes:
        own = getattr(cls, "_family_defaults", {})
        for p in inspect.signature(cls).parameters.values():
            if p.name in shared and p.name not in own:
                defaults.setdefault(p.name, {})[cls.__name__] = p.default
    differ = {
        name: by_class
        for name, by_class in defaults.items()
        if len({repr(d) for d in by_class.values()}) > 1
    }
    assert not differ, f"Shared neural parameters with different defaults: {differ}."


def test_family_defaults_say_why():
    """Every family default is a shared parameter, with a reason."""
    for cls in NEURAL:
        for name, reason in getattr(cls, "_family_defaults", {}).items():
            assert name in NEURAL_PARAMETER_CONSTRAINTS | MLP_PARAMETER_CONSTRAINTS
            assert isinstance(reason, str) and len(reason) > 20


def _public_attributes(estimator):
    """Fitted attributes and the properties ending in ``_``."""
    cls = type(estimator)
    properties = {
        n
        for n in dir(cls)
        if isinstance(inspect.getattr_static(cls, n, None), property)
    }
    return sorted(
        n for n in set(vars(estimator)) | properties if n.endswith("_") and n[0] != "_"
    )


def check_fitted_attribute_names(estimator):
    """No rejected attribute; ``vocabulary_`` is a dict from token to index."""
    name = type(estimator).__name__
    names = _public_attributes(estimator)
    found = {n: REJECTED_ATTRIBUTES[n] for n in names if n in REJECTED_ATTRIBUTES}
    assert not found, f"{name} has rejected attributes (use instead): {found}."
    deprecated = DEPRECATED_ATTRIBUTES.get(name, {})
    for old, new in deprecated.items():
        with pytest.warns(FutureWarning, match=rf"{old} .* renamed {new}"):
            assert getattr(estimator, old) is getattr(estimator, new)
    if "vocabulary_" not in names or "vocabulary_" in deprecated:
        return
    vocabulary = estimator.vocabulary_
    assert isinstance(vocabulary, dict), (
        f"{name}.vocabulary_ must be a dict from token to index; got "
        f"{type(vocabulary).__name__}."
    )
    index = list(vocabulary.values())
    assert all(
        isinstance(i, Integral) and not isinstance(i, bool) and i >= 0 for i in index
    ) and len(set(index)) == len(index), (
        f"{name}.vocabulary_ must map each token to its own index (an int >= 0)."
    )


# ------------------------------------------------------- over every estimator


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_no_rejected_names(cls):
    check_no_rejected_names(cls)


@pytest.mark.parametrize("cls", NEURAL, ids=lambda c: c.__name__)
def test_shared_neural_parameters(cls):
    check_shared_neural_parameters(cls)


def test_shared_defaults():
    assert NEURAL, "discovery found no neural estimator"
    check_shared_defaults(NEURAL)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fitted_attribute_names(cls):
    estimator = next(construct_instances(cls))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence on tiny data
        estimator.fit(*check_data_for(estimator))
    check_fitted_attribute_names(estimator)


def test_the_vocabulary_check_sees_the_tokenizers():
    """The ``vocabulary_`` check is not vacuous: a tokenizer has one."""
    from skgen.text import CharTokenizer

    assert "vocabulary_" in _public_attributes(CharTokenizer().fit(["ab"]))


# ------------------------------------------------ each check fails when wrong


def _neural_toy(**changes):
    """A neural estimator class: the VAE's parameters, with ``changes``.

    A change to ``None`` removes the parameter; ``constraints`` replaces
    some constraints.
    """
    constraints = dict(VAE._parameter_constraints) | changes.pop("constraints", {})
    defaults = {p.name: p.default for p in inspect.signature(VAE).parameters.values()}
    defaults |= changes
    defaults = {n: d for n, d in defaults.items() if d is not None or n not in changes}
    kind = inspect.Parameter.KEYWORD_ONLY
    signature = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(n, kind, default=d) for n, d in defaults.items()]
    )

    def __init__(self, **params):
        vars(self).update(params)

    __init__.__signature__ = signature
    return type(
        "Toy",
        (NeuralTrainingMixin, BaseEstimator),
        {"__init__": __init__, "_parameter_constraints": constraints},
    )


def test_a_rejected_name_fails():
    class Epochs(BaseEstimator):
        def __init__(self, n_epochs=10):
            self.n_epochs = n_epochs

    with pytest.raises(AssertionError, match=r"'n_epochs': 'max_epochs'"):
        check_no_rejected_names(Epochs)

    class Sampler(BaseEstimator):
        def sample(self, n_samples=1, *, seed=None):
            """Samples."""

    with pytest.raises(AssertionError, match=r"'seed': 'random_state'"):
        check_no_rejected_names(Sampler)


def test_a_neural_only_rejected_name_fails_only_on_neural_estimators():
    class Iterations(BaseEstimator):  # an EM model: max_iter is right here
        def __init__(self, max_iter=10):
            self.max_iter = max_iter

    check_no_rejected_names(Iterations)
    with pytest.raises(AssertionError, match=r"'max_iter': 'max_epochs'"):
        check_no_rejected_names(_neural_toy(max_iter=100))


def test_a_missing_or_differently_constrained_shared_parameter_fails():
    check_shared_neural_parameters(_neural_toy())
    with pytest.raises(AssertionError, match="lacks the shared neural parameter n_"):
        check_shared_neural_parameters(_neural_toy(n_threads=None))
    own_lr = {"lr": [*NEURAL_PARAMETER_CONSTRAINTS["lr"], None]}
    with pytest.raises(AssertionError, match="constraint of lr of Toy"):
        check_shared_neural_parameters(_neural_toy(constraints=own_lr))


def test_per_network_spellings_replace_a_shared_parameter():
    """A two-network toy: generator_lr and discriminator_lr for lr."""
    shared = NEURAL_PARAMETER_CONSTRAINTS["lr"]
    per_network = {"generator_lr": shared, "discriminator_lr": shared}
    gan = _neural_toy(
        lr=None, generator_lr=1e-4, discriminator_lr=4e-4, constraints=per_network
    )
    check_shared_neural_parameters(gan)
    check_shared_defaults([VAE, gan])
    with pytest.raises(AssertionError, match="constraint of discriminator_lr"):
        check_shared_neural_parameters(
            _neural_toy(
                lr=None,
                discriminator_lr=4e-4,
                constraints={"discriminator_lr": [float]},
            )
        )
    # the training budget is the whole estimator's, never per network
    with pytest.raises(AssertionError, match="lacks the shared neural parameter max_"):
        check_shared_neural_parameters(
            _neural_toy(
                max_epochs=None,
                generator_max_epochs="auto",
                constraints={
                    "generator_max_epochs": NEURAL_PARAMETER_CONSTRAINTS["max_epochs"]
                },
            )
        )


def test_a_different_default_fails():
    with pytest.raises(AssertionError, match=r"'lr': \{'VAE': 0.001, 'Toy': 0.01\}"):
        check_shared_defaults([VAE, _neural_toy(lr=1e-2)])
    toy = _neural_toy(lr=1e-2)
    toy._family_defaults = {"lr": "the toy trains at a higher rate"}
    check_shared_defaults([VAE, toy])  # declared, with its reason


class _Fitted(BaseEstimator):
    """A toy whose fitted attributes are set by hand."""

    def __init__(self, **attributes):
        vars(self).update(attributes)


@pytest.mark.parametrize(
    ("vocabulary", "match"),
    [
        (np.array([3, 5, 9]), "must be a dict from token to index; got ndarray"),
        ({"a": "x"}, "must map each token to its own index"),
        ({"a": 1, "b": 1}, "must map each token to its own index"),
        ({"a": True}, "must map each token to its own index"),
    ],
)
def test_a_vocabulary_of_another_meaning_fails(vocabulary, match):
    check_fitted_attribute_names(_Fitted(vocabulary_={"a": 1, "b": 0}))
    with pytest.raises(AssertionError, match=match):
        check_fitted_attribute_names(_Fitted(vocabulary_=vocabulary))


def test_a_rejected_attribute_fails():
    with pytest.raises(AssertionError, match=r"'vocab_': 'symbols_"):
        check_fitted_attribute_names(_Fitted(vocab_=np.arange(3)))

    class History(_Fitted):
        @property
        def history_(self):
            """The training history."""

    with pytest.raises(AssertionError, match=r"'history_': 'net_.history'"):
        check_fitted_attribute_names(History())


def test_a_deprecated_alias_must_warn_and_return_the_new_attribute():
    from skgen.markov import MarkovChain

    class Silent(MarkovChain):
        @property
        def vocabulary_(self):
            """The alias without its warning."""
            return self.symbols_

    Silent.__name__ = "MarkovChain"  # the class DEPRECATED_ATTRIBUTES lists
    chain = Silent(order=1).fit([[1, 2], [2]])
    with pytest.raises(pytest.fail.Exception, match="DID NOT WARN"):
        check_fitted_attribute_names(chain)


def test_the_old_markov_vocabulary_fails_without_its_deprecation(monkeypatch):
    """The check would have caught MarkovChain's ndarray ``vocabulary_``."""
    from skgen.markov import MarkovChain

    chain = MarkovChain(order=1).fit([[1, 2], [2]])
    monkeypatch.delitem(DEPRECATED_ATTRIBUTES, "MarkovChain")
    with (
        pytest.warns(FutureWarning),
        pytest.raises(AssertionError, match=r"vocabulary_ must be a dict .* ndarray"),
    ):
        check_fitted_attribute_names(chain)


def test_the_contract_lists_every_rejected_name():
    """docs/DESIGN.md §7's table and the tables of ``_names.py`` agree."""
    from pathlib import Path

    design = Path(__file__).parents[1] / "docs" / "DESIGN.md"
    section = design.read_text(encoding="utf-8").split("Parameter and attribute")[1]
    rejected = REJECTED_PARAMETERS | REJECTED_NEURAL_PARAMETERS | REJECTED_ATTRIBUTES
    missing = sorted(name for name in rejected if f"`{name}`" not in section)
    assert not missing, f"Rejected names missing from DESIGN.md §7: {missing}."
