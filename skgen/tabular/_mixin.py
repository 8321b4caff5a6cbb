"""The table plumbing every tabular generative model shares.

:class:`TabularModelMixin` is the one place a tabular family (VAE, GANs,
autoregressive tabular models) takes its data handling from: it fits the
:class:`~skgen.tabular.TabularEncoder`, lays out the encoded columns as
likelihood blocks, treats numeric columns that were constant in training as
point masses, turns labels into one-hot classes, decodes model outputs back
to the representation ``fit`` accepted, and checks a loaded model's table
state. numpy only: it imports no engine.
"""

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

#: The kinds of encoded blocks: the encoder's five, and ``"constant"`` for
#: a numeric column that was constant in training.
BLOCK_KINDS = ("numeric", "integer", "binary", "categorical", "state", "constant")


class TabularModelMixin:
    """Encoding, point masses, classes and decoding of a tabular model.

    A model fits its table with :meth:`_fit_table` first thing in ``fit``;
    it trains on the encoded rows and reads the layout from ``_blocks``.
    Scores of encoded rows become likelihoods of the data as given by
    adding the correction of :meth:`_encode_scored`; model outputs go back
    to data with
    :meth:`_decode_rows`. A conditional model also inherits
    :class:`skgen.base.GenerativeClassifierMixin` (the labels' validation
    and classes).

    Fitted state set by :meth:`_fit_table`:

    - ``encoder_`` (the fitted :class:`~skgen.tabular.TabularEncoder`),
      ``n_features_in_`` and, for a DataFrame with string column names,
      ``feature_names_in_``;
    - ``_blocks``: list of ``(kind, start, stop)``, the encoder's output
      blocks in order, ``kind`` one of :data:`BLOCK_KINDS`; a numeric column
      constant in training is ``("constant", a, a + 1)``: it has all its
      mass on its training value (a Gaussian would shrink its variance
      without end), so a model leaves it out of its likelihood;
    - ``_constant_values``: ndarray of shape (n_constant,), the encoded
      value of each constant block, in block order;
    - with labels, ``classes_``, ``class_count_`` and ``class_log_prior_``.
    """

    def _fit_table(self, X, y=None):
        """Fit the encoding of ``X`` (and the classes of ``y``).

        The encoder is a clone of the model's ``encoder`` parameter (a
        :class:`~skgen.tabular.TabularEncoder`; None: the default one), so
        a user sets column kinds, missing values and the quantile map on the
        model itself.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
        y : array-like of shape (n_samples,), default=None
            Class labels, for a conditional model.

        Returns
        -------
        Xt : ndarray of shape (n_samples, encoder_.n_output_), float64
            The encoded rows.
        y_index : ndarray of shape (n_samples,) or None
            The class index of each row; None without ``y``.
        """
        from skgen.tabular._encoder import TabularEncoder

        self.__dict__.pop("feature_names_in_", None)
        template = getattr(self, "encoder", None)
        if template is None:
            template = TabularEncoder()
        elif not isinstance(template, TabularEncoder):
            raise TypeError(
                f"The encoder parameter of {type(self).__name__} must be a "
                f"TabularEncoder or None; got {template!r}."
            )
        encoder = clone(template).fit(X)
        Xt = encoder.transform(X)
        self._blocks = [
            (
                "constant"
                if kind == "numeric" and np.all(Xt[:, s.start] == Xt[0, s.start])
                else kind,
                s.start,
                s.stop,
            )
            for _, kind, s in encoder.output_blocks_
        ]
        self._constant_values = Xt[0, self._constant_columns]
        self._block_masks, self._integer_bins = encoder._likelihood_layout()
        self.encoder_ = encoder
        self.n_features_in_ = encoder.n_features_in_
        if hasattr(encoder, "feature_names_in_"):
            self.feature_names_in_ = encoder.feature_names_in_
        if not hasattr(self, "_fit_class_labels"):  # not a conditional model
            return Xt, None
        return Xt, self._fit_class_labels(y, Xt.shape[0])

    def _encode(self, X):
        """The encoded rows of ``X`` (validated against the fitted table)."""
        check_is_fitted(self)
        return self.encoder_.transform(X)

    def _encode_scored(self, X):
        """The encoded rows of ``X`` and what turns their density into the data's.

        A model's log-likelihood of an encoded row plus this correction is
        the log-likelihood of the row as given: the encoder's (Jacobians of
        the real-valued columns, the probability reserved for unseen levels,
        ``-inf`` outside a column's support) and ``-inf`` for a row whose
        value in a constant column differs from the training value (all the
        mass is on that value).

        Returns
        -------
        Xt : ndarray of shape (n_rows, encoder_.n_output_)
        log_correction : ndarray of shape (n_rows,)
        """
        check_is_fitted(self)
        Xt, correction = self.encoder_._encode_with_correction(X)
        return Xt, np.where(self._constant_mismatch(Xt), -np.inf, correction)

    def _likelihood_arguments(self):
        """The keyword arguments of the model's ``BlockLikelihood``."""
        return {
            "blocks": self._blocks,
            "masks": self._block_masks,
            "integer_bins": self._integer_bins,
        }

    @property
    def _constant_columns(self):
        """Encoded column index of each constant block, in block order."""
        return np.array(
            [a for kind, a, _ in self._blocks if kind == "constant"], dtype=np.intp
        )

    def _constant_mismatch(self, Xt):
        """Which encoded rows differ from the training value of a constant column."""
        return np.any(Xt[:, self._constant_columns] != self._constant_values, axis=1)

    def _decode_rows(self, encoded):
        """Encoded rows (model outputs) to data, constant columns written back.

        ``encoded`` (float64, shape (n_rows, encoder_.n_output_)) is changed
        in place; the result has the representation ``fit`` accepted.
        """
        encoded[:, self._constant_columns] = self._constant_values
        return self.encoder_.inverse_transform(encoded)

    def _class_onehot(self, y_index):
        """One-hot float64 rows of shape (n, n_classes) for class indices."""
        return np.eye(len(self.classes_))[y_index]

    def _onehot_or_none(self, y, n):
        """The one-hot classes of labels ``y`` given after fit, for ``n`` rows.

        None for an unconditional model (which refuses labels); a
        conditional model requires them.
        """
        if not self._fitted_with_y:
            self._check_no_labels(y)
            return None
        if y is None:
            raise ValueError(f"A conditional {type(self).__name__} needs y here.")
        return self._class_onehot(self._encode_labels(y, n))

    def _bytes_per_sample(self):
        """float64 values one sampled row needs while ``sample`` builds it.

        The model's encoded row and its concatenated copy, the unscaled
        numeric columns (and a temporary), the decoded columns and the
        output that holds them, and the class label with its value.
        """
        enc = self.encoder_
        n_numeric = len(enc.numeric_columns_)
        return 8 * (2 * enc.n_output_ + 2 * n_numeric + 2 * enc.n_features_in_ + 2)

    def _check_table_state(self):
        """A loaded model's table state is consistent with its encoder.

        ``_blocks`` must be the encoder's output blocks, in order, with some
        numeric ones made ``"constant"``, ``_block_masks`` and
        ``_integer_bins`` the encoder's (``_likelihood_layout``), and
        ``_constant_values`` one float per constant block. Runs before
        anything is built from a loaded state, so an edited file gets a
        clear ValueError.
        """
        expected = [(k, s.start, s.stop) for _, k, s in self.encoder_.output_blocks_]
        blocks = self._blocks
        if not (
            isinstance(blocks, list)
            and len(blocks) == len(expected)
            and all(
                isinstance(b, tuple)
                and (b == e or (e[0] == "numeric" and b == ("constant", *e[1:])))
                for b, e in zip(blocks, expected, strict=False)
            )
        ):
            raise ValueError(
                f"The saved {type(self).__name__}'s blocks must tile the "
                f"encoder's {self.encoder_.n_output_} encoded columns as its "
                f"output blocks {expected} do, numeric ones possibly "
                f"'constant'; got {blocks!r}."
            )
        layout = self.encoder_._likelihood_layout()
        if (self._block_masks, self._integer_bins) != layout:
            raise ValueError(
                f"The saved {type(self).__name__}'s block masks and integer "
                f"bins must be its encoder's, {layout!r}; got "
                f"{(self._block_masks, self._integer_bins)!r}."
            )
        values = self._constant_values
        n_constant = len(self._constant_columns)
        if not (
            isinstance(values, np.ndarray)
            and values.dtype == np.float64
            and values.shape == (n_constant,)
        ):
            raise ValueError(
                f"The saved {type(self).__name__}'s constant values must be a "
                f"float64 array of shape ({n_constant},), one per constant "
                f"block; got {values!r}."
            )
