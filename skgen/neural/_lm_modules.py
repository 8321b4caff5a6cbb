"""The torch networks of the language models: inputs, bodies and output heads.

One network predicts the next step of a sequence from the steps before it.
Its **input** turns each step into a vector (token ids: an embedding;
continuous frames: a linear map of the frame and a start flag), a class
label adds an embedding of its own, the **body** (an RNN, or a stack of
causal self-attention blocks) mixes the past in, and the **head** gives the
log-probability of the next step (tokens: a softmax over the symbols, the
unknown symbol and the end; frames: a mixture of diagonal Gaussians).

Every network offers the same four calls, which the estimators of
:mod:`skgen.neural._lm` use for training, scoring and generation alike:

- ``forward(inputs, targets, mask, classes=None)``: skorch's call in
  training; returns each row's mean loss over its masked steps and their
  count (reduced over tokens by :class:`~skgen.neural._layers.WeightedMeanLoss`);
- ``hidden(inputs, classes=None)``: the body's output at every step;
- ``start_state(...)`` / ``step(inputs, classes, state)``: one step of
  generation from a carried state (the RNN's hidden state; the
  Transformer's key-value cache);
- ``head``: ``log_likelihood(h, targets)``, ``log_proba(h)`` (tokens) and
  ``sample(h, generator)`` (frames).

Imported only when a language model trains or scores.
"""

import math
from typing import ClassVar

from skgen.utils._compat import import_engine

torch = import_engine("torch")
nn = torch.nn
F = nn.functional

#: Positions whose head is computed at once (bounds the memory of the
#: ``(rows, positions, outcomes)`` logits when sequences are long).
_HEAD_CHUNK = 4096

#: The log-scale bounds of the mixture head's Gaussians (in standardised
#: units: from 1e-3 to about 150 standard deviations).
_LOG_SCALE_RANGE = (math.log(1e-3), 5.0)


class TokenHead(nn.Module):
    """Softmax over the next symbol: the symbols, unknown, end."""

    def __init__(self, width, n_outcomes):
        super().__init__()
        self.linear = nn.Linear(width, n_outcomes)

    def log_proba(self, h):
        """log p(every outcome | h), shape ``(..., n_outcomes)``."""
        return F.log_softmax(self.linear(h), dim=-1)

    def log_likelihood(self, h, targets):
        """log p(target | h) of every step, shape ``h.shape[:-1]``.

        In chunks of positions, so that long sequences never hold all
        their logits at once.
        """
        if h.shape[-2] <= _HEAD_CHUNK:
            return self.log_proba(h).gather(-1, targets[..., None])[..., 0]
        return torch.cat(
            [
                self.log_likelihood(h[..., a : a + _HEAD_CHUNK, :], t)
                for a, t in zip(
                    range(0, h.shape[-2], _HEAD_CHUNK),
                    targets.split(_HEAD_CHUNK, dim=-1),
                    strict=True,
                )
            ],
            dim=-1,
        )


class MixtureHead(nn.Module):
    """A mixture of diagonal Gaussians over the next (standardised) frame."""

    def __init__(self, width, n_features, n_components):
        super().__init__()
        self.n_features, self.n_components = n_features, n_components
        self.linear = nn.Linear(width, n_components * (1 + 2 * n_features))

    def _mixture(self, h):
        K, D = self.n_components, self.n_features
        out = self.linear(h)
        logits = F.log_softmax(out[..., :K], dim=-1)
        mean = out[..., K : K + K * D].unflatten(-1, (K, D))
        log_scale = out[..., K + K * D :].unflatten(-1, (K, D)).clamp(*_LOG_SCALE_RANGE)
        return logits, mean, log_scale

    def log_likelihood(self, h, targets):
        """log p(target frame | h) of every step, shape ``h.shape[:-1]``."""
        logits, mean, log_scale = self._mixture(h)
        z = (targets[..., None, :] - mean) * torch.exp(-log_scale)
        log_norm = 0.5 * math.log(2 * math.pi) * self.n_features
        per_component = -0.5 * (z**2).sum(-1) - log_scale.sum(-1) - log_norm
        return torch.logsumexp(logits + per_component, dim=-1)

    def sample(self, h, generator):
        """One frame per row of ``h`` (rows, width), from the CPU ``generator``."""
        logits, mean, log_scale = self._mixture(h)
        cum = torch.exp(logits).cumsum(-1)
        u = torch.rand(h.shape[0], 1, generator=generator, dtype=torch.float64)
        k = torch.searchsorted(cum.to(torch.float64).cpu(), u, right=True).clamp_max(
            self.n_components - 1
        )
        k = k.to(h.device)[:, 0]
        rows = torch.arange(h.shape[0], device=h.device)
        noise = torch.randn(
            h.shape[0], self.n_features, generator=generator, dtype=torch.float64
        ).to(device=h.device, dtype=h.dtype)
        return mean[rows, k] + torch.exp(log_scale[rows, k]) * noise


