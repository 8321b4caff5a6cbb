"""A regressor trained on data augmented by a joint model of (X, y)."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
)
from sklearn.utils.validation import validate_data

from skgen.augment._common import (
    N_SYNTHETIC_CONSTRAINTS,
    AugmentedMixin,
    Seeds,
    check_augmented_size,
    check_frame_X_y,
    check_tabular_generator,
    concat_rows,
    draw,
    fit_method,
    is_frame,
    n_rows_to_add,
    round_to_dtype,
)
from skgen.utils._compat import HasMethods


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


class AugmentedRegressor(
    RegressorMixin, AugmentedMixin, MetaEstimatorMixin, BaseEstimator
):
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
        number of training rows (1.0 doubles the data), rounded half up.
        0 and 0.0 add no row. Unlike :class:`AugmentedClassifier`, None is
        refused: there are no classes whose balance could set the number.
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
        Number of columns of ``X``, the target not counted.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names, when ``X`` is a DataFrame with string column names.

    See Also
    --------
    AugmentedClassifier : The same idea for classification.

    Notes
    -----
    A DataFrame ``X`` is kept as one (the target column is named after a
    named Series ``y``, else "target", made unique); the synthetic target
    keeps ``y``'s dtype there (an integer target is rounded), and is float
    for arrays. The generator models the target jointly with the features,
    so synthetic targets follow the learned ``p(x, y)``; a poor generator
    adds noise, so compare by cross-validation.

    ``fit`` takes no ``sample_weight`` and routes no metadata: which weight
    a synthetic row should carry is not defined. An ``n_synthetic`` whose
    augmented data cannot fit in memory is refused with a ValueError naming
    its size before the generator is fitted. The parameters of
    ``generator`` and ``estimator`` are validated when they are fitted.
    ``score`` is sklearn's R² of ``predict``. For :mod:`skops.io`, trust
    ``estimator``'s own types as well as ``skgen.utils.trusted_types()``
    (see :class:`AugmentedClassifier`).

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_samples=100, n_features=3, random_state=0)
    >>> from sklearn.linear_model import Ridge
    >>> from skgen.augment import AugmentedRegressor
    >>> from skgen.neural import VAE
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
        if not is_frame(X):
            return validate_data(self, X=X, y=y, reset=True, y_numeric=True)
        X, y = check_frame_X_y(self, X, y)
        name = type(self).__name__
        if y.dtype.kind not in "biuf":
            raise ValueError(f"y must be numeric for {name}; got dtype {y.dtype}.")
        if not np.all(np.isfinite(y)):
            raise ValueError(
                f"y must be finite for {name}; got {int(np.sum(~np.isfinite(y)))} "
                "NaN or infinite values."
            )
        return X, y

    @fit_method
    def fit(self, X, y):
        """Fit the generator on ``(X, y)``, augment, and fit ``estimator``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Training rows, modelled jointly with ``y``.
        y : array-like of shape (n_samples,)
            Numeric, finite target. No ``sample_weight``: see Notes.

        Returns
        -------
        self : AugmentedRegressor
        """
        check_tabular_generator(self.generator, type(self).__name__)
        y_name = getattr(y, "name", None)
        X, y = self._check_X_y(X, y)
        n_new = n_rows_to_add(self.n_synthetic, X.shape[0])
        check_augmented_size(
            X.shape[0], n_new, X.shape[1] + 1, X.shape[1], type(self).__name__
        )
        seeds = Seeds(self.random_state)
        if is_frame(X):
            target = _target_name(X.columns, y_name)
            joint = X.reset_index(drop=True)
            joint[target] = y
        else:
            target = None
            joint = np.column_stack([X.astype(float), y])
        generator = seeds.clone(self.generator).fit(joint)
        X_res, y_res = X, y
        if n_new > 0:
            rows = draw(generator, n_new, seeds.next(), joint)
            if target is None:
                X_new = round_to_dtype(rows[:, :-1], X.dtype).astype(X.dtype)
                y_new = rows[:, -1]
            else:
                X_new, y_new = rows.drop(columns=target), rows[target].to_numpy()
            X_res = concat_rows(X, [X_new])
            y_res = np.concatenate([y, y_new])
        self.estimator_ = clone(self.estimator).fit(X_res, y_res)
        self.generator_ = generator
        self.n_synthetic_ = n_new
        return self
