"""Over-sampling with a generative model, through imbalanced-learn's API."""

from typing import ClassVar

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn.preprocessing import label_binarize
from sklearn.utils.validation import validate_data

from skgen.augment._common import (
    Seeds,
    check_augmented_size,
    check_class_labels,
    check_frame_X_y,
    check_tabular_generator,
    concat_rows,
    draw,
    fit_method,
    is_frame,
    refuse_sparse_and_nan,
    take_rows,
)
from skgen.base import choose_conditional
from skgen.utils._compat import ArraysTransformer, HasMethods, StrOptions


class GenerativeResampler(BaseOverSampler):
    """Over-sample classes with rows drawn from a generative model.

    An imbalanced-learn sampler (``fit_resample``) that fits a generator on
    the data and appends synthetic rows of the classes that
    ``sampling_strategy`` targets. It drops into
    :class:`imblearn.pipeline.Pipeline`, which resamples only while fitting,
    so test data is never augmented.

    Parameters
    ----------
    generator : estimator with ``fit`` and ``sample``
        A generator of tables: a skgen model such as
        :class:`skgen.neural.VAE`, a :class:`skgen.pipeline.GenerativePipeline`
        ending in one, or any estimator with ``fit(X)`` and
        ``sample(n_samples)`` (sklearn's ``GaussianMixture``,
        ``KernelDensity``). It is cloned, never modified. Sequence and text
        generators (Markov chains, HMMs, language models) cannot be used:
        imbalanced-learn samplers take 2-D tables.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class has after resampling, with
        imbalanced-learn's meaning:

        - float: the ratio minority / majority after resampling (binary
          only);
        - "minority", "not minority", "not majority", "all": the targeted
          classes are brought to the size of the majority class; "auto" is
          "not majority";
        - dict: ``{class: number of rows after resampling}``;
        - callable: ``y -> dict`` as above.
    conditional : "auto" or bool, default="auto"
        True: fit one generator on all rows with the labels
        (``generator.fit(X, y)``) and draw each class's rows with
        ``sample(n, y=class)``. False: fit one clone of the generator on
        the rows of each targeted class (``fit(X_class)``) and draw from it
        unconditionally. "auto": True when the generator's skgen tags say it
        can be fitted with ``y`` (``get_generative_tags(g).conditional``),
        False otherwise.
    random_state : int, RandomState instance or None, default=None
        Seeds the fitting of the generator(s) and the draws: the same int
        gives the same output. An int (or RandomState) also overrides every
        ``random_state`` parameter of the generator (nested ones included),
        each fitted generator getting a seed derived from it. None leaves
        the generator's own ``random_state`` and gives fresh draws.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{class: number of synthetic rows}`` for the targeted classes.
    conditional_ : bool
        Whether one conditional generator was used.
    generator_ : estimator or None
        The fitted conditional generator (``conditional_`` True); None when
        no class needed rows.
    generators_ : dict
        ``{class: fitted generator}``, one clone per class that received
        rows (``conditional_`` False); empty in conditional mode.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Column names, when ``X`` is a DataFrame with string column names;
        the resampled DataFrame keeps them.

    See Also
    --------
    AugmentedClassifier : A classifier trained on data this sampler augments.
    imblearn.over_sampling.SMOTE : Interpolation between neighbours.

    Notes
    -----
    The original rows come first and unchanged, the synthetic rows of each
    class after them (classes in sorted order). A DataFrame in gives a
    DataFrame out with the same columns and dtypes (categories included) and
    a fresh ``RangeIndex``, as imbalanced-learn's samplers do; a Series ``y``
    keeps its name. Arrays keep their dtype: generated values of integer
    columns are rounded. Missing values and sparse matrices are rejected.

    In per-class mode every class that receives rows needs at least two
    rows of its own (a ValueError says which); in conditional mode one
    model is shared, so rare classes borrow strength from the others.

    A strategy whose result cannot fit in memory (the synthetic rows and
    the resampled copy, 8 bytes a value) is refused with a ValueError
    naming its size before any generator is fitted; labels of mixed types
    (``[1, "a"]``) are refused as scikit-learn does.

    Unlike imbalanced-learn's own samplers, ``fit_resample`` validates the
    generator's parameters when fitting it (they are the user's, not
    checked yet); it takes no ``sample_weight`` or other metadata.

    To load a fitted sampler (or a pipeline holding one) with
    :mod:`skops.io`, pass ``trusted=skgen.utils.trusted_types()`` plus the
    types of your own estimators that are neither scikit-learn's nor
    skgen's (a generator or a final estimator of your own).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from skgen.augment import GenerativeResampler
    >>> from skgen.neural import VAE
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> np.bincount(y)
    array([180,  20])
    >>> sampler = GenerativeResampler(
    ...     VAE(hidden_layer_sizes=(16,), max_epochs=5), random_state=0
    ... )
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res)
    array([180, 180])
    >>> bool((X_res[:200] == X).all()), sampler.conditional_
    (True, True)
    """

    _parameter_constraints: ClassVar[dict] = {
        **BaseOverSampler._parameter_constraints,
        "generator": [HasMethods(["fit", "sample"])],
        "conditional": [StrOptions({"auto"}), "boolean"],
    }

    def __init__(
        self,
        generator,
        *,
        sampling_strategy="auto",
        conditional="auto",
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.generator = generator
        self.conditional = conditional
        self.random_state = random_state

    @fit_method
    def fit_resample(self, X, y):
        """Fit the generator(s) and return the data with synthetic rows added.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The rows. A DataFrame may have numeric, categorical and bool
            columns when the generator accepts them.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : {ndarray, DataFrame} of shape (n_samples_new, n_features)
            ``X`` first, unchanged, then the synthetic rows.
        y_resampled : {ndarray, Series} of shape (n_samples_new,)
            ``y`` first, then the labels of the synthetic rows.
        """
        # imbalanced-learn's fit_resample, but validating the generator's
        # parameters too (fit_method)
        check_tabular_generator(self.generator, type(self).__name__)
        check_class_labels(y)
        arrays = ArraysTransformer(X, y)
        X, y, binarize_y = self._check_X_y(X, y)
        try:
            self.sampling_strategy_ = check_sampling_strategy(
                self.sampling_strategy, y, self._sampling_type
            )
        except OverflowError:  # imblearn counts in int64
            raise ValueError(
                "sampling_strategy asks for more rows than an int64 can count "
                f"(2**63 - 1); got {self.sampling_strategy!r}."
            ) from None
        check_augmented_size(
            X.shape[0],
            sum(self.sampling_strategy_.values()),
            X.shape[1],
            X.shape[1],
            type(self).__name__,
        )
        X_res, y_res = self._fit_resample(X, y)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(y))
        return arrays.transform(X_res, y_res)

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if is_frame(X):
            # kept as a DataFrame: mixed-type generators need the dtypes
            X, y = check_frame_X_y(self, X, y)
        else:
            X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=False)
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        self.conditional_ = choose_conditional(self.conditional, self.generator)
        seeds = Seeds(self.random_state)
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        self.generator_ = None
        self.generators_ = {}
        parts = []
        if self.conditional_ and targets:
            self.generator_ = seeds.clone(self.generator).fit(X, y)
            for cls, n in targets.items():
                parts.append(draw(self.generator_, n, seeds.next(), X, y=cls))
        elif targets:
            classes, counts = np.unique(y, return_counts=True)
            count = dict(zip(classes.tolist(), counts.tolist(), strict=True))
            for cls in targets:
                if count[cls] < 2:
                    label = cls.item() if isinstance(cls, np.generic) else cls
                    raise ValueError(
                        f"Class {label!r} has {count[cls]} row; fitting a "
                        "generator on one class needs at least 2 rows. Use "
                        "conditional=True with a conditional generator, or "
                        "leave the class out of sampling_strategy."
                    )
            for cls, n in targets.items():
                generator = seeds.clone(self.generator)
                generator.fit(take_rows(X, y == cls))
                self.generators_[cls] = generator
                parts.append(draw(generator, n, seeds.next(), X))
        y_new = [np.full(n, cls, dtype=y.dtype) for cls, n in targets.items()]
        return concat_rows(X, parts), np.concatenate([y, *y_new])

    def __sklearn_tags__(self):
        return refuse_sparse_and_nan(super().__sklearn_tags__())
