"""Sequence estimators over hmmlearn: the shared machinery.

hmmlearn does the emission maths (initialisation, frame log-likelihoods,
sufficient statistics, M-step); skgen adds what sklearn users need: one
sample per *sequence*, per-sequence log-likelihoods, a batched E-step, restarts,
class-conditional models and the generative contract.
"""

import warnings
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from skgen.base import GenerativeClassifierMixin, GenerativeMixin, fit_atomically
from skgen.hmm._forward_backward import SequenceBatch
from skgen.utils._compat import Interval, StrOptions, _fit_context, import_engine
from skgen.utils._random import categorical_draws, draw_lengths, draw_seed
from skgen.utils._resources import check_allocation
from skgen.utils._validation import frames_of
from skgen.utils._warnings import warn

_STATE_PARAMS = "st"  # startprob and transmat: handled by the batched E-step


class Letters(StrOptions):
    """Constraint: a string made only of the given letters (``init_params``)."""

    def __init__(self, letters):
        super().__init__(set(letters))
        self.letters = letters

    def is_satisfied_by(self, val):
        return isinstance(val, str) and set(val) <= set(self.letters)

    def __str__(self):
        return f"a str of letters from {self.letters!r}"


def check_prior(
    value, name, shape, *, positive=True, non_negative=False, allow_none=False
):
    """A prior as a float or a float array broadcastable to ``shape``.

    Parameters
    ----------
    value : float or array-like
        The parameter's value (a list is accepted as an array).
    name : str
        The parameter, as the messages name it.
    shape : tuple of int
        The shape the prior must broadcast to.
    positive : bool, default=True
        Require every value > 0 (Dirichlet concentrations); otherwise finite
        values are enough.
    non_negative : bool, default=False
        With ``positive=False``: require every value >= 0 (prior weights,
        Gamma rates, variance priors).
    allow_none : bool, default=False
        Let None through (hmmlearn's default).
    """
    if value is None and allow_none:
        return None
    expected = "a float or an array-like of floats" + (
        f" of shape {shape}" if shape is not None else ""
    )
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {expected}; got {value!r}.") from None
    if shape is not None:
        try:
            np.broadcast_to(arr, shape)
        except ValueError:
            raise ValueError(
                f"{name} must be {expected}; got shape {arr.shape}."
            ) from None
    ok = np.isfinite(arr)
    if positive:
        ok &= arr > 0
    elif non_negative:
        ok &= arr >= 0
    if not np.all(ok):
        expected = (
            "> 0 and finite"
            if positive
            else (">= 0 and finite" if non_negative else "finite")
        )
        raise ValueError(f"{name} must be {expected}; got {arr[~ok].ravel()[0]}.")
    return float(arr) if arr.ndim == 0 else arr


