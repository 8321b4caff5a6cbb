"""skgen's one vocabulary of parameter and attribute names, as data.

The rules are in ``docs/DESIGN.md`` §7 ("Parameter and attribute names");
these tables are what ``tests/test_vocabulary.py`` checks every public
estimator against. A new family adds its rejected synonyms here.
"""

__all__ = [
    "DEPRECATED_ATTRIBUTES",
    "NETWORKS",
    "PER_NETWORK_PARAMETERS",
    "REJECTED_ATTRIBUTES",
    "REJECTED_NEURAL_PARAMETERS",
    "REJECTED_PARAMETERS",
]

#: Names no estimator takes, as a constructor parameter or as a keyword of
#: ``sample``: rejected synonym -> the name skgen uses.
REJECTED_PARAMETERS: dict[str, str] = {
    # the training loop: skorch's NeuralNet
    "epochs": "max_epochs",
    "n_epochs": "max_epochs",
    "num_epochs": "max_epochs",
    "learning_rate": "lr",
    "learning_rate_init": "lr",
    "callback": "callbacks",
    "use_cuda": "device",
    "gpu": "device",
    "verbosity": "verbose",
    # Adam's coefficients: torch's optimisers
    "adam_betas": "betas",
    "beta1": "betas",
    "beta2": "betas",
    # architecture and early stopping: scikit-learn's MLP
    "hidden_dims": "hidden_layer_sizes",
    "hidden_sizes": "hidden_layer_sizes",
    "hidden_units": "hidden_layer_sizes",
    "layer_sizes": "hidden_layer_sizes",
    "patience": "n_iter_no_change",
    "validation_split": "validation_fraction",
    "valid_fraction": "validation_fraction",
    # skgen's own
    "num_threads": "n_threads",
    "torch_threads": "n_threads",
    "precision": "dtype",
    "torch_dtype": "dtype",
    "seed": "random_state",
    "random_seed": "random_state",
    "rng": "random_state",
    # language models: the arguments of the torch modules they build
    "n_layers": "num_layers",
    "n_heads": "nhead",
    "num_heads": "nhead",
    "embed_dim": "embedding_dim",
    "embedding_size": "embedding_dim",
    "emb_dim": "embedding_dim",
    "hidden_dim": "hidden_size",
    "rnn_size": "hidden_size",
    "d_ff": "dim_feedforward",
    "ffn_dim": "dim_feedforward",
    "dropout_rate": "dropout",
    "block_size": "context_length",
    "seq_len": "context_length",
    "max_seq_len": "context_length",
    "bptt": "window_length",
    "bptt_length": "window_length",
    "seq_length": "window_length",
    "n_mixtures": "n_components",
    "num_mixtures": "n_components",
    "rnn_type": "cell",
    "cell_type": "cell",
    "topk": "top_k",
    # several networks: <network>_<name>
    "g_lr": "generator_lr",
    "d_lr": "discriminator_lr",
    "gen_lr": "generator_lr",
    "disc_lr": "discriminator_lr",
    "n_critic": "discriminator_steps",
    "d_steps": "discriminator_steps",
    "critic_steps": "discriminator_steps",
    # sampling
    "num_samples": "n_samples",
    "temp": "temperature",
    "max_len": "max_length",
    "max_new_tokens": "max_length",
}

#: Rejected for neural estimators only: elsewhere in skgen and scikit-learn
#: these names mean something else (the HMMs' EM iterations, joblib's
#: worker processes, a Markov chain's pseudo-count, a linear solver).
REJECTED_NEURAL_PARAMETERS: dict[str, str] = {
    "max_iter": "max_epochs",
    "n_jobs": "n_threads",
    "alpha": "weight_decay",
    "solver": "optimizer",
}

#: The networks of a multi-network estimator. Each takes its own value of a
#: :data:`PER_NETWORK_PARAMETERS` name as ``<network>_<name>``
#: (``generator_lr``, ``discriminator_hidden_layer_sizes``), in place of the
#: shared ``<name>``, with the shared constraint.
NETWORKS: tuple[str, ...] = ("generator", "discriminator")

#: Shared neural parameters that can be set per network: architecture and
#: optimiser. The rest (the training budget, early stopping, device,
#: threads, randomness) belongs to the whole estimator.
PER_NETWORK_PARAMETERS: tuple[str, ...] = (
    "hidden_layer_sizes",
    "activation",
    "lr",
    "optimizer",
    "weight_decay",
)

#: Fitted attributes no estimator has: rejected name -> what to use.
REJECTED_ATTRIBUTES: dict[str, str] = {
    "vocab_": "symbols_ (sorted token ids) or vocabulary_ (token -> index)",
    "history_": "net_.history",
    "network_": "module_",
    "n_features_": "n_features_in_",
}

#: Deprecated aliases still served, per class: old name -> new name. Reading
#: one warns (FutureWarning); a model saved under the old name still loads.
DEPRECATED_ATTRIBUTES: dict[str, dict[str, str]] = {
    "MarkovChain": {"vocabulary_": "symbols_"},
}
