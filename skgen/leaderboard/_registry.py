"""The registries of the leaderboard: datasets, and candidate models per dataset.

A dataset is registered once, with a loader and its options; each family of
models registers its candidates for a dataset, with options of their own
(``hmm_states`` for the HMMs of ``sequences``, ``gmm_components`` for the
Gaussian mixtures of ``digits``), so no option changes meaning by dataset.
A family may also read options registered before it (the language models
of ``text`` read the Markov chains' ``level``: both tokenize alike), and a
family registered for several datasets keeps its option names, with the
same meaning, on each (``lm`` and ``lm_budget`` on ``text`` and
``sequences``).
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

    A dataset's loader (see :func:`register_dataset`) returns one.

    Parameters
    ----------
    name : str
        A description of the data, printed above the table and stored in
        the results' ``attrs``.
    X : list or ndarray
        The samples the candidates are cross-validated on (documents,
        sequences or the rows of a table).
    count_steps : callable
        ``count_steps(model, X)`` counts the steps each model predicts on
        ``X`` (tokens plus end symbols for text, time steps for sequences,
        pixels for digits): log-likelihoods per step are in the dataset's
        units.
    show : callable
        ``show(sample)`` renders one sample as a line of text.
    note : str, default=""
        A note on the units of the results, printed above the table.
    render : callable, default=None
        ``render(samples)`` renders the samples as one block of text; when
        None, each sample is shown on a line of its own with ``show``.
    sample_options : dict, default={}
        Keyword options given to ``sample`` when drawing from the best
        model (a new empty dict per instance by default).
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
    reads: tuple = ()  # options of the dataset or of other candidates it reads

    def arguments(self, options):
        """The factory's keyword options, taken from all the ``options``."""
        return {k: options[k] for k in (*self.options, *self.reads)}


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

    Raises
    ------
    ValueError
        If a dataset ``name`` is already registered.
    """
    if name in _DATASETS:
        raise ValueError(f"dataset {name!r} is already registered.")
    _DATASETS[name] = _Entry(name, description, load, dict(options or {}), check)


def register_candidates(dataset, factory, *, options=None, reads=()):
    """Register candidate models of ``dataset``.

    Parameters
    ----------
    dataset : str
        The name of a registered dataset.
    factory : callable
        ``factory(random_state=..., **options)`` yields ``(name, estimator)``
        pairs.
    options : dict, default=None
        The factory's keyword options and their defaults. Their names must
        not be used by the dataset or by its other candidates, so that each
        option means one thing.
    reads : tuple of str, default=()
        Options already registered for ``dataset`` (its loader's, or other
        candidates') that ``factory`` receives too, with their meaning
        there (the text language models read the Markov chains' ``level``).

    Raises
    ------
    LeaderboardOptionError
        If ``dataset`` is not registered.
    ValueError
        If an option is already an option of the dataset or of its other
        candidates, or if an option in ``reads`` is not.
    """
    entry = get_dataset(dataset)
    options = dict(options or {})
    registered = entry.option_defaults()
    clash = sorted(set(options) & set(registered))
    if clash:
        raise ValueError(
            f"options {clash} are already options of the {dataset!r} leaderboard."
        )
    missing = sorted(set(reads) - set(registered))
    if missing:
        raise ValueError(
            f"reads must name options of the {dataset!r} leaderboard "
            f"{sorted(registered)}; got {missing}."
        )
    entry.candidates.append(_Candidates(factory, options, tuple(reads)))


def get_dataset(name):
    """Return the registry entry of dataset ``name``.

    Parameters
    ----------
    name : str
        The name of a registered dataset.

    Returns
    -------
    entry : object
        The dataset's entry: its ``name``, ``description``, loader
        (``load``), loader ``options``, size ``check`` and registered
        ``candidates``; ``entry.option_defaults()`` gives every option of
        the dataset and of its candidates with its default.

    Raises
    ------
    LeaderboardOptionError
        If no dataset ``name`` is registered.
    """
    try:
        return _DATASETS[name]
    except (KeyError, TypeError):
        raise LeaderboardOptionError(
            f"dataset must be one of {dataset_names()}; got {name!r}."
        ) from None


def dataset_names():
    """Return the names of the registered datasets.

    Returns
    -------
    names : list of str
        The names, in registration order.
    """
    return list(_DATASETS)
