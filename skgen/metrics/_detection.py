"""Classifier-based metrics: detection (C2ST) and train-synthetic-test-real."""

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.metrics import check_scoring
from sklearn.model_selection import StratifiedKFold, check_cv, cross_val_score
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from skgen.metrics._validation import check_samples
from skgen.utils._compat import HasMethods, validate_params
from skgen.utils._random import draw_seed


@validate_params(
    {
        "X_real": ["array-like"],
        "X_generated": ["array-like"],
        "estimator": [HasMethods(["fit"]), None],
        "cv": ["cv_object"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,
)
def detection_score(X_real, X_generated, *, estimator=None, cv=5, random_state=None):
    """Cross-validated ROC AUC of a classifier telling real from generated rows.

    A classifier two-sample test: rows of ``X_real`` get label 0, rows of
    ``X_generated`` label 1, and a classifier is cross-validated on the
    pooled rows. If the generator is perfect, no classifier does better than
    chance on held-out rows.

    Parameters
    ----------
    X_real : array-like or DataFrame of shape (n_real, n_features)
        Real samples.
    X_generated : array-like or DataFrame of shape (n_generated, n_features)
        Generated samples.
    estimator : classifier or None, default=None
        Any classifier with ``predict_proba`` or ``decision_function``.
        None uses a ``HistGradientBoostingClassifier`` (seeded by
        ``random_state``): it detects differences in any feature and
        interaction, needs no scaling and is fast on large samples. Its
        ``min_samples_leaf`` is sized to the data (see Notes), so that it
        can split small samples too. A linear classifier would only detect
        differences of the means.
        An error in its ``fit`` is raised, not turned into a NaN score.
    cv : int, cross-validation generator or iterable, default=5
        An int gives a shuffled ``StratifiedKFold`` with that many folds
        (seeded by ``random_state``); each sample then needs at least
        ``2 * cv`` rows, so that every held-out fold holds two rows of
        each (a ValueError says so otherwise).
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the default classifier.

    Returns
    -------
    auc : float
        Mean ROC AUC over the folds: 0.5 when real and generated rows are
        indistinguishable, 1 when every generated row is recognised.
        Values below 0.5 are noise around 0.5.

    See Also
    --------
    mmd : A kernel two-sample test.

    Notes
    -----
    The ROC AUC does not depend on the share of each class, so the samples
    need not be of the same size and no rebalancing is done.

    The default classifier's ``min_samples_leaf`` is
    ``min(20, max(1, n_train // 4))``, with ``n_train`` the rows of the
    smaller sample in a training fold: scikit-learn's default of 20 would
    leave a tree on a few dozen rows without a single split, and every
    prediction the same (an AUC of exactly 0.5 for samples that anyone can
    tell apart). From 100 rows per sample on (5 folds) it is the default.
    On small samples the AUC is noisy around 0.5 even when the
    distributions are the same: compare it with its spread over seeds.

    DataFrames are
    encoded with a :class:`~skgen.tabular.TabularEncoder` fitted on
    ``X_real``; arrays are used as given.

    References
    ----------
    Lopez-Paz & Oquab (2017), "Revisiting classifier two-sample tests",
    ICLR.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.metrics import detection_score
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> far = detection_score(X, rng.normal(3.0, 1.0, (100, 2)), random_state=0)
    >>> bool(far > 0.95)
    True
    """
    R, G = check_samples(
        X_real,
        X_generated,
        names=("X_real", "X_generated"),
        caller="detection_score",
        min_samples=2,
    )
    rng = check_random_state(random_state)
    seed = draw_seed(rng)
    if estimator is not None and not (
        hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")
    ):
        raise TypeError(
            "estimator must be a classifier with predict_proba or "
            f"decision_function, to compute the ROC AUC; got {estimator!r}."
        )
    Z = np.vstack([R, G])
    labels = np.r_[np.zeros(R.shape[0], int), np.ones(G.shape[0], int)]
    if isinstance(cv, Integral):
        cv = _stratified_folds(int(cv), min(R.shape[0], G.shape[0]), seed)
    else:
        cv = check_cv(cv, labels, classifier=True)
    if estimator is None:
        n_train = min(
            np.bincount(labels[train], minlength=2).min()
            for train, _ in cv.split(Z, labels)
        )
        estimator = HistGradientBoostingClassifier(
            min_samples_leaf=int(min(20, max(1, n_train // 4))), random_state=seed
        )
    scores = cross_val_score(
        clone(estimator), Z, labels, cv=cv, scoring="roc_auc", error_score="raise"
    )
    return float(np.mean(scores))


def _stratified_folds(n_splits, smallest, seed):
    """A shuffled ``StratifiedKFold``, refused when a held-out fold would
    hold fewer than two rows of the smaller sample."""
    if smallest < 2 * n_splits:
        raise ValueError(
            f"cv={n_splits} folds need at least {2 * n_splits} rows in each "
            f"sample (2 per held-out fold); the smaller sample has {smallest}. "
            "Pass more rows or a smaller cv."
        )
    return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)


@validate_params(
    {
        "X_synth": ["array-like"],
        "y_synth": ["array-like"],
        "X_real": ["array-like"],
        "y_real": ["array-like"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "scoring": [str, callable, None],
    },
    prefer_skip_nested_validation=False,
)
def tstr_score(X_synth, y_synth, X_real, y_real, *, estimator=None, scoring=None):
    """Train on synthetic, test on real: utility of generated labelled data.

    Fits ``estimator`` on the synthetic rows and labels and scores it on
    the real ones. Compare with the same estimator trained on real data
    (train-real-test-real on a separate real split) to see how much utility
    the synthetic data lose.

    Parameters
    ----------
    X_synth : array-like or DataFrame of shape (n_synth, n_features)
        Synthetic (generated) training rows.
    y_synth : array-like of shape (n_synth,)
        Their labels or targets.
    X_real : array-like or DataFrame of shape (n_real, n_features)
        Real test rows, not used to train the generator.
    y_real : array-like of shape (n_real,)
        Their labels or targets.
    estimator : estimator or None, default=None
        The model to train. None uses a ``HistGradientBoostingClassifier``
        when ``y_real`` is a classification target (binary or multiclass)
        and a ``HistGradientBoostingRegressor`` otherwise (both with
        ``random_state=0``).
    scoring : str, callable or None, default=None
        A scikit-learn scorer name or callable ``(estimator, X, y)``; None
        uses ``estimator.score`` (accuracy for classifiers, R^2 for
        regressors).

    Returns
    -------
    score : float
        The score on the real rows; greater is better for every
        scikit-learn scorer.

    See Also
    --------
    detection_score : Whether the rows themselves can be told apart.

    Notes
    -----
    Both samples are encoded with a :class:`~skgen.tabular.TabularEncoder`
    fitted on ``X_real`` when ``X_real`` is a DataFrame (so ``estimator``
    receives float matrices); arrays are used as given.

    References
    ----------
    Esteban, Hyland & Rätsch (2017), "Real-valued (medical) time series
    generation with recurrent conditional GANs" (the TSTR protocol).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skgen.metrics import tstr_score
    >>> rng = np.random.default_rng(0)
    >>> def draw(n):
    ...     y = rng.integers(0, 2, n)
    ...     return rng.normal(size=(n, 2)) + 3 * y[:, None], y
    >>> X_synth, y_synth = draw(200)
    >>> X_real, y_real = draw(200)
    >>> acc = tstr_score(X_synth, y_synth, X_real, y_real,
    ...                  estimator=LogisticRegression())
    >>> bool(acc > 0.95)
    True
    """
    R, S = check_samples(
        X_real, X_synth, names=("X_real", "X_synth"), caller="tstr_score"
    )
    y_synth = _check_targets(y_synth, S.shape[0], "y_synth", "X_synth")
    y_real = _check_targets(y_real, R.shape[0], "y_real", "X_real")
    if estimator is None:
        if type_of_target(y_real) in ("binary", "multiclass"):
            estimator = HistGradientBoostingClassifier(random_state=0)
        else:
            estimator = HistGradientBoostingRegressor(random_state=0)
    model = clone(estimator)
    if is_classifier(model) and np.unique(y_synth).shape[0] < 2:
        raise ValueError(
            "y_synth must hold at least 2 classes to train a classifier; got "
            f"only {np.unique(y_synth).tolist()}."
        )
    model.fit(S, y_synth)
    return float(check_scoring(model, scoring=scoring)(model, R, y_real))


def _check_targets(y, n, name, x_name):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got an array of shape {y.shape}.")
    if y.shape[0] != n:
        raise ValueError(
            f"{name} must have one entry per row of {x_name} ({n}); got {y.shape[0]}."
        )
    if y.dtype.kind == "f" and np.isnan(y).any():
        raise ValueError(f"{name} contains NaN.")
    return y
