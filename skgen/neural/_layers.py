"""Generic torch pieces of skgen's neural generators: layers, output heads, batching.

Every family builds its networks from these; modules of one family live
beside it (``_vae_module.py``). Imported only when a model trains or scores.
"""

import math

from skgen.tabular._mixin import BLOCK_KINDS
from skgen.utils._compat import import_engine

torch = import_engine("torch")
nn = torch.nn

#: The modules of the shared ``activation`` parameter
#: (:data:`skgen.neural._base.ACTIVATIONS`); leaky_relu has slope 0.01.
_ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
}


def mlp(n_in, hidden, n_out, activation):
    """A multilayer perceptron; ``hidden=()`` makes it linear."""
    layers, width = [], n_in
    for size in hidden:
        layers += [nn.Linear(width, size), _ACTIVATIONS[activation]()]
        width = size
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


def _normal_like(t, generator):
    """Standard normals shaped like ``t`` from ``generator``, on ``t``'s device.

    Drawn on the generator's device and moved: a model on CUDA samples
    with the CPU generator its estimator seeds, as on the CPU.
    """
    return torch.randn(
        t.shape, generator=generator, dtype=t.dtype, device=generator.device
    ).to(t.device)


def _uniform_like(t, generator):
    """Uniforms in [0, 1) shaped like ``t``, as :func:`_normal_like` draws."""
    return torch.rand(
        t.shape, generator=generator, dtype=t.dtype, device=generator.device
    ).to(t.device)


def _categories(probs, generator):
    """One category index per row of ``probs``, as :func:`_normal_like` draws."""
    idx = torch.multinomial(probs.to(generator.device), 1, generator=generator)
    return idx[:, 0].to(probs.device)


#: Floor of the decoder's standard deviation of a standardised column: a
#: hundredth of the column's spread, so that a model cannot buy unbounded
#: density by shrinking onto repeated values (training stays stable).
MIN_SIGMA = 0.01

#: ``sigma = MIN_SIGMA + softplus(raw + _SIGMA_SHIFT)``: 1 at ``raw = 0``.

#: An integer bin narrower than this many standard deviations (half width)
#: is scored by the midpoint rule: relative error below 1e-7.
_NARROW_BIN = 1e-3
_SIGMA_SHIFT = math.log(math.expm1(1.0 - MIN_SIGMA))


def _log_diff_ndtr(upper, lower):
    """``log(Phi(upper) - Phi(lower))`` for ``upper > lower``, stably.

    On the side of the distribution where both are far in the upper tail
    the difference is taken of the survival functions, ``Phi(-lower) -
    Phi(-upper)``, so neither rounds to 1.
    """
    flip = lower > 0
    hi = torch.where(flip, -lower, upper)
    lo = torch.where(flip, -upper, lower)
    log_hi = torch.special.log_ndtr(hi)
    log_lo = torch.special.log_ndtr(lo)
    # log(e^a - e^b) = a + log(1 - e^(b - a)), b < a; log(-expm1) is exact
    gap = torch.clamp(log_lo - log_hi, max=-torch.finfo(upper.dtype).tiny)
    return log_hi + torch.log(-torch.expm1(gap))


