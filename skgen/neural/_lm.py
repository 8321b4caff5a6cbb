"""Recurrent and Transformer language models as generative estimators.

Both families share :class:`_LanguageModel`: the data (token sequences, or
sequences of continuous frames), training through skorch on windows of the
training sequences, the exact likelihood of whole sequences and batched
generation. The networks are in :mod:`skgen.neural._lm_modules`, the
batching in :mod:`skgen.neural._lm_data`; neither is imported before a
model trains, scores or samples.
"""

import inspect
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from skgen.base import GenerativeClassifierMixin, GenerativeMixin, fit_atomically
from skgen.neural._base import (
    AUTO_MIN_STEPS,
    NEURAL_PARAMETER_CONSTRAINTS,
    NeuralTrainingMixin,
    to_numpy,
    uses_torch_threads,
)
from skgen.utils._compat import Interval, StrOptions, _fit_context, import_engine
from skgen.utils._random import draw_lengths, draw_seed
from skgen.utils._resources import check_allocation
from skgen.utils._validation import (
    check_continuous_sequences,
    check_token_sequences,
    reject_iterator,
)
from skgen.utils._vocabulary import Vocabulary

__all__ = ["RNNLanguageModel", "TransformerLanguageModel"]

#: A size left to the kind of data (see ``RNNLanguageModel``).
_AUTO = StrOptions({"auto"})

#: Bytes a sampled step holds until ``sample`` returns (its row and value
#: records, their sort and the output), per feature.
_BYTES_PER_SAMPLED_STEP = 40

#: Bytes of generation state a group of sampled sequences may hold at once
#: (the Transformer's key-value cache grows with the rows generated together).
_SAMPLE_STATE_BYTES = 1 << 28

#: The shared neural parameters whose default differs for language models,
#: and why (docs/DESIGN.md section 7).
_LM_DEFAULTS_REASON = (
    "language models overfit a corpus within a few epochs without "
    "regularisation: AdamW with weight decay, early stopping on held-out "
    "whole sequences"
)


def _sequence_kind(X):
    """``"frames"`` for continuous sequences (2-D steps), else ``"tokens"``."""
    if isinstance(X, np.ndarray) and X.dtype != object:
        return "frames" if X.ndim == 3 else "tokens"
    if isinstance(X, list | tuple) and len(X) > 0:
        first = X[0]
        ndim = getattr(first, "ndim", None)
        if ndim is None and isinstance(first, list | tuple) and len(first) > 0:
            ndim = 1 + (isinstance(first[0], list | tuple | np.ndarray))
        if ndim == 2:
            return "frames"
    return "tokens"


