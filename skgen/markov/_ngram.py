"""Vectorised n-gram counting, smoothing tables and lookups.

Symbols are coded as integers. Token *values* (what users pass) are kept in
the sufficient statistics, with the sentinels ``START = -1`` (left padding)
and ``END = -2`` (end of sequence). Inside the smoothing tables, tokens are
*indices* into the ``V`` sorted symbols (``MarkovChain.symbols_``), and ``UNK = V``,
``END = V + 1``, ``START = V + 2``: outcomes live in ``range(V + 2)`` and
context symbols in ``range(V + 3)``.

A context of length ``j`` is coded hierarchically: its id at level ``j`` is
the rank of ``id_{j-1}(suffix) * (V + 3) + first_symbol`` among the sorted
codes of level ``j``, so codes never overflow whatever the order. An event
``(context, outcome)`` at level ``j`` is the key ``context_id * (V + 2) +
outcome``. No Python loop runs per token.
"""

import numpy as np

from skgen.utils._validation import sequence_starts
from skgen.utils._vocabulary import Vocabulary

_INT64_MAX = int(np.iinfo(np.int64).max)

START = -1
END = -2

# KenLM's --discount_fallback: used where modified-KN estimates are undefined.
FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)


def compress_rows(cols, base):
    """Dense integer codes of the rows of ``cols`` (equal rows, equal codes).

    Columns are combined in base ``base`` while the code fits in int64 and
    re-ranked with ``np.unique`` when it would not.
    """
    n_rows, n_cols = cols.shape
    if n_cols == 0:
        return np.zeros(n_rows, dtype=np.int64)
    code = cols[:, 0].astype(np.int64)
    bound = base
    limit = np.iinfo(np.int64).max // base
    for c in range(1, n_cols):
        if bound > limit:
            uniq, code = np.unique(code, return_inverse=True)
            bound = len(uniq)
        code = code * base + cols[:, c]
        bound *= base
    return code


def pad_sequences(symbols, lengths, order, start, end):
    """Lay sequences out with ``order`` start symbols and one end symbol.

    Returns
    -------
    flat : ndarray of shape (sum(lengths) + n_sequences * (order + 1),)
    targets : ndarray of shape (sum(lengths) + n_sequences,)
        Index in ``flat`` of every predicted symbol (tokens and ends).
    seq_of_target : ndarray of shape (sum(lengths) + n_sequences,)
        The sequence each target belongs to.
    """
    n_seq = lengths.shape[0]
    padded = lengths + order + 1
    offsets = sequence_starts(padded)
    flat = np.full(padded.sum(), start, dtype=np.int64)
    # tokens sit after the start padding, the end symbol after the tokens
    shift = offsets + order - sequence_starts(lengths)
    flat[np.repeat(shift, lengths) + np.arange(symbols.shape[0])] = symbols
    flat[offsets + padded - 1] = end
    seq_of_target = np.repeat(np.arange(n_seq), lengths + 1)
    shift = offsets + order - sequence_starts(lengths + 1)
    targets = shift[seq_of_target] + np.arange(seq_of_target.shape[0])
    return flat, targets, seq_of_target


def dense_values(rows):
    """Non-negative codes of the values of ``rows`` and the base they live in.

    Equal values get equal codes and the order of values is kept. The values
    are shifted to start at 0 when :func:`compress_rows` can combine them in
    that base without overflowing int64; otherwise (token ids near 2**62,
    say) they are replaced by their ranks.
    """
    if rows.size == 0:
        return rows, 1
    lo, hi = int(rows.min()), int(rows.max())  # Python ints: no overflow
    base = hi - lo + 1
    if base * max(base, rows.shape[0]) <= _INT64_MAX:
        return rows - lo, base
    values, ranks = np.unique(rows, return_inverse=True)
    return ranks.reshape(rows.shape).astype(np.int64), values.shape[0]


def _unique_rows_with_counts(rows, weights=None):
    codes = compress_rows(*dense_values(rows))
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    if weights is None:
        counts = np.bincount(inverse)
    else:
        counts = np.bincount(inverse, weights=weights).astype(np.int64)
    return rows[first], counts


