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


# -- the likelihood of encoded blocks -----------------------------------------


def _log_diff_ndtr_oracle(u, lower):
    """log(Phi(u) - Phi(lower)) with scipy: directly, or from the tail it is in."""
    with np.errstate(divide="ignore"):
        if u <= 0:  # the lower tail: from log Phi
            a, b = stats.norm.logcdf(u), stats.norm.logcdf(lower)
        elif lower >= 0:  # the upper tail: from log(1 - Phi)
            a, b = stats.norm.logsf(lower), stats.norm.logsf(u)
        else:  # straddling 0: no cancellation
            return np.log(stats.norm.cdf(u) - stats.norm.cdf(lower))
    return a + np.log(-np.expm1(b - a))


BINS = [
    (-1.0, 1.0),
    (-0.3, 0.2),
    (0.5, 0.6),
    (-2.0, -1.999),
    (3.0, 3.5),
    (-8.0, -7.5),
    (8.0, 8.25),
    (-40.0, -39.0),
    (39.0, 40.0),
    (-300.0, -299.9),
    (299.9, 300.0),
    (-np.inf, -35.0),
    (-np.inf, 0.1),
    (35.0, np.inf),
    (-0.1, np.inf),
    (-np.inf, np.inf),
]


def test_log_diff_ndtr_matches_scipy_in_both_tails():
    from skgen.neural._layers import _log_diff_ndtr

    lower, upper = torch.tensor(BINS, dtype=torch.float64).T
    got = _log_diff_ndtr(upper, lower).numpy()
    expected = [_log_diff_ndtr_oracle(u, lo) for lo, u in BINS]
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-12)
    # mpmath at 50 digits: an oracle that shares no formula with either
    import mpmath

    mpmath.mp.dps = 50

    def exact(lo, u):
        cdf = lambda t: mpmath.ncdf(mpmath.mpf(t))  # noqa: E731
        if lo > 0:  # 1 - Phi(t) = Phi(-t): no rounding to 1
            lo, u = -u, -lo
        return float(mpmath.log(cdf(u) - cdf(lo)))

    np.testing.assert_allclose(got, [exact(lo, u) for lo, u in BINS], rtol=1e-6)


def _likelihood(blocks, **kwargs):
    from skgen.neural._layers import BlockLikelihood

    return BlockLikelihood(blocks, **kwargs).double()


@pytest.mark.parametrize("column", ["count", "integer"])
def test_integer_masses_sum_to_one_over_the_lattice(column):
    """The bins of every integer tile the line: their masses sum to 1."""
    gen = np.random.default_rng(0)
    scale = 1.7  # the column's standard deviation: bins 1/scale wide
    half = 0.5 / scale
    zero = -0.9  # the encoded 0
    censor = zero + half if column == "count" else -np.inf
    lik = _likelihood([("integer", 0, 1)], integer_bins=[(half, censor)])
    n = 12
    mu = gen.uniform(-2, 2, n)
    raw = gen.uniform(-4, 1.5, n)  # sigma from about 0.03 to 1.7
    sigma = lik.sigma(torch.tensor(raw)).numpy()
    # every integer from -300 (or 0) to 300: beyond, the mass is < 1e-30
    k = np.arange(0 if column == "count" else -300, 301)
    z = zero + k / scale
    x = torch.tensor(np.broadcast_to(z[:, None, None], (len(k), n, 1)).copy())
    out = torch.tensor(np.stack([mu, raw], axis=1)).expand(len(k), n, 2)
    mass = lik(x, out).numpy()
    np.testing.assert_allclose(np.exp(mass).sum(axis=0), 1.0, rtol=0, atol=1e-6)
    # each mass is the Gaussian's on the bin (the count's 0 from -inf)
    lower = np.where(z < censor, -np.inf, z - half)
    with np.errstate(divide="ignore"):  # far bins: 0 in float64
        expected = np.log(
            stats.norm.cdf(z[:, None] + half, mu, sigma)
            - stats.norm.cdf(lower[:, None], mu, sigma)
        )
    near = np.abs(z[:, None] - mu) < 4 * sigma  # where the oracle is exact
    np.testing.assert_allclose(mass[near], expected[near], rtol=1e-6, atol=1e-12)


