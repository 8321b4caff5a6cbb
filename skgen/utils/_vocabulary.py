"""The token vocabulary of token models (Markov chains, categorical HMMs, LMs).

A vocabulary is the sorted array of token ids seen in fit. Token values map
to their index in it; a token never seen maps to one *unknown* index, the
vocabulary's length. ``partial_fit`` merges the tokens of a new batch.

The model keeps only the plain ``int64`` array (its public fitted attribute
``symbols_``, in ``MarkovChain`` and ``CategoricalHMM``; not ``vocabulary_``,
which in skgen is a dict from token to index), so pickle and
``skops.io`` see a numpy array and need no extra trusted type;
:class:`Vocabulary` is a thin, copy-free view over that array, made where it
is used.
"""

import numpy as np

__all__ = ["Vocabulary"]


class Vocabulary:
    """Sorted token ids and the mapping of token values to their indices.

    Parameters
    ----------
    tokens : array-like of int of shape (n_tokens,), default=()
        Sorted, distinct token ids (a fitted ``symbols_``); kept as is,
        not copied, when it is already an ``int64`` array.

    Attributes
    ----------
    tokens : ndarray of int64 of shape (n_tokens,)
        The token ids, sorted.

    Examples
    --------
    >>> from skgen.utils._vocabulary import Vocabulary
    >>> vocab = Vocabulary.from_tokens([7, 3, 7, 10])
    >>> vocab.tokens.tolist(), vocab.unknown_index
    ([3, 7, 10], 3)
    >>> vocab.to_index([10, 3, 5]).tolist()
    [2, 0, 3]
    >>> vocab.merge([5]).tokens.tolist()
    [3, 5, 7, 10]
    """

    def __init__(self, tokens=()):
        tokens = np.asarray(tokens, dtype=np.int64)
        if tokens.ndim != 1:
            raise ValueError(
                f"tokens must be a 1-D array of token ids; got shape {tokens.shape}."
            )
        self.tokens = tokens

    @classmethod
    def from_tokens(cls, values):
        """The vocabulary of the token ids in ``values`` (any shape)."""
        return cls(np.unique(np.asarray(values, dtype=np.int64)))

    def merge(self, values):
        """A new vocabulary with the token ids of ``values`` added."""
        return type(self)(np.union1d(self.tokens, np.asarray(values, dtype=np.int64)))

    def __len__(self):
        return self.tokens.shape[0]

    @property
    def unknown_index(self):
        """The index every unseen token maps to: ``len(self)``."""
        return self.tokens.shape[0]

    def to_index(self, values):
        """Index of each token value; unseen tokens get :attr:`unknown_index`.

        Parameters
        ----------
        values : array-like of int
            Token ids, any shape.

        Returns
        -------
        index : ndarray of int64, of the shape of ``values``
        """
        values = np.asarray(values)
        V = self.tokens.shape[0]
        out = np.full(values.shape, V, dtype=np.int64)
        if V == 0 or values.size == 0:
            return out
        pos = np.searchsorted(self.tokens, values)
        np.clip(pos, 0, V - 1, out=pos)
        known = self.tokens[pos] == values
        out[known] = pos[known]
        return out

    def to_tokens(self, index):
        """Token ids of indices into the vocabulary (none of them unknown)."""
        return self.tokens[np.asarray(index)]
