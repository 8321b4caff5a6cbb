"""Forward-backward over many sequences at once, in numpy.

Short sequences are laid out *packed* (as in ``torch.nn.utils.rnn.
pack_padded_sequence``): sorted by decreasing length, the frames of time
step ``t`` of every sequence still running are contiguous, so one recursion
step is one matrix product over all sequences. The Python loop runs over time
steps, never over sequences. Long sequences, where a loop over time would
cost more than hmmlearn's compiled recursions, go to hmmlearn's ``_hmmc``.
"""

import numpy as np
from scipy.special import logsumexp

from skgen.utils._validation import frames_of, sequence_starts

#: Sequences longer than this use hmmlearn's compiled recursions, one call each.
LONG_SEQUENCE = 64


class Packing:
    """Where each frame of a batch of sequences goes in the packed layout.

    Parameters
    ----------
    lengths : ndarray of shape (n_sequences,)
        Lengths (all >= 1) of the sequences, in their original order.
    """

    def __init__(self, lengths):
        n_seq = lengths.shape[0]
        self.lengths = lengths
        self.order = np.argsort(-lengths, kind="stable")
        rank = np.empty(n_seq, dtype=np.int64)
        rank[self.order] = np.arange(n_seq)
        t_max = int(lengths.max())
        # m[t]: sequences still running at step t; off[t]: where step t starts
        ended_by = np.cumsum(np.bincount(lengths, minlength=t_max + 1))
        self.m = n_seq - ended_by[:t_max]
        self.off = np.zeros(t_max + 1, dtype=np.int64)
        np.cumsum(self.m, out=self.off[1:])
        starts = sequence_starts(lengths)
        seq = np.repeat(np.arange(n_seq), lengths)
        t = np.arange(seq.shape[0]) - starts[seq]
        #: packed position of each frame of the concatenated input
        self.position = self.off[t] + rank[seq]
        #: original sequence of each packed frame
        self.sequence = np.empty_like(seq)
        self.sequence[self.position] = seq
        #: packed position of the last frame of each original sequence
        self.last = self.off[lengths - 1] + rank

    def pack(self, frames):
        out = np.empty_like(frames)
        out[self.position] = frames
        return out

    def unpack(self, packed):
        return packed[self.position]


def _finite_max(a, axis):
    mx = a.max(axis=axis, keepdims=True)
    mx[~np.isfinite(mx)] = 0.0
    return mx


def forward(log_startprob, transmat, log_frameprob, packing):
    """Packed log forward lattice and the log-likelihood of each sequence."""
    with np.errstate(divide="ignore"):
        log_alpha = np.empty_like(log_frameprob)
        m, off = packing.m, packing.off
        log_alpha[: m[0]] = log_startprob + log_frameprob[: m[0]]
        for t in range(1, m.shape[0]):
            prev = log_alpha[off[t - 1] : off[t - 1] + m[t]]
            mx = _finite_max(prev, 1)
            cur = slice(off[t], off[t] + m[t])
            log_alpha[cur] = np.log(np.exp(prev - mx) @ transmat) + mx
            log_alpha[cur] += log_frameprob[cur]
    log_prob = logsumexp(log_alpha[packing.last], axis=1)
    return log_prob, log_alpha


def backward(transmat, log_frameprob, packing):
    """Packed log backward lattice."""
    log_beta = np.zeros_like(log_frameprob)
    m, off = packing.m, packing.off
    with np.errstate(divide="ignore"):
        for t in range(m.shape[0] - 2, -1, -1):
            nxt = slice(off[t + 1], off[t + 1] + m[t + 1])
            v = log_frameprob[nxt] + log_beta[nxt]
            mx = _finite_max(v, 1)
            log_beta[off[t] : off[t] + m[t + 1]] = (
                np.log(np.exp(v - mx) @ transmat.T) + mx
            )
    return log_beta


def transition_counts(transmat, log_alpha, log_beta, log_frameprob, log_prob, packing):
    """Expected transition counts summed over all sequences and steps."""
    m = packing.m
    cur = np.arange(m[0], log_alpha.shape[0])
    step = np.repeat(np.arange(m.shape[0]), m)[cur]
    prev = cur - m[step - 1]
    left = log_alpha[prev] - log_prob[packing.sequence[prev]][:, None]
    right = log_frameprob[cur] + log_beta[cur]
    lmax, rmax = _finite_max(left, 1), _finite_max(right, 1)
    with np.errstate(under="ignore", over="ignore"):
        weight = np.exp(left - lmax) * np.exp(lmax + rmax)
        return transmat * (weight.T @ np.exp(right - rmax))


