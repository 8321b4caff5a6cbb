"""Numerical and behavioural tests of MarkovChain.

Agreement with a dict-based oracle lives in ``test_reference.py``.
"""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.model_selection import GridSearchCV, KFold

from skgen.markov import MarkovChain


def _random_corpus(seed, n=40, n_symbols=4, max_len=12):
    rng = np.random.RandomState(seed)
    return [rng.randint(0, n_symbols, size=rng.randint(0, max_len)) for _ in range(n)]


def _counts(X, order):
    """Event counts by hand: context tuple -> Counter of next symbols."""
    from collections import Counter, defaultdict

    table = defaultdict(Counter)
    for seq in X:
        padded = [-1] * order + list(seq) + [-2]
        for t in range(order, len(padded)):
            table[tuple(padded[t - order : t])][padded[t]] += 1
    return table


@pytest.mark.parametrize("order", [1, 2])
def test_no_smoothing_equals_normalised_counts(order):
    X = _random_corpus(0)
    mc = MarkovChain(order=order, smoothing="additive", alpha=0.0).fit(X)
    table = _counts(X, order)
    contexts = np.array(list(table), dtype=np.int64).reshape(-1, order)
    P = np.exp(mc.next_token_log_proba(contexts))
    columns = {int(t): i for i, t in enumerate(mc.symbols_)}
    columns[-2] = len(mc.symbols_) + 1
    for row, ctx in enumerate(table):
        total = sum(table[ctx].values())
        expected = np.zeros(P.shape[1])
        for w, c in table[ctx].items():
            expected[columns[w]] = c / total
        np.testing.assert_allclose(P[row], expected, atol=1e-15)


@pytest.mark.parametrize("smoothing", ["kneser-ney", "additive"])
@pytest.mark.parametrize("order", [0, 1, 3])
def test_sequence_probabilities_sum_to_one(smoothing, order):
    """Summed over all sequences up to a length, the mass approaches 1."""
    X = [[0, 1, 1], [1], [0, 0, 1, 0], []]
    mc = MarkovChain(order=order, smoothing=smoothing, alpha=0.7).fit(X)
    # Exact enumeration over the known tokens plus one unseen token (UNK).
    alphabet = [0, 1, 9]
    total, frontier = 0.0, [[]]
    for _ in range(9):
        total += np.exp(mc.score_samples(frontier)).sum()
        frontier = [[*s, a] for s in frontier for a in alphabet]
    # Remaining mass is the probability of not having ended after 8 tokens.
    assert 0.5 < total <= 1.0 + 1e-12
    long = np.exp(mc.score_samples(frontier)).sum()
    assert total + long <= 1.0 + 1e-12


def test_empty_sequence_is_the_probability_of_ending_at_once():
    X = [[0, 1], [], [1, 1, 0]]
    mc = MarkovChain(order=2, smoothing="additive", alpha=1.0).fit(X)
    end = np.exp(mc.next_token_log_proba([[-1, -1]]))[0, -1]
    np.testing.assert_allclose(mc.score_samples([[]]), [np.log(end)])
    np.testing.assert_allclose(end, (1 + 1) / (3 + 1 * 4))


def test_unseen_tokens_get_the_unknown_probability():
    X = [[0, 1, 2], [2, 1, 0]]
    mc = MarkovChain(order=1, smoothing="additive", alpha=1.0).fit(X)
    a, b = mc.score_samples([[0, 7], [0, 8]])
    assert np.isfinite(a) and a == b  # every unseen token is the same <unk>
    P = np.exp(mc.next_token_log_proba([[0]]))[0]
    # after 0: counts {1: 1, end: 1}, outcomes {0, 1, 2, unk, end}
    np.testing.assert_allclose(P, np.array([1, 2, 1, 1, 2]) / 7)
    # an unseen context gives the uniform distribution
    np.testing.assert_allclose(np.exp(mc.next_token_log_proba([[42]]))[0], 1 / 5)


@pytest.mark.parametrize("smoothing", ["kneser-ney", "additive"])
def test_partial_fit_on_halves_equals_fit_on_whole(smoothing):
    X = _random_corpus(1, n=60)
    X[40] = X[40] + 7  # a token that only the second half has
    whole = MarkovChain(order=2, smoothing=smoothing).fit(X)
    halves = MarkovChain(order=2, smoothing=smoothing)
    halves.partial_fit(X[:30]).partial_fit(X[30:])
    np.testing.assert_array_equal(whole.symbols_, halves.symbols_)
    test = _random_corpus(2, n=10, n_symbols=9)
    np.testing.assert_allclose(whole.score_samples(test), halves.score_samples(test))
    if smoothing == "kneser-ney":
        np.testing.assert_array_equal(whole.discounts_, halves.discounts_)


