"""copy_rate against a brute-force oracle, including forced hash collisions."""

import numpy as np
import pytest

from skgen.metrics import _copying, copy_rate

_true_hashes = _copying._window_hashes


def _windows(seq, length):
    seq = seq if isinstance(seq, str) else tuple(int(t) for t in seq)
    return [seq[i : i + length] for i in range(len(seq) - length + 1)]


def brute_force(samples, X_train, length):
    """For each sample, whether any of its windows is a training window."""
    train_windows = [w for seq in X_train for w in _windows(seq, length)]
    return np.array(
        [any(w in train_windows for w in _windows(s, length)) for s in samples],
        dtype=bool,
    )


def _random_case(rng, kind):
    """Small alphabet, short ragged sequences: many hits and near misses."""
    alphabet = int(rng.integers(1, 4))
    length = int(rng.integers(1, 7))
    n_train, n_samples = rng.integers(1, 6, size=2)

    def seqs(n, max_len):
        out = [
            rng.integers(0, alphabet, size=rng.integers(0, max_len)) for _ in range(n)
        ]
        if kind == "str":
            return ["".join("xyz"[t] for t in s) for s in out]
        return out

    train, samples = seqs(n_train, 20), seqs(n_samples, 12)
    # plant some exact copies and copies with one token changed
    for i in range(len(samples)):
        src = train[int(rng.integers(len(train)))]
        if len(src) and rng.random() < 0.4:
            a = int(rng.integers(len(src)))
            piece = src[a : a + int(rng.integers(1, 10))]
            if kind == "str":
                samples[i] = piece
            else:
                samples[i] = np.array(piece)
                if rng.random() < 0.5 and len(piece):
                    samples[i][-1] = (samples[i][-1] + 1) % alphabet
    return samples, train, length


@pytest.mark.parametrize("kind", ["str", "tokens"])
def test_matches_brute_force_on_random_cases(kind):
    rng = np.random.default_rng(0)
    for _ in range(150):
        samples, train, length = _random_case(rng, kind)
        expected = brute_force(samples, train, length)
        rate, matched = copy_rate(
            samples, train, min_length=length, return_matches=True
        )
        np.testing.assert_array_equal(matched, expected)
        assert rate == pytest.approx(expected.mean())
        assert isinstance(rate, float) and 0 <= rate <= 1


def test_matches_brute_force_on_2d_arrays():
    rng = np.random.default_rng(1)
    for _ in range(50):
        length = int(rng.integers(1, 6))
        train = rng.integers(0, 2, size=(int(rng.integers(1, 5)), 9))
        samples = rng.integers(0, 2, size=(int(rng.integers(1, 5)), 7))
        expected = brute_force(samples, train, length)
        _, matched = copy_rate(samples, train, min_length=length, return_matches=True)
        np.testing.assert_array_equal(matched, expected)
        # the same sequences as ragged lists give the same answer
        _, as_lists = copy_rate(
            list(samples), list(train), min_length=length, return_matches=True
        )
        np.testing.assert_array_equal(as_lists, expected)


def test_min_length_one_is_any_shared_token():
    _, matched = copy_rate(["ab", "cd", ""], ["xxb"], min_length=1, return_matches=True)
    np.testing.assert_array_equal(matched, [True, False, False])


def test_a_sample_identical_to_a_training_sequence_copies():
    train = ["hello world", "goodbye"]
    assert copy_rate(["goodbye"], train, min_length=7) == 1.0
    assert copy_rate(["goodbye"], train, min_length=8) == 0.0  # too short
    tokens = [np.arange(30), np.arange(5)]
    assert copy_rate([np.arange(30)], tokens, min_length=30) == 1.0


def test_a_copy_straddling_two_training_sequences_does_not_count():
    train = ["abcde", "fghij"]
    assert copy_rate(["cdefg"], train, min_length=5) == 0.0
    assert copy_rate(["cdefg"], train, min_length=3) == 1.0  # "cde" or "fgh"
    train_tokens = [[1, 2, 3], [4, 5, 6]]
    assert copy_rate([[2, 3, 4, 5]], train_tokens, min_length=4) == 0.0
    # nor does a sample run straddling two samples
    assert copy_rate(["abc", "de"], ["abcde"], min_length=4) == 0.0