class _LanguageModel(GenerativeClassifierMixin, GenerativeMixin, NeuralTrainingMixin):
    """The shared language-model estimator: data, training, likelihood, sampling.

    A subclass sets ``_network`` (the module class's name in
    :mod:`skgen.neural._lm_modules`), ``_architecture(params)`` (its
    arguments from the fitted parameters) and ``_window(params)`` (the
    longest training window and its burn-in).
    """

    likelihood_kind = "exact"
    _representation = "token_sequences"
    #: Representations the classes also take, checked by the public checks.
    _extra_representations: ClassVar[tuple] = ("continuous_sequences",)

    #: Shared parameters with a default of the family's own, and the reason.
    _family_defaults: ClassVar[dict] = {
        "lr": _LM_DEFAULTS_REASON,
        "optimizer": _LM_DEFAULTS_REASON,
        "weight_decay": _LM_DEFAULTS_REASON,
        "early_stopping": _LM_DEFAULTS_REASON,
        "n_iter_no_change": _LM_DEFAULTS_REASON,
    }

    #: ``batch_size="auto"``: 16 windows, or all of them when fewer (a
    #: window is up to hundreds of tokens; batches of 16 trained a char
    #: LSTM far better per epoch than 128, and on a 14-window series fold
    #: one batch of all of them beat batches of one).
    _auto_batch_range: ClassVar[tuple] = (16, 16)

    _lm_constraints: ClassVar[dict] = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        **NEURAL_PARAMETER_CONSTRAINTS,
    }

    # ------------------------------------------------------------------ data

    def _prepare(self, X, *, reset=False, name="X"):
        """``X`` as a :class:`~skgen.neural._lm_data.SequenceDataset`.

        With ``reset`` (``fit``), the representation, the symbols (tokens)
        or the width and the standardisation (frames) are learnt from
        ``X``; otherwise those of the fitted model are used, and data of
        the other representation is refused.
        """
        from skgen.neural._lm_data import SequenceDataset

        reject_iterator(X, name)
        kind = _sequence_kind(X) if reset else self._kind_of_data
        if not reset and _sequence_kind(X) != kind:
            fitted = "token sequences" if kind == "tokens" else "continuous sequences"
            raise ValueError(
                f"This {type(self).__name__} was fitted on {fitted}; {name} "
                f"holds {'continuous' if kind == 'tokens' else 'token'} sequences."
            )
        if kind == "tokens":
            tokens, lengths = check_token_sequences(X, name=name)
            if reset:
                self._kind_of_data = "tokens"
                self.symbols_ = Vocabulary.from_tokens(tokens).tokens
                self.__dict__.pop("n_features_in_", None)
            V = self.symbols_.shape[0]
            ids = Vocabulary(self.symbols_).to_index(tokens)
            steps = lengths + 1
            offsets = np.concatenate([[0], np.cumsum(steps)])
            inputs = np.empty(offsets[-1], dtype=np.int64)
            targets = np.empty(offsets[-1], dtype=np.int64)
            first, last = offsets[:-1], offsets[1:] - 1
            body = np.ones(offsets[-1], dtype=bool)
            body[first] = False
            inputs[first] = V + 1  # start
            inputs[body] = ids
            body[first] = True
            body[last] = False
            targets[body] = ids
            targets[last] = V + 1  # end
            return SequenceDataset(inputs, targets, offsets), lengths
        width = None if reset else self.n_features_in_
        frames, lengths = check_continuous_sequences(X, n_features=width, name=name)
        if reset:
            self._kind_of_data = "frames"
            self.__dict__.pop("symbols_", None)
            self.n_features_in_ = frames.shape[1]
            scale = frames.std(axis=0)
            self._frame_mean = frames.mean(axis=0)
            self._frame_scale = np.where(scale > 0, scale, 1.0)
        z = (frames - self._frame_mean) / self._frame_scale
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        D = z.shape[1]
        inputs = np.zeros((offsets[-1], D + 1))
        first = offsets[:-1]
        rest = np.ones(offsets[-1], dtype=bool)
        rest[first] = False
        inputs[first, D] = 1.0  # start flag
        keep = np.ones(offsets[-1], dtype=bool)
        keep[offsets[1:] - 1] = False  # the last frame is never an input
        inputs[rest, :D] = z[keep]
        return SequenceDataset(inputs, z, offsets), lengths

    def _log_jacobian(self, lengths):
        """log |det| of the standardisation of frames, per sequence (0 for tokens)."""
        if self._kind_of_data == "tokens":
            return np.zeros(lengths.shape[0])
        return -lengths * np.log(self._frame_scale).sum()

    # ------------------------------------------------------------------- fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    @uses_torch_threads(training=True)
    def fit(self, X, y=None):
        """Train the network by maximum likelihood of the next step.

        Parameters
        ----------
        X : list of 1-D array-like of int, or list of 2-D arrays
            Token sequences (ragged; a 2-D int array of equal-length rows),
            or continuous sequences of shape (n_steps, n_features) (ragged;
            a 3-D array).
        y : array-like of shape (n_sequences,), default=None
            Class labels: a class-conditional model (a label embedding).

        Returns
        -------
        self : estimator
            The fitted model.

        Warns
        -----
        ConvergenceWarning
            With ``early_stopping=True``, when training ran all
            ``max_epochs`` without the validation loss settling.
        """
        data, lengths = self._prepare(X, reset=True)
        self.training_lengths_ = lengths
        y_index = self._fit_class_labels(y, lengths.shape[0])
        if y_index is not None:
            data.classes = y_index.astype(np.int64)
        self._check_validation_rows(lengths.shape[0])
        self.net_ = self._train_net(data, self._seed())
        self._warn_if_not_stopped()
        return self

    def _module_arguments(self):
        from skgen.neural import _lm_modules

        params = self._fitted_params
        kwargs = dict(self._architecture(params))
        if self._kind_of_data == "tokens":
            n = self.symbols_.shape[0] + 2  # symbols, unknown, start / end
            kwargs.update(n_inputs=n, n_outcomes=n)
        else:
            kwargs.update(
                n_features=self.n_features_in_, n_components=params["n_components"]
            )
        kwargs["n_classes"] = len(self.classes_) if self._fitted_with_y else 0
        return {"module": (getattr(_lm_modules, self._network), kwargs)}

    def _n_training_rows(self, X):
        """Training windows of an epoch (the batch size and epochs count them)."""
        from skgen.neural._lm_data import expected_windows

        steps = X.steps
        window, burn_in = self._window(self._fitted_params)
        n_windows = expected_windows(steps, window, burn_in)
        if self.early_stopping:  # the validation share holds whole sequences
            n = steps.shape[0]
            n_windows *= (n - int(np.ceil(self.validation_fraction * n))) / n
        return max(1, round(n_windows))

    def _net_kwargs(self, params):
        from skgen.neural._lm_data import SequenceLoader, WindowLoader

        window, burn_in = self._window(params)
        return {
            **super()._net_kwargs(params),
            "iterator_train": WindowLoader,
            "iterator_train__window": window,
            "iterator_train__burn_in": burn_in,
            "iterator_valid": SequenceLoader,
        }

    def _family_callbacks(self):
        """Gradient clipping (norm 1) and epoch losses per predicted step."""
        from skgen.neural._lm_data import TokenWeights

        GradientNormClipping = import_engine("skorch.callbacks", "GradientNormClipping")
        return [
            ("gradient_clipping", GradientNormClipping(1.0)),
            ("token_weights", TokenWeights()),
        ]

    # --------------------------------------------------------------- scoring

    def _tensors(self, module, batch):
        from skgen.neural._lm_data import to_tensors

        weight = next(module.parameters())
        return to_tensors(batch, weight.dtype, weight.device)

    def _class_log_likelihood(self, X):
        """log p(x | class) of every sequence, shape (n_sequences, n_tables)."""
        torch = import_engine("torch")
        from skgen.neural._lm_data import sequence_batches

        check_is_fitted(self)
        data, lengths = self._prepare(X)
        n_tables = len(self.classes_) if self._fitted_with_y else 1
        module = self._eval_module()
        out = np.zeros((lengths.shape[0], n_tables))
        with torch.no_grad():
            for members, batch in sequence_batches(data):
                t = self._tensors(module, batch)
                for k in range(n_tables):
                    classes = self._class_tensor(
                        k if self._fitted_with_y else None,
                        members.shape[0],
                        t["mask"].device,
                    )
                    ll = module.log_likelihood(t["inputs"], t["targets"], classes)
                    # NaN only where a step far outside the training data
                    # overflowed (inf - inf): its density is zero, never NaN
                    ll = ll.masked_fill(ll.isnan(), -np.inf)
                    ll = torch.where(t["mask"] > 0, ll, torch.zeros_like(ll))
                    out[members, k] = to_numpy(ll.sum(-1))
        return out + self._log_jacobian(lengths)[:, None]

    @uses_torch_threads
    def score_samples(self, X, y=None):
        """Log-likelihood of each whole sequence, in nats.

        Parameters
        ----------
        X : list of sequences, in the representation ``fit`` accepted
        y : array-like of shape (n_sequences,), default=None
            For a model fitted with ``y``: the labels, giving the joint
            ``log p(x, y)``; without them, the marginal ``log p(x)``.

        Returns
        -------
        log_likelihood : ndarray of shape (n_sequences,)
            Token sequences: ``log p(x)`` of every token and of the end.
            Continuous sequences: the log-density of the frames given the
            length (as the HMMs), in the units of the data as given.
        """
        check_is_fitted(self)
        if self._fitted_with_y:
            return self._score_samples_with_labels(X, y)
        return self._class_log_likelihood(X)[:, 0]

    @uses_torch_threads
    def perplexity(self, X):
        """Per-token perplexity ``exp(-total log-likelihood / n_events)``.

        The events are the tokens plus one end per sequence, every event the
        model predicts, as :meth:`skgen.markov.MarkovChain.perplexity` counts
        them.

        Parameters
        ----------
        X : list of 1-D array-like of int

        Returns
        -------
        perplexity : float
        """
        from skgen.metrics import perplexity

        check_is_fitted(self)
        self._check_tokens("perplexity")
        _, lengths = check_token_sequences(X)
        return perplexity(self.score_samples(X), lengths + 1)

    def _check_tokens(self, what):
        if self._kind_of_data != "tokens":
            raise ValueError(
                f"{what} is defined for token sequences; this "
                f"{type(self).__name__} was fitted on continuous sequences."
            )

    @uses_torch_threads
    def next_token_log_proba(self, prefixes, *, y=None):
        """Log-probabilities of every possible next symbol after each prefix.

        Parameters
        ----------
        prefixes : list of 1-D array-like of int
            Token sequences from their start (empty for the first token).
            Unseen tokens count as unknown.
        y : label, default=None
            For a model fitted with ``y``: the class (required there).

        Returns
        -------
        log_proba : ndarray of shape (n_prefixes, n_symbols + 2)
            Columns are the tokens of ``symbols_``, then the unknown symbol,
            then the end symbol, as in
            :meth:`skgen.markov.MarkovChain.next_token_log_proba`. Each row
            sums to 1 in probability.
        """
        torch = import_engine("torch")
        from skgen.neural._lm_data import sequence_batches

        check_is_fitted(self)
        self._check_tokens("next_token_log_proba")
        k = self._one_class_index(y)
        data, lengths = self._prepare(prefixes, name="prefixes")
        module = self._eval_module()
        out = np.empty((lengths.shape[0], self.symbols_.shape[0] + 2))
        with torch.no_grad():
            for members, batch in sequence_batches(data):
                t = self._tensors(module, batch)
                classes = self._class_tensor(k, members.shape[0], t["inputs"].device)
                h = module.hidden(t["inputs"], classes)
                last = torch.as_tensor(lengths[members])  # the step after the prefix
                rows = torch.arange(members.shape[0])
                out[members] = to_numpy(module.head.log_proba(h[rows, last]))
        return out

    @staticmethod
    def _class_tensor(class_index, n, device):
        torch = import_engine("torch")

        if class_index is None:
            return None
        return torch.full((n,), class_index, dtype=torch.long, device=device)

    # --------------------------------------------------------------- sampling

    @uses_torch_threads
    def sample(
        self,
        n_samples=1,
        *,
        max_length=1000,
        temperature=1.0,
        top_k=None,
        prompt=None,
        length=None,
        y=None,
        random_state=None,
    ):
        """Generate sequences, all rows of a batch one step at a time.

        Parameters
        ----------
        n_samples : int, default=1
            Number of sequences.
        max_length : int, default=1000
            Token sequences: a sequence that has not drawn the end after
            this many tokens (the prompt's included) is cut there.
        temperature : float, default=1.0
            Token sequences: divides the logits (below 1: more likely
            tokens; above 1: more varied ones).
        top_k : int, default=None
            Token sequences: draw from the ``top_k`` most probable outcomes
            only.
        prompt : 1-D array-like of int or 2-D array, default=None
            The start every sequence continues (tokens; or frames of shape
            (n_steps, n_features)); the samples begin with it. It may not be
            longer than ``max_length`` (tokens) or ``length`` (frames).
        length : int or array-like of shape (n_samples,), default=None
            Continuous sequences: the length of each, the prompt's steps
            included (the model has no length distribution); None draws
            lengths from the training sequences' (at least the prompt's).
        y : label or array-like of shape (n_samples,), default=None
            Models fitted with ``y`` only: the class of each sequence, drawn
            from the training class frequencies when None.
        random_state : int, RandomState instance or None, default=None
            An int gives the same sequences on every call.

        Returns
        -------
        X : list of ndarray
            Token sequences (1-D int arrays; the unknown symbol is never
            drawn) or continuous ones (2-D arrays).
        y : ndarray of shape (n_samples,)
            Only for models fitted with ``y``.
        """
        return self._sample(
            n_samples,
            y=y,
            random_state=random_state,
            max_length=max_length,
            temperature=temperature,
            top_k=top_k,
            prompt=prompt,
            length=length,
        )

    _per_sample_options = ("length",)

    def _bytes_per_sample(self):
        """A sequence at the mean training length, and its list entry."""
        width = getattr(self, "n_features_in_", 1)
        return 8 * width * (self.training_lengths_.mean() + 1) * 3 + 240

    def _prepare_sample(
        self, n_samples, rng, *, max_length, temperature, top_k, prompt, length
    ):
        torch = import_engine("torch")

        tokens = self._kind_of_data == "tokens"
        if tokens:
            if isinstance(max_length, bool) or not isinstance(max_length, Integral):
                raise TypeError(f"max_length must be an int >= 0; got {max_length!r}.")
            if max_length < 0:
                raise ValueError(f"max_length must be >= 0; got {max_length}.")
            if isinstance(temperature, bool) or not isinstance(temperature, Real):
                raise TypeError(
                    f"temperature must be a float > 0; got {temperature!r}."
                )
            if not temperature > 0 or not np.isfinite(temperature):
                raise ValueError(f"temperature must be > 0; got {temperature}.")
            if top_k is not None and (
                isinstance(top_k, bool) or not isinstance(top_k, Integral) or top_k < 1
            ):
                raise ValueError(f"top_k must be None or an int >= 1; got {top_k!r}.")
            if length is not None:
                raise ValueError(
                    "length is for continuous sequences; token sequences end "
                    "when the model draws the end (cap them with max_length)."
                )
        else:
            if temperature != 1.0 or top_k is not None or max_length != 1000:
                raise ValueError(
                    "temperature, top_k and max_length apply to token "
                    "sequences; this model was fitted on continuous sequences "
                    "(give their length with length=)."
                )
        prompt = self._check_prompt(prompt)
        n_given = 0 if prompt is None else prompt["given"].shape[0]
        if tokens and n_given > max_length:
            raise ValueError(
                f"prompt has {n_given} tokens, more than max_length={max_length}; "
                "every sample begins with the prompt."
            )
        if not tokens:
            drawn = length is None
            length = draw_lengths(n_samples, length, self.training_lengths_, rng)
            if drawn:  # lengths drawn from training: at least the prompt's
                length = np.maximum(length, n_given)
            elif n_given > length.min():
                raise ValueError(
                    f"prompt has {n_given} steps, more than length="
                    f"{int(length.min())}; every sample begins with the prompt."
                )
        # the longest output the request can produce, before any work: a
        # model that never draws the end fills max_length, frames fill length
        steps = n_samples * max_length if tokens else int(length.sum())
        check_allocation(
            steps * _BYTES_PER_SAMPLED_STEP * getattr(self, "n_features_in_", 1),
            f"sample(n_samples={n_samples}, "
            + (f"max_length={max_length})" if tokens else "length=...)"),
        )
        generator = torch.Generator().manual_seed(draw_seed(rng))
        return {
            "max_length": max_length,
            "temperature": float(temperature),
            "top_k": top_k,
            "prompt": prompt,
            "length": length,
            "generator": generator,
        }

    def _check_prompt(self, prompt):
        """The prompt as network inputs after the start (tokens: ids; frames: z)."""
        if prompt is None:
            return None
        if self._kind_of_data == "tokens":
            tokens, _ = check_token_sequences([prompt], name="prompt")
            return {"given": tokens, "ids": Vocabulary(self.symbols_).to_index(tokens)}
        frames, _ = check_continuous_sequences(
            [prompt], n_features=self.n_features_in_, name="prompt"
        )
        return {"given": frames, "z": (frames - self._frame_mean) / self._frame_scale}

    def _sample_class(
        self,
        n_samples,
        class_index,
        rng,
        *,
        max_length,
        temperature,
        top_k,
        prompt,
        length,
        generator,
    ):
        module = self._eval_module()
        group = max(1, _SAMPLE_STATE_BYTES // self._state_bytes_per_row())
        out = []
        for a in range(0, n_samples, group):
            m = min(group, n_samples - a)
            if self._kind_of_data == "tokens":
                seqs, _ = self._generate_tokens(
                    module,
                    m,
                    class_index,
                    max_length,
                    temperature,
                    top_k,
                    prompt,
                    generator,
                )
            else:
                seqs = self._generate_frames(
                    module, length[a : a + m], class_index, prompt, generator
                )
            out += seqs
        return out

    def _state_bytes_per_row(self):
        """Bytes of generation state one sampled row holds (a subclass's)."""
        raise NotImplementedError

    def _generate_tokens(
        self,
        module,
        n,
        class_index,
        max_length,
        temperature,
        top_k,
        prompt,
        generator,
        *,
        cache=True,
    ):
        """``n`` token sequences, and the log-probability of each under the model.

        The log-probabilities are those of the model itself (before the
        unknown symbol is excluded and before ``temperature`` and ``top_k``):
        for a sequence that drew its end, their sum is the part of
        ``score_samples`` after the prompt. ``cache=False`` recomputes the
        whole prefix at every step (slow; the reference the cached path is
        tested against).
        """
        torch = import_engine("torch")

        V = self.symbols_.shape[0]
        unknown, end = V, V + 1
        device = next(module.parameters()).device
        ids = [] if prompt is None else prompt["ids"].tolist()
        given = np.zeros(0, np.int64) if prompt is None else prompt["given"]
        prefix = torch.tensor([[V + 1, *ids]], device=device).expand(n, -1)
        classes = self._class_tensor(class_index, n, device)
        active = torch.arange(n, device=device)
        log_proba = torch.zeros(n, dtype=torch.float64)
        steps_rows, steps_tokens = [], []
        with torch.no_grad():
            if cache:
                h, state = module.step(prefix, classes, module.start_state(n))
            else:
                h = module.hidden(prefix, classes)[:, -1]
            for _ in range(max(0, max_length - len(ids))):
                logp = module.head.log_proba(h)
                logits = logp.clone()
                logits[:, unknown] = -np.inf
                # shifted first: a tiny temperature stays greedy, never NaN
                top = logits.max(dim=1, keepdim=True).values
                logits = (logits - top) / temperature
                if top_k is not None and top_k < logits.shape[1]:
                    kth = torch.topk(logits, top_k, dim=1).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, -np.inf)
                cum = torch.softmax(logits.to(torch.float64), dim=1).cumsum(1).cpu()
                u = torch.rand(
                    active.shape[0], 1, generator=generator, dtype=torch.float64
                )
                # right: an outcome of probability 0 is never drawn
                nxt = torch.searchsorted(cum, u * cum[:, -1:], right=True)[:, 0]
                nxt = nxt.clamp_max(logits.shape[1] - 1).to(device)
                rows = torch.arange(active.shape[0], device=device)
                log_proba[active.cpu()] += logp[rows, nxt].to(torch.float64).cpu()
                going = nxt != end
                active, nxt = active[going], nxt[going]
                if active.shape[0] == 0:
                    break
                steps_rows.append(active.cpu())
                steps_tokens.append(nxt.cpu())
                keep = torch.nonzero(going)[:, 0]
                classes = None if classes is None else classes[keep]
                if cache:
                    state = module.select_state(state, keep)
                    h, state = module.step(nxt[:, None], classes, state)
                else:
                    prefix = torch.cat([prefix[keep], nxt[:, None]], dim=1)
                    h = module.hidden(prefix, classes)[:, -1]
        rows = torch.cat(steps_rows).numpy() if steps_rows else np.zeros(0, np.int64)
        drawn = torch.cat(steps_tokens).numpy() if steps_tokens else rows
        by_row = np.argsort(rows, kind="stable")  # steps are in time order
        tokens = self.symbols_[drawn[by_row]]
        split = np.split(tokens, np.cumsum(np.bincount(rows, minlength=n))[:-1])
        return [np.concatenate([given, s]) for s in split], log_proba.numpy()

    def _generate_frames(self, module, lengths, class_index, prompt, generator):
        """Continuous sequences of the given lengths (the prompt's steps included)."""
        torch = import_engine("torch")

        weight = next(module.parameters())
        device, dtype = weight.device, weight.dtype
        n, D = lengths.shape[0], self.n_features_in_
        z0 = np.zeros((0, D)) if prompt is None else prompt["z"]
        start = np.zeros((1, D + 1))
        start[0, D] = 1.0
        first = np.concatenate([start, np.pad(z0, ((0, 0), (0, 1)))])
        inputs = torch.as_tensor(first, dtype=dtype, device=device)[None].expand(
            n, -1, -1
        )
        classes = self._class_tensor(class_index, n, device)
        T = int(lengths.max())
        drawn = []
        with torch.no_grad():
            h, state = module.step(inputs, classes, module.start_state(n))
            for _ in range(max(0, T - z0.shape[0])):
                frame = module.head.sample(h, generator)
                drawn.append(frame.cpu())
                nxt = torch.cat([frame, torch.zeros_like(frame[:, :1])], dim=1)
                h, state = module.step(nxt[:, None], classes, state)
        z = torch.stack(drawn, 1).numpy() if drawn else np.zeros((n, 0, D))
        z = np.concatenate([np.broadcast_to(z0, (n, *z0.shape)), z], axis=1)
        frames = z * self._frame_scale + self._frame_mean
        given = None if prompt is None else prompt["given"]
        out = []
        for i, L in enumerate(lengths):
            seq = frames[i, :L].copy()
            if given is not None:
                seq[: given.shape[0]] = given
            out.append(seq)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # continuous sequences of equal length
        tags.non_deterministic = False
        return tags


