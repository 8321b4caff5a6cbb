"""The training engine: a single-loss net and a two-player net on skorch."""

import math
import pickle
from typing import ClassVar

import numpy as np
import pytest
import torch
from skorch.callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    LoadInitState,
    LRScheduler,
    ProgressBar,
)
from skorch.dataset import ValidSplit

from skgen.neural._base import NonFiniteLossError
from skgen.neural._engine import (
    AdversarialNet,
    GenerativeNet,
    TrainingHook,
    WeightedMeanLoss,
    net_state,
    restore_net_state,
    seeded,
)
from skgen.neural._engine import (
    EarlyStopping as SkgenEarlyStopping,
)

nn = torch.nn


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def data():
    """Rows of N(3, 1), float32, one column."""
    return np.random.RandomState(0).normal(3.0, 1.0, size=(64, 1)).astype(np.float32)


# -- a single-loss model ------------------------------------------------------


class Gaussian(nn.Module):
    """N(mu, sigma^2) per column; forward: each row's negative log-likelihood."""

    def __init__(self, n_features=1):
        super().__init__()
        self.mu = nn.Parameter(torch.zeros(n_features))
        self.log_sigma = nn.Parameter(torch.zeros(n_features))

    def forward(self, x):
        z = (x - self.mu) * torch.exp(-self.log_sigma)
        return (0.5 * z**2 + self.log_sigma + 0.5 * math.log(2 * math.pi)).sum(-1)


def gaussian_net(module=Gaussian, **params):
    defaults = {
        "optimizer": torch.optim.Adam,
        "lr": 0.2,
        "max_epochs": 30,
        "batch_size": 16,
    }
    return GenerativeNet(module, **{**defaults, **params})


def test_single_loss_model_trains_and_its_loss_falls(data):
    with seeded(0):
        net = gaussian_net().fit(data, None)
    losses = net.history[:, "train_loss"]
    assert losses[-1] < losses[0] - 0.5
    assert net.history[:, "train_batch_count"] == [4] * 30  # batches of 16 rows
    assert abs(net.module_.mu.item() - data.mean()) < 0.3


def test_loss_reducer_weights_per_sample_losses():
    losses = torch.tensor([1.0, 2.0, 4.0])
    reduce = WeightedMeanLoss()
    assert reduce(losses).item() == pytest.approx(7 / 3)
    # token-weighted: mean loss per token of each sequence, times its tokens
    assert reduce((losses, torch.tensor([1, 3, 0]))).item() == pytest.approx(7 / 4)


class TokenGaussian(Gaussian):
    """Each row's loss per "token" and its token count, as a language model's."""

    def forward(self, x, n_tokens):
        return super().forward(x), n_tokens


def test_single_loss_net_reduces_by_the_modules_weights(data):
    n_tokens = np.arange(len(data), dtype=np.float32) % 5
    net = gaussian_net(TokenGaussian, lr=0.0, max_epochs=1, batch_size=-1)
    with seeded(0):
        net.fit({"x": data, "n_tokens": n_tokens}, None)
    losses = Gaussian()(torch.as_tensor(data)).detach().numpy()
    expected = (n_tokens * losses).sum() / n_tokens.sum()
    assert net.history[0, "batches", 0, "train_loss"] == pytest.approx(expected)
    assert not expected == pytest.approx(losses.mean())


class PaddingNet(GenerativeNet):
    """A language model's override: pads each batch of the loader it gets."""

    def get_iterator(self, dataset, training=False):
        loader = super().get_iterator(dataset, training=training)
        return [(nn.functional.pad(torch.as_tensor(X), (0, 1)), y) for X, y in loader]


class PaddedGaussian(Gaussian):
    def forward(self, x):
        assert torch.all(x[:, -1] == 0)  # the padding column
        return super().forward(x[:, :-1])


