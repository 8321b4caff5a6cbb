"""Embedded data sets, real series and synthetic generators with known truth."""

from skgen.datasets._hmm import make_hmm_sequences
from skgen.datasets._series import load_series, window_series
from skgen.datasets._synthetic import make_markov_sequences
from skgen.datasets._text import load_text_corpus

__all__ = [
    "load_series",
    "load_text_corpus",
    "make_hmm_sequences",
    "make_markov_sequences",
    "window_series",
]
