"""Utilities: validation, persistence, discovery and estimator checks."""

from skgen.utils._persistence import trusted_types
from skgen.utils._validation import check_token_sequences

__all__ = ["check_token_sequences", "trusted_types"]
