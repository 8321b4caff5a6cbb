"""Sequences as batches for the language models: windows, buckets, padding.

A fitted language model sees a set of sequences as two flat arrays: the
*inputs* (what the network reads at each step) and the *targets* (what it
predicts there), with ``offsets`` marking where each sequence starts. A
token sequence ``t_0 .. t_{n-1}`` has ``n + 1`` steps: inputs ``START, t_0,
.., t_{n-1}`` and targets ``t_0, .., t_{n-1}, END``; a sequence of ``n``
frames has ``n`` steps: inputs a start flag then ``x_0, .., x_{n-2}`` (each
frame with a zero flag), targets ``x_0, .., x_{n-1}``.

Batches are padded at the end of each row; every network is causal, so a
padded step never reaches a real one, and a mask says which steps count.

- **Training** (:class:`WindowLoader`): every epoch each sequence is cut
  into windows of at most ``window`` steps. A sequence that fits is one
  window. A longer one gets a first window from its start, of a random
  length (a new phase each epoch, so the cuts move), then windows whose
  first ``burn_in`` steps give context only and whose other steps are
  predicted; every step of every sequence is predicted once an epoch.
  Windows are shuffled, sorted by length within pools of batches (so
  padding stays small) and the batches shuffled. Randomness comes from
  torch's default generator, which the estimator seeds.
- **Validation and scoring** (:func:`sequence_batches`): whole sequences,
  sorted by length and grouped under a budget of padded steps.

Imported only when a language model trains or scores.
"""

import math

import numpy as np

from skgen.utils._compat import import_engine

torch = import_engine("torch")
Callback = import_engine("skorch.callbacks", "Callback")

#: Padded steps of a batch of whole sequences (validation, scoring).
STEP_BUDGET = 1 << 15

#: Batches whose windows are sorted by length together.
_POOL_BATCHES = 32


class SequenceDataset(torch.utils.data.Dataset):
    """Sequences as flat input and target arrays; item ``i`` is sequence ``i``.

    Parameters
    ----------
    inputs : ndarray of shape (n_steps,) of int64, or (n_steps, n_features + 1)
    targets : ndarray of shape (n_steps,) of int64, or (n_steps, n_features)
    offsets : ndarray of shape (n_sequences + 1,)
        Sequence ``i`` holds steps ``offsets[i]:offsets[i + 1]``.
    classes : ndarray of shape (n_sequences,) or None
        The class index of each sequence.
    """

    def __init__(self, inputs, targets, offsets, classes=None):
        self.inputs, self.targets = inputs, targets
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.classes = classes

    def __len__(self):
        return self.offsets.shape[0] - 1

    def __getitem__(self, i):
        return i

    @property
    def steps(self):
        """The number of steps of each sequence."""
        return np.diff(self.offsets)


def _resolve(dataset):
    """The :class:`SequenceDataset` under ``dataset`` and the sequences it holds."""
    if isinstance(dataset, torch.utils.data.Subset):
        base, idx = _resolve(dataset.dataset)
        return base, idx[np.asarray(dataset.indices, dtype=np.int64)]
    return dataset, np.arange(len(dataset))


def gather(data, seq, lo, start, stop):
    """A padded batch of windows: steps ``lo:stop`` of sequences ``seq``.

    Steps from ``start`` on are predicted (the mask); those from ``lo`` to
    ``start`` give context only. Returns a dict of numpy arrays
    (``inputs``, ``targets``, ``mask`` and, for a conditional model,
    ``classes``).
    """
    width = stop - lo
    L = int(width.max())
    t = np.arange(L)
    valid = t[None, :] < width[:, None]
    index = data.offsets[seq, None] + lo[:, None] + t[None, :]
    index = np.where(valid, index, 0)
    inputs, targets = data.inputs[index], data.targets[index]
    if inputs.ndim == 2:  # tokens: padded steps are token 0, masked out
        inputs = np.where(valid, inputs, 0)
        targets = np.where(valid, targets, 0)
    mask = valid & (t[None, :] >= (start - lo)[:, None])
    batch = {"inputs": inputs, "targets": targets, "mask": mask.astype(np.float32)}
    if data.classes is not None:
        batch["classes"] = data.classes[seq]
    return batch


def sequence_batches(data, idx=None, budget=None):
    """Whole sequences ``idx`` of ``data``, by length, in padded batches.

    Yields ``(members, batch)``: the sequences of the batch (indices into
    ``data``) and their :func:`gather` arrays; a batch holds at most
    ``budget`` padded steps (default :data:`STEP_BUDGET`), or one sequence
    longer than that.
    """
    budget = STEP_BUDGET if budget is None else budget
    idx = np.arange(len(data)) if idx is None else np.asarray(idx, dtype=np.int64)
    order = idx[np.argsort(data.steps[idx], kind="stable")]
    steps = data.steps[order]  # ascending
    a = 0
    while a < order.shape[0]:
        # a batch of k + 1 sequences costs (k + 1) * its longest; the cost
        # grows with k, and a batch holds at most ``budget`` sequences
        head = steps[a : a + budget]
        cost = np.arange(1, head.shape[0] + 1) * head
        b = a + max(1, int(np.searchsorted(cost, budget, side="right")))
        members = order[a:b]
        n = steps[a:b]
        yield members, gather(data, members, np.zeros_like(n), np.zeros_like(n), n)
        a = b


