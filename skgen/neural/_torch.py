"""Torch modules of skgen's neural generators (imported only when used)."""

import itertools
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


#: Cap on the encoder's log-variance (see :meth:`VAEModule.encode`).
MAX_LOGVAR = 20.0


class VAEModule(nn.Module):
    """Gaussian-latent VAE; with ``n_classes`` it is a conditional VAE."""

    def __init__(self, n_features, latent_dim, hidden, activation, blocks, n_classes=0):
        super().__init__()
        self.latent_dim, self.n_classes = latent_dim, n_classes
        self.encoder = mlp(n_features + n_classes, hidden, 2 * latent_dim, activation)
        self.decoder = mlp(
            latent_dim + n_classes, tuple(reversed(hidden)), n_features, activation
        )
        self.likelihood = BlockLikelihood(blocks)

    @staticmethod
    def state_shapes(n_features, latent_dim, hidden, blocks, n_classes=0, **_):
        """The shape of every entry of the ``state_dict`` these arguments build.

        Arithmetic only, so a loaded state can be checked against its
        arguments before any tensor is allocated.
        """
        shapes = {}
        for name, n_in, sizes, n_out in (
            ("encoder", n_features + n_classes, tuple(hidden), 2 * latent_dim),
            ("decoder", latent_dim + n_classes, tuple(reversed(hidden)), n_features),
        ):
            widths = [n_in, *sizes, n_out]
            for i, (a, b) in enumerate(itertools.pairwise(widths)):
                shapes[f"{name}.{2 * i}.weight"] = (b, a)
                shapes[f"{name}.{2 * i}.bias"] = (b,)
        for kind in ("numeric", "binary"):
            width = sum(b - a for k, a, b in blocks if k == kind)
            shapes[f"likelihood.{kind}"] = (width,)
        shapes["likelihood.log_sigma"] = shapes["likelihood.numeric"]
        return shapes

    def _with(self, t, c):
        return t if c is None else torch.cat([t, c], dim=-1)

    def encode(self, x, c=None):
        """Mean and log-variance of ``q(z | x)``.

        The log-variance is capped at :data:`MAX_LOGVAR` (a standard
        deviation of about 2e4 in a latent space whose prior has 1): far
        above anything training reaches, where the cap changes nothing, but
        it keeps ``exp`` finite for rows far outside the training data, so
        their bound is a very low number instead of ``inf - inf = NaN``. A
        very negative log-variance needs no cap: scores use it directly, not
        ``log(exp(.))``.
        """
        h = self.encoder(self._with(x, c))
        logvar = torch.clamp(h[..., self.latent_dim :], max=MAX_LOGVAR)
        return h[..., : self.latent_dim], logvar

    def decode(self, z, c=None):
        return self.decoder(self._with(z, c))

    def forward(self, x, c=None):
        """Negative ELBO of each row, one reparameterised draw of z."""
        mu, logvar = self.encode(x, c)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return kl_standard_normal(mu, logvar) - self.likelihood(x, self.decode(z, c))


def kl_standard_normal(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, I)) per row."""
    return 0.5 * (mu**2 + torch.exp(logvar) - 1.0 - logvar).sum(-1)


class MeanLoss(nn.Module):
    """skorch criterion for modules whose forward returns per-row losses."""

    def forward(self, y_pred, y_true=None):
        return y_pred.mean()


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
