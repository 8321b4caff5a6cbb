"""The generative-estimator contract shared by every skgen model.

See ``DESIGN.md`` §1: ``fit``, ``score_samples`` (log-likelihood per sample, in
nats), ``score`` (the mean of ``score_samples``) and ``sample``.
"""

import contextlib
import functools
import inspect
from dataclasses import dataclass
from numbers import Integral
from types import MethodType

import numpy as np
from scipy.special import logsumexp
from sklearn.base import DensityMixin
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, column_or_1d

from skgen.utils._random import categorical_draws
from skgen.utils._representations import REGISTRY, get_representation
from skgen.utils._resources import check_allocation

__all__ = [
    "KINDS",
    "LIKELIHOOD_KINDS",
    "REPRESENTATIONS",
    "GenerativeClassifierMixin",
    "GenerativeMixin",
    "GenerativeTags",
    "available_if",
    "check_count",
    "check_n_samples",
    "check_sample_random_state",
    "choose_conditional",
    "fit_atomically",
    "get_generative_tags",
    "restored_on_failure",
]

#: The data representations of ``DESIGN.md`` §2, as declared in the registry
#: :mod:`skgen.utils._representations` (input tags, check data, samples).
REPRESENTATIONS = tuple(REGISTRY)

#: What ``score_samples`` is: an exact log-likelihood, a lower bound on it,
#: or an estimate (a kernel density fitted on generated samples).
LIKELIHOOD_KINDS = ("exact", "lower_bound", "estimate")

#: What an estimator is (``DESIGN.md`` §1, "Kinds"): a *density* (an exact or
#: bounded likelihood), a *sampler* (samples; its likelihood only an
#: estimate) or a *translator* (``fit(X, domain)``, ``transform`` from one
#: domain to the other).
KINDS = ("density", "sampler", "translator")

#: The kind a likelihood kind implies when a class does not say its own.
_KIND_OF_LIKELIHOOD = {
    "exact": "density",
    "lower_bound": "density",
    "estimate": "sampler",
}


@dataclass
class GenerativeTags:
    """What a generative estimator consumes and produces.

    scikit-learn's tags cannot describe sequences, so skgen keeps these next
    to them; :func:`get_generative_tags` reads them and
    :mod:`skgen.utils.estimator_checks` chooses its checks from them.

    Parameters
    ----------
    representation : str
        One of :data:`REPRESENTATIONS`: what ``fit`` accepts and ``sample``
        returns.
    likelihood_kind : str
        ``"exact"``, ``"lower_bound"`` or ``"estimate"``.
    conditional : bool
        Whether ``fit`` accepts class labels ``y`` (then ``sample`` returns
        ``(X, y)`` and the estimator classifies by Bayes' rule).
    kind : str or None, default=None
        One of :data:`KINDS`. None derives it from ``likelihood_kind``:
        ``"exact"`` and ``"lower_bound"`` give ``"density"``, ``"estimate"``
        gives ``"sampler"``. A translator says ``kind="translator"`` (its
        ``likelihood_kind`` may be None: it need not have one). A density
        has an exact or bounded likelihood and a sampler an estimate, so
        other pairs are refused.
    """

    representation: str = "tabular"
    likelihood_kind: str | None = "exact"
    conditional: bool = False
    kind: str | None = None

    def __post_init__(self):
        get_representation(self.representation)  # a registered name
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)}; got {self.kind!r}.")
        allowed = LIKELIHOOD_KINDS + ((None,) if self.kind == "translator" else ())
        if self.likelihood_kind not in allowed:
            raise ValueError(
                f"likelihood_kind must be one of {list(allowed)}"
                f"{' for a ' + self.kind if self.kind else ''}; "
                f"got {self.likelihood_kind!r}."
            )
        implied = _KIND_OF_LIKELIHOOD.get(self.likelihood_kind)
        if self.kind is None:
            self.kind = implied
        elif self.kind != "translator" and self.kind != implied:
            raise ValueError(
                f"kind={self.kind!r} contradicts likelihood_kind="
                f"{self.likelihood_kind!r}: a density has an exact or "
                "lower-bound likelihood and a sampler an estimate."
            )


