"""Variational autoencoder as a generative estimator, trained through skorch."""

from numbers import Integral
from typing import ClassVar

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted

from skgen.base import (
    GenerativeClassifierMixin,
    GenerativeMixin,
    check_count,
    fit_atomically,
)
from skgen.neural._base import (
    MLP_PARAMETER_CONSTRAINTS,
    NEURAL_PARAMETER_CONSTRAINTS,
    NeuralTrainingMixin,
    module_tensor,
    row_seeded_normal,
    to_numpy,
    uses_torch_threads,
)
from skgen.tabular._mixin import TabularModelMixin
from skgen.utils._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    import_engine,
)
from skgen.utils._random import draw_seed
from skgen.utils._validation import reject_iterator

#: Rows decoded at once by ``sample``, bounding its memory.
_SAMPLE_CHUNK = 65536

#: Work scored at once by ``score_samples`` (rows x importance samples x
#: widest layer, in float64 values), bounding its memory for any number of
#: rows and of importance samples.
_SCORE_BLOCK = 2**20


class VAE(
    TabularModelMixin,
    GenerativeClassifierMixin,
    GenerativeMixin,
    NeuralTrainingMixin,
    TransformerMixin,
    BaseEstimator,
):
    """Variational autoencoder with a Gaussian latent, for tables.

    X is a 2-D float array or a pandas DataFrame with numeric, categorical,
    bool and string columns, missing values allowed in a DataFrame. A
    :class:`skgen.tabular.TabularEncoder` (the ``encoder`` parameter) gives
    every column a kind and encodes it inside its support; the decoder's
    likelihood follows each kind: a Gaussian whose mean and standard
    deviation the decoder gives per row for real-valued columns (after a
    log or logit map for positive and bounded ones), that Gaussian's mass on
    the bin of the value for integer columns, a Bernoulli or a softmax for
    discrete columns (with probability reserved for unseen levels), and a
    softmax over a column's states (a value, missing, zero) where it has
    them. Samples are in every column's support. Fitted with ``y`` it is a
    conditional VAE (encoder and decoder see the class) and a generative
    classifier.

    Parameters
    ----------
    latent_dim : int or "auto", default="auto"
        Dimension of the latent space. ``"auto"`` scales it to the encoded
        table: a quarter of its columns, at least 2 and at most 32 (16 for
        the 64 pixels of sklearn's digits, 3 for the 13 columns of its
        wine data).
    encoder : TabularEncoder, default=None
        The encoding of the table (column kinds, missing values, the
        quantile map), cloned and fitted in ``fit``; None is
        ``TabularEncoder()``: kinds detected, missing values of a DataFrame
        modelled. For example ``encoder=TabularEncoder(column_types={"year":
        "integer"})``. To tune the encoder's parameters with
        ``GridSearchCV`` (``encoder__numeric``), pass an encoder:
        ``VAE(encoder=TabularEncoder())``.
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Hidden layers of the encoder; the decoder mirrors them. ``()`` makes
        both linear.
    activation : {"sigmoid", "relu", "leaky_relu", "tanh", "elu", "gelu", \
            "silu"}, default="relu"
    decoder_variance : {"row", "column"}, default="row"
        The standard deviation of the decoder's Gaussian for real-valued
        and integer columns: ``"row"`` is a decoder output, so it changes
        from row to row (heteroscedastic); ``"column"`` is one learned value
        per column shared by every row (a linear decoder is then
        probabilistic PCA's model). Either is at least 0.01 in standardised
        units.
    max_epochs : int or "auto", default="auto"
        Epochs of training (at most, with early stopping). ``"auto"``
        trains for at least 1,000 optimiser steps and 10 epochs: 100 epochs
        on a 150-row table, 67 on 1,797 rows, 10 on 12,800 rows or more.
    batch_size : int or "auto", default="auto"
        Rows per optimiser step. ``"auto"`` is a tenth of the training rows
        within 16 and 128 (and at most the rows there are).
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
    dtype : {"float32", "float64"}, default=None
        The dtype the fitted model scores, encodes, decodes and samples in
        (training is always float32). ``None``: float64 on the CPU for a
        model trained there; a model trained on CUDA stays on its device in
        float32 (:func:`skgen.neural._base.inference_dtype`). Results are
        float64 arrays either way.
    n_threads : int, default=None
        The intra-op threads of torch (``torch.set_num_threads``) while the model
        fits, scores, encodes, decodes and samples; the caller's setting is
        restored afterwards. ``None`` does not oversubscribe the machine:
        one thread where fewer than four cores are available, else half the
        cores and at most four.
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
    n_importance_samples``, computed in eval mode (in float64 on the CPU,
    see ``dtype``). The ``K`` standard-normal draws of a row are a fixed
    function of the row's values (a hash of the bytes of its float64
    encoding seeds them, whatever ``dtype``): the score is deterministic, does not
    depend on the other rows, and its Monte Carlo error is independent from
    row to row, so the mean over many rows is close to the expected bound.
    In expectation over the draws it is a lower
    bound on ``log p(x)`` (``likelihood_kind = "lower_bound"``) that tightens as ``K``
    grows; :meth:`elbo` is the ``K``-sample average of the ELBO, the loosest
    of these bounds. Real-valued columns are mapped and standardised inside
    the model, and the bound includes the log-Jacobians of each column's
    support map and standardisation, so it is a density of the data as given
    (in nats); integer, discrete and missing-value columns contribute
    probabilities.
    Identical rows get identical draws, so on a table of many duplicates the
    mean score is closer to one draw of the bound than to its expectation.
    Scoring works in bounded memory for any number of rows and of importance
    samples (in blocks, with a running ``logsumexp``). A row far outside
    the training data gets a very low bound or ``-inf``, never NaN: the
    encoder's log-variance is capped, and a draw whose evaluation overflows
    float64 counts as weight zero, which keeps the bound a bound.

    A conditional VAE classifies by Bayes' rule on per-class bounds
    ``log p(x | y=k)``. Each bound lies below the true log-likelihood by a
    gap that shrinks as ``K`` grows, so a class scored with more importance
    samples would have a tighter bound and the posterior would lean toward
    it. Every class is therefore scored with the same ``K`` (the fitted
    ``n_importance_samples``, or the ``n_importance_samples`` given to
    :meth:`score_samples`); the gaps can still differ between classes where
    the encoder fits one class better, so ``predict_proba`` is an
    approximation that tightens with ``K``.

    After ``fit``, every method reads the fitted model (and the parameters
    it was fitted with), never the live parameters: ``set_params`` changes
    what the next ``fit`` does, not the scores, samples or latent codes of
    the fitted model.

    A numeric column constant in training (on three rows or more) is
    detected as a one-level discrete column: its value has probability
    ``1 - unseen_mass_``, another value the reserved ``unseen_mass_``.
    Declared ``"continuous"`` (or with ``column_types="dtype"``) it is a
    point mass: left out of the decoder's likelihood, written back in
    samples and decoded rows, and a row with another value there scores
    ``-inf`` (a Gaussian would shrink its variance without end). ``callbacks`` are
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
        "latent_dim": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "encoder": [HasMethods(["fit", "transform", "inverse_transform"]), None],
        "decoder_variance": [StrOptions({"row", "column"})],
        "n_importance_samples": [Interval(Integral, 1, None, closed="left")],
        **MLP_PARAMETER_CONSTRAINTS,
        **NEURAL_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        latent_dim="auto",
        *,
        encoder=None,
        hidden_layer_sizes=(128, 128),
        activation="relu",
        decoder_variance="row",
        max_epochs="auto",
        batch_size="auto",
        lr=1e-3,
        optimizer="adam",
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        n_importance_samples=64,
        callbacks=None,
        device="cpu",
        dtype=None,
        n_threads=None,
        verbose=0,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.encoder = encoder
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.decoder_variance = decoder_variance
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
        self.dtype = dtype
        self.n_threads = n_threads
        self.verbose = verbose
        self.random_state = random_state

    # ------------------------------------------------------------------ fit

    @fit_atomically
    @_fit_context(prefer_skip_nested_validation=True)
    @uses_torch_threads(training=True)
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
        Xt, y_index = self._fit_table(X, y)
        self._check_validation_rows(Xt.shape[0])
        inputs = {"x": Xt.astype(np.float32)}
        if y_index is not None:
            inputs["c"] = self._class_onehot(y_index).astype(np.float32)
        self.net_ = self._train_net(inputs, self._seed())
        self._warn_if_not_stopped()
        return self

    def _module_arguments(self):
        """The VAE's one network, from the fitted state."""
        from skgen.neural._vae_module import VAEModule

        params = self._fitted_params
        return {
            "module": (
                VAEModule,
                {
                    "n_features": self.encoder_.n_output_,
                    "latent_dim": self._latent_dim,
                    "hidden": tuple(params["hidden_layer_sizes"]),
                    "activation": params["activation"],
                    **self._likelihood_arguments(),
                    "variance": params["decoder_variance"],
                    "n_classes": len(self.classes_) if self._fitted_with_y else 0,
                },
            )
        }

    @property
    def _latent_dim(self):
        """The fitted latent dimension (``"auto"`` resolved on the encoding)."""
        latent_dim = self._fitted_params["latent_dim"]
        if latent_dim == "auto":
            return max(2, min(32, self.encoder_.n_output_ // 4))
        return latent_dim

    # -------------------------------------------------------------- scoring

    def _log_weights(self, module, x, c, n_samples, start, stop):
        """log p(x, z_k) - log q(z_k | x) for draws ``start <= k < stop``.

        ``x`` (and ``c``, the one-hot classes, or None) are the float64
        encoded rows of a block; the draws are a function of ``x`` (never of
        the dtype the module computes in). Returns a float64 array of shape
        (n_rows, stop - start).
        """
        torch = import_engine("torch")

        d = self._latent_dim
        eps = row_seeded_normal(x, n_samples * d, start * d, stop * d)
        eps = module_tensor(module, eps.reshape(x.shape[0], stop - start, d))
        x = module_tensor(module, x)
        c = None if c is None else module_tensor(module, c)
        mu, logvar = module.encode(x, c)
        log_std = (0.5 * logvar)[:, None]  # not log(exp(.)): no underflow
        z = mu[:, None] + torch.exp(log_std) * eps  # (n, k, d)
        k = stop - start
        cz = None if c is None else c[:, None].expand(-1, k, -1)
        ll = module.likelihood(x[:, None].expand(-1, k, -1), module.decode(z, cz))
        log_norm = 0.5 * d * np.log(2 * np.pi)
        log_prior = -0.5 * (z**2).sum(-1) - log_norm
        log_q = -0.5 * (eps**2).sum(-1) - log_std.sum(-1) - log_norm
        logw = ll + log_prior - log_q
        # NaN only where the networks overflowed float64 (a row far outside
        # the training data; a log-weight has a finite upper bound): weight
        # zero keeps the estimate a lower bound
        return to_numpy(logw.masked_fill(logw.isnan(), -np.inf))

    def _bound(self, Xt, classes_onehot=None, n_samples=None, *, kind="iw"):
        """The bound of every encoded row, in blocks of bounded memory.

        Rows are scored in blocks and, within a row block, importance
        samples in blocks: ``logsumexp`` runs across them (``np.logaddexp``
        of the blocks'), so memory does not grow with ``n_samples``. When
        ``n_samples`` fits in one block (any usual value) that is one
        ``logsumexp`` over all draws of each row.
        """
        torch = import_engine("torch")

        K = (
            self._fitted_params["n_importance_samples"]
            if n_samples is None
            else n_samples
        )
        kwargs = self._module_arguments()["module"][1]
        width = max(
            Xt.shape[1] + kwargs["n_classes"], kwargs["latent_dim"], *kwargs["hidden"]
        )
        k_step = max(1, _SCORE_BLOCK // width)
        n_step = max(1, _SCORE_BLOCK // (min(K, k_step) * width))
        module = self._eval_module()
        c = classes_onehot
        bound = np.empty(Xt.shape[0])
        with torch.no_grad():
            for a in range(0, Xt.shape[0], n_step):
                rows = slice(a, a + n_step)
                xb, cb = Xt[rows], None if c is None else c[rows]
                total = np.full(xb.shape[0], -np.inf if kind == "iw" else 0.0)
                for start in range(0, K, k_step):
                    logw = self._log_weights(
                        module, xb, cb, K, start, min(K, start + k_step)
                    )
                    if kind == "iw":
                        total = np.logaddexp(total, logsumexp(logw, axis=1))
                    else:
                        total = total + logw.sum(axis=1)
                bound[rows] = total - np.log(K) if kind == "iw" else total / K
        return bound

    @uses_torch_threads
    def _class_log_likelihood(self, X, n_importance_samples=None):
        """Bounds on ``log p(x | k)``, every class with the same ``K``."""
        Xt, correction = self._encode_scored(X)
        return correction[:, None] + np.stack(
            [
                self._bound(
                    Xt,
                    self._class_onehot(np.full(len(Xt), k)),
                    n_importance_samples,
                )
                for k in range(len(self.classes_))
            ],
            axis=1,
        )

    @uses_torch_threads
    def score_samples(self, X, y=None, *, n_importance_samples=None):
        """Importance-weighted lower bound on ``log p(x)`` of each row, in nats.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            For a conditional VAE: the labels, giving the joint bound on
            ``log p(x, y)``; without them, the marginal over classes.
        n_importance_samples : int, default=None
            Overrides the fitted ``n_importance_samples`` (for every class
            alike). Memory does not grow with it.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
            ``-inf`` for a row whose value in a column that was constant in
            training differs from that constant.
        """
        check_is_fitted(self)
        if n_importance_samples is not None:
            n_importance_samples = check_count(
                n_importance_samples, "n_importance_samples"
            )
        if self._fitted_with_y:
            return self._score_samples_with_labels(
                X, y, n_importance_samples=n_importance_samples
            )
        Xt, correction = self._encode_scored(X)
        return self._bound(Xt, n_samples=n_importance_samples) + correction

    @uses_torch_threads
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
        Xt, correction = self._encode_scored(X)
        onehot = None
        if self._fitted_with_y:
            if y is None:
                raise ValueError("A conditional VAE needs y to compute the ELBO.")
            onehot = self._class_onehot(self._encode_labels(y, len(Xt)))
        return self._bound(Xt, onehot, kind="elbo") + correction

    # ------------------------------------------------------- latent space

    @uses_torch_threads
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
            self._check_no_labels(y)
            return self._latent_mean(Xt, None)
        if y is not None:
            return self._latent_mean(Xt, self._onehot_or_none(y, Xt.shape[0]))
        proba = self.predict_proba(X)
        return sum(
            proba[:, [k]]
            * self._latent_mean(Xt, self._class_onehot(np.full(len(Xt), k)))
            for k in range(len(self.classes_))
        )

    def _latent_mean(self, Xt, onehot):
        torch = import_engine("torch")

        module = self._eval_module()
        with torch.no_grad():
            mu, _ = module.encode(
                module_tensor(module, Xt),
                None if onehot is None else module_tensor(module, onehot),
            )
        return to_numpy(mu)

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
        return np.asarray([f"vae{i}" for i in range(self._latent_dim)], dtype=object)

    @uses_torch_threads
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
        torch = import_engine("torch")

        check_is_fitted(self)
        reject_iterator(Z, "Z")
        Z = check_array(Z, dtype=np.float64, copy=True, input_name="Z")
        if Z.shape[1] != self._latent_dim:
            raise ValueError(
                f"Z must have shape (n_samples, {self._latent_dim}); got {Z.shape}."
            )
        c = self._onehot_or_none(y, Z.shape[0])
        module = self._eval_module()
        with torch.no_grad():
            out = module.decode(
                module_tensor(module, Z),
                None if c is None else module_tensor(module, c),
            )
            encoded = to_numpy(module.likelihood.mean(out))
        return self._decode_rows(encoded)

    # ------------------------------------------------------------- sampling

    @uses_torch_threads
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

        Raises
        ------
        ValueError
            When the rows asked for cannot fit in memory (checked first).
        """
        return self._sample(n_samples, y=y, random_state=random_state)

    def _prepare_sample(self, n_samples, rng):
        """One torch generator (seeded before the classes) and the module."""
        torch = import_engine("torch")

        generator = torch.Generator().manual_seed(draw_seed(rng))
        return {"generator": generator, "module": self._eval_module()}

    def _sample_class(self, n_samples, class_index, rng, *, generator, module):
        torch = import_engine("torch")

        encoded = []
        with torch.no_grad():
            for a in range(0, n_samples, _SAMPLE_CHUNK):
                m = min(_SAMPLE_CHUNK, n_samples - a)
                # drawn on the CPU in float64 whatever the module's dtype
                z = module_tensor(
                    module,
                    torch.randn(
                        (m, self._latent_dim), generator=generator, dtype=torch.float64
                    ),
                )
                cb = None
                if class_index is not None:  # one-hot class of this chunk only
                    onehot = self._class_onehot(np.full(m, class_index))
                    cb = module_tensor(module, onehot)
                out = module.decode(z, cb)
                encoded.append(to_numpy(module.likelihood.sample(out, generator)))
        return self._decode_rows(np.concatenate(encoded))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True  # DataFrames with categories
        tags.non_deterministic = False
        return tags
