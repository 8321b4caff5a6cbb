"""Meta-estimators that give generative models sklearn's other roles.

:class:`GenerativeClassifier` makes any generator a classifier by Bayes'
rule and :class:`GenerativeOutlierDetector` an outlier detector by its
log-likelihood. sklearn decides stratification and scorers from the type of
the *unfitted* estimator, so these wrappers, not the generators themselves,
are what users put in ``cross_val_score(..., X, y)`` (DESIGN.md §1).
"""

from copy import deepcopy
from numbers import Real
from typing import ClassVar

import numpy as np
from scipy import sparse
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    OutlierMixin,
    _fit_context,
    clone,
)
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from skgen.base import GenerativeClassifierMixin, choose_conditional, fit_atomically
from skgen.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _num_samples,
    _safe_indexing,
)

__all__ = ["GenerativeClassifier", "GenerativeOutlierDetector"]


def _rows(X, indices):
    """The samples ``indices`` of ``X``, in any representation."""
    if sparse.issparse(X):
        X = X.tocsr()  # every format indexes rows (the generator validates)
    elif hasattr(X, "__array__") and not hasattr(X, "iloc"):
        X = np.asarray(X)  # array-likes that do not index
    return _safe_indexing(X, indices)


def _log_likelihoods(generator, X):
    """``generator.score_samples(X)``, checked: one number per sample, no NaN."""
    scores = np.asarray(generator.score_samples(X), dtype=float)
    n = _num_samples(X)
    if scores.shape != (n,):
        raise ValueError(
            f"{type(generator).__name__}.score_samples returned shape "
            f"{scores.shape}; expected one log-likelihood per sample ({n},)."
        )
    if np.isnan(scores).any():
        raise ValueError(
            f"{type(generator).__name__}.score_samples returned NaN for "
            f"sample(s) {np.flatnonzero(np.isnan(scores))[:10].tolist()}; a "
            "log-likelihood must be a number (-inf for impossible samples)."
        )
    return scores


def _delegated_input_tags(tags, generator):
    """The input tags of ``tags`` replaced by those of ``generator``."""
    try:
        tags.input_tags = deepcopy(get_tags(generator).input_tags)
    except (AttributeError, TypeError, ValueError):
        pass  # an invalid generator: reported by fit
    return tags


class _DelegatedFeaturesMixin:
    """``n_features_in_`` and ``feature_names_in_`` of the fitted generator."""

    def _first_generator(self):
        raise NotImplementedError

    @property
    def n_features_in_(self):
        """Number of features seen in fit (for tabular generators)."""
        return self._first_generator().n_features_in_

    @property
    def feature_names_in_(self):
        """Names of the features seen in fit (for DataFrames with string names)."""
        return self._first_generator().feature_names_in_


