"""``MarkovChain`` against a slow, obvious dict-based reference (``_reference``)."""

import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _reference
from _reference import END, START, UNK, ReferenceMarkov

SEEDS = [0, 1, 2, 3]
ORDERS = [1, 2, 3]
CONFIGS = [
    ("additive", {"alpha": 0.5}),
    ("additive", {"alpha": 1.0}),
    ("additive", {"alpha": 2.0}),
    ("kneser-ney", {"discount": None}),
    ("kneser-ney", {"discount": 0.75}),
]
CONFIG_IDS = ["add0.5", "add1", "add2", "kn-modified", "kn0.75"]
UNSEEN_TOKENS = [20, 21, 22]
ATOL = 1e-10


# ------------------------------------------------------------------ helpers
def make_corpus(seed):
    """Sequences from a sparse random first-order chain over 3-6 symbols."""
    rng = np.random.default_rng(seed)
    n_vocab = int(rng.integers(3, 7))
    vocab = np.sort(rng.choice(20, size=n_vocab, replace=False))
    transitions = rng.dirichlet(np.full(n_vocab, 0.4), size=n_vocab)
    initial = rng.dirichlet(np.full(n_vocab, 0.4))

    def draw(length):
        seq = []
        state = rng.choice(n_vocab, p=initial)
        for _ in range(length):
            seq.append(vocab[state])
            state = rng.choice(n_vocab, p=transitions[state])
        return np.asarray(seq, dtype=np.int64)

    n_train = int(rng.integers(5, 31))
    train = [draw(int(rng.integers(0, 16))) for _ in range(n_train)]
    train[0] = draw(int(rng.integers(1, 16)))  # never an all-empty corpus
    train[1] = np.asarray([], dtype=np.int64)  # always one empty sequence
    # Held out: fresh chain draws, plus sequences salted with unseen tokens.
    held_out = [draw(int(rng.integers(0, 16))) for _ in range(5)]
    pool = np.concatenate([vocab, UNSEEN_TOKENS])
    held_out += [
        rng.choice(pool, size=int(rng.integers(0, 16))).astype(np.int64)
        for _ in range(5)
    ]
    held_out.append(np.asarray(UNSEEN_TOKENS, dtype=np.int64))
    return {"vocab": vocab, "train": train, "held_out": held_out, "seed": seed}


def to_ints(context):
    """Oracle symbols -> token ids with -1 for START (the MarkovChain format)."""
    return [-1 if s == START else s for s in context]


def contexts_to_check(oracle, seed):
    """Every context seen in training, plus random unseen well-formed ones."""
    k = oracle.order
    contexts = [to_ints(h) for h in oracle.seen_contexts()]
    rng = np.random.default_rng(1000 + seed)
    pool = oracle.vocabulary + UNSEEN_TOKENS
    for _ in range(25):
        n_start = int(rng.integers(0, k + 1))
        tokens = [int(t) for t in rng.choice(pool, size=k - n_start)]
        contexts.append([-1] * n_start + tokens)
    return np.asarray(contexts, dtype=np.int64).reshape(-1, k)


def make_model(order, smoothing, params):
    from skgen.markov import MarkovChain

    return MarkovChain(order=order, smoothing=smoothing, **params)


# ----------------------------------------------------------------- fixtures
@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def corpus(request):
    return make_corpus(request.param)


@pytest.fixture(params=ORDERS, ids=[f"k{k}" for k in ORDERS])
def order(request):
    return request.param


@pytest.fixture(params=CONFIGS, ids=CONFIG_IDS)
def config(request):
    return request.param


@pytest.fixture
def oracle(corpus, order, config):
    smoothing, params = config
    return ReferenceMarkov(order, smoothing, **params).fit(corpus["train"])


@pytest.fixture
def fitted(corpus, order, config):
    smoothing, params = config
    return make_model(order, smoothing, params).fit(corpus["train"])