class _LanguageNet(nn.Module):
    """Input, label embedding and head around a body (a subclass's).

    Token models (``n_features=0``) embed input ids ``0..n_inputs-1`` (the
    symbols, the unknown symbol, the start); frame models take frames of
    ``n_features + 1`` values (the last is the start flag).
    """

    def _build_ends(self, widths, n_inputs, n_outcomes, n_features, n_components):
        """The input (to ``widths[0]``) and the head (from ``widths[1]``)."""
        self.n_features = n_features
        if n_features:
            self.input = nn.Linear(n_features + 1, widths[0])
            self.head = MixtureHead(widths[1], n_features, n_components)
        else:
            self.input = nn.Embedding(n_inputs, widths[0])
            self.head = TokenHead(widths[1], n_outcomes)

    @classmethod
    def state_shapes(cls, **kwargs):
        """The ``state_dict`` shapes of ``cls(**kwargs)``, without allocating.

        The network is built on torch's ``meta`` device, which records
        shapes and allocates no memory, so a huge request (or an edited
        saved file) costs nothing here.
        """
        with torch.device("meta"):
            module = cls(**kwargs)
        return {key: tuple(value.shape) for key, value in module.state_dict().items()}

    def _embed(self, inputs, classes):
        x = self.input(inputs)
        if self.label is not None:
            if classes is None:
                raise ValueError("A class-conditional network needs the classes.")
            x = x + self.label(classes)[:, None, :]
        return x

    def forward(self, inputs, targets, mask, classes=None):
        """Each row's mean loss over its masked steps, and their count."""
        h = self.hidden(inputs, classes)
        loss = -self.head.log_likelihood(h, targets) * mask
        count = mask.sum(-1)
        return loss.sum(-1) / count.clamp_min(1), count

    def log_likelihood(self, inputs, targets, classes=None):
        """log p(target | the steps before it) of every step, ``(rows, steps)``."""
        return self.head.log_likelihood(self.hidden(inputs, classes), targets)


