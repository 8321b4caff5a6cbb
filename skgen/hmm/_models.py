"""Gaussian, GMM, categorical and Poisson hidden Markov models."""

from numbers import Integral, Real
from typing import ClassVar

import numpy as np

from skgen.hmm._base import BaseHMM, Letters, check_prior
from skgen.utils._compat import Interval, StrOptions
from skgen.utils._random import categorical_draws
from skgen.utils._validation import check_continuous_sequences, check_token_sequences
from skgen.utils._vocabulary import Vocabulary

_COMMON_DOC = """
    n_components : int, default=1
        Number of hidden states.
    startprob_prior, transmat_prior : float or array-like, default=1.0
        Dirichlet concentration of the start and transition probabilities
        (1.0: no prior): a float, or arrays (lists accepted) broadcastable to
        shape (n_components,) and (n_components, n_components), all > 0.
    max_iter : int, default=100
        Maximum number of EM iterations per initialisation.
    tol : float, default=1e-2
        EM stops when the training log-likelihood (total over sequences)
        gains less than ``tol`` in an iteration.
    n_init : int, default=1
        Number of initialisations; the fit with the highest training
        log-likelihood is kept.
    init_params : str, default=None
        Letters of the parameters initialised from the data before EM (None:
        all). With ``warm_start=True`` the others start from the current
        ``model_`` (values fitted before, or set on it by hand); otherwise
        every fit initialises them all.
    params : str, default=None
        Letters of the parameters EM updates (None: all).
    warm_start : bool, default=False
        Start EM from the fitted ``model_`` (one model per class with ``y``)
        for the parameters not in ``init_params``, as sklearn's
        ``GaussianMixture(warm_start=True)`` does.
    random_state : int, RandomState instance or None, default=None
        Controls the initialisations. With ``n_init=1`` it is passed to
        hmmlearn unchanged, so the fit starts where hmmlearn's would.
    verbose : int, default=0
        Print the log-likelihood at each EM iteration.
"""

_COMMON_ATTRS = """
    model_ : hmmlearn model
        The fitted hmmlearn model (fitted without ``y``).
    models_ : list of hmmlearn models
        One per class when fitted with ``y``; ``[model_]`` otherwise.
    lower_bounds_ : ndarray of shape (``n_iter_``,)
        Training log-likelihood (nats, total over sequences) after each E-step.
    n_iter_ : int
        Number of EM iterations run.
    converged_ : bool
        Whether EM stopped on ``tol`` rather than ``max_iter``.
    training_lengths_ : ndarray of shape (n_sequences,)
        Lengths of the training sequences (``sample`` draws from them).
    classes_, class_count_, class_log_prior_ : ndarray of shape (n_classes,)
        Only when fitted with ``y``.
"""

_COMMON_NOTES = """
    A sample is one whole sequence. ``score_samples`` returns ``log p(x)`` of
    each sequence given its length (nats): a forward pass batched across
    sequences in numpy (sequences longer than 64 steps use hmmlearn's compiled
    recursion). ``score`` is its mean per sequence; ``score_per_step`` and
    ``perplexity`` give per-step figures. Fitting runs hmmlearn's
    initialisation and M-step with a batched E-step: posteriors of all
    sequences at once, emission statistics accumulated by hmmlearn in one
    call, start and transition counts from the batched recursions.

    Hidden states: ``decode`` returns ``(log_prob, states)`` per sequence as
    hmmlearn does, ``predict_states`` the Viterbi paths and
    ``predict_state_proba`` the posterior state probabilities per step.
    ``predict`` and ``predict_proba`` exist only for a model fitted with
    ``y``, where they classify sequences by Bayes' rule.
"""


#: Gaussian emissions sum squared deviations: far larger values overflow
#: float64.
_MAX_GAUSSIAN_MAGNITUDE = 1e140


def _continuous_validate(est, X, reset, counts=False):
    frames, lengths = check_continuous_sequences(
        X, n_features=None if reset else est.n_features_in_, counts=counts
    )
    if reset:
        if not counts:
            _check_gaussian_scale(frames)
        est.n_features_in_ = frames.shape[1]
    return frames, lengths


def _check_gaussian_scale(frames):
    """Refuse training data whose squares overflow (or all underflow)."""
    magnitude = np.abs(frames).max()
    if magnitude > _MAX_GAUSSIAN_MAGNITUDE:
        raise ValueError(
            f"X holds values up to {magnitude:.3g} in magnitude; Gaussian "
            f"emissions need values below {_MAX_GAUSSIAN_MAGNITUDE:.0e} (their "
            "squares overflow float64 above that). Rescale X, e.g. with "
            "sklearn.preprocessing.StandardScaler in a GenerativePipeline."
        )


