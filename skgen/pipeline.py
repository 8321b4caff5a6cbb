"""Pipelines whose last step is a generative estimator.

See ``DESIGN.md`` §3: :class:`GenerativePipeline` samples through the
``inverse_transform`` of its earlier steps, and reports log-likelihoods in the
original data space by adding the log-Jacobian of each earlier step.
"""

from copy import deepcopy

import numpy as np
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    StandardScaler,
)
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from skgen.base import GenerativeTags, get_generative_tags, restored_on_failure
from skgen.utils._compat import _check_sample_weight

__all__ = ["GenerativePipeline", "make_generative_pipeline"]


def _standard_scaler_log_det(step, X):
    # transform: (x - mean_) / scale_, so dT/dx = diag(1 / scale_). The
    # scaler reads with_std at transform time: follow what it does.
    if not step.with_std or step.scale_ is None:
        return 0.0
    return -np.sum(np.log(step.scale_))


def _min_max_scaler_log_det(step, X):
    # transform: x * scale_ + min_, so dT/dx = diag(scale_).
    if step.clip:
        raise ValueError(
            "MinMaxScaler(clip=True) is not invertible outside the training "
            "range, so the likelihood in the original space is undefined; "
            "use clip=False in a GenerativePipeline."
        )
    return np.sum(np.log(step.scale_))


def _max_abs_scaler_log_det(step, X):
    # transform: x / scale_, so dT/dx = diag(1 / scale_).
    return -np.sum(np.log(step.scale_))


def _function_transformer_log_det(step, X):
    if step.func is not None:
        raise _unknown_jacobian_error(step)
    return 0.0  # func=None is the identity


#: log|det dT/dx| of sklearn transformers, keyed by exact type (a subclass
#: may change ``transform``). Each function takes the fitted step and its
#: input and returns a scalar or an array of shape (n_samples,).
_LOG_ABS_DET_JACOBIANS = {
    StandardScaler: _standard_scaler_log_det,
    MinMaxScaler: _min_max_scaler_log_det,
    MaxAbsScaler: _max_abs_scaler_log_det,
    FunctionTransformer: _function_transformer_log_det,
}


def _unknown_jacobian_error(step):
    return ValueError(
        f"GenerativePipeline does not know the Jacobian of step {step!r} "
        f"(type {type(step).__name__}), so the log-likelihood in the original "
        "data space would be wrong. Use a transform whose Jacobian is known "
        "(StandardScaler, MinMaxScaler, MaxAbsScaler, a skgen tokenizer) or "
        "implement log_abs_det_jacobian(X) on the step, returning "
        "log|det dT/dx| per sample."
    )


def _check_jacobian_known(step):
    if not (
        hasattr(step, "log_abs_det_jacobian") or type(step) in _LOG_ABS_DET_JACOBIANS
    ):
        raise _unknown_jacobian_error(step)


def _log_abs_det_jacobian(name, step, X):
    """log|det dT/dx| of a fitted step at its input ``X``."""
    _check_jacobian_known(step)
    if hasattr(step, "log_abs_det_jacobian"):
        log_det = step.log_abs_det_jacobian(X)
    else:
        log_det = _LOG_ABS_DET_JACOBIANS[type(step)](step, X)
    log_det = np.asarray(log_det, dtype=float)
    if log_det.ndim > 1:
        raise ValueError(
            f"log_abs_det_jacobian of step {name!r} must return a scalar or an "
            f"array of shape (n_samples,); got shape {log_det.shape}."
        )
    return log_det


def _final_estimator_has(attr):
    def check(self):
        # raise the original AttributeError if the last step lacks `attr`
        getattr(self._final_estimator, attr)
        return True

    return check


def _is_passthrough(step):
    return step is None or (isinstance(step, str) and step == "passthrough")


