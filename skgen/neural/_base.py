"""Shared machinery of skgen's neural generators: training through skorch.

torch and skorch are imported inside the functions here, never at module
level, so ``import skgen.neural`` stays cheap.
"""

import contextlib
import copy
import functools
import math
import os
import weakref
from itertools import pairwise
from numbers import Integral, Real
from typing import ClassVar

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from skgen.utils._compat import (
    Interval,
    StrOptions,
    import_engine,
    validate_parameter_constraints,
)
from skgen.utils._random import draw_seed
from skgen.utils._resources import check_allocation
from skgen.utils._warnings import warn

#: The activations the shared ``activation`` parameter offers.
ACTIVATIONS = ("sigmoid", "relu", "leaky_relu", "tanh", "elu", "gelu", "silu")

#: The training budget when ``max_epochs="auto"``: enough epochs for at
#: least ``AUTO_MIN_STEPS`` optimiser steps, and at least
#: ``AUTO_MIN_EPOCHS`` epochs (see :func:`training_budget`).
AUTO_MIN_STEPS = 1000
AUTO_MIN_EPOCHS = 10

#: ``batch_size="auto"``: a tenth of the training rows, within these bounds.
AUTO_BATCH_RANGE = (16, 128)

#: The parameters of the families built from MLPs (the VAE, the GANs), with
#: their constraints; families of other networks (language models) do not
#: take them.
MLP_PARAMETER_CONSTRAINTS: dict = {
    "hidden_layer_sizes": [tuple, list],
    "activation": [StrOptions(set(ACTIVATIONS))],
}

#: The parameters every neural estimator takes (training, budget, early
#: stopping, device, threads, randomness), with their constraints.
NEURAL_PARAMETER_CONSTRAINTS: dict = {
    "max_epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "lr": [Interval(Real, 0, None, closed="neither")],
    "optimizer": [StrOptions({"adam", "adamw", "sgd", "rmsprop"})],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "callbacks": [list, None],
    "device": [str],
    "dtype": [StrOptions({"float32", "float64"}), None],
    "n_threads": [Interval(Integral, 1, None, closed="left"), None],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}


