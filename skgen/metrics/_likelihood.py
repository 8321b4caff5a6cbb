"""Likelihood units: cross-entropy, perplexity and bits per dimension.

All three take the per-sample log-likelihoods in nats that ``score_samples``
returns and differ only in what they divide by and the unit.
"""

import math
from numbers import Real

import numpy as np

from skgen.metrics._validation import check_values, rescaled, unscaled
from skgen.utils._compat import validate_params


def _per_sample_counts(counts, n_samples, name):
    """Per-sample counts, each > 0: a scalar is broadcast, an array must match.

    Scalars and arrays follow one rule (positive reals), checked here rather
    than by ``validate_params``, so that both get the same message.
    """
    scalar = isinstance(counts, Real)
    counts = check_values(counts, name)
    bad = counts <= 0
    if bad.any():
        where = "" if scalar else f" at {np.flatnonzero(bad)[:10].tolist()}"
        raise ValueError(f"{name} must be > 0; got {counts[bad][0]}{where}.")
    if counts.shape[0] == 1 and n_samples != 1:
        counts = np.full(n_samples, counts[0])
    if counts.shape[0] != n_samples:
        raise ValueError(
            f"{name} must be a number or have one entry per log-likelihood "
            f"({n_samples}); got {counts.shape[0]} entries."
        )
    return counts


def _nats_per_unit(log_likelihood, counts, name):
    """``-sum(log_likelihood) / sum(counts)`` (``counts`` None: one each).

    Both sums are taken in units where the values are below 1 (an exact
    rescaling by powers of two), so that log-likelihoods near the float64
    limit (``[-1e308, -1e308]``) give their finite mean, not ``inf``.
    """
    ll = check_values(log_likelihood, "log_likelihood", allow_neg_inf=True)
    counts = (
        np.ones(ll.shape[0])
        if counts is None
        else _per_sample_counts(counts, ll.shape[0], name)
    )
    (ll,), ll_exponent = rescaled(ll)
    (counts,), counts_exponent = rescaled(counts)
    ratio = -ll.sum() / counts.sum()
    what = "the cross-entropy of log_likelihood"
    return float(unscaled(ratio, ll_exponent - counts_exponent, 1, what))


@validate_params(
    {
        "log_likelihood": ["array-like", Real],
        "n_tokens": ["array-like", Real, None],
    },
    prefer_skip_nested_validation=True,
)
def cross_entropy(log_likelihood, n_tokens=None):
    """Cross-entropy in nats: per sample, or per token when counts are given.

    Parameters
    ----------
    log_likelihood : array-like of shape (n_samples,) or float
        Log-likelihood of each sample in nats, as returned by
        ``score_samples``. ``-inf`` (a sample of probability 0) gives an
        infinite cross-entropy; NaN and ``+inf`` are errors.
    n_tokens : array-like of shape (n_samples,), float or None, default=None
        Number of tokens (predicted symbols, time steps, dimensions) each
        log-likelihood covers, each > 0; a number means every sample has
        that many. None gives the mean negative log-likelihood per sample.

    Returns
    -------
    cross_entropy : float
        ``-mean(log_likelihood)`` without ``n_tokens``, otherwise
        ``-sum(log_likelihood) / sum(n_tokens)``: total nats over total
        tokens, so long sequences weigh more than short ones.

    See Also
    --------
    perplexity : ``exp`` of the per-token cross-entropy.
    bits_per_dim : The per-dimension cross-entropy in bits.

    Examples
    --------
    >>> from skgen.metrics import cross_entropy
    >>> cross_entropy([-2.0, -4.0])
    3.0
    >>> cross_entropy([-2.0, -4.0], n_tokens=[1, 3])
    1.5
    """
    return _nats_per_unit(log_likelihood, n_tokens, "n_tokens")


@validate_params(
    {
        "log_likelihood": ["array-like", Real],
        "n_tokens": ["array-like", Real],
    },
    prefer_skip_nested_validation=True,
)
def perplexity(log_likelihood, n_tokens):
    """Per-token perplexity ``exp(-total log-likelihood / total tokens)``.

    Parameters
    ----------
    log_likelihood : array-like of shape (n_samples,) or float
        Log-likelihood of each sequence in nats (the sum over its tokens),
        as returned by ``score_samples`` of a sequence model.
    n_tokens : array-like of shape (n_samples,) or float
        Number of tokens each log-likelihood covers, each > 0; a number
        means every sequence has that many. Count every event the model predicts:
        for :class:`~skgen.markov.MarkovChain`, which also predicts one end
        symbol per sequence, that is ``len(seq) + 1``; for the HMMs, which
        do not model the length, it is ``len(seq)``. With these counts the
        function equals the models' own ``perplexity`` methods.

    Returns
    -------
    perplexity : float
        ``exp(sum(-log_likelihood) / sum(n_tokens))``, in ``[1, inf]`` for
        discrete models: the effective number of equally likely choices per
        token.

    See Also
    --------
    cross_entropy : Its logarithm, in nats.
    skgen.markov.MarkovChain.perplexity : The same figure from a fitted chain.

    Examples
    --------
    >>> import math
    >>> from skgen.markov import MarkovChain
    >>> from skgen.metrics import perplexity
    >>> X = [[0, 1, 2, 1], [2, 1, 0], [0, 0, 1, 2, 2]]
    >>> chain = MarkovChain(order=1).fit(X)
    >>> lengths = [len(seq) for seq in X]
    >>> ppl = perplexity(chain.score_samples(X), [n + 1 for n in lengths])
    >>> bool(abs(ppl - chain.perplexity(X)) < 1e-12)
    True
    >>> perplexity([-3 * math.log(4)], 3)  # 3 uniform choices among 4 symbols
    4.0
    """
    with np.errstate(over="ignore"):
        return float(np.exp(_nats_per_unit(log_likelihood, n_tokens, "n_tokens")))


@validate_params(
    {
        "log_likelihood": ["array-like", Real],
        "n_dims": ["array-like", Real],
    },
    prefer_skip_nested_validation=True,
)
def bits_per_dim(log_likelihood, n_dims):
    """Negative log-likelihood per dimension, in bits.

    Parameters
    ----------
    log_likelihood : array-like of shape (n_samples,) or float
        Log-likelihood (or density) of each sample in nats, as returned by
        ``score_samples``.
    n_dims : float or array-like of shape (n_samples,)
        Number of dimensions of each sample (``n_features`` for tabular
        data), > 0; an array gives one count per sample (sequences of
        different lengths), each > 0.

    Returns
    -------
    bits_per_dim : float
        ``-mean(log_likelihood) / (n_dims * ln 2)`` for a number ``n_dims``,
        ``-sum(log_likelihood) / (sum(n_dims) * ln 2)`` for an array.

    Notes
    -----
    For continuous data the value depends on the units of the data (a
    density changes under rescaling) and can be negative. Image papers add
    the discretisation term (``log 256`` per dimension for 8-bit pixels
    rescaled to [0, 1]) before converting; this function does not, so apply
    it to the log-likelihood yourself when comparing with them.

    Examples
    --------
    >>> import math
    >>> from skgen.metrics import bits_per_dim
    >>> bits_per_dim([-8 * math.log(2), -8 * math.log(2)], n_dims=4)
    2.0
    """
    return _nats_per_unit(log_likelihood, n_dims, "n_dims") / math.log(2)
