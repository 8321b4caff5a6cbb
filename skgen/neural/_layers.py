"""Generic torch pieces of skgen's neural generators: layers, output heads, batching.

Every family builds its networks from these; modules of one family live
beside it (``_vae_module.py``). Imported only when a model trains or scores.
"""

import math

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


class BlockLikelihood(nn.Module):
    """log p(x | decoder output), summed over the blocks of an encoded row.

    ``blocks`` lists ``(kind, start, stop)`` column ranges of the encoded
    data: "numeric" columns get a Gaussian with a learned standard deviation
    per column, "binary" columns a Bernoulli on logits, and each
    "categorical" block one softmax over its one-hot columns. "constant"
    columns (constant in training) are point masses: they add nothing here,
    and the estimator checks and writes back their value.
    """

    def __init__(self, blocks):
        super().__init__()
        numeric = [i for kind, a, b in blocks if kind == "numeric" for i in range(a, b)]
        binary = [i for kind, a, b in blocks if kind == "binary" for i in range(a, b)]
        self.register_buffer("numeric", torch.tensor(numeric, dtype=torch.long))
        self.register_buffer("binary", torch.tensor(binary, dtype=torch.long))
        self.categorical = [(a, b) for kind, a, b in blocks if kind == "categorical"]
        self.log_sigma = nn.Parameter(torch.zeros(len(numeric)))

    def forward(self, x, out):
        ll = x.new_zeros(x.shape[:-1])
        if self.numeric.numel():
            mu, xn = out[..., self.numeric], x[..., self.numeric]
            z = (xn - mu) * torch.exp(-self.log_sigma)
            ll = ll + (-0.5 * z**2 - self.log_sigma - 0.5 * math.log(2 * math.pi)).sum(
                -1
            )
        if self.binary.numel():
            logits, xb = out[..., self.binary], x[..., self.binary]
            ll = ll - nn.functional.binary_cross_entropy_with_logits(
                logits, xb, reduction="none"
            ).sum(-1)
        for a, b in self.categorical:
            logp = torch.log_softmax(out[..., a:b], dim=-1)
            ll = ll + (x[..., a:b] * logp).sum(-1)
        return ll

    def mean(self, out):
        """The decoder's expected encoded row: means and probabilities."""
        x = out.clone()
        if self.binary.numel():
            x[..., self.binary] = torch.sigmoid(out[..., self.binary])
        for a, b in self.categorical:
            x[..., a:b] = torch.softmax(out[..., a:b], dim=-1)
        return x

    def sample(self, out, generator):
        """Draw encoded rows from the decoder's distribution."""
        x = torch.zeros_like(out)
        if self.numeric.numel():
            mu = out[..., self.numeric]
            noise = torch.randn(mu.shape, generator=generator, dtype=out.dtype)
            x[..., self.numeric] = mu + torch.exp(self.log_sigma) * noise
        if self.binary.numel():
            p = torch.sigmoid(out[..., self.binary])
            u = torch.rand(p.shape, generator=generator, dtype=out.dtype)
            x[..., self.binary] = (u < p).to(out.dtype)
        for a, b in self.categorical:
            probs = torch.softmax(out[..., a:b], dim=-1)
            idx = torch.multinomial(probs, 1, generator=generator)
            x[..., a:b] = nn.functional.one_hot(idx[:, 0], b - a).to(out.dtype)
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