def test_partial_fit_with_classes_equals_fit():
    X = _random_corpus(3, n=40)
    y = np.array(["a", "b"] * 20)
    y[:5] = "c"
    whole = MarkovChain(order=1).fit(X, y)
    halves = (
        MarkovChain(order=1).partial_fit(X[20:], y[20:]).partial_fit(X[:20], y[:20])
    )
    np.testing.assert_array_equal(whole.classes_, halves.classes_)
    np.testing.assert_array_equal(whole.class_count_, halves.class_count_)
    np.testing.assert_allclose(whole.predict_proba(X), halves.predict_proba(X))
    with pytest.raises(ValueError, match="given y in every call or in none"):
        halves.partial_fit(X)


def test_sampled_transitions_match_the_model():
    """Long sampled runs follow the transition probabilities (chi-square)."""
    rng = np.random.RandomState(0)
    P = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.3, 0.3, 0.4]])
    seq = [0]
    for _ in range(3000):
        seq.append(rng.choice(3, p=P[seq[-1]]))
    mc = MarkovChain(order=1, smoothing="kneser-ney").fit([seq])
    samples = mc.sample(200, max_length=200, random_state=1)
    pairs = np.concatenate([np.stack([s[:-1], s[1:]], axis=1) for s in samples])
    model = np.exp(mc.next_token_log_proba([[0], [1], [2]]))
    for i in range(3):
        observed = np.bincount(pairs[pairs[:, 0] == i, 1], minlength=3)
        # sampling conditions on a known token or the end; given that the
        # sequence continues, the next token follows the renormalised row
        expected_p = model[i, :3] / model[i, :3].sum()
        _, p = stats.chisquare(observed, observed.sum() * expected_p)
        assert p > 1e-3
    # the end of sequences follows the end probability of the model
    lengths = np.array([len(s) for s in samples])
    assert np.all(lengths <= 200)


def test_sample_is_vectorised_and_respects_max_length():
    mc = MarkovChain(order=2).fit(_random_corpus(4))
    X = mc.sample(500, max_length=5, random_state=0)
    assert len(X) == 500 and max(len(s) for s in X) <= 5
    assert set(np.concatenate(X)) <= set(mc.symbols_)
    with pytest.raises(ValueError, match="max_length must be >= 0; got -1"):
        mc.sample(2, max_length=-1)


def test_transition_matrix_and_stationary_distribution():
    X = [[0, 1, 2, 0, 1, 2, 2, 0]] * 5
    mc = MarkovChain(order=1, smoothing="additive", alpha=0.0).fit(X)
    T = mc.transition_matrix_
    np.testing.assert_allclose(T.sum(axis=1), 1.0)
    # after 2: next is 0 (x5... counts 2->0: 10, 2->2: 5), never 1
    np.testing.assert_allclose(T[2], [10 / 15, 0, 5 / 15])
    pi = mc.stationary_distribution_
    np.testing.assert_allclose(pi @ T, pi, atol=1e-12)
    np.testing.assert_allclose(pi.sum(), 1.0)
    with pytest.raises(AttributeError, match="order=1 chains"):
        _ = MarkovChain(order=2).fit(X).transition_matrix_


def test_grid_search_ranks_true_order():
    """The true order wins (or ties within noise); lower orders lose clearly."""
    from skgen.datasets import make_markov_sequences

    X, _ = make_markov_sequences(
        400, order=2, n_symbols=4, length=(20, 40), concentration=0.3, random_state=0
    )
    search = GridSearchCV(
        MarkovChain(),
        {"order": [0, 1, 2, 3, 4]},
        cv=KFold(5, shuffle=True, random_state=0),
    ).fit(X)
    mean = search.cv_results_["mean_test_score"]
    std = search.cv_results_["std_test_score"]
    assert search.best_params_["order"] in (2, 3)
    assert mean[2] >= mean.max() - 2 * std[2]
    assert mean[1] < mean[2] - 5 * std[2]
    assert mean[0] < mean[1]


