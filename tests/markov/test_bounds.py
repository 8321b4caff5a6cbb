"""MarkovChain at the edges: huge token ids, huge orders, huge requests."""

import sys
from pathlib import Path

import numpy as np
import pytest

from skgen.markov import MarkovChain

sys.path.insert(0, str(Path(__file__).parent))

from _reference import ReferenceMarkov


def _corpus(seed, n=80, n_symbols=61, max_len=12):
    rng = np.random.RandomState(seed)
    return [rng.randint(0, n_symbols, size=rng.randint(1, max_len)) for _ in range(n)]


# ------------------------------------------------------------ token ids


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("offset", [2**62 - 60, 2**63 - 61])
def test_huge_token_ids_score_exactly_as_small_ones(order, offset):
    """Ids near 2**62 (and up to int64's maximum) never merge events."""
    small = _corpus(0)
    big = [s + offset for s in small]
    a = MarkovChain(order=order).fit(big)
    b = MarkovChain(order=order).fit(small)
    assert a.ngrams_[0].shape == b.ngrams_[0].shape
    np.testing.assert_array_equal(a.score_samples(big), b.score_samples(small))
    test = _corpus(1, n=10)
    np.testing.assert_array_equal(
        a.score_samples([s + offset for s in test]), b.score_samples(test)
    )
    halves = MarkovChain(order=order).partial_fit(big[:40]).partial_fit(big[40:])
    np.testing.assert_array_equal(halves.score_samples(big), a.score_samples(big))


# ----------------------------------------------------------------- order

SHORT = [[0, 1, 2], [1, 2], [2, 2, 0], [], [0], [1, 0, 1]]  # longest: 3 tokens
HELD_OUT = [[0, 1, 2], [0, 1, 2, 0, 1], [2], [7, 0], [1, 2, 2, 2, 0, 0], []]


