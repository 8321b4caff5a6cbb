"""Memory bounds: what a request may allocate, and the bool-refusing intervals."""

import resource
import subprocess
import sys

import pytest

from skgen.utils import _resources
from skgen.utils._compat import Interval, RealNotInt


def test_available_memory_is_the_least_of_the_limits(monkeypatch):
    monkeypatch.setattr(_resources, "_meminfo_available", lambda: 10**10)
    monkeypatch.setattr(_resources, "_address_space_left", lambda: None)
    monkeypatch.setattr(_resources, "_cgroup_memory_left", lambda: 3 * 10**9)
    assert _resources.available_memory() == 3 * 10**9
    monkeypatch.setattr(_resources, "_address_space_left", lambda: 10**9)
    assert _resources.available_memory() == 10**9


def test_address_space_limit_is_respected():
    # under `ulimit -v`, a request the limit cannot hold fails before any work
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, "
        "resource.RLIM_INFINITY)); from skgen.utils._resources import "
        "available_memory; print(available_memory() < 4 * 2**30)"
    )
    if resource.getrlimit(resource.RLIMIT_AS)[1] != resource.RLIM_INFINITY:
        pytest.skip("the hard address-space limit is already set")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_check_allocation_names_the_request(monkeypatch):
    monkeypatch.setattr(_resources, "available_memory", lambda: 2**30)
    _resources.check_allocation(2**29, "small")
    with pytest.raises(ValueError, match=r"big would need about 2.0 GiB .* 1.0 GiB"):
        _resources.check_allocation(2**31, "big")


@pytest.mark.parametrize("value", [True, False])
def test_int_intervals_refuse_booleans(value):
    from numbers import Integral, Real

    assert not Interval(Integral, 0, None, closed="left").is_satisfied_by(value)
    assert not Interval(Real, 0, None, closed="left").is_satisfied_by(value)
    assert not Interval(RealNotInt, 0, None, closed="left").is_satisfied_by(value)
    assert Interval(Integral, 0, None, closed="left").is_satisfied_by(3)


def test_boolean_counts_are_refused_by_the_estimators():
    from skgen.markov import MarkovChain

    with pytest.raises(ValueError, match=r"'order' parameter .* Got True instead"):
        MarkovChain(order=True).fit([[0, 1, 2]])