def test_classifies_sequences_by_bayes_rule():
    rng = np.random.RandomState(0)
    a = [rng.choice(3, size=20, p=[0.8, 0.1, 0.1]) for _ in range(50)]
    b = [rng.choice(3, size=20, p=[0.1, 0.1, 0.8]) for _ in range(30)]
    X, y = a + b, np.array(["a"] * 50 + ["b"] * 30)
    mc = MarkovChain(order=1).fit(X, y)
    np.testing.assert_allclose(np.exp(mc.class_log_prior_), [50 / 80, 30 / 80])
    assert (mc.predict(X) == y).mean() > 0.95
    # Bayes' rule by hand from the class-conditional chains
    chains = [
        MarkovChain(order=1).fit([x for x, c in zip(X, y, strict=True) if c == k])
        for k in "ab"
    ]
    # the shared vocabulary makes the class chains equal to separate fits here
    ll = np.stack([c.score_samples(X) for c in chains], axis=1)
    joint = ll + mc.class_log_prior_
    expected = np.exp(joint - np.logaddexp.reduce(joint, axis=1, keepdims=True))
    np.testing.assert_allclose(mc.predict_proba(X), expected, rtol=1e-10)
    np.testing.assert_allclose(
        mc.score_samples(X), np.logaddexp.reduce(joint, axis=1), rtol=1e-12
    )
    np.testing.assert_allclose(
        mc.score_samples(X, y), joint[np.arange(80), (y == "b").astype(int)]
    )
    Xs, ys = mc.sample(40, y="b", random_state=0)
    assert np.all(ys == "b") and np.mean(np.concatenate(Xs) == 2) > 0.6
    with pytest.raises(ValueError, match="labels not seen in fit"):
        mc.sample(3, y="zzz")
    unconditional = MarkovChain().fit(X)
    assert not hasattr(unconditional, "predict_proba")
    with pytest.raises(AttributeError) as info:
        unconditional.predict(X)
    assert "fitted without y" in str(info.value)


def test_perplexity_counts_the_end_symbol():
    X = [[0, 1, 0], [1, 1]]
    mc = MarkovChain(order=1).fit(X)
    expected = np.exp(-mc.score_samples(X).sum() / (5 + 2))
    np.testing.assert_allclose(mc.perplexity(X), expected)


def test_equal_length_2d_array_equals_list():
    X = np.array([[0, 1, 2], [2, 1, 0], [1, 1, 1]])
    a = MarkovChain(order=2).fit(X)
    b = MarkovChain(order=2).fit([list(r) for r in X])
    np.testing.assert_array_equal(a.score_samples(X), b.score_samples(list(X)))


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        ([], ValueError, "X holds no sequences"),
        (np.zeros((0, 3), dtype=int), ValueError, "X holds no sequences"),
        (
            [[0.5, 1.0]],
            TypeError,
            r"X\[0\] must contain integer token ids >= 0; got floats",
        ),
        ([[1, np.nan]], ValueError, "contains NaN"),
        ([[1, -2]], ValueError, "integer token ids >= 0; got -2"),
        (np.zeros((2, 2, 2), dtype=int), ValueError, "must be 2-D"),
        ([[[1, 2]], [[3, 4]]], ValueError, r"X\[0\] must be a 1-D sequence"),
        ("abc", TypeError, "got a single str"),
        (np.array(["ab", "cd"]), TypeError, "holds strings"),
        ([[1, "a"]], TypeError, "non-numeric"),
        ([[1], ["a", "b"]], TypeError, r"X\[1\] must contain integer"),
        ([[True, False]], TypeError, "booleans"),
        (5, TypeError, "must be a list of integer sequences; got int"),
        (
            [np.array([2**64 - 1], dtype=np.uint64)],
            ValueError,
            r"X\[0\] must contain integer token ids <= 2\*\*63 - 1; got "
            "18446744073709551615",
        ),
        (
            np.array([[1, 2**64 - 1]], dtype=np.uint64),
            ValueError,
            r"X must contain integer token ids <= 2\*\*63 - 1; got 1844674407370955",
        ),
        (
            [[1, 2**70]],
            ValueError,
            r"ids in \[0, 2\*\*63 - 1\]; got 1180591620717411303424",
        ),
    ],
)
def test_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        MarkovChain().fit(X)
    fitted = MarkovChain().fit([[0, 1]])
    with pytest.raises(error, match=match):
        fitted.score_samples(X)


def test_parameter_validation():
    with pytest.raises(ValueError, match="'order' parameter of MarkovChain must be"):
        MarkovChain(order=-1).fit([[0]])
    with pytest.raises(ValueError, match="'smoothing' parameter"):
        MarkovChain(smoothing="witten-bell").fit([[0]])
    with pytest.raises(ValueError, match="'discount' parameter"):
        MarkovChain(discount=1.5).fit([[0]])


