"""Invertible encoding of mixed-type tables for tabular generative models."""

from skgen.tabular._encoder import TabularEncoder

__all__ = ["TabularEncoder"]