def posteriors_from_lattices(log_alpha, log_beta):
    log_gamma = log_alpha + log_beta
    log_gamma -= logsumexp(log_gamma, axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        return np.exp(log_gamma)


def long_sequence_estep(startprob, transmat, log_frameprob):
    """hmmlearn's compiled recursions on one sequence."""
    from skgen.utils._compat import _hmmc

    log_prob, log_alpha = _hmmc.forward_log(startprob, transmat, log_frameprob)
    log_beta = _hmmc.backward_log(startprob, transmat, log_frameprob)
    return log_prob, log_alpha, log_beta


def long_forward(startprob, transmat, log_frameprob):
    from skgen.utils._compat import _hmmc

    return _hmmc.forward_log(startprob, transmat, log_frameprob)


def long_transition_counts(transmat, log_alpha, log_beta, log_frameprob):
    from skgen.utils._compat import _hmmc

    if log_frameprob.shape[0] <= 1:
        return np.zeros_like(transmat)
    log_xi_sum = _hmmc.compute_log_xi_sum(log_alpha, transmat, log_beta, log_frameprob)
    with np.errstate(under="ignore"):
        return np.exp(log_xi_sum)


class SequenceBatch:
    """Frames of many sequences, laid out for batched recursions.

    Rows of ``frames`` are the packed frames of the short sequences, then
    the frames of each long sequence in turn.

    Parameters
    ----------
    frames : ndarray of shape (n_frames, ...)
        All sequences concatenated, in their original order.
    lengths : ndarray of shape (n_sequences,)
        Length of each sequence (>= 1).
    """

    def __init__(self, frames, lengths):
        self.lengths = lengths
        starts = sequence_starts(lengths)
        short = lengths <= LONG_SEQUENCE
        self.short_ids = np.flatnonzero(short)
        self.long_ids = np.flatnonzero(~short)
        parts = []
        if self.short_ids.shape[0]:
            self.packing = Packing(lengths[self.short_ids])
            parts.append(self.packing.pack(frames_of(lengths, self.short_ids)))
        else:
            self.packing = None
        self.long_slices = []
        at = parts[0].shape[0] if parts else 0
        for i in self.long_ids:
            parts.append(np.arange(starts[i], starts[i] + lengths[i]))
            self.long_slices.append((at, at + lengths[i]))
            at += lengths[i]
        #: row of the concatenated input that each row of ``frames`` holds
        self.frame_index = np.concatenate(parts)
        self.frames = frames[self.frame_index]
        self.n_short_frames = self.frame_index.shape[0] - sum(
            hi - lo for lo, hi in self.long_slices
        )

    def to_input_order(self, rows):
        """Rows aligned with ``frames`` back to the concatenated input order."""
        out = np.empty_like(rows)
        out[self.frame_index] = rows
        return out

    def log_likelihood(self, startprob, transmat, log_frameprob):
        """log p(x) of every sequence (original order)."""
        out = np.empty(self.lengths.shape[0])
        if self.packing is not None:
            n = self.n_short_frames
            with np.errstate(divide="ignore"):
                log_start = np.log(startprob)
            out[self.short_ids], _ = forward(
                log_start, transmat, log_frameprob[:n], self.packing
            )
        for i, (lo, hi) in zip(self.long_ids, self.long_slices, strict=True):
            out[i], _ = long_forward(startprob, transmat, log_frameprob[lo:hi])
        return out

    def expectations(self, startprob, transmat, log_frameprob):
        """E-step quantities summed over the batch.

        Returns
        -------
        log_prob : ndarray of shape (n_sequences,)
        posteriors : ndarray of shape (n_frames, n_components)
            Aligned with ``frames``.
        start : ndarray of shape (n_components,)
            Expected first states, summed over sequences.
        trans : ndarray of shape (n_components, n_components)
            Expected transitions, summed over sequences and steps.
        """
        K = transmat.shape[0]
        log_prob = np.empty(self.lengths.shape[0])
        posteriors = np.empty_like(log_frameprob)
        start, trans = np.zeros(K), np.zeros((K, K))
        if self.packing is not None:
            n = self.n_short_frames
            lf = log_frameprob[:n]
            with np.errstate(divide="ignore"):
                log_start = np.log(startprob)
            lp, log_alpha = forward(log_start, transmat, lf, self.packing)
            log_beta = backward(transmat, lf, self.packing)
            posteriors[:n] = posteriors_from_lattices(log_alpha, log_beta)
            start += posteriors[: self.packing.m[0]].sum(axis=0)
            trans += transition_counts(
                transmat, log_alpha, log_beta, lf, lp, self.packing
            )
            log_prob[self.short_ids] = lp
        for i, (lo, hi) in zip(self.long_ids, self.long_slices, strict=True):
            lf = log_frameprob[lo:hi]
            log_prob[i], log_alpha, log_beta = long_sequence_estep(
                startprob, transmat, lf
            )
            posteriors[lo:hi] = posteriors_from_lattices(log_alpha, log_beta)
            start += posteriors[lo]
            trans += long_transition_counts(transmat, log_alpha, log_beta, lf)
        return log_prob, posteriors, start, trans