# ------------------------------------------------ the oracle on its own
def test_oracle_additive_hand_example():
    # Events: (S,0) x2, (0,1), (1,END), (0,END); |O| = 4.
    ref = ReferenceMarkov(1, "additive", alpha=1.0).fit([[0, 1], [0]])
    assert ref.outcomes == [0, 1, UNK, END]
    assert ref.proba(0, (START,)) == pytest.approx((2 + 1) / (2 + 4))
    assert ref.proba(END, (0,)) == pytest.approx((1 + 1) / (2 + 4))
    assert ref.proba(UNK, (1,)) == pytest.approx(1 / (1 + 4))
    assert ref.proba(0, (UNK,)) == pytest.approx(1 / 4)  # unseen context
    expected = math.log(3 / 6) + math.log(2 / 6) + math.log(2 / 5)
    assert ref.log_likelihood([0, 1]) == pytest.approx(expected)


def test_oracle_kneser_ney_hand_example():
    ref = ReferenceMarkov(1, "kneser-ney", discount=0.5).fit([[0, 1], [0]])
    # Level 0 continuation counts: 0 <- {S}, 1 <- {0}, END <- {0, 1}.
    assert dict(ref.adjusted[0]) == {((), 0): 1, ((), 1): 1, ((), END): 2}
    gamma0 = 0.5 * 2 + 0.5 * 1
    p0 = {
        0: (0.5 + gamma0 / 4) / 4,
        1: (0.5 + gamma0 / 4) / 4,
        UNK: (gamma0 / 4) / 4,
        END: (1.5 + gamma0 / 4) / 4,
    }
    for w, p in p0.items():
        assert ref._proba_kn(0, w, (START,)) == pytest.approx(p)
    # Context (S,): a(S 0) = 2, A = 2, gamma = 0.5.
    assert ref.proba(0, (START,)) == pytest.approx((1.5 + 0.5 * p0[0]) / 2)
    assert ref.proba(END, (START,)) == pytest.approx(0.5 * p0[END] / 2)
    # Unseen context (UNK,) backs off to level 0 entirely.
    assert ref.proba(1, (UNK,)) == pytest.approx(p0[1])


def test_oracle_start_contexts_keep_raw_counts():
    # Order 2: the level-1 context (S,) starts with START, so raw counts.
    ref = ReferenceMarkov(2, "kneser-ney").fit([[5, 5], [5], [6]])
    assert ref.adjusted[1][((START,), 5)] == 2
    assert ref.adjusted[1][((START,), 6)] == 1
    # (5,) does not: continuation counts over v in {S, 5}.
    assert ref.adjusted[1][((5,), END)] == 2  # (S 5 END) and (5 5 END)
    assert ref.adjusted[1][((5,), 5)] == 1  # only (S 5 5)


def test_oracle_modified_discounts():
    n = {1: 10, 2: 4, 3: 2, 4: 1}
    y = 10 / 18
    expected = (1 - 2 * y * 4 / 10, 2 - 3 * y * 2 / 4, 3 - 4 * y * 1 / 2)
    assert _reference.modified_kn_discounts(n) == pytest.approx(expected)
    fallback = (0.5, 1.0, 1.5)
    assert _reference.modified_kn_discounts({1: 3, 2: 1}) == fallback  # n3 = 0
    assert _reference.modified_kn_discounts({2: 3, 3: 1}) == fallback  # n1 = 0
    # D2 = 2 - 3 * (1/3) * 50 = -48 is out of range.
    assert _reference.modified_kn_discounts({1: 2, 2: 2, 3: 100}) == fallback


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", ORDERS)
@pytest.mark.parametrize(("smoothing", "params"), CONFIGS, ids=CONFIG_IDS)
def test_oracle_distributions_sum_to_one(seed, k, smoothing, params):
    data = make_corpus(seed)
    ref = ReferenceMarkov(k, smoothing, **params).fit(data["train"])
    for context in contexts_to_check(ref, seed):
        dist = ref.distribution(context)
        assert len(dist) == len(ref.vocabulary) + 2
        assert all(p > 0 for p in dist)
        assert abs(math.fsum(dist) - 1) < 1e-12


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("k", ORDERS)
def test_oracle_alpha_zero_is_normalised_counts(seed, k):
    data = make_corpus(seed)
    ref = ReferenceMarkov(k, "additive", alpha=0.0).fit(data["train"])
    # Count events directly, independently of the oracle's raw tables.
    pair, context = Counter(), Counter()
    for seq in data["train"]:
        padded = [START] * k + [int(t) for t in seq] + [END]
        for t in range(k, len(padded)):
            pair[(tuple(padded[t - k : t]), padded[t])] += 1
            context[tuple(padded[t - k : t])] += 1
    for h in context:
        dist = ref.distribution(to_ints(h))
        assert abs(math.fsum(dist) - 1) < 1e-12
        for w, p in zip(ref.outcomes, dist, strict=True):
            assert p == pytest.approx(pair[(h, w)] / context[h], abs=1e-15)


