"""Invertible tokenizers that turn documents into integer token sequences.

A tokenizer is the first step of a text ``GenerativePipeline``: it maps each
document (one string) to a 1-D array of integer ids that a sequence model
(a Markov chain, an HMM, a language model) can fit, score and sample, and
``inverse_transform`` maps sampled ids back to strings.
"""

import math
import re
from collections import Counter
from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from skgen.base import fit_atomically
from skgen.utils._compat import Interval, _fit_context
from skgen.utils._validation import (
    check_token_sequences,
    reject_iterator,
    split_sequences,
)

__all__ = ["CharTokenizer", "WordTokenizer"]


def _is_missing(value):
    """Whether ``value`` is a missing-value marker (None, NaN, pd.NA, NaT)."""
    if value is None:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def check_documents(X, *, name="X"):
    """Validate a collection of text documents and return it as a list.

    Parameters
    ----------
    X : iterable of str
        One string per document: a list, tuple, 1-D array or pandas Series.
    name : str, default="X"
        The name used in error messages.

    Returns
    -------
    documents : list of str

    Raises
    ------
    TypeError
        For a single string, a DataFrame, a mapping or set, a non-iterable,
        or an element that is not a string.
    ValueError
        For no documents, a missing document (None, NaN) or an array that is
        not 1-D.
    """
    reject_iterator(X, name)
    if isinstance(X, str | bytes):
        raise TypeError(
            f"{name} must be a list of documents (one string per document); "
            f"got a single {type(X).__name__}. Wrap it in a list: [text]."
        )
    if getattr(X, "ndim", 1) != 1:
        if hasattr(X, "iloc"):
            raise TypeError(
                f"{name} must be a list of documents (one string per "
                f"document); got a {type(X).__name__}. Select one column."
            )
        raise ValueError(
            f"{name} must be a 1-D collection of documents; got an array "
            f"with {X.ndim} dimensions and shape {X.shape}."
        )
    if isinstance(X, dict | set | frozenset):
        raise TypeError(
            f"{name} must be an ordered collection of documents (a list of "
            f"strings); got a {type(X).__name__}."
        )
    try:
        documents = list(X)
    except TypeError:
        raise TypeError(
            f"{name} must be a list of documents (one string per document); "
            f"got {type(X).__name__}."
        ) from None
    if len(documents) == 0:
        raise ValueError(f"{name} holds no documents; at least one is required.")
    for i, doc in enumerate(documents):
        if isinstance(doc, str):
            continue
        if _is_missing(doc):
            raise ValueError(
                f"{name}[{i}] is missing ({doc!r}); documents must be strings. "
                "Replace missing documents with '' or drop them."
            )
        raise TypeError(
            f"{name}[{i}] must be a str (one document); got {type(doc).__name__}."
        )
    return documents


