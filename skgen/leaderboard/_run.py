"""Cross-validated held-out log-likelihood of each candidate, ranked by kind."""

import math
import sys
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import KFold, cross_validate

from skgen.leaderboard._registry import LeaderboardOptionError, get_dataset
from skgen.utils._sampling import sample_from

__all__ = ["Result", "evaluate", "prepare", "results_frame", "run", "sample_best"]

#: Likelihood kinds ranked in one table (the kind is shown on every row);
#: any other kind (an "estimate") gets a table of its own.
_RANKED_TOGETHER = ("exact", "lower_bound")


@dataclass
class Result:
    """One candidate's cross-validated held-out log-likelihood.

    :func:`evaluate` returns one per candidate; :func:`results_frame` makes
    them a ranked DataFrame.

    Attributes
    ----------
    name : str
        The candidate's name.
    likelihood_kind : str
        The model's ``likelihood_kind`` (``"exact"``, ``"lower_bound"`` or
        ``"estimate"``); ``"exact"`` for estimators without one.
    mean : float
        Held-out log-likelihood in nats per sample, pooled over the folds:
        the sum of the held-out ``score_samples`` over the number of samples.
    sem : float
        Standard error of the mean across folds (``std`` over the square
        root of the number of folds).
    nats_per_token : float
        Negative held-out log-likelihood per step, pooled over the folds:
        the summed negative log-likelihoods over the summed steps.
    fit_time : float
        Mean seconds of fitting per fold.
    score_time : float
        Mean seconds of scoring per fold.
    std : float, default=nan
        Standard deviation (``ddof=1``) of the per-fold means.
    fold_means : list of float, default=[]
        Held-out log-likelihood in nats per sample of each fold.
    fold_nats_per_step : list of float, default=[]
        Negative held-out log-likelihood per step of each fold.
    group : str
        ``"likelihood"`` (exact likelihoods and lower bounds, ranked
        together) or ``"estimate"``.
    """

    name: str
    likelihood_kind: str
    mean: float  # held-out log-likelihood, nats per sample (pooled over folds)
    sem: float  # standard error of the mean across folds
    nats_per_token: float  # negative log-likelihood per step (pooled)
    fit_time: float  # seconds per fold
    score_time: float
    std: float = math.nan  # standard deviation of the fold means
    fold_means: list = field(default_factory=list)  # nats per sample, per fold
    fold_nats_per_step: list = field(default_factory=list)

    @property
    def group(self):
        """``"likelihood"`` (exact and lower bounds) or ``"estimate"``."""
        return "likelihood" if self.likelihood_kind in _RANKED_TOGETHER else "estimate"


@dataclass
class Prepared:
    """A checked leaderboard: the data, the candidates and the folds."""

    dataset: object  # a Dataset
    candidates: list  # (name, estimator) pairs
    n_splits: int
    random_state: int

    def attrs(self):
        """The description a results frame carries (``frame.attrs``)."""
        return {
            "dataset": self.dataset.name,
            "note": self.dataset.note,
            "n_splits": self.n_splits,
            "random_state": self.random_state,
        }


def _kfold(n_splits, random_state):
    return KFold(n_splits, shuffle=True, random_state=random_state)


def _likelihood_kind(estimator):
    return getattr(estimator, "likelihood_kind", "exact")


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise LeaderboardOptionError(f"{name} must be an int >= {low}; got {value!r}.")