def _gaussian_prior_kwargs(est, n_components):
    """Validated Gaussian priors of GaussianHMM and GMMHMM (hmmlearn's names)."""
    F = est.n_features_in_
    allow_none = isinstance(est, GMMHMM)
    return {
        "means_prior": check_prior(
            est.means_prior, "means_prior", (*n_components, F), positive=False
        ),
        "means_weight": check_prior(
            est.means_weight,
            "means_weight",
            n_components,
            positive=False,
            non_negative=True,
        ),
        "covars_prior": check_prior(
            est.covars_prior,
            "covars_prior",
            None,
            positive=False,
            # GMMHMM's own default is improper (negative): only None or
            # an explicit value there; a GaussianHMM's is a variance
            non_negative=not allow_none,
            allow_none=allow_none,
        ),
        "covars_weight": check_prior(
            est.covars_weight,
            "covars_weight",
            None,
            positive=False,
            allow_none=allow_none,
        ),
    }


def _full_covariances(covars, covariance_type, n_features):
    """Covariances of any hmmlearn/sklearn type as full matrices."""
    eye = np.eye(n_features)
    if covariance_type == "full":
        return covars
    if covariance_type == "diag":
        return covars[..., :, None] * eye
    if covariance_type == "spherical":
        return covars[..., None, None] * eye
    return covars  # tied, already full


def _gaussian_draws(means, chol, rng):
    z = rng.standard_normal(means.shape)
    return means + np.einsum("nij,nj->ni", chol, z)


class GaussianHMM(BaseHMM):
    __doc__ = f"""Hidden Markov model with Gaussian emissions, over hmmlearn.

    X is a list of sequences, each a 2-D array (n_steps, n_features), or a
    3-D array of equal-length sequences.

    Parameters
    ----------{_COMMON_DOC}
    covariance_type : {{"diag", "full", "spherical", "tied"}}, default="diag"
        Shape of each state's covariance.
    min_covar : float, default=1e-3
        Floor on the covariance diagonal.
    means_prior, means_weight, covars_prior, covars_weight : float or array-like
        Priors of the means and covariances, as in hmmlearn (finite values).
        Training values must be below 1e140 in magnitude (their squares
        would overflow): rescale larger data.

    Attributes
    ----------{_COMMON_ATTRS}
    n_features_in_ : int
        Number of features per step.

    See Also
    --------
    GMMHMM : Mixture-of-Gaussians emissions.
    hmmlearn.hmm.GaussianHMM : The engine.

    Notes
    -----{_COMMON_NOTES}
    Letters of ``init_params`` / ``params``: ``s`` startprob, ``t`` transmat,
    ``m`` means, ``c`` covariances.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.hmm import GaussianHMM
    >>> rng = np.random.RandomState(0)
    >>> X = [np.r_[rng.normal(0, 1, (20, 1)), rng.normal(6, 1, (20, 1))]
    ...      for _ in range(10)]
    >>> hmm = GaussianHMM(n_components=2, random_state=0).fit(X)
    >>> np.sort(hmm.model_.means_.ravel()).round()
    array([0., 6.])
    >>> hmm.score_samples(X[:2]).shape
    (2,)
    >>> path = hmm.predict_states(X[:1])[0]  # Viterbi path of each sequence
    >>> path.shape, bool(path[0] != path[-1])  # it switches state midway
    ((40,), True)
    >>> hmm.predict_state_proba(X[:1])[0].shape  # p(state | sequence) per step
    (40, 2)
    """

    _engine = "GaussianHMM"
    _emission_letters = "mc"
    _emission_attributes: ClassVar[dict] = {"m": "means_", "c": "_covars_"}
    _parameter_constraints: ClassVar[dict] = {
        **BaseHMM._parameter_constraints,
        "init_params": [Letters("stmc"), None],
        "params": [Letters("stmc"), None],
        "covariance_type": [StrOptions({"diag", "full", "spherical", "tied"})],
        "min_covar": [Interval(Real, 0, None, closed="left")],
        "means_prior": [Real, "array-like"],
        "means_weight": [Interval(Real, 0, None, closed="left"), "array-like"],
        "covars_prior": [Real, "array-like"],
        "covars_weight": [Real, "array-like"],
    }

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="diag",
        min_covar=1e-3,
        startprob_prior=1.0,
        transmat_prior=1.0,
        means_prior=0,
        means_weight=0,
        covars_prior=1e-2,
        covars_weight=1,
        max_iter=100,
        tol=1e-2,
        n_init=1,
        init_params=None,
        params=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            n_components,
            startprob_prior=startprob_prior,
            transmat_prior=transmat_prior,
            max_iter=max_iter,
            tol=tol,
            n_init=n_init,
            init_params=init_params,
            params=params,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
        )
        self.covariance_type = covariance_type
        self.min_covar = min_covar
        self.means_prior = means_prior
        self.means_weight = means_weight
        self.covars_prior = covars_prior
        self.covars_weight = covars_weight

    def _engine_kwargs(self):
        return {
            "covariance_type": self.covariance_type,
            "min_covar": self.min_covar,
            **_gaussian_prior_kwargs(self, (self.n_components,)),
        }

    def _validate(self, X, *, reset):
        return _continuous_validate(self, X, reset)

    def _sample_emissions(self, model, states, rng):
        chol = np.linalg.cholesky(model.covars_)  # full (K, F, F) in hmmlearn
        return _gaussian_draws(model.means_[states], chol[states], rng)


