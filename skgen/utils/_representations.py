"""The data representations of ``DESIGN.md`` §2, declared once.

Each :class:`Representation` says, for one kind of data, which of
scikit-learn's input tags an estimator taking it sets, how the public checks
make small data of it (:func:`make_check_data`), which inputs ``fit`` and
``score_samples`` must reject, and what ``sample`` must return. The tags
(:meth:`skgen.base.GenerativeMixin.__sklearn_tags__`) and the checks
(:mod:`skgen.utils.estimator_checks`) read this registry instead of testing
representation names; a new representation (images) is one more entry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "REGISTRY",
    "Representation",
    "get_representation",
    "make_check_data",
    "register_representation",
]


@dataclass(frozen=True)
class Representation:
    """One data representation: its tags, its check data and its samples.

    Parameters
    ----------
    name : str
        The name estimators give as their ``representation`` tag.
    input_tags : dict
        sklearn input-tag values (``sklearn.utils.InputTags`` attributes)
        an estimator taking this representation sets; the others keep
        sklearn's defaults.
    make_data : callable
        ``make_data(rng, y) -> X``: ``len(y)`` samples whose values depend on
        their class ``y`` (0 or 1), drawn from the ``RandomState`` ``rng``.
    bad_inputs : callable
        ``bad_inputs(X) -> [(description, bad X), ...]``: inputs ``fit`` and
        ``score_samples`` must reject, given good data ``X``.
    check_samples : callable
        ``check_samples(samples, X, n)`` asserts that ``n`` samples have
        this representation, given the data ``X`` the model was fitted on.
    score_only : frozenset of str
        Descriptions of bad inputs that are bad only against a fitted
        model (any width is fine for a first fit).
    table : bool
        Whether one sample is a row of a table (what augmenting training
        data needs).
    categorical_variant : str or None
        A representation also checked for an estimator of this one whose
        sklearn tags say it takes categorical input (tabular models that
        take mixed-type DataFrames).
    accepts : frozenset of str
        Descriptions of other representations' bad inputs that are good
        data of this one (a 3-D array is not token sequences, but it is
        continuous sequences): ``fit`` of an estimator that takes both may
        accept them.
    """

    name: str
    input_tags: dict
    make_data: Callable
    bad_inputs: Callable
    check_samples: Callable
    score_only: frozenset = field(default_factory=frozenset)
    table: bool = False
    categorical_variant: str | None = None
    accepts: frozenset = field(default_factory=frozenset)

    def set_input_tags(self, input_tags):
        """Set this representation's values on sklearn ``InputTags``."""
        for name, value in self.input_tags.items():
            setattr(input_tags, name, value)
        return input_tags


#: name -> :class:`Representation`, in registration order.
REGISTRY: dict[str, Representation] = {}


def register_representation(representation):
    """Add a :class:`Representation` to the registry (a new name only)."""
    if representation.name in REGISTRY:
        raise ValueError(
            f"representation {representation.name!r} is already registered."
        )
    REGISTRY[representation.name] = representation
    return representation


def get_representation(name):
    """The registered :class:`Representation` called ``name``."""
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"representation must be one of {sorted(REGISTRY)}; got {name!r}."
        ) from None


def make_check_data(representation, *, n_samples=30, random_state=0):
    """Small data in a representation, for the checks.

    Parameters
    ----------
    representation : str
        One of :data:`skgen.base.REPRESENTATIONS`.
    n_samples : int, default=30
        Number of samples (rows, sequences or documents).
    random_state : int, default=0
        Seed of a local generator.

    Returns
    -------
    X : data in that representation
    y : ndarray of shape (n_samples,)
        Two classes, for conditional models; ``X`` depends on the class.
    """
    try:
        rep = REGISTRY[representation]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown representation {representation!r}.") from None
    rng = np.random.RandomState(random_state)
    y = np.arange(n_samples) % 2
    return rep.make_data(rng, y), y


# -- tabular ---------------------------------------------------------------


def _tabular_data(rng, y):
    return rng.normal(size=(len(y), 3)) + 3 * y[:, None]


def _tabular_bad(X):
    nan = np.array(X[:5], dtype=float)
    nan[0, 0] = np.nan
    return [
        ("empty", np.zeros((0, X.shape[1]))),
        ("NaN", nan),
        ("wrong width", np.ones((4, X.shape[1] + 1))),
        ("strings", np.full((4, X.shape[1]), "a")),
    ]


def _tabular_samples(Xs, X, n):
    assert isinstance(Xs, np.ndarray) and Xs.shape == (n, X.shape[1])
    assert Xs.dtype.kind == "f"


# -- dataframe -------------------------------------------------------------


def _dataframe_data(rng, y):
    import pandas as pd

    n_samples = len(y)
    return pd.DataFrame(
        {
            "num": rng.normal(size=n_samples) + 3 * y,
            "cat": pd.Categorical(np.where(y == 1, "a", "b")),
            "flag": rng.rand(n_samples) < 0.5,
        }
    )