def test_narrow_integer_bins_keep_their_mass_in_float32():
    from skgen.neural._layers import BlockLikelihood

    half = 0.5 / 1e8  # an integer column of standard deviation 1e8
    lik = BlockLikelihood([("integer", 0, 1)], integer_bins=[(half, -np.inf)])
    x = torch.tensor([[1.0], [-0.5], [2.0]])
    out = torch.zeros(3, 2, requires_grad=True)  # mu 0, sigma 1
    mass = lik(x, out)
    # the mass of a narrow bin is its width times the density
    expected = stats.norm.logpdf(x[:, 0].numpy()) + np.log(2 * half)
    np.testing.assert_allclose(mass.detach().numpy(), expected, rtol=1e-3)
    mass.sum().backward()
    # d/dmu of log N(x; mu, 1) + log(width) is x - mu
    np.testing.assert_allclose(out.grad[:, 0].numpy(), x[:, 0].numpy(), rtol=1e-3)


def test_numeric_density_is_the_documented_gaussian():
    from skgen.neural._layers import MIN_SIGMA

    gen = np.random.default_rng(1)
    n = 50
    x = gen.normal(size=(n, 2))
    mu, raw = gen.normal(size=(n, 2)), gen.uniform(-8, 3, (n, 2))
    sigma = MIN_SIGMA + np.log1p(np.exp(raw + np.log(np.expm1(1 - MIN_SIGMA))))
    lik = _likelihood([("numeric", 0, 2)])
    assert lik.n_outputs == 4  # two means, then two raw standard deviations
    ll = lik(torch.tensor(x), torch.tensor(np.hstack([mu, raw]))).numpy()
    np.testing.assert_allclose(
        ll, stats.norm.logpdf(x, mu, sigma).sum(axis=1), rtol=1e-10
    )
    np.testing.assert_allclose(lik.sigma(torch.zeros(1)).numpy(), 1.0)
    floor = lik.sigma(torch.tensor([-1e4], dtype=torch.float64))
    assert floor.item() == MIN_SIGMA
    # variance="column": one parameter per column, shared by every row
    shared = _likelihood([("numeric", 0, 2)], variance="column")
    assert shared.n_outputs == 2 and shared.raw_sigma.shape == (2,)
    with torch.no_grad():
        shared.raw_sigma.copy_(torch.tensor(raw[0]))
    ll = shared(torch.tensor(x), torch.tensor(mu)).detach().numpy()
    np.testing.assert_allclose(
        ll, stats.norm.logpdf(x, mu, sigma[0]).sum(axis=1), rtol=1e-10
    )


#: numeric | state (value, missing) | integer, counted where the state is
#: "value" | binary | categorical (3 levels)
MIXED = [
    ("numeric", 0, 1),
    ("state", 1, 3),
    ("integer", 3, 4),
    ("binary", 4, 5),
    ("categorical", 5, 8),
]
MIXED_MASKS = [-1, -1, 1, -1, -1]


def _mixed():
    return _likelihood(MIXED, masks=MIXED_MASKS, integer_bins=[(0.25, -1.0)])


def _terms(lik, x, out):
    """Each block's contribution: the likelihood with the others zeroed."""
    return lik(torch.tensor(x), torch.tensor(out)).numpy()


def test_masks_half_levels_and_empty_one_hots_add_nothing():
    lik = _mixed()
    assert lik.n_outputs == 8 + 2
    gen = np.random.default_rng(2)
    out = gen.normal(size=(4, 10))
    base = np.array([0.3, 1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.0])
    full = _terms(lik, base[None], out[:1])[0]

    def without(**columns):
        x = base.copy()
        for j, v in columns.items():
            x[int(j[1:])] = v
        return _terms(lik, x[None], out[:1])[0]

    log_softmax = lambda v: v - np.logaddexp.reduce(v)  # noqa: E731
    mu, raw = out[0, 3], out[0, 9]
    sigma = lik.sigma(torch.tensor(raw)).item()
    integer = np.log(stats.norm.cdf(0.75, mu, sigma) - stats.norm.cdf(0.25, mu, sigma))
    binary = -np.logaddexp(0, -out[0, 4])
    categorical = log_softmax(out[0, 5:8])[1]
    # missing state: the integer block has no value to score
    missing = without(c1=0.0, c2=1.0)
    np.testing.assert_allclose(
        full - missing,
        integer + log_softmax(out[0, 1:3])[0] - log_softmax(out[0, 1:3])[1],
    )
    # a binary 0.5 (an unseen level) adds nothing; nor does an empty one-hot
    np.testing.assert_allclose(full - without(c4=0.5), binary)
    np.testing.assert_allclose(full - without(c6=0.0), categorical)
    # the masked integer value itself does not matter
    np.testing.assert_array_equal(missing, without(c1=0.0, c2=1.0, c3=1e6))