def test_short_sequences_copy_nothing():
    rate, matched = copy_rate(
        ["abc", "abcdef"], ["abcdef", "ab"], min_length=4, return_matches=True
    )
    assert rate == 0.5
    np.testing.assert_array_equal(matched, [False, True])
    # no training sequence is long enough
    assert copy_rate(["abcdef"], ["abc", "def"], min_length=4) == 0.0


def test_strings_compare_code_points():
    train = ["caf\u00e9 \U0001f600 ok"]
    assert copy_rate(["x\u00e9 \U0001f600 y"], train, min_length=3) == 1.0
    # "e" + combining accent is a different code point sequence
    assert copy_rate(["cafe\u0301"], train, min_length=4) == 0.0
    assert copy_rate(np.array(["caf\u00e9 \U0001f600"]), train, min_length=6) == 1.0


def test_large_token_ids():
    big = 2**63 - 1
    train = [np.array([big, 0, big - 1, 7])]
    assert copy_rate([[9, big, 0, big - 1]], train, min_length=3) == 1.0
    assert copy_rate([[9, big, 0, big]], train, min_length=3) == 0.0


@pytest.mark.parametrize("kind", ["str", "tokens"])
@pytest.mark.parametrize(
    "fake_hash",
    [
        lambda tokens, length: np.zeros(
            max(tokens.shape[0] - length + 1, 0), np.uint64
        ),
        lambda tokens, length: _true_hashes(tokens, length) % np.uint64(3),
    ],
    ids=["constant", "three-buckets"],
)
def test_hash_collisions_give_no_false_positives(monkeypatch, kind, fake_hash):
    # every window collides with every other (or with a third of them):
    # only the token-by-token check can tell copies from the rest
    monkeypatch.setattr(_copying, "_window_hashes", fake_hash)
    monkeypatch.setattr(_copying, "_VERIFY_CHUNK", 16)  # many small rounds
    rng = np.random.default_rng(2)
    for _ in range(60):
        samples, train, length = _random_case(rng, kind)
        _, matched = copy_rate(samples, train, min_length=length, return_matches=True)
        np.testing.assert_array_equal(matched, brute_force(samples, train, length))
    assert copy_rate(["abab"], ["baba"], min_length=4) == 0.0


def test_window_hashes_are_the_polynomial_across_chunks(monkeypatch):
    monkeypatch.setattr(_copying, "_HASH_CHUNK", 7)
    rng = np.random.default_rng(3)
    tokens = rng.integers(0, 2**63 - 1, size=40, dtype=np.int64)
    for length in (1, 3, 7, 8, 40, 41):
        hashes = _copying._window_hashes(tokens, length)
        expected = [
            sum(int(t) * _copying._BASE**j for j, t in enumerate(w)) % 2**64
            for w in _windows(tokens, length)
        ]
        assert hashes.tolist() == expected


def test_bad_inputs():
    with pytest.raises(ValueError, match="samples holds no sequences"):
        copy_rate([], ["abc"])
    with pytest.raises(ValueError, match="X_train holds no sequences"):
        copy_rate(["abc"], [])
    with pytest.raises(TypeError, match="got strings for samples and token"):
        copy_rate(["abc"], [[1, 2, 3]])
    with pytest.raises(TypeError, match="got token sequences for samples and str"):
        copy_rate([[1, 2, 3]], ["abc"])
    with pytest.raises(TypeError, match="samples mixes strings and other"):
        copy_rate(["abc", [1, 2]], ["abc"])
    with pytest.raises(TypeError, match=r"X_train must be a list of strings.*single"):
        copy_rate(["abc"], "abc")
    with pytest.raises(TypeError, match="samples is a one-shot iterator"):
        copy_rate(iter(["abc"]), ["abc"])
    with pytest.raises(TypeError, match=r"samples must be a list.*got int"):
        copy_rate(3, ["abc"])
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError, match=f"'min_length'.*Got {bad} instead"):
            copy_rate(["abc"], ["abc"], min_length=bad)
    with pytest.raises(ValueError, match="'return_matches'"):
        copy_rate(["abc"], ["abc"], return_matches=1)
    with pytest.raises(ValueError, match="samples\\[0\\] contains NaN"):
        copy_rate([np.array([1.0, np.nan])], [[1, 2]])
    with pytest.raises(TypeError, match="X_train\\[1\\] must contain integer"):
        copy_rate([[1, 2]], [[1, 2], [0.5, 1.0]])
    with pytest.raises(ValueError, match=r"non-negative|>= 0"):
        copy_rate([[1, -2]], [[1, 2]])