class BaseHMM(GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """Shared fit / score / sample of skgen's hidden Markov models.

    Subclasses name the hmmlearn class (``_engine``), the letters of their
    emission parameters (``_emission_letters``), how to validate sequences
    (``_validate``) and how to draw emissions for many states at once
    (``_sample_emissions``).

    After ``fit`` every method reads fitted attributes only, so
    ``set_params`` changes what the next ``fit`` does, never the fitted
    model.
    """

    likelihood_kind = "exact"
    _representation = "continuous_sequences"
    _emission_letters = ""

    _parameter_constraints: ClassVar[dict] = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "startprob_prior": [Interval(Real, 0, None, closed="neither"), "array-like"],
        "transmat_prior": [Interval(Real, 0, None, closed="neither"), "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_components=1,
        *,
        startprob_prior=1.0,
        transmat_prior=1.0,
        max_iter=100,
        tol=1e-2,
        n_init=1,
        init_params=None,
        params=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.n_components = n_components
        self.startprob_prior = startprob_prior
        self.transmat_prior = transmat_prior
        self.max_iter = max_iter
        self.tol = tol
        self.n_init = n_init
        self.init_params = init_params
        self.params = params
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    # -- hooks ---------------------------------------------------------------

    def _engine_kwargs(self):
        """Emission keyword arguments of the hmmlearn constructor."""
        return {}

    def _check_priors(self):
        """Start and transition priors, validated (lists become arrays)."""
        K = self.n_components
        return {
            "startprob_prior": check_prior(
                self.startprob_prior, "startprob_prior", (K,)
            ),
            "transmat_prior": check_prior(
                self.transmat_prior, "transmat_prior", (K, K)
            ),
        }

    def _validate(self, X, *, reset):
        """Validated frames (as hmmlearn wants them) and lengths."""
        raise NotImplementedError

    def _frames_out(self, frames, lengths):
        """Split sampled frames into the user's representation."""
        return np.split(frames, np.cumsum(lengths)[:-1])

    def _sample_emissions(self, model, states, rng):
        """Emissions (n_frames, ...) of many states at once."""
        raise NotImplementedError

    def _log_frameprob(self, model, frames):
        """log p(frame | state), shape (n_frames, n_components)."""
        return model._compute_log_likelihood(frames)

    def _n_free_parameters(self, model):
        return sum(model._get_n_fit_scalars_per_param().values())

    # -- fitting -------------------------------------------------------------

    def _letters(self):
        return _STATE_PARAMS + self._emission_letters

    def _make_engine(self, seed):
        hmm = import_engine("hmmlearn.hmm")

        letters = self._letters()
        return getattr(hmm, self._engine)(
            n_components=self.n_components,
            **self._check_priors(),
            n_iter=self.max_iter,
            tol=self.tol,
            params=letters if self.params is None else self.params,
            init_params=letters if self.init_params is None else self.init_params,
            random_state=seed,
            implementation="log",
            **self._engine_kwargs(),
        )

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the HMM by EM (Baum-Welch), one model per class if ``y``.

        Parameters
        ----------
        X : list of sequences
            Training sequences (see the class docstring for their form).
        y : array-like of shape (n_sequences,), default=None
            Class labels: one HMM per class, a generative classifier.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        frames, lengths = self._validate(X, reset=True)
        self._make_engine(None)  # validates the priors before any work
        if frames.shape[0] < self.n_components:
            raise ValueError(
                f"n_components={self.n_components} states need at least as many "
                f"time steps of data; got {frames.shape[0]}."
            )
        self.__dict__.pop("model_", None)
        y_idx = self._fit_class_labels(y, lengths.shape[0])
        if y is None:
            groups = [np.arange(lengths.shape[0])]
        else:
            groups = [np.flatnonzero(y_idx == k) for k in range(len(self.classes_))]
            steps = np.bincount(y_idx, weights=lengths, minlength=len(self.classes_))
            short = np.flatnonzero(steps < self.n_components)
            if short.size:
                k = short[0]
                raise ValueError(
                    f"n_components={self.n_components} states need at least as "
                    "many time steps of data in every class; class "
                    f"{self.classes_.tolist()[k]!r} has {int(steps[k])}."
                )
        rng = check_random_state(self.random_state)
        previous = self._warm_start_models(len(groups))
        fits = [
            self._fit_restarts(frames[frames_of(lengths, m)], lengths[m], rng, prev)
            for m, prev in zip(groups, previous, strict=True)
        ]
        self.models_ = [f[0] for f in fits]
        if y is None:
            self.model_ = self.models_[0]
            (_, self.lower_bounds_, self.n_iter_, self.converged_) = fits[0]
        else:
            self.lower_bounds_ = [f[1] for f in fits]
            self.n_iter_ = np.array([f[2] for f in fits])
            self.converged_ = np.array([f[3] for f in fits])
        self.training_lengths_ = lengths
        return self

    def _warm_start_models(self, n_models):
        """The fitted engines EM continues from (None: a cold start)."""
        previous = getattr(self, "models_", None)
        if not self.warm_start or previous is None:
            return [None] * n_models
        if len(previous) != n_models or previous[0].n_components != self.n_components:
            raise ValueError(
                "warm_start needs the same number of classes and n_components "
                f"as the fitted model ({len(previous)} model(s) of "
                f"{previous[0].n_components} states); set warm_start=False."
            )
        return previous

    def _fit_restarts(self, frames, lengths, rng, previous=None):
        if self.n_init == 1:
            # hmmlearn gets random_state itself: the same initialisation as
            # hmmlearn's own fit with that random_state.
            seeds = [self.random_state]
        else:
            seeds = draw_seed(rng, size=self.n_init)
        best = None
        for seed in seeds:
            result = self._fit_one(frames, lengths, seed, previous)
            if best is None or result[1][-1] > best[1][-1]:
                best = result
        model, history, n_iter, converged = best
        if not converged:
            warn(
                f"{type(self).__name__}: EM stopped after max_iter={self.max_iter} "
                f"iterations without converging (last change "
                f"{history[-1] - history[-2] if len(history) > 1 else float('nan'):.3g}"
                f", tol={self.tol}). Increase max_iter or tol.",
                ConvergenceWarning,
            )
        return model, np.array(history), n_iter, converged

    def _fit_one(self, frames, lengths, seed, previous=None):
        model = self._make_engine(seed)
        if previous is not None:  # warm start: keep what init_params leaves
            attributes = {"s": "startprob_", "t": "transmat_"}
            attributes.update(self._emission_attributes)
            for letter, name in attributes.items():
                if letter not in model.init_params and hasattr(previous, name):
                    setattr(model, name, np.copy(getattr(previous, name)))
        # hmmlearn initialises means with k-means; sklearn's OpenMP k-means
        # can be many times slower than one thread on small data when the
        # cores are busy, and this is a one-off cost, so keep it on one.
        with warnings.catch_warnings(), threadpool_limits(1, user_api="openmp"):
            warnings.simplefilter("ignore", RuntimeWarning)
            model._init(frames, lengths)
        model._check()
        batch = SequenceBatch(frames, lengths)
        history, converged = [], False
        for it in range(1, self.max_iter + 1):
            stats, log_prob = self._e_step(model, batch)
            if not np.isfinite(log_prob):
                raise ValueError(
                    f"{type(self).__name__} fit degenerated at EM iteration {it}: "
                    f"the training log-likelihood is {log_prob}. The data may "
                    "have fewer distinct values than states; try fewer "
                    "n_components or stronger priors."
                )
            model._do_mstep(stats)
            self._check_degenerate(model, stats, it)
            history.append(log_prob)
            if self.verbose:
                print(f"EM iteration {it}: log-likelihood {log_prob:.6f}")
            if len(history) > 1 and history[-1] - history[-2] < self.tol:
                converged = True
                break
        # hmmlearn state skgen does not use; keeps persistence simple
        model.__dict__.pop("monitor_", None)
        model.random_state = None
        return model, history, it, converged

    def _e_step(self, model, batch):
        model._estep_begin()
        log_frameprob = self._log_frameprob(model, batch.frames)
        log_prob, posteriors, start, trans = batch.expectations(
            model.startprob_, model.transmat_, log_frameprob
        )
        stats = model._initialize_sufficient_statistics()
        # Emission statistics are sums over frames: hmmlearn computes them
        # for the whole batch at once; start and transition counts come from
        # the batched forward-backward.
        letters = model.params
        model.params = "".join(c for c in letters if c not in _STATE_PARAMS)
        try:
            model._accumulate_sufficient_statistics(
                stats, batch.frames, log_frameprob, posteriors, None, None
            )
        finally:
            model.params = letters
        stats["nobs"] = batch.lengths.shape[0]
        stats["start"] = start
        stats["trans"] = trans
        return stats, float(log_prob.sum())

    def _check_degenerate(self, model, stats, iteration):
        for name in ("startprob_", "transmat_", *self._emission_attributes.values()):
            value = getattr(model, name)
            if not np.all(np.isfinite(value)):
                raise ValueError(
                    f"{type(self).__name__} fit degenerated at EM iteration "
                    f"{iteration}: {name} became non-finite. Try fewer "
                    "n_components or stronger priors."
                )
        occupancy = stats["start"] + stats["trans"].sum(axis=0)
        empty = np.flatnonzero(occupancy < 1e-8)
        if empty.size and iteration == 1:
            warn(
                f"{type(self).__name__}: state(s) {empty.tolist()} received no "
                "data in EM; the model has more states than the data supports.",
                UserWarning,
            )

    #: init_params letter -> attribute of the hmmlearn model
    _emission_attributes: ClassVar[dict] = {}

    # -- scoring -------------------------------------------------------------

    def _check_fitted(self):
        check_is_fitted(self, "models_")

    def _class_log_likelihood(self, X):
        self._check_fitted()
        return self._frames_log_likelihood(*self._validate(X, reset=False))

    def _frames_log_likelihood(self, frames, lengths):
        """log p(x | class), shape (n_sequences, n_models)."""
        batch = SequenceBatch(frames, lengths)
        out = np.empty((lengths.shape[0], len(self.models_)))
        for k, model in enumerate(self.models_):
            out[:, k] = batch.log_likelihood(
                model.startprob_,
                model.transmat_,
                self._log_frameprob(model, batch.frames),
            )
        return out

    def score_samples(self, X, y=None):
        """Log-likelihood of each sequence, in nats.

        ``log p(x_1, ..., x_T)`` given the sequence's length (the model has
        no length distribution), by a forward pass batched across sequences.

        Parameters
        ----------
        X : list of sequences
        y : array-like of shape (n_sequences,), default=None
            For a model fitted with ``y``: the labels, giving the joint
            ``log p(x, y)``; without them, the marginal ``log p(x)``.

        Returns
        -------
        log_likelihood : ndarray of shape (n_sequences,)
        """
        self._check_fitted()
        if self._fitted_with_y:
            return self._score_samples_with_labels(X, y)
        return self._class_log_likelihood(X)[:, 0]

    def score_per_step(self, X):
        """Mean log-likelihood per time step (total nats / total steps).

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        score : float
        """
        self._check_fitted()
        frames, lengths = self._validate(X, reset=False)
        ll = self._frames_log_likelihood(frames, lengths)
        if self._fitted_with_y:
            ll = ll + self.class_log_prior_
        return float(logsumexp(ll, axis=1).sum() / lengths.sum())

    def perplexity(self, X):
        """``exp(-score_per_step(X))``: per-step perplexity.

        For discrete emissions, the effective number of equally likely
        symbols per step.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        perplexity : float
        """
        return float(np.exp(-self.score_per_step(X)))

    def _information_criterion(self, X, penalty):
        self._check_fitted()
        if self._fitted_with_y:
            raise AttributeError(
                "bic and aic are defined for a model fitted without y."
            )
        frames, lengths = self._validate(X, reset=False)
        total = self._frames_log_likelihood(frames, lengths).sum()
        n_params = self._n_free_parameters(self.model_)
        return -2 * total + penalty(n_params, lengths.sum())

    def bic(self, X):
        """Bayesian information criterion on ``X`` (lower is better).

        ``-2 log L + n_parameters * log(n_steps)``, with ``log L`` the total
        log-likelihood over sequences and ``n_steps`` the number of frames,
        as in hmmlearn.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        bic : float
        """
        return self._information_criterion(X, lambda p, n: p * np.log(n))

    def aic(self, X):
        """Akaike information criterion on ``X`` (lower is better).

        ``-2 log L + 2 n_parameters``.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        aic : float
        """
        return self._information_criterion(X, lambda p, n: 2 * p)

    # -- states --------------------------------------------------------------

    def _split(self, rows, lengths):
        return np.split(rows, np.cumsum(lengths)[:-1])

    def _check_unconditional(self, what):
        self._check_fitted()
        if self._fitted_with_y:
            raise AttributeError(
                f"{what} of hidden states needs a model fitted without y; this "
                "one holds one HMM per class (predict and predict_proba classify)."
            )

    def decode(self, X, *, algorithm="viterbi"):
        """Most likely hidden states of each sequence, with their log-probability.

        As hmmlearn's ``decode``, per sequence. For a model fitted without
        ``y`` only (one fitted with ``y`` classifies with ``predict``).

        Parameters
        ----------
        X : list of sequences
        algorithm : {"viterbi", "map"}, default="viterbi"
            ``"viterbi"``: the most likely path; ``"map"``: the most likely
            state at each step.

        Returns
        -------
        log_prob : ndarray of shape (n_sequences,)
            ``log p(x, path)`` for Viterbi; ``log p(x)`` for MAP.
        states : list of ndarray of shape (T_i,)

        See Also
        --------
        predict_states : The Viterbi paths alone.
        predict_state_proba : Posterior state probabilities at each step.
        """
        self._check_unconditional("decode")
        if algorithm not in ("viterbi", "map"):
            raise ValueError(
                f"algorithm must be 'viterbi' or 'map'; got {algorithm!r}."
            )
        frames, lengths = self._validate(X, reset=False)
        if algorithm == "map":
            log_prob, posteriors = self._posteriors(frames, lengths)
            states = [p.argmax(axis=1) for p in posteriors]
            return log_prob, states
        log_prob = np.empty(lengths.shape[0])
        states = []
        for i, seq in enumerate(self._split(frames, lengths)):
            log_prob[i], path = self.model_.decode(seq, algorithm="viterbi")
            states.append(path)
        return log_prob, states

    def _posteriors(self, frames, lengths):
        batch = SequenceBatch(frames, lengths)
        model = self.model_
        log_prob, posteriors, _, _ = batch.expectations(
            model.startprob_, model.transmat_, self._log_frameprob(model, batch.frames)
        )
        impossible = np.flatnonzero(~np.isfinite(log_prob))
        if impossible.size:
            raise ValueError(
                f"Sequence(s) {impossible[:10].tolist()} have zero likelihood "
                "(log-likelihood -inf) under the model, so their state "
                "posteriors are undefined; their values are outside what the "
                "model can emit (or too far out for float64)."
            )
        return log_prob, self._split(batch.to_input_order(posteriors), lengths)

    def predict_states(self, X):
        """Most likely hidden state path of each sequence (Viterbi).

        For a model fitted without ``y``; ``predict`` of a model fitted with
        ``y`` gives classes.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        states : list of ndarray of shape (T_i,)
        """
        self._check_unconditional("predict_states")
        return self.decode(X)[1]

    def predict_state_proba(self, X):
        """Posterior state probabilities ``p(state at step t | whole sequence)``.

        For a model fitted without ``y``.

        Parameters
        ----------
        X : list of sequences

        Returns
        -------
        posteriors : list of ndarray of shape (T_i, n_components)
            Rows sum to 1.
        """
        self._check_unconditional("predict_state_proba")
        frames, lengths = self._validate(X, reset=False)
        return self._posteriors(frames, lengths)[1]

    # -- sampling ------------------------------------------------------------

    def _bytes_per_frame(self):
        """Bytes one sampled frame needs while ``sample`` builds it.

        Its state (in the step matrix, the mask and the path: four int64),
        the emission parameters gathered for it (twice, for the draw) and
        its output (three copies).
        """
        model = self.models_[0]
        per_state = (
            sum(
                np.size(getattr(model, name.lstrip("_")))
                for name in self._emission_attributes.values()
            )
            / model.n_components
        )
        width = getattr(self, "n_features_in_", 1)
        return 8 * (4 + 2 * per_state + 3 * width)

    def _bytes_per_sequence(self):
        """Bytes of a sampled sequence besides its frames: the per-step rows
        of the transition draw, its length and label, and the output's list
        entries and array objects."""
        return 8 * (2 * self.models_[0].n_components + 6) + 240

    def _bytes_per_sample(self):
        """A sequence at the mean training length (``sample`` also sizes the
        request with the lengths it was given)."""
        return (
            self.training_lengths_.mean() * self._bytes_per_frame()
            + self._bytes_per_sequence()
        )

    def _sample_states(self, model, lengths, rng):
        """State paths of many sequences, one step for all at a time."""
        n = lengths.shape[0]
        t_max = int(lengths.max())
        states = np.empty((n, t_max), dtype=np.int64)
        cum_trans = np.cumsum(model.transmat_, axis=1)
        states[:, 0] = categorical_draws(np.cumsum(model.startprob_), rng, size=n)
        for t in range(1, t_max):
            states[:, t] = categorical_draws(cum_trans[states[:, t - 1]], rng)
        mask = np.arange(t_max)[None, :] < lengths[:, None]
        return states[mask]

    def sample(
        self,
        n_samples=1,
        *,
        length=None,
        y=None,
        return_states=False,
        random_state=None,
    ):
        """Generate sequences (all sequences advance together, step by step).

        Parameters
        ----------
        n_samples : int, default=1
            Number of sequences.
        length : int or array-like of shape (n_samples,), default=None
            Length of each sequence. None draws lengths from those of the
            training sequences (the HMM itself has no length model).
        y : label or array-like of shape (n_samples,), default=None
            Models fitted with ``y`` only: the class of each sequence, drawn
            from the training class frequencies when None.
        return_states : bool, default=False
            Also return the hidden state paths.
        random_state : int, RandomState instance or None, default=None
            An int gives the same sequences on every call.

        Returns
        -------
        X : list of sequences
        states : list of ndarray of shape (T_i,)
            Only with ``return_states=True``.
        y : ndarray of shape (n_samples,)
            Only for models fitted with ``y``; returned as ``(X, y)`` or
            ``(X, states, y)``.

        Raises
        ------
        ValueError
            Before any work, when the request (``n_samples`` sequences of the
            given lengths, or of the mean training length) cannot fit in
            memory.
        """
        return self._sample(
            n_samples,
            y=y,
            random_state=random_state,
            length=length,
            return_states=return_states,
        )

    _per_sample_options = ("lengths",)

    def _prepare_sample(self, n_samples, rng, *, length, return_states):
        """Lengths for the whole request (drawn before the classes)."""
        lengths = draw_lengths(n_samples, length, self.training_lengths_, rng)
        if length is not None:  # sized with the request's own lengths
            check_allocation(
                lengths.sum(dtype=np.float64) * self._bytes_per_frame()
                + n_samples * self._bytes_per_sequence(),
                f"sample(n_samples={n_samples}, length=...) of "
                f"{lengths.sum(dtype=np.float64):.0f} steps",
            )
        return {"lengths": lengths, "return_states": return_states}

    def _sample_class(self, n_samples, class_index, rng, *, lengths, return_states):
        model = self.models_[0 if class_index is None else class_index]
        states = self._sample_states(model, lengths, rng)
        X = self._frames_out(self._sample_emissions(model, states, rng), lengths)
        return (X, self._split(states, lengths)) if return_states else X