class BlockLikelihood(nn.Module):
    """log p(x | decoder output), summed over the blocks of an encoded row.

    ``blocks`` lists ``(kind, start, stop)`` column ranges of the encoded
    data (:class:`~skgen.tabular.TabularEncoder`'s ``output_blocks_``):

    - "numeric" columns get a Gaussian whose mean and standard deviation
      are both decoder outputs (per row: heteroscedastic), the standard
      deviation at least :data:`MIN_SIGMA`;
    - "integer" columns the same Gaussian's mass on the bin of the value,
      ``[z - h, z + h)``, from ``integer_bins`` (``(h, censor_below)`` per
      integer column: below ``censor_below`` the bin reaches ``-inf``); a
      bin narrower than a thousandth of the standard deviation by the
      midpoint rule (``2 h`` times the density), which float32 resolves;
    - "binary" columns a Bernoulli on logits (a value other than 0 and 1,
      the encoding of an unseen level, adds nothing: the encoder accounts
      for it);
    - each "categorical" and "state" block one softmax over its one-hot
      columns (all zeros, an unseen level, adds nothing);
    - "constant" columns (constant in training) are point masses: they add
      nothing here, and the estimator checks and writes back their value.

    ``masks`` gives, per block, the encoded column that is 1 where the
    block's value is there (its column's "value" state), or -1: a block
    counts only where its mask is 1 (a missing value, or a nonnegative
    column at 0, has no value to score).

    The decoder's output (``out``) holds the encoded row's means and logits
    in the encoded columns' places, then, with ``variance="row"``, one raw
    standard-deviation output per numeric and integer column
    (:attr:`n_outputs` in all); with ``variance="column"`` those are
    parameters (``raw_sigma``), one per column shared by every row.
    """

    def __init__(self, blocks, masks=None, integer_bins=(), variance="row"):
        super().__init__()
        if variance not in ("row", "column"):
            raise ValueError(f"variance must be 'row' or 'column'; got {variance!r}.")
        masks = [-1] * len(blocks) if masks is None else list(masks)
        self.width = check_blocks(blocks)

        def buffer(name, values, dtype=torch.long):
            self.register_buffer(name, torch.tensor(values, dtype=dtype))

        for kind in ("numeric", "integer", "binary"):
            picked = [
                (i, m)
                for (k, a, b), m in zip(blocks, masks, strict=True)
                if k == kind
                for i in range(a, b)
            ]
            buffer(kind, [i for i, _ in picked])
            buffer(f"{kind}_mask", [m for _, m in picked])
        bins = list(integer_bins)
        if len(bins) != len(self.integer):
            raise ValueError(
                f"integer_bins must hold one (half_width, censor_below) per "
                f"integer column ({len(self.integer)}); got {len(bins)}."
            )
        buffer("half_width", [h for h, _ in bins], torch.float64)
        buffer("censor_below", [c for _, c in bins], torch.float64)
        self.softmax_blocks = [
            (a, b, m)
            for (kind, a, b), m in zip(blocks, masks, strict=True)
            if kind in ("categorical", "state")
        ]
        # raw standard deviations, numeric columns' then integer columns':
        # decoder outputs after the encoded columns ("row"), or parameters
        n_numeric, n_real = len(self.numeric), len(self.numeric) + len(self.integer)
        self.variance = variance
        self.n_outputs = self.width + (n_real if variance == "row" else 0)
        if variance == "column":
            self.raw_sigma = nn.Parameter(torch.zeros(n_real))
        self._sigma_slices = (slice(0, n_numeric), slice(n_numeric, n_real))

    @staticmethod
    def _present(x, mask):
        """1 where each column's value is there, from its mask column."""
        ones = torch.ones(mask.shape, dtype=x.dtype, device=x.device)
        if not (mask >= 0).any():
            return ones
        return torch.where(mask >= 0, x[..., mask.clamp(min=0)], ones)

    def _gaussian(self, out, kind):
        """Mean and standard deviation of the numeric or integer columns."""
        columns = getattr(self, kind)
        part = self._sigma_slices[kind == "integer"]
        if self.variance == "row":
            raw = out[..., self.width :][..., part]
        else:
            raw = self.raw_sigma[part].to(out.dtype)
        return out[..., columns], self.sigma(raw)

    @staticmethod
    def sigma(raw):
        """The standard deviation of a raw output: at least :data:`MIN_SIGMA`."""
        return MIN_SIGMA + nn.functional.softplus(raw + _SIGMA_SHIFT)

    def forward(self, x, out):
        ll = x.new_zeros(x.shape[:-1])
        if self.numeric.numel():
            mu, sigma = self._gaussian(out, "numeric")
            z = (x[..., self.numeric] - mu) / sigma
            density = -0.5 * z**2 - torch.log(sigma) - 0.5 * math.log(2 * math.pi)
            ll = ll + (density * self._present(x, self.numeric_mask)).sum(-1)
        if self.integer.numel():
            mu, sigma = self._gaussian(out, "integer")
            xi = x[..., self.integer]
            half = self.half_width.to(x.dtype)
            upper = (xi + half - mu) / sigma
            censored = xi < self.censor_below.to(x.dtype)
            lower = torch.where(censored, -math.inf, (xi - half - mu) / sigma)
            mass = _log_diff_ndtr(upper, lower)
            # a bin much narrower than the Gaussian (a column of huge
            # integers) is below float32's resolution: its mass is the
            # density at its centre times its width, to O((h / sigma)^2)
            centre = (xi - mu) / sigma
            narrow = ~censored & (half < _NARROW_BIN * sigma)
            midpoint = (
                -0.5 * centre**2
                - torch.log(sigma)
                - 0.5 * math.log(2 * math.pi)
                + torch.log(2 * half)
            )
            mass = torch.where(narrow, midpoint, mass)
            ll = ll + (mass * self._present(x, self.integer_mask)).sum(-1)
        if self.binary.numel():
            logits, xb = out[..., self.binary], x[..., self.binary]
            known = ((xb == 0) | (xb == 1)).to(x.dtype)
            bce = nn.functional.binary_cross_entropy_with_logits(
                logits, xb.clamp(0, 1), reduction="none"
            )
            weight = known * self._present(x, self.binary_mask)
            ll = ll - (bce * weight).sum(-1)
        for a, b, m in self.softmax_blocks:
            term = (x[..., a:b] * torch.log_softmax(out[..., a:b], dim=-1)).sum(-1)
            ll = ll + (term if m < 0 else term * x[..., m])
        return ll

    def mean(self, out):
        """The decoder's expected encoded row: means and probabilities."""
        x = out[..., : self.width].clone()
        if self.binary.numel():
            x[..., self.binary] = torch.sigmoid(out[..., self.binary])
        for a, b, _ in self.softmax_blocks:
            x[..., a:b] = torch.softmax(out[..., a:b], dim=-1)
        return x

    def sample(self, out, generator):
        """Draw encoded rows from the decoder's distribution.

        Integer columns are drawn as the continuous value the encoder
        rounds: the mass of each bin is what :meth:`forward` scores.
        """
        x = torch.zeros_like(out[..., : self.width])
        for kind in ("numeric", "integer"):
            if getattr(self, kind).numel():
                mu, sigma = self._gaussian(out, kind)
                x[..., getattr(self, kind)] = mu + sigma * _normal_like(mu, generator)
        if self.binary.numel():
            p = torch.sigmoid(out[..., self.binary])
            x[..., self.binary] = (_uniform_like(p, generator) < p).to(out.dtype)
        for a, b, _ in self.softmax_blocks:
            probs = torch.softmax(out[..., a:b], dim=-1)
            idx = _categories(probs.reshape(-1, b - a), generator)
            one_hot = nn.functional.one_hot(idx, b - a).to(out.dtype)
            x[..., a:b] = one_hot.reshape(probs.shape)
        return x