def prepare(
    dataset="text",
    *,
    n_splits=5,
    random_state=0,
    candidates=None,
    label=None,
    given=None,
    **options,
):
    """Load ``dataset`` and its candidates; refuse, before any fit, what cannot run.

    Parameters
    ----------
    dataset : str, default="text"
        A registered dataset (see :func:`run`).
    n_splits : int, default=5
        Folds of ``KFold(n_splits, shuffle=True, random_state=random_state)``;
        an int >= 2.
    random_state : int, default=0
        Seeds the folds, the candidates and the data; an int >= 0.
    candidates : list of (name, estimator), default=None
        Models to compare instead of the dataset's registered candidates
        (the dataset's size checks, made for its own candidates, are then
        skipped).
    label : callable, default=None
        ``label(option)`` names an option in messages (the ``skgen`` command
        gives its flags); when None, options are named as they are spelled.
    given : set of str, default=None
        The options set explicitly (the messages suggest changing only
        those); when None, the keys of ``options``.
    **options
        The dataset's options and its candidates' (see :func:`run`); those
        left out take their registered defaults.

    Returns
    -------
    prepared : Prepared
        The loaded ``dataset`` (a :class:`Dataset`), the ``candidates`` as a
        list of ``(name, estimator)`` pairs, ``n_splits`` and
        ``random_state``; ``prepared.attrs()`` is the description that
        :func:`results_frame` stores in the frame's ``attrs``.

    Raises
    ------
    LeaderboardOptionError
        An unknown dataset or option, unreadable data, or data too small
        for the folds or for the models.
    """
    entry = get_dataset(dataset)
    _check_int("n_splits", n_splits, 2)
    _check_int("random_state", random_state, 0)
    defaults = entry.option_defaults()
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise LeaderboardOptionError(
            f"the {dataset!r} leaderboard takes the options {sorted(defaults)}; "
            f"got {', '.join(map(repr, unknown))}."
        )
    for name, value in options.items():
        if isinstance(defaults[name], tuple) and not isinstance(
            value, list | tuple | range
        ):
            raise LeaderboardOptionError(
                f"{name} must be a list or tuple, like its default "
                f"{defaults[name]!r}; got {value!r}."
            )
    given = set(options) if given is None else set(given)
    options = {**defaults, **options}
    label = label or (lambda option: option)
    data = entry.load(
        random_state=random_state, **{k: options[k] for k in entry.options}
    )
    registered = candidates is None
    if registered:
        candidates = [
            pair
            for c in entry.candidates
            for pair in c.factory(random_state=random_state, **c.arguments(options))
        ]
    candidates = list(candidates)
    n = len(data.X)
    if n < n_splits:
        raise LeaderboardOptionError(
            f"{n} samples cannot be split into {n_splits} folds."
        )
    if registered and entry.check is not None:  # sized for its own candidates
        train = [idx for idx, _ in _kfold(n_splits, random_state).split(np.arange(n))]
        entry.check(data, train, options, label, given)
    return Prepared(data, candidates, n_splits, random_state)


def _progress(message, enabled):
    """Progress on stderr: one updating line on a terminal, else line by line."""
    if not enabled:
        return
    if sys.stderr.isatty():
        print(f"\r{message:<78}", end="", file=sys.stderr, flush=True)
    else:
        print(message, file=sys.stderr, flush=True)


def _scorer(count_steps):
    """Per fold: mean and sum of ``score_samples``, and the steps predicted.

    Never ``score``: scikit-learn's KernelDensity returns a sum there.
    """

    def score(model, X, y=None):
        ll = np.asarray(model.score_samples(X), dtype=float)
        return {
            "mean": ll.mean(),
            "sum": ll.sum(),
            "steps": float(count_steps(model, X)),
        }

    return score


