"""The torch module of :class:`skgen.neural.VAE`."""

from skgen.neural._base import mlp_state_shapes
from skgen.neural._layers import BlockLikelihood, mlp
from skgen.utils._compat import import_engine

torch = import_engine("torch")
nn = torch.nn


#: Cap on the encoder's log-variance (see :meth:`VAEModule.encode`).
MAX_LOGVAR = 20.0


class VAEModule(nn.Module):
    """Gaussian-latent VAE; with ``n_classes`` it is a conditional VAE."""

    def __init__(
        self,
        n_features,
        latent_dim,
        hidden,
        activation,
        blocks,
        n_classes=0,
        masks=None,
        integer_bins=(),
        variance="row",
    ):
        super().__init__()
        self.latent_dim, self.n_classes = latent_dim, n_classes
        self.likelihood = BlockLikelihood(blocks, masks, integer_bins, variance)
        self.encoder = mlp(n_features + n_classes, hidden, 2 * latent_dim, activation)
        self.decoder = mlp(
            latent_dim + n_classes,
            tuple(reversed(hidden)),
            self.likelihood.n_outputs,
            activation,
        )

    @staticmethod
    def state_shapes(
        n_features, latent_dim, hidden, blocks, n_classes=0, variance="row", **_
    ):
        """The shape of every entry of the ``state_dict`` these arguments build.

        Arithmetic only, so a loaded state can be checked against its
        arguments before any tensor is allocated.
        """
        widths = {
            kind: sum(b - a for k, a, b in blocks if k == kind)
            for kind in ("numeric", "integer", "binary")
        }
        n_real = widths["numeric"] + widths["integer"]
        n_outputs = n_features + (n_real if variance == "row" else 0)
        shapes = {
            **mlp_state_shapes(
                n_features + n_classes, tuple(hidden), 2 * latent_dim, "encoder."
            ),
            **mlp_state_shapes(
                latent_dim + n_classes, tuple(reversed(hidden)), n_outputs, "decoder."
            ),
        }
        for kind, width in widths.items():
            shapes[f"likelihood.{kind}"] = (width,)
            shapes[f"likelihood.{kind}_mask"] = (width,)
        shapes["likelihood.half_width"] = (widths["integer"],)
        shapes["likelihood.censor_below"] = (widths["integer"],)
        if variance == "column":
            shapes["likelihood.raw_sigma"] = (n_real,)
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
