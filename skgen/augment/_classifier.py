"""A classifier trained on data augmented by a generator inside ``fit``."""

from typing import ClassVar

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    clone,
)
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d, validate_data

from skgen.augment._common import (
    N_SYNTHETIC_CONSTRAINTS,
    AugmentedMixin,
    check_augmented_size,
    check_class_labels,
    delegate,
    fit_method,
    n_synthetic_strategy,
)
from skgen.augment._resampler import GenerativeResampler
from skgen.utils._compat import HasMethods, StrOptions


class AugmentedClassifier(
    ClassifierMixin, AugmentedMixin, MetaEstimatorMixin, BaseEstimator
):
    """A classifier fitted on its training data plus generated rows.

    ``fit`` resamples the training data with a :class:`GenerativeResampler`
    (the generator is fitted on the training rows only) and fits a clone of
    ``estimator`` on the result; ``predict``, ``predict_proba``,
    ``decision_function`` and ``score`` use that fitted estimator on the
    data as given. Augmentation happens only in ``fit``, so
    ``cross_val_score``, ``GridSearchCV`` and a plain sklearn ``Pipeline``
    never see synthetic rows in a test fold, and the generator never sees a
    test row.

    Parameters
    ----------
    estimator : classifier
        The classifier to train, cloned in ``fit``. For a mixed-type
        DataFrame, a pipeline that encodes it (a ``ColumnTransformer``).
    generator : estimator with ``fit`` and ``sample``
        The generator of tables, as in :class:`GenerativeResampler`.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class has after augmentation, with
        imbalanced-learn's meaning (see :class:`GenerativeResampler`);
        "auto" balances every class to the majority class.
    n_synthetic : int, float or None, default=None
        Add rows to every class instead of balancing: an int adds that many
        synthetic rows to each class; a float adds that fraction of each
        class's own size (0.5: every class grows by half, rounded half up).
        0 and 0.0 add no row (the estimator is fitted on the data as is).
        None, the default, leaves the number to ``sampling_strategy``. With
        ``n_synthetic`` set, ``sampling_strategy`` must stay "auto" (its
        default), since both would set the number of rows; anything else
        raises a ValueError.
    conditional : "auto" or bool, default="auto"
        One conditional generator (True) or one per class (False); "auto"
        follows the generator's skgen tags. See :class:`GenerativeResampler`.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator(s) and the draws (see
        :class:`GenerativeResampler`); the estimator keeps its own
        ``random_state``.

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``estimator`` fitted on the augmented data.
    resampler_ : GenerativeResampler
        The fitted resampler: ``resampler_.generator_`` (conditional) or
        ``resampler_.generators_`` (per class) hold the fitted generators.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_synthetic_ : int
        Number of synthetic rows the estimator was trained on.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names, when ``X`` is a DataFrame with string column names.

    See Also
    --------
    GenerativeResampler : The sampler, for an ``imblearn.pipeline.Pipeline``.
    AugmentedRegressor : The same idea for regression.

    Notes
    -----
    ``fit`` takes no ``sample_weight`` and routes no metadata: which weight
    a synthetic row should carry is not defined, so weights are refused
    rather than guessed.

    A request whose augmented data cannot fit in memory (``n_synthetic`` or
    ``sampling_strategy`` asking for billions of rows) is refused with a
    ValueError naming its size before any generator is fitted, and labels
    of mixed types (``[1, "a"]``) as scikit-learn refuses them; a failed
    ``fit`` leaves a fitted model as it was.

    The parameters of ``generator`` and ``estimator`` are validated when
    they are fitted, as sklearn's meta-estimators do.

    To load a fitted model with :mod:`skops.io`, pass
    ``trusted=skgen.utils.trusted_types()``; the types of ``estimator``
    (and of anything it holds) that are neither scikit-learn's nor
    skgen's must be added to that list, since skops trusts only its
    defaults and skgen cannot know your estimators.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from skgen.augment import AugmentedClassifier
    >>> from skgen.neural import VAE
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> clf = AugmentedClassifier(
    ...     LogisticRegression(),
    ...     VAE(hidden_layer_sizes=(16,), max_epochs=5),
    ...     random_state=0,
    ... ).fit(X, y)
    >>> clf.n_synthetic_, clf.predict(X[:3]).shape
    (160, (3,))
    >>> scores = cross_val_score(clf, X, y, cv=3, scoring="balanced_accuracy")
    >>> scores.shape
    (3,)
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "generator": [HasMethods(["fit", "sample"])],
        "sampling_strategy": BaseOverSampler._parameter_constraints[
            "sampling_strategy"
        ],
        "n_synthetic": N_SYNTHETIC_CONSTRAINTS,
        "conditional": [StrOptions({"auto"}), "boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        generator,
        *,
        sampling_strategy="auto",
        n_synthetic=None,
        conditional="auto",
        random_state=None,
    ):
        self.estimator = estimator
        self.generator = generator
        self.sampling_strategy = sampling_strategy
        self.n_synthetic = n_synthetic
        self.conditional = conditional
        self.random_state = random_state

    def _check_n_synthetic(self):
        if self.n_synthetic is None:
            return
        if not (
            isinstance(self.sampling_strategy, str) and self.sampling_strategy == "auto"
        ):
            raise ValueError(
                "n_synthetic and sampling_strategy both set how many rows to "
                f"add; got n_synthetic={self.n_synthetic!r} and "
                f"sampling_strategy={self.sampling_strategy!r}. Leave "
                "sampling_strategy='auto' when n_synthetic is set, or set "
                "n_synthetic=None."
            )

    def _strategy(self, y):
        """``sampling_strategy``, or the counts that ``n_synthetic`` asks for,
        refused at once when they cannot fit in memory."""
        if self.n_synthetic is None:
            return self.sampling_strategy
        y = np.asarray(y)
        strategy = n_synthetic_strategy(y, self.n_synthetic)
        n_features = getattr(self, "n_features_in_", None)
        if n_features is not None:  # else not a table: the resampler says so
            check_augmented_size(
                len(y),
                sum(strategy.values()) - len(y),
                n_features,
                n_features,
                type(self).__name__,
            )
        return strategy

    @fit_method
    def fit(self, X, y):
        """Augment the training data, then fit a clone of ``estimator``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Training rows, the only rows the generator is fitted on.
        y : array-like of shape (n_samples,)
            Class labels, binary or multiclass. No ``sample_weight``: see
            Notes.

        Returns
        -------
        self : AugmentedClassifier
        """
        self._check_n_synthetic()
        check_class_labels(y)
        if type_of_target(y) not in ("binary", "multiclass"):
            raise ValueError(
                "Multilabel and multioutput targets are not supported: "
                f"y must be binary or multiclass; got {type_of_target(y)!r}."
            )
        if np.asarray(y).ndim == 2:  # a column vector
            y = column_or_1d(y, warn=True)
        # feature names of this X only: a refit on an array drops old ones
        validate_data(self, X=X, reset=True, skip_check_array=True)
        resampler = GenerativeResampler(
            self.generator,
            sampling_strategy=self._strategy(y),
            conditional=self.conditional,
            random_state=self.random_state,
        )
        X_res, y_res = resampler.fit_resample(X, y)
        self.estimator_ = clone(self.estimator).fit(X_res, y_res)
        self.resampler_ = resampler
        classes = getattr(self.estimator_, "classes_", None)
        self.classes_ = unique_labels(y_res) if classes is None else classes
        self.n_synthetic_ = int(sum(resampler.sampling_strategy_.values()))
        return self

    predict_proba = delegate(
        "predict_proba",
        "Class probabilities from the fitted estimator.",
        "proba : ndarray of shape (n_samples, n_classes)",
    )
    predict_log_proba = delegate(
        "predict_log_proba",
        "Log class probabilities from the fitted estimator.",
        "log_proba : ndarray of shape (n_samples, n_classes)",
    )
    decision_function = delegate(
        "decision_function",
        "Decision function of the fitted estimator.",
        "scores : ndarray of shape (n_samples,) or (n_samples, n_classes)",
    )