def evaluate(
    candidates, dataset, *, n_splits=5, random_state=0, n_jobs=None, progress=False
):
    """Cross-validate each candidate; return one :class:`Result` each.

    Each candidate goes through :func:`sklearn.model_selection.cross_validate`
    on the same ``KFold(n_splits, shuffle=True, random_state=random_state)``
    folds, with ``n_jobs`` (folds fitted in parallel). A model's held-out
    log-likelihood is the mean of its ``score_samples`` over the held-out
    samples (never its ``score``: scikit-learn's KernelDensity returns a sum
    there). Estimators without a ``likelihood_kind`` (scikit-learn's) are
    listed as "exact".

    Parameters
    ----------
    candidates : iterable of (name, estimator)
        The models to compare; each estimator is cloned before fitting.
    dataset : Dataset
        The data (``dataset.X``) and its step counter
        (``dataset.count_steps``).
    n_splits : int, default=5
        Number of folds.
    random_state : int, default=0
        Seeds the shuffling of the folds.
    n_jobs : int, default=None
        Folds fitted in parallel (``cross_validate``'s ``n_jobs``).
    progress : bool, default=False
        Print ``[i/n] name`` on stderr as each candidate starts (one
        updating line on a terminal).

    Returns
    -------
    results : list of Result
        One per candidate, in the order given.
    """
    X = dataset.X
    cv = _kfold(n_splits, random_state)
    scoring = _scorer(dataset.count_steps)
    candidates = list(candidates)
    results = []
    for c, (name, estimator) in enumerate(candidates, 1):
        _progress(f"[{c}/{len(candidates)}] {name}", progress)
        cvr = cross_validate(
            clone(estimator), X, cv=cv, scoring=scoring, n_jobs=n_jobs,
            error_score="raise",
        )  # fmt: skip
        fold_means, sums, steps = cvr["test_mean"], cvr["test_sum"], cvr["test_steps"]
        std = float(fold_means.std(ddof=1))
        results.append(
            Result(
                name=name,
                likelihood_kind=_likelihood_kind(estimator),
                mean=float(sums.sum() / len(X)),
                sem=std / math.sqrt(n_splits),
                nats_per_token=float(-sums.sum() / steps.sum()),
                fit_time=float(cvr["fit_time"].mean()),
                score_time=float(cvr["score_time"].mean()),
                std=std,
                fold_means=fold_means.tolist(),
                fold_nats_per_step=(-sums / steps).tolist(),
            )
        )
    if progress and sys.stderr.isatty():
        print(file=sys.stderr)
    return results


#: The columns of :func:`results_frame`, in order.
COLUMNS = [
    "group",
    "rank",
    "model",
    "likelihood_kind",
    "loglik_per_sample",
    "loglik_per_sample_std",
    "loglik_per_sample_sem",
    "nats_per_step",
    "nats_per_step_std",
    "bits_per_step",
    "fit_time",
    "score_time",
    "fold_loglik_per_sample",
    "fold_nats_per_step",
]


