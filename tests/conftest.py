"""Fixtures shared by every test: fixed seeds, never global seeding.

Tests take ``seed`` (an int to pass as ``random_state``) or ``rng`` (a fresh
``np.random.RandomState(0)`` per test) instead of calling ``np.random.seed``,
so each test draws the same numbers whatever ran before it.
"""

import numpy as np
import pytest

#: The seed every test starts from.
SEED = 0


@pytest.fixture
def seed():
    """The fixed int seed for ``random_state`` parameters."""
    return SEED


@pytest.fixture
def rng():
    """A fresh ``np.random.RandomState(SEED)`` for drawing test data."""
    return np.random.RandomState(SEED)
