"""One way to sample from any fitted generator: skgen's or scikit-learn's.

skgen models follow the sampling contract (``sample(n_samples, *,
random_state=None, ...)``; a conditional model returns ``(X, y)``).
scikit-learn's density models do not: ``GaussianMixture.sample`` takes no
``random_state`` (it re-seeds from the estimator's own on every call) and
returns ``(X, component_labels)``; ``PCA`` and ``FactorAnalysis`` have no
``sample`` at all, but are Gaussians (``mean_``, ``get_covariance()``).
:func:`sample_from` hides those differences for the leaderboard, the
augmenting estimators and the generative scorers.
"""

import copy
import inspect

from sklearn.utils import check_random_state

__all__ = ["can_sample", "sample_from"]


def _is_gaussian_mixture(model):
    from sklearn.mixture import GaussianMixture

    return isinstance(model, GaussianMixture)


def _is_gaussian(model):
    """PCA, FactorAnalysis: no ``sample``, a Gaussian with ``mean_``."""
    return (
        not hasattr(model, "sample")
        and hasattr(model, "get_covariance")
        and hasattr(model, "mean_")
    )


def can_sample(model):
    """Whether :func:`sample_from` can draw from ``model``."""
    return hasattr(model, "sample") or _is_gaussian(model)


def _accepts(method, name):
    """Whether ``method`` takes the keyword ``name`` (or ``**kwargs``)."""
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def _refuse_options(model, y, kwargs):
    """scikit-learn's models sample with no labels and no options."""
    given = {**({"y": y} if y is not None else {}), **kwargs}
    if given:
        name, value = next(iter(given.items()))
        raise TypeError(
            f"{type(model).__name__} samples with no labels or options; got "
            f"{name}={value!r}."
        )


def sample_from(model, n_samples, *, random_state=None, y=None, **kwargs):
    """``n_samples`` new samples of a fitted ``model``, and their labels.

    Parameters
    ----------
    model : fitted estimator
        A skgen generative model (or pipeline), or any object with
        ``sample(n_samples, ...)``; scikit-learn's ``GaussianMixture``; or a
        Gaussian without ``sample`` (``PCA``, ``FactorAnalysis``: ``mean_``
        and ``get_covariance()``).
    n_samples : int
        Samples to draw.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws: an int gives the same draws every time. Passed as
        ``sample(..., random_state=random_state)`` where ``sample`` takes it;
        a ``GaussianMixture`` is sampled through a shallow copy that carries
        it (the model itself is left unchanged); ignored by a ``sample``
        that takes no ``random_state``.
    y : label, array-like or None, default=None
        Labels to draw for (``sample(n_samples, y=y, ...)``); a conditional
        model draws them from its class frequencies when None.
    **kwargs
        Further keyword options of ``model.sample`` (a language model's
        ``max_length``, an HMM's ``length``).

    Returns
    -------
    X : samples
        In the representation ``model.sample`` returns (a 2-D array for
        scikit-learn's models).
    y : ndarray or None
        The labels of a conditional model's ``(X, y)``; None for an
        unconditional model (a ``GaussianMixture``'s component labels are
        not class labels and are dropped).
    """
    if _is_gaussian_mixture(model):
        _refuse_options(model, y, kwargs)
        seeded = copy.copy(model)  # shares the fitted arrays
        seeded.random_state = random_state
        return seeded.sample(n_samples)[0], None
    if _is_gaussian(model):
        _refuse_options(model, y, kwargs)
        rng = check_random_state(random_state)
        X = rng.multivariate_normal(model.mean_, model.get_covariance(), n_samples)
        return X, None
    if not hasattr(model, "sample"):
        raise TypeError(
            f"model has no sample() and is not a Gaussian with mean_ and "
            f"get_covariance(); got {type(model).__name__}."
        )
    if y is not None:
        kwargs["y"] = y
    if _accepts(model.sample, "random_state"):
        kwargs["random_state"] = random_state
    out = model.sample(n_samples, **kwargs)
    if isinstance(out, tuple):
        return out[0], out[1]
    return out, None
