"""The registries of the leaderboard: datasets, and candidate models per dataset.

A dataset is registered once, with a loader and its options; each family of
models registers its candidates for a dataset, with options of their own
(``hmm_states`` for the HMMs of ``sequences``, ``gmm_components`` for the
Gaussian mixtures of ``digits``), so no option changes meaning by dataset.
"""

from dataclasses import dataclass, field

__all__ = [
    "Dataset",
    "LeaderboardOptionError",
    "dataset_names",
    "get_dataset",
    "register_candidates",
    "register_dataset",
]


class LeaderboardOptionError(ValueError):
    """A bad leaderboard option, or data too small for the folds or models.

    Raised before any model is fitted; the ``skgen`` command reports it as
    ``skgen: error: ...`` with exit status 2.
    """


@dataclass
class Dataset:
    """Data for the leaderboard and how to read its models' results.

    ``count_steps(model, X)`` counts the steps each model predicts (tokens
    plus end symbols for text, time steps for sequences, pixels for
    digits): log-likelihoods per step are in the dataset's units.
    ``show(sample)`` renders one sample as a line, or ``render(samples)``
    renders them all as a block of text. ``sample_options`` are the keyword
    options given to ``sample`` when drawing from the best model.
    """

    name: str
    X: list
    count_steps: object
    show: object
    note: str = ""
    render: object = None
    sample_options: dict = field(default_factory=dict)


@dataclass
class _Candidates:
    factory: object  # factory(random_state=..., **options) -> (name, estimator)s
    options: dict  # option name -> default


@dataclass
class _Entry:
    name: str
    description: str
    load: object  # load(random_state=..., **options) -> Dataset
    options: dict  # loader option name -> default
    check: object = None  # check(dataset, train_folds, options, label, given)
    candidates: list = field(default_factory=list)

    def option_defaults(self):
        """Every option of the dataset and of its candidates, with defaults."""
        defaults = dict(self.options)
        for c in self.candidates:
            defaults.update(c.options)
        return defaults


_DATASETS = {}


def register_dataset(name, load, *, description, options=None, check=None):
    """Register a leaderboard dataset.

    Parameters
    ----------
    name : str
        The dataset's name (``skgen leaderboard --dataset NAME``).
    load : callable
        ``load(random_state=..., **options)`` returns a :class:`Dataset`;
        it raises :class:`LeaderboardOptionError` for data it cannot use.
    description : str
        One line: the data and the models compared on it.
    options : dict, default=None
        The loader's keyword options and their defaults.
    check : callable, default=None
        ``check(dataset, train_folds, options, label, given)`` raises
        :class:`LeaderboardOptionError` when the training folds are too
        small for the models; ``label(option)`` names an option as the
        caller spells it, ``given`` is the set of options set explicitly.
    """
    if name in _DATASETS:
        raise ValueError(f"dataset {name!r} is already registered.")
    _DATASETS[name] = _Entry(name, description, load, dict(options or {}), check)


def register_candidates(dataset, factory, *, options=None):
    """Register candidate models of ``dataset``.

    ``factory(random_state=..., **options)`` yields ``(name, estimator)``
    pairs; its option names must not be used by the dataset or by its other
    candidates, so that each option means one thing.
    """
    entry = get_dataset(dataset)
    options = dict(options or {})
    clash = sorted(set(options) & set(entry.option_defaults()))
    if clash:
        raise ValueError(
            f"options {clash} are already options of the {dataset!r} leaderboard."
        )
    entry.candidates.append(_Candidates(factory, options))


def get_dataset(name):
    """The registry entry of dataset ``name``."""
    try:
        return _DATASETS[name]
    except (KeyError, TypeError):
        raise LeaderboardOptionError(
            f"dataset must be one of {dataset_names()}; got {name!r}."
        ) from None


def dataset_names():
    """Names of the registered datasets, in registration order."""
    return list(_DATASETS)