class RNNNet(_LanguageNet):
    """Embedding, a stacked LSTM, GRU or Elman RNN, and a head.

    Dropout (``dropout``) acts on the embedded inputs, between the
    recurrent layers and on the body's output, as in Zaremba et al. (2014).
    """

    _CELLS: ClassVar[dict] = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}

    def __init__(
        self,
        *,
        cell,
        embedding_dim,
        hidden_size,
        num_layers,
        dropout,
        n_inputs=0,
        n_outcomes=0,
        n_features=0,
        n_components=0,
        n_classes=0,
    ):
        super().__init__()
        self._build_ends(
            (embedding_dim, hidden_size), n_inputs, n_outcomes, n_features, n_components
        )
        self.label = nn.Embedding(n_classes, embedding_dim) if n_classes else None
        self.rnn = self._CELLS[cell](
            embedding_dim,
            hidden_size,
            num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.drop = nn.Dropout(dropout)

    def hidden(self, inputs, classes=None, state=None):
        out, _ = self._run(inputs, classes, state)
        return out

    def _run(self, inputs, classes, state):
        out, state = self.rnn(self.drop(self._embed(inputs, classes)), state)
        return self.drop(out), state

    def start_state(self, n_rows):
        """The state before the first step: zeros (torch's default)."""
        return None

    def step(self, inputs, classes, state):
        """The body's output after ``inputs`` (rows, steps), and the new state."""
        out, state = self._run(inputs, classes, state)
        return out[:, -1], state

    @staticmethod
    def select_state(state, rows):
        """The state of the rows ``rows`` (an index tensor) only."""
        if state is None:
            return None
        if isinstance(state, tuple):  # LSTM: (h, c)
            return tuple(s[:, rows] for s in state)
        return state[:, rows]


def rotary_tables(positions, head_dim, dtype, device):
    """cos and sin of the rotary position angles, shape ``(steps, head_dim/2)``.

    Angles ``p * 10000^(-2i / head_dim)`` (Su et al., 2021), computed in
    float64 so that far positions keep their precision, then cast.
    """
    half = head_dim // 2
    freq = 10000.0 ** (-torch.arange(half, dtype=torch.float64) * 2 / head_dim)
    angle = positions.to(torch.float64).cpu()[:, None] * freq[None, :]
    return (
        torch.cos(angle).to(device=device, dtype=dtype),
        torch.sin(angle).to(device=device, dtype=dtype),
    )


def _rotate(x, cos, sin):
    """Rotary position embedding of ``x`` (..., steps, head_dim)."""
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack([a * cos - b * sin, a * sin + b * cos], dim=-1).flatten(-2)


def banded_attention(q, k, v, window, dropout_p=0.0):
    """Causal self-attention in which each step sees the last ``window`` steps.

    ``q``, ``k`` and ``v`` are ``(rows, heads, steps, head_dim)``. Step
    ``t`` attends to steps ``t - window + 1 .. t`` (itself included), in
    every layer. Sequences no longer than the window use
    ``scaled_dot_product_attention`` with ``is_causal=True``; longer ones are
    cut into blocks of ``window`` queries, each attending to its own block
    and the one before under a band mask, a few blocks at a time, so memory
    grows linearly with the length.
    """
    T = q.shape[-2]
    if T <= window:
        return F.scaled_dot_product_attention(
            q, k, v, is_causal=True, dropout_p=dropout_p
        )
    W = window
    n_blocks = math.ceil(T / W)
    pad = n_blocks * W - T
    qb = F.pad(q, (0, 0, 0, pad)).unflatten(-2, (n_blocks, W))
    # keys of block j: the blocks j - 1 and j (zeros before the start)
    kp = F.pad(k, (0, 0, W, pad))
    vp = F.pad(v, (0, 0, W, pad))
    i = torch.arange(W, device=q.device)[:, None]
    m = torch.arange(2 * W, device=q.device)[None, :]
    band = (m > i) & (m <= i + W)  # key m of the pair sees query i
    first = band & (m >= W)  # block 0 has no block before it
    per_group = max(1, (1 << 22) // max(1, q.shape[0] * q.shape[1] * W * 2 * W))
    out = []
    for a in range(0, n_blocks, per_group):
        b = min(n_blocks, a + per_group)
        kb = kp[..., a * W : (b + 1) * W, :].unfold(-2, 2 * W, W).transpose(-1, -2)
        vb = vp[..., a * W : (b + 1) * W, :].unfold(-2, 2 * W, W).transpose(-1, -2)
        mask = band.expand(b - a, W, 2 * W).clone()
        if a == 0:
            mask[0] = first
        out.append(
            F.scaled_dot_product_attention(
                qb[..., a:b, :, :], kb, vb, attn_mask=mask, dropout_p=dropout_p
            )
        )
    return torch.cat(out, dim=-3).flatten(-3, -2)[..., :T, :]


class _Block(nn.Module):
    """A pre-norm Transformer block: banded causal self-attention, then an MLP."""

    def __init__(self, d_model, nhead, dim_feedforward, dropout):
        super().__init__()
        self.nhead = nhead
        self.norm1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, dim_feedforward),
            nn.GELU(),
            nn.Linear(dim_feedforward, d_model),
        )
        self.drop = nn.Dropout(dropout)
        self.dropout = dropout

    def _qkv(self, x, cos, sin):
        q, k, v = self.qkv(self.norm1(x)).unflatten(-1, (3, self.nhead, -1)).unbind(-3)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # (rows, heads, steps, d)
        return _rotate(q, cos, sin), _rotate(k, cos, sin), v

    def _finish(self, x, attended):
        x = x + self.drop(self.proj(attended.transpose(1, 2).flatten(-2)))
        return x + self.drop(self.mlp(self.norm2(x)))

    def forward(self, x, cos, sin, window):
        q, k, v = self._qkv(x, cos, sin)
        p = self.dropout if self.training else 0.0
        return self._finish(x, banded_attention(q, k, v, window, p)), (k, v)

    def step(self, x, cos, sin, cache):
        """One new step ``x`` attending to the cached keys and values and itself."""
        q, k, v = self._qkv(x, cos, sin)
        k = torch.cat([cache[0], k], dim=-2)
        v = torch.cat([cache[1], v], dim=-2)
        return self._finish(x, F.scaled_dot_product_attention(q, k, v)), (k, v)


