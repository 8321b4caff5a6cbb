"""Common checks over every public skgen estimator (DESIGN.md §6).

sklearn's ``parametrize_with_checks`` runs on the estimators whose tags say
they take 2-D arrays; skgen's generative checks run on every generative
estimator, sequences and text included. Nothing opts out: estimators come
from discovery, and each class gets at least one instance.
"""

import pytest
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

from skgen.utils._test_common import EXPECTED_FAILED_CHECKS, construct_instances
from skgen.utils.discovery import all_estimators
from skgen.utils.estimator_checks import parametrize_with_checks

ALL = [est for _, cls in all_estimators() for est in construct_instances(cls)]
GENERATIVE = [est for est in ALL if hasattr(est, "__skgen_tags__")]  # translators too
TWO_D = [est for est in ALL if est.__sklearn_tags__().input_tags.two_d_array]


def test_every_estimator_is_checked():
    names = {name for name, _ in all_estimators()}
    assert {
        "MarkovChain",
        "GenerativePipeline",
        "CharTokenizer",
        "GaussianHMM",
    } <= names
    checked = {type(e).__name__ for e in GENERATIVE + TWO_D}
    generative = {n for n, _ in all_estimators(type_filter="generative")}
    assert generative <= checked


# Tiny test models stop EM early on purpose.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(GENERATIVE)
def test_generative_checks(estimator, check):
    check(estimator)


if TWO_D:
    # Tiny test models stop training early on purpose.
    @pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
    @sklearn_parametrize_with_checks(
        TWO_D,
        expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
            type(est).__name__, {}
        ),
    )
    def test_sklearn_checks(estimator, check):
        check(estimator)


@pytest.mark.parametrize("estimator", ALL, ids=repr)
def test_non_2d_estimators_declare_their_input(estimator):
    """Estimators left out of sklearn's checks say why, through their tags."""
    tags = estimator.__sklearn_tags__()
    if not tags.input_tags.two_d_array:
        it = tags.input_tags
        assert it.string or it.categorical or it.three_d_array