def test_set_params_after_fit_changes_nothing_until_refit():
    X = _random_corpus(5)
    mc = MarkovChain(order=2).fit(X)
    test = _random_corpus(6, n=10, n_symbols=6)
    ll, samples = mc.score_samples(test), mc.sample(20, random_state=0)
    proba = mc.next_token_log_proba([[-1, 0], [1, 2]])
    mc.set_params(order=5, smoothing="additive", alpha=0.3, discount=0.5)
    np.testing.assert_array_equal(mc.score_samples(test), ll)
    for a, b in zip(mc.sample(20, random_state=0), samples, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(mc.next_token_log_proba([[-1, 0], [1, 2]]), proba)
    assert mc.order_ == 2 and mc.ngrams_[0].shape[1] == 3
    # partial_fit is a fit: a changed order cannot reuse the counts
    with pytest.raises(ValueError, match="order was changed to 5 after fitting"):
        mc.partial_fit([[2, 1, 0]])
    np.testing.assert_array_equal(mc.score_samples(test), ll)  # nothing lost
    # partial_fit with new smoothing rebuilds from the same counts
    mc.set_params(order=2).partial_fit([[2, 1, 0]])
    ref = MarkovChain(order=2, smoothing="additive", alpha=0.3).fit([*X, [2, 1, 0]])
    np.testing.assert_allclose(mc.score_samples(test), ref.score_samples(test))
    # the next fit uses the new parameters
    assert mc.set_params(order=5).fit(X).order_ == 5


def test_next_token_log_proba_validation():
    mc = MarkovChain(order=2).fit([[0, 1, 2]])
    with pytest.raises(ValueError, match="fitted without y"):
        mc.next_token_log_proba([[0, 1]], y=1)
    with pytest.raises(
        ValueError, match=r"shape \(n_contexts, 2\); got shape \(1, 3\)"
    ):
        mc.next_token_log_proba([[0, 1, 2]])
    with pytest.raises(ValueError, match="-1 \\(start\\); got -5"):
        mc.next_token_log_proba([[0, -5]])


def test_large_token_ids_and_high_order():
    """Codes never overflow: huge ids and an order whose codes exceed int64."""
    rng = np.random.RandomState(0)
    X = [rng.randint(0, 50, size=30) * 10**12 for _ in range(20)]
    mc = MarkovChain(order=12).fit(X)
    ll = mc.score_samples(X)
    assert np.all(np.isfinite(ll))
    small = MarkovChain(order=12).fit([x // 10**12 for x in X])
    np.testing.assert_allclose(ll, small.score_samples([x // 10**12 for x in X]))


def test_vocabulary_is_the_deprecated_name_of_symbols():
    mc = MarkovChain(order=1).fit([[5, 3], [3, 9]])
    assert mc.symbols_.tolist() == [3, 5, 9]
    assert "vocabulary_" not in vars(mc)
    with pytest.warns(FutureWarning, match="renamed symbols_ .* removed in a later"):
        assert mc.vocabulary_ is mc.symbols_
    with pytest.raises(AttributeError, match="vocabulary_"):
        mc.vocabulary_ = mc.symbols_  # read-only


def test_the_deprecated_name_before_fit_is_not_fitted_and_does_not_warn():
    from sklearn.exceptions import NotFittedError

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not hasattr(MarkovChain(), "vocabulary_")
        with pytest.raises(NotFittedError):
            MarkovChain().vocabulary_  # noqa: B018


@pytest.mark.parametrize("library", ["pickle", "skops"])
def test_a_chain_saved_as_vocabulary_loads_as_symbols(library, monkeypatch):
    """A chain saved before the rename (its symbols in ``vocabulary_``) loads."""
    import pickle

    from skgen.utils import trusted_types

    sio = pytest.importorskip("skops.io") if library == "skops" else None
    X = _random_corpus(5)
    mc = MarkovChain(order=2).fit(X)

    def old_state(self):
        state = dict(vars(self))
        state["vocabulary_"] = state.pop("symbols_")
        return state

    with monkeypatch.context() as patch:
        patch.setattr(MarkovChain, "__getstate__", old_state)
        saved = pickle.dumps(mc) if sio is None else sio.dumps(mc)
    loaded = (
        pickle.loads(saved)
        if sio is None
        else sio.loads(saved, trusted=trusted_types())
    )
    assert "vocabulary_" not in vars(loaded)
    np.testing.assert_array_equal(loaded.symbols_, mc.symbols_)
    np.testing.assert_array_equal(loaded.score_samples(X), mc.score_samples(X))