def results_frame(results, *, attrs=None):
    """Make the :class:`Result` list a ranked DataFrame.

    Parameters
    ----------
    results : list of Result
        The results of :func:`evaluate`.
    attrs : dict, default=None
        Stored in the frame's ``attrs`` (such as ``Prepared.attrs()``, the
        description of the dataset); nothing when None.

    Returns
    -------
    frame : pandas.DataFrame
        One row per result, columns :data:`COLUMNS` (see :func:`run`):
        exact likelihoods and lower bounds first (``group`` is
        ``"likelihood"``), then estimates, each group by decreasing
        log-likelihood per sample (ties in the order given), ``rank``
        counted within the group from 1.
    """
    rows = []
    for r in results:
        per_step = np.asarray(r.fold_nats_per_step, dtype=float)
        rows.append(
            {
                "group": r.group,
                "model": r.name,
                "likelihood_kind": r.likelihood_kind,
                "loglik_per_sample": r.mean,
                "loglik_per_sample_std": r.std,
                "loglik_per_sample_sem": r.sem,
                "nats_per_step": r.nats_per_token,
                "nats_per_step_std": (
                    float(per_step.std(ddof=1)) if per_step.size > 1 else math.nan
                ),
                "bits_per_step": r.nats_per_token / math.log(2),
                "fit_time": r.fit_time,
                "score_time": r.score_time,
                "fold_loglik_per_sample": list(r.fold_means),
                "fold_nats_per_step": list(r.fold_nats_per_step),
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    # likelihoods first, then estimates; best first within each, ties in order
    frame["_group"] = (frame["group"] != "likelihood").astype(int)
    frame = frame.sort_values(
        ["_group", "loglik_per_sample"], ascending=[True, False], kind="stable"
    ).drop(columns="_group")
    frame.insert(1, "rank", frame.groupby("group", sort=False).cumcount() + 1)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(attrs or {})
    return frame


def run(
    dataset="text",
    *,
    n_splits=5,
    random_state=0,
    n_jobs=None,
    candidates=None,
    progress=False,
    **options,
):
    """Run the leaderboard of ``dataset``; return the ranked results.

    Parameters
    ----------
    dataset : str, default="text"
        A registered dataset: ``"text"`` (Markov chains and language
        models on the embedded corpus), ``"sequences"`` (hidden Markov
        models and language models on synthetic HMM data) or ``"digits"``
        (density models of sklearn's digits, dequantized).
    n_splits : int, default=5
        Folds of ``KFold(n_splits, shuffle=True, random_state=random_state)``.
    random_state : int, default=0
        Seeds the folds, the candidates and the data (digits' noise).
    n_jobs : int, default=None
        Folds fitted in parallel (``cross_validate``'s ``n_jobs``).
    candidates : list of (name, estimator), default=None
        Models to compare instead of the dataset's registered candidates
        (the dataset's size checks, made for its own candidates, are then
        left to the models' own errors).
    progress : bool, default=False
        One line per candidate on stderr.
    **options
        The dataset's options and its candidates', each meaning one thing:
        ``text``: ``data`` (a file path or a list of documents), ``split``,
        ``orders``, ``smoothing``, ``level``, ``max_length``;
        ``sequences``: ``n_sequences``, ``hmm_states``; ``text`` and
        ``sequences``: ``lm`` (the language models ranked: a tuple of
        ``"lstm"`` for :class:`~skgen.neural.RNNLanguageModel` and
        ``"transformer"`` for :class:`~skgen.neural.TransformerLanguageModel`;
        ``()`` for none) and ``lm_budget`` (``"demo"``: small networks
        trained for a few epochs; ``"full"``: the models' defaults, much
        longer); ``digits``: ``n_rows``, ``gmm_components``,
        ``pca_components``, ``bandwidths``, ``max_epochs``.

    Returns
    -------
    frame : pandas.DataFrame
        One row per candidate, columns :data:`COLUMNS`: ``group``
        (``"likelihood"`` ranks exact likelihoods and lower bounds together,
        the kind shown on every row; ``"estimate"`` is ranked on its own),
        ``rank`` within the group, ``model``, ``likelihood_kind``, the mean
        held-out log-likelihood per sample with its standard deviation and
        standard error across folds, nats and bits per step (the dataset's
        unit: a token, a time step, a pixel), fit and score seconds per fold,
        and the per-fold values. ``frame.attrs`` holds the dataset's
        description, its note on units, ``n_splits`` and ``random_state``.

    Examples
    --------
    >>> from skgen.leaderboard import run
    >>> frame = run(
    ...     "text", orders=(1, 2), smoothing=("additive",), lm=(), n_splits=3
    ... )
    >>> frame["model"].tolist()  # best first
    ['MarkovChain(order=2, additive) [char]', 'MarkovChain(order=1, additive) [char]']
    >>> frame["likelihood_kind"].tolist()
    ['exact', 'exact']
    """
    prepared = prepare(
        dataset,
        n_splits=n_splits,
        random_state=random_state,
        candidates=candidates,
        **options,
    )
    results = evaluate(
        prepared.candidates,
        prepared.dataset,
        n_splits=n_splits,
        random_state=random_state,
        n_jobs=n_jobs,
        progress=progress,
    )
    return results_frame(results, attrs=prepared.attrs())


def sample_best(prepared, frame, n_samples, **options):
    """Fit the best candidate of ``frame`` on all the data and sample from it.

    The best is the model of the first row of ``frame``: the top-ranked
    likelihood (exact or lower bound), or the top estimate when there is
    none. It is cloned from ``prepared.candidates`` and fitted on
    ``prepared.dataset.X``.

    Parameters
    ----------
    prepared : Prepared
        The result of :func:`prepare` whose candidates ``frame`` ranks.
    frame : pandas.DataFrame
        The ranked results of :func:`results_frame` (or :func:`run`).
    n_samples : int
        Number of samples to draw.
    **options
        Keyword options of the model's ``sample``; they override the
        dataset's ``sample_options`` (such as the text's ``max_length``).

    Returns
    -------
    name : str
        The best candidate's name.
    samples : object
        The samples, in the representation the model's ``sample`` returns
        (drawn with ``random_state=prepared.random_state``).
    """
    best = frame["model"].iloc[0]
    model = clone(dict(prepared.candidates)[best]).fit(prepared.dataset.X)
    options = {**prepared.dataset.sample_options, **options}
    samples, _ = sample_from(
        model, n_samples, random_state=prepared.random_state, **options
    )
    return best, samples