class _BaseTokenizer(TransformerMixin, BaseEstimator):
    """Shared fit / transform / inverse_transform of the tokenizers.

    Subclasses implement ``_count(documents) -> Counter`` (token frequencies),
    ``_encode(documents) -> list of ndarray`` and ``_join(tokens) -> str``.

    ``fit`` is atomic (a failed fit leaves a fitted tokenizer as it was) and
    ``transform`` / ``inverse_transform`` read the fitted state only, so
    ``set_params`` changes what the next ``fit`` does, never the fitted
    tokenizer.
    """

    _parameter_constraints: ClassVar[dict] = {
        "lowercase": ["boolean"],
        "min_frequency": [Interval(Integral, 1, None, closed="left")],
        "max_vocabulary": [Interval(Integral, 1, None, closed="left"), None],
        "unknown_token": [str],
    }

    @staticmethod
    def _prepare(X, lowercase):
        documents = check_documents(X)
        if lowercase:
            documents = [doc.lower() for doc in documents]
        return documents

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary of the training documents.

        Parameters
        ----------
        X : list of str
            Training documents, one string per document.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted tokenizer.
        """
        self._check_extra_params()
        counts = self._count(self._prepare(X, self.lowercase))
        kept = [(tok, c) for tok, c in counts.items() if c >= self.min_frequency]
        # Most frequent first; ties by the token string, so ids never depend
        # on the order of the documents.
        kept.sort(key=lambda item: (-item[1], item[0]))
        if self.max_vocabulary is not None:
            kept = kept[: self.max_vocabulary]
        if any(tok == self.unknown_token for tok, _ in kept):
            raise ValueError(
                f"unknown_token={self.unknown_token!r} is a token of the "
                "vocabulary learnt in fit, so unknown tokens would come back "
                "from inverse_transform as that real token; choose a string "
                "that is not a token."
            )
        tokens = [self.unknown_token] + [tok for tok, _ in kept]
        self.tokens_ = np.array(tokens, dtype=object)
        self.vocabulary_ = {tok: i for i, tok in enumerate(tokens[1:], start=1)}
        self.token_counts_ = np.array([0] + [c for _, c in kept], dtype=np.int64)
        self.unknown_id_ = 0
        self._fit_lookup()
        return self

    def _check_extra_params(self):
        """Validate what ``_parameter_constraints`` cannot express."""

    def _fit_lookup(self):
        """Build any private lookup structure ``_encode`` needs."""

    def transform(self, X):
        """Map each document to its sequence of token ids.

        Tokens not in the vocabulary (unseen in ``fit``, rarer than
        ``min_frequency`` or beyond ``max_vocabulary``) map to
        ``unknown_id_ = 0``.

        Parameters
        ----------
        X : list of str
            Documents, one string per document.

        Returns
        -------
        Xt : list of ndarray of shape (n_tokens_i,), dtype=int64
            One array of token ids per document (ragged).
        """
        check_is_fitted(self)
        return self._encode(self._prepare(X, self._fitted_params["lowercase"]))

    def inverse_transform(self, Xt):
        """Map sequences of token ids back to documents.

        The unknown id 0 becomes ``unknown_token``.

        Parameters
        ----------
        Xt : list of 1-D array-like of int, or ndarray of shape (n, length)
            Token id sequences, such as the output of :meth:`transform` or the
            samples of a sequence model.

        Returns
        -------
        X : list of str
            One document per sequence.
        """
        check_is_fitted(self)
        if isinstance(Xt, str | bytes):
            raise TypeError(
                "Xt must be a list of token id sequences (such as the output of "
                f"transform); got a single {type(Xt).__name__}. Use transform "
                "to turn documents into token ids."
            )
        ids, lengths = check_token_sequences(Xt, name="Xt")
        n_tokens = len(self.tokens_)
        if ids.size and ids.max() >= n_tokens:
            raise ValueError(
                f"Xt contains token id {ids.max()}, but ids must be < "
                f"{n_tokens} (the vocabulary size, unknown id 0 included)."
            )
        strings = self.tokens_[ids]
        return [self._join(seg.tolist()) for seg in split_sequences(strings, lengths)]

    def log_abs_det_jacobian(self, X):
        """Log-Jacobian of the map from documents to token sequences: zeros.

        A tokenizer is a discrete map, so it adds nothing to a
        log-likelihood. ``GenerativePipeline`` calls this method to express
        likelihoods in the space of the original data.

        Parameters
        ----------
        X : list of str
            Documents, one string per document.

        Returns
        -------
        log_det : ndarray of shape (n_documents,)
            Zeros.
        """
        check_is_fitted(self)
        return np.zeros(len(check_documents(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        # The output is integer token ids, whatever the input.
        tags.transformer_tags.preserves_dtype = []
        return tags


class CharTokenizer(_BaseTokenizer):
    """Tokenize documents into characters (Unicode code points).

    Each document (one string) becomes a 1-D array of integer ids, one per
    character. ``inverse_transform`` rebuilds the strings exactly when every
    character was in the vocabulary and ``lowercase=False``.

    Parameters
    ----------
    lowercase : bool, default=False
        Lowercase the documents (``str.lower``) before tokenizing.
    min_frequency : int, default=1
        Characters seen fewer times than this in ``fit`` map to the unknown
        id 0.
    max_vocabulary : int, default=None
        Keep at most this many characters, the most frequent (ties broken
        by code point); the others map to the unknown id. ``None`` keeps all.
    unknown_token : str, default="\\ufffd"
        The string ``inverse_transform`` writes for the unknown id (the
        Unicode replacement character by default). It must not be a
        character of the learnt vocabulary (``fit`` raises).

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Known character -> id, ids ``1..n_vocabulary`` (the meaning of
        ``vocabulary_`` in scikit-learn's ``CountVectorizer`` and all of skgen).
    tokens_ : ndarray of shape (n_vocabulary + 1,), dtype=object
        The string of each id: ``tokens_[0]`` is ``unknown_token``,
        ``tokens_[vocabulary_[c]] == c``.
    token_counts_ : ndarray of shape (n_vocabulary + 1,), dtype=int64
        Training frequency of each known token (0 for the unknown id).
    unknown_id_ : int
        The id of unknown characters: 0.

    See Also
    --------
    WordTokenizer : Tokenize documents into words and punctuation marks.
    skgen.pipeline.make_generative_pipeline : Chain a tokenizer and a model.

    Notes
    -----
    A document is a sequence of Unicode code points (Python's ``str``);
    combining marks are separate tokens. Encoding is vectorised over the
    whole corpus: code points from ``str.encode("utf-32-le")``, looked up
    with ``np.searchsorted`` in the sorted vocabulary.

    Id 0 is reserved for unknown tokens; the known tokens get ids
    ``1..n_vocabulary`` by descending training frequency, ties broken by the
    token string, so the same documents in any order give the same ids.

    With ``lowercase=True``, ``min_frequency > 1`` or ``max_vocabulary`` set,
    different strings share a token sequence, so the map is not invertible:
    ``inverse_transform`` returns one representative string. The likelihood
    a ``GenerativePipeline`` gives a document is then that of its token
    sequence (the total probability of all documents that share it), and
    :meth:`log_abs_det_jacobian` is 0.

    Examples
    --------
    >>> from skgen.text import CharTokenizer
    >>> tok = CharTokenizer(unknown_token="?").fit(["abba", "abc"])
    >>> tok.vocabulary_
    {'a': 1, 'b': 2, 'c': 3}
    >>> Xt = tok.transform(["cab", "bad"])
    >>> Xt
    [array([3, 1, 2]), array([2, 1, 0])]
    >>> tok.inverse_transform(Xt)
    ['cab', 'ba?']
    """

    def __init__(
        self,
        *,
        lowercase=False,
        min_frequency=1,
        max_vocabulary=None,
        unknown_token="\ufffd",
    ):
        self.lowercase = lowercase
        self.min_frequency = min_frequency
        self.max_vocabulary = max_vocabulary
        self.unknown_token = unknown_token

    @staticmethod
    def _code_points(text):
        # "surrogatepass" keeps lone surrogates (e.g. from os.fsdecode) as
        # one code point each, like ``len(text)``.
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    def _count(self, documents):
        points, counts = np.unique(
            self._code_points("".join(documents)), return_counts=True
        )
        return Counter(
            {chr(p): c for p, c in zip(points.tolist(), counts.tolist(), strict=True)}
        )

    def _fit_lookup(self):
        known = np.array([ord(c) for c in self.tokens_[1:]], dtype=np.uint32)
        order = np.argsort(known)
        self._sorted_points_ = known[order]
        self._sorted_ids_ = (order + 1).astype(np.int64)

    def _encode(self, documents):
        points = self._code_points("".join(documents))
        lengths = np.fromiter(map(len, documents), np.int64, len(documents))
        ids = np.zeros(points.shape[0], dtype=np.int64)
        if self._sorted_points_.size:
            pos = np.searchsorted(self._sorted_points_, points)
            pos = np.minimum(pos, self._sorted_points_.size - 1)
            found = self._sorted_points_[pos] == points
            ids[found] = self._sorted_ids_[pos[found]]
        return split_sequences(ids, lengths)

    @staticmethod
    def _join(tokens):
        return "".join(tokens)


class WordTokenizer(_BaseTokenizer):
    """Tokenize documents into words and punctuation marks.

    Tokens are the matches of a regular expression, by default runs of word
    characters and single punctuation marks. ``inverse_transform`` joins the
    tokens of a document with single spaces: **whitespace is not
    preserved** (``"Hi, you."`` comes back as ``"Hi , you ."``).

    Parameters
    ----------
    lowercase : bool, default=False
        Lowercase the documents (``str.lower``) before tokenizing.
    min_frequency : int, default=1
        Tokens seen fewer times than this in ``fit`` map to the unknown id 0.
    max_vocabulary : int, default=None
        Keep at most this many tokens, the most frequent (ties broken by the
        token string); the others map to the unknown id. ``None`` keeps all.
    unknown_token : str, default="<unk>"
        The string ``inverse_transform`` writes for the unknown id. It must
        not be a token of the learnt vocabulary (``fit`` raises).
    token_pattern : str, default=r"(?u)\\w+|[^\\w\\s]"
        Regular expression whose matches are the tokens (``re.findall``).
        With one capturing group, the group is the token. The default makes
        words and each punctuation mark tokens and drops whitespace.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Known token -> id, ids ``1..n_vocabulary`` (the meaning of
        ``vocabulary_`` in scikit-learn's ``CountVectorizer`` and all of skgen).
    tokens_ : ndarray of shape (n_vocabulary + 1,), dtype=object
        The string of each id: ``tokens_[0]`` is ``unknown_token``,
        ``tokens_[vocabulary_[w]] == w``.
    token_counts_ : ndarray of shape (n_vocabulary + 1,), dtype=int64
        Training frequency of each known token (0 for the unknown id).
    unknown_id_ : int
        The id of unknown tokens: 0.

    See Also
    --------
    CharTokenizer : Tokenize documents into characters.
    skgen.pipeline.make_generative_pipeline : Chain a tokenizer and a model.

    Notes
    -----
    Whitespace is dropped, so the map is not invertible even with every token
    known: documents that differ only in spacing share a token sequence.

    Id 0 is reserved for unknown tokens; the known tokens get ids
    ``1..n_vocabulary`` by descending training frequency, ties broken by the
    token string, so the same documents in any order give the same ids.

    With ``lowercase=True``, ``min_frequency > 1`` or ``max_vocabulary`` set,
    different strings share a token sequence, so the map is not invertible:
    ``inverse_transform`` returns one representative string. The likelihood
    a ``GenerativePipeline`` gives a document is then that of its token
    sequence (the total probability of all documents that share it), and
    :meth:`log_abs_det_jacobian` is 0.

    Examples
    --------
    >>> from skgen.text import WordTokenizer
    >>> tok = WordTokenizer(lowercase=True).fit(["The cat sat.", "the dog"])
    >>> tok.vocabulary_
    {'the': 1, '.': 2, 'cat': 3, 'dog': 4, 'sat': 5}
    >>> Xt = tok.transform(["The bird sat."])
    >>> Xt
    [array([1, 0, 5, 2])]
    >>> tok.inverse_transform(Xt)
    ['the <unk> sat .']
    """

    _parameter_constraints: ClassVar[dict] = {
        **_BaseTokenizer._parameter_constraints,
        "token_pattern": [str],
    }

    def __init__(
        self,
        *,
        lowercase=False,
        min_frequency=1,
        max_vocabulary=None,
        unknown_token="<unk>",
        token_pattern=r"(?u)\w+|[^\w\s]",
    ):
        self.lowercase = lowercase
        self.min_frequency = min_frequency
        self.max_vocabulary = max_vocabulary
        self.unknown_token = unknown_token
        self.token_pattern = token_pattern

    @staticmethod
    def _compile(token_pattern):
        try:
            pattern = re.compile(token_pattern)
        except re.error as exc:
            raise ValueError(
                "The 'token_pattern' parameter of WordTokenizer must be a valid "
                f"regular expression; got {token_pattern!r} ({exc})."
            ) from None
        if pattern.groups > 1:
            raise ValueError(
                "The 'token_pattern' parameter of WordTokenizer must have at "
                f"most one capturing group; got {token_pattern!r} with "
                f"{pattern.groups}."
            )
        return pattern

    def _check_extra_params(self):
        self._compile(self.token_pattern)

    def _count(self, documents):
        findall = self._compile(self.token_pattern).findall
        counts = Counter()
        for doc in documents:
            counts.update(findall(doc))
        return counts

    def _encode(self, documents):
        findall = self._compile(self._fitted_params["token_pattern"]).findall
        get = self.vocabulary_.get
        out = []
        for doc in documents:
            words = findall(doc)
            out.append(np.fromiter((get(w, 0) for w in words), np.int64, len(words)))
        return out

    @staticmethod
    def _join(tokens):
        return " ".join(tokens)