_COMMON_ATTRIBUTES = """
    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained net; ``net_.history`` holds the training history.
    module_ : torch.nn.Module
        The trained network (``net_.module_``). Scoring and sampling use an
        inference copy of it (in float64 on the CPU by default), made once
        per fitted net: change a model by fitting it, not by editing these
        weights in place.
    symbols_ : ndarray of shape (n_symbols,)
        Sorted token ids seen in training (token sequences).
    n_features_in_ : int
        Features per step (continuous sequences).
    training_lengths_ : ndarray of shape (n_sequences,)
        Lengths of the training sequences.
    classes_, class_count_, class_log_prior_ : ndarray of shape (n_classes,)
        Only when fitted with ``y``.
"""

_COMMON_DOC = """
    max_epochs : int or "auto", default="auto"
        Epochs of training (at most, with early stopping). An epoch predicts
        every step of every training sequence once. ``"auto"`` trains for
        at least {min_steps} optimiser steps and 10 epochs.
    batch_size : int or "auto", default="auto"
        Training windows per optimiser step. ``"auto"`` is 16, or all the
        windows of an epoch when there are fewer.
    lr : float, default={lr}
    optimizer : {"adam", "adamw", "sgd", "rmsprop"}, default="adamw"
    weight_decay : float, default=0.1
        The optimiser's weight decay (AdamW's decoupled decay by default).
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training *sequences* (whole
        ones) and stop when their loss (the mean negative log-likelihood
        per token, end included, in ``net_.history`` as ``valid_loss``) has
        not improved for ``n_iter_no_change`` epochs (and at least 30
        optimiser steps), keeping the best weights.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=3
    callbacks : list of skorch callbacks, default=None
        Passed to the skorch net (``Checkpoint``, ``LRScheduler``, ...).
        Gradients are clipped to norm 1 (skorch's ``GradientNormClipping``).
    device : str, default="cpu"
        Torch device for training ("cuda" where present).
    dtype : {"float32", "float64"}, default=None
        The dtype the fitted model scores and samples in (training is
        float32). ``None``: float64 on the CPU; a model trained on CUDA stays
        there in float32.
    n_threads : int, default=None
        The intra-op threads of torch while the model fits, scores and samples
        (restored afterwards). ``None``: one thread below four cores, else
        half the cores and at most four.
    verbose : int, default=0
        Print skorch's epoch log with a progress bar.
    random_state : int, RandomState instance or None, default=None
        The same value gives the same model, through forked local torch
        generators."""


