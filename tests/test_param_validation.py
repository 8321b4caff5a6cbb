"""Every constructor parameter of every estimator is validated when fit starts.

Estimators that take 2-D arrays go through sklearn's own
``check_param_validation``; the others (sequences, text) through the same
check fed with data of their representation (``make_check_data``): each
parameter set to a value of no valid type, then to an invalid value of each
constraint, makes ``fit`` raise sklearn's ``InvalidParameterError`` naming
the parameter, the estimator and the value.
"""

from numbers import Integral, Real
from typing import ClassVar

import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_param_validation

from skgen.utils._compat import (
    Interval,
    InvalidParameterError,
    generate_invalid_param_val,
    make_constraint,
)
from skgen.utils._test_common import check_data_for, construct_instances
from skgen.utils.discovery import all_estimators
from skgen.utils.estimator_checks import make_check_data

#: One instance per class: the constraints belong to the class.
ESTIMATORS = [next(construct_instances(cls)) for _, cls in all_estimators()]

FIT_METHODS = ("fit", "partial_fit", "fit_transform", "fit_predict", "fit_resample")


def _two_d(estimator):
    return estimator.__sklearn_tags__().input_tags.two_d_array


class _BadType:
    """A value of no valid type for any parameter."""


def check_param_validation_any_input(name, estimator, X, y):
    """sklearn's ``check_param_validation`` with the caller's data.

    Parameters
    ----------
    name : str
        The estimator's class name, as in the expected message.
    estimator : estimator instance
        Unfitted; cloned before each change.
    X, y : data ``estimator.fit`` accepts
        Any representation (sequences, text).
    """
    params = estimator.get_params(deep=False)
    constraints = estimator._parameter_constraints
    assert set(constraints) == set(params), (
        f"_parameter_constraints of {name} must name exactly its parameters; "
        f"missing {set(params) - set(constraints)}, unexpected "
        f"{set(constraints) - set(params)}."
    )
    for param, param_constraints in constraints.items():
        if param_constraints == "no_validation":
            continue
        intervals = {c.type for c in param_constraints if isinstance(c, Interval)}
        assert not {Integral, Real} <= intervals, (
            f"The constraints of {param} of {name} mix intervals of Integral and "
            "Real; use RealNotInt instead of Real."
        )
        bad_values = [_BadType()]
        for constraint in map(make_constraint, param_constraints):
            try:
                bad_values.append(generate_invalid_param_val(constraint))
            except NotImplementedError:
                continue
        for bad in bad_values:
            est = clone(estimator).set_params(**{param: bad})
            methods = [m for m in FIT_METHODS if hasattr(est, m)]
            assert methods, f"{name} has no fit method."
            for method in methods:
                match = rf"The '{param}' parameter of {name} must be .* Got .* instead."
                with pytest.raises(InvalidParameterError, match=match):
                    getattr(est, method)(X, y)


#: Classes whose constraints break one of sklearn's rules, until fixed.
KNOWN_BAD: dict[str, str] = {}  # class name -> why its check fails


def _cases(estimators):
    return [
        pytest.param(
            e,
            id=type(e).__name__,
            marks=[pytest.mark.xfail(reason=KNOWN_BAD[type(e).__name__], strict=True)]
            if type(e).__name__ in KNOWN_BAD
            else [],
        )
        for e in estimators
    ]


@pytest.mark.parametrize("estimator", _cases(e for e in ESTIMATORS if _two_d(e)))
def test_sklearn_check_param_validation(estimator):
    check_param_validation(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", _cases(ESTIMATORS))
def test_param_validation_on_own_representation(estimator, seed):
    X, y = check_data_for(estimator, seed)
    check_param_validation_any_input(type(estimator).__name__, estimator, X, y)


def test_every_estimator_is_covered():
    assert {type(e) for e in ESTIMATORS} == {cls for _, cls in all_estimators()}
    assert any(not _two_d(e) for e in ESTIMATORS)


def test_the_check_catches_an_unvalidated_parameter(seed):
    """A parameter without a constraint, or a fit that checks none, fails."""
    from skgen.markov import MarkovChain

    X, y = make_check_data("token_sequences", random_state=seed)

    class Unlisted(MarkovChain):
        _parameter_constraints: ClassVar[dict] = {
            k: v for k, v in MarkovChain._parameter_constraints.items() if k != "alpha"
        }

    with pytest.raises(AssertionError, match=r"missing \{'alpha'\}"):
        check_param_validation_any_input("Unlisted", Unlisted(), X, y)

    class Unchecked(MarkovChain):
        def fit(self, X, y=None):
            return self

    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        check_param_validation_any_input("Unchecked", Unchecked(), X, y)


def test_seed_fixtures(seed, rng):
    """The root conftest's seeds are fixed: an int and RandomState(0)."""
    assert seed == 0
    assert rng.randint(1000) == 684  # RandomState(0)'s first draw
