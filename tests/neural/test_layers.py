"""Generic torch pieces: the Gumbel-softmax output head, the batch iterator."""

import numpy as np
import pytest
import torch
from scipy import stats

from skgen.neural._engine import seeded
from skgen.neural._layers import BatchIterator, GumbelHead

BLOCKS = [
    ("numeric", 0, 2),
    ("categorical", 2, 5),
    ("binary", 5, 7),
    ("constant", 7, 8),
    ("categorical", 8, 10),
]
LOGITS = torch.tensor([0.7, -1.2, 2.0, 0.0, -1.0, 1.5, -0.5, 3.0, 0.3, -0.3])


def raw(n_rows):
    return LOGITS.repeat(n_rows, 1)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.parametrize("hard", [True, False])
def test_head_maps_each_kind_of_block(hard):
    with seeded(0):
        x = GumbelHead(BLOCKS, hard=hard)(raw(500))
    assert x.shape == (500, 10)
    assert torch.equal(x[:, :2], raw(500)[:, :2])  # numeric as given
    assert torch.all(x[:, 7] == 0)  # constant
    for a, b in [(2, 5), (8, 10)]:
        assert torch.allclose(x[:, a:b].sum(-1), torch.ones(500))
    binary = x[:, 5:7]
    assert torch.all((binary >= 0) & (binary <= 1))
    if hard:
        for a, b in [(2, 5), (8, 10)]:
            assert set(x[:, a:b].unique().tolist()) == {0.0, 1.0}
        assert set(binary.unique().tolist()) == {0.0, 1.0}
    else:
        assert not set(x[:, 2:5].unique().tolist()) <= {0.0, 1.0}


def test_gradients_reach_the_raw_output_through_the_straight_through_estimator():
    out = raw(64).requires_grad_(True)
    with seeded(0):
        x = GumbelHead(BLOCKS, hard=True)(out)
    weights = torch.arange(1.0, 11.0)
    (x * weights).sum().backward()
    grad = out.grad.abs().sum(0)
    assert torch.all(grad[[0, 1, 2, 3, 4, 5, 6, 8, 9]] > 0)
    assert grad[7] == 0  # the constant column does not depend on the output


def chi_square_p(counts, probs):
    return stats.chisquare(counts, counts.sum() * probs / probs.sum()).pvalue


@pytest.mark.parametrize("draw", ["sample", "forward"])
def test_category_and_binary_frequencies_match_the_logits(draw):
    """Both exact sampling and hard Gumbel-softmax draw softmax(logits)."""
    n = 20_000
    head = GumbelHead(BLOCKS)
    if draw == "sample":
        x = head.sample(raw(n), torch.Generator().manual_seed(0))
    else:
        with seeded(0):
            x = head(raw(n)).detach()
    for a, b in [(2, 5), (8, 10)]:
        probs = torch.softmax(LOGITS[a:b], -1).double().numpy()
        counts = x[:, a:b].sum(0).double().numpy()
        assert counts.sum() == n  # one category per row
        assert chi_square_p(counts, probs) > 1e-3
    p = torch.sigmoid(LOGITS[5:7]).double().numpy()
    mean = x[:, 5:7].double().mean(0).numpy()
    assert np.all(np.abs(mean - p) < 4 * np.sqrt(p * (1 - p) / n))  # 4 SE


def test_sample_gives_valid_rows_and_the_same_draws_for_the_same_seed():
    head = GumbelHead(BLOCKS)
    first = head.sample(raw(200), torch.Generator().manual_seed(3))
    again = head.sample(raw(200), torch.Generator().manual_seed(3))
    other = head.sample(raw(200), torch.Generator().manual_seed(4))
    assert torch.equal(first, again) and not torch.equal(first, other)
    assert torch.equal(first[:, :2], raw(200)[:, :2])
    assert torch.all(first[:, 7] == 0)
    for a, b in [(2, 5), (8, 10)]:
        assert torch.equal(first[:, a:b].sum(-1), torch.ones(200))
    with seeded(3):
        soft = head(raw(200))
    with seeded(3):
        assert torch.equal(head(raw(200)), soft)


@pytest.mark.parametrize(
    ("blocks", "match"),
    [
        ([("numeric", 1, 2)], r"blocks\[0\] = \('numeric', 1, 2\) should start at 0"),
        (
            [("numeric", 0, 2), ("binary", 3, 4)],
            r"blocks\[1\] = \('binary', 3, 4\) should start at 2",
        ),
        (
            [("numeric", 0, 2), ("binary", 1, 4)],
            r"blocks\[1\] = \('binary', 1, 4\) should start at 2",
        ),
        ([("categorical", 0, 0)], r"blocks\[0\] = \('categorical', 0, 0\)"),
        ([("ordinal", 0, 2)], r"blocks\[0\] has kind 'ordinal'"),
        ([], "at least one block; got"),
    ],
)
def test_blocks_that_do_not_tile_are_refused(blocks, match):
    with pytest.raises(ValueError, match=match):
        GumbelHead(blocks)


def test_head_refuses_an_output_of_another_width_and_a_bad_tau():
    head = GumbelHead(BLOCKS)
    with pytest.raises(ValueError, match="has 9 columns; the blocks tile 10"):
        head(torch.zeros(3, 9))
    with pytest.raises(ValueError, match="has 9 columns; the blocks tile 10"):
        head.sample(torch.zeros(3, 9), torch.Generator())
    with pytest.raises(ValueError, match="tau must be > 0; got 0"):
        GumbelHead(BLOCKS, tau=0)


# -- the batch iterator -------------------------------------------------------


class Rows:
    """A dataset that records the indices it is asked for."""

    def __init__(self, n):
        self.n, self.asked = n, []

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        self.asked.append(idx)
        return torch.tensor(idx)


def test_batch_iterator_hands_whole_batches_of_indices():
    rows = Rows(10)
    batches = list(BatchIterator(rows, batch_size=4))
    assert len(BatchIterator(rows, batch_size=4)) == 3
    assert rows.asked == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [b.tolist() for b in batches] == rows.asked


def test_batch_iterator_shuffles_a_permutation_from_torchs_generator():
    rows = Rows(10)
    with seeded(0):
        first = torch.cat(list(BatchIterator(rows, 4, shuffle=True)))
    with seeded(0):
        again = torch.cat(list(BatchIterator(rows, 4, shuffle=True)))
    assert sorted(first.tolist()) == list(range(10))
    assert first.tolist() != list(range(10))
    assert torch.equal(first, again)
