"""Variational autoencoder as a generative estimator, trained through skorch."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted, check_scalar

from skgen.base import GenerativeClassifierMixin, GenerativeMixin, fit_atomically
from skgen.neural._base import (
    NEURAL_PARAMETER_CONSTRAINTS,
    NeuralTrainingMixin,
    row_seeded_normal,
)

#: Rows decoded at once by ``sample``, bounding its memory.
_SAMPLE_CHUNK = 65536


class VAE(
    GenerativeClassifierMixin,
    GenerativeMixin,
    NeuralTrainingMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Variational autoencoder with a Gaussian latent, for tables.

    X is a 2-D float array or a pandas DataFrame with numeric, categorical
    and bool columns. A :class:`skgen.tabular.TabularEncoder` standardises
    numeric columns and one-hot encodes the others; the decoder's likelihood
    follows each column: a Gaussian with a learned standard deviation per
    numeric column, a Bernoulli per binary column and a softmax per
    categorical column. Fitted with ``y`` it is a conditional VAE (encoder
    and decoder see the class) and a generative classifier.

    Parameters
    ----------
    latent_dim : int, default=2
        Dimension of the latent space.
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Hidden layers of the encoder; the decoder mirrors them. ``()`` makes
        both linear.
    activation : {"relu", "tanh", "elu", "gelu"}, default="relu"
    max_epochs : int, default=100
    batch_size : int, default=128
    lr : float, default=1e-3
    optimizer : {"adam", "adamw", "sgd", "rmsprop"}, default="adam"
    weight_decay : float, default=0.0
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows and stop when the
        validation loss has not improved for ``n_iter_no_change`` epochs,
        keeping the best weights (skorch's ``EarlyStopping``).
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    n_importance_samples : int, default=64
        Importance samples of the bound ``score_samples`` returns.
    callbacks : list of skorch callbacks, default=None
        Passed to the skorch net (``Checkpoint``, ``LRScheduler``, ...).
    device : str, default="cpu"
        Torch device for training ("cuda" where present).
    verbose : int, default=0
        Print skorch's epoch log with a progress bar.
    random_state : int, RandomState instance or None, default=None
        The same value gives the same model (initialisation, batches,
        reparameterisation noise), through a forked local torch generator.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained net; ``net_.history`` holds the training history.
    module_ : torch.nn.Module
        The trained VAE (``net_.module_``).
    encoder_ : TabularEncoder
        The fitted data encoding.
    n_features_in_ : int
        Number of input columns.
    classes_, class_count_, class_log_prior_ : ndarray of shape (n_classes,)
        Only when fitted with ``y``.

    Notes
    -----
    ``score_samples`` is the importance-weighted bound (Burda et al., 2016)
    ``log (1/K) sum_k p(x, z_k) / q(z_k | x)`` with ``K =
    n_importance_samples``, computed in float64 in eval mode. The ``K``
    standard-normal draws of a row are a fixed function of the row's values
    (a hash of its bytes seeds them): the score is deterministic, does not
    depend on the other rows, and its Monte Carlo error is independent from
    row to row, so the mean over many rows is close to the expected bound.
    In expectation over the draws it is a lower
    bound on ``log p(x)`` (``likelihood_kind = "lower_bound"``) that tightens as ``K``
    grows; :meth:`elbo` is the ``K``-sample average of the ELBO, the loosest
    of these bounds. Numeric columns are standardised inside the model, and
    the bound includes the Jacobian of that scaling, so it is a density of
    the data as given (in nats); discrete columns contribute probabilities.
    Identical rows get identical draws, so on a table of many duplicates the
    mean score is closer to one draw of the bound than to its expectation.

    A numeric column that is constant in training is a point mass: it is
    left out of the decoder's likelihood, written back in samples and
    decoded rows, and a row with another value there scores ``-inf`` (a
    Gaussian would shrink its variance without end). ``callbacks`` are
    copied before training, so the objects passed in stay unfitted; the
    fitted ones are in ``net_.callbacks_``. With ``early_stopping=True``, a
    ``ConvergenceWarning`` says when all ``max_epochs`` ran without the
    validation loss settling.

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes",
       ICLR 2014.
    .. [2] Y. Burda, R. Grosse and R. Salakhutdinov, "Importance weighted
       autoencoders", ICLR 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from skgen.neural import VAE
    >>> X = np.random.RandomState(0).normal(size=(200, 4))
    >>> vae = VAE(latent_dim=2, hidden_layer_sizes=(16,), max_epochs=5,
    ...           random_state=0).fit(X)
    >>> vae.sample(3, random_state=0).shape
    (3, 4)
    >>> vae.transform(X[:2]).shape
    (2, 2)
    """

    likelihood_kind = "lower_bound"
    _representation = "tabular"

    _parameter_constraints: ClassVar[dict] = {
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "n_importance_samples": [Interval(Integral, 1, None, closed="left")],
        **NEURAL_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        latent_dim=2,
        *,
        hidden_layer_sizes=(128, 128),
        activation="relu",
        max_epochs=100,
        batch_size=128,
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        n_importance_samples=64,
        callbacks=None,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.n_importance_samples = n_importance_samples
        self.callbacks = callbacks
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    # ------------------------------------------------------------------ fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the VAE by maximising the ELBO with minibatch gradients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            Class labels: a conditional VAE.

        Returns
        -------
        self : VAE

        Warns
        -----
        ConvergenceWarning
            With ``early_stopping=True``, when training ran all
            ``max_epochs`` without the validation loss settling.
        """
        from skgen.tabular import TabularEncoder

        for attr in ("classes_", "class_count_", "class_log_prior_"):
            self.__dict__.pop(attr, None)
        self.__dict__.pop("feature_names_in_", None)
        encoder = TabularEncoder().fit(X)
        Xt = encoder.transform(X)
        blocks = [(k, s.start, s.stop) for _, k, s in encoder.output_blocks_]
        # numeric columns constant in training are point masses (a Gaussian
        # would shrink its variance forever and the likelihood never stop)
        for i, (kind, a, _) in enumerate(blocks):
            if kind == "numeric" and np.all(Xt[:, a] == Xt[0, a]):
                blocks[i] = ("constant", a, a + 1)
        constant = [a for kind, a, _ in blocks if kind == "constant"]
        self._constant_columns = (np.array(constant, dtype=np.intp), Xt[0, constant])
        inputs = {"x": Xt.astype(np.float32)}
        n_classes = 0
        if y is not None:
            y = self._check_fit_labels(y, Xt.shape[0])
            classes, y_idx, counts = np.unique(
                y, return_inverse=True, return_counts=True
            )
            self.classes_, self.class_count_ = classes, counts
            self.class_log_prior_ = np.log(counts / counts.sum())
            n_classes = len(classes)
            inputs["c"] = np.eye(n_classes, dtype=np.float32)[y_idx]
        self._module_kwargs = {
            "n_features": Xt.shape[1],
            "latent_dim": self.latent_dim,
            "hidden": tuple(self.hidden_layer_sizes),
            "activation": self.activation,
            "blocks": blocks,
            "n_classes": n_classes,
        }
        self.net_ = self._train_net(inputs, self._seed())
        self._warn_if_not_stopped()
        self.encoder_ = encoder
        self.n_features_in_ = encoder.n_features_in_
        if hasattr(encoder, "feature_names_in_"):
            self.feature_names_in_ = encoder.feature_names_in_
        return self

    def _build_module(self):
        from skgen.neural._torch import VAEModule

        return VAEModule(**self._module_kwargs)

    # -------------------------------------------------------------- scoring

    def _encode(self, X):
        check_is_fitted(self)
        return self.encoder_.transform(X)

    def _log_weights(self, Xt, classes, n_samples):
        """log p(x, z_k) - log q(z_k | x), shape (K, n_rows), float64."""
        import torch

        module = self._eval_module()
        n_rows, d = Xt.shape[0], self.latent_dim
        noise = row_seeded_normal(Xt, n_samples * d).reshape(n_rows, n_samples, d)
        noise = torch.as_tensor(noise.transpose(1, 0, 2))  # (K, n, d)
        x = torch.as_tensor(Xt, dtype=torch.float64)
        c = None if classes is None else torch.as_tensor(classes, dtype=torch.float64)
        out = []
        chunk = max(1, 2**20 // max(1, n_samples * x.shape[1]))
        with torch.no_grad():
            for a in range(0, x.shape[0], chunk):
                xb = x[a : a + chunk]
                cb = None if c is None else c[a : a + chunk]
                eps = noise[:, a : a + chunk]
                mu, logvar = module.encode(xb, cb)
                std = torch.exp(0.5 * logvar)
                z = mu + std * eps  # (K, n, d)
                cz = None if cb is None else cb.expand(n_samples, *cb.shape)
                ll = module.likelihood(
                    xb.expand(n_samples, *xb.shape), module.decode(z, cz)
                )
                log_prior = -0.5 * (z**2).sum(-1) - 0.5 * self.latent_dim * np.log(
                    2 * np.pi
                )
                log_q = (
                    -0.5 * (eps**2).sum(-1)
                    - torch.log(std).sum(-1)
                    - 0.5 * self.latent_dim * np.log(2 * np.pi)
                )
                out.append((ll + log_prior - log_q).numpy())
        return np.concatenate(out, axis=1)

    def _bound(self, X, classes_onehot=None, n_samples=None, *, kind="iw"):
        Xt = self._encode(X)
        K = self.n_importance_samples if n_samples is None else n_samples
        logw = self._log_weights(Xt, classes_onehot, K)
        if kind == "iw":
            bound = logsumexp(logw, axis=0) - np.log(K)
        else:
            bound = logw.mean(axis=0)
        # a column constant in training has all its mass on that value
        columns, values = self._constant_columns
        off = np.any(Xt[:, columns] != values, axis=1)
        bound[off] = -np.inf
        # the standardisation of numeric columns: p(x) = p(z) |dz/dx|
        return bound - np.log(self.encoder_.scale_).sum()

    def _class_log_likelihood(self, X, n_importance_samples=None):
        n = self._encode(X).shape[0]
        eye = np.eye(len(self.classes_))
        return np.stack(
            [
                self._bound(
                    X, np.repeat(eye[k : k + 1], n, axis=0), n_importance_samples
                )
                for k in range(len(self.classes_))
            ],
            axis=1,
        )

    def score_samples(self, X, y=None, *, n_importance_samples=None):
        """Importance-weighted lower bound on ``log p(x)`` of each row, in nats.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            For a conditional VAE: the labels, giving the joint bound on
            ``log p(x, y)``; without them, the marginal over classes.
        n_importance_samples : int, default=None
            Overrides the estimator's ``n_importance_samples``.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
            ``-inf`` for a row whose value in a column that was constant in
            training differs from that constant.
        """
        check_is_fitted(self)
        if n_importance_samples is not None:
            check_scalar(
                n_importance_samples,
                "n_importance_samples",
                Integral,
                min_val=1,
            )
        if self._fitted_with_y:
            return self._score_samples_with_labels(
                X, y, n_importance_samples=n_importance_samples
            )
        return self._bound(X, n_samples=n_importance_samples)

    def elbo(self, X, y=None):
        """The evidence lower bound of each row (averaged over the draws).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            Labels, for a conditional VAE (required there).

        Returns
        -------
        elbo : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        onehot = None
        if self._fitted_with_y:
            if y is None:
                raise ValueError("A conditional VAE needs y to compute the ELBO.")
            n = self._encode(X).shape[0]
            onehot = np.eye(len(self.classes_))[self._encode_labels(y, n)]
        return self._bound(X, onehot, kind="elbo")

    # ------------------------------------------------------- latent space

    def transform(self, X, y=None):
        """Latent means of the rows (the VAE as a dimensionality reducer).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            Labels, for a conditional VAE: the means of ``q(z | x, y)``.
            Without them a conditional VAE returns the posterior mean
            ``sum_k p(k | x) E[z | x, k]`` under its own class posterior.

        Returns
        -------
        Z : ndarray of shape (n_samples, latent_dim)
        """
        Xt = self._encode(X)
        if not self._fitted_with_y:
            if y is not None:
                raise ValueError("y was given but this VAE was fitted without y.")
            return self._latent_mean(Xt, None)
        eye = np.eye(len(self.classes_))
        if y is not None:
            return self._latent_mean(Xt, eye[self._encode_labels(y, Xt.shape[0])])
        proba = self.predict_proba(X)
        return sum(
            proba[:, [k]] * self._latent_mean(Xt, np.repeat(eye[[k]], len(Xt), 0))
            for k in range(len(self.classes_))
        )

    def _latent_mean(self, Xt, onehot):
        import torch

        with torch.no_grad():
            mu, _ = self._eval_module().encode(
                torch.as_tensor(Xt, dtype=torch.float64),
                None if onehot is None else torch.as_tensor(onehot),
            )
        return mu.numpy()

    def get_feature_names_out(self, input_features=None):
        """Names of the latent dimensions: ``vae0, vae1, ...``.

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return np.asarray([f"vae{i}" for i in range(self.latent_dim)], dtype=object)

    def inverse_transform(self, Z, y=None):
        """Decode latent points to the data space (decoder means / modes).

        Numeric columns get the decoder's mean, binary columns the level
        whose probability is above one half, categorical columns their most
        probable level.

        Parameters
        ----------
        Z : array-like of shape (n_samples, latent_dim)
        y : array-like of shape (n_samples,), default=None
            Labels, for a conditional VAE (required there).

        Returns
        -------
        X : ndarray or DataFrame, in the representation ``fit`` accepted
        """
        import torch

        check_is_fitted(self)
        Z = check_array(Z, dtype=np.float64, copy=True, input_name="Z")
        if Z.shape[1] != self.latent_dim:
            raise ValueError(
                f"Z must have shape (n_samples, {self.latent_dim}); got {Z.shape}."
            )
        c = self._onehot_or_none(y, Z.shape[0])
        module = self._eval_module()
        with torch.no_grad():
            out = module.decode(
                torch.as_tensor(Z), None if c is None else torch.as_tensor(c)
            )
            encoded = module.likelihood.mean(out).numpy()
        return self._decode_rows(encoded)

    def _decode_rows(self, encoded):
        """Encoded rows back to data, constant columns written back."""
        columns, values = self._constant_columns
        encoded[:, columns] = values
        return self.encoder_.inverse_transform(encoded)

    def _onehot_or_none(self, y, n):
        if not self._fitted_with_y:
            if y is not None:
                raise ValueError("y was given but this VAE was fitted without y.")
            return None
        if y is None:
            raise ValueError("A conditional VAE needs y here.")
        return np.eye(len(self.classes_))[self._encode_labels(y, n)]

    # ------------------------------------------------------------- sampling

    def sample(self, n_samples=1, *, y=None, random_state=None):
        """Generate rows: ``z ~ N(0, I)``, then a draw from the decoder.

        Parameters
        ----------
        n_samples : int, default=1
        y : label or array-like of shape (n_samples,), default=None
            Conditional VAE only: the class of each row, drawn from the
            training class frequencies when None.
        random_state : int, RandomState instance or None, default=None
            An int gives the same rows on every call.

        Returns
        -------
        X : ndarray or DataFrame
            New rows in the representation ``fit`` accepted.
        y : ndarray of shape (n_samples,)
            Only for a conditional VAE.
        """
        import torch

        n_samples, rng = self._check_sample_params(n_samples, random_state)
        generator = torch.Generator().manual_seed(
            int(rng.randint(np.iinfo(np.int32).max))
        )
        c = labels = None
        if self._fitted_with_y:
            labels = self._sample_labels(n_samples, y, rng)
            c = torch.as_tensor(np.eye(len(self.classes_))[labels])
        elif y is not None:
            raise ValueError("y was given but this VAE was fitted without y.")
        module = self._eval_module()
        encoded = []
        with torch.no_grad():
            for a in range(0, n_samples, _SAMPLE_CHUNK):
                m = min(_SAMPLE_CHUNK, n_samples - a)
                z = torch.randn(
                    (m, self.latent_dim), generator=generator, dtype=torch.float64
                )
                cb = None if c is None else c[a : a + m]
                out = module.decode(z, cb)
                encoded.append(module.likelihood.sample(out, generator).numpy())
        X = self._decode_rows(np.concatenate(encoded))
        return X if labels is None else (X, self.classes_[labels])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True  # DataFrames with categories
        tags.non_deterministic = False
        return tags