def get_generative_tags(estimator):
    """Return the :class:`GenerativeTags` of an estimator.

    Parameters
    ----------
    estimator : estimator instance
        A generative estimator (or a pipeline ending in one).

    Returns
    -------
    tags : GenerativeTags
    """
    if not hasattr(estimator, "__skgen_tags__"):
        raise TypeError(
            "estimator must be a skgen generative estimator (with "
            f"__skgen_tags__); got {type(estimator).__name__}."
        )
    return estimator.__skgen_tags__()


def choose_conditional(conditional, generator):
    """Fit one conditional generator (True) or one generator per class (False).

    Parameters
    ----------
    conditional : "auto" or bool
        ``"auto"``: one conditional generator when its skgen tags say it can
        be fitted with class labels, one per class otherwise; True requires
        such a generator; False always fits one per class.
    generator : estimator
        A skgen generator, or another density model (never conditional).

    Returns
    -------
    conditional : bool
    """
    try:
        supports_y = get_generative_tags(generator).conditional
    except TypeError:  # not a skgen estimator: sklearn's density models
        supports_y = False
    if conditional == "auto":
        return supports_y
    if conditional and not supports_y:
        raise ValueError(
            "conditional=True needs a generator that can be fitted with class "
            f"labels; {type(generator).__name__} cannot (its skgen tags say "
            "conditional=False, or it has none). Use conditional=False to fit "
            "one generator per class."
        )
    return bool(conditional)


def fit_atomically(fit):
    """Decorate a ``fit`` method: a failure loses nothing, a success is frozen.

    Bad input must lose nothing: if ``fit`` (or ``partial_fit``) raises, the
    estimator's attributes are restored, so a model fitted before keeps
    working. Fitting code must assign new objects to attributes rather than
    mutate the old ones in place.

    A fit that succeeds records the parameters it was made with as
    ``_fitted_params`` (``get_params(deep=False)``). The fitted model's
    methods read those, never the live parameters, so ``set_params`` on a
    fitted model changes what the next ``fit`` does and never the fitted
    model (DESIGN.md §1, "Fitted state only").

    Parameters
    ----------
    fit : callable
        The ``fit`` (or ``partial_fit``) method to wrap.

    Returns
    -------
    wrapper : callable
        The wrapped method, with the same signature and return value.
    """

    @functools.wraps(fit)
    def wrapper(self, *args, **kwargs):
        with restored_on_failure(self):
            out = fit(self, *args, **kwargs)
            self._fitted_params = self.get_params(deep=False)
        return out

    return wrapper


@contextlib.contextmanager
def restored_on_failure(estimator):
    """Restore ``estimator`` and every estimator in its parameters on failure.

    The attributes of the estimator and of the estimators nested in its
    parameters (a pipeline's steps, a meta-estimator's generator) are
    saved, and put back if the block raises, so a failed refit of a
    pipeline leaves every step as it was. Code inside the block must assign
    new objects to attributes rather than mutate the old ones in place
    (what sklearn's and skgen's ``fit`` methods do).

    Parameters
    ----------
    estimator : estimator instance
        The estimator to restore if the block raises.

    Yields
    ------
    None
        Control to the block; the exception, if any, is re-raised after
        the attributes are restored.
    """
    members = {id(estimator): estimator}
    for value in estimator.get_params(deep=True).values():
        if hasattr(value, "get_params") and hasattr(value, "__dict__"):
            if not isinstance(value, type):
                members[id(value)] = value
    saved = [(est, dict(est.__dict__)) for est in members.values()]
    try:
        yield
    except BaseException:
        for est, state in saved:
            est.__dict__.clear()
            est.__dict__.update(state)
        raise


