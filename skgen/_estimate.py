"""The shared ``likelihood_kind = "estimate"``: a kernel density on samples.

A model that can sample but has no likelihood (a GAN) still answers
``score_samples`` so that it fits the contract, with an *estimate*: a
Gaussian kernel density fitted on samples the model generated, the bandwidth
chosen by the likelihood of training rows the model did not train on. See
:class:`EstimatedLikelihoodMixin` for exactly what it computes.
"""

import uuid

import numpy as np
from sklearn.neighbors import KernelDensity
from sklearn.utils.validation import check_is_fitted, validate_data

from skgen.base import check_count, check_sample_random_state
from skgen.utils._warnings import warn

__all__ = ["EstimatedLikelihoodMixin"]

#: Bandwidths tried, as multiples of Scott's factor n**(-1 / (d + 4)) (in
#: standard-deviation units of the generated samples).
BANDWIDTH_FACTORS = np.geomspace(0.25, 2.0, 10)

# Fits whose score has warned (a fit's id, set by _fit_likelihood_estimate):
# scoring never changes the model, so the "once" is kept here.
_WARNED = set()


class EstimatedLikelihoodMixin:
    """``score_samples`` estimated by a kernel density on generated samples.

    For models that sample but have no likelihood (``likelihood_kind =
    "estimate"``, kind ``"sampler"``). The family's ``fit`` keeps some
    training rows aside (:meth:`_split_held_out`), trains on the others,
    and ends with :meth:`_fit_likelihood_estimate` on the rows kept aside.
    That draws ``n_generated`` samples from the fitted model (per class for
    a model fitted with labels) and keeps, once per fit:

    - the mean ``m`` and standard deviation ``s`` of the generated samples
      (``s = 1`` for a constant column);
    - the standardised samples ``z_j = (x_j - m) / s``;
    - a bandwidth ``h``, among ``BANDWIDTH_FACTORS`` (0.25 to 2, ten
      log-spaced values) times Scott's factor ``n ** (-1 / (d + 4))``: the
      largest whose total log-likelihood of the rows kept aside (each under
      its class's density, for a model fitted with labels) is within one
      standard error of the best (the error of the paired per-row
      differences); Scott's factor itself when no row was kept aside.

    Then ``log p(x)`` is the log-density of
    ``sklearn.neighbors.KernelDensity(kernel="gaussian", bandwidth=h)`` on
    the ``z_j`` at ``(x - m) / s``, minus ``sum(log s)`` (the Jacobian of
    the standardisation), in nats. For a model fitted with labels,
    ``log p(x | k)`` uses the samples of class ``k`` (same ``m``, ``s`` and
    ``h``), and Bayes' rule, the joint and the marginal follow from
    :class:`skgen.base.GenerativeClassifierMixin`.

    It is an estimate: biased towards smoother densities for few samples,
    poor in many dimensions, never comparable with an exact or bounded
    likelihood. ``score`` warns once per fit, and names
    :func:`skgen.metrics.make_generative_scorer` for model selection by
    sample quality instead. Tabular (2-D float) data only for now.
    """

    likelihood_kind = "estimate"

    @staticmethod
    def _split_held_out(n_rows, fraction, rng):
        """Indices of the training rows to train on and of those kept aside.

        ``fraction * n_rows`` rows, rounded half up (at least one when ``fraction >
        0`` and there are two rows or more) are kept aside at random.
        """
        n_held = int(np.floor(fraction * n_rows + 0.5))
        if fraction > 0 and n_rows >= 2:
            n_held = min(max(n_held, 1), n_rows - 1)
        order = rng.permutation(n_rows)
        return np.sort(order[n_held:]), np.sort(order[:n_held])

    def _fit_likelihood_estimate(
        self, X_held_out=None, y_held_out=None, *, n_generated=2000, random_state=None
    ):
        """Fit the kernel density estimate on samples of the fitted model.

        Called at the end of ``fit``, once the model can sample.

        Parameters
        ----------
        X_held_out : ndarray of shape (n_rows, n_features) or None
            Training rows the model was not trained on, to choose the
            bandwidth; None or no rows: Scott's factor.
        y_held_out : ndarray of shape (n_rows,) or None
            Their class labels, for a model fitted with labels.
        n_generated : int, default=2000
            Samples drawn (per class, for a model fitted with labels).
        random_state : int, RandomState instance or None
            Seeds the draws.
        """
        n_generated = check_count(n_generated, "n_generated")
        if self._representation != "tabular":
            raise ValueError(
                "The shared likelihood estimate needs tabular data (2-D float "
                f"arrays); {type(self).__name__} has representation "
                f"{self._representation!r}."
            )
        rng = check_sample_random_state(random_state)
        if getattr(self, "_fitted_with_y", False):
            per_class = [
                self.sample(n_generated, y=c, random_state=rng)[0]
                for c in self.classes_
            ]
        else:
            per_class = [self.sample(n_generated, random_state=rng)]
        per_class = [np.asarray(s, dtype=np.float64) for s in per_class]
        pooled = np.concatenate(per_class)
        if not np.all(np.isfinite(pooled)):
            raise ValueError(
                f"{type(self).__name__} generated non-finite samples, so its "
                "likelihood cannot be estimated."
            )
        mean = pooled.mean(axis=0)
        scale = pooled.std(axis=0)
        scale[scale == 0] = 1.0
        z = [(s - mean) / scale for s in per_class]
        scott = n_generated ** (-1.0 / (pooled.shape[1] + 4))
        bandwidth = scott
        if X_held_out is not None and len(X_held_out):
            z_held = (np.asarray(X_held_out, dtype=np.float64) - mean) / scale
            if y_held_out is None:
                groups = [(0, z_held)]
            else:
                idx = self._encode_labels(y_held_out, z_held.shape[0])
                groups = [(k, z_held[idx == k]) for k in np.unique(idx)]
            bandwidth = _choose_bandwidth(z, groups, scott * BANDWIDTH_FACTORS)
        self.estimate_mean_ = mean
        self.estimate_scale_ = scale
        self.estimate_samples_ = z
        self.estimate_bandwidth_ = float(bandwidth)
        self._estimate_id = uuid.uuid4().hex
        return self

    def _estimated_log_density(self, X):
        """log p(x | class k) of each class, shape (n_samples, n_classes)."""
        z = (X - self.estimate_mean_) / self.estimate_scale_
        log_jacobian = np.log(self.estimate_scale_).sum()
        return np.column_stack(
            [
                _kde_log_density(s, self.estimate_bandwidth_, z) - log_jacobian
                for s in self.estimate_samples_
            ]
        )

    def _class_log_likelihood(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self._estimated_log_density(X)

    def score_samples(self, X, y=None):
        """Estimated log-likelihood of each sample, in nats.

        A kernel density fitted on generated samples (see the class
        docstring); not an exact likelihood or a bound.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            Models fitted with labels: the joint ``log p(x, y)``; the
            marginal ``log p(x)`` when None.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        if getattr(self, "_fitted_with_y", False):
            return self._score_samples_with_labels(X, y)
        self._check_no_labels(y)
        X = validate_data(self, X, reset=False)
        return self._estimated_log_density(X)[:, 0]

    def score(self, X, y=None):
        """Mean estimated log-likelihood, in nats; warns once per fit.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        out = super().score(X, y)
        fit_id = getattr(self, "_estimate_id", None)
        if fit_id not in _WARNED:
            _WARNED.add(fit_id)
            warn(
                f"{type(self).__name__}.score is an estimate (a kernel density "
                "fitted on generated samples, likelihood_kind='estimate'), not "
                "a likelihood comparable with exact or lower-bound models; to "
                "select models by sample quality, pass "
                "scoring=skgen.metrics.make_generative_scorer(...).",
                UserWarning,
            )
        return out


def _kde_log_density(samples, bandwidth, X):
    """Gaussian kernel log-density of ``samples`` at ``X`` (sklearn's)."""
    return (
        KernelDensity(kernel="gaussian", bandwidth=bandwidth)
        .fit(samples)
        .score_samples(X)
    )


def _choose_bandwidth(samples, groups, bandwidths):
    """The smoothest bandwidth within one standard error of the best.

    ``groups`` are ``(class index, held-out rows)`` pairs, each scored under
    its class's samples. The best bandwidth has the highest total held-out
    log-likelihood; a larger one is kept while its total is within one
    standard error of the paired per-row differences from the best (held
    out rows rarely tell neighbouring bandwidths apart, and the smallest
    ones overfit the draws).
    """
    lls = np.array(
        [
            np.concatenate(
                [_kde_log_density(samples[k], h, rows) for k, rows in groups]
            )
            for h in bandwidths
        ]
    )
    with np.errstate(invalid="ignore"):  # -inf rows of too small a bandwidth
        totals = lls.sum(axis=1)
        best = int(np.argmax(totals))
        diff = lls - lls[best]
        se = np.nan_to_num(diff.std(axis=1)) * np.sqrt(lls.shape[1])
        close = np.flatnonzero(diff.sum(axis=1) >= -se)
    return float(bandwidths[close.max()]) if close.size else float(bandwidths[best])