class GMMHMM(BaseHMM):
    __doc__ = f"""Hidden Markov model with Gaussian-mixture emissions, over hmmlearn.

    X is a list of sequences, each a 2-D array (n_steps, n_features), or a
    3-D array of equal-length sequences.

    Parameters
    ----------{_COMMON_DOC}
    n_mix : int, default=1
        Number of Gaussians in each state's mixture.
    covariance_type : {{"diag", "full", "spherical", "tied"}}, default="diag"
        Shape of each mixture component's covariance.
    min_covar : float, default=1e-3
        Floor on the covariance diagonal.
    weights_prior, means_prior, means_weight : float or array-like
        Priors, as in hmmlearn.
    covars_prior, covars_weight : float, array-like or None, default=None
        Priors, as in hmmlearn (None: hmmlearn's defaults).

    Attributes
    ----------{_COMMON_ATTRS}
    n_features_in_ : int
        Number of features per step.

    See Also
    --------
    GaussianHMM : One Gaussian per state.
    hmmlearn.hmm.GMMHMM : The engine.

    Notes
    -----{_COMMON_NOTES}
    Letters of ``init_params`` / ``params``: ``s`` startprob, ``t`` transmat,
    ``m`` means, ``c`` covariances, ``w`` mixture weights.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.hmm import GMMHMM
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.normal(size=(30, 2)) for _ in range(5)]
    >>> GMMHMM(n_components=2, n_mix=2, tol=0.1, random_state=0).fit(X).score(X) < 0
    True
    """

    _engine = "GMMHMM"
    _emission_letters = "mcw"
    _emission_attributes: ClassVar[dict] = {
        "m": "means_",
        "c": "covars_",
        "w": "weights_",
    }
    _parameter_constraints: ClassVar[dict] = {
        **BaseHMM._parameter_constraints,
        "init_params": [Letters("stmcw"), None],
        "params": [Letters("stmcw"), None],
        "n_mix": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"diag", "full", "spherical", "tied"})],
        "min_covar": [Interval(Real, 0, None, closed="left")],
        "weights_prior": [Real, "array-like"],
        "means_prior": [Real, "array-like"],
        "means_weight": [Real, "array-like"],
        "covars_prior": [Real, "array-like", None],
        "covars_weight": [Real, "array-like", None],
    }

    def __init__(
        self,
        n_components=1,
        *,
        n_mix=1,
        covariance_type="diag",
        min_covar=1e-3,
        startprob_prior=1.0,
        transmat_prior=1.0,
        weights_prior=1.0,
        means_prior=0.0,
        means_weight=0.0,
        covars_prior=None,
        covars_weight=None,
        max_iter=100,
        tol=1e-2,
        n_init=1,
        init_params=None,
        params=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            n_components,
            startprob_prior=startprob_prior,
            transmat_prior=transmat_prior,
            max_iter=max_iter,
            tol=tol,
            n_init=n_init,
            init_params=init_params,
            params=params,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
        )
        self.n_mix = n_mix
        self.covariance_type = covariance_type
        self.min_covar = min_covar
        self.weights_prior = weights_prior
        self.means_prior = means_prior
        self.means_weight = means_weight
        self.covars_prior = covars_prior
        self.covars_weight = covars_weight

    def _engine_kwargs(self):
        K, M = self.n_components, self.n_mix
        return {
            "n_mix": M,
            "covariance_type": self.covariance_type,
            "min_covar": self.min_covar,
            "weights_prior": check_prior(self.weights_prior, "weights_prior", (K, M)),
            **_gaussian_prior_kwargs(self, (K, M)),
        }

    def _validate(self, X, *, reset):
        return _continuous_validate(self, X, reset)

    def _sample_emissions(self, model, states, rng):
        mix = categorical_draws(np.cumsum(model.weights_[states], axis=1), rng)
        covars = model.covars_
        if model.covariance_type == "tied":
            covars = np.broadcast_to(
                covars[:, None], (model.n_components, model.n_mix, *covars.shape[1:])
            )
        full = _full_covariances(covars, model.covariance_type, model.n_features)
        chol = np.linalg.cholesky(full)
        return _gaussian_draws(model.means_[states, mix], chol[states, mix], rng)