def check_blocks(blocks):
    """Check that ``(kind, start, stop)`` blocks tile the encoded columns.

    The blocks must be in column order, each non-empty, the first starting
    at 0 and each starting where the one before stops.

    Returns
    -------
    width : int
        The number of encoded columns (the last block's ``stop``).
    """
    width = 0
    for i, block in enumerate(blocks):
        kind, start, stop = block
        if kind not in BLOCK_KINDS:
            raise ValueError(
                f"blocks[{i}] has kind {kind!r}; expected one of {BLOCK_KINDS}."
            )
        if start != width or stop <= start:
            raise ValueError(
                "blocks must tile the encoded columns in order, each non-empty: "
                f"blocks[{i}] = {tuple(block)!r} should start at {width} and "
                "stop after it."
            )
        width = stop
    if width == 0:
        raise ValueError(f"blocks must hold at least one block; got {blocks!r}.")
    return width


class GumbelHead(nn.Module):
    """A generator's output head: raw outputs to a differentiable encoded row.

    ``blocks`` lists the ``(kind, start, stop)`` column ranges of the
    encoded data, as :class:`BlockLikelihood` reads them, tiling the
    columns (:func:`check_blocks`). :meth:`forward` maps the generator's raw
    output block by block: "numeric" columns as given, each "categorical"
    block through ``torch.nn.functional.gumbel_softmax`` of its logits at
    temperature ``tau``, each "binary" column through a two-way Gumbel-softmax
    of the logits ``(0, logit)`` (a relaxed Bernoulli of
    ``sigmoid(logit)``), and "constant" columns as zeros (the estimator
    writes their value back). With ``hard=True`` the categorical and binary
    outputs are exact one-hots and 0/1 values whose gradients are the soft
    ones' (straight-through), so a discriminator sees valid rows while the
    generator still learns.

    ``gumbel_softmax`` draws its noise from torch's global generator, which
    :func:`skgen.neural._engine.seeded` forks and seeds: inside it, training
    is reproducible and the caller's generator is untouched. :meth:`sample`
    draws exact categories from a given ``torch.Generator`` instead, for
    sampling at inference.

    Parameters
    ----------
    blocks : list of (str, int, int)
        The encoded column blocks.
    tau : float, default=0.2
        The Gumbel-softmax temperature (> 0).
    hard : bool, default=True
        Straight-through one-hots (True) or the soft relaxation (False).
    """

    def __init__(self, blocks, *, tau=0.2, hard=True):
        super().__init__()
        self.width = check_blocks(blocks)
        if not tau > 0:
            raise ValueError(f"tau must be > 0; got {tau!r}.")
        self.blocks = [tuple(block) for block in blocks]
        self.tau, self.hard = tau, hard

    def _check_width(self, out):
        if out.shape[-1] != self.width:
            raise ValueError(
                f"The raw output has {out.shape[-1]} columns; the blocks tile "
                f"{self.width}."
            )

    def forward(self, out):
        self._check_width(out)
        pieces = []
        for kind, a, b in self.blocks:
            logits = out[..., a:b]
            if kind in ("numeric", "integer"):
                pieces.append(logits)
            elif kind == "constant":
                pieces.append(torch.zeros_like(logits))
            elif kind in ("categorical", "state"):
                pieces.append(self._gumbel(logits))
            else:  # binary: a two-way softmax of (0, logit) per column
                pair = torch.stack([torch.zeros_like(logits), logits], dim=-1)
                pieces.append(self._gumbel(pair)[..., 1])
        return torch.cat(pieces, dim=-1)

    def _gumbel(self, logits):
        return nn.functional.gumbel_softmax(logits, tau=self.tau, hard=self.hard)

    def sample(self, out, generator):
        """Exact encoded rows drawn from ``generator``: valid categories only.

        Numeric columns are ``out`` as given; binary columns are 1 with
        probability ``sigmoid(logit)``; each categorical block is the one-hot
        of a category drawn with probabilities ``softmax(logits)``
        (``torch.multinomial``); constant columns are 0.
        """
        self._check_width(out)
        out = out.detach()
        x = torch.zeros_like(out)
        rows = out.reshape(-1, self.width)
        for kind, a, b in self.blocks:
            if kind in ("numeric", "integer"):
                x[..., a:b] = out[..., a:b]
            elif kind == "binary":
                p = torch.sigmoid(out[..., a:b])
                x[..., a:b] = (_uniform_like(p, generator) < p).to(out.dtype)
            elif kind in ("categorical", "state"):
                probs = torch.softmax(rows[:, a:b], dim=-1)
                idx = _categories(probs, generator)
                one_hot = nn.functional.one_hot(idx, b - a).to(out.dtype)
                x[..., a:b] = one_hot.reshape(out[..., a:b].shape)
        return x


