"""Scorers that judge a generative estimator by the samples it draws."""

import inspect
from numbers import Integral

import numpy as np

from skgen.metrics._detection import detection_score, tstr_score
from skgen.metrics._fairness import representation_gap
from skgen.metrics._fidelity import (
    classifier_inception_score,
    frechet_distance,
    precision_recall,
)
from skgen.metrics._mmd import mmd
from skgen.utils._compat import Interval, StrOptions, _num_samples, validate_params
from skgen.utils._random import draw_seed
from skgen.utils._sampling import can_sample, sample_from

#: name -> (function, how to get the scalar, greater_is_better of the scalar,
#: default keyword arguments, default statistic).
_METRICS = {
    "frechet_distance": (frechet_distance, lambda r, s: r, False, {}, None),
    "mmd": (
        mmd,
        lambda r, s: r.statistic,
        False,
        {"n_permutations": 0, "gamma": "median_x"},
        None,
    ),
    "precision_recall": (precision_recall, getattr, True, {}, "coverage"),
    "detection_score": (
        detection_score,
        lambda r, s: -abs(r - 0.5),
        True,
        {},
        None,
    ),
    "tstr_score": (tstr_score, lambda r, s: r, True, {}, None),
    "classifier_inception_score": (
        classifier_inception_score,
        lambda r, s: r.mean,
        True,
        {},
        None,
    ),
    "representation_gap": (
        representation_gap,
        lambda r, s: max(r.max_share_gap, np.nan_to_num(r.max_outcome_gap)),
        False,
        {},
        None,
    ),
}
_BY_FUNCTION = {spec[0]: name for name, spec in _METRICS.items()}
_STATISTICS = ("precision", "recall", "density", "coverage")