class CategoricalHMM(BaseHMM):
    __doc__ = f"""Hidden Markov model with categorical emissions, over hmmlearn.

    X is a list of 1-D integer sequences (symbols), or a 2-D integer array of
    equal-length sequences, as for :class:`skgen.markov.MarkovChain`.

    Parameters
    ----------{_COMMON_DOC}
    emissionprob_prior : float or array-like, default=1.0
        Dirichlet concentration of the emission probabilities: a float or an
        array broadcastable to (n_components, n_symbols), all > 0.
    unknown_symbol_proba : float in (0, 1) or None, default=None
        Smoothing of the emissions at score time. None: a symbol not seen in
        fit raises a ValueError naming it. A float ``p``: each state's
        emission distribution becomes ``(1 - p) e(s) + p / (n_symbols + 1)``
        over the known symbols plus one "unseen symbol" outcome, so every
        symbol, including one a class never saw, gets a finite probability.
        Fitting is unchanged; all scores use the smoothed emissions.

    Attributes
    ----------{_COMMON_ATTRS}
    symbols_ : ndarray of shape (n_symbols,)
        The sorted symbols seen in fit; ``model_.emissionprob_`` columns
        follow them.

    See Also
    --------
    skgen.markov.MarkovChain : Observable-state chains over tokens.
    hmmlearn.hmm.CategoricalHMM : The engine.

    Notes
    -----{_COMMON_NOTES}
    Letters of ``init_params`` / ``params``: ``s`` startprob, ``t`` transmat,
    ``e`` emission probabilities. Symbols may be any non-negative integers:
    the model maps them to ``0..n_symbols - 1`` for hmmlearn. After a
    tokenizer (in a ``GenerativePipeline``), words unseen in fit become the
    tokenizer's unknown id 0, which the model never saw: set
    ``unknown_symbol_proba`` to score such held-out text (cross-validation
    folds often contain unseen words).

    Examples
    --------
    >>> from skgen.hmm import CategoricalHMM
    >>> X = [[0, 0, 1, 0, 7, 7, 7, 8], [7, 8, 7, 0, 1, 0]]
    >>> hmm = CategoricalHMM(n_components=2, random_state=0).fit(X)
    >>> hmm.symbols_.tolist()
    [0, 1, 7, 8]
    >>> len(hmm.sample(3, length=5, random_state=0))
    3
    """

    _engine = "CategoricalHMM"
    _emission_letters = "e"
    _emission_attributes: ClassVar[dict] = {"e": "emissionprob_"}
    _representation = "token_sequences"
    _parameter_constraints: ClassVar[dict] = {
        **BaseHMM._parameter_constraints,
        "init_params": [Letters("ste"), None],
        "params": [Letters("ste"), None],
        "emissionprob_prior": [Interval(Real, 0, None, closed="neither"), "array-like"],
        "unknown_symbol_proba": [Interval(Real, 0, 1, closed="neither"), None],
    }

    def __init__(
        self,
        n_components=1,
        *,
        startprob_prior=1.0,
        transmat_prior=1.0,
        emissionprob_prior=1.0,
        unknown_symbol_proba=None,
        max_iter=100,
        tol=1e-2,
        n_init=1,
        init_params=None,
        params=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            n_components,
            startprob_prior=startprob_prior,
            transmat_prior=transmat_prior,
            max_iter=max_iter,
            tol=tol,
            n_init=n_init,
            init_params=init_params,
            params=params,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
        )
        self.emissionprob_prior = emissionprob_prior
        self.unknown_symbol_proba = unknown_symbol_proba

    def _engine_kwargs(self):
        n_symbols = self.symbols_.shape[0]
        return {
            "emissionprob_prior": check_prior(
                self.emissionprob_prior,
                "emissionprob_prior",
                (self.n_components, n_symbols),
            ),
            "n_features": n_symbols,
        }

    def _validate(self, X, *, reset):
        tokens, lengths = check_token_sequences(X)
        if np.any(lengths == 0):
            raise ValueError(
                f"X[{np.flatnonzero(lengths == 0)[0]}] is empty; every sequence "
                "needs at least one step."
            )
        if reset:
            self.symbols_ = Vocabulary.from_tokens(tokens).tokens
            # fitted state: scoring reads this, never the live parameter
            self._unknown_symbol_proba = self.unknown_symbol_proba
        symbols = Vocabulary(self.symbols_)
        pos = symbols.to_index(tokens)
        known = pos != symbols.unknown_index
        if not np.all(known) and self._unknown_symbol_proba is None:
            unseen = np.unique(tokens[~known])
            raise ValueError(
                f"X contains symbols not seen in fit: {unseen[:10].tolist()}. Set "
                "unknown_symbol_proba to give them a smoothed probability."
            )
        return np.where(known, pos, -1)[:, None], lengths

    def _log_frameprob(self, model, frames):
        p = self._unknown_symbol_proba
        if p is None:
            return model._compute_log_likelihood(frames)
        # column n_symbols is the "unseen symbol" outcome (index -1)
        n = model.n_features
        smoothed = np.empty((model.n_components, n + 1))
        smoothed[:, :n] = (1 - p) * model.emissionprob_ + p / (n + 1)
        smoothed[:, n] = p / (n + 1)
        return np.log(smoothed[:, frames[:, 0]].T)

    def _frames_out(self, frames, lengths):
        tokens = Vocabulary(self.symbols_).to_tokens(frames)
        return np.split(tokens, np.cumsum(lengths)[:-1])

    def _sample_emissions(self, model, states, rng):
        return categorical_draws(np.cumsum(model.emissionprob_[states], axis=1), rng)