def test_an_overridden_get_iterator_still_gets_the_hooks_loader(data):
    hook = CountingHook()
    net = PaddingNet(
        PaddedGaussian, max_epochs=2, batch_size=16, lr=0.1, training_hook=hook
    )
    with seeded(0):
        net.fit(data, None)
    [loader] = hook.loaders
    assert loader.n_batches == 4  # wrapped once, the padding drew from it once
    assert net.history[:, "train_batch_count"] == [4, 4]


def pad_rows(rows):
    X = torch.stack([torch.as_tensor(x) for x, _ in rows])
    return nn.functional.pad(X, (0, 1)), torch.zeros(len(X))


def test_a_dataloader_with_a_collate_fn_gets_the_hooks_loader(data):
    hook = CountingHook()
    net = gaussian_net(
        PaddedGaussian,
        max_epochs=2,
        iterator_train=torch.utils.data.DataLoader,
        iterator_train__collate_fn=pad_rows,
        training_hook=hook,
    )
    with seeded(0):
        net.fit(data, None)
    assert hook.loaders[0].n_batches == 2 * 4


# -- a two-player model: a 1-D GAN on N(3, 1) ---------------------------------


class Generator(nn.Module):
    def __init__(self, latent_dim=1):
        super().__init__()
        self.latent_dim = latent_dim
        self.net = nn.Linear(latent_dim, 1)

    def forward(self, n):
        return self.net(torch.randn(n, self.latent_dim))


class Discriminator(nn.Module):
    def __init__(self, width=8):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, width), nn.Tanh(), nn.Linear(width, 1))

    def forward(self, x):
        return self.net(x)[:, 0]


class TinyGAN(AdversarialNet):
    """The non-saturating GAN losses, per sample."""

    extra_modules: ClassVar[tuple] = ("discriminator",)
    players: ClassVar[dict] = {
        "discriminator": ("discriminator",),
        "generator": ("module",),
    }

    def player_losses(self, player, X, y=None, *, training):
        bce = nn.functional.binary_cross_entropy_with_logits
        fake = self.module_(len(X))
        if player == "discriminator":
            real_logits = self.discriminator_(X)
            fake_logits = self.discriminator_(fake.detach())
            return bce(
                real_logits, torch.ones_like(real_logits), reduction="none"
            ) + bce(fake_logits, torch.zeros_like(fake_logits), reduction="none")
        fake_logits = self.discriminator_(fake)
        return bce(fake_logits, torch.ones_like(fake_logits), reduction="none")


def gan(cls=TinyGAN, **params):
    defaults = {
        "discriminator": Discriminator,
        "optimizer": torch.optim.Adam,
        "lr": 0.05,
        "max_epochs": 3,
        "batch_size": 16,
    }
    return cls(Generator, **{**defaults, **params})


def weights(net):
    return {
        f"{name}.{k}": v.detach().clone()
        for name in ("module", "discriminator")
        for k, v in getattr(net, name + "_").state_dict().items()
    }


@pytest.fixture(scope="module")
def fitted_gan(data):
    with seeded(0):
        return gan(player_steps={"discriminator": 2}).fit(data, None)


def test_two_player_net_registers_its_networks_and_optimizers(fitted_gan):
    assert fitted_gan._modules == ["module", "discriminator"]
    assert set(fitted_gan._optimizers) == {"optimizer", "optimizer_discriminator"}
    d_params = set(fitted_gan.discriminator_.parameters())
    g_params = set(fitted_gan.module_.parameters())
    [d_group] = fitted_gan.optimizer_discriminator_.param_groups
    [g_group] = fitted_gan.optimizer_.param_groups
    assert set(d_group["params"]) == d_params
    assert set(g_group["params"]) == g_params


def test_both_losses_are_in_the_history_per_epoch_and_per_batch(fitted_gan):
    history = fitted_gan.history
    assert len(history) == 3
    for player in ("discriminator", "generator"):
        epoch = history[:, f"train_loss_{player}"]
        assert len(epoch) == 3 and np.all(np.isfinite(epoch))
        batches = history[-1, "batches", :, f"train_loss_{player}"]
        assert len(batches) == 4
        assert epoch[-1] == pytest.approx(np.mean(batches))
    total = [
        row["train_loss_discriminator"] + row["train_loss_generator"]
        for row in history[-1, "batches"]
    ]
    assert history[-1, "batches", :, "train_loss"] == pytest.approx(total)


def test_generator_moves_towards_the_data(data):
    with seeded(0):
        net = gan(max_epochs=40).fit(data, None)
    with torch.no_grad():
        before = Generator()
        sample = net.module_(2000)
    assert abs(sample.mean().item() - 3.0) < 1.0
    assert abs(before.net.bias.item()) < 1.5  # it started near 0


def test_same_seed_same_weights_and_caller_generator_untouched(data, fitted_gan):
    state = torch.get_rng_state()
    with seeded(0):
        again = gan(player_steps={"discriminator": 2}).fit(data, None)
    assert torch.equal(torch.get_rng_state(), state)
    first, second = weights(fitted_gan), weights(again)
    assert all(torch.equal(first[k], second[k]) for k in first)
    with seeded(1):
        other = weights(gan(player_steps={"discriminator": 2}).fit(data, None))
    assert not all(torch.equal(first[k], other[k]) for k in first)


class NaNGAN(TinyGAN):
    def player_losses(self, player, X, y=None, *, training):
        losses = super().player_losses(player, X, y, training=training)
        return losses * float("nan") if player == "generator" else losses


def test_nan_loss_stops_with_skgens_error(data):
    with seeded(0), pytest.raises(NonFiniteLossError, match="became nan in epoch 1"):
        gan(NaNGAN).fit(data, None)


class CountingOptimizer:
    """Stands in for a private optimizer: counts steps, delegates the rest."""

    def __init__(self, optimizer):
        self.optimizer, self.n_steps = optimizer, 0

    @property
    def param_groups(self):
        return self.optimizer.param_groups

    def zero_grad(self, set_to_none=True):
        self.optimizer.zero_grad(set_to_none=set_to_none)

    def step(self, closure=None):
        self.n_steps += 1
        return self.optimizer.step(closure)

    def state_dict(self):
        return self.optimizer.state_dict()


class CountingLoader:
    """Stands in for a Poisson-sampling loader: counts the batches it yields."""

    def __init__(self, loader):
        self.loader, self.n_batches = loader, 0

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        for batch in self.loader:
            self.n_batches += 1
            yield batch


class CountingHook(TrainingHook):
    def __init__(self):
        self.optimizers, self.loaders = {}, []

    def wrap_optimizer(self, name, optimizer, net):
        self.optimizers[name] = CountingOptimizer(optimizer)
        return self.optimizers[name]

    def wrap_train_loader(self, loader, dataset, net):
        self.loaders.append(CountingLoader(loader))
        return self.loaders[-1]


def test_hook_replaces_the_optimizers_and_the_loader(data):
    hook = CountingHook()
    with seeded(0):
        net = gan(player_steps={"discriminator": 2}, training_hook=hook)
        net.fit(data, None)
    assert net.optimizer_ is hook.optimizers["optimizer"]
    assert net.optimizer_discriminator_ is hook.optimizers["optimizer_discriminator"]
    [loader] = hook.loaders
    assert loader.n_batches == 3 * 4
    assert hook.optimizers["optimizer_discriminator"].n_steps == 2 * 3 * 4
    assert hook.optimizers["optimizer"].n_steps == 3 * 4
    # partial_fit trains on with the same optimizers: none is wrapped twice
    with seeded(1):
        net.partial_fit(data, None)
    assert isinstance(net.optimizer_.optimizer, torch.optim.Adam)
    assert hook.optimizers["optimizer"].n_steps == 6 * 4
    assert len(hook.loaders) == 2


def test_hook_wraps_the_single_loss_net_too(data):
    hook = CountingHook()
    with seeded(0):
        gaussian_net(max_epochs=2, training_hook=hook).fit(data, None)
    assert hook.optimizers["optimizer"].n_steps == 2 * 4
    assert hook.loaders[0].n_batches == 2 * 4


class RecordAtEpochEnd(Callback):
    def initialize(self):
        self.seen_ = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.seen_.append(net.history[-1, "valid_loss_generator"])


def test_skorch_callbacks_work_on_the_two_player_net(data, capsys):
    recorder = RecordAtEpochEnd()
    callbacks = [
        ("recorder", recorder),  # before early stopping ends the last epoch
        (
            "early_stopping",
            EarlyStopping(
                monitor="valid_loss_generator",
                patience=1,
                threshold=1e6,  # no epoch after the first counts as better
                threshold_mode="abs",
            ),
        ),
        ("lr_scheduler", LRScheduler("StepLR", step_size=1, gamma=0.5)),
        ("progress_bar", ProgressBar()),
    ]
    with seeded(0):
        net = gan(
            max_epochs=10, train_split=ValidSplit(4), callbacks=callbacks, verbose=1
        ).fit(data, None)
    assert len(net.history) == 2
    assert net.history[:, "valid_loss_generator"] == recorder.seen_
    assert np.all(np.isfinite(net.history[:, "valid_loss_discriminator"]))
    # the scheduler halved optimizer_'s rate after epoch 1 (early stopping
    # ended epoch 2 before it) and left the other player's alone
    assert net.optimizer_.param_groups[0]["lr"] == pytest.approx(0.05 * 0.5)
    assert net.optimizer_discriminator_.param_groups[0]["lr"] == 0.05
    assert "Stopping since valid_loss_generator" in capsys.readouterr().out


class SnapshotWeights(Callback):
    def initialize(self):
        self.weights_ = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.weights_.append(weights(net))


@pytest.mark.parametrize("restores_all", [False, True], ids=["skorch", "skgen"])
def test_early_stopping_stops_on_a_player_loss_and_load_best_restores(
    data, restores_all
):
    stopping = SkgenEarlyStopping if restores_all else EarlyStopping
    snapshots = SnapshotWeights()
    early = stopping(monitor="valid_loss_generator", patience=2, load_best=True)
    with seeded(0):
        net = gan(
            max_epochs=20,
            train_split=ValidSplit(4),
            callbacks=[("snapshots", snapshots), ("early_stopping", early)],
        ).fit(data, None)
    losses = net.history[:, "valid_loss_generator"]
    best = int(np.argmin(losses))
    assert len(net.history) == best + 1 + 2 < 20  # stopped after its patience
    now, at_best, last = weights(net), snapshots.weights_[best], snapshots.weights_[-1]
    # skorch's load_best restores module_ alone, the discriminator staying
    # at its last epoch; skgen's restores both networks of the best epoch
    for key in now:
        expected = at_best if restores_all or key.startswith("module.") else last
        assert torch.equal(now[key], expected[key]), key
    key = "discriminator.net.0.weight"
    assert not torch.equal(at_best[key], last[key])


def adam_steps(net):
    states = {
        name: getattr(net, name).state_dict()["state"].values()
        for name in ("optimizer_", "optimizer_discriminator_")
    }
    return {name: {int(v["step"]) for v in state} for name, state in states.items()}


def checkpoint(tmp_path, **params):
    return Checkpoint(
        dirname=str(tmp_path),
        f_discriminator="discriminator.pt",
        f_optimizer_discriminator="optimizer_discriminator.pt",
        **params,
    )


def test_checkpoint_saves_and_loads_every_network_and_optimizer(data, tmp_path):
    snapshots = SnapshotWeights()
    cp = checkpoint(tmp_path, monitor="valid_loss_generator_best", load_best=True)
    with seeded(0):
        net = gan(
            max_epochs=4,
            train_split=ValidSplit(4),
            callbacks=[("snapshots", snapshots), ("checkpoint", cp)],
        ).fit(data, None)
    saved = {p.name for p in tmp_path.iterdir()}
    assert {"params.pt", "optimizer.pt", "history.json"} <= saved
    assert {"discriminator.pt", "optimizer_discriminator.pt"} <= saved
    best = int(np.argmin(net.history[:, "valid_loss_generator"]))
    assert net.history[:, "event_cp"].index(True) == 0
    assert best == max(i for i, e in enumerate(net.history[:, "event_cp"]) if e)
    # load_best=True restored both networks of the best epoch
    now, at_best = weights(net), snapshots.weights_[best]
    assert all(torch.equal(now[k], at_best[k]) for k in now)
    with seeded(1):
        fresh = gan(train_split=ValidSplit(4)).initialize()
    key = "discriminator.net.0.weight"
    assert not torch.equal(weights(fresh)[key], now[key])
    fresh.load_params(checkpoint=cp)
    loaded = weights(fresh)
    assert all(torch.equal(loaded[k], now[k]) for k in now)
    # the optimizers' state of the best epoch: 3 batches of 16 rows an epoch
    assert adam_steps(fresh) == {"optimizer_": {3 * (best + 1)}} | {
        "optimizer_discriminator_": {3 * (best + 1)}
    }


def test_load_init_state_resumes_both_players_optimizers(data, tmp_path):
    cp = checkpoint(tmp_path, monitor=None)  # every epoch
    with seeded(0):
        gan(max_epochs=2, callbacks=[cp]).fit(data, None)
    resume = checkpoint(tmp_path, monitor=None)
    with seeded(1):
        net = gan(max_epochs=1, callbacks=[resume, LoadInitState(resume)]).fit(
            data, None
        )
    assert len(net.history) == 3  # the saved two epochs and one more
    # both players' Adam step counts went on from the saved 2 * 4
    assert adam_steps(net) == {"optimizer_": {12}, "optimizer_discriminator_": {12}}


def test_each_player_gets_its_own_optimizer_arguments():
    net = gan(
        lr=0.01,
        optimizer__betas=(0.9, 0.99),
        optimizer_discriminator=torch.optim.AdamW,
        optimizer_discriminator__lr=0.002,
        optimizer_discriminator__betas=(0.5, 0.9),
    ).initialize()
    [g], [d] = net.optimizer_.param_groups, net.optimizer_discriminator_.param_groups
    assert type(net.optimizer_) is torch.optim.Adam
    assert type(net.optimizer_discriminator_) is torch.optim.AdamW
    assert (g["lr"], g["betas"]) == (0.01, (0.9, 0.99))
    assert (d["lr"], d["betas"]) == (0.002, (0.5, 0.9))
    assert gan().initialize().optimizer_discriminator_.param_groups[0]["lr"] == 0.05
    net.set_params(optimizer_discriminator__lr=0.003, lr=0.02)
    [g], [d] = net.optimizer_.param_groups, net.optimizer_discriminator_.param_groups
    assert (g["lr"], d["lr"]) == (0.02, 0.003)


def test_player_steps_must_name_players_and_be_positive(data):
    with pytest.raises(ValueError, match=r"names players \['critic'\]"):
        gan(player_steps={"critic": 2}).fit(data, None)
    with pytest.raises(ValueError, match=r"player_steps\['generator'\] must be"):
        gan(player_steps={"generator": 0}).fit(data, None)


# -- persistence --------------------------------------------------------------


def test_named_modules_and_history_round_trip_as_numpy(fitted_gan):
    state = pickle.loads(pickle.dumps(net_state(fitted_gan)))
    assert set(state["weights"]) == {"module", "discriminator"}
    arrays = [v for module in state["weights"].values() for v in module.values()]
    assert all(isinstance(v, np.ndarray) for v in arrays)
    restored = restore_net_state(gan(), state)
    first, second = weights(fitted_gan), weights(restored)
    assert all(torch.equal(first[k], second[k]) for k in first)
    assert restored.history.to_list() == fitted_gan.history.to_list()
    x = torch.linspace(-2, 8, 11)[:, None]
    with torch.no_grad():
        assert torch.equal(restored.discriminator_(x), fitted_gan.discriminator_(x))


def test_restoring_into_other_shapes_is_refused(fitted_gan):
    state = net_state(fitted_gan)
    with pytest.raises(ValueError, match="saved weights of 'discriminator'"):
        restore_net_state(gan(discriminator__width=4), state)