def training_windows(steps, window, burn_in, phase):
    """Where the windows of one epoch lie (see the module docstring).

    Parameters
    ----------
    steps : ndarray of int
        Steps of each sequence.
    window, burn_in : int
        Longest window; context-only steps at the start of a later window.
    phase : ndarray of int
        Per sequence, the length of the first window of a long sequence,
        in ``1..window``.

    Returns
    -------
    seq, lo, start, stop : ndarray of int64
        Per window: its sequence (position in ``steps``), its first step,
        its first predicted step and its end.
    """
    long = steps > window
    stride = window - burn_in
    first = np.where(long, np.minimum(phase, steps), steps)
    rest = np.where(long, np.ceil((steps - first) / stride), 0).astype(np.int64)
    counts = 1 + rest
    seq = np.repeat(np.arange(steps.shape[0]), counts)
    k = np.arange(seq.shape[0]) - np.repeat(np.cumsum(counts) - counts, counts)
    start = np.where(k == 0, 0, first[seq] + (k - 1) * stride)
    stop = np.where(k == 0, first[seq], np.minimum(start + stride, steps[seq]))
    lo = np.maximum(start - burn_in, 0)
    return seq, lo, start, stop


def expected_windows(steps, window, burn_in):
    """The windows of an epoch on average over the phase (the training budget)."""
    stride = window - burn_in
    long = steps > window
    # the first window is window/2 long on average
    rest = np.ceil(np.maximum(steps - (window + 1) / 2, 0) / stride)
    return int(np.sum(np.where(long, 1 + rest, 1)))


class WindowLoader:
    """skorch's ``iterator_train``: shuffled, length-bucketed training windows.

    Parameters
    ----------
    dataset : SequenceDataset or torch Subset of one
    batch_size : int
        Windows per batch.
    window, burn_in : int
        See :func:`training_windows`.
    """

    def __init__(self, dataset, batch_size, window, burn_in):
        self.data, self.idx = _resolve(dataset)
        self.batch_size, self.window, self.burn_in = batch_size, window, burn_in
        self._steps = self.data.steps[self.idx]

    def __len__(self):
        n = expected_windows(self._steps, self.window, self.burn_in)
        return math.ceil(n / self.batch_size)

    def __iter__(self):
        n = self._steps.shape[0]
        phase = torch.randint(1, self.window + 1, (n,)).numpy()
        seq, lo, start, stop = training_windows(
            self._steps, self.window, self.burn_in, phase
        )
        order = torch.randperm(seq.shape[0]).numpy()
        pool = self.batch_size * _POOL_BATCHES
        batches = []
        for a in range(0, order.shape[0], pool):
            chunk = order[a : a + pool]
            chunk = chunk[np.argsort((stop - lo)[chunk], kind="stable")]
            batches += [
                chunk[b : b + self.batch_size]
                for b in range(0, chunk.shape[0], self.batch_size)
            ]
        for i in torch.randperm(len(batches)).tolist():
            w = batches[i]
            batch = gather(self.data, self.idx[seq[w]], lo[w], start[w], stop[w])
            yield to_tensors(batch), torch.zeros(w.shape[0])


class SequenceLoader:
    """skorch's ``iterator_valid``: whole sequences, bucketed by length."""

    def __init__(self, dataset, batch_size=None):
        self.data, self.idx = _resolve(dataset)

    def __iter__(self):
        for members, batch in sequence_batches(self.data, self.idx):
            yield to_tensors(batch), torch.zeros(members.shape[0])


def to_tensors(batch, dtype=torch.float32, device="cpu"):
    """A :func:`gather` batch as tensors: floats in ``dtype``, on ``device``."""
    out = {}
    for key, value in batch.items():
        tensor = torch.as_tensor(value)
        if tensor.is_floating_point():
            tensor = tensor.to(dtype)
        out[key] = tensor.to(device)
    return out


class TokenWeights(Callback):
    """Weigh each batch's loss by its predicted steps in the epoch's loss.

    skorch averages the batch losses of an epoch (``train_loss``,
    ``valid_loss``) weighted by the rows of each batch. A language model's
    batch loss is already a mean per predicted step (per token), and its
    batches hold different numbers of steps, so this callback records the
    steps of each batch as its weight: the epoch's losses are then exactly
    the mean negative log-likelihood per step of the windows trained on and
    of the whole held-out sequences, which early stopping compares.
    """

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        prefix = "train" if training else "valid"
        steps = float(batch[0]["mask"].sum())
        net.history.record_batch(prefix + "_batch_size", steps)
