"""Hidden Markov models as sequence estimators, on hmmlearn.

Importing this package does not import hmmlearn: it loads when a model is
fitted.
"""

from skgen.hmm._models import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM

__all__ = ["GMMHMM", "CategoricalHMM", "GaussianHMM", "PoissonHMM"]