class TransformerNet(_LanguageNet):
    """Embedding, pre-norm causal self-attention blocks with rotary positions, a head.

    Each step attends to the last ``context_length`` steps (itself
    included) in every layer (:func:`banded_attention`); positions enter
    through rotary embeddings of the queries and keys, which make the
    attention depend on the distance between two steps only. So a cache
    of the last ``context_length - 1`` keys and values of every layer gives
    the next step exactly what the whole sequence computed at once gives
    it, however long the sequence: generation costs one step per token,
    and its log-probabilities equal those of scoring.
    """

    def __init__(
        self,
        *,
        d_model,
        nhead,
        num_layers,
        dim_feedforward,
        dropout,
        context_length,
        n_inputs=0,
        n_outcomes=0,
        n_features=0,
        n_components=0,
        n_classes=0,
    ):
        super().__init__()
        self._build_ends(
            (d_model, d_model), n_inputs, n_outcomes, n_features, n_components
        )
        self.label = nn.Embedding(n_classes, d_model) if n_classes else None
        self.context_length = context_length
        self.head_dim = d_model // nhead
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            [
                _Block(d_model, nhead, dim_feedforward, dropout)
                for _ in range(num_layers)
            ]
        )
        self.norm = nn.LayerNorm(d_model)

    def _tables(self, start, steps, like):
        positions = torch.arange(start, start + steps)
        return rotary_tables(positions, self.head_dim, like.dtype, like.device)

    def hidden(self, inputs, classes=None):
        x = self.drop(self._embed(inputs, classes))
        cos, sin = self._tables(0, x.shape[1], x)
        for block in self.blocks:
            x, _ = block(x, cos, sin, self.context_length)
        return self.norm(x)

    def start_state(self, n_rows):
        """An empty cache at position 0."""
        return {"position": 0, "cache": [None] * len(self.blocks)}

    def step(self, inputs, classes, state):
        """The output after ``inputs`` (rows, steps) and the updated cache.

        The first call (an empty cache) takes the whole prefix at once, as
        :meth:`hidden` does; later calls take one step each. The cache
        keeps the last ``context_length - 1`` keys and values of each layer.
        """
        x = self._embed(inputs, classes)
        T, position = x.shape[1], state["position"]
        if position == 0:
            cos, sin = self._tables(0, T, x)
        elif T != 1:
            raise ValueError(f"A cached step takes one step at a time; got {T}.")
        else:
            cos, sin = self._tables(position, 1, x)
        keep = self.context_length - 1
        caches = []
        for block, cache in zip(self.blocks, state["cache"], strict=True):
            if cache is None:
                x, (k, v) = block(x, cos, sin, self.context_length)
            else:
                x, (k, v) = block.step(x, cos, sin, cache)
            n = k.shape[-2]
            caches.append(
                (k[..., n - min(n, keep) :, :], v[..., n - min(n, keep) :, :])
            )
        return self.norm(x)[:, -1], {"position": position + T, "cache": caches}

    @staticmethod
    def select_state(state, rows):
        """The cache of the rows ``rows`` (an index tensor) only."""
        return {
            "position": state["position"],
            "cache": [
                None if c is None else (c[0][rows], c[1][rows]) for c in state["cache"]
            ],
        }