#: The inference copy of each fitted net's module, keyed by the net (see
#: :meth:`NeuralTrainingMixin._eval_module`): outside the estimator, so
#: scoring leaves its ``__dict__`` and its pickles as they were.
_EVAL_MODULES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def training_budget(max_epochs, batch_size, n_rows, min_steps=None, batch_range=None):
    """The epochs and the batch size one fit trains with.

    One policy for every neural family. ``n_rows`` is the number of rows
    trained on (after a validation split). An int is used as given.
    ``batch_size="auto"`` is a tenth of the rows, clipped to
    :data:`AUTO_BATCH_RANGE` (16 to 128) and to ``n_rows``: a 150-row table
    gets batches of 16, ten optimiser steps an epoch. ``max_epochs="auto"``
    trains for at least :data:`AUTO_MIN_STEPS` optimiser steps and at least
    :data:`AUTO_MIN_EPOCHS` epochs (100 epochs of ten steps on that table,
    67 of 15 steps on 1,797 rows, ten epochs on 12,800 rows or more). On a
    busy two-core machine that is about 2 to 4 seconds for a 150-row table
    and the VAE's default network; before this policy, 100 epochs of one
    128-row batch gave that table a barely trained model. With early stopping
    (:func:`early_stopping`), ``max_epochs`` is the most it trains for.
    ``min_steps`` replaces :data:`AUTO_MIN_STEPS` for a family that needs
    more steps (its ``_auto_min_steps``; None: the shared value), and
    ``batch_range`` replaces :data:`AUTO_BATCH_RANGE` for a family whose
    rows are larger (its ``_auto_batch_range``: a language model's rows are
    windows of hundreds of tokens).

    Returns
    -------
    max_epochs, batch_size : int
    """
    if batch_size == "auto":
        low, high = AUTO_BATCH_RANGE if batch_range is None else batch_range
        batch_size = max(1, min(n_rows, high, max(low, n_rows // 10)))
    if max_epochs == "auto":
        steps_per_epoch = max(1, math.ceil(n_rows / batch_size))
        min_steps = AUTO_MIN_STEPS if min_steps is None else min_steps
        max_epochs = max(AUTO_MIN_EPOCHS, math.ceil(min_steps / steps_per_epoch))
    return max_epochs, batch_size


#: The fewest optimiser steps early stopping waits for an improvement:
#: ``n_iter_no_change`` epochs, and at least this many steps (see
#: :func:`early_stopping`).
MIN_PATIENCE_STEPS = 30


def early_stopping(params, seed, monitor="valid_loss", steps_per_epoch=None):
    """The validation split and the callback of early stopping, for every family.

    With ``early_stopping=True`` a fit holds out ``validation_fraction`` of
    its *samples* (skorch's ``ValidSplit``, seeded by ``seed``): whole
    samples, as cross-validation splits them (rows of a table, whole
    sequences of a sequence model, never tokens or time steps), so the
    validation loss is that of unseen samples. Each epoch records
    ``valid_loss``; training stops when the ``monitor`` (``valid_loss``, or
    a family's own ``_early_stopping_monitor``) has not improved for
    ``n_iter_no_change`` epochs (the patience; on data so small that an
    epoch is a few optimiser steps, at least :data:`MIN_PATIENCE_STEPS`
    steps' worth of epochs: a 16-window training set in one batch would
    otherwise stop after three steps, on the noise of two validation
    windows), and the weights of the best epoch are restored, of every
    network of the net (:class:`~skgen.neural._engine.EarlyStopping`,
    skorch's with the extra networks restored too).
    ``max_epochs`` (:func:`training_budget`, counted on the rows left to
    train on) is then the most it trains for; a fit that runs all of them
    warns (``NeuralTrainingMixin._warn_if_not_stopped``).

    Parameters
    ----------
    params : dict
        The estimator's parameters (``early_stopping``,
        ``validation_fraction``, ``n_iter_no_change``).
    seed : int
        Seeds the split.
    monitor : str, default="valid_loss"
        The history key watched (lower is better).
    steps_per_epoch : int, default=None
        Optimiser steps of an epoch, for the patience's floor (None: no
        floor).

    Returns
    -------
    train_split : skorch ValidSplit or None
    callbacks : list of (name, callback)
        ``[("early_stopping", EarlyStopping(...))]`` (skgen's, which
        restores every network), or ``[]`` without
        early stopping.
    """
    if not params["early_stopping"]:
        return None, []
    ValidSplit = import_engine("skorch.dataset", "ValidSplit")

    from skgen.neural._engine import EarlyStopping

    patience = params["n_iter_no_change"]
    if steps_per_epoch is not None:
        patience = max(patience, math.ceil(MIN_PATIENCE_STEPS / steps_per_epoch))
    stop = EarlyStopping(monitor=monitor, patience=patience, load_best=True)
    split = ValidSplit(params["validation_fraction"], random_state=seed)
    return split, [("early_stopping", stop)]


def inference_dtype(device, dtype=None):
    """The torch dtype and device a fitted model scores and samples with.

    One rule for every neural model. Training runs in float32. A model
    trained on the CPU infers in float64 on the CPU (exact enough for
    likelihoods of any size); one trained on an accelerator (CUDA) stays on
    that device in the training dtype, float32. ``dtype`` (the fitted
    parameter: ``"float32"`` or ``"float64"``) overrides the dtype, never
    the device. A loaded model is on the CPU.

    Parameters
    ----------
    device : str or torch.device
        The device the net trained on (``net_.device``).
    dtype : {"float32", "float64"} or None, default=None

    Returns
    -------
    dtype : torch.dtype
    device : torch.device
    """
    torch = import_engine("torch")

    device = torch.device(device)
    if dtype is None:
        dtype = "float64" if device.type == "cpu" else "float32"
    return getattr(torch, dtype), device


def module_tensor(module, array):
    """``array`` as a tensor in ``module``'s dtype and on its device."""
    torch = import_engine("torch")

    weight = next(module.parameters())
    return torch.as_tensor(array, dtype=weight.dtype, device=weight.device)


def to_numpy(tensor):
    """A tensor's values as a float64 numpy array (on the CPU)."""
    return tensor.detach().cpu().numpy().astype(np.float64, copy=False)


def available_cores():
    """The CPU cores this process may run on."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_n_threads(cores=None):
    """torch's intra-op threads for ``n_threads=None``.

    One thread on a machine with fewer than four cores, else half the cores
    and at most four: small networks gain little from more threads, and a
    machine shared with cross-validation workers or other processes slows
    down sharply when oversubscribed (five VAE epochs on a busy two-core
    machine took 1.2 s with one thread and 10-19 s with two).
    """
    cores = available_cores() if cores is None else cores
    return 1 if cores < 4 else min(4, cores // 2)


@contextlib.contextmanager
def torch_threads(n_threads):
    """Run the block with torch's intra-op thread count set to ``n_threads``.

    ``None`` is :func:`default_n_threads`. The caller's setting is restored
    afterwards, also when the block raises.
    """
    torch = import_engine("torch")

    before = torch.get_num_threads()
    n = default_n_threads() if n_threads is None else n_threads
    if n != before:
        torch.set_num_threads(n)
    try:
        yield n
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def uses_torch_threads(method=None, *, training=False):
    """Decorate a method to run inside :func:`torch_threads`.

    ``training=True`` (for ``fit``) reads the live ``n_threads``; other
    methods read the fitted one, and an unfitted model runs the method as
    it is (it raises ``NotFittedError`` without loading torch).
    """
    if method is None:
        return functools.partial(uses_torch_threads, training=training)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if training:
            n_threads = self.n_threads
        elif hasattr(self, "_fitted_params"):
            n_threads = self._fitted_params.get("n_threads")
        else:
            return method(self, *args, **kwargs)
        with torch_threads(n_threads):
            return method(self, *args, **kwargs)

    return wrapper


def _optimizer(name):
    torch = import_engine("torch")

    return {
        "adam": torch.optim.Adam,
        "adamw": torch.optim.AdamW,
        "sgd": torch.optim.SGD,
        "rmsprop": torch.optim.RMSprop,
    }[name]


def mlp_state_shapes(n_in, hidden, n_out, prefix=""):
    """The ``state_dict`` shapes of :func:`skgen.neural._layers.mlp`, by arithmetic.

    Keys are ``<prefix><2i>.weight`` and ``<prefix><2i>.bias`` for layer
    ``i`` (an activation module sits between linear layers), so a module
    class's ``state_shapes`` is built from these without allocating.
    """
    shapes = {}
    for i, (a, b) in enumerate(pairwise([n_in, *hidden, n_out])):
        shapes[f"{prefix}{2 * i}.weight"] = (b, a)
        shapes[f"{prefix}{2 * i}.bias"] = (b,)
    return shapes


def check_network_size(n_parameters, what):
    """Refuse a network whose training state cannot fit in memory.

    Training keeps float32 weights, gradients and two Adam moments (16 bytes
    a parameter) and scoring a float64 copy (8 more).
    """
    check_allocation(24 * n_parameters, f"{what} with {n_parameters:,} parameters")


def positive_ints(values):
    """Whether ``values`` holds only ints >= 1 (layer sizes; no booleans)."""
    return all(
        isinstance(n, Integral) and not isinstance(n, bool) and n >= 1 for n in values
    )


def check_hidden_layer_sizes(sizes, what="hidden_layer_sizes"):
    """Refuse layer sizes that are not positive ints."""
    if not positive_ints(sizes):
        raise ValueError(
            f"{what} must hold positive ints (one per hidden layer); got {sizes!r}."
        )


class NonFiniteLossError(ValueError):
    """Training produced a NaN or infinite loss."""


def _stop_on_non_finite():
    Callback = import_engine("skorch.callbacks", "Callback")

    class StopOnNonFiniteLoss(Callback):
        """Stop training with a clear error when a batch loss is not finite."""

        def on_batch_end(self, net, batch=None, training=None, **kwargs):
            loss = kwargs.get("loss")
            if loss is not None and not np.isfinite(value := loss.item()):
                epoch = len(net.history)
                raise NonFiniteLossError(
                    f"Training diverged: the loss became {value} in epoch "
                    f"{epoch}. Lower lr, standardise the data or use a smaller "
                    "model."
                )

    return StopOnNonFiniteLoss()


class NeuralTrainingMixin:
    """Builds, trains, persists and infers with a skorch net of named networks.

    The estimator provides the neural parameters of
    :data:`NEURAL_PARAMETER_CONSTRAINTS` and ``_module_arguments()``, which
    returns ``{network_name: (module_class, kwargs)}``, computed from fitted
    state only (``_fitted_params``, the table layout, ``classes_``):
    ``"module"`` is skorch's main network (the only one of a single-loss
    generator, whose ``forward`` returns one loss per sample); the others
    are the extra networks of an :class:`~skgen.neural._engine.AdversarialNet`.
    Each module class offers a static ``state_shapes(**kwargs)``: the shape
    of every ``state_dict`` entry those arguments build, by arithmetic only.
    From these the mixin builds the net (:meth:`_make_net`) and checks a
    loaded model before building anything (:meth:`_check_saved_state`).
    Inference uses :meth:`_eval_module`, whose dtype and device follow
    :func:`inference_dtype`.
    """

    _neural_constraints: ClassVar[dict] = NEURAL_PARAMETER_CONSTRAINTS

    #: The fewest optimiser steps of ``max_epochs="auto"``; None is the
    #: shared :data:`AUTO_MIN_STEPS`. A family whose training needs more
    #: (a GAN at a small learning rate) sets its own.
    _auto_min_steps: ClassVar[int | None] = None

    #: The bounds of ``batch_size="auto"``; None is the shared
    #: :data:`AUTO_BATCH_RANGE`.
    _auto_batch_range: ClassVar[tuple | None] = None

    #: The history key early stopping watches (:func:`early_stopping`).
    _early_stopping_monitor: ClassVar[str] = "valid_loss"

    def _seed(self):
        return draw_seed(self.random_state)

    @property
    def module_(self):
        """The trained torch module (``net_.module_``, without a hook's wrapper)."""
        check_is_fitted(self, "net_")
        return self.net_.network("module")

    def _net_class(self):
        """The skorch net class; a family with several networks returns its own."""
        from skgen.neural._engine import GenerativeNet

        return GenerativeNet

    def _make_net(self, seed, budget, device=None, steps_per_epoch=None):
        """An uninitialised net of the networks of ``_module_arguments()``.

        It is built from the fitted parameters (``_fitted_params``);
        ``budget`` is ``(max_epochs, batch_size)`` as ints
        (:func:`training_budget`). Each network ``name`` is passed as
        skorch's ``name=module_class`` with ``name__<key>=value`` arguments,
        so skorch builds it when the net is initialised. The net's defaults
        provide the criterion (a mean of the per-sample losses), the batch
        iterators and the non-finite-loss stop; early stopping follows
        :func:`early_stopping`; the optimizers' arguments come from
        :meth:`_net_kwargs`; a private ``_training_hook`` attribute (a
        :class:`~skgen.neural._engine.TrainingHook`), when set, reaches the
        net's ``training_hook``.
        """
        ProgressBar = import_engine("skorch.callbacks", "ProgressBar")

        params = self._fitted_params
        networks = {}
        for name, (module_class, kwargs) in self._module_arguments().items():
            networks[name] = module_class
            networks.update({f"{name}__{k}": v for k, v in kwargs.items()})
        train_split, callbacks = early_stopping(
            params, seed, self._early_stopping_monitor, steps_per_epoch
        )
        callbacks += self._family_callbacks()
        if params["verbose"]:
            callbacks.append(("progress_bar", ProgressBar()))
        # copies: skorch sets fitted state on its callbacks, and the user's
        # objects (parameters of this estimator) must stay as given
        for i, cb in enumerate(copy.deepcopy(params["callbacks"]) or []):
            callbacks.append(cb if isinstance(cb, tuple) else (f"user_{i}", cb))
        return self._net_class()(
            **networks,
            **self._net_kwargs(params),
            max_epochs=budget[0],
            batch_size=budget[1],
            train_split=train_split,
            callbacks=callbacks,
            device=params["device"] if device is None else device,
            verbose=int(params["verbose"]),
            training_hook=getattr(self, "_training_hook", None),
        )

    def _net_kwargs(self, params):
        """The net's optimizer arguments, from the fitted ``params``.

        The shared ``optimizer``, ``lr`` and ``weight_decay`` for skorch's
        ``optimizer_``. A family with several networks returns its players'
        as well (``optimizer_<player>__lr=params["discriminator_lr"]``,
        ``optimizer__betas``, ``player_steps``; see
        :class:`~skgen.neural._engine.AdversarialNet`); what it returns is
        passed to the net class as keyword arguments.
        """
        return {
            "optimizer": _optimizer(params["optimizer"]),
            "optimizer__weight_decay": params["weight_decay"],
            "lr": params["lr"],
        }

    def _train_net(self, X, seed):
        """Fit a net of the estimator's networks on ``X``.

        The parameters are recorded as ``_fitted_params`` first, so that
        ``_module_arguments()`` reads the parameters this fit trains with
        (``fit_atomically`` records the same at the end, and restores the
        earlier ones if the fit fails). Randomness is local: torch's
        generators are forked and seeded
        (:func:`~skgen.neural._engine.seeded`) while the networks are built
        and trained, so the same ``random_state`` gives the same model and
        the caller's torch state is left as it was. The epochs and batch
        size follow :func:`training_budget` on the rows trained on (those
        left after a validation split).
        """
        from skgen.neural._engine import seeded

        self._check_neural_params()
        self._fitted_params = self.get_params(deep=False)
        self._check_network_sizes()
        n_rows = self._n_training_rows(X)
        budget = training_budget(
            self.max_epochs,
            self.batch_size,
            n_rows,
            self._auto_min_steps,
            self._auto_batch_range,
        )
        steps_per_epoch = math.ceil(n_rows / budget[1])
        with seeded(seed, self.device):
            net = self._make_net(seed, budget, steps_per_epoch=steps_per_epoch)
            net.fit(X, None)
        return net

    def _n_training_rows(self, X):
        """The rows an epoch trains on (what the budget counts).

        The samples of ``X`` (an array, or a dict of arrays) left after the
        validation split. A family whose epoch is not one row per sample (a
        language model's windows of its sequences) counts its own.
        """
        n_rows = len(next(iter(X.values())) if isinstance(X, dict) else X)
        if self.early_stopping:
            n_rows -= math.ceil(self.validation_fraction * n_rows)
        return n_rows

    def _family_callbacks(self):
        """Callbacks every net of the family trains with (``[(name, cb)]``).

        Before the user's ``callbacks``; none by default (language models
        clip their gradients).
        """
        return []

    def _check_network_sizes(self):
        """Refuse networks whose training state cannot fit in memory.

        Counted from every network's ``state_shapes`` (arithmetic), before
        anything is built.
        """
        n_parameters = sum(
            math.prod(shape)
            for module_class, kwargs in self._module_arguments().values()
            for shape in module_class.state_shapes(**kwargs).values()
        )
        sizes = ", ".join(
            f"{name}={value!r}"
            for name, value in self._fitted_params.items()
            if name.endswith("hidden_layer_sizes")
        )
        check_network_size(n_parameters, f"a {type(self).__name__} ({sizes})")

    def _check_validation_rows(self, n_rows):
        """With early stopping, enough rows for a validation and a training set.

        skorch's ``ValidSplit`` holds out ``ceil(validation_fraction *
        n_rows)`` rows, as sklearn's ``ShuffleSplit`` does, and at least one
        row must be left to train on.
        """
        if not self.early_stopping:
            return
        fraction = self.validation_fraction

        def n_train(n):
            return n - math.ceil(fraction * n)

        if n_train(n_rows) >= 1:
            return
        needed = max(2, int(1 / (1 - fraction)))
        while n_train(needed) < 1:
            needed += 1
        raise ValueError(
            f"early_stopping=True holds out validation_fraction={fraction} of "
            f"the rows to validate on and needs at least {needed} rows, so "
            f"that one is left to train on; got n_samples={n_rows}. Give more "
            "rows or set early_stopping=False."
        )

    def _check_neural_params(self):
        """Checks the parameter constraints cannot express."""
        torch = import_engine("torch")

        self._check_layer_sizes(self.get_params(deep=False))
        try:
            device = torch.device(self.device)
        except RuntimeError as exc:
            raise ValueError(
                f"device={self.device!r} is not a torch device: {exc}"
            ) from None
        if device.type == "meta":
            raise ValueError(
                f"device={self.device!r} holds no data (torch's meta device "
                'records shapes only); use device="cpu" or "cuda".'
            )
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(
                f"device={self.device!r} was asked for, but torch sees no CUDA "
                'device here; use device="cpu".'
            )

    @staticmethod
    def _check_layer_sizes(params, prefix=""):
        """Every ``*hidden_layer_sizes`` parameter holds positive ints.

        The shared name and its per-network spellings
        (``generator_hidden_layer_sizes``, docs/DESIGN.md section 7) alike.
        """
        for name, sizes in params.items():
            if name.endswith("hidden_layer_sizes"):
                check_hidden_layer_sizes(sizes, prefix + name)

    def _warn_if_not_stopped(self):
        """ConvergenceWarning when early stopping never triggered."""
        max_epochs = self.net_.max_epochs
        if self.early_stopping and len(self.net_.history) >= max_epochs:
            warn(
                f"Training ran all max_epochs={max_epochs} epochs and the "
                "validation loss was still improving; increase max_epochs.",
                ConvergenceWarning,
            )

    def _eval_module(self):
        """The inference copy of the trained module, in eval mode.

        Its dtype and device follow :func:`inference_dtype` (float64 on the
        CPU by default). Built once per fitted net and cached beside it,
        never in the estimator (its ``__dict__``, pickles and skops files
        stay as they were): a refit or a loaded model has a new ``net_``,
        and the copy is rebuilt for it; it goes when the net does.
        Inference must not modify it.
        """
        module = _EVAL_MODULES.get(self.net_)
        if module is None:
            module = _EVAL_MODULES[self.net_] = self._make_eval_module()
        return module

    def _make_eval_module(self):
        """A new inference copy of the trained module, in eval mode."""
        dtype, device = inference_dtype(self.net_.device, self._fitted_params["dtype"])
        module = self.net_.network("module")
        return copy.deepcopy(module).to(device=device, dtype=dtype).eval()

    # Persistence: torch tensors are neither skops-safe nor device-neutral,
    # so the net is stored as the weights of every network (numpy arrays),
    # the training history (the engine's net_state) and the budget. Loading
    # checks the fitted state against the saved weights, then rebuilds an
    # initialised net on the CPU (restore_net_state): an edited file gets a
    # clear error, never a large allocation first. No optimizer state.

    def __getstate__(self):
        state = dict(super().__getstate__())
        net = state.pop("net_", None)
        if net is not None:
            from skgen.neural._engine import net_state

            state["_net_state"] = {
                "budget": (int(net.max_epochs), int(net.batch_size)),
                **net_state(net),
            }
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_net_state", None)
        super().__setstate__(state)
        if saved is not None:
            self._check_saved_state(saved["weights"])
            budget = self._saved_budget(saved)

            from skgen.neural._engine import restore_net_state

            self.net_ = restore_net_state(self._make_net(0, budget, "cpu"), saved)

    @staticmethod
    def _saved_budget(saved):
        """The saved ``(max_epochs, batch_size)`` the net trained with."""
        budget = saved.get("budget")
        if not (
            isinstance(budget, tuple) and len(budget) == 2 and positive_ints(budget)
        ):
            raise ValueError(
                "The saved training budget must be two positive ints "
                f"(max_epochs, batch_size); got {budget!r}."
            )
        return budget

    def _check_saved_state(self, weights):
        """A loaded state is consistent; runs before anything is built from it.

        The fitted parameters meet their constraints (and the hidden sizes
        are positive ints), a tabular model's table state is consistent
        with its encoder (:meth:`~skgen.tabular._mixin.TabularModelMixin.
        _check_table_state`), and every network's
        ``state_shapes(**kwargs)`` equals the shapes of its saved weights:
        arithmetic on the saved arguments, so an edited file asking for a
        huge network fails here, without allocating it.
        """
        from skgen.tabular._mixin import TabularModelMixin

        params = self._fitted_params
        validate_parameter_constraints(
            self._parameter_constraints, params, caller_name=type(self).__name__
        )
        self._check_layer_sizes(params, "The saved ")
        if isinstance(self, TabularModelMixin):
            self._check_table_state()
        arguments = self._module_arguments()
        if not isinstance(weights, dict) or set(weights) != set(arguments):
            raise ValueError(
                f"The saved {type(self).__name__} must hold the weights of the "
                f"networks {sorted(arguments)}; got "
                f"{sorted(weights) if isinstance(weights, dict) else weights!r}."
            )
        for name, (module_class, kwargs) in arguments.items():
            expected = module_class.state_shapes(**kwargs)
            got = {k: tuple(np.shape(v)) for k, v in weights[name].items()}
            if got != expected:
                wrong = sorted(
                    k
                    for k in expected.keys() | got.keys()
                    if got.get(k) != expected.get(k)
                )[:5]
                raise ValueError(
                    f"The saved weights of the {type(self).__name__}'s network "
                    f"{name!r} do not match its fitted state: for {wrong} "
                    f"expected shapes {[expected.get(k) for k in wrong]}, got "
                    f"{[got.get(k) for k in wrong]}."
                )


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(x):
    """The SplitMix64 finaliser, elementwise on a uint64 array."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def row_seeded_normal(X, n_draws, start=0, stop=None):
    """Standard-normal draws that are a fixed function of each row of ``X``.

    Row ``i`` gets ``n_draws`` numbers that depend only on the bytes of
    ``X[i]``: a score computed with them is deterministic, does not depend on
    the other rows of the batch, and, unlike one draw shared by every row,
    its Monte Carlo error is independent from row to row, so averages over
    rows converge. A SplitMix64 hash of the row seeds a counter-based
    SplitMix64 stream, mapped to normals by Box-Muller (draw ``j`` and draw
    ``j + ceil(n_draws / 2)`` are the cosine and sine of one pair); all
    vectorised.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_columns), float64
    n_draws : int
        Length of each row's stream.
    start, stop : int, default=0 and ``n_draws``
        Compute only draws ``start`` to ``stop - 1`` of the stream: the same
        values as ``row_seeded_normal(X, n_draws)[:, start:stop]``, so a
        long stream can be used in chunks of bounded memory.

    Returns
    -------
    eps : ndarray of shape (n_rows, stop - start)
    """
    stop = n_draws if stop is None else stop
    X = np.ascontiguousarray(X, dtype=np.float64) + 0.0  # -0.0 hashes as 0.0
    h = np.zeros(X.shape[0], dtype=np.uint64)
    for column in X.view(np.uint64).T:
        h = _splitmix64(h ^ column)
    n_pairs = (n_draws + 1) // 2
    draw = np.arange(start, stop, dtype=np.int64)
    sine = draw >= n_pairs
    pair = (draw - n_pairs * sine).astype(np.uint64)
    with np.errstate(over="ignore"):
        # counter 1 + pair draws the radius, counter 1 + n_pairs + pair the angle
        counters = (np.uint64(1) + pair) * _GOLDEN
        radius_bits = _splitmix64(h[:, None] + counters)
        angle_bits = _splitmix64(h[:, None] + (counters + np.uint64(n_pairs) * _GOLDEN))
    radius = np.sqrt(-2.0 * np.log(_unit_interval(radius_bits)))
    angle = 2.0 * np.pi * _unit_interval(angle_bits)
    return radius * np.where(sine, np.sin(angle), np.cos(angle))


def _unit_interval(bits):
    """uint64 bits to floats in (0, 1], 53 bits each."""
    return ((bits >> np.uint64(11)) + np.uint64(1)) * 2.0**-53
