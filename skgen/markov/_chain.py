"""Order-k Markov chains over discrete tokens, with smoothing."""

from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from skgen.base import GenerativeClassifierMixin, GenerativeMixin, fit_atomically
from skgen.markov import _ngram
from skgen.utils._compat import Interval, StrOptions, _fit_context
from skgen.utils._resources import check_allocation
from skgen.utils._validation import check_token_sequences, frames_of
from skgen.utils._vocabulary import Vocabulary
from skgen.utils._warnings import warn

#: Bytes per (event, context position) while events are counted or scored:
#: the padded layout, the gathered contexts, their codes and the sorts
#: (about 150 measured at order 100 on the embedded corpus).
_BYTES_PER_CONTEXT_SLOT = 160


def _check_context_memory(n_events, order, what):
    """Refuse counting or scoring whose context arrays cannot fit in memory."""
    check_allocation(
        _BYTES_PER_CONTEXT_SLOT * n_events * (order + 1),
        f"MarkovChain {what} of {n_events} events at order {order}",
    )


class MarkovChain(GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """Order-k Markov chain over integer tokens, with an end symbol.

    A sample is a whole sequence. Each sequence is padded on the left with
    ``order`` start symbols, and its last token is followed by an end symbol,
    so the model gives a probability to every finite sequence and these
    probabilities sum to 1 (the length is modelled too).

    Fitted with class labels ``y``, it keeps one chain per class over shared
    symbols (``symbols_``): ``sample(..., y=...)`` returns ``(X, y)`` and
    ``predict_proba`` / ``predict`` classify sequences by Bayes' rule.

    Parameters
    ----------
    order : int, default=2
        Number of previous tokens the next token depends on. ``order=0`` is a
        unigram model (tokens independent, geometric length). Any order is
        allowed: contexts longer than the longest training sequence add no
        counts, so the chain is stored at the effective order ``order_``
        (see Notes) and costs no more than that.
    smoothing : {"kneser-ney", "additive"}, default="kneser-ney"
        ``"kneser-ney"``: interpolated Kneser-Ney over all context lengths
        ``0..order``, with modified discounts (Chen & Goodman) or one fixed
        discount. ``"additive"``: add ``alpha`` to every count of the longest
        context (``alpha=0`` gives plain normalised counts).
    alpha : float, default=1.0
        Pseudo-count of additive smoothing; ignored by Kneser-Ney.
    discount : float in (0, 1] or None, default=None
        Kneser-Ney discount. ``None`` estimates three discounts (for counts
        1, 2 and 3+) per context length from the counts of counts (modified
        Kneser-Ney); a float uses that discount everywhere (interpolated
        Kneser-Ney). Ignored by additive smoothing.

    Attributes
    ----------
    order_ : int
        The effective order: ``min(order, longest training sequence + 1)``.
        Scores, probabilities and samples are exactly those of the chain of
        order ``order``.
    symbols_ : ndarray of shape (n_symbols,)
        Sorted token ids seen in training (as ``CategoricalHMM.symbols_``).
        ``vocabulary_`` is its deprecated former name.
    ngrams_ : list of ndarray of shape (n_events, ``order_`` + 1)
        Per class (one entry without ``y``), the distinct training events:
        ``order_`` context tokens (``-1`` = start padding) then the next token
        (``-2`` = end). These counts are the sufficient statistics.
    ngram_counts_ : list of ndarray of shape (n_events,)
        Per class, how often each event of ``ngrams_`` occurred.
    discounts_ : ndarray of shape (``order_`` + 1, 3)
        Kneser-Ney discounts (D1, D2, D3+) per context length (row ``j`` for
        contexts of ``j`` tokens; longer contexts, up to ``order``, have
        those of row ``order_``); with ``y``, shape (n_classes, ``order_`` + 1,
        3). Only with ``smoothing="kneser-ney"``.
    classes_ : ndarray of shape (n_classes,)
        Class labels, when fitted with ``y``.
    class_count_ : ndarray of shape (n_classes,)
        Number of training sequences of each class, when fitted with ``y``.
    class_log_prior_ : ndarray of shape (n_classes,)
        Log of the class frequencies, when fitted with ``y``.
    transition_matrix_ : ndarray of shape (n_symbols, n_symbols)
        ``order=1`` only, fitted without ``y``: probability of each next token
        given the current one, conditioned on the chain continuing with a
        known token (rows sum to 1). With ``alpha=0``, a token only ever
        followed by the end has no such distribution: its row is NaN.
    stationary_distribution_ : ndarray of shape (n_symbols,)
        ``order=1`` only: the distribution ``pi`` with
        ``pi @ transition_matrix_ == pi``, the long-run token frequencies of
        the continuing chain.

    See Also
    --------
    skgen.text.CharTokenizer : Turns strings into token sequences.
    skgen.pipeline.make_generative_pipeline : Chain a tokenizer and a model.

    Notes
    -----
    The next-symbol outcomes are the ``V`` symbols of ``symbols_``, an
    unknown symbol ``<unk>`` and the end symbol: ``V + 2`` outcomes. Tokens
    never seen in training map to ``<unk>``, as outcomes and inside contexts,
    so a sequence with unseen tokens gets a finite log-likelihood whenever
    smoothing is on. The probability of ``<unk>`` is that of the *event*
    "some token outside ``symbols_``", so such likelihoods compare fairly
    only between models that share their symbols. ``sample`` never draws
    ``<unk>``: it draws from the distribution conditioned on a known token or
    the end.

    With contexts ``h`` of ``order`` symbols, counts ``c(h w)`` and
    ``c(h) = sum_w c(h w)``:

    - additive: ``P(w | h) = (c(h w) + alpha) / (c(h) + alpha (V + 2))``;
      an unseen context (``c(h) = 0``) gives the uniform distribution.
    - Kneser-Ney, for context lengths ``j = 0..order`` with ``P_{-1}``
      uniform: ``P_j(w | h) = (max(a - D(a), 0) + gamma(h) P_{j-1}(w | h'))
      / A(h)``, where ``a`` is the raw count at the longest context and the
      continuation count (number of distinct preceding symbols) below it,
      except for contexts that begin with the start symbol, which keep raw
      counts (as KenLM does); ``h'`` drops the oldest symbol, ``A(h)`` sums
      ``a`` over ``w`` and ``gamma(h) = D1 N1(h) + D2 N2(h) + D3+ N3+(h)``.
      Unseen contexts use ``P_{j-1}``. Where a modified-KN estimate is
      undefined or outside ``(0, r]`` the level uses KenLM's fallback
      discounts (0.5, 1.0, 1.5).

    **Effective order.** With ``L`` the longest training sequence and
    ``order > L + 1``, every training context begins with at least
    ``order - L`` start symbols, so the contexts of length ``L + 2 ..
    order`` are those of length ``L + 1`` with start symbols in front, with
    the same counts and discounts. Additive smoothing is then exactly the
    chain of order ``L + 1``; Kneser-Ney is that chain with its top level
    interpolated ``order - L`` times, in closed form (a geometric series).
    ``partial_fit`` raises the effective order when longer sequences come.
    Probabilities are interpolated in log space, so they stay finite
    however long the chain of backoffs.

    After fitting, the model reads only its fitted state: ``set_params``
    changes what the next ``fit`` does, never the fitted chain.
    ``partial_fit`` rebuilds the tables from the stored counts with the
    current ``smoothing``, ``alpha`` and ``discount``; it refuses a changed
    ``order`` (a different set of counts).

    ``score_samples`` is exact: the log-probability (nats) of each whole
    sequence, end symbol included; ``score`` is its mean per sequence and
    :meth:`perplexity` the per-symbol figure.

    Counting and scoring are vectorised: n-gram events are integer codes
    counted with ``np.unique``/``np.bincount`` and looked up with
    ``np.searchsorted``.

    References
    ----------
    .. [1] S. F. Chen and J. Goodman, "An empirical study of smoothing
       techniques for language modeling", Computer Speech & Language 13(4),
       1999.
    .. [2] K. Heafield et al., "Scalable modified Kneser-Ney language model
       estimation", ACL 2013.

    Examples
    --------
    >>> from skgen.markov import MarkovChain
    >>> X = [[0, 1, 0, 1], [1, 0, 1], [0, 1]]
    >>> mc = MarkovChain(order=1, smoothing="additive", alpha=0.5).fit(X)
    >>> mc.score_samples([[0, 1]]).round(3)
    array([-1.674])
    >>> [s.tolist() for s in mc.sample(3, random_state=2)]
    [[1], [0, 1, 0, 1], [1]]

    Fitted with labels, the chain classifies sequences:

    >>> clf = MarkovChain(order=1).fit(X + [[2, 2, 3], [3, 2]], y=[0, 0, 0, 1, 1])
    >>> clf.predict([[0, 1, 0], [2, 3]]).tolist()
    [0, 1]
    """

    likelihood_kind = "exact"
    _representation = "token_sequences"

    _parameter_constraints: ClassVar[dict] = {
        "order": [Interval(Integral, 0, None, closed="left")],
        "smoothing": [StrOptions({"kneser-ney", "additive"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "discount": [Interval(Real, 0, 1, closed="right"), None],
    }

    def __init__(self, order=2, *, smoothing="kneser-ney", alpha=1.0, discount=None):
        self.order = order
        self.smoothing = smoothing
        self.alpha = alpha
        self.discount = discount

    # ------------------------------------------------------------------ fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Count the n-grams of the training sequences.

        Parameters
        ----------
        X : list of 1-D array-like of int, or ndarray of shape (n, length)
            Training sequences of non-negative integer token ids (ragged
            lists allowed).
        y : array-like of shape (n_sequences,), default=None
            Class labels: one chain per class (a generative classifier).

        Returns
        -------
        self : MarkovChain
            The fitted chain.
        """
        self._fit_class_labels(None, 0)  # no stale classes: _accumulate adds them
        self.__dict__.pop("order_", None)
        self.ngrams_, self.ngram_counts_ = [], []
        self.symbols_ = Vocabulary().tokens
        return self._accumulate(X, y)

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Add the n-gram counts of more sequences (streaming fit).

        Fitting on two halves with ``partial_fit`` gives exactly the model
        fitted on the whole. New tokens, new classes and longer sequences (a
        higher effective order ``order_``) may appear in later batches.

        Parameters
        ----------
        X : list of 1-D array-like of int, or ndarray of shape (n, length)
            More training sequences.
        y : array-like of shape (n_sequences,), default=None
            Class labels; required if and only if the first call had them.

        Returns
        -------
        self : MarkovChain
            The updated chain.
        """
        if not hasattr(self, "ngrams_"):
            self.ngrams_, self.ngram_counts_ = [], []
            self.symbols_ = Vocabulary().tokens
        elif (y is not None) != self._fitted_with_y:
            raise ValueError(
                "partial_fit must be given y in every call or in none; this "
                f"model was fitted {'with' if self._fitted_with_y else 'without'}"
                " y."
            )
        elif self.order != self._fitted_params["order"]:
            raise ValueError(
                f"order was changed to {self.order} after fitting with order="
                f"{self._fitted_params['order']}; call fit to start again."
            )
        return self._accumulate(X, y)

    def _accumulate(self, X, y):
        tokens, lengths = check_token_sequences(X)
        order = min(self.order, int(lengths.max()) + 1)
        _check_context_memory(tokens.shape[0] + lengths.shape[0], order, "fit")
        if hasattr(self, "order_"):
            order = max(order, self.order_)
            # Contexts of the old batches, all shorter than ``order``, are
            # start symbols in front of their old ones (see Notes).
            self.ngrams_ = [
                np.pad(r, ((0, 0), (order - self.order_, 0)), constant_values=-1)
                for r in self.ngrams_
            ]
        self.order_ = order
        if y is None:
            groups = [(0, np.arange(lengths.shape[0]))]
        else:
            groups = self._update_classes(y, lengths.shape[0])
        # new lists, never the old ones mutated (see fit_atomically)
        ngrams, ngram_counts = list(self.ngrams_), list(self.ngram_counts_)
        for k, members in groups:
            rows, counts = _ngram.count_events(
                tokens[frames_of(lengths, members)], lengths[members], order
            )
            if k < len(ngrams):
                rows, counts = _ngram.merge_event_counts(
                    ngrams[k], ngram_counts[k], rows, counts
                )
                ngrams[k], ngram_counts[k] = rows, counts
            else:
                ngrams.append(rows)
                ngram_counts.append(counts)
        self.ngrams_, self.ngram_counts_ = ngrams, ngram_counts
        self.symbols_ = self._vocabulary.merge(tokens).tokens
        self._build()
        return self

    def _update_classes(self, y, n_sequences):
        y = self._check_fit_labels(y, n_sequences, getattr(self, "classes_", None))
        new_classes, y_idx = np.unique(y, return_inverse=True)
        y_idx = y_idx.ravel()
        if not hasattr(self, "classes_"):
            self.classes_ = new_classes[:0]
            self.class_count_ = np.zeros(0, dtype=np.int64)
        classes = np.union1d(self.classes_, new_classes)
        # Keep per-class statistics aligned with the sorted classes.
        old_pos = np.searchsorted(classes, self.classes_)
        rows = [np.zeros((0, self.order_ + 1), dtype=np.int64)] * len(classes)
        counts = [np.zeros(0, dtype=np.int64)] * len(classes)
        class_count = np.zeros(len(classes), dtype=np.int64)
        for old, new in enumerate(old_pos):
            rows[new], counts[new] = self.ngrams_[old], self.ngram_counts_[old]
            class_count[new] = self.class_count_[old]
        self.ngrams_, self.ngram_counts_ = rows, counts
        new_pos = np.searchsorted(classes, new_classes)
        class_count[new_pos] += np.bincount(y_idx, minlength=len(new_classes))
        self._set_class_counts(classes, class_count)
        return [
            (new_pos[i], np.flatnonzero(y_idx == i)) for i in range(len(new_classes))
        ]

    def _build(self):
        """Smoothing tables from the counts (part of fitting: reads parameters)."""
        counts = list(zip(self.ngrams_, self.ngram_counts_, strict=True))
        self._tables = [
            _ngram.build_tables(
                rows,
                c,
                self.symbols_,
                self.order_,
                self.smoothing,
                self.alpha,
                self.discount,
                repeat=self.order - self.order_ + 1,
            )
            for rows, c in counts
        ]
        # the mean training length sizes sample requests (one END per sequence)
        n_sequences = sum(int(c[r[:, -1] == _ngram.END].sum()) for r, c in counts)
        n_events = sum(int(c.sum()) for _, c in counts)
        self._mean_length = (n_events - n_sequences) / max(n_sequences, 1)
        if self.smoothing == "kneser-ney":
            d = [t["discounts"] for t in self._tables]
            self.discounts_ = np.stack(d) if self._fitted_with_y else d[0]
        elif hasattr(self, "discounts_"):
            del self.discounts_

    # -------------------------------------------------------------- scoring

    @property
    def _vocabulary(self):
        """The fitted symbols as a Vocabulary (a view of ``symbols_``, no copy)."""
        return Vocabulary(self.symbols_)

    @property
    def _n_outcomes(self):
        return self.symbols_.shape[0] + 2

    def _class_log_likelihood(self, X):
        """log p(x | class) of every sequence, shape (n_sequences, n_tables)."""
        check_is_fitted(self)
        tokens, lengths = check_token_sequences(X)
        V, order = self.symbols_.shape[0], self.order_
        _check_context_memory(tokens.shape[0] + lengths.shape[0], order, "scoring")
        symbols = _ngram.to_internal(tokens, self.symbols_)
        flat, targets, seq = _ngram.pad_sequences(symbols, lengths, order, V + 2, V + 1)
        contexts = flat[targets[:, None] - order + np.arange(order)]
        out = np.empty((lengths.shape[0], len(self._tables)))
        for k, tables in enumerate(self._tables):
            ids = _ngram.lookup_contexts(tables["ctx_codes"], contexts, V + 3)
            logp = _ngram.event_log_proba(tables, ids, flat[targets], self._n_outcomes)
            out[:, k] = np.bincount(seq, weights=logp, minlength=lengths.shape[0])
        return out

    def score_samples(self, X, y=None):
        """Log-likelihood of each sequence, in nats.

        Parameters
        ----------
        X : list of 1-D array-like of int, or ndarray of shape (n, length)
            Sequences to score.
        y : array-like of shape (n_sequences,), default=None
            For a model fitted with ``y``: the labels, giving the joint
            ``log p(x, y)``. Without them a model fitted with ``y`` gives the
            marginal ``log p(x)``.

        Returns
        -------
        log_likelihood : ndarray of shape (n_sequences,)
            ``log p(x)`` of each whole sequence, its end included.
        """
        check_is_fitted(self)
        if self._fitted_with_y:
            return self._score_samples_with_labels(X, y)
        return self._class_log_likelihood(X)[:, 0]

    def perplexity(self, X):
        """Per-symbol perplexity ``exp(-total log-likelihood / n_symbols)``.

        The symbols counted are the tokens plus one end symbol per sequence:
        every event the model predicts.

        Parameters
        ----------
        X : list of 1-D array-like of int, or ndarray of shape (n, length)

        Returns
        -------
        perplexity : float
        """
        from skgen.metrics import perplexity

        check_is_fitted(self)
        _, lengths = check_token_sequences(X)
        return perplexity(self.score_samples(X), lengths + 1)

    def _internal_contexts(self, contexts):
        """Internal symbols of the last ``order_`` tokens of each context."""
        contexts = np.asarray(contexts)
        order = self._fitted_params["order"]
        if contexts.ndim != 2 or contexts.shape[1] != order:
            raise ValueError(
                f"contexts must be a 2-D array of shape (n_contexts, "
                f"{order}); got shape {contexts.shape}."
            )
        if contexts.dtype.kind not in "iu":
            raise TypeError(
                f"contexts must hold integer token ids; got {contexts.dtype}."
            )
        if contexts.size and contexts.min() < -1:
            raise ValueError(
                f"contexts must hold token ids >= 0 or -1 (start); got "
                f"{contexts.min()}."
            )
        start = contexts == -1
        misplaced = np.flatnonzero((start[:, 1:] & ~start[:, :-1]).any(axis=1))
        if misplaced.size:
            raise ValueError(
                "contexts may hold -1 (start) only before their first token; "
                f"got {contexts[misplaced[0]].tolist()} in row {misplaced[0]}."
            )
        contexts = contexts[:, order - self.order_ :]  # see Notes
        V = self.symbols_.shape[0]
        internal = _ngram.to_internal(contexts.astype(np.int64), self.symbols_)
        internal[contexts == -1] = V + 2
        return internal

    def next_token_log_proba(self, contexts, *, y=None):
        """Log-probabilities of every possible next symbol.

        Parameters
        ----------
        contexts : array-like of int of shape (n_contexts, order)
            The previous ``order`` tokens, oldest first; ``-1`` stands for
            the start padding. Unseen tokens count as unknown.
        y : label, default=None
            For a model fitted with ``y``: the class whose chain to use
            (required there).

        Returns
        -------
        log_proba : ndarray of shape (n_contexts, n_symbols + 2)
            Columns are the tokens of ``symbols_``, then the unknown
            symbol, then the end symbol. Each row sums to 1 in probability.
        """
        check_is_fitted(self)
        internal = self._internal_contexts(contexts)
        tables = self._tables[self._one_class_index(y) or 0]
        ids = _ngram.lookup_contexts(
            tables["ctx_codes"], internal, self.symbols_.shape[0] + 3
        )
        return _ngram.dense_log_proba(tables, ids, self._n_outcomes)

    # ------------------------------------------------------------- sampling

    def sample(self, n_samples=1, *, y=None, max_length=1000, random_state=None):
        """Generate sequences, all at once (vectorised across sequences).

        Parameters
        ----------
        n_samples : int, default=1
            Number of sequences.
        y : label or array-like of shape (n_samples,), default=None
            Models fitted with ``y`` only: the class of each sequence; drawn
            from the training class frequencies when None.
        max_length : int, default=1000
            Sequences that have not drawn the end symbol after this many
            tokens are cut there.
        random_state : int, RandomState instance or None, default=None
            An int gives the same sequences on every call; None fresh ones.

        Returns
        -------
        X : list of ndarray of shape (length_i,)
            Token sequences (the unknown symbol is never drawn).
        y : ndarray of shape (n_samples,)
            Only for models fitted with ``y``: the class labels.
        """
        return self._sample(
            n_samples, y=y, random_state=random_state, max_length=max_length
        )

    def _prepare_sample(self, n_samples, rng, *, max_length):
        if isinstance(max_length, bool) or not isinstance(max_length, Integral):
            raise TypeError(f"max_length must be an int >= 0; got {max_length!r}.")
        if max_length < 0:
            raise ValueError(f"max_length must be >= 0; got {max_length}.")
        return {"max_length": max_length}

    def _sample_class(self, n_samples, class_index, rng, *, max_length):
        tables = self._tables[0 if class_index is None else class_index]
        return self._sample_table(tables, n_samples, max_length, rng)

    def _bytes_per_sample(self):
        """Bytes one sampled sequence needs while ``sample`` builds it.

        Per sequence: its context and context ids at every level (``2 order_
        + 1`` int64), a few per-step arrays and the output's list entry and
        array object (about 120 bytes); per token, at the mean training
        length, about five int64 (the step record, its sort and the output).
        """
        return 8 * (2 * self.order_ + 8) + 120 + 40 * self._mean_length

    def _sample_table(self, tables, n, max_length, rng):
        """Sample ``n`` sequences; memory grows with the tokens drawn."""
        V = self.symbols_.shape[0]
        unk, end = V, V + 1
        context = np.full((n, self.order_), V + 2, dtype=np.int64)
        active = np.arange(n)
        rows, tokens = [], []  # per step: which sequences drew which token
        for _ in range(max_length):
            if active.shape[0] == 0:
                break
            ids = _ngram.lookup_contexts(tables["ctx_codes"], context, V + 3)
            nxt = _ngram.sample_outcomes(tables, ids, self._n_outcomes, rng)
            redo = np.flatnonzero(nxt == unk)
            while redo.shape[0]:  # rejection: condition on a known token or end
                sub_ids = [i[redo] for i in ids]
                nxt[redo] = _ngram.sample_outcomes(
                    tables, sub_ids, self._n_outcomes, rng
                )
                redo = redo[nxt[redo] == unk]
            going = nxt != end
            active, nxt, context = active[going], nxt[going], context[going]
            rows.append(active)
            tokens.append(nxt)
            if self.order_:
                context = np.concatenate([context[:, 1:], nxt[:, None]], axis=1)
        rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        tokens = np.concatenate(tokens) if tokens else rows
        by_row = np.argsort(rows, kind="stable")  # steps are in time order
        out = self._vocabulary.to_tokens(tokens[by_row])
        return np.split(out, np.cumsum(np.bincount(rows, minlength=n))[:-1])

    # ------------------------------------------------ order-1 chain summaries

    @property
    def transition_matrix_(self):
        """Next-token probabilities of a first-order chain, one row per token.

        An array of shape (n_tokens, n_tokens), rows summing to 1, in the
        order of ``symbols_``.
        """
        self._check_first_order()
        V = self.symbols_.shape[0]
        contexts = self.symbols_[:, None]
        P = np.exp(self.next_token_log_proba(contexts))[:, :V]
        return P / P.sum(axis=1, keepdims=True)

    @property
    def stationary_distribution_(self):
        """The stationary distribution of a first-order chain.

        An array of shape (n_tokens,) summing to 1: the left eigenvector of
        ``transition_matrix_`` for eigenvalue 1.
        """
        P = self.transition_matrix_
        vals, vecs = linalg.eig(P.T)
        pi = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
        return pi / pi.sum()

    def _check_first_order(self):
        check_is_fitted(self)
        order = self._fitted_params["order"]
        if order != 1 or self._fitted_with_y:
            raise AttributeError(
                "transition_matrix_ and stationary_distribution_ exist for "
                "order=1 chains fitted without y; this one has order="
                f"{order}{' and classes' if self._fitted_with_y else ''}."
            )

    # ------------------------------------------- the former name of symbols_

    @property
    def vocabulary_(self):
        """Deprecated former name of ``symbols_``; will be removed.

        In skgen, as in scikit-learn's ``CountVectorizer``, ``vocabulary_`` is
        a dict from token to index (``CharTokenizer.vocabulary_``); the sorted
        token ids of a chain are ``symbols_``, as in ``CategoricalHMM``.
        """
        check_is_fitted(self, "symbols_")
        warn(
            "The attribute vocabulary_ of MarkovChain was renamed symbols_ in "
            "skgen 0.1 and will be removed in a later release; use symbols_.",
            FutureWarning,
        )
        return self.symbols_

    def __setstate__(self, state):
        # a chain saved before the rename holds its symbols as vocabulary_
        state = dict(state)
        if "vocabulary_" in state:
            state["symbols_"] = state.pop("vocabulary_")
        super().__setstate__(state)
