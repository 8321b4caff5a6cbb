"""A regressor trained on data augmented by a joint model of (X, y)."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    RegressorMixin,
    _fit_context,
    clone,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from skgen.augment._classifier import (
    N_SYNTHETIC_CONSTRAINTS,
    _estimator_has,
    check_n_synthetic,
)
from skgen.augment._common import (
    as_rows_like,
    check_frame,
    check_tabular_generator,
    concat_rows,
    draw,
    draw_seed,
    is_frame,
    n_rows_to_add,
    seeded_clone,
)
from skgen.base import fit_atomically


def _target_name(columns, name):
    """A column label for the target that no feature has.

    String column names give a string label (``y``'s name, else "target",
    made unique); other labels an int, so that the names stay of one type.
    """
    columns = list(columns)
    if not all(isinstance(c, str) for c in columns):
        ints = [c for c in columns if isinstance(c, Integral)]
        return max(ints, default=-1) + 1 if ints else len(columns)
    name = name if isinstance(name, str) else "target"
    candidate, i = name, 0
    while candidate in columns:
        i += 1
        candidate = f"{name}_{i}"
    return candidate


class AugmentedRegressor(RegressorMixin, MetaEstimatorMixin, BaseEstimator):
    """A regressor fitted on its training data plus rows of a joint model.

    ``fit`` fits the generator on the table of the features with the target
    as one more column (``np.column_stack([X, y])``, or the DataFrame with a
    target column), draws ``n_synthetic`` rows from it, splits them back
    into features and target, and fits a clone of ``estimator`` on the
    original rows followed by the synthetic ones. ``predict`` and ``score``
    use that fitted estimator; test data is never augmented.

    Parameters
    ----------
    estimator : regressor
        The regressor to train, cloned in ``fit``.
    generator : estimator with ``fit`` and ``sample``
        A generator of tables (a skgen model such as
        :class:`skgen.neural.VAE`, or sklearn's ``GaussianMixture``); it is
        fitted without labels on the joint table.
    n_synthetic : int or float, default=1.0
        An int: that many synthetic rows. A float: that fraction of the
        number of training rows (1.0 doubles the data), rounded.
    random_state : int, RandomState instance or None, default=None
        Seeds the generator and the draws: the same int gives the same
        model. An int also overrides the generator's ``random_state``
        parameters (nested ones included); None leaves them and gives fresh
        draws.

    Attributes
    ----------
    estimator_ : regressor
        The clone of ``estimator`` fitted on the augmented data.
    generator_ : estimator
        The generator fitted on the joint table.
    n_synthetic_ : int
        Number of synthetic rows the estimator was trained on.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` is a DataFrame with string column names.

    See Also
    --------
    AugmentedClassifier : The same idea for classification.

    Notes
    -----
    A DataFrame ``X`` is kept as one (the target column is named after a
    named Series ``y``, else "target", made unique); the synthetic target
    keeps ``y``'s dtype there, and is float for arrays. The generator models
    the target jointly with the features, so synthetic targets follow the
    learned ``p(x, y)``; a poor generator adds noise, so compare by
    cross-validation.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.linear_model import Ridge
    >>> from skgen.augment import AugmentedRegressor
    >>> from skgen.neural import VAE
    >>> X, y = make_regression(n_samples=100, n_features=3, random_state=0)
    >>> reg = AugmentedRegressor(
    ...     Ridge(), VAE(hidden_layer_sizes=(16,), max_epochs=5),
    ...     n_synthetic=50, random_state=0,
    ... ).fit(X, y)
    >>> reg.n_synthetic_, reg.predict(X[:2]).shape
    (50, (2,))
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [HasMethods(["fit", "predict"])],
        "generator": [HasMethods(["fit", "sample"])],
        "n_synthetic": N_SYNTHETIC_CONSTRAINTS[:2],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, generator, *, n_synthetic=1.0, random_state=None):
        self.estimator = estimator
        self.generator = generator
        self.n_synthetic = n_synthetic
        self.random_state = random_state

    def _check_X_y(self, X, y):
        name = type(self).__name__
        if is_frame(X):
            X = check_frame(X, name)
            validate_data(self, X=X, reset=True, skip_check_array=True)
            y = column_or_1d(y, warn=True)
            check_consistent_length(X, y)
            if y.dtype.kind not in "biuf" or not np.all(np.isfinite(y)):
                raise ValueError(
                    f"y must be finite numbers for {name}; got dtype {y.dtype}"
                    " or non-finite values."
                )
            return X, y
        return validate_data(self, X=X, y=y, reset=True, y_numeric=True)

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the generator on ``(X, y)``, augment, and fit ``estimator``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,)
            Numeric target.

        Returns
        -------
        self : AugmentedRegressor
        """
        check_n_synthetic(self.n_synthetic)
        check_tabular_generator(self.generator, type(self).__name__)
        y_name = getattr(y, "name", None)
        X, y = self._check_X_y(X, y)
        rng = check_random_state(self.random_state)
        fixed = self.random_state is not None
        if is_frame(X):
            target = _target_name(X.columns, y_name)
            joint = X.reset_index(drop=True)
            joint[target] = y
        else:
            target = None
            joint = np.column_stack([X.astype(float), y])
        generator = seeded_clone(self.generator, draw_seed(rng) if fixed else None)
        generator.fit(joint)
        n_new = n_rows_to_add(self.n_synthetic, X.shape[0])
        X_res, y_res = X, y
        if n_new > 0:
            rows = draw(generator, n_new, draw_seed(rng))
            who = f"{type(generator).__name__}.sample"
            rows = as_rows_like(rows, joint, n_new, who)
            if target is None:
                X_new = as_rows_like(rows[:, :-1], X, n_new, who)
                y_new = rows[:, -1]
            else:
                X_new, y_new = rows.drop(columns=target), rows[target].to_numpy()
            X_res = concat_rows(X, [X_new])
            y_res = np.concatenate([y, y_new])
        self.estimator_ = clone(self.estimator).fit(X_res, y_res)
        self.generator_ = generator
        self.n_synthetic_ = n_new
        return self

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predict with the fitted estimator.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("score"))
    def score(self, X, y, sample_weight=None):
        """Score of the fitted estimator (R² for sklearn regressors).

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        check_is_fitted(self)
        if sample_weight is None:
            return self.estimator_.score(X, y)
        return self.estimator_.score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags
