"""skgen's training engine: skorch ``NeuralNet`` subclasses with hooks.

Engine decision (issue 11)
--------------------------
Both shapes of neural model train through skorch, and no plain-torch loop is
kept:

- :class:`GenerativeNet` trains a single-loss model. It is a ``NeuralNet``
  that changes only defaults and documented hooks: the criterion is
  :class:`~skgen.neural._layers.WeightedMeanLoss` (the module's
  ``forward`` returns one loss per sample, or per-sample losses and weights
  such as token counts),
  ``iterator_train``/``iterator_valid`` are skgen's batch-at-once
  :class:`~skgen.neural._layers.BatchIterator` (``get_iterator`` stays the
  hook a language model overrides to pad and bucket), ``train_split`` is
  None (the estimator decides how whole samples are held out), and the
  non-finite-loss stop of :mod:`skgen.neural._base` is a default callback.
- :class:`AdversarialNet` trains several networks with one optimizer per
  *player* (GAN: generator and discriminator; adversarial autoencoder;
  CycleGAN: two generators and two discriminators). Its extra modules and
  optimizers are skorch attributes ending in ``_`` created in
  ``initialize_module``/``initialize_optimizer``, so skorch registers them
  (device moves, ``<name>__param`` arguments, ``set_params``), and its
  ``train_step`` alternates the players. skorch's callbacks work on it
  unchanged, because the epoch loop, the history and the notifications are
  skorch's own (all tested in ``tests/neural/test_engine.py``):

  - EarlyStopping on any recorded loss (``monitor="valid_loss_<p>"``).
    skorch's ``load_best=True`` restores ``module_`` alone (skorch documents
    this): the other networks keep their last epoch's weights. skgen's
    :class:`EarlyStopping` (what the estimators' ``early_stopping=True``
    uses) restores every network of the best epoch; with skorch's own, use
    Checkpoint's ``load_best=True`` for that.
  - Checkpoint and LoadInitState save and load an extra network and an
    extra optimizer only when named: ``f_<name>`` for ``<name>_``
    (``f_discriminator="d.pt"``, ``f_optimizer_discriminator="od.pt"``);
    the defaults save ``module_``, ``optimizer_``, the criterion and the
    history. ``net.load_params(checkpoint=cp)`` loads them all into a
    fresh net, and LoadInitState resumes every player's optimizer state.
    skorch reports a file it could not save to the Checkpoint's ``sink``
    only, without raising.
  - LRScheduler acts on ``optimizer_``; ProgressBar and epoch-end callbacks.

  No limitation was found that would need a loop of skgen's own.

The privacy hook
----------------
A :class:`TrainingHook` passed as ``training_hook=`` is the one place where a
wrapper (differential privacy: per-sample gradients, a noisy clipped
optimizer, Poisson sampling) replaces what training runs with. The net asks
it for every network it builds (:meth:`TrainingHook.wrap_module`), for
every optimizer it builds, one per player (:meth:`TrainingHook.wrap_optimizer`),
and for the training loader of every ``fit``/``partial_fit``
(:meth:`TrainingHook.wrap_train_loader`). Optimizers are wrapped once per
initialisation, so ``partial_fit`` never wraps twice; the validation loader
is never wrapped. Families need no code of their own for it.

Engine-neutral pieces
---------------------
:func:`seeded` forks torch's generators and seeds them (every fit trains
inside it: ``NeuralTrainingMixin._train_net``), and
:func:`net_state`/:func:`restore_net_state` persist every named module of a
net as numpy weights plus the history (skops-safe: dicts, lists, str,
floats and arrays only).

This module imports torch and skorch when it is imported; skgen imports it
only inside functions that train, so ``import skgen.neural`` stays cheap.
"""

import contextlib
import copy
from typing import ClassVar

import numpy as np

from skgen.neural._base import _stop_on_non_finite
from skgen.utils._compat import import_engine

torch = import_engine("torch")
NeuralNet = import_engine("skorch", "NeuralNet")
PassthroughScoring = import_engine("skorch.callbacks", "PassthroughScoring")
SkorchEarlyStopping = import_engine("skorch.callbacks", "EarlyStopping")
unpack_data = import_engine("skorch.dataset", "unpack_data")
to_tensor = import_engine("skorch.utils", "to_tensor")
History = import_engine("skorch.history", "History")

from skgen.neural._layers import (  # noqa: E402  (torch loaded above)
    BatchIterator,
    WeightedMeanLoss,
)


class TrainingHook:
    """What training runs with, replaced in one place (privacy wrappers).

    The default methods return what they are given; a wrapper overrides
    those it needs. ``net`` is the skorch net asking, so a hook can read
    ``net.batch_size``, ``net.device`` or ``net.history``.
    """

    def wrap_module(self, name, module, net):
        """The network training uses for ``<name>_`` (``"module"`` first)."""
        return module

    def unwrap_module(self, name, module, net):
        """The network :meth:`wrap_module` was given, from what it returned.

        A hook whose ``wrap_module`` wraps the network (opacus'
        ``GradSampleModule`` holds it as ``_module``) returns the inner
        one here, so persistence and inference see the network's own
        weights, not the wrapper's prefixed keys.
        """
        return module

    def wrap_optimizer(self, name, optimizer, net):
        """The optimizer training uses for ``<name>_`` (``"optimizer"`` first).

        Called once each time the net builds its optimizers; the result
        must offer ``step(closure=None)``, ``zero_grad()``, ``param_groups``
        and ``state_dict()`` (and ``load_state_dict`` for skorch's
        ``load_params``, Checkpoint and LoadInitState to restore it).
        """
        return optimizer

    def wrap_train_loader(self, loader, dataset, net):
        """The iterable of training batches for one ``fit`` or ``partial_fit``."""
        return loader


class GenerativeNet(NeuralNet):
    """A skorch net for generators whose module returns per-sample losses.

    Parameters are skorch's, with skgen's defaults: ``criterion`` is
    :class:`~skgen.neural._layers.WeightedMeanLoss`, the iterators are
    :class:`~skgen.neural._layers.BatchIterator` (shuffled for training),
    ``train_split`` is None and ``verbose`` is 0. ``training_hook`` is a
    :class:`TrainingHook` or None.

    Hooks for families: ``criterion`` (the loss reducer), ``get_iterator``
    (batching), ``training_hook`` (the optimizer and loader replacements),
    ``train_step_single``/``get_loss`` (skorch's, unchanged).

    The training hook wraps the loader this class's ``get_iterator``
    returns, so a family changes batching through ``iterator_train`` and
    its ``iterator_train__<arg>`` arguments (a ``DataLoader`` with a padding
    ``collate_fn``), or overrides ``get_iterator`` building on
    ``super().get_iterator(...)``; an override that builds its own loader
    without it trains without the hook.
    """

    def __init__(
        self,
        module,
        *,
        criterion=WeightedMeanLoss,
        iterator_train=BatchIterator,
        iterator_valid=BatchIterator,
        train_split=None,
        verbose=0,
        training_hook=None,
        **kwargs,
    ):
        if iterator_train is BatchIterator:
            kwargs.setdefault("iterator_train__shuffle", True)
        super().__init__(
            module,
            criterion=criterion,
            iterator_train=iterator_train,
            iterator_valid=iterator_valid,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )
        self.training_hook = training_hook

    def get_default_callbacks(self):
        return [
            *super().get_default_callbacks(),
            ("stop_on_non_finite", _stop_on_non_finite()),
        ]

    # -- the hook, applied where skorch builds each piece ------------------

    def _hook(self):
        return self.training_hook if self.training_hook is not None else TrainingHook()

    def _set_module(self, name, module):
        """Set ``<name>_`` to ``module`` as the training hook wraps it."""
        setattr(self, name + "_", module)  # registers it with skorch
        wrapped = self._hook().wrap_module(name, module, self)
        if wrapped is not module:
            setattr(self, name + "_", wrapped)

    def network(self, name):
        """The network ``<name>_`` as built, without the training hook's wrapper.

        What :func:`net_state` saves, :func:`restore_net_state` loads and
        an estimator's inference copies.
        """
        return self._hook().unwrap_module(name, getattr(self, name + "_"), self)

    def _set_optimizer(self, name, optimizer):
        """Set ``<name>_`` to ``optimizer`` as the training hook wraps it.

        The unwrapped optimizer is set first, so skorch registers the name
        (its ``zero_grad``, virtual ``<name>__lr`` parameters and device
        handling) whatever type the wrapper has.
        """
        setattr(self, name + "_", optimizer)
        wrapped = self._hook().wrap_optimizer(name, optimizer, self)
        if wrapped is not optimizer:
            setattr(self, name + "_", wrapped)

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        self._set_module("module", self.initialized_instance(self.module, kwargs))
        return self

    def initialize_optimizer(self, triggered_directly=None):
        args, kwargs = self.get_params_for_optimizer(
            "optimizer", self.get_all_learnable_params()
        )
        self._set_optimizer("optimizer", self.optimizer(*args, **kwargs))
        return self

    def get_iterator(self, dataset, training=False):
        loader = super().get_iterator(dataset, training=training)
        if training:
            loader = self._hook().wrap_train_loader(loader, dataset, self)
        return loader


class AdversarialNet(GenerativeNet):
    """A skorch net that trains several networks, alternating the players.

    A subclass declares its networks and players and computes their losses:

    - ``extra_modules``: names of the networks besides skorch's ``module``
      (the net takes each as a parameter, ``discriminator=Module``, with
      ``discriminator__width=8`` for its arguments, and holds it as
      ``discriminator_``);
    - ``players``: player name to the names of the networks it trains, in
      the order the players move. The one player that trains ``module``
      uses skorch's ``optimizer_`` (so ``lr`` and LRScheduler apply to it);
      each other player ``p`` gets ``optimizer_<p>_``, of class
      ``optimizer_<p>`` (default: ``optimizer``) with arguments
      ``optimizer_<p>__lr`` (default: ``lr``), ``optimizer_<p>__betas`` and
      so on (``optimizer__betas`` are the module player's only). As in
      skorch, ``set_params(lr=...)`` on an initialised net changes
      ``optimizer_``'s rate alone; ``optimizer_<p>__lr`` changes player
      ``p``'s; a new ``fit`` builds every optimizer again;
    - :meth:`player_losses`: the per-sample losses of one player on a batch
      (or losses and weights), reduced by the criterion.

    ``player_steps`` maps a player to its optimizer steps per batch (default
    1 each); all of a player's steps use the same batch of data.

    The history holds ``train_loss_<p>`` and, with a ``train_split``,
    ``valid_loss_<p>`` per batch and per epoch (averaged over batches,
    weighted by their sizes) for every player; ``train_loss`` and
    ``valid_loss`` are the sums of the players' last losses (finite exactly
    when all of them are, which is what the non-finite-loss stop checks).
    Validation computes the losses under ``torch.no_grad()``.
    """

    extra_modules: ClassVar[tuple] = ()
    players: ClassVar[dict] = {}

    def __init__(self, module, *, player_steps=None, **kwargs):
        super().__init__(module, **kwargs)
        self.player_steps = player_steps

    def player_losses(self, player, X, y=None, *, training):
        """Per-sample losses of ``player`` on a batch ``X`` (a subclass's).

        Parameters
        ----------
        player : str
            A key of ``players``.
        X : torch.Tensor
            The batch, on ``self.device``.
        y : torch.Tensor or None, default=None
            The batch's targets. When ``fit`` got ``y=None`` this is skorch's
            placeholder (``torch.Tensor([0])``), not None.
        training : bool
            Whether this is a training step (False: validation).

        Returns
        -------
        losses : torch.Tensor of shape (n_samples,) or tuple
            Per-sample losses, or ``(losses, weights)``.
        """
        raise NotImplementedError

    def get_default_callbacks(self):
        per_player = []
        for player in self.players:
            per_player += [
                (
                    f"train_loss_{player}",
                    PassthroughScoring(name=f"train_loss_{player}", on_train=True),
                ),
                (
                    f"valid_loss_{player}",
                    PassthroughScoring(name=f"valid_loss_{player}"),
                ),
            ]
        return [*super().get_default_callbacks(), *per_player]

    def _optimizer_name(self, player):
        if "module" in self.players[player]:
            return "optimizer"
        return f"optimizer_{player}"

    def _player_parameters(self, player):
        seen = set()
        for name in self.players[player]:
            for param_name, param in getattr(self, name + "_").named_parameters():
                if param not in seen:
                    seen.add(param)
                    yield f"{name}.{param_name}", param

    def _n_steps(self, player):
        steps = (self.player_steps or {}).get(player, 1)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(
                f"player_steps[{player!r}] must be an int >= 1; got {steps!r}."
            )
        return steps

    def initialize_module(self):
        super().initialize_module()
        for name in self.extra_modules:
            module = getattr(self, name, None)
            if module is None:
                raise ValueError(
                    f"{type(self).__name__} needs the network {name}=; got None."
                )
            kwargs = self.get_params_for(name)
            self._set_module(name, self.initialized_instance(module, kwargs))
        return self

    def initialize_optimizer(self, triggered_directly=None):
        unknown = set(self.player_steps or {}) - set(self.players)
        if unknown:
            raise ValueError(
                f"player_steps names players {sorted(unknown)}, which "
                f"{type(self).__name__} does not have; its players are "
                f"{list(self.players)}."
            )
        owners = [p for p, names in self.players.items() if "module" in names]
        if len(owners) != 1:
            raise ValueError(
                f"Exactly one player of {type(self).__name__} must train "
                f"'module' (it gets optimizer_); got {owners}."
            )
        for player in self.players:
            name = self._optimizer_name(player)
            optimizer = getattr(self, name, None) or self.optimizer
            args, kwargs = self.get_params_for_optimizer(
                name, self._player_parameters(player)
            )
            self._set_optimizer(name, optimizer(*args, **kwargs))
        return self

    def get_player_loss(self, player, X, y=None, *, training):
        """The reduced (scalar) loss of ``player`` on a batch."""
        return self.criterion_(self.player_losses(player, X, y, training=training))

    def _batch(self, batch):
        Xi, yi = unpack_data(batch)
        return to_tensor(Xi, device=self.device), (
            None if yi is None else to_tensor(yi, device=self.device)
        )

    def train_step(self, batch, **fit_params):
        """Each player in turn takes its ``player_steps`` optimizer steps."""
        self._set_training(True)
        X, y = self._batch(batch)
        losses = {}
        for player in self.players:
            optimizer = getattr(self, self._optimizer_name(player) + "_")
            for _ in range(self._n_steps(player)):

                def closure(player=player):
                    # every optimizer: the players' losses reach each other's
                    # networks, and no gradient may leak into the next step
                    self._zero_grad_optimizer()
                    loss = self.get_player_loss(player, X, y, training=True)
                    loss.backward()
                    self.notify(
                        "on_grad_computed",
                        named_parameters=list(self._player_parameters(player)),
                        batch=batch,
                        training=True,
                    )
                    losses[player] = loss.detach()
                    return loss

                optimizer.step(closure)
        return self._record("train", losses)

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        X, y = self._batch(batch)
        with torch.no_grad():
            losses = {
                player: self.get_player_loss(player, X, y, training=False)
                for player in self.players
            }
        return self._record("valid", losses)

    def _record(self, prefix, losses):
        for player, loss in losses.items():
            self.history.record_batch(f"{prefix}_loss_{player}", loss.item())
        total = sum(losses.values(), torch.zeros((), device=self.device))
        return {"loss": total, "y_pred": None}


