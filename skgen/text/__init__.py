"""Invertible tokenizers that turn text documents into token sequences."""

from skgen.text._tokenizers import CharTokenizer, WordTokenizer

__all__ = ["CharTokenizer", "WordTokenizer"]