def check_count(value, name):
    """Validate a count argument: an int >= 1, booleans refused.

    Any Python or numpy int >= 1 passes (a huge one is sized by
    :func:`skgen.utils._resources.check_allocation` before any work, never
    converted to a fixed-width integer first).

    Parameters
    ----------
    value : object
        The argument to check.
    name : str
        Its name, for the error messages.

    Returns
    -------
    count : int
        ``value`` as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an int >= 1; got {value!r} of type {type(value).__name__}."
        )
    if value < 1:
        raise ValueError(f"{name} must be >= 1; got {value}.")
    return int(value)


def check_n_samples(n_samples):
    """Validate the ``n_samples`` argument of ``sample`` (:func:`check_count`).

    Parameters
    ----------
    n_samples : object
        The argument to check: an int >= 1.

    Returns
    -------
    n_samples : int
        ``n_samples`` as a Python int.
    """
    return check_count(n_samples, "n_samples")


def check_sample_random_state(random_state, name="random_state"):
    """A local ``RandomState`` from a ``random_state`` argument, or a clear error.

    Parameters
    ----------
    random_state : int in [0, 2**32 - 1], RandomState instance or None
        An int seeds a new generator (the same draws every call); a
        ``RandomState`` is used as is; None gives fresh draws.
    name : str, default="random_state"
        The name used in error messages.

    Returns
    -------
    rng : numpy.random.RandomState
    """
    if random_state is None:
        return np.random.RandomState()
    if isinstance(random_state, np.random.RandomState):
        return random_state
    expected = (
        f"{name} must be an int in [0, 2**32 - 1], a numpy RandomState instance or None"
    )
    if isinstance(random_state, bool) or not isinstance(random_state, Integral):
        raise TypeError(
            f"{expected}; got {random_state!r} of type {type(random_state).__name__}."
        )
    if not 0 <= random_state < 2**32:
        raise ValueError(f"{expected}; got {random_state}.")
    return np.random.RandomState(int(random_state))


class _AvailableIf:
    """``sklearn.utils.metaestimators.available_if`` that says why.

    The method exists (``hasattr`` is True) when ``check(obj)`` returns
    True. When the check raises an ``AttributeError`` (a
    ``NotFittedError`` is one), that error is raised as it is, so its
    message reaches the user instead of sklearn's generic "has no
    attribute" with the reason only in the exception chain.
    """

    def __init__(self, fn, check):
        self.fn, self.check = fn, check
        functools.update_wrapper(self, fn)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.fn
        if not self.check(obj):
            raise AttributeError(
                f"This {type(obj).__name__!r} has no attribute {self.fn.__name__!r}."
            )
        return MethodType(self.fn, obj)


def available_if(check):
    """A method available only when ``check(self)`` is True (see :class:`_AvailableIf`).

    Parameters
    ----------
    check : callable
        ``check(self)`` returns True or raises an ``AttributeError`` that
        says why the method is not available.

    Returns
    -------
    decorator : callable
        Turns a method into a descriptor available only when ``check``
        passes.
    """
    return lambda fn: _AvailableIf(fn, check)


class GenerativeMixin(DensityMixin):
    """Mixin for generative estimators: the skgen contract.

    - ``score(X, y=None)`` is the mean of ``score_samples`` (nats per sample),
      never a sum, so it does not depend on the size of a fold.
    - ``likelihood_kind`` says what ``score_samples`` is: ``"exact"``,
      ``"lower_bound"`` or ``"estimate"``.
    - :meth:`sample` is a template: it validates ``n_samples`` (an int
      >= 1 whose output fits in memory, see :meth:`_bytes_per_sample`),
      ``random_state`` and ``y`` (refused with one message by a model fitted
      without labels), draws the classes from the training frequencies
      when a model fitted with labels is given no ``y``, calls
      :meth:`_sample_class` once per class and puts the samples back in the
      requested order. It returns ``(X, y)`` for a model fitted with labels
      and ``X`` otherwise.

    The sampling hooks, for a family or for a user's own estimator:

    - ``_sample_class(n_samples, class_index, rng, **options)`` (required):
      ``n_samples`` new samples of one class (``class_index`` into
      ``classes_``; None for a model fitted without labels), drawn with
      ``rng``, a ``numpy.random.RandomState``. It returns a list of
      sequences, an array, a DataFrame, or a tuple of such outputs (an
      HMM's sequences and their state paths), each reassembled.
    - ``_prepare_sample(n_samples, rng, **options)`` (optional): validates
      the family's own sampling options after the shared checks and before
      any class is drawn, makes the draws the whole request shares (lengths,
      a torch seed), and returns the options given to every
      ``_sample_class`` call. The default refuses options that
      ``_sample_class`` does not take and returns the others unchanged.
    - ``_per_sample_options`` (optional class attribute): names of options
      returned by ``_prepare_sample`` that hold one value per requested
      sample (an array of lengths); each class's call gets its own samples'.
    - ``_bytes_per_sample()`` (optional): the memory one sample needs, so an
      impossible request fails before any work.

    A family with keyword-only options of its own (a Markov chain's
    ``max_length``, an HMM's ``length``) writes ``sample`` with its own
    signature and docstring and delegates to the template:
    ``return self._sample(n_samples, y=y, random_state=random_state,
    max_length=max_length)``.

    Subclasses set ``_representation`` (see :data:`REPRESENTATIONS`) and,
    to override the kind ``likelihood_kind`` implies, ``_kind`` (see
    :data:`KINDS`).
    """

    likelihood_kind = "exact"
    _representation = "tabular"
    _kind = None

    def score(self, X, y=None):
        """Mean log-likelihood of the samples in `X`, in nats.

        Parameters
        ----------
        X : data in the representation ``fit`` accepted
            The samples to score.
        y : array-like of shape (n_samples,), default=None
            Class labels, for models fitted with ``y``: the mean of the
            joint log-likelihood ``log p(x, y)``. Ignored by unconditional
            models.

        Returns
        -------
        score : float
            ``mean(score_samples(X))``; higher is better.
        """
        if y is not None and getattr(self, "_fitted_with_y", False):
            return float(np.mean(self.score_samples(X, y)))
        return float(np.mean(self.score_samples(X)))

    def _check_sample_params(self, n_samples, random_state):
        """Check fitted, validate ``n_samples`` and return a local generator.

        An int ``random_state`` gives the same draws on every call; ``None``
        gives fresh draws. The estimator is never re-seeded or modified. A
        request whose output cannot fit in memory (see
        :meth:`_bytes_per_sample`) fails here, before any work.
        """
        check_is_fitted(self)
        n_samples = check_n_samples(n_samples)
        rng = check_sample_random_state(random_state)
        check_allocation(
            n_samples * self._bytes_per_sample(), f"sample(n_samples={n_samples})"
        )
        return n_samples, rng

    def _bytes_per_sample(self):
        """Bytes one sample needs while ``sample`` builds its output.

        The default is a row of ``n_features_in_`` float64 values and its
        copy; families whose samples are sequences or wider inside than
        outside override it.
        """
        return 16 * getattr(self, "n_features_in_", 1)

    _per_sample_options = ()

    @property
    def _fitted_with_y(self):
        return isinstance(self, GenerativeClassifierMixin) and hasattr(self, "classes_")

    def _check_no_labels(self, y):
        """Reject ``y`` given to a model fitted without labels (one message)."""
        if y is not None and not self._fitted_with_y:
            raise ValueError(
                f"y was given, but this {type(self).__name__} was fitted "
                "without y; fit it with class labels to condition on them."
            )

    def sample(self, n_samples=1, *, y=None, random_state=None, **options):
        """Generate new samples from the fitted model.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples.
        y : label or array-like of shape (n_samples,), default=None
            Models fitted with ``y`` only: the class of each sample; drawn
            from the training class frequencies when None.
        random_state : int, RandomState instance or None, default=None
            An int gives the same samples on every call; None fresh ones.
        **options : dict
            The family's own keyword-only sampling options.

        Returns
        -------
        X : samples in the representation ``fit`` accepted
        y : ndarray of shape (n_samples,)
            Only for models fitted with ``y``, returned as ``(X, y)``.
        """
        return self._sample(n_samples, y=y, random_state=random_state, **options)

    def _sample(self, n_samples, *, y=None, random_state=None, **options):
        """The sampling template (see the class docstring)."""
        n_samples, rng = self._check_sample_params(n_samples, random_state)
        self._check_no_labels(y)
        options = self._prepare_sample(n_samples, rng, **options)
        if not self._fitted_with_y:
            return self._sample_class(n_samples, None, rng, **options)
        labels = self._sample_labels(n_samples, y, rng)
        per_sample = set(self._per_sample_options)
        groups, parts = [], []
        for k in np.unique(labels):
            members = np.flatnonzero(labels == k)
            class_options = {
                name: np.asarray(value)[members]
                if name in per_sample and value is not None
                else value
                for name, value in options.items()
            }
            groups.append(members)
            parts.append(
                self._sample_class(members.shape[0], int(k), rng, **class_options)
            )
        X, y_out = _reassemble(parts, groups), self.classes_[labels]
        return (*X, y_out) if isinstance(X, tuple) else (X, y_out)

    def _prepare_sample(self, n_samples, rng, **options):
        """Validate the family's sampling options; return those of every class.

        The default refuses options that :meth:`_sample_class` does not take
        and returns the others unchanged.
        """
        params = inspect.signature(self._sample_class).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            unknown = sorted(set(options) - set(params))
            if unknown:
                raise TypeError(
                    f"{type(self).__name__}.sample() got unexpected keyword "
                    f"argument(s) {unknown}; it takes "
                    f"{sorted(set(params) - {'n_samples', 'class_index', 'rng'})}."
                )
        return options

    def _sample_class(self, n_samples, class_index, rng, **options):
        """``n_samples`` new samples of one class (see the class docstring)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement _sample_class(n_samples, "
            "class_index, rng) to use GenerativeMixin's sample template, or "
            "override sample."
        )

    def __skgen_tags__(self):
        return GenerativeTags(
            representation=self._representation,
            likelihood_kind=self.likelihood_kind,
            conditional=isinstance(self, GenerativeClassifierMixin),
            kind=self._kind,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        # the input tags the representation's registry entry declares
        get_representation(self._representation).set_input_tags(tags.input_tags)
        return tags


def _reassemble(parts, groups):
    """Samples drawn class by class, put back in the requested order.

    ``parts[j]`` holds the samples of the requested positions ``groups[j]``:
    a list of sequences, an array (along its first axis), a DataFrame, or a
    tuple of such outputs (each reassembled).
    """
    if isinstance(parts[0], tuple):
        return tuple(
            _reassemble([part[i] for part in parts], groups)
            for i in range(len(parts[0]))
        )
    if len(parts) == 1:  # one class: the request's order already
        return parts[0]
    order = np.concatenate(groups)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.shape[0])
    if isinstance(parts[0], list):
        flat = [s for part in parts for s in part]
        return [flat[i] for i in inverse]
    if hasattr(parts[0], "iloc"):  # a DataFrame: dtypes kept by concat
        import pandas as pd

        joined = pd.concat(parts, ignore_index=True)
        return joined.take(inverse).reset_index(drop=True)
    return np.concatenate(parts)[inverse]


def _check_no_missing_labels(y):
    """Name the missing labels (NaN, None, pd.NA) before sklearn's checks do."""
    import pandas as pd

    if getattr(getattr(y, "dtype", None), "kind", "O") in "biuSU":
        return  # typed arrays of ints, bools or strings hold neither
    try:
        values = np.asarray(y, dtype=object).ravel()
    except ValueError:  # ragged: sklearn's checks say what is wrong
        return
    missing = np.flatnonzero(pd.isna(values))
    if missing.size:
        raise ValueError(
            f"y must hold a class label for every sample; got missing labels "
            f"(NaN or None) at index {missing[:10].tolist()}."
        )
    # True == 1 to numpy: a mix would merge two classes silently
    is_bool = np.fromiter(
        (isinstance(v, bool | np.bool_) for v in values), bool, values.shape[0]
    )
    if is_bool.any() and not is_bool.all():
        raise ValueError(
            "y mixes booleans and other labels (e.g. "
            f"{values[is_bool][0]!r} and {values[~is_bool][0]!r}); True and 1 "
            "would become one class. Use labels of one type."
        )


class GenerativeClassifierMixin:
    """Class-conditional generative models and Bayes-rule classification.

    One piece of code serves every family that can be fitted with ``y``.
    The subclass implements ``_class_log_likelihood(X)`` returning the
    array ``log p(x_i | class k)`` of shape (n_samples, n_classes) and sets,
    in ``fit``, ``classes_`` and ``class_log_prior_`` when ``y`` is given.

    Then ``predict_proba(X) = p(y) p(x | y) / sum_k p(k) p(x | k)`` (in log
    space), ``predict`` is its argmax, and :meth:`_score_samples_with_labels`
    gives the joint ``log p(x, y)`` when ``y`` is given and the marginal
    ``log p(x)`` when not.
    """

    @property
    def _fitted_with_y(self):
        return hasattr(self, "classes_")

    def _check_classifier(self):
        check_is_fitted(self)
        if not self._fitted_with_y:
            raise AttributeError(
                f"This {type(self).__name__} was fitted without y, so it does "
                "not classify: predict, predict_proba and predict_log_proba "
                "need a model fitted with class labels (fit(X, y)), or wrap it "
                "in skgen.GenerativeClassifier."
            )
        return True

    _check_no_labels = GenerativeMixin._check_no_labels

    #: The fitted class attributes, set from ``y`` and cleared without it.
    _CLASS_ATTRIBUTES = ("classes_", "class_count_", "class_log_prior_")

    def _fit_class_labels(self, y, n_samples):
        """The label side of ``fit``, the same for every family.

        Clears the class attributes of an earlier fit; with ``y``, validates
        the labels (:meth:`_check_fit_labels`) and sets ``classes_`` (sorted),
        ``class_count_`` and ``class_log_prior_``.

        Returns
        -------
        y_index : ndarray of shape (n_samples,) or None
            The class index of each training sample; None without ``y``.
        """
        for attr in self._CLASS_ATTRIBUTES:
            self.__dict__.pop(attr, None)
        if y is None:
            return None
        y = self._check_fit_labels(y, n_samples)
        classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
        self._set_class_counts(classes, counts)
        return y_index.ravel()

    def _set_class_counts(self, classes, counts):
        """Set ``classes_``, ``class_count_`` and ``class_log_prior_``.

        ``counts`` are the training samples of each class (all of them, for
        a ``partial_fit`` that adds to earlier counts).
        """
        self.classes_, self.class_count_ = classes, counts
        with np.errstate(divide="ignore"):
            self.class_log_prior_ = np.log(counts / counts.sum())

    def _joint_log_likelihood(self, X, **kwargs):
        return self._class_log_likelihood(X, **kwargs) + self.class_log_prior_

    def _log_posterior(self, X):
        """log p(class | x), stable for very large or very small likelihoods."""
        joint = self._joint_log_likelihood(X)
        top = joint.max(axis=1, keepdims=True)
        impossible = np.flatnonzero(~np.isfinite(top[:, 0]))
        if impossible.size:
            raise ValueError(
                f"Sample(s) {impossible[:10].tolist()} have zero likelihood "
                "(log-likelihood -inf) under every class, so their class "
                "posterior is undefined. A count model needs smoothing so that "
                "every class gives them some probability; a VAE gives zero "
                "likelihood to a value other than the constant of a column that "
                "was constant in training."
            )
        shifted = joint - top
        return shifted - logsumexp(shifted, axis=1, keepdims=True)

    @staticmethod
    def _check_fit_labels(y, n_samples, known=None):
        """Validate training labels: one per sample, one type, no missing.

        ``known`` are classes from an earlier ``partial_fit``; the new labels
        must be of the same type.
        """
        _check_no_missing_labels(y)
        # before any conversion to an array, which would turn a mix of
        # numbers and strings into strings
        unique_labels(y) if known is None else unique_labels(known, y)
        y = column_or_1d(y, warn=True)
        if y.shape[0] != n_samples:
            raise ValueError(
                f"y must have one label per sample ({n_samples}); got {y.shape[0]}."
            )
        check_classification_targets(y)
        return y

    def _encode_labels(self, y, n_samples):
        """Map labels to class indices, checking they were seen in fit."""
        y = np.asarray(y)
        if y.ndim == 0:
            y = np.full(n_samples, y.item(), dtype=object)
        if y.ndim != 1 or y.shape[0] != n_samples:
            raise ValueError(
                f"y must be a label or an array of {n_samples} labels; got "
                f"shape {y.shape}."
            )
        # a label of another type ("1" for 1, 1 for "a") is unseen, not an
        # error of comparison or a silent conversion
        lookup = {(type(c), c): i for i, c in enumerate(self.classes_.tolist())}
        idx = np.array(
            [lookup.get((type(v), v), -1) for v in y.tolist()], dtype=np.intp
        )
        unseen = idx < 0
        if np.any(unseen):
            shown = sorted({repr(v) for v in y[unseen].tolist()})[:10]
            raise ValueError(
                f"y contains labels not seen in fit: [{', '.join(shown)}]; "
                f"known classes are {self.classes_.tolist()!r}."
            )
        return idx

    def _score_samples_with_labels(self, X, y=None, **kwargs):
        """Joint log p(x, y) for given labels, marginal log p(x) otherwise.

        ``kwargs`` go to ``_class_log_likelihood`` (scoring options such as
        a number of importance samples).
        """
        joint = self._joint_log_likelihood(X, **kwargs)
        if y is None:
            return logsumexp(joint, axis=1)
        idx = self._encode_labels(y, joint.shape[0])
        return joint[np.arange(joint.shape[0]), idx]

    @available_if(_check_classifier)
    def predict_log_proba(self, X):
        """Log posterior class probabilities by Bayes' rule.

        Parameters
        ----------
        X : data in the representation ``fit`` accepted

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return self._log_posterior(X)

    @available_if(_check_classifier)
    def predict_proba(self, X):
        """Posterior class probabilities ``p(y | x)`` by Bayes' rule.

        Parameters
        ----------
        X : data in the representation ``fit`` accepted

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))

    @available_if(_check_classifier)
    def predict(self, X):
        """The most probable class of each sample.

        Parameters
        ----------
        X : data in the representation ``fit`` accepted

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self.classes_[np.argmax(self._log_posterior(X), axis=1)]

    def _one_class_index(self, y):
        """The class index of one label ``y``, for methods that take one class.

        A model fitted with labels needs ``y`` (which class's model to
        use); one fitted without refuses it and gets None.
        """
        if not self._fitted_with_y:
            self._check_no_labels(y)
            return None
        if y is None:
            raise ValueError(
                "This model was fitted with y: pass y=<label> to choose a class."
            )
        return int(self._encode_labels(y, 1)[0])

    def _sample_labels(self, n_samples, y, rng):
        """Class indices for ``sample(n_samples, y=...)``.

        ``y=None`` draws classes from the training class frequencies; a
        label or an array of ``n_samples`` labels is taken as given.
        """
        if y is None:
            prior = np.cumsum(np.exp(self.class_log_prior_))
            return categorical_draws(prior, rng, size=n_samples)
        return self._encode_labels(y, n_samples)


def __getattr__(name):
    # the shared "estimate" likelihood lives in skgen._estimate, which
    # imports this module; loaded on first use
    if name == "EstimatedLikelihoodMixin":
        from skgen._estimate import EstimatedLikelihoodMixin

        return EstimatedLikelihoodMixin
    raise AttributeError(f"module 'skgen.base' has no attribute {name!r}")