class EarlyStopping(SkorchEarlyStopping):
    """skorch's ``EarlyStopping`` that restores every network, not ``module_`` only.

    With ``load_best=True`` skorch keeps the best epoch's ``module_``
    weights and loads them when training ends; this subclass keeps and
    loads those of the net's other networks (an :class:`AdversarialNet`'s
    discriminator) at the same epoch as well. Everything else is skorch's.
    """

    def on_train_begin(self, net, **kwargs):
        self.best_networks_ = {}
        return super().on_train_begin(net, **kwargs)

    def on_epoch_end(self, net, **kwargs):
        best = self.best_epoch_
        try:
            super().on_epoch_end(net, **kwargs)
        finally:  # skorch raises KeyboardInterrupt to stop
            if self.load_best and self.best_epoch_ != best:
                self.best_networks_ = {
                    name: copy.deepcopy(getattr(net, name + "_").state_dict())
                    for name in net._modules
                    if name != "module"
                }

    def on_train_end(self, net, **kwargs):
        restore = (
            self.load_best
            and self.best_epoch_ != net.history[-1, "epoch"]
            and self.best_model_weights_ is not None
        )
        super().on_train_end(net, **kwargs)
        if restore:
            for name, state in self.best_networks_.items():
                getattr(net, name + "_").load_state_dict(state)


@contextlib.contextmanager
def seeded(seed, device="cpu"):
    """Fork torch's generators (the CPU's and ``device``'s) and seed them.

    Inside, torch draws the same numbers for the same ``seed``; on exit the
    caller's generators are as they were.
    """
    devices = [torch.device(device)] if torch.device(device).type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def net_state(net):
    """Every named module's weights (numpy arrays) and the history of ``net``.

    Returns
    -------
    state : dict
        ``{"weights": {name: {key: ndarray}}, "history": list of dict}``,
        with ``name`` each of skorch's modules (``"module"`` and the extra
        ones), each without the training hook's wrapper
        (:meth:`GenerativeNet.network`); no optimizer state.
    """
    return {
        "weights": {
            name: {
                key: value.detach().cpu().numpy()
                for key, value in net.network(name).state_dict().items()
            }
            for name in net._modules
        },
        "history": [dict(row) for row in net.history],
    }


def restore_net_state(net, state):
    """Initialise ``net`` and load a :func:`net_state` into it.

    The saved modules, keys and shapes must be those the net builds (an
    estimator checks its saved arguments against the saved shapes before
    it builds the net); the initial weights are drawn in forked generators
    and overwritten.

    Returns
    -------
    net : skorch.NeuralNet
        ``net``, initialised, with the saved weights and history.
    """
    with torch.random.fork_rng(devices=[]):
        net.initialize()
    weights = state["weights"]
    if set(weights) != set(net._modules):
        raise ValueError(
            f"The saved state holds the modules {sorted(weights)}; the net "
            f"has {sorted(net._modules)}."
        )
    for name, saved in weights.items():
        built = net.network(name).state_dict()
        expected = {k: tuple(v.shape) for k, v in built.items()}
        got = {k: tuple(np.shape(v)) for k, v in saved.items()}
        if expected != got:
            raise ValueError(
                f"The saved weights of {name!r} have shapes {got}; the net "
                f"builds {expected}."
            )
    for name, saved in weights.items():
        net.network(name).load_state_dict(
            {k: torch.as_tensor(v) for k, v in saved.items()}
        )
    net.history = History(state["history"])
    return net
