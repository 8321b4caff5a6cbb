"""Markov chains over discrete token sequences."""

from skgen.markov._chain import MarkovChain

__all__ = ["MarkovChain"]
