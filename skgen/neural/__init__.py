"""Neural generators trained through skorch (torch loads only when used)."""

from skgen.neural._lm import RNNLanguageModel, TransformerLanguageModel
from skgen.neural._vae import VAE

__all__ = ["VAE", "RNNLanguageModel", "TransformerLanguageModel"]