def _check_kwargs(func, name, kwargs):
    """Reject keyword arguments ``func`` does not take, when it is built."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # no signature to check against
        return
    try:
        signature.bind_partial(**kwargs)
    except TypeError as exc:
        accepted = [
            p.name
            for p in signature.parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        raise TypeError(
            f"make_generative_scorer got a keyword argument that {name} does "
            f"not take: {exc}. Its keyword arguments are {accepted}."
        ) from None


class _GenerativeScorer:
    """Callable ``(estimator, X, y=None) -> float``; see make_generative_scorer."""

    def __init__(
        self,
        name,
        func,
        to_scalar,
        sign,
        *,
        n_samples,
        random_state,
        kwargs,
        defaults=None,
        statistic=None,
    ):
        self._name = name
        self._func = func
        self._to_scalar = to_scalar
        self._sign = sign
        self._n_samples = n_samples
        self._random_state = random_state
        self._kwargs = kwargs  # as given, for repr
        self._call_kwargs = {**(defaults or {}), **kwargs}
        self._statistic = statistic

    def __repr__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self._kwargs.items())
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        return f"make_generative_scorer({self._name}{sign}{extra})"

    def _draw(self, estimator, X, y):
        """Sample like the held-out data: as many rows, the same labels."""
        if not can_sample(estimator):
            raise TypeError(
                f"estimator has no sample(); got {type(estimator).__name__}. A "
                "generative scorer scores the rows an estimator draws. For a "
                "pipeline of transforms ending in a generative model, use "
                "skgen.pipeline.make_generative_pipeline, whose sample() draws "
                "from the model and inverts the transforms."
            )
        n = self._n_samples if self._n_samples is not None else _num_samples(X)
        conditional = y is not None and hasattr(estimator, "classes_")
        labels = np.asarray(y) if conditional and n == _num_samples(y) else None
        return sample_from(estimator, n, random_state=self._seed(), y=labels)

    def _seed(self):
        rs = self._random_state
        if rs is None or isinstance(rs, Integral):
            return rs
        return draw_seed(rs)

    def __call__(self, estimator, X, y=None):
        X_gen, y_gen = self._draw(estimator, X, y)
        kwargs = dict(self._call_kwargs)
        if self._func is tstr_score:
            if y is None or y_gen is None:
                raise ValueError(
                    "A tstr_score scorer needs labels: fit the estimator with y "
                    "(so that sample returns (X, y)) and score with y."
                )
            value = tstr_score(X_gen, y_gen, X, y, **kwargs)
        elif self._func is classifier_inception_score:
            value = classifier_inception_score(
                kwargs.pop("classifier"), X_gen, **kwargs
            )
        else:
            params = inspect.signature(self._func).parameters
            if "random_state" in params and "random_state" not in kwargs:
                kwargs["random_state"] = self._seed()
            value = self._func(X, X_gen, **kwargs)
        return self._sign * float(self._to_scalar(value, self._statistic))


@validate_params(
    {
        "metric": [callable, StrOptions(set(_METRICS))],
        "n_samples": [Interval(Integral, 1, None, closed="left"), None],
        "greater_is_better": ["boolean", None],
        "statistic": [StrOptions(set(_STATISTICS)), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_generative_scorer(
    metric,
    *,
    n_samples=None,
    greater_is_better=None,
    statistic=None,
    random_state=0,
    **kwargs,
):
    """Make a scorer that compares an estimator's samples with held-out data.

    The scorer ``scorer(estimator, X, y=None)`` draws
    ``estimator.sample(n, random_state=random_state)`` and compares the
    generated rows with the held-out rows ``X`` using ``metric``; it returns
    a float where greater is better, so it works as ``scoring=`` in
    ``cross_val_score`` and ``GridSearchCV``.

    Parameters
    ----------
    metric : callable or str
        One of the sample-based metrics of :mod:`skgen.metrics` (the
        function or its name): ``frechet_distance``, ``mmd``,
        ``precision_recall``, ``detection_score``, ``tstr_score``,
        ``classifier_inception_score`` or ``representation_gap``, turned
        into a greater-is-better score as in the table of Notes. Or any
        callable ``metric(X_real, X_generated, **kwargs) -> float``; then
        ``greater_is_better`` is required.
    n_samples : int or None, default=None
        Number of rows to draw; None draws as many as ``X`` has.
    greater_is_better : bool or None, default=None
        Whether larger values of a custom ``metric`` are better (the score
        is negated when not). Must be None for the metrics of
        :mod:`skgen.metrics`, whose direction is known.
    statistic : {"precision", "recall", "density", "coverage"} or None, \
