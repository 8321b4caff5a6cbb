"""The language models' numerical pieces against brute force.

Banded attention against an explicit mask, the training windows against a
per-step count, and the networks' ``state_shapes`` against real modules. No
model is trained here.
"""

import math

import numpy as np
import pytest
import torch

from skgen.neural import RNNLanguageModel, TransformerLanguageModel
from skgen.neural._lm_data import expected_windows, training_windows
from skgen.neural._lm_modules import RNNNet, TransformerNet, banded_attention

pytestmark = pytest.mark.usefixtures("one_torch_thread")


# ------------------------------------------------------- banded attention


def brute_force_banded_attention(q, k, v, window):
    """Attention under a T x T mask: query i sees key j iff i - window < j <= i."""
    T, d = q.shape[-2], q.shape[-1]
    i = np.arange(T)[:, None]
    j = np.arange(T)[None, :]
    allowed = (j <= i) & (j > i - window)
    qn, kn, vn = (t.numpy() for t in (q, k, v))
    scores = qn @ np.swapaxes(kn, -1, -2) / math.sqrt(d)
    scores = np.where(allowed, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=-1, keepdims=True)
    return weights @ vn


@pytest.mark.parametrize("window", [2, 3, 4, 7])
@pytest.mark.parametrize("factor", [0.5, 1.0, 1.5, 2.0, 3.0, 3.7, 6.0])
def test_banded_attention_equals_an_explicit_mask(window, factor):
    T = max(1, round(factor * window))
    gen = torch.Generator().manual_seed(T * 100 + window)
    q, k, v = (
        torch.randn(2, 3, T, 4, generator=gen, dtype=torch.float64) for _ in range(3)
    )
    got = banded_attention(q, k, v, window).numpy()
    np.testing.assert_allclose(
        got, brute_force_banded_attention(q, k, v, window), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("T", [1, 9, 10, 11, 31])
def test_banded_attention_at_and_around_the_window(T):
    window = 10
    gen = torch.Generator().manual_seed(T)
    q, k, v = (
        torch.randn(1, 2, T, 6, generator=gen, dtype=torch.float64) for _ in range(3)
    )
    np.testing.assert_allclose(
        banded_attention(q, k, v, window).numpy(),
        brute_force_banded_attention(q, k, v, window),
        rtol=0,
        atol=1e-12,
    )


def test_banded_attention_in_several_groups_of_blocks():
    """Enough rows and heads that the blocks are computed one group at a time."""
    window, rows, heads = 64, 32, 16
    assert (1 << 22) // (rows * heads * window * 2 * window) == 1  # one block a group
    T = 3 * window + 17  # four groups, the last block partial
    gen = torch.Generator().manual_seed(0)
    q, k, v = (
        torch.randn(rows, heads, T, 2, generator=gen, dtype=torch.float64)
        for _ in range(3)
    )
    got = banded_attention(q, k, v, window).numpy()
    for r in range(rows):  # row by row, to keep the T x T reference small
        np.testing.assert_allclose(
            got[r],
            brute_force_banded_attention(q[r], k[r], v[r], window),
            rtol=0,
            atol=1e-12,
        )


def test_a_window_of_one_sees_only_itself():
    gen = torch.Generator().manual_seed(1)
    q, k, v = (
        torch.randn(1, 1, 9, 4, generator=gen, dtype=torch.float64) for _ in range(3)
    )
    np.testing.assert_allclose(banded_attention(q, k, v, 1).numpy(), v.numpy())


# ------------------------------------------------------- training windows


def _check_windows(steps, window, burn_in, phase):
    seq, lo, start, stop = training_windows(steps, window, burn_in, phase)
    predicted = [np.zeros(n, dtype=np.int64) for n in steps]
    for s, a, b, c in zip(seq, lo, start, stop, strict=True):
        assert 0 <= a <= b < c <= steps[s], (s, a, b, c)
        assert c - a <= window
        assert a == max(b - burn_in, 0)
        predicted[s][b:c] += 1
    for s, counts in enumerate(predicted):
        # every step of every sequence is predicted exactly once
        np.testing.assert_array_equal(counts, 1, err_msg=f"sequence {s}")
    # a sequence that fits the window is one window, from its start
    short = np.flatnonzero(steps <= window)
    np.testing.assert_array_equal(np.bincount(seq, minlength=len(steps))[short], 1)
    first = np.flatnonzero(np.r_[True, np.diff(seq) != 0])
    np.testing.assert_array_equal(start[first], 0)
    long = steps[seq[first]] > window
    np.testing.assert_array_equal(
        stop[first][long], np.minimum(phase, steps)[seq[first]][long]
    )
    return seq


@pytest.mark.parametrize("window", [2, 3, 4, 8, 13])
def test_training_windows_tile_every_sequence_once(window):
    rng = np.random.RandomState(window)
    burn_in = window // 4
    for _ in range(30):
        steps = rng.randint(1, 6 * window, size=rng.randint(1, 12))
        phase = rng.randint(1, window + 1, size=steps.shape[0])
        _check_windows(steps, window, burn_in, phase)


def test_training_windows_with_other_burn_ins():
    rng = np.random.RandomState(0)
    for window, burn_in in [(5, 0), (5, 4), (6, 3), (2, 1)]:
        for _ in range(20):
            steps = rng.randint(1, 40, size=8)
            phase = rng.randint(1, window + 1, size=8)
            _check_windows(steps, window, burn_in, phase)


@pytest.mark.parametrize("window", [4, 8, 16])
def test_expected_windows_is_the_mean_over_phases(window):
    burn_in = window // 4
    steps = np.arange(1, 10 * window)
    counts = np.zeros(steps.shape[0])
    for p in range(1, window + 1):
        seq = training_windows(steps, window, burn_in, np.full(steps.shape[0], p))[0]
        counts += np.bincount(seq, minlength=steps.shape[0])
    mean = counts / window
    expected = expected_windows(steps, window, burn_in)
    # per sequence the rule differs from the mean by less than one window
    per_sequence = np.array(
        [expected_windows(steps[i : i + 1], window, burn_in) for i in range(len(steps))]
    )
    assert np.all(np.abs(per_sequence - mean) < 1)
    assert per_sequence.sum() == expected
    assert abs(expected - mean.sum()) / mean.sum() < 0.05


# ------------------------------------------------------------ state shapes


RNN_ARGS = [
    {"cell": cell, "embedding_dim": 5, "hidden_size": 7, "num_layers": n, "dropout": 0}
    for cell in ("lstm", "gru", "rnn")
    for n in (1, 2)
]
TRANSFORMER_ARGS = [
    {
        "d_model": 8,
        "nhead": h,
        "num_layers": n,
        "dim_feedforward": 12,
        "dropout": 0,
        "context_length": 4,
    }
    for h in (1, 2)
    for n in (1, 3)
]
ENDS = [
    {"n_inputs": 6, "n_outcomes": 6},
    {"n_inputs": 6, "n_outcomes": 6, "n_classes": 3},
    {"n_features": 2, "n_components": 3},
    {"n_features": 3, "n_components": 1, "n_classes": 2},
]


@pytest.mark.parametrize("ends", ENDS)
@pytest.mark.parametrize(
    ("net", "body"),
    [(RNNNet, a) for a in RNN_ARGS] + [(TransformerNet, a) for a in TRANSFORMER_ARGS],
)
def test_state_shapes_are_the_real_modules(net, body, ends):
    kwargs = {**body, **ends}
    real = {k: tuple(v.shape) for k, v in net(**kwargs).state_dict().items()}
    assert net.state_shapes(**kwargs) == real


def test_a_huge_state_is_sized_without_allocating():
    kwargs = {**RNN_ARGS[0], "hidden_size": 10**6, "n_inputs": 6, "n_outcomes": 6}
    shapes = RNNNet.state_shapes(**kwargs)  # 16e12 floats if it were real
    assert shapes["rnn.weight_hh_l0"] == (4 * 10**6, 10**6)
    big = {**TRANSFORMER_ARGS[0], "d_model": 10**6, "nhead": 2, **ENDS[0]}
    assert TransformerNet.state_shapes(**big)["blocks.0.qkv.weight"] == (
        3 * 10**6,
        10**6,
    )


@pytest.mark.parametrize(
    "est",
    [
        RNNLanguageModel(hidden_size=10**6, num_layers=1, max_epochs=1),
        TransformerLanguageModel(d_model=10**6, nhead=2, num_layers=1, max_epochs=1),
    ],
    ids=["rnn", "transformer"],
)
def test_fit_refuses_a_network_too_big_for_memory(est, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("the net was built")

    monkeypatch.setattr(type(est), "_make_net", no_training)
    with pytest.raises(ValueError, match=r"with [\d,]+ parameters would need about"):
        est.fit([[0, 1, 2, 1]] * 4)


@pytest.mark.parametrize(
    ("d_model", "nhead"), [(12, 4), (10, 4), (6, 6), (9, 3), (8, 3)]
)
def test_d_model_over_nhead_must_be_an_even_int(d_model, nhead):
    est = TransformerLanguageModel(
        d_model=d_model, nhead=nhead, num_layers=1, dim_feedforward=4, max_epochs=1
    )
    message = (
        rf"d_model / nhead must be an even int .*got d_model={d_model}, "
        rf"nhead={nhead}\."
    )
    with pytest.raises(ValueError, match=message):
        est.fit([[0, 1, 2]] * 4)


def test_sequence_batches_group_greedily_under_the_step_budget():
    """Sorted by length; each batch is as large as the budget allows."""
    from skgen.neural._lm_data import SequenceDataset, sequence_batches

    rng = np.random.RandomState(0)
    for _ in range(50):
        steps = rng.randint(1, 40, size=rng.randint(1, 60))
        offsets = np.concatenate([[0], np.cumsum(steps)])
        data = SequenceDataset(
            np.zeros(offsets[-1], np.int64), np.zeros(offsets[-1], np.int64), offsets
        )
        budget = int(rng.randint(1, 200))
        batches = [m for m, _ in sequence_batches(data, budget=budget)]
        order = np.concatenate(batches)
        assert sorted(order.tolist()) == list(range(len(steps)))
        assert np.all(np.diff(steps[order]) >= 0)
        for i, m in enumerate(batches):
            longest = steps[m].max()
            assert len(m) == 1 or len(m) * longest <= budget
            if i + 1 < len(batches):  # the next sequence would not have fitted
                nxt = batches[i + 1][0]
                assert (len(m) + 1) * steps[nxt] > budget