class GenerativePipeline(Pipeline):
    r"""A pipeline of transforms ending in a generative estimator.

    A :class:`sklearn.pipeline.Pipeline` whose last step has ``score_samples``
    (and ``sample``). Likelihoods are reported in the **original data space**,
    so pipelines with different preprocessing are comparable, and samples are
    mapped back to it through the ``inverse_transform`` of the earlier steps.

    Parameters
    ----------
    steps : list of tuples
        ``(name, transform)`` tuples, chained in order; the last is the
        generative estimator. A transform may be ``"passthrough"`` or None.
    transform_input : list of str, default=None
        As in :class:`sklearn.pipeline.Pipeline` (metadata routing only).
    memory : str or object with the joblib.Memory interface, default=None
        Used to cache the fitted transformers, as in
        :class:`sklearn.pipeline.Pipeline`.
    verbose : bool, default=False
        If True, print the time taken to fit each step.

    Attributes
    ----------
    named_steps : :class:`~sklearn.utils.Bunch`
        The steps by name.
    likelihood_kind : str
        What ``score_samples`` is (``"exact"``, ``"lower_bound"`` or
        ``"estimate"``), read from the last step.
    classes_ : ndarray of shape (n_classes,)
        The class labels, when the last step was fitted with ``y``.

    See Also
    --------
    make_generative_pipeline : Build one without naming the steps.
    sklearn.pipeline.Pipeline : The pipeline this class extends.

    Notes
    -----
    If the earlier steps compose to an invertible map :math:`z = T(x)` and
    the last step models :math:`p_z`, the change-of-variables formula gives
    the density of the original data

    .. math::

        \log p_x(x) = \log p_z(T(x)) + \log \left|\det
        \frac{\partial T}{\partial x}\right|,

    and the log-determinant of a composition is the sum of those of its
    steps, each evaluated at that step's input. :meth:`score_samples` adds
    them: a step is asked for ``log_abs_det_jacobian(X)`` when it has that
    method (skgen's tokenizers return zeros: a bijection between discrete
    sets keeps probabilities); sklearn's ``StandardScaler``
    (:math:`-\sum_j \log s_j`), ``MinMaxScaler`` (:math:`+\sum_j \log
    s_j`), ``MaxAbsScaler`` (:math:`-\sum_j \log s_j`) and the identity
    ``FunctionTransformer`` are known by exact type. Any other step makes
    :meth:`score_samples` raise a ValueError rather than return a wrong
    number; it can still be used for fitting and sampling.

    ``score`` is the mean of ``score_samples`` (nats per sample), so
    ``GridSearchCV`` and ``cross_val_score`` with the default scoring compare
    mean log-likelihoods in the original space. The Jacobian does not depend
    on the class, so ``predict_proba`` and ``predict`` (delegated to a
    conditional last step) need no correction.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> from sklearn.mixture import GaussianMixture
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skgen.pipeline import make_generative_pipeline
    >>> X = np.random.default_rng(0).normal(loc=5.0, scale=3.0, size=(500, 2))
    >>> pipe = make_generative_pipeline(
    ...     StandardScaler(), GaussianMixture(covariance_type="diag", random_state=0)
    ... ).fit(X)
    >>> log_px = pipe.score_samples(X)  # log-density of the raw data
    >>> exact = norm.logpdf(X, X.mean(axis=0), X.std(axis=0)).sum(axis=1)
    >>> bool(np.allclose(log_px, exact))
    True
    >>> X_new, _ = pipe.sample(2000)  # GaussianMixture also returns labels
    >>> X_new.mean(axis=0).round()
    array([5., 5.])
    """

    @property
    def likelihood_kind(self):
        """What ``score_samples`` is, read from the last step."""
        return self._final_estimator.likelihood_kind

    def fit(self, X, y=None, **params):
        """Fit every step in turn; a failure leaves the pipeline as it was.

        As :meth:`sklearn.pipeline.Pipeline.fit`, except that when any step
        rejects its input (the last step after the first ones were refitted,
        say) every step is restored, so the pipeline scores and samples
        exactly as before the call.

        Parameters
        ----------
        X : data accepted by the first step
            Training data.
        y : array-like of shape (n_samples,), default=None
            Class labels, passed to every step's ``fit``.
        **params : dict
            Parameters for the steps' ``fit``, as in ``Pipeline.fit``.

        Returns
        -------
        self : GenerativePipeline
        """
        with restored_on_failure(self):
            return super().fit(X, y, **params)

    def _final_uses_y(self, y):
        # Conditional models expose classes_ once fitted with labels.
        return y is not None and hasattr(self._final_estimator, "classes_")

    @available_if(_final_estimator_has("score_samples"))
    def score_samples(self, X, y=None):
        """Log-likelihood of each sample in the original data space, in nats.

        Transforms `X` through the earlier steps, scores it with the last
        step, and adds the log-Jacobian of every earlier step (see Notes of
        :class:`GenerativePipeline`).

        Parameters
        ----------
        X : data accepted by the first step
            The samples to score.
        y : array-like of shape (n_samples,), default=None
            Class labels. Passed to the last step only when it was fitted
            with labels (it has ``classes_``): then the joint
            ``log p(x, y)``; otherwise the marginal ``log p(x)``.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
            ``log p_x(x)`` of each sample.

        Raises
        ------
        ValueError
            If an earlier step's Jacobian is unknown.
        """
        check_is_fitted(self)
        steps = list(self._iter(with_final=False))
        for _, _, step in steps:  # fail before any work
            _check_jacobian_known(step)
        Xt = X
        log_det = 0.0
        for _, name, step in steps:
            # transform first: the step validates its input.
            Xt_next = step.transform(Xt)
            log_det = log_det + _log_abs_det_jacobian(name, step, Xt)
            Xt = Xt_next
        final = self._final_estimator
        if self._final_uses_y(y):
            log_pz = final.score_samples(Xt, y)
        else:
            log_pz = final.score_samples(Xt)
        return np.asarray(log_pz, dtype=float) + log_det

    @available_if(_final_estimator_has("score_samples"))
    def score(self, X, y=None, sample_weight=None):
        """Mean log-likelihood of the samples in the original space, in nats.

        Parameters
        ----------
        X : data accepted by the first step
            The samples to score.
        y : array-like of shape (n_samples,), default=None
            Class labels; see :meth:`score_samples`.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples in the mean.

        Returns
        -------
        score : float
            The (weighted) mean of ``score_samples(X, y)``; higher is better.
        """
        scores = self.score_samples(X, y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, scores)
        return float(np.average(scores, weights=sample_weight))

    @available_if(_final_estimator_has("sample"))
    def sample(self, n_samples=1, **kwargs):
        """Draw samples from the last step, mapped back to the original space.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to draw.
        **kwargs : dict
            Passed to the last step's ``sample`` (``random_state``, ``y``, ...).
            A ``prompt`` (a language model's) is one sample in the pipeline's
            input representation, such as a string before a tokenizer: it is
            transformed through the earlier steps first.

        Returns
        -------
        X : data in the representation the first step accepted
            The samples, passed through the ``inverse_transform`` of the
            earlier steps in reverse order.
        y : ndarray of shape (n_samples,)
            Returned, as ``(X, y)``, only when the last step returns a tuple
            (models fitted with labels); as the last step returned it.

        Raises
        ------
        ValueError
            If an earlier step has no ``inverse_transform``.
        """
        check_is_fitted(self)
        steps = list(self._iter(with_final=False))
        for _, name, step in steps:
            if not hasattr(step, "inverse_transform") or (
                type(step) is FunctionTransformer
                and step.func is not None
                and step.inverse_func is None
            ):
                raise ValueError(
                    f"GenerativePipeline cannot map samples back through step "
                    f"{name!r} (type {type(step).__name__}): it has no "
                    "inverse_transform."
                )
        if kwargs.get("prompt") is not None and steps:
            # a prompt is one sample of the data as given (a string for a
            # tokenizer pipeline): the last step continues its transform
            prompt = [kwargs["prompt"]]
            for _, _, step in steps:
                prompt = step.transform(prompt)
            kwargs["prompt"] = prompt[0]
        out = self._final_estimator.sample(n_samples, **kwargs)
        labels = None
        if isinstance(out, tuple) and len(out) == 2:
            out, labels = out
        for _, _, step in reversed(steps):
            out = step.inverse_transform(out)
        return out if labels is None else (out, labels)

    def __skgen_tags__(self):
        final_tags = get_generative_tags(self._final_estimator)
        representation = final_tags.representation
        first = next(
            (step for _, step in self.steps if not _is_passthrough(step)), None
        )
        if first is not None and get_tags(first).input_tags.string:
            representation = "text"
        return GenerativeTags(
            representation=representation,
            likelihood_kind=final_tags.likelihood_kind,
            conditional=final_tags.conditional,
            kind=final_tags.kind,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "density_estimator"
        try:
            first = next(
                (step for _, step in self.steps if not _is_passthrough(step)), None
            )
            if first is not None:
                sparse = tags.input_tags.sparse
                tags.input_tags = deepcopy(get_tags(first).input_tags)
                # sparse input needs every step to accept it (Pipeline's rule).
                tags.input_tags.sparse = sparse
        except (ValueError, AttributeError, TypeError):
            # `steps` not validated yet (validated in fit), as in Pipeline.
            pass
        return tags


def make_generative_pipeline(*steps, memory=None, verbose=False):
    """Build a :class:`GenerativePipeline` from estimators, naming them.

    The shorthand mirrors :func:`sklearn.pipeline.make_pipeline`: each step
    is named after its lowercased class name.

    Parameters
    ----------
    *steps : estimators
        Transforms (or ``"passthrough"``), then a generative estimator.
    memory : str or object with the joblib.Memory interface, default=None
        Used to cache the fitted transformers.
    verbose : bool, default=False
        If True, print the time taken to fit each step.

    Returns
    -------
    pipeline : GenerativePipeline

    See Also
    --------
    GenerativePipeline : The pipeline, with named steps.

    Examples
    --------
    >>> from sklearn.mixture import GaussianMixture
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skgen.pipeline import make_generative_pipeline
    >>> make_generative_pipeline(StandardScaler(), GaussianMixture())
    GenerativePipeline(steps=[('standardscaler', StandardScaler()),
                              ('gaussianmixture', GaussianMixture())])
    """
    named = make_pipeline(*steps).steps  # sklearn's naming, public API only
    return GenerativePipeline(named, memory=memory, verbose=verbose)