class PoissonHMM(BaseHMM):
    __doc__ = f"""Hidden Markov model with Poisson emissions, over hmmlearn.

    X is a list of sequences of counts, each a 2-D array of non-negative
    integers (n_steps, n_features), or a 3-D array of equal-length sequences.

    Parameters
    ----------{_COMMON_DOC}
    lambdas_prior, lambdas_weight : float or array-like, default=0.0
        Gamma prior of the rates, as in hmmlearn.

    Attributes
    ----------{_COMMON_ATTRS}
    n_features_in_ : int
        Number of count features per step.

    See Also
    --------
    hmmlearn.hmm.PoissonHMM : The engine.

    Notes
    -----{_COMMON_NOTES}
    Letters of ``init_params`` / ``params``: ``s`` startprob, ``t`` transmat,
    ``l`` rates.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.hmm import PoissonHMM
    >>> rng = np.random.RandomState(0)
    >>> X = [np.r_[rng.poisson(1, (30, 1)), rng.poisson(15, (30, 1))]
    ...      for _ in range(5)]
    >>> hmm = PoissonHMM(n_components=2, random_state=0).fit(X)
    >>> np.sort(hmm.model_.lambdas_.ravel()).round()
    array([ 1., 15.])
    """

    _engine = "PoissonHMM"
    _emission_letters = "l"
    _emission_attributes: ClassVar[dict] = {"l": "lambdas_"}
    _representation = "count_sequences"
    _parameter_constraints: ClassVar[dict] = {
        **BaseHMM._parameter_constraints,
        "init_params": [Letters("stl"), None],
        "params": [Letters("stl"), None],
        "lambdas_prior": [Real, "array-like"],
        "lambdas_weight": [Real, "array-like"],
    }

    def __init__(
        self,
        n_components=1,
        *,
        startprob_prior=1.0,
        transmat_prior=1.0,
        lambdas_prior=0.0,
        lambdas_weight=0.0,
        max_iter=100,
        tol=1e-2,
        n_init=1,
        init_params=None,
        params=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        super().__init__(
            n_components,
            startprob_prior=startprob_prior,
            transmat_prior=transmat_prior,
            max_iter=max_iter,
            tol=tol,
            n_init=n_init,
            init_params=init_params,
            params=params,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
        )
        self.lambdas_prior = lambdas_prior
        self.lambdas_weight = lambdas_weight

    def _engine_kwargs(self):
        shape = (self.n_components, self.n_features_in_)
        return {
            "lambdas_prior": check_prior(
                self.lambdas_prior,
                "lambdas_prior",
                shape,
                positive=False,
                non_negative=True,
            ),
            "lambdas_weight": check_prior(
                self.lambdas_weight,
                "lambdas_weight",
                shape,
                positive=False,
                non_negative=True,
            ),
        }

    def _validate(self, X, *, reset):
        return _continuous_validate(self, X, reset, counts=True)

    def _sample_emissions(self, model, states, rng):
        return rng.poisson(model.lambdas_[states])
