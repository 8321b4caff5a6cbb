"""The private names skgen borrows from its engines, in one place.

scikit-learn, hmmlearn and imbalanced-learn do not promise to keep their
private names, so skgen imports each one here, once, and everything else
imports it from this module. ``pyproject.toml`` bounds the versions these
names were tested with; ``tests/utils/test_compat.py`` checks that the
installed versions are within the bounds and that every name below exists,
so an engine release that moves one fails one test with the name in it.

torch, skorch and hmmlearn are optional engines (the ``neural`` and ``hmm``
extras) and are never imported when this module is: :func:`import_engine`
imports them inside the functions that need them, with an error naming the
extra to install, and the hmmlearn and imbalanced-learn names load on first
access (``from skgen.utils._compat import _hmmc``).
"""

from importlib import import_module

# scikit-learn: parameter validation, fit context, indexing, sample weights.
from sklearn.base import _fit_context
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    InvalidParameterError,
    RealNotInt,
    StrOptions,
    generate_invalid_param_val,
    make_constraint,
    validate_parameter_constraints,
    validate_params,
)
from sklearn.utils._param_validation import Interval as _SklearnInterval
from sklearn.utils.validation import _check_sample_weight, _num_samples


class Interval(_SklearnInterval):
    """sklearn's ``Interval`` constraint, with booleans refused for ints.

    ``True`` is an ``Integral`` to Python, so sklearn's constraint lets
    ``order=True`` or ``batch_size=True`` through to raw errors deep in the
    maths; a count is never a boolean, so skgen's int intervals refuse
    them with sklearn's message ("must be an int in the range [1, inf). Got
    True instead.").
    """

    def is_satisfied_by(self, val):
        if isinstance(val, bool) and self.type is not RealNotInt:
            return False
        return super().is_satisfied_by(val)


__all__ = [
    "ENGINE_EXTRAS",
    "HMMLEARN_ENGINES",
    "HMMLEARN_PRIVATE_METHODS",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "RealNotInt",
    "StrOptions",
    "_check_sample_weight",
    "_fit_context",
    "_num_samples",
    "_safe_indexing",
    "generate_invalid_param_val",
    "import_engine",
    "make_constraint",
    "validate_parameter_constraints",
    "validate_params",
]

#: Optional engine -> the skgen extra that installs it.
ENGINE_EXTRAS = {"torch": "neural", "skorch": "neural", "hmmlearn": "hmm"}

#: Private methods of hmmlearn's models that skgen's HMM wrappers call on
#: ``model_`` (``model._init(...)``): its EM engine drives them one by one.
#: Checked to exist on every hmmlearn class skgen wraps.
HMMLEARN_PRIVATE_METHODS = (
    "_init",
    "_check",
    "_estep_begin",
    "_initialize_sufficient_statistics",
    "_accumulate_sufficient_statistics",
    "_do_mstep",
    "_compute_log_likelihood",
    "_get_n_fit_scalars_per_param",
)

#: The hmmlearn classes skgen wraps (``hmmlearn.hmm.<name>``).
HMMLEARN_ENGINES = ("CategoricalHMM", "GaussianHMM", "GMMHMM", "PoissonHMM")

# Private names of optional or heavy engines, loaded on first access.
_LAZY = {
    "_hmmc": ("hmmlearn._hmmc", None),  # compiled forward-backward, Viterbi
    "ArraysTransformer": ("imblearn.utils._validation", "ArraysTransformer"),
}


def import_engine(module, *names, extra=None):
    """Import an engine module, or names from it, naming the extra if missing.

    Parameters
    ----------
    module : str
        The module to import, such as ``"torch"`` or ``"skorch.callbacks"``.
    *names : str
        Attributes of the module to return instead of the module.
    extra : str, default=None
        The skgen extra that installs the engine; None: looked up in
        :data:`ENGINE_EXTRAS` from the module's top-level package.

    Returns
    -------
    engine : module or object or tuple of objects
        The module when no names are given, the attribute when one is, and
        a tuple of the attributes when several are.

    Raises
    ------
    ImportError
        When the module cannot be imported; the message names the module,
        the import error and the ``pip install "skgen[extra]"`` that
        provides it.
    """
    try:
        found = import_module(module)
    except ImportError as exc:
        extra = extra or ENGINE_EXTRAS.get(module.partition(".")[0], "all")
        raise ImportError(
            f"{module} is needed here but could not be imported ({exc}); install "
            f'skgen\'s "{extra}" extra: pip install "skgen[{extra}]"'
        ) from exc
    if not names:
        return found
    values = tuple(getattr(found, name) for name in names)
    return values[0] if len(values) == 1 else values


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    return (
        import_engine(module) if attribute is None else import_engine(module, attribute)
    )


def __dir__():
    return sorted([*globals(), *_LAZY])