class GenerativeClassifier(
    GenerativeClassifierMixin,
    _DelegatedFeaturesMixin,
    ClassifierMixin,
    MetaEstimatorMixin,
    BaseEstimator,
):
    """Classify with any generative model by Bayes' rule.

    ``predict_proba(X)`` is ``p(k) p(x | k) / sum_j p(j) p(x | j)``, computed
    in log space, with ``p(x | k)`` from the generator: one conditional model
    fitted with the labels when the generator can take them (skgen's tags
    say ``conditional``: a Markov chain, an HMM, a VAE, a pipeline ending in
    one), otherwise one clone of it fitted on the rows of each class (any
    skgen density model, or sklearn's ``GaussianMixture`` and
    ``KernelDensity``).

    Because it is a classifier to scikit-learn (``is_classifier`` is True),
    ``cross_val_score`` and ``GridSearchCV`` stratify their folds and the
    classifier scorers (``accuracy``, ``balanced_accuracy``,
    ``roc_auc_ovr``, ``neg_log_loss``) work; ``score`` is the accuracy.

    Parameters
    ----------
    generator : estimator
        A generative model with ``fit`` and ``score_samples`` (log p(x) per
        sample), in any representation: tables, token sequences, text in a
        :class:`~skgen.pipeline.GenerativePipeline`. It is cloned in fit.
    priors : array-like of shape (n_classes,), default=None
        Prior class probabilities, in the order of ``classes_``. None uses
        the class frequencies of the training labels.
    conditional : "auto" or bool, default="auto"
        One conditional generator fitted with the labels (True) or one
        generator per class (False); ``"auto"`` chooses True when the
        generator's skgen tags say it can take labels. The two differ: a
        conditional VAE shares one network across classes (better with few
        samples per class), per-class VAEs give each class its own.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    class_count_ : ndarray of shape (n_classes,)
        Number of training samples of each class.
    class_log_prior_ : ndarray of shape (n_classes,)
        Log of the prior of each class (``priors`` or the frequencies).
    generator_ : estimator
        The conditional generator fitted with the labels (conditional mode).
    estimators_ : list of estimators
        One generator per class, fitted on that class's samples
        (per-class mode).
    conditional_ : bool
        Which of the two modes was used.
    n_features_in_ : int
        Number of features seen in fit, for tabular generators.

    See Also
    --------
    GenerativeOutlierDetector : The generator's likelihood as an outlier score.
    sklearn.naive_bayes.GaussianNB : The same rule with independent Gaussians.

    Notes
    -----
    In conditional mode ``log p(x | k)`` is read from the generator's
    ``predict_log_proba`` and marginal ``score_samples``: ``log p(x, k) =
    log p(k | x) + log p(x)``, two passes over ``X`` whatever the number of
    classes; its class prior is the training frequencies, replaced by
    ``priors`` when given. When ``score_samples`` is a bound or an estimate
    (a VAE, a GAN), the rule compares bounds: a class whose bound is
    tighter is favoured, so such a generator scores every class with the
    same settings (the same number of importance samples, for the VAE).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.mixture import GaussianMixture
    >>> from sklearn.model_selection import cross_val_score
    >>> from skgen import GenerativeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = GenerativeClassifier(GaussianMixture(random_state=0))
    >>> cross_val_score(clf, X, y, cv=5).mean().round(2)  # stratified folds
    np.float64(0.98)

    Text, through a pipeline of a tokenizer and a Markov chain:

    >>> from skgen.markov import MarkovChain
    >>> from skgen.pipeline import make_generative_pipeline
    >>> from skgen.text import CharTokenizer
    >>> docs = ["abab", "ababab", "ab", "xyz", "xyzxyz", "zyx"]
    >>> text = make_generative_pipeline(CharTokenizer(), MarkovChain(order=2))
    >>> GenerativeClassifier(text).fit(docs, [0, 0, 0, 1, 1, 1]).predict(
    ...     ["aba", "yzx"]
    ... ).tolist()
    [0, 1]
    """

    _parameter_constraints: ClassVar[dict] = {
        "generator": [HasMethods(["fit", "score_samples"])],
        "priors": ["array-like", None],
        "conditional": [StrOptions({"auto"}), "boolean"],
    }

    def __init__(self, generator, *, priors=None, conditional="auto"):
        self.generator = generator
        self.priors = priors
        self.conditional = conditional

    def _class_priors(self, counts):
        if self.priors is None:
            return counts / counts.sum()
        try:
            priors = np.asarray(self.priors, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"priors must be an array of probabilities; got {self.priors!r}."
            ) from None
        if priors.shape != counts.shape:
            raise ValueError(
                f"priors must have one value per class ({counts.shape[0]}); got "
                f"shape {priors.shape}."
            )
        if not np.all(np.isfinite(priors)) or np.any(priors < 0):
            raise ValueError(f"priors must be non-negative; got {priors.tolist()}.")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"priors must sum to 1; got sum {priors.sum()}.")
        return priors

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the generator on the labelled samples.

        Parameters
        ----------
        X : data in the representation the generator accepts
            Training samples.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).

        Returns
        -------
        self : GenerativeClassifier
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target "
                "y is None."
            )
        for attr in ("generator_", "estimators_"):
            self.__dict__.pop(attr, None)
        y = self._check_fit_labels(y, _num_samples(X))
        classes, y_idx, counts = np.unique(y, return_inverse=True, return_counts=True)
        if classes.shape[0] < 2:
            raise ValueError(
                "y has only one class "
                f"({classes.tolist()!r}); a classifier needs at least 2."
            )
        prior = self._class_priors(counts)
        self.conditional_ = choose_conditional(self.conditional, self.generator)
        if self.conditional_:
            self.generator_ = clone(self.generator).fit(X, y)
        else:
            self.estimators_ = [
                clone(self.generator).fit(_rows(X, np.flatnonzero(y_idx == k)))
                for k in range(classes.shape[0])
            ]
        self.classes_, self.class_count_ = classes, counts
        self._train_log_prior = np.log(counts / counts.sum())
        with np.errstate(divide="ignore"):
            self.class_log_prior_ = np.log(prior)
        return self

    def _first_generator(self):
        check_is_fitted(self)
        return self.generator_ if self.conditional_ else self.estimators_[0]

    def _class_log_likelihood(self, X):
        """log p(x | class k), shape (n_samples, n_classes)."""
        check_is_fitted(self)
        if not self.conditional_:
            return np.column_stack(
                [_log_likelihoods(est, X) for est in self.estimators_]
            )
        log_px = _log_likelihoods(self.generator_, X)
        log_post = self.generator_.predict_log_proba(X)
        return log_post + log_px[:, None] - self._train_log_prior

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return _delegated_input_tags(tags, self.generator)


