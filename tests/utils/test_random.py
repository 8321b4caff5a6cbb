"""Tests of the shared randomness helpers."""

import numpy as np
import pytest

from skgen.utils._random import SEED_BOUND, categorical_draws, draw_seed


def test_draw_seed_is_the_legacy_draw():
    # the draw every family made before: randint(int32 max) of the generator
    rng, ref = np.random.RandomState(3), np.random.RandomState(3)
    seed = draw_seed(rng)
    assert type(seed) is int
    assert seed == ref.randint(np.iinfo(np.int32).max)
    assert draw_seed(rng) == ref.randint(np.iinfo(np.int32).max)  # rng advanced


def test_draw_seed_int_none_and_size():
    assert draw_seed(5) == draw_seed(5)
    assert 0 <= draw_seed(None) < SEED_BOUND
    seeds = draw_seed(np.random.RandomState(0), size=4)
    ref = np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=4)
    assert seeds.dtype == np.int64
    np.testing.assert_array_equal(seeds, ref)


def test_categorical_draws_frequencies_and_zero_mass():
    p = np.array([0.2, 0.0, 0.5, 0.3])
    draws = categorical_draws(np.cumsum(p), np.random.RandomState(0), size=20000)
    freq = np.bincount(draws, minlength=4) / draws.shape[0]
    np.testing.assert_allclose(freq, p, atol=0.015)
    assert freq[1] == 0  # a category of zero mass is never drawn


def test_categorical_draws_one_per_row_unnormalised():
    # rows of unnormalised cumulative mass: u is scaled by the total
    cum = np.cumsum([[0.0, 2.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 5.0]], axis=1)
    draws = categorical_draws(cum, np.random.RandomState(1))
    np.testing.assert_array_equal(draws, [1, 0, 2])


def test_categorical_draws_match_rng_choice():
    # the same uniforms as RandomState.choice(p=...): the same labels
    p = np.array([0.1, 0.6, 0.3])
    ours = categorical_draws(np.cumsum(p), np.random.RandomState(7), size=500)
    theirs = np.random.RandomState(7).choice(3, size=500, p=p)
    np.testing.assert_array_equal(ours, theirs)


def test_categorical_draws_rounding_never_overflows():
    cum = np.array([0.3, 0.6, 0.9999999999])  # rounded short of 1
    draws = categorical_draws(cum, np.random.RandomState(0), size=1000)
    assert draws.max() <= 2


def test_categorical_draws_errors():
    with pytest.raises(ValueError, match=r"at least one category.*got shape \(0,\)"):
        categorical_draws(np.zeros(0), np.random.RandomState(0))
    with pytest.raises(ValueError, match=r"size is only for a 1-D.*got size=3"):
        categorical_draws(np.ones((2, 2)), np.random.RandomState(0), size=3)
