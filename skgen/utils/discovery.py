"""Find every public skgen estimator."""

import inspect
import pkgutil
from importlib import import_module
from operator import itemgetter

from sklearn.base import BaseEstimator

import skgen

__all__ = ["all_estimators"]

# Subpackages whose import pulls in heavy engines are still walked: discovery
# is explicit, and importing them is what the caller asked for.
_SKIP = {"tests", "utils"}


def all_estimators(type_filter=None):
    """Return every public estimator class in skgen.

    Parameters
    ----------
    type_filter : {"generative", "transformer"} or None, default=None
        ``"generative"``: estimators with ``sample`` and ``score_samples``;
        ``"transformer"``: estimators with ``transform``. None: all.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name. Classes whose name starts with an underscore, and
        classes defined outside skgen, are left out.
    """
    if type_filter not in (None, "generative", "transformer"):
        raise ValueError(
            "type_filter must be 'generative', 'transformer' or None; got "
            f"{type_filter!r}."
        )
    found = {}
    modules = [skgen]  # the meta-estimators live at the top level
    for info in pkgutil.walk_packages(skgen.__path__, prefix="skgen."):
        parts = info.name.split(".")
        if parts[1] in _SKIP or any(p.startswith("_") for p in parts[1:]):
            continue
        modules.append(import_module(info.name))
    for module in modules:
        for name in getattr(module, "__all__", []):
            cls = getattr(module, name, None)
            if (
                inspect.isclass(cls)
                and issubclass(cls, BaseEstimator)
                and cls.__module__.startswith("skgen.")
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    estimators = sorted(found.items(), key=itemgetter(0))
    if type_filter == "generative":
        return [
            (n, c)
            for n, c in estimators
            if hasattr(c, "sample") and hasattr(c, "score_samples")
        ]
    if type_filter == "transformer":
        return [(n, c) for n, c in estimators if hasattr(c, "transform")]
    return estimators