@pytest.mark.parametrize("discount", [None, 0.75])
def test_order_beyond_the_data_is_exact_kneser_ney(discount):
    """Against the dict-based oracle run at the nominal order itself."""
    mc = MarkovChain(order=9, discount=discount).fit(SHORT)
    assert mc.order_ == 4 and mc.ngrams_[0].shape[1] == 5
    ref = ReferenceMarkov(9, "kneser-ney", discount=discount).fit(SHORT)
    np.testing.assert_allclose(
        mc.score_samples(HELD_OUT), ref.score_samples(HELD_OUT), rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(mc.discounts_, ref.discount_table()[:5], atol=1e-12)
    contexts = [[-1] * 9, [-1] * 7 + [0, 1], [-1] * 6 + [0, 1, 2], [2] * 9]
    np.testing.assert_allclose(
        np.exp(mc.next_token_log_proba(contexts)),
        [ref.distribution(c) for c in contexts],
        rtol=0,
        atol=1e-12,
    )


def test_order_beyond_the_data_is_the_effective_order_additive():
    nominal = MarkovChain(order=50, smoothing="additive", alpha=0.5).fit(SHORT)
    effective = MarkovChain(order=4, smoothing="additive", alpha=0.5).fit(SHORT)
    assert nominal.order_ == 4
    np.testing.assert_array_equal(
        nominal.score_samples(HELD_OUT), effective.score_samples(HELD_OUT)
    )
    for a, b in zip(
        nominal.sample(30, random_state=0),
        effective.sample(30, random_state=0),
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)
    ref = ReferenceMarkov(12, "additive", alpha=0.5).fit(SHORT)
    np.testing.assert_allclose(
        MarkovChain(order=12, smoothing="additive", alpha=0.5)
        .fit(SHORT)
        .score_samples(HELD_OUT),
        ref.score_samples(HELD_OUT),
        rtol=0,
        atol=1e-10,
    )


def test_huge_order_is_cheap_and_finite():
    """Order 10**6 on 5 tokens: bounded by the data, scores finite."""
    X = [[0, 1, 2, 3, 4], [4, 3], [1, 1, 2]]
    mc = MarkovChain(order=10**6).fit(X)
    assert mc.order_ == 6
    ll = mc.score_samples([[0, 1, 2, 3, 4], [4, 4, 4, 0], [9]])
    assert np.all(np.isfinite(ll))
    # a token unseen after a seen context is discounted at each of the 10**6
    # levels: a tiny probability, not zero
    assert ll[1] < -1e5
    samples = mc.sample(50, random_state=0)
    assert len(samples) == 50
    with pytest.raises(ValueError, match=r"-1 \(start\) only before their first"):
        MarkovChain(order=3).fit(X).next_token_log_proba([[0, -1, 1]])


def test_repeated_top_level_sums_to_one_and_samples_from_it():
    mc = MarkovChain(order=2000).fit(SHORT)
    contexts = [[-1] * 2000, [-1] * 1998 + [0, 1], [-1] * 1999 + [2]]
    P = np.exp(mc.next_token_log_proba(contexts))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    first = np.array([s[0] if len(s) else -2 for s in mc.sample(4000, random_state=1)])
    # the first token follows row 0 (unknown redrawn: conditioned on known/end)
    p = np.r_[P[0, :3], P[0, 4]] / np.r_[P[0, :3], P[0, 4]].sum()
    freq = np.array([(first == t).mean() for t in (0, 1, 2, -2)])
    np.testing.assert_allclose(freq, p, atol=0.03)


def test_partial_fit_raising_the_effective_order_equals_fit():
    a, b = [[0, 1], [1], []], [[0, 1, 2, 0, 1], [2, 2]]
    whole = MarkovChain(order=4).fit(a + b)
    halves = MarkovChain(order=4).partial_fit(a)
    assert halves.order_ == 3
    halves.partial_fit(b)
    assert halves.order_ == whole.order_ == 4
    np.testing.assert_array_equal(halves.ngrams_[0], whole.ngrams_[0])
    np.testing.assert_allclose(
        halves.score_samples(HELD_OUT), whole.score_samples(HELD_OUT), rtol=1e-14
    )
    clf = MarkovChain(order=4).partial_fit(a, [0, 1, 1]).partial_fit(b, [1, 2])
    np.testing.assert_allclose(
        clf.score_samples(HELD_OUT),
        MarkovChain(order=4).fit(a + b, [0, 1, 1, 1, 2]).score_samples(HELD_OUT),
        rtol=1e-14,
    )


# ------------------------------------------------------------- resources


def test_sample_request_too_large_fails_before_allocating(monkeypatch):
    mc = MarkovChain(order=2).fit(_corpus(2, n_symbols=4))
    # sized from the model, refused before any work (no allocation)
    with pytest.raises(ValueError, match=r"sample\(n_samples=1000000000\) would need"):
        mc.sample(10**9)
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 10**6)
    per_sample = mc._bytes_per_sample()
    assert 8 * mc._mean_length < per_sample < 1000
    mc.sample(int(10**6 / per_sample), random_state=0)  # fits
    too_many = int(10**6 / per_sample) + 1
    with pytest.raises(ValueError, match=rf"sample\(n_samples={too_many}\) would need"):
        mc.sample(too_many)


def test_counting_that_cannot_fit_fails_before_allocating():
    # order 10**5 on one sequence of 10**5 tokens: 10**10 context slots
    with pytest.raises(ValueError, match="MarkovChain fit of 100001 events at order"):
        MarkovChain(order=10**5).fit([np.arange(10**5) % 7])


def test_scoring_that_cannot_fit_fails_before_allocating(monkeypatch):
    mc = MarkovChain(order=3).fit([[0, 1, 2, 1, 0]])
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 1000)
    with pytest.raises(ValueError, match="MarkovChain scoring of 6 events at order 3"):
        mc.score_samples([[0, 1, 2, 1, 0]])
