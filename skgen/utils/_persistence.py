"""Trusted types for loading skgen models with :mod:`skops.io`."""

__all__ = ["trusted_types"]


def trusted_types():
    """Types a skgen model needs trusted when loaded with ``skops.io``.

    ``skops.io.load`` refuses, by default, every type it does not know. A
    skgen model is made of skgen estimators, numpy arrays and builtin
    containers, so only the skgen classes themselves need trusting. Load a
    model you saved with::

        import skops.io as sio
        from skgen.utils import trusted_types
        model = sio.load("model.skops", trusted=trusted_types())

    The hidden Markov models hold fitted hmmlearn models, so hmmlearn's
    model classes that skgen wraps are on the list too.

    Returns
    -------
    types : list of str
        Fully qualified names of every public skgen estimator class and of
        the engine classes they hold.
    """
    from skgen.utils._compat import HMMLEARN_ENGINES
    from skgen.utils.discovery import all_estimators

    names = {f"{cls.__module__}.{cls.__qualname__}" for _, cls in all_estimators()}
    names |= {f"hmmlearn.hmm.{name}" for name in HMMLEARN_ENGINES}
    return sorted(names)