class RNNLanguageModel(_LanguageModel, BaseEstimator):
    """A recurrent language model (LSTM, GRU or Elman RNN) over sequences.

    X is a list of token sequences (ragged integer arrays, as
    :class:`~skgen.markov.MarkovChain` takes) or of continuous sequences
    (2-D arrays ``(n_steps, n_features)``, as
    :class:`~skgen.hmm.GaussianHMM` takes). Tokens are embedded, a stacked
    recurrent network reads them and a softmax predicts the next token, the
    unknown symbol or the end; frames are standardised, read through a
    linear layer and a mixture of ``n_components`` diagonal Gaussians
    predicts the next frame. Fitted with ``y``, a label embedding is added
    to every input: a class-conditional model and a generative classifier.

    Parameters
    ----------
    cell : {"lstm", "gru", "rnn"}, default="lstm"
        The recurrent layer: ``torch.nn.LSTM``, ``GRU`` or ``RNN`` (tanh).
    embedding_dim : int or "auto", default="auto"
        Width of the token embedding (and of the frames' input layer).
        ``"auto"``: 128 for token sequences, 32 for continuous ones.
    hidden_size : int or "auto", default="auto"
        Width of the recurrent state. ``"auto"``: 256 for token sequences,
        64 for continuous ones.
    num_layers : int or "auto", default="auto"
        Stacked recurrent layers. ``"auto"``: 2 for token sequences, 1 for
        continuous ones. Series of a few hundred low-dimensional frames
        need a far smaller network than text: the token-sized one lost to
        a Gaussian HMM on macrodata growth rates, the continuous-sized one
        beat it (see ``benchmarks/README.md``).
    dropout : float, default=0.3
        Dropout on the inputs, between the layers and on the output.
    window_length : int, default=256
        Longest training window, in steps (truncated backpropagation
        through time): see Notes.
    n_components : int, default=5
        Gaussians of the output mixture, for continuous sequences.
    {common_parameters}

    {common_attributes}

    See Also
    --------
    TransformerLanguageModel : Causal self-attention in place of recurrence.
    skgen.markov.MarkovChain : The n-gram model these are compared with.

    Notes
    -----
    ``score_samples`` is exact (``likelihood_kind = "exact"``): the sum of
    ``log p(step | steps before it)`` over a whole sequence, from a zero
    state, the end of a token sequence included, computed in float64 on the
    CPU by default (see ``dtype``). Token ids never seen in training map to
    one unknown symbol, in inputs and outcomes (as in a Markov chain, so
    scores stay finite); the network never sees one in training, so its
    probability is small.

    Training reads windows of at most ``window_length`` steps. A sequence
    that fits is one window; a longer one starts with a window from its
    start, of a random length (new each epoch), then windows whose first
    quarter gives the state context only: every step of every sequence is
    predicted once an epoch. Scoring and sampling run over whole sequences,
    however long.

    Examples
    --------
    >>> from skgen.neural import RNNLanguageModel
    >>> X = [[0, 1, 2, 0, 1, 2, 0, 1, 2]] * 20
    >>> lm = RNNLanguageModel(embedding_dim=8, hidden_size=16, num_layers=1,
    ...                       early_stopping=False, max_epochs=30,
    ...                       lr=2e-2, random_state=0).fit(X)
    >>> round(lm.perplexity(X), 2) < 1.2
    True
    >>> [s[:6].tolist() for s in lm.sample(2, random_state=0)]
    [[0, 1, 2, 0, 1, 2], [0, 1, 2, 0, 1, 2]]
    """

    _network = "RNNNet"

    #: The embedded corpus's LSTM was still improving after ten epochs
    #: (1,250 steps): 1,750 steps (14 epochs, 7.1 minutes on two cores)
    #: reached held-out perplexity 3.12 against 3.21 (benchmarks/README.md).
    _auto_min_steps: ClassVar[int] = 1750

    _parameter_constraints: ClassVar[dict] = {
        "cell": [StrOptions({"lstm", "gru", "rnn"})],
        "embedding_dim": [Interval(Integral, 1, None, closed="left"), _AUTO],
        "hidden_size": [Interval(Integral, 1, None, closed="left"), _AUTO],
        "num_layers": [Interval(Integral, 1, None, closed="left"), _AUTO],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "window_length": [Interval(Integral, 2, None, closed="left")],
        **_LanguageModel._lm_constraints,
    }

    def __init__(
        self,
        cell="lstm",
        *,
        embedding_dim="auto",
        hidden_size="auto",
        num_layers="auto",
        dropout=0.3,
        window_length=256,
        n_components=5,
        max_epochs="auto",
        batch_size="auto",
        lr=8e-3,
        optimizer="adamw",
        weight_decay=0.1,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=3,
        callbacks=None,
        device="cpu",
        dtype=None,
        n_threads=None,
        verbose=0,
        random_state=None,
    ):
        self.cell = cell
        self.embedding_dim = embedding_dim
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout
        self.window_length = window_length
        self.n_components = n_components
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.device = device
        self.dtype = dtype
        self.n_threads = n_threads
        self.verbose = verbose
        self.random_state = random_state

    #: The sizes ``"auto"`` stands for, by the kind of data fitted.
    _AUTO_SIZES: ClassVar[dict] = {
        "tokens": {"embedding_dim": 128, "hidden_size": 256, "num_layers": 2},
        "frames": {"embedding_dim": 32, "hidden_size": 64, "num_layers": 1},
    }

    def _architecture(self, params):
        sizes = self._AUTO_SIZES[self._kind_of_data]
        return {
            "cell": params["cell"],
            **{
                name: sizes[name] if params[name] == "auto" else params[name]
                for name in ("embedding_dim", "hidden_size", "num_layers")
            },
            "dropout": params["dropout"],
        }

    @staticmethod
    def _window(params):
        window = params["window_length"]
        return window, window // 4

    def _state_bytes_per_row(self):
        p = self._architecture(self._fitted_params)
        return 8 * 4 * p["num_layers"] * p["hidden_size"] + 64