def count_events(tokens, lengths, order):
    """Count the (context, next symbol) events of sequences.

    Returns
    -------
    rows : ndarray of shape (n_events, order + 1), dtype=int64
        Unique events as token values: ``order`` context symbols (``START``
        for padding) then the outcome (a token or ``END``).
    counts : ndarray of shape (n_events,), dtype=int64
    """
    flat, targets, _ = pad_sequences(tokens, lengths, order, START, END)
    rows = flat[targets[:, None] - order + np.arange(order + 1)]
    return _unique_rows_with_counts(rows)


def merge_event_counts(rows_a, counts_a, rows_b, counts_b):
    """Add two event tables (streaming counts for ``partial_fit``)."""
    rows = np.concatenate([rows_a, rows_b])
    counts = np.concatenate([counts_a, counts_b])
    return _unique_rows_with_counts(rows, weights=counts)


def to_internal(values, symbols):
    """Map token values to their indices in ``symbols``; unseen ones become UNK."""
    return Vocabulary(symbols).to_index(values)


def _internal_rows(rows, symbols):
    V = symbols.shape[0]
    out = to_internal(rows, symbols)
    out[rows == START] = V + 2
    out[rows == END] = V + 1
    return out


def modified_kn_discounts(adjusted):
    """Chen & Goodman's discounts (D1, D2, D3+) from adjusted counts.

    Falls back to (0.5, 1.0, 1.5) when an estimate is undefined or outside
    ``(0, r]``.
    """
    n1, n2, n3, n4 = (np.count_nonzero(adjusted == r) for r in (1, 2, 3, 4))
    if n1 + 2 * n2 == 0 or 0 in (n1, n2, n3):
        return np.array(FALLBACK_DISCOUNTS)
    y = n1 / (n1 + 2 * n2)
    d = np.array([1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3])
    if np.any(d <= 0) or np.any(d > np.arange(1, 4)):
        return np.array(FALLBACK_DISCOUNTS)
    return d