class GenerativeOutlierDetector(
    _DelegatedFeaturesMixin, OutlierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Detect outliers as the samples a generative model finds unlikely.

    The outlier score is the generator's log-likelihood: ``score_samples``
    is ``log p(x)`` (higher is more normal) and ``decision_function`` is
    ``score_samples(X) - offset_``, with ``offset_`` the
    ``contamination`` quantile of the training scores, so ``predict``
    marks that fraction of the training samples as outliers (-1) and the
    rest as inliers (+1), as sklearn's outlier detectors do.

    Parameters
    ----------
    generator : estimator
        A density model with ``fit`` and ``score_samples``, in any
        representation (tables, token sequences, text through a pipeline);
        cloned in fit. A sampler's ``score_samples`` is an estimate (a
        kernel density fitted on its samples, ``likelihood_kind =
        "estimate"``), and so are the scores here; a VAE's is a lower bound.
    contamination : float in (0, 0.5], default=0.1
        The expected fraction of outliers in the training data: the
        quantile of the training log-likelihoods that separates them.

    Attributes
    ----------
    generator_ : estimator
        The generator fitted on the training samples.
    offset_ : float
        The ``contamination`` quantile of the training log-likelihoods.
    n_features_in_ : int
        Number of features seen in fit, for tabular generators.

    See Also
    --------
    GenerativeClassifier : The generator's likelihood in Bayes' rule.
    sklearn.covariance.EllipticEnvelope : The same rule for one Gaussian.

    Notes
    -----
    The log-likelihood of a whole sequence or document is a sum over its
    steps, so it falls with the length: among sequences of very different
    lengths the longest look least likely. Compare sequences of similar
    lengths, or score them per step (``MarkovChain.perplexity``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.mixture import GaussianMixture
    >>> from skgen import GenerativeOutlierDetector
    >>> X = np.random.RandomState(0).normal(size=(200, 2))
    >>> det = GenerativeOutlierDetector(GaussianMixture(random_state=0)).fit(X)
    >>> det.predict([[0.0, 0.0], [6.0, 6.0]]).tolist()
    [1, -1]
    >>> float((det.predict(X) == -1).mean())
    0.1
    """

    _parameter_constraints: ClassVar[dict] = {
        "generator": [HasMethods(["fit", "score_samples"])],
        "contamination": [Interval(Real, 0, 0.5, closed="right")],
    }

    def __init__(self, generator, *, contamination=0.1):
        self.generator = generator
        self.contamination = contamination

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the generator and place the threshold.

        Parameters
        ----------
        X : data in the representation the generator accepts
            Training samples.
        y : None
            Ignored.

        Returns
        -------
        self : GenerativeOutlierDetector
        """
        generator = clone(self.generator).fit(X)
        scores = _log_likelihoods(generator, X)
        with np.errstate(invalid="ignore"):
            offset = float(np.percentile(scores, 100.0 * self.contamination))
        if np.isnan(offset):  # the quantile falls between two -inf scores
            offset = -np.inf
        self.generator_, self.offset_ = generator, offset
        return self

    def _first_generator(self):
        check_is_fitted(self)
        return self.generator_

    def score_samples(self, X):
        """The generator's log-likelihood of each sample (higher is more normal).

        Parameters
        ----------
        X : data in the representation the generator accepts

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return _log_likelihoods(self.generator_, X)

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for outliers.

        Parameters
        ----------
        X : data in the representation the generator accepts

        Returns
        -------
        decision : ndarray of shape (n_samples,)
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """+1 for inliers, -1 for outliers.

        Parameters
        ----------
        X : data in the representation the generator accepts

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return np.where(self.decision_function(X) < 0, -1, 1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        return _delegated_input_tags(tags, self.generator)