class TransformerLanguageModel(_LanguageModel, BaseEstimator):
    """A Transformer language model: causal self-attention over sequences.

    X is a list of token sequences or of continuous sequences, as for
    :class:`RNNLanguageModel`. Tokens are embedded; ``num_layers``
    pre-norm blocks of causal self-attention (through
    ``torch.nn.functional.scaled_dot_product_attention``) and an MLP mix
    the past in; a softmax predicts the next token, the unknown symbol or
    the end (frames: a mixture of ``n_components`` diagonal Gaussians).
    Fitted with ``y``, a label embedding is added to every input.

    Parameters
    ----------
    d_model : int, default=128
        Width of the embeddings and of every block.
    nhead : int, default=4
        Attention heads; ``d_model / nhead`` must be an even int (rotary
        positions turn pairs of coordinates).
    num_layers : int, default=4
        Stacked blocks.
    dim_feedforward : int, default=512
        Width of each block's MLP.
    dropout : float, default=0.1
        Dropout on the embeddings, the attention weights and each block's
        outputs.
    context_length : int, default=64
        The steps each step attends to in every layer, itself included:
        see Notes.
    n_components : int, default=5
        Gaussians of the output mixture, for continuous sequences.
    {common_parameters}

    {common_attributes}

    See Also
    --------
    RNNLanguageModel : A recurrent network in place of attention.
    skgen.markov.MarkovChain : The n-gram model these are compared with.

    Notes
    -----
    **The window rule.** In every layer, step ``t`` attends to steps
    ``t - context_length + 1`` to ``t`` (a sliding window: the same
    attention mask in scoring, training and generation). Positions are
    rotary (Su et al., 2021): the attention between two steps depends on
    their distance only, never on where the window starts. So generation keeps the last
    ``context_length - 1`` keys and values of every layer (a cache from
    which the oldest step simply drops out) and computes exactly what
    scoring the whole sequence at once computes: the log-probabilities
    used while sampling sum to ``score_samples`` for sequences of any
    length. Through the layers a step still depends on steps further back
    (up to ``num_layers * (context_length - 1)``), as in any sliding-window
    Transformer.

    ``score_samples`` is exact (``likelihood_kind = "exact"``): the sum of
    ``log p(step | steps before it)`` over a whole sequence, its end
    included, computed in float64 on the CPU by default (see ``dtype``);
    long sequences are scored in blocks of ``context_length`` steps, in
    memory that grows linearly with their length. Training reads windows of
    at most ``context_length`` steps, as :class:`RNNLanguageModel` reads its
    windows: there every step sees at least a quarter of the window before
    it (the burn-in) and at most the window, never the steps further back
    that the layers reach in scoring; a step of a long sequence is scored
    with more context than any training step had.

    Examples
    --------
    >>> from skgen.neural import TransformerLanguageModel
    >>> X = [[0, 1, 2, 0, 1, 2, 0, 1, 2]] * 20
    >>> lm = TransformerLanguageModel(d_model=16, nhead=2, num_layers=1,
    ...                               dim_feedforward=32, early_stopping=False,
    ...                               max_epochs=30, lr=1e-2,
    ...                               random_state=0).fit(X)
    >>> round(lm.perplexity(X), 2) < 1.2
    True
    """

    _network = "TransformerNet"

    _parameter_constraints: ClassVar[dict] = {
        "d_model": [Interval(Integral, 2, None, closed="left")],
        "nhead": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "dim_feedforward": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "context_length": [Interval(Integral, 2, None, closed="left")],
        **_LanguageModel._lm_constraints,
    }

    def __init__(
        self,
        *,
        d_model=128,
        nhead=4,
        num_layers=4,
        dim_feedforward=512,
        dropout=0.1,
        context_length=64,
        n_components=5,
        max_epochs="auto",
        batch_size="auto",
        lr=2e-3,
        optimizer="adamw",
        weight_decay=0.1,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=3,
        callbacks=None,
        device="cpu",
        dtype=None,
        n_threads=None,
        verbose=0,
        random_state=None,
    ):
        self.d_model = d_model
        self.nhead = nhead
        self.num_layers = num_layers
        self.dim_feedforward = dim_feedforward
        self.dropout = dropout
        self.context_length = context_length
        self.n_components = n_components
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.callbacks = callbacks
        self.device = device
        self.dtype = dtype
        self.n_threads = n_threads
        self.verbose = verbose
        self.random_state = random_state

    def _check_neural_params(self):
        super()._check_neural_params()
        if self.d_model % self.nhead or (self.d_model // self.nhead) % 2:
            raise ValueError(
                f"d_model / nhead must be an even int (rotary positions turn "
                f"pairs of coordinates); got d_model={self.d_model}, "
                f"nhead={self.nhead}."
            )

    @staticmethod
    def _architecture(params):
        return {
            "d_model": params["d_model"],
            "nhead": params["nhead"],
            "num_layers": params["num_layers"],
            "dim_feedforward": params["dim_feedforward"],
            "dropout": params["dropout"],
            "context_length": params["context_length"],
        }

    @staticmethod
    def _window(params):
        window = params["context_length"]
        return window, window // 4

    def _state_bytes_per_row(self):
        p = self._fitted_params
        return 8 * 2 * p["num_layers"] * p["context_length"] * p["d_model"] + 64


for _cls in (RNNLanguageModel, TransformerLanguageModel):
    _common = _COMMON_DOC.replace(
        "{min_steps}", f"{_cls._auto_min_steps or AUTO_MIN_STEPS:,}"
    ).replace("{lr}", f"{inspect.signature(_cls).parameters['lr'].default:g}")
    _cls.__doc__ = _cls.__doc__.replace(
        "    {common_parameters}\n", _common.lstrip("\n") + "\n"
    ).replace("    {common_attributes}\n", _COMMON_ATTRIBUTES.lstrip("\n"))
del _cls, _common