default=None
        With ``precision_recall`` only: the field scored; None uses
        ``"coverage"``, which needs generated rows to be both realistic
        (inside a real k-NN ball) and varied (spread over many real balls),
        and is robust to outliers.
    random_state : int, RandomState instance or None, default=0
        Seeds ``sample`` (and the metric's own randomness: the subsample
        and permutations of ``mmd``, the folds of ``detection_score``). The
        default int gives every candidate the same draws, so that scores
        differ by the models, not by the luck of the draw.
    **kwargs
        Passed to ``metric``, e.g. ``kernel="laplacian"`` for ``mmd``,
        ``classifier=clf`` for ``classifier_inception_score`` (required),
        ``sensitive="sex"`` for ``representation_gap`` (required).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``.

    Notes
    -----
    The score of each metric (greater is better):

    ============================  =========================================
    metric                        score
    ============================  =========================================
    frechet_distance              ``-distance``
    mmd                           ``-statistic`` (``n_permutations=0``
                                  unless given: the p-value is not used;
                                  ``gamma="median_x"`` unless given)
    precision_recall              the chosen ``statistic``
    detection_score               ``-|AUC - 0.5|`` (0 is best)
    tstr_score                    the score (accuracy, R^2, ...)
    classifier_inception_score    ``mean``
    representation_gap            ``-max(max_share_gap, max_outcome_gap)``
    ============================  =========================================

    **Kernel bandwidth of mmd.** Unless ``gamma`` is given, the ``mmd``
    scorer sets the bandwidth by the median heuristic on the held-out rows
    ``X`` alone (``gamma="median_x"``), not on the pooled real and
    generated rows as :func:`mmd` does by default for its test: with the
    pooled median, a generator with widely spread samples would widen its
    own kernel and lower its own MMD^2, and could outrank a better one.

    **Categories.** With DataFrames, the rows are encoded with a
    :class:`~skgen.tabular.TabularEncoder` fitted on the held-out rows
    ``X``, and a generated category never seen in them raises a
    ``ValueError``. In cross-validation a rare level can be missing from a
    held-out fold while the model, trained on the other folds, generates
    it: the score is then an error (NaN with a warning under
    ``GridSearchCV``'s default ``error_score=np.nan``). Use fewer folds,
    stratify on the rare column, or merge rare levels before fitting.

    **Class-conditional models.** When the scorer is given labels ``y``
    and the estimator was fitted with labels (it has ``classes_``), it
    calls ``sample(n, y=y, random_state=...)`` so that the generated rows
    have the classes of the held-out rows (with ``n_samples`` different
    from ``len(X)``, the model draws the labels). Only the generated ``X``
    is compared, except by ``tstr_score``, which trains on the generated
    ``(X, y)`` and tests on the held-out ``(X, y)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import make_generative_scorer, mmd
    >>> scorer = make_generative_scorer(mmd)
    >>> scorer
    make_generative_scorer(mmd, greater_is_better=False)
    >>> class Gaussian:  # any fitted model with sample(n, random_state=...)
    ...     def sample(self, n_samples=1, *, random_state=None):
    ...         return np.random.default_rng(random_state).normal(size=(n_samples, 2))
    >>> X_held_out = np.random.default_rng(1).normal(size=(300, 2))
    >>> bool(abs(scorer(Gaussian(), X_held_out)) < 0.01)
    True

    In a search, ``GridSearchCV(model, grid, scoring=scorer)`` keeps the
    parameters whose samples are closest to the held-out folds. Keyword
    arguments are checked against the metric when the scorer is made:

    >>> make_generative_scorer("precision_recall", n_neighbors=3)
    make_generative_scorer(precision_recall, n_neighbors=3)
    """
    if isinstance(metric, str):
        name = metric
    else:
        name = _BY_FUNCTION.get(metric)
    if name is None:
        if greater_is_better is None:
            raise ValueError(
                "greater_is_better must be given (True or False) for a custom "
                f"metric {getattr(metric, '__name__', metric)!r}."
            )
        if statistic is not None:
            raise ValueError(
                "statistic is for precision_recall only; got statistic="
                f"{statistic!r} with a custom metric."
            )
        name = getattr(metric, "__name__", repr(metric))
        _check_kwargs(metric, name, kwargs)
        return _GenerativeScorer(
            name,
            metric,
            lambda r, s: r,
            1 if greater_is_better else -1,
            n_samples=n_samples,
            random_state=random_state,
            kwargs=kwargs,
        )
    func, to_scalar, better, defaults, default_stat = _METRICS[name]
    if greater_is_better is not None:
        raise ValueError(
            f"greater_is_better must be None for {name}, whose direction is "
            f"known; got {greater_is_better!r}."
        )
    if statistic is not None and name != "precision_recall":
        raise ValueError(
            f"statistic is for precision_recall only; got statistic="
            f"{statistic!r} with {name}."
        )
    _check_kwargs(func, name, kwargs)
    required = {
        "classifier_inception_score": "classifier",
        "representation_gap": "sensitive",
    }.get(name)
    if required is not None and required not in kwargs:
        raise ValueError(
            f"A {name} scorer needs {required}=...; pass it to make_generative_scorer."
        )
    return _GenerativeScorer(
        name,
        func,
        to_scalar,
        1 if better else -1,
        n_samples=n_samples,
        random_state=random_state,
        kwargs=kwargs,
        defaults=defaults,
        statistic=statistic or default_stat,
    )