class BatchIterator:
    """skorch's ``iterator_train``/``iterator_valid``: one index per batch.

    skorch's default ``DataLoader`` asks its ``Dataset`` for each row and
    collates the rows; for small models that bookkeeping costs as much as
    the training step. This iterator hands the dataset a whole batch of
    indices at once (skorch datasets and torch ``Subset`` index with a
    list). Shuffling draws a permutation from torch's default generator,
    as ``DataLoader(shuffle=True)`` does.
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = torch.randperm(n) if self.shuffle else torch.arange(n)
        for idx in order.split(self.batch_size):
            yield self.dataset[idx.tolist()]


class WeightedMeanLoss(nn.Module):
    """The loss reducer: a (weighted) mean of per-sample losses.

    The module's ``forward`` returns either ``losses`` of shape
    ``(n_samples,)``, reduced to their mean, or a pair ``(losses,
    weights)``, reduced to ``sum(weights * losses) / sum(weights)``. A
    language model returns each sequence's mean loss per token and its
    token count, so the batch loss is the mean over tokens, not over
    sequences.
    """

    def forward(self, y_pred, y_true=None):
        if isinstance(y_pred, (tuple, list)):
            losses, weights = y_pred
            weights = torch.as_tensor(weights, dtype=losses.dtype, device=losses.device)
            return (weights * losses).sum() / weights.sum()
        return y_pred.mean()