def _dataframe_bad(X):
    # a missing value is data in a DataFrame (TabularEncoder models it); an
    # infinite one is not
    inf = X.head(5).copy()
    inf.iloc[0, 0] = np.inf
    return [
        ("empty", X.head(0)),
        ("inf", inf),
        ("missing column", X.drop(columns=X.columns[0]).head(5)),
    ]


def _dataframe_samples(Xs, X, n):
    assert list(Xs.columns) == list(X.columns)
    assert (Xs.dtypes == X.dtypes).all(), "sample must keep the dtypes"


# -- token sequences -------------------------------------------------------


def _token_data(rng, y):
    lengths = rng.randint(3, 15, size=len(y))
    return [
        (rng.randint(0, 4, size=n) + 2 * c) for n, c in zip(lengths, y, strict=True)
    ]


def _token_bad(X):
    return [
        ("empty", []),
        ("floats", [np.array([0.5, 1.5, 2.0])]),
        ("NaN", [np.array([0.0, np.nan])]),
        ("negative ids", [np.array([1, -3, 2])]),
        ("3-D array", np.zeros((2, 3, 4), dtype=int)),
        ("a string", "abc"),
        ("mixed types", [[1, "a", 2]]),
    ]


def _token_samples(Xs, X, n):
    assert isinstance(Xs, list)
    assert all(s.ndim == 1 and s.dtype.kind in "iu" for s in Xs)


# -- continuous and count sequences ----------------------------------------


def _continuous_data(rng, y):
    lengths = rng.randint(4, 12, size=len(y))
    return [rng.normal(size=(n, 2)) + 3 * c for n, c in zip(lengths, y, strict=True)]


def _continuous_bad(X):
    nan = [s.astype(float) for s in X[:3]]
    nan[0][0, 0] = np.nan
    return [
        ("empty", []),
        ("NaN", nan),
        ("wrong width", [np.ones((4, X[0].shape[1] + 1))]),
        ("strings", [np.array([["a", "b"], ["c", "d"]])]),
    ]


def _frame_samples(Xs, X, n):
    assert isinstance(Xs, list)
    assert all(s.ndim == 2 and s.shape[1] == X[0].shape[1] for s in Xs)


def _count_data(rng, y):
    lengths = rng.randint(4, 12, size=len(y))
    return [
        rng.poisson(2 + 6 * c, size=(n, 2)) for n, c in zip(lengths, y, strict=True)
    ]


def _count_bad(X):
    return [
        ("empty", []),
        ("negative counts", [-X[0] - 1]),
        ("fractional counts", [X[0] + 0.5]),
        ("wrong width", [np.ones((4, X[0].shape[1] + 1), dtype=int)]),
        ("a string", "abc"),
    ]


def _count_samples(Xs, X, n):
    _frame_samples(Xs, X, n)
    assert all(s.dtype.kind in "iu" and s.min() >= 0 for s in Xs)


# -- text ------------------------------------------------------------------

_WORDS = (
    "the cat sat on the mat and the dog ran to the park while a bird sang "
    "in the tall green tree by the river where the old man fished all day"
).split()


def _text_data(rng, y):
    return [
        " ".join(rng.choice(_WORDS[c * 10 : c * 10 + 20], size=rng.randint(3, 9)))
        for c in y
    ]


def _text_bad(X):
    return [
        ("empty", []),
        ("a string", "just one string"),
        ("numbers", [1, 2, 3]),
        ("None", ["fine", None]),
        ("NaN", ["fine", float("nan")]),
    ]


def _text_samples(Xs, X, n):
    assert isinstance(Xs, list) and all(isinstance(s, str) for s in Xs)


# Sequences, strings and DataFrames are not 2-D float arrays.
_NOT_2D = {"two_d_array": False}

for _rep in (
    Representation(
        "tabular",
        {},
        _tabular_data,
        _tabular_bad,
        _tabular_samples,
        frozenset({"wrong width"}),
        table=True,
        categorical_variant="dataframe",
    ),
    Representation(
        "dataframe",
        _NOT_2D,
        _dataframe_data,
        _dataframe_bad,
        _dataframe_samples,
        frozenset({"missing column"}),
        table=True,
    ),
    Representation(
        "token_sequences",
        {**_NOT_2D, "categorical": True},
        _token_data,
        _token_bad,
        _token_samples,
    ),
    Representation(
        "continuous_sequences",
        {**_NOT_2D, "three_d_array": True},  # equal-length sequences
        _continuous_data,
        _continuous_bad,
        _frame_samples,
        frozenset({"wrong width"}),
        accepts=frozenset({"3-D array"}),
    ),
    Representation(
        "count_sequences",
        {**_NOT_2D, "categorical": True, "three_d_array": True},
        _count_data,
        _count_bad,
        _count_samples,
        frozenset({"wrong width"}),
    ),
    Representation(
        "text",
        {**_NOT_2D, "string": True},
        _text_data,
        _text_bad,
        _text_samples,
    ),
):
    register_representation(_rep)
del _rep