def test_gradients_are_finite_for_censored_masked_and_extreme_rows():
    lik = _mixed()
    x = torch.tensor(
        [
            [0.3, 1.0, 0.0, -3.0, 1.0, 0.0, 1.0, 0.0],  # censored count (< -1)
            [0.3, 0.0, 1.0, 50.0, 0.5, 0.0, 0.0, 0.0],  # masked, unseen levels
            [1e3, 1.0, 0.0, 40.0, 0.0, 1.0, 0.0, 0.0],  # far tails
            [0.0, 1.0, 0.0, -40.0, 1.0, 0.0, 0.0, 1.0],
        ],
        dtype=torch.float64,
    )
    out = torch.tensor(
        [
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 1e4, -1e4, 0.0, 80.0, 0.0, 0.0, 0.0, -30.0, 30.0],
            [-1e3, -1e4, 1e4, -40.0, 1e4, -1e4, 1e4, 0.0, -50.0, -50.0],
            [0.0, 1e4, -1e4, 40.0, -1e4, 1e4, 0.0, -1e4, 5.0, -50.0],
        ],
        dtype=torch.float64,
        requires_grad=True,
    )
    ll = lik(x, out)
    assert torch.all(torch.isfinite(ll[:2]))
    assert not torch.any(torch.isnan(ll))
    ll.sum().backward()
    assert torch.all(torch.isfinite(out.grad))
    # a masked block gets no gradient: its value does not count
    assert out.grad[1, 3] == 0 and out.grad[1, 9] == 0
    assert out.grad[1, 4] == 0 and torch.all(out.grad[1, 5:8] == 0)


def test_likelihood_samples_follow_the_decoder():
    lik = _mixed()
    n = 20_000
    out = torch.tensor([0.4, 0.2, -0.3, -1.5, 0.8, 0.5, -0.5, 1.0, -1.0, 0.7])
    out = out.double().repeat(n, 1)
    x = lik.sample(out, torch.Generator().manual_seed(0)).numpy()
    sigma = lik.sigma(out[0, [8, 9]]).numpy()
    for j, s in ((0, sigma[0]), (3, sigma[1])):  # numeric, integer: N(mu, s)
        mu = out[0, j].item()
        assert abs(x[:, j].mean() - mu) < 4 * s / np.sqrt(n)
        assert abs(x[:, j].std() / s - 1) < 0.03
    for a, b in ((1, 3), (5, 8)):  # states, categories: one-hots
        block = x[:, a:b]
        assert set(np.unique(block)) == {0.0, 1.0}
        np.testing.assert_array_equal(block.sum(axis=1), 1.0)
        probs = torch.softmax(out[0, a:b], -1).numpy()
        assert chi_square_p(block.sum(axis=0), probs) > 1e-3
    p = torch.sigmoid(out[0, 4]).item()
    assert set(np.unique(x[:, 4])) == {0.0, 1.0}
    assert abs(x[:, 4].mean() - p) < 4 * np.sqrt(p * (1 - p) / n)


def test_head_treats_integers_as_numbers_and_states_as_categories():
    blocks = [("integer", 0, 1), ("state", 1, 3), ("numeric", 3, 4)]
    out = torch.tensor([0.7, 2.0, -2.0, -0.3]).repeat(500, 1)
    head = GumbelHead(blocks)
    for x in (head.sample(out, torch.Generator().manual_seed(0)), head(out)):
        x = x.detach()
        assert torch.equal(x[:, [0, 3]], out[:, [0, 3]])
        assert torch.equal(x[:, 1:3].sum(-1), torch.ones(500))
        assert set(x[:, 1:3].unique().tolist()) == {0.0, 1.0}


def test_likelihood_refuses_bad_bins_and_variance():
    with pytest.raises(ValueError, match=r"one \(half_width, censor_below\) per "):
        _likelihood([("integer", 0, 2)], integer_bins=[(0.5, -np.inf)])
    with pytest.raises(ValueError, match="variance must be 'row' or 'column'; got 'x'"):
        _likelihood([("numeric", 0, 1)], variance="x")