def test_oracle_discount_coverage():
    """The corpora exercise both the Chen–Goodman formula and the fallback."""
    levels = []
    for seed in SEEDS:
        for k in ORDERS:
            ref = ReferenceMarkov(k, "kneser-ney").fit(make_corpus(seed)["train"])
            levels += [tuple(row) for row in ref.discount_table()]
    fallback = (0.5, 1.0, 1.5)
    assert any(row == fallback for row in levels)
    assert any(row != fallback for row in levels)


# ------------------------------------------- MarkovChain against the oracle
def test_symbols(fitted, oracle):
    np.testing.assert_array_equal(fitted.symbols_, oracle.vocabulary)


def test_score_samples_train(fitted, oracle, corpus):
    got = fitted.score_samples(corpus["train"])
    expected = oracle.score_samples(corpus["train"])
    assert got.shape == (len(corpus["train"]),)
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)


def test_score_samples_held_out(fitted, oracle, corpus):
    got = fitted.score_samples(corpus["held_out"])
    expected = oracle.score_samples(corpus["held_out"])
    assert np.all(np.isfinite(expected))
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)


def test_next_token_log_proba(fitted, oracle, corpus):
    contexts = contexts_to_check(oracle, corpus["seed"])
    got = fitted.next_token_log_proba(contexts)
    assert got.shape == (len(contexts), len(oracle.vocabulary) + 2)
    expected = np.log([oracle.distribution(c) for c in contexts])
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)
    sums = np.exp(got).sum(axis=1)
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("k", ORDERS)
@pytest.mark.parametrize("discount", [None, 0.75], ids=["modified", "fixed0.75"])
def test_discounts(corpus, k, discount):
    ref = ReferenceMarkov(k, "kneser-ney", discount=discount).fit(corpus["train"])
    model = make_model(k, "kneser-ney", {"discount": discount}).fit(corpus["train"])
    assert model.discounts_.shape == (k + 1, 3)
    np.testing.assert_allclose(
        model.discounts_, ref.discount_table(), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("k", ORDERS)
def test_alpha_zero(corpus, k):
    ref = ReferenceMarkov(k, "additive", alpha=0.0).fit(corpus["train"])
    model = make_model(k, "additive", {"alpha": 0.0}).fit(corpus["train"])
    got = model.score_samples(corpus["train"])
    expected = ref.score_samples(corpus["train"])
    assert np.all(np.isfinite(expected))
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)

    # Seen contexts: normalised counts (zeros included, so -inf in log space).
    contexts = np.asarray([to_ints(h) for h in ref.seen_contexts()], dtype=np.int64)
    got = model.next_token_log_proba(contexts)
    with np.errstate(divide="ignore"):
        expected = np.log([ref.distribution(c) for c in contexts])
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(expected))
    np.testing.assert_allclose(got, expected, rtol=0, atol=ATOL)
    np.testing.assert_allclose(np.exp(got).sum(axis=1), 1.0, rtol=0, atol=1e-12)
