"""A slow, obvious reference implementation of ``MarkovChain``'s smoothings.

Written from the specification only, for testing: plain dicts,
``collections.Counter`` and loops, with the formulas spelled out literally.
Nothing here is vectorised or clever on purpose.

Symbols are Python ints (training tokens) or one of the three string
sentinels ``START``, ``UNK`` and ``END``.
"""

import math
from collections import Counter

START = "<START>"
UNK = "<UNK>"
END = "<END>"

FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)


def _discount_for(a, discounts):
    """D(a): 0 if a = 0, D1 if a = 1, D2 if a = 2, D3+ if a >= 3."""
    d1, d2, d3 = discounts
    if a == 0:
        return 0.0
    if a == 1:
        return d1
    if a == 2:
        return d2
    return d3


def modified_kn_discounts(n):
    """Chen & Goodman's discounts from counts-of-counts ``n`` (a dict r -> n_r).

    Falls back to (0.5, 1.0, 1.5) when a formula is undefined or a discount
    D_r falls outside (0, r].
    """
    n1, n2, n3, n4 = n.get(1, 0), n.get(2, 0), n.get(3, 0), n.get(4, 0)
    if n1 + 2 * n2 == 0 or n1 == 0 or n2 == 0 or n3 == 0:
        return FALLBACK_DISCOUNTS
    y = n1 / (n1 + 2 * n2)
    d1 = 1 - 2 * y * n2 / n1
    d2 = 2 - 3 * y * n3 / n2
    d3 = 3 - 4 * y * n4 / n3
    if not (0 < d1 <= 1) or not (0 < d2 <= 2) or not (0 < d3 <= 3):
        return FALLBACK_DISCOUNTS
    return (d1, d2, d3)


class ReferenceMarkov:
    """Order-k Markov chain with additive or interpolated Kneser–Ney smoothing."""

    def __init__(self, order, smoothing="additive", alpha=1.0, discount=None):
        self.order = order
        self.smoothing = smoothing
        self.alpha = alpha
        self.discount = discount

    # ------------------------------------------------------------------ fit
    def events(self, sequence, vocabulary=None):
        """The T + 1 events (h, w) of a sequence; h is a tuple of length k.

        If ``vocabulary`` is given, tokens outside it become UNK.
        """
        k = self.order
        symbols = []
        for token in sequence:
            token = int(token)
            if vocabulary is not None and token not in vocabulary:
                token = UNK
            symbols.append(token)
        padded = [START] * k + symbols + [END]
        result = []
        for t in range(k, len(padded)):
            h = tuple(padded[t - k : t])
            w = padded[t]
            result.append((h, w))
        return result

    def fit(self, X):
        k = self.order
        vocab = set()
        for seq in X:
            for token in seq:
                vocab.add(int(token))
        self.vocabulary = sorted(vocab)
        self.vocab_set = set(self.vocabulary)
        self.outcomes = [*self.vocabulary, UNK, END]

        # Raw counts at full context length k.
        full = Counter()
        for seq in X:
            for h, w in self.events(seq):
                full[(h, w)] += 1

        # raw[j][(h_j, w)] = sum of c(h w) over full contexts h ending in h_j.
        self.raw = {}
        for j in range(k + 1):
            counts = Counter()
            for (h, w), c in full.items():
                h_j = h[k - j :]
                counts[(h_j, w)] += c
            self.raw[j] = counts

        if self.smoothing == "kneser-ney":
            self._fit_kneser_ney()
        return self

    def _fit_kneser_ney(self):
        k = self.order
        # Adjusted counts a_j(h_j w).
        self.adjusted = {}
        self.adjusted[k] = Counter(self.raw[k])
        for j in range(k):
            counts = Counter()
            for h_j, w in self.raw[j]:
                if j >= 1 and h_j[0] == START:
                    counts[(h_j, w)] = self.raw[j][(h_j, w)]
                else:
                    # N1+(. h_j w): distinct v with c(v h_j w) > 0.
                    distinct_v = set()
                    for (h_longer, w_longer), c in self.raw[j + 1].items():
                        if w_longer == w and h_longer[1:] == h_j and c > 0:
                            distinct_v.add(h_longer[0])
                    counts[(h_j, w)] = len(distinct_v)
            self.adjusted[j] = counts

        # Discounts per level.
        self.discounts = {}
        for j in range(k + 1):
            if self.discount is None:
                n = Counter()
                for a in self.adjusted[j].values():
                    if a > 0:
                        n[a] += 1
                self.discounts[j] = modified_kn_discounts(n)
            else:
                d = float(self.discount)
                self.discounts[j] = (d, d, d)

    # ---------------------------------------------------------- probability
    def _to_symbols(self, context):
        """Map a context (ints, -1 = START, or sentinels) to oracle symbols."""
        result = []
        for s in context:
            if isinstance(s, str):
                result.append(s)
            elif int(s) == -1:
                result.append(START)
            elif int(s) in self.vocab_set:
                result.append(int(s))
            else:
                result.append(UNK)
        return tuple(result)

    def proba(self, w, h):
        """P(w | h) for an outcome w and a length-k context h (oracle symbols)."""
        if self.smoothing == "additive":
            return self._proba_additive(w, h)
        if self.smoothing == "kneser-ney":
            return self._proba_kn(self.order, w, h)
        raise ValueError(self.smoothing)

    def _proba_additive(self, w, h):
        n_outcomes = len(self.outcomes)
        c_h = 0
        for v in self.outcomes:
            c_h += self.raw[self.order].get((h, v), 0)
        if c_h > 0:
            c_hw = self.raw[self.order].get((h, w), 0)
            return (c_hw + self.alpha) / (c_h + self.alpha * n_outcomes)
        return 1.0 / n_outcomes

    def _proba_kn(self, j, w, h):
        """P_j(w | h_j) where h_j is the last j symbols of h."""
        if j == -1:
            return 1.0 / len(self.outcomes)
        k = self.order
        h_j = h[k - j :]
        a = self.adjusted[j]
        total = 0
        n1 = n2 = n3 = 0
        for v in self.outcomes:
            a_v = a.get((h_j, v), 0)
            total += a_v
            if a_v == 1:
                n1 += 1
            elif a_v == 2:
                n2 += 1
            elif a_v >= 3:
                n3 += 1
        lower = self._proba_kn(j - 1, w, h)
        if total == 0:
            return lower
        d1, d2, d3 = self.discounts[j]
        gamma = d1 * n1 + d2 * n2 + d3 * n3
        a_w = a.get((h_j, w), 0)
        discounted = max(a_w - _discount_for(a_w, self.discounts[j]), 0.0)
        return (discounted + gamma * lower) / total

    def distribution(self, context):
        """[P(w | h) for w in outcomes], columns = vocabulary, UNK, END."""
        h = self._to_symbols(context)
        return [self.proba(w, h) for w in self.outcomes]

    def log_likelihood(self, sequence):
        total = 0.0
        for h, w in self.events(sequence, vocabulary=self.vocab_set):
            p = self.proba(w, h)
            if p == 0:
                return -math.inf
            total += math.log(p)
        return total

    def score_samples(self, X):
        return [self.log_likelihood(seq) for seq in X]

    def seen_contexts(self):
        """All length-k contexts seen in training, as oracle symbol tuples."""
        return sorted({h for h, _ in self.raw[self.order]}, key=repr)

    def discount_table(self):
        """[[D1, D2, D3+] for j = 0..k] (Kneser–Ney only)."""
        return [list(self.discounts[j]) for j in range(self.order + 1)]
