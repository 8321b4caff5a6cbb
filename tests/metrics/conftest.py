"""Fixtures of the metrics tests."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def _one_openmp_thread():
    """Tiny gradient-boosting fits gain nothing from OpenMP threads and lose a
    lot on a busy machine, where the threads spin waiting for a core."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield
