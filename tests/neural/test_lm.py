"""The language models: learning, exact likelihoods, generation, conditioning.

Tiny networks fitted once per module. The likelihood is checked against
brute force (the next-token distributions summed over positions, the true
Markov source, a mixture density by hand), generation against its uncached
reference and against scoring, and the sampling options, continuous
sequences, persistence and failed fits against the contract
(docs/DESIGN.md sections 1, 2 and 8). The public generative checks
(tests/test_common.py) are not repeated.
"""

import copy
import io
import json
import math
import pickle
import zipfile

import joblib
import numpy as np
import pytest
import skops.io as sio
import torch
from scipy.special import logsumexp
from scipy.stats import norm
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

from skgen import GenerativeClassifier
from skgen.datasets import make_markov_sequences
from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.pipeline import make_generative_pipeline
from skgen.text import CharTokenizer
from skgen.utils import trusted_types

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def rnn(cell="lstm", **params):
    defaults = {
        "embedding_dim": 8,
        "hidden_size": 16,
        "num_layers": 1,
        "dropout": 0.0,
        "max_epochs": 10,
        "lr": 1e-2,
        "early_stopping": False,
        "random_state": 0,
    }
    return RNNLanguageModel(cell, **{**defaults, **params})


def transformer(**params):
    defaults = {
        "d_model": 16,
        "nhead": 2,
        "num_layers": 1,
        "dim_feedforward": 32,
        "dropout": 0.0,
        "context_length": 8,
        "max_epochs": 10,
        "lr": 1e-2,
        "early_stopping": False,
        "random_state": 0,
    }
    return TransformerLanguageModel(**{**defaults, **params})


def ids_of(est, x):
    """Column of each token in next_token_log_proba: its symbol, or unknown."""
    symbols = est.symbols_
    pos = np.searchsorted(symbols, x)
    pos = np.minimum(pos, symbols.shape[0] - 1)
    return np.where(symbols[pos] == x, pos, symbols.shape[0])


def brute_force_scores(est, X, y=None):
    """Per sequence, the sum of log p(next token | prefix) over every prefix."""
    prefixes = [np.asarray(x)[:i] for x in X for i in range(len(x) + 1)]
    log_proba = est.next_token_log_proba(prefixes, y=y)
    end = est.symbols_.shape[0] + 1
    columns = np.concatenate([np.append(ids_of(est, np.asarray(x)), end) for x in X])
    picked = log_proba[np.arange(len(prefixes)), columns]
    bounds = np.cumsum([0] + [len(x) + 1 for x in X])
    return np.add.reduceat(picked, bounds[:-1]), log_proba


def generate(est, n, max_length, *, seed=0, prompt=None, cache=True, y=None, **opts):
    """The estimator's own token generation, with or without its cache."""
    module = est._eval_module()
    class_index = None if y is None else int(np.searchsorted(est.classes_, y))
    return est._generate_tokens(
        module,
        n,
        class_index,
        max_length,
        opts.get("temperature", 1.0),
        opts.get("top_k"),
        est._check_prompt(prompt),
        torch.Generator().manual_seed(seed),
        cache=cache,
    )


def assert_same_samples(a, b):
    assert len(a) == len(b)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


# ---------------------------------------------------------------- data


@pytest.fixture(scope="module")
def pattern():
    """0, 1, 2, 3 three times: every token and the end are determined."""
    return [np.tile([0, 1, 2, 3], 3) for _ in range(40)]


@pytest.fixture(scope="module")
def markov():
    """An order-1 source on 3 symbols with lengths uniform in 4..8, and its truth."""
    X, params = make_markov_sequences(
        2000, order=1, n_symbols=3, length=(4, 8), concentration=0.5, random_state=0
    )
    return X[:1600], X[1600:], params


@pytest.fixture(scope="module")
def long_tokens():
    """Sequences of 20 to 60 tokens, much longer than a context of 4."""
    X, _ = make_markov_sequences(
        120, order=1, n_symbols=4, length=(20, 60), concentration=0.3, random_state=1
    )
    return X


@pytest.fixture(scope="module")
def long_models(long_tokens):
    return {
        "transformer": transformer(context_length=4, num_layers=2, max_epochs=4).fit(
            long_tokens
        ),
        "rnn": rnn("rnn", num_layers=2, window_length=8, max_epochs=4).fit(long_tokens),
    }


def two_languages(n, seed):
    """Class 0 counts 0, 1, 2, 3 up (cyclically), class 1 counts down."""
    rng = np.random.RandomState(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        start, length = rng.randint(4), rng.randint(3, 9)
        step = 1 if label == 0 else -1
        X.append((start + step * np.arange(length)) % 4)
        y.append(label)
    return X, np.array(y)


@pytest.fixture(scope="module")
def conditional_models():
    X, y = two_languages(200, 0)
    return {
        "rnn": rnn("gru", max_epochs=15).fit(X, y),
        "transformer": transformer(max_epochs=15).fit(X, y),
    }


@pytest.fixture(scope="module")
def small():
    return rnn(max_epochs=1).fit([[0, 1, 2]] * 5)


# ------------------------------------------------------------ learning


@pytest.mark.parametrize(
    "make",
    [
        lambda: rnn("lstm", max_epochs=40, lr=3e-2, weight_decay=0.0),
        lambda: rnn("gru", max_epochs=40, lr=3e-2, weight_decay=0.0),
        lambda: transformer(context_length=16, max_epochs=40, weight_decay=0.0),
    ],
    ids=["lstm", "gru", "transformer"],
)
def test_a_deterministic_pattern_is_learnt(make, pattern):
    est = make().fit(pattern)
    assert est.perplexity(pattern) < 1.1
    # samples are the pattern as often as the model's own probability of it
    # says (400 draws: a standard error below 0.025), most of the time
    X = est.sample(400, max_length=30, random_state=0)
    exact = np.mean([np.array_equal(x, pattern[0]) for x in X])
    assert exact > 0.5
    assert abs(exact - np.exp(est.score_samples(pattern[:1])[0])) < 0.1


def true_log_likelihood(X, params, lengths):
    """log p(x) under the source: its transitions and its uniform length."""
    T, n = params["transitions"], params["n_symbols"]
    lo, hi = lengths
    out = np.empty(len(X))
    for i, x in enumerate(X):
        context = np.concatenate([[n], x[:-1]])
        out[i] = np.log(T[context, x]).sum() - np.log(hi - lo + 1)
    return out


@pytest.fixture(scope="module")
def markov_models(markov):
    X_train = markov[0]
    return {
        "lstm": rnn("lstm", max_epochs=40, weight_decay=0.0, early_stopping=True).fit(
            X_train
        ),
        "transformer": transformer(
            context_length=16, max_epochs=40, weight_decay=0.0, early_stopping=True
        ).fit(X_train),
    }


@pytest.mark.parametrize("name", ["lstm", "transformer"])
def test_held_out_likelihood_approaches_the_markov_source(name, markov, markov_models):
    """Per event (tokens and the end), within 0.05 nats of the truth.

    The true model has 12 free parameters (4 contexts of 2, and 4 hazards of
    the length) and 1,600 training sequences, so an efficient estimate
    would be within about 12 / (2 * 1600 * 7) = 5e-4 nats per event; the
    held-out noise of the difference is about 0.003. The end needs the
    network to count steps (the length is uniform in 4..8), which a tiny
    network learns less well than the transitions: the next token given
    that the sequence goes on must be within 0.01, the whole within 0.05.
    """
    est = markov_models[name]
    _, X_test, params = markov
    truth = true_log_likelihood(X_test, params, (4, 8))
    events = sum(len(x) + 1 for x in X_test)
    got = est.score_samples(X_test)
    gap = (truth - got).sum() / events
    se = (truth - got).std() * math.sqrt(len(X_test)) / events
    assert -3 * se < gap < 0.05

    # the transitions alone: log p(token | prefix, not the end yet)
    scores, log_proba = brute_force_scores(est, X_test)
    np.testing.assert_allclose(scores, got, rtol=0, atol=1e-9)
    nxt = np.concatenate([np.append(x, -1) for x in X_test])
    context = np.concatenate([np.concatenate([[3], x]) for x in X_test])
    going = nxt >= 0
    rows = np.flatnonzero(going)
    model = log_proba[rows, nxt[going]] - np.log1p(-np.exp(log_proba[rows, -1]))
    true = np.log(params["transitions"][context[going], nxt[going]])
    assert abs((true - model).sum() / going.sum()) < 0.01
    assert est.perplexity(X_test) == pytest.approx(np.exp(-got.sum() / events))


def test_next_token_columns_line_up_with_a_markov_chain(markov, markov_models):
    """After each symbol, the LM and an order-1 chain give the same next symbol."""
    from skgen.markov import MarkovChain

    X_train, _, params = markov
    chain = MarkovChain(order=1).fit(X_train)
    est = markov_models["lstm"]
    np.testing.assert_array_equal(est.symbols_, chain.symbols_)
    # seven tokens in: the chain and the network see the same last symbol
    prefixes = [[2, 0, 1, 0, 2, 1, s] for s in range(3)]
    lm = np.exp(est.next_token_log_proba(prefixes))
    mc = np.exp(chain.next_token_log_proba([[s] for s in range(3)]))
    assert lm.shape == mc.shape == (3, 5)
    for p in (lm, mc):  # given that the sequence goes on
        p = p[:, :3] / p[:, :3].sum(axis=1, keepdims=True)
        np.testing.assert_allclose(p, params["transitions"][:3], atol=0.05)
    assert np.all(lm[:, 3] < 0.01)  # the unknown symbol


# ---------------------------------------------------------- likelihood


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_next_token_log_proba_sums_to_score_samples(name, long_models, long_tokens):
    est = long_models[name]
    X = [*long_tokens[:10], np.array([], dtype=int), np.array([2])]
    scores, log_proba = brute_force_scores(est, X)
    np.testing.assert_allclose(scores, est.score_samples(X), rtol=0, atol=1e-9)
    assert log_proba.shape[1] == est.symbols_.shape[0] + 2
    np.testing.assert_allclose(logsumexp(log_proba, axis=1), 0.0, atol=1e-12)
    assert log_proba.dtype == np.float64


def test_next_token_log_proba_columns_are_symbols_unknown_end():
    """Symbols 10, 20, 30: after 10 comes 20, after 30 the end, never unknown."""
    X = [[10, 20, 30]] * 30
    est = rnn("gru", max_epochs=30, lr=3e-2).fit(X)
    np.testing.assert_array_equal(est.symbols_, [10, 20, 30])
    log_proba = est.next_token_log_proba([[], [10], [10, 20], [10, 20, 30]])
    np.testing.assert_array_equal(log_proba.argmax(axis=1), [0, 1, 2, 4])
    assert np.all(log_proba[:, 3] < np.log(0.05))  # the unknown symbol


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_padding_and_batch_composition_change_nothing(name, long_models, long_tokens):
    est = long_models[name]
    x = long_tokens[0][:9]
    alone = est.score_samples([x])[0]
    others = [long_tokens[1], np.array([1]), long_tokens[2][:3], long_tokens[3]]
    for batch in ([x, *others], [*others[::-1], x], [others[0], x, others[1]]):
        got = est.score_samples(batch)
        np.testing.assert_allclose(
            got[[i for i, s in enumerate(batch) if s is x]], alone, rtol=0, atol=1e-9
        )
    # the whole set, shuffled: the same scores, permuted
    X = long_tokens[:30]
    order = np.random.RandomState(0).permutation(30)
    np.testing.assert_allclose(
        est.score_samples([X[i] for i in order]),
        est.score_samples(X)[order],
        rtol=0,
        atol=1e-9,
    )


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_padding_changes_nothing_for_a_conditional_model(name, conditional_models):
    est = conditional_models[name]
    X, y = two_languages(12, 5)
    X[3] = np.tile([0, 1, 2, 3], 15)  # longer than the context (8)
    alone = [est.score_samples([x], y=[c])[0] for x, c in zip(X, y, strict=True)]
    np.testing.assert_allclose(est.score_samples(X, y=y), alone, rtol=0, atol=1e-9)
    order = np.arange(12)[::-1]
    np.testing.assert_allclose(
        est.score_samples([X[i] for i in order], y=y[order]),
        np.array(alone)[order],
        rtol=0,
        atol=1e-9,
    )


def test_unseen_tokens_score_finite_as_the_unknown_symbol(long_models):
    for est in long_models.values():
        scores = est.score_samples([[0, 1, 99, 2], [0, 1, 1234, 2], [0, 1, 2, 2]])
        assert np.all(np.isfinite(scores))
        np.testing.assert_allclose(scores[0], scores[1], rtol=0, atol=1e-12)
        assert scores[0] != scores[2]


# -------------------------------------------------------------- seeding


@pytest.mark.parametrize(
    "make",
    [lambda **p: rnn("rnn", **p), lambda **p: transformer(**p)],
    ids=["rnn", "transformer"],
)
def test_random_state_fixes_the_model(make, long_tokens):
    X = long_tokens[:40]
    a = make(random_state=3, max_epochs=2).fit(X)
    b = make(random_state=3, max_epochs=2).fit(X)
    c = make(random_state=4, max_epochs=2).fit(X)
    np.testing.assert_array_equal(a.score_samples(X), b.score_samples(X))
    assert_same_samples(
        a.sample(5, max_length=30, random_state=0),
        b.sample(5, max_length=30, random_state=0),
    )
    assert np.all(a.score_samples(X) != c.score_samples(X))
    other = c.sample(5, max_length=30, random_state=0)
    mine = a.sample(5, max_length=30, random_state=0)
    assert any(not np.array_equal(u, v) for u, v in zip(mine, other, strict=True))


# ----------------------------------------------------------- generation


@pytest.mark.parametrize("name", ["transformer", "rnn"])
@pytest.mark.parametrize("prompt", [None, [1, 2, 3, 0, 1, 2, 3]])
def test_cached_and_uncached_generation_agree(name, prompt, long_models):
    est = long_models[name]
    cached, logp = generate(est, 20, 80, seed=7, prompt=prompt)
    uncached, logp_ref = generate(est, 20, 80, seed=7, prompt=prompt, cache=False)
    assert max(len(s) for s in cached) > 4 * 4  # well past the context
    assert_same_samples(cached, uncached)
    np.testing.assert_allclose(logp, logp_ref, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_sampling_log_probabilities_sum_to_score_samples(name, long_models):
    est = long_models[name]
    max_length = 150
    seqs, logp = generate(est, 60, max_length, seed=1)
    ended = np.array([len(s) < max_length for s in seqs])
    assert ended.sum() >= 20
    assert max(len(s) for s, e in zip(seqs, ended, strict=True) if e) > 16
    kept = [s for s, e in zip(seqs, ended, strict=True) if e]
    np.testing.assert_allclose(logp[ended], est.score_samples(kept), rtol=0, atol=1e-9)
    # after a prompt: the part of the score after the prompt
    prompt = np.array([3, 2, 1, 0, 0, 1])
    seqs, logp = generate(est, 30, max_length, seed=2, prompt=prompt)
    ended = np.array([len(s) < max_length for s in seqs])
    kept = [s for s, e in zip(seqs, ended, strict=True) if e]
    prefix = brute_force_scores(est, [prompt])[1][np.arange(6), ids_of(est, prompt)]
    np.testing.assert_allclose(
        logp[ended] + prefix.sum(), est.score_samples(kept), rtol=0, atol=1e-9
    )


def test_public_sample_is_the_generation(long_models):
    est = long_models["transformer"]
    public = est.sample(8, max_length=50, random_state=0)
    assert all(len(s) <= 50 for s in public)
    assert set(np.concatenate(public)) <= set(est.symbols_)


# ---------------------------------------------------- sampling options


def test_temperature_changes_the_entropy(markov_models):
    est = markov_models["lstm"]

    def cross_entropy(temperature):
        X = est.sample(400, max_length=40, temperature=temperature, random_state=0)
        return -est.score_samples(X).sum() / sum(len(x) + 1 for x in X)

    # at this size the noise of each is about 0.01 nats; the gaps are 0.08, 0.4
    cold, warm, hot = cross_entropy(0.5), cross_entropy(1.0), cross_entropy(2.0)
    assert cold < warm - 0.04
    assert warm < hot - 0.2


def greedy(est, max_length):
    """The most probable outcome at each step (never the unknown symbol)."""
    seq = []
    for _ in range(max_length):
        log_proba = est.next_token_log_proba([seq])[0]
        log_proba[est.symbols_.shape[0]] = -np.inf
        best = int(np.argmax(log_proba))
        if best == est.symbols_.shape[0] + 1:
            break
        seq.append(int(est.symbols_[best]))
    return seq


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_top_k_one_is_the_greedy_sequence(name, long_models):
    est = long_models[name]
    expected = greedy(est, 30)
    for seed in (0, 1, 2):
        for s in est.sample(3, max_length=30, top_k=1, random_state=seed):
            assert s.tolist() == expected


def test_a_tiny_temperature_is_greedy(long_models):
    est = long_models["rnn"]
    greedy_samples = est.sample(3, max_length=30, top_k=1, random_state=0)
    cold = est.sample(3, max_length=30, temperature=1e-300, random_state=1)
    assert_same_samples(cold, greedy_samples)


def test_a_subnormal_temperature_is_still_greedy(long_models):
    est = long_models["rnn"]
    greedy_samples = est.sample(3, max_length=30, top_k=1, random_state=0)
    cold = est.sample(3, max_length=30, temperature=1e-320, random_state=1)
    assert_same_samples(cold, greedy_samples)


def test_top_k_limits_the_outcomes(markov_models):
    est = markov_models["lstm"]
    X = est.sample(200, max_length=1, top_k=2, random_state=0)
    log_proba = est.next_token_log_proba([[]])[0][: est.symbols_.shape[0]]
    top2 = set(est.symbols_[np.argsort(log_proba)[-2:]])
    first = {int(x[0]) for x in X if len(x)}
    assert first <= top2


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_a_prompt_starts_every_sample(name, long_models):
    est = long_models[name]
    for prompt in ([2, 1], [0, 77, 1], np.array([5000])):
        X = est.sample(5, max_length=20, prompt=prompt, random_state=0)
        for x in X:
            np.testing.assert_array_equal(x[: len(prompt)], prompt)
            assert len(x) <= 20
            assert set(x[len(prompt) :].tolist()) <= set(est.symbols_.tolist())


def test_max_length_caps_the_samples(long_models):
    est = long_models["rnn"]
    for max_length in (0, 1, 5):
        X = est.sample(10, max_length=max_length, random_state=0)
        assert len(X) == 10
        assert all(len(x) <= max_length for x in X)
    assert all(len(x) == 0 for x in est.sample(4, max_length=0, random_state=0))


def test_the_unknown_symbol_is_never_drawn(long_models):
    est = copy.deepcopy(long_models["rnn"])
    V = est.symbols_.shape[0]
    with torch.no_grad():
        est._eval_module().head.linear.bias[V] = 30.0  # unknown: almost sure
    assert np.all(est.next_token_log_proba([[], [0]])[:, V] > np.log(0.99))
    for options in ({}, {"top_k": 1}, {"temperature": 0.2}, {"temperature": 5.0}):
        X = est.sample(50, max_length=10, random_state=0, **options)
        assert sum(len(x) for x in X) > 0
        assert set(np.concatenate(X).tolist()) <= set(est.symbols_.tolist())


def test_max_length_caps_a_longer_prompt(long_models):
    est = long_models["rnn"]
    try:
        X, message = est.sample(2, max_length=2, prompt=[0, 1, 2, 3, 0]), None
    except ValueError as exc:  # or a clear error naming both
        X, message = None, str(exc)
    if message is not None:
        assert "max_length" in message and "prompt" in message
    else:
        assert all(len(x) <= 2 for x in X)


@pytest.mark.parametrize(
    ("option", "value", "error", "message"),
    [
        ("temperature", 0, ValueError, "temperature must be > 0; got 0"),
        ("temperature", -1, ValueError, "temperature must be > 0; got -1"),
        ("temperature", float("nan"), ValueError, "temperature must be > 0; got nan"),
        ("temperature", float("inf"), ValueError, "temperature must be > 0; got inf"),
        ("temperature", "a", TypeError, "temperature must be a float > 0; got 'a'"),
        ("top_k", 0, ValueError, "top_k must be None or an int >= 1; got 0"),
        ("top_k", 1.5, ValueError, "top_k must be None or an int >= 1; got 1.5"),
        ("top_k", True, ValueError, "top_k must be None or an int >= 1; got True"),
        ("max_length", -1, ValueError, "max_length must be >= 0; got -1"),
        ("max_length", 1.5, TypeError, "max_length must be an int >= 0; got 1.5"),
        ("max_length", None, TypeError, "max_length must be an int >= 0; got None"),
        ("max_length", True, TypeError, "max_length must be an int >= 0; got True"),
        (
            "prompt",
            [0, -1],
            ValueError,
            r"prompt must contain integer token ids >= 0; got -1",
        ),
        (
            "prompt",
            [0.5, 1.0],
            TypeError,
            r"prompt\[0\] must contain integer token ids >= 0; got floats",
        ),
        (
            "prompt",
            [[0, 1]],
            ValueError,
            r"prompt\[0\] must be a 1-D sequence of integer token ids",
        ),
        ("length", 5, ValueError, "length is for continuous sequences"),
    ],
)
def test_bad_sampling_options_are_clear_errors(option, value, error, message, small):
    est = small
    before = joblib.hash(est)
    with pytest.raises(error, match=message):
        est.sample(2, random_state=0, **{option: value})
    assert joblib.hash(est) == before


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_sampling_leaves_the_model_unchanged(name, long_models, conditional_models):
    for est in (long_models[name], conditional_models[name]):
        before = joblib.hash(est)
        est.sample(5, max_length=30, temperature=0.7, top_k=2, random_state=0)
        est.sample(3, max_length=30, prompt=[1, 2], random_state=None)
        assert joblib.hash(est) == before


# ---------------------------------------------------------- conditional


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_conditional_models_sample_and_classify(name, conditional_models):
    est = conditional_models[name]
    X, y = est.sample(6, y=1, max_length=12, random_state=0)
    np.testing.assert_array_equal(y, 1)
    assert len(X) == 6
    labels = np.array([0, 1, 1, 0, 1])
    X, y = est.sample(5, y=labels, max_length=12, random_state=0)
    np.testing.assert_array_equal(y, labels)
    # each sample speaks its class's language
    np.testing.assert_array_equal(
        est.predict([x for x in X if len(x) > 1]),
        [c for x, c in zip(X, labels, strict=True) if len(x) > 1],
    )

    X_test, y_test = two_languages(60, 1)
    proba = est.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(est.predict(X_test), y_test)


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_conditional_likelihoods_are_consistent(name, conditional_models):
    est = conditional_models[name]
    X, _ = two_languages(10, 2)
    X[0] = np.array([0, 1, 9, 3])  # an unseen token
    joint = []
    for k, label in enumerate(est.classes_):
        given = est.score_samples(X, y=np.full(10, label))
        by_hand = brute_force_scores(est, X, y=label)[0] + est.class_log_prior_[k]
        np.testing.assert_allclose(given, by_hand, rtol=0, atol=1e-9)
        joint.append(given)
    np.testing.assert_allclose(
        est.score_samples(X), logsumexp(joint, axis=0), rtol=0, atol=1e-9
    )
    posterior = np.exp(np.array(joint).T - logsumexp(joint, axis=0)[:, None])
    np.testing.assert_allclose(est.predict_proba(X), posterior, rtol=0, atol=1e-9)


def test_a_conditional_model_needs_its_label_for_next_tokens(conditional_models):
    est = conditional_models["rnn"]
    with pytest.raises(ValueError, match="pass y=<label>"):
        est.next_token_log_proba([[0, 1]])


# ------------------------------------------------------------------ text


DOCS = ["abcabc", "abcab", "bcabca", "cabcabc", "abca", "bcab"] * 3
OTHER = ["xyzzy", "zyxzy", "yzzyx", "xyxzz", "zzyxy", "yxzyz"] * 3


def test_a_text_pipeline_fits_samples_and_scores():
    pipe = make_generative_pipeline(CharTokenizer(), rnn(max_epochs=10))
    pipe.fit(DOCS)
    samples = pipe.sample(5, max_length=12, random_state=0)
    assert len(samples) == 5
    assert all(isinstance(s, str) and set(s) <= set("abc") for s in samples)
    scores = pipe.score_samples([*DOCS[:6], "zzz"])
    assert np.all(np.isfinite(scores))


def test_grid_search_over_a_text_pipeline_picks_by_held_out_likelihood():
    pipe = make_generative_pipeline(CharTokenizer(), rnn(max_epochs=8))
    grid = GridSearchCV(
        pipe,
        {"rnnlanguagemodel__hidden_size": [4, 16]},
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(DOCS)
    means = grid.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(means))
    assert grid.best_index_ == int(np.argmax(means))
    # the default score is the held-out mean log-likelihood of the documents
    fold = next(KFold(3, shuffle=True, random_state=0).split(DOCS))
    train, test = fold
    fitted = make_generative_pipeline(
        CharTokenizer(), rnn(max_epochs=8, hidden_size=4)
    ).fit([DOCS[i] for i in train])
    np.testing.assert_allclose(
        grid.cv_results_["split0_test_score"][0],
        fitted.score_samples([DOCS[i] for i in test]).mean(),
        rtol=1e-9,
    )


def test_a_generative_classifier_of_text_cross_validates():
    docs = DOCS + OTHER
    y = np.array([0] * len(DOCS) + [1] * len(OTHER))
    clf = GenerativeClassifier(
        make_generative_pipeline(CharTokenizer(), rnn(max_epochs=8))
    )
    scores = cross_val_score(clf, docs, y, cv=3)
    assert scores.mean() > 0.9


def test_a_generative_classifier_of_token_sequences():
    X, y = two_languages(90, 3)
    clf = GenerativeClassifier(rnn("lstm", max_epochs=8))
    assert cross_val_score(clf, X, y, cv=3).mean() > 0.9


# ----------------------------------------------------- continuous frames


def ar1(n, seed, scale=1.0):
    """AR(1) series of 2 features with lengths 5 to 15."""
    rng = np.random.RandomState(seed)
    X = []
    for _ in range(n):
        T = rng.randint(5, 16)
        x = np.zeros((T, 2))
        x[0] = rng.normal(size=2)
        for t in range(1, T):
            x[t] = 0.8 * x[t - 1] + 0.3 * rng.normal(size=2)
        X.append(scale * (x + np.array([5.0, -2.0])))
    return X


@pytest.fixture(scope="module")
def frames():
    return ar1(60, 0)


@pytest.fixture(scope="module")
def frame_models(frames):
    return {
        "rnn": rnn("gru", n_components=2, max_epochs=8).fit(frames),
        "transformer": transformer(n_components=2, context_length=4, max_epochs=8).fit(
            frames
        ),
    }


def frame_log_density_by_hand(est, x):
    """log p(x | length) from the network's mixture, by scipy, in data units."""
    module = est._eval_module()
    z = (x - est._frame_mean) / est._frame_scale
    T, D = z.shape
    inputs = np.zeros((T, D + 1))
    inputs[0, D] = 1.0
    inputs[1:, :D] = z[:-1]
    with torch.no_grad():
        h = module.hidden(torch.as_tensor(inputs[None]))
        logits, mean, log_scale = (t[0].numpy() for t in module.head._mixture(h))
    per_component = norm.logpdf(z[:, None, :], mean, np.exp(log_scale)).sum(-1)
    standardised = logsumexp(logits + per_component, axis=1).sum()
    return standardised - T * np.log(est._frame_scale).sum()


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_frames_score_is_the_mixture_density_with_the_jacobian(name, frame_models):
    est = frame_models[name]
    X = ar1(5, 1)
    expected = [frame_log_density_by_hand(est, x) for x in X]
    np.testing.assert_allclose(est.score_samples(X), expected, rtol=1e-12, atol=1e-9)


def test_rescaled_frames_give_the_same_model_less_the_jacobian(frames):
    """Scaling by 4 (exact in floating point) standardises to the same data."""
    a = rnn("gru", n_components=2, max_epochs=3).fit(frames)
    b = rnn("gru", n_components=2, max_epochs=3).fit([4.0 * x for x in frames])
    X = ar1(6, 2)
    T = np.array([len(x) for x in X])
    np.testing.assert_allclose(
        b.score_samples([4.0 * x for x in X]),
        a.score_samples(X) - T * 2 * np.log(4.0),
        rtol=0,
        atol=1e-9,
    )


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_frames_sample_lengths_and_prompts(name, frame_models, frames):
    est = frame_models[name]
    X = est.sample(4, length=7, random_state=0)
    assert [x.shape for x in X] == [(7, 2)] * 4
    X = est.sample(3, length=[2, 9, 1], random_state=0)
    assert [x.shape for x in X] == [(2, 2), (9, 2), (1, 2)]
    lengths = {len(x) for x in frames}
    X = est.sample(30, random_state=0)
    assert {len(x) for x in X} <= lengths
    assert len({len(x) for x in X}) > 1
    prompt = frames[0][:3]
    X = est.sample(4, length=8, prompt=prompt, random_state=0)
    for x in X:
        assert x.shape == (8, 2)
        np.testing.assert_array_equal(x[:3], prompt)
    assert_same_samples(
        est.sample(3, length=6, random_state=5), est.sample(3, length=6, random_state=5)
    )


def test_length_is_exact_with_a_longer_prompt(frame_models, frames):
    est = frame_models["rnn"]
    try:
        X, message = est.sample(2, length=2, prompt=frames[0][:4]), None
    except ValueError as exc:  # or a clear error naming both
        X, message = None, str(exc)
    if message is not None:
        assert "length" in message and "prompt" in message
    else:
        assert [x.shape for x in X] == [(2, 2)] * 2


def test_frames_and_tokens_do_not_mix(frame_models, long_models, frames):
    est = frame_models["rnn"]
    with pytest.raises(
        ValueError, match="fitted on continuous sequences; X holds token"
    ):
        est.score_samples([[0, 1, 2]])
    with pytest.raises(ValueError, match="fitted on token sequences; X holds continu"):
        long_models["rnn"].score_samples(frames[:2])
    for method in ("perplexity", "next_token_log_proba"):
        with pytest.raises(ValueError, match=f"{method} is defined for token seq"):
            getattr(est, method)(frames[:2])
    with pytest.raises(ValueError, match="top_k and max_length apply to token seq"):
        est.sample(2, temperature=0.5, random_state=0)
    with pytest.raises(ValueError, match="top_k and max_length apply to token seq"):
        est.sample(2, top_k=3, random_state=0)
    with pytest.raises(ValueError, match=r"length must be >= 1; got 0"):
        est.sample(2, length=0, random_state=0)
    with pytest.raises(ValueError, match=r"length must be an int or 2 ints"):
        est.sample(2, length=[3, 4, 5], random_state=0)


# ---------------------------------------------------------- persistence


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_pickle_and_skops_round_trips(name, long_models, long_tokens):
    est = long_models[name]
    X = long_tokens[:5]
    for loaded in (
        pickle.loads(pickle.dumps(est)),
        sio.loads(sio.dumps(est), trusted=trusted_types()),
    ):
        np.testing.assert_array_equal(loaded.score_samples(X), est.score_samples(X))
        assert_same_samples(
            loaded.sample(4, max_length=40, random_state=3),
            est.sample(4, max_length=40, random_state=3),
        )


def test_a_conditional_frame_model_round_trips(frames):
    y = np.arange(len(frames)) % 2
    est = transformer(n_components=2, max_epochs=2).fit(frames, y)
    loaded = sio.loads(sio.dumps(est), trusted=trusted_types())
    np.testing.assert_array_equal(
        loaded.score_samples(frames[:4], y=y[:4]),
        est.score_samples(frames[:4], y=y[:4]),
    )
    a = loaded.sample(3, y=1, length=5, random_state=0)
    b = est.sample(3, y=1, length=5, random_state=0)
    assert_same_samples(a[0], b[0])


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_an_edited_state_is_refused_before_allocating(name, long_models, monkeypatch):
    est = long_models[name]
    cls = type(est)
    built = []
    monkeypatch.setattr(cls, "_make_net", lambda *a, **k: built.append(1))

    state = est.__getstate__()
    state["symbols_"] = np.arange(est.symbols_.shape[0] + 3)  # a bigger vocabulary
    with pytest.raises(ValueError, match=r"'module' do not match its fitted state"):
        cls.__new__(cls).__setstate__(state)

    width = "hidden_size" if name == "rnn" else "d_model"
    state = est.__getstate__()
    state["_fitted_params"] = {**state["_fitted_params"], width: 10**6}
    with pytest.raises(ValueError, match=r"'module' do not match .*expected shapes"):
        cls.__new__(cls).__setstate__(state)
    assert built == []


def test_an_edited_skops_file_is_refused(long_models):
    est = long_models["rnn"]
    dumped = sio.dumps(est)

    def edit(params):
        params["hidden_size"].update(content="1000000", __id__=10**6)

    src = zipfile.ZipFile(io.BytesIO(dumped))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            if name == "schema.json":
                schema = json.loads(content)
                edit(schema["content"]["content"]["_fitted_params"]["content"])
                content = json.dumps(schema).encode()
            dst.writestr(name, content)
    with pytest.raises(ValueError, match=r"'module' do not match .*expected shapes"):
        sio.loads(out.getvalue(), trusted=trusted_types())


# --------------------------------------------------------- failed fits


@pytest.mark.parametrize("name", ["transformer", "rnn"])
def test_a_failed_fit_leaves_the_model_as_it_was(name, long_models, long_tokens):
    est = copy.deepcopy(long_models[name])
    before = joblib.hash(est)
    scores = est.score_samples(long_tokens[:3])
    with pytest.raises(TypeError, match=r"X\[1\] must contain integer token ids"):
        est.fit([[0, 1], [0.5, 2.0]])
    with pytest.raises(ValueError, match=r"one label per sample \(5\); got 2"):
        est.fit(long_tokens[:5], y=[0, 1])
    assert joblib.hash(est) == before
    bad, message = (
        ({"num_layers": 0}, "'num_layers' parameter of RNNLanguageModel must be")
        if name == "rnn"
        else ({"nhead": 3}, "d_model / nhead must be an even int")
    )
    est.set_params(**bad)
    with pytest.raises(ValueError, match=message):
        est.fit(long_tokens[:5])
    est.set_params(**{k: getattr(long_models[name], k) for k in bad})
    assert joblib.hash(est) == before
    np.testing.assert_array_equal(est.score_samples(long_tokens[:3]), scores)


# ------------------------------------------------------------------ slow


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        lambda: rnn("lstm", hidden_size=32),
        lambda: rnn("gru", hidden_size=32),
        lambda: rnn("rnn", hidden_size=32),
        lambda: transformer(d_model=32, num_layers=2, context_length=16),
    ],
    ids=["lstm", "gru", "rnn", "transformer"],
)
def test_trained_longer_the_markov_source_is_matched_closely(make):
    """8,000 sequences and 60 epochs: within 0.02 nats per event of the truth."""
    X, params = make_markov_sequences(
        10000, order=1, n_symbols=3, length=(4, 8), concentration=0.5, random_state=0
    )
    est = make().set_params(max_epochs=60, lr=5e-3, weight_decay=0.0).fit(X[:8000])
    X_test = X[8000:]
    truth = true_log_likelihood(X_test, params, (4, 8))
    gap = (truth - est.score_samples(X_test)).sum() / sum(len(x) + 1 for x in X_test)
    assert -0.01 < gap < 0.02


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "make",
    [
        lambda: rnn("lstm", embedding_dim=32, hidden_size=128),
        lambda: transformer(
            d_model=64, nhead=4, num_layers=2, dim_feedforward=128, context_length=32
        ),
    ],
    ids=["lstm", "transformer"],
)
def test_a_real_corpus_beats_a_bigram_model(make):
    """Lines of CPython's help texts, by character, against a Markov chain."""
    from skgen.datasets import load_text_corpus
    from skgen.markov import MarkovChain

    lines = [
        line
        for doc in load_text_corpus().data
        for line in doc.split("\n")
        if 20 <= len(line) <= 80
    ]
    order = np.random.RandomState(0).permutation(len(lines))
    train = [lines[i] for i in order[:4000]]
    test = [lines[i] for i in order[4000:4500]]
    chars = sum(len(s) + 1 for s in test)
    lm = make_generative_pipeline(
        CharTokenizer(),
        make().set_params(max_epochs=30, early_stopping=True, lr=3e-3),
    ).fit(train)
    bigram = make_generative_pipeline(CharTokenizer(), MarkovChain(order=1)).fit(train)
    per_char = lm.score_samples(test).sum() / chars
    assert per_char > bigram.score_samples(test).sum() / chars + 0.2
    est = lm[-1]
    tokens = lm[0].transform(test[:20])
    np.testing.assert_allclose(
        brute_force_scores(est, tokens)[0], est.score_samples(tokens), atol=1e-9
    )
    cached, _ = generate(est, 10, 120, seed=0)
    uncached, _ = generate(est, 10, 120, seed=0, cache=False)
    assert_same_samples(cached, uncached)


@pytest.mark.parametrize("make", [rnn, transformer], ids=["rnn", "transformer"])
def test_the_validation_loss_is_per_token_over_whole_sequences(
    make, long_tokens, monkeypatch
):
    """valid_loss is the held-out sequences' mean NLL per token (end included).

    With small batches of whole sequences (of different lengths), so the
    epoch's loss must weigh each batch by its tokens, not its sequences.
    """
    from skgen.neural import _lm_data

    monkeypatch.setattr(_lm_data, "STEP_BUDGET", 40)
    est = make(max_epochs=1, early_stopping=True, validation_fraction=0.3)
    est.fit(long_tokens)
    data, _ = est._prepare(long_tokens)
    _, valid = est.net_.train_split(data)
    held_out = [long_tokens[i] for i in valid.indices]
    tokens = sum(len(x) + 1 for x in held_out)
    expected = -est.score_samples(held_out).sum() / tokens
    np.testing.assert_allclose(est.net_.history[-1, "valid_loss"], expected, rtol=1e-5)


def test_requests_too_long_to_fit_fail_before_any_work():
    """A huge max_length (tokens) or length (frames) is refused at once."""
    rng = np.random.RandomState(0)
    tokens = rnn(max_epochs=1).fit([rng.randint(0, 4, size=6) for _ in range(10)])
    with pytest.raises(ValueError, match=r"max_length=1000000000\) would need"):
        tokens.sample(1, max_length=10**9, top_k=1, random_state=0)
    frames = rnn(max_epochs=1).fit([rng.randn(6, 2) for _ in range(10)])
    with pytest.raises(ValueError, match=r"length=\.\.\.\) would need"):
        frames.sample(2, length=10**9)
    with pytest.raises(ValueError, match="max_length apply to token sequences"):
        frames.sample(2, max_length=5)


@pytest.mark.parametrize("make", [rnn, transformer], ids=["rnn", "transformer"])
def test_frames_far_outside_the_data_score_minus_infinity_never_nan(make):
    rng = np.random.RandomState(0)
    est = make(max_epochs=1).fit([rng.randn(8, 2) for _ in range(10)])
    scores = est.score_samples([np.full((3, 2), 1e300), rng.randn(4, 2)])
    assert scores[0] == -np.inf and np.isfinite(scores[1])


def test_the_meta_device_is_refused_clearly():
    with pytest.raises(ValueError, match="device='meta' holds no data"):
        rnn(device="meta").fit([[0, 1, 2]] * 4)