def _level_table(
    ctx_of_event, outcome, numer, gamma, denom, n_ctx, n_outcomes, repeat=1
):
    """Lookup table of one smoothing level, applied ``repeat`` times.

    A level maps the lower-level probability ``p`` of each outcome ``w`` of a
    seen context to ``f(p) = (numer(w) + gamma p) / denom``. Applied ``N``
    times (contexts longer than any training sequence repeat the top level,
    see :func:`build_tables`) it gives ``r**N p + numer(w) (1 - r**N) /
    mass`` with ``r = gamma / denom`` and ``mass = denom - gamma``, the sum
    of ``numer``. In log space: ``log f^N(p) = logaddexp(log_keep + log p,
    log_numer + log_scale)``.
    """
    keys = ctx_of_event * n_outcomes + outcome
    order_ = np.argsort(keys, kind="stable")
    keys = keys[order_]
    numer = numer[order_]
    ptr = np.searchsorted(keys, np.arange(n_ctx + 1, dtype=np.int64) * n_outcomes)
    cum = np.concatenate([[0.0], np.cumsum(numer)])
    ctx_mass = cum[ptr[1:]] - cum[ptr[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_denom = np.log(denom)
        if repeat == 1:
            log_keep = np.log(gamma) - log_denom
            log_scale = -log_denom
            ctx_take, take_scale = ctx_mass, None
        else:
            mass = np.bincount(ctx_of_event, weights=numer, minlength=n_ctx)
            # log r, accurate for r near 0 and near 1
            log_r = np.where(
                gamma < 0.5 * denom,
                np.log(gamma) - log_denom,
                np.log1p(-mass / denom),
            )
            log_keep = repeat * log_r
            keep_out = -np.expm1(log_keep)  # 1 - r**N
            log_scale = np.where(mass > 0, np.log(keep_out) - np.log(mass), -np.inf)
            # sampling: the counts are drawn with probability 1 - r**N
            ctx_take = denom * keep_out
            take_scale = np.where(ctx_take > 0, ctx_mass / ctx_take, 0.0)
        log_numer = np.log(numer)
    return {
        "keys": keys,
        "numer": numer,
        "log_numer": log_numer,
        "cum": cum,
        "ptr": ptr,
        "gamma": gamma,
        "denom": denom,
        "log_keep": log_keep,
        "log_scale": log_scale,
        # per context, for sampling: where its counts start in ``cum``, the
        # part of ``denom`` that draws from them, and its last event
        "ctx_lo": cum[ptr[:-1]],
        "ctx_take": ctx_take,
        "take_scale": take_scale,
        "ctx_last": ptr[1:] - 1,
    }


def build_tables(rows, counts, symbols, order, smoothing, alpha, discount, repeat=1):
    """Build the lookup tables of a smoothed chain from its event counts.

    ``repeat`` is how many times the top Kneser-Ney level is applied: a
    chain of nominal order ``k`` fitted on sequences of at most ``L < k - 1``
    tokens is the chain of order ``L + 1`` (every longer context is the
    start symbol repeated before one of order ``L + 1``, with the same
    counts and discounts) whose top level is applied ``k - L`` times.
    Additive smoothing uses the top level alone, so needs no repeat.

    Returns a dict with ``ctx_codes`` (sorted context codes of levels
    ``1..order``), ``levels`` (one table per smoothing level used, lowest
    first), ``first_level`` (the context length of ``levels[0]``) and
    ``discounts`` (array (order + 1, 3), Kneser-Ney only).
    """
    V = symbols.shape[0]
    n_outcomes = V + 2
    base = V + 3
    sym = _internal_rows(rows, symbols)
    outcome = sym[:, order]
    counts = counts.astype(np.float64)

    # Context ids of every event row at every level, shortest first.
    ctx_ids = [np.zeros(sym.shape[0], dtype=np.int64)]
    ctx_codes = []
    for j in range(1, order + 1):
        uniq, inv = np.unique(
            ctx_ids[-1] * base + sym[:, order - j], return_inverse=True
        )
        ctx_codes.append(uniq)
        ctx_ids.append(inv.astype(np.int64))
    n_ctx = [1] + [len(c) for c in ctx_codes]

    if smoothing == "additive":
        ctx = ctx_ids[order]
        ctx_total = np.bincount(ctx, weights=counts, minlength=n_ctx[order])
        table = _level_table(
            ctx,
            outcome,
            counts,
            np.full(n_ctx[order], alpha * n_outcomes),
            ctx_total + alpha * n_outcomes,
            n_ctx[order],
            n_outcomes,
        )
        return {
            "ctx_codes": ctx_codes,
            "levels": [table],
            "first_level": order,
            "discounts": None,
        }

    levels = []
    discounts = np.zeros((order + 1, 3))
    higher = None  # one row of each unique event of level j + 1
    for j in range(order, -1, -1):
        ev_codes = ctx_ids[j] * n_outcomes + outcome
        uniq, first, ev = np.unique(ev_codes, return_index=True, return_inverse=True)
        n_ev = len(uniq)
        raw = np.bincount(ev, weights=counts, minlength=n_ev)
        if j == order:
            adjusted = raw
        else:
            # distinct left extensions: one per unique higher-level event
            adjusted = np.bincount(ev[higher], minlength=n_ev).astype(np.float64)
            if j >= 1:
                starts_with_start = sym[first, order - j] == V + 2
                adjusted[starts_with_start] = raw[starts_with_start]
        higher = first
        ev_ctx = uniq // n_outcomes
        ev_out = uniq % n_outcomes
        if discount is None:
            d = modified_kn_discounts(adjusted)
        else:
            d = np.full(3, float(discount))
        discounts[j] = d
        d_of = np.where(adjusted >= 3, d[2], np.where(adjusted == 2, d[1], d[0]))
        numer = np.maximum(adjusted - d_of, 0.0)
        k = n_ctx[j]
        denom = np.bincount(ev_ctx, weights=adjusted, minlength=k)
        gamma = (
            d[0] * np.bincount(ev_ctx, weights=adjusted == 1, minlength=k)
            + d[1] * np.bincount(ev_ctx, weights=adjusted == 2, minlength=k)
            + d[2] * np.bincount(ev_ctx, weights=adjusted >= 3, minlength=k)
        )
        levels.append(
            _level_table(
                ev_ctx,
                ev_out,
                numer,
                gamma,
                denom,
                k,
                n_outcomes,
                repeat if j == order else 1,
            )
        )
    levels.reverse()
    return {
        "ctx_codes": ctx_codes,
        "levels": levels,
        "first_level": 0,
        "discounts": discounts,
    }


def lookup_contexts(ctx_codes, context_symbols, base):
    """Context ids (or -1 if unseen) of each row, at every level.

    Parameters
    ----------
    context_symbols : ndarray of shape (n, order)
        Internal context symbols, oldest first.

    Returns
    -------
    ids : list of ndarray of shape (n,)
        ``ids[j]`` is the id of the last ``j`` symbols at level ``j``.
    """
    n, order = context_symbols.shape
    ids = [np.zeros(n, dtype=np.int64)]
    for j in range(1, order + 1):
        codes = ctx_codes[j - 1]
        # an unseen parent (-1) gives a negative code, which matches nothing
        code = ids[-1] * base + context_symbols[:, order - j]
        pos = np.minimum(np.searchsorted(codes, code), codes.shape[0] - 1)
        ids.append(np.where(codes[pos] == code, pos, -1))
    return ids


def event_log_proba(tables, ctx_ids, outcomes, n_outcomes):
    """Log-probability of each outcome given its context ids at every level."""
    logp = np.full(outcomes.shape[0], -np.log(n_outcomes))
    for offset, level in enumerate(tables["levels"]):
        ctx = ctx_ids[tables["first_level"] + offset]
        seen = np.flatnonzero(ctx >= 0)
        if seen.size == 0:
            continue
        c = ctx[seen]
        keys = level["keys"]
        key = c * n_outcomes + outcomes[seen]
        pos = np.searchsorted(keys, key)
        np.clip(pos, 0, max(keys.shape[0] - 1, 0), out=pos)
        log_numer = np.where(keys[pos] == key, level["log_numer"][pos], -np.inf)
        logp[seen] = np.logaddexp(
            level["log_keep"][c] + logp[seen], log_numer + level["log_scale"][c]
        )
    return logp


def _event_ranges(level, ctx):
    """Flattened event indices of the contexts ``ctx`` and their row."""
    start = level["ptr"][ctx]
    size = level["ptr"][ctx + 1] - start
    row = np.repeat(np.arange(ctx.shape[0]), size)
    first = np.zeros(ctx.shape[0], dtype=np.int64)
    np.cumsum(size[:-1], out=first[1:])
    return start[row] + np.arange(row.shape[0]) - first[row], row


def dense_log_proba(tables, ctx_ids, n_outcomes):
    """Full next-symbol log-distribution, shape (n_contexts, n_outcomes)."""
    n = ctx_ids[0].shape[0]
    logp = np.full((n, n_outcomes), -np.log(n_outcomes))
    for offset, level in enumerate(tables["levels"]):
        ctx = ctx_ids[tables["first_level"] + offset]
        seen = np.flatnonzero(ctx >= 0)
        if seen.size == 0:
            continue
        c = ctx[seen]
        sub = logp[seen] + level["log_keep"][c][:, None]
        ev, row = _event_ranges(level, c)
        col = level["keys"][ev] % n_outcomes
        sub[row, col] = np.logaddexp(
            sub[row, col], level["log_numer"][ev] + level["log_scale"][c][row]
        )
        logp[seen] = sub
    return logp


def sample_outcomes(tables, ctx_ids, n_outcomes, rng):
    """Draw one next symbol per context, exactly from the smoothed model.

    The interpolated distribution is a mixture: at a seen context of level
    ``j`` the discounted counts carry mass ``1 - gamma / denom`` (``1 - (gamma
    / denom)**N`` for a top level applied ``N`` times) and the rest goes to
    level ``j - 1``, down to the uniform distribution. Each row walks down
    the levels once, so no dense distribution is built.
    """
    n = ctx_ids[0].shape[0]
    out = np.empty(n, dtype=np.int64)
    pending = np.arange(n)
    for offset in range(len(tables["levels"]) - 1, -1, -1):
        if pending.shape[0] == 0:
            return out
        level = tables["levels"][offset]
        ctx = ctx_ids[tables["first_level"] + offset][pending]
        seen = ctx >= 0
        rows, c = pending[seen], ctx[seen]
        u = rng.random_sample(rows.shape[0]) * level["denom"][c]
        take = u < level["ctx_take"][c]
        c, u = c[take], u[take]
        if level["take_scale"] is not None:
            u = u * level["take_scale"][c]
        # cum[ev] <= target < cum[ev + 1]: never an event of zero mass; the
        # minimum guards the context's end against rounding
        target = level["ctx_lo"][c] + u
        ev = np.searchsorted(level["cum"], target, side="right") - 1
        ev = np.minimum(ev, level["ctx_last"][c])
        out[rows[take]] = level["keys"][ev] % n_outcomes
        pending = np.concatenate([pending[~seen], rows[~take]])
    out[pending] = rng.randint(0, n_outcomes, size=pending.shape[0])
    return out
