"""AugmentedClassifier and AugmentedRegressor: no leakage, delegation, tables."""

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import r2_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils._param_validation import InvalidParameterError

from skgen.augment import AugmentedClassifier, AugmentedRegressor
from skgen.markov import MarkovChain
from skgen.neural import VAE
from skgen.utils import trusted_types


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 2, "random_state": 0}
    return VAE(**{**defaults, **params})


#: What the recording estimators below saw, shared across clones.
LOG: dict = {"generator_fit": [], "estimator_fit": [], "predicted": []}


class RecordingVAE(VAE):
    def fit(self, X, y=None):
        LOG["generator_fit"].append(np.array(X, copy=True))
        return super().fit(X, y)


class RecordingLogisticRegression(LogisticRegression):
    def fit(self, X, y):
        LOG["estimator_fit"].append((X.copy(), np.array(y)))
        return super().fit(X, y)

    def predict(self, X):
        LOG["predicted"].append(np.array(X, copy=True))
        return super().predict(X)


@pytest.fixture(autouse=True)
def _clear_log():
    for rows in LOG.values():
        rows.clear()


@pytest.fixture(scope="module")
def imbalanced():
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], [90, 30])
    X = rng.normal(size=(120, 3)) + 1.5 * y[:, None]
    return X, y


def as_set(rows):
    return {tuple(r) for r in np.asarray(rows)}


def mixed_frame(n=120, seed=0):
    rng = np.random.RandomState(seed)
    y = np.where(np.arange(n) < n // 5, "rare", "common")
    X = pd.DataFrame(
        {
            "height": rng.normal(170, 10, n) + 10 * (y == "rare"),
            "visits": rng.randint(0, 20, n).astype("int64"),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "member": rng.rand(n) < 0.3,
        }
    )
    return X, pd.Series(y, name="label")


# ------------------------------------------------------------- leakage


def test_cross_validation_never_leaks(imbalanced):
    """The generator sees training rows only; test folds are never augmented."""
    X, y = imbalanced
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    clf = AugmentedClassifier(
        RecordingLogisticRegression(),
        RecordingVAE(**tiny().get_params()),
        random_state=0,
    )
    scores = cross_val_score(clf, X, y, cv=cv, scoring="balanced_accuracy")
    assert scores.shape == (3,)
    splits = list(cv.split(X, y))
    assert len(LOG["generator_fit"]) == len(LOG["estimator_fit"]) == 3
    for (train, test), gen_rows, (fit_X, _), predicted in zip(
        splits,
        LOG["generator_fit"],
        LOG["estimator_fit"],
        LOG["predicted"],
        strict=True,
    ):
        # the generator was fitted on exactly the training fold
        assert as_set(gen_rows) == as_set(X[train])
        assert not as_set(gen_rows) & as_set(X[test])
        # the estimator: the training fold first, then synthetic rows only
        np.testing.assert_array_equal(fit_X[: len(train)], X[train])
        assert len(fit_X) == 2 * (y[train] == 0).sum()  # balanced
        assert not as_set(fit_X[len(train) :]) & as_set(X)
        # scored on exactly the test fold, no synthetic row
        np.testing.assert_array_equal(predicted, X[test])


def test_grid_search_and_plain_pipeline(imbalanced):
    X, y = imbalanced
    pipe = make_pipeline(
        StandardScaler(),
        AugmentedClassifier(LogisticRegression(), tiny(), random_state=0),
    )
    search = GridSearchCV(
        pipe,
        {
            "augmentedclassifier__generator__max_epochs": [1, 2],
            "augmentedclassifier__estimator__C": [0.1, 1.0],
        },
        cv=3,
        scoring="balanced_accuracy",
    ).fit(X, y)
    assert set(search.best_params_) == {
        "augmentedclassifier__generator__max_epochs",
        "augmentedclassifier__estimator__C",
    }
    assert search.predict(X).shape == (120,)
    fitted = search.best_estimator_[-1]
    assert (
        fitted.resampler_.generator_.max_epochs
        == (search.best_params_["augmentedclassifier__generator__max_epochs"])
    )


# -------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [90, 90]),
        ({"sampling_strategy": 0.5}, [90, 45]),
        ({"n_synthetic": 10}, [100, 40]),
        ({"n_synthetic": 0.5}, [135, 45]),  # half of each class's size
        ({"n_synthetic": 0}, [90, 30]),
        ({"n_synthetic": 0.0}, [90, 30]),  # 0.0 is 0, not an error
        ({"n_synthetic": 0.05}, [95, 32]),  # 4.5 -> 5 and 1.5 -> 2: half up
        ({"n_synthetic": 1 / 12}, [98, 33]),  # 7.5 -> 8 (round gives 8), 2.5 -> 3
    ],
)
def test_rows_added(imbalanced, params, expected):
    X, y = imbalanced
    clf = AugmentedClassifier(
        RecordingLogisticRegression(), tiny(), random_state=0, **params
    ).fit(X, y)
    ((fit_X, fit_y),) = LOG["estimator_fit"]
    assert np.bincount(fit_y).tolist() == expected
    assert clf.n_synthetic_ == sum(expected) - 120
    np.testing.assert_array_equal(fit_X[:120], X)


def test_n_synthetic_with_sampling_strategy_is_an_error(imbalanced):
    X, y = imbalanced
    clf = AugmentedClassifier(
        LogisticRegression(), tiny(), n_synthetic=5, sampling_strategy="minority"
    )
    with pytest.raises(ValueError, match="n_synthetic and sampling_strategy both"):
        clf.fit(X, y)
    with pytest.raises(TypeError, match=r"'n_synthetic' parameter .* Got True"):
        AugmentedClassifier(LogisticRegression(), tiny(), n_synthetic=True).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'n_synthetic' parameter"):
        AugmentedClassifier(LogisticRegression(), tiny(), n_synthetic=-1).fit(X, y)
    with pytest.raises(InvalidParameterError, match="'n_synthetic' parameter"):
        AugmentedClassifier(LogisticRegression(), tiny(), n_synthetic=-0.5).fit(X, y)


# ----------------------------------------------------------- validation


@pytest.mark.parametrize("bad", ["generator", "estimator"])
def test_inner_parameters_are_validated(imbalanced, linear, bad):
    """The generator's and estimator's parameters, as sklearn's own checks."""
    generator = tiny(max_epochs=-1) if bad == "generator" else tiny()
    match = "'max_epochs' parameter of VAE" if bad == "generator" else "'C' param"
    X, y = imbalanced
    C = -1.0 if bad == "estimator" else 1.0
    with pytest.raises(InvalidParameterError, match=match):
        AugmentedClassifier(LogisticRegression(C=C), generator).fit(X, y)
    X, y = linear
    alpha = -1.0 if bad == "estimator" else 1.0
    match = match if bad == "generator" else "'alpha' parameter"
    with pytest.raises(InvalidParameterError, match=match):
        AugmentedRegressor(Ridge(alpha=alpha), generator).fit(X, y)


def test_refit_on_an_array_drops_feature_names(imbalanced, linear):
    for make, (X, y) in [
        (lambda: AugmentedClassifier(LogisticRegression(), tiny()), imbalanced),
        (lambda: AugmentedRegressor(Ridge(), tiny(), n_synthetic=5), linear),
    ]:
        frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
        model = make().fit(frame, y)
        assert model.feature_names_in_.tolist() == frame.columns.tolist()
        model.fit(X, y)
        assert not hasattr(model, "feature_names_in_")
        assert model.n_features_in_ == X.shape[1]


def test_fit_takes_no_sample_weight(imbalanced):
    X, y = imbalanced
    clf = AugmentedClassifier(LogisticRegression(), tiny())
    with pytest.raises(TypeError, match="sample_weight"):
        clf.fit(X, y, sample_weight=np.ones(len(y)))


# ---------------------------------------------------------- delegation


def test_delegation(imbalanced):
    X, y = imbalanced
    clf = AugmentedClassifier(LogisticRegression(), tiny(), random_state=0)
    assert hasattr(clf, "predict_proba")
    clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), clf.estimator_.predict(X))
    np.testing.assert_array_equal(clf.predict_proba(X), clf.estimator_.predict_proba(X))
    np.testing.assert_array_equal(
        clf.decision_function(X), clf.estimator_.decision_function(X)
    )
    assert clf.score(X, y) == clf.estimator_.score(X, y)
    assert clf.classes_.tolist() == [0, 1]
    svc = AugmentedClassifier(LinearSVC(), tiny(), random_state=0)
    assert not hasattr(svc, "predict_proba")
    assert hasattr(svc.fit(X, y), "decision_function")
    assert not hasattr(svc, "predict_proba")


def test_same_random_state_same_model(imbalanced):
    X, y = imbalanced

    def coef(random_state):
        clf = AugmentedClassifier(
            LogisticRegression(), tiny(random_state=None), random_state=random_state
        )
        return clf.fit(X, y).estimator_.coef_

    np.testing.assert_array_equal(coef(0), coef(0))
    assert not np.allclose(coef(0), coef(1))


def fit_on_mixed_frame(classifier):
    """An AugmentedClassifier of ``classifier`` after one-hot encoding."""
    X, y = mixed_frame()
    encode = make_column_transformer(
        (OneHotEncoder(), ["colour"]), remainder=StandardScaler()
    )
    clf = AugmentedClassifier(make_pipeline(encode, classifier), tiny(), random_state=0)
    return clf.fit(X, y), X, y


def test_mixed_dataframe():
    clf, X, _ = fit_on_mixed_frame(RecordingLogisticRegression())
    ((fit_X, _),) = LOG["estimator_fit"]  # after the column transformer
    assert fit_X.shape == (192, 6)
    assert clf.feature_names_in_.tolist() == X.columns.tolist()
    assert set(clf.predict(X)) <= {"common", "rare"}
    assert clf.predict_proba(X).shape == (120, 2)
    assert clf.classes_.tolist() == ["common", "rare"]


def test_classifier_errors(imbalanced):
    X, y = imbalanced
    clf = AugmentedClassifier(LogisticRegression(), tiny())
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, X[:, 0])
    with pytest.raises(ValueError, match="Multilabel and multioutput"):
        clf.fit(X, np.column_stack([y, y]))
    with pytest.raises(InvalidParameterError, match="'estimator' parameter"):
        AugmentedClassifier(StandardScaler(), tiny()).fit(X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        clf.fit(X_nan, y)
    assert not hasattr(clf, "estimator_")  # a failed fit leaves nothing


# ----------------------------------------------------------- regression


@pytest.fixture(scope="module")
def linear():
    rng = np.random.RandomState(0)
    x = rng.normal(size=300)
    return x[:, None], 3 * x + rng.normal(0, 0.3, 300)


def test_regressor_samples_the_joint_distribution(linear):
    X, y = linear
    vae = VAE(
        latent_dim=1, hidden_layer_sizes=(16,), max_epochs=30, batch_size=64, lr=1e-2
    )
    seen = []

    class RecordingLinearRegression(LinearRegression):
        def fit(self, X, y):
            seen.append((X.copy(), y.copy()))
            return super().fit(X, y)

    reg = AugmentedRegressor(
        RecordingLinearRegression(), vae, n_synthetic=300, random_state=0
    ).fit(X, y)
    ((fit_X, fit_y),) = seen
    assert fit_X.shape == (600, 1)
    np.testing.assert_array_equal(fit_X[:300], X)
    np.testing.assert_array_equal(fit_y[:300], y)
    x_new, y_new = fit_X[300:, 0], fit_y[300:]
    assert np.corrcoef(x_new, y_new)[0, 1] > 0.8
    slope = np.polyfit(x_new, y_new, 1)[0]
    assert abs(slope - 3) < 0.6
    assert abs(reg.estimator_.coef_[0] - 3) < 0.3
    assert reg.generator_.n_features_in_ == 2  # features and target, jointly


def test_regressor_counts_seeds_and_cv(linear):
    X, y = linear
    reg = AugmentedRegressor(Ridge(), tiny(), n_synthetic=0.5, random_state=0)
    assert reg.fit(X, y).n_synthetic_ == 150
    assert (
        AugmentedRegressor(Ridge(), tiny(), n_synthetic=7).fit(X, y).n_synthetic_ == 7
    )
    again = AugmentedRegressor(Ridge(), tiny(random_state=None), random_state=0)
    np.testing.assert_array_equal(
        again.fit(X, y).estimator_.coef_,
        AugmentedRegressor(Ridge(), tiny(random_state=5), random_state=0)
        .fit(X, y)
        .estimator_.coef_,
    )
    scores = cross_val_score(reg, X, y, cv=KFold(3))
    assert scores.shape == (3,)


def test_regressor_dataframe():
    X, _ = mixed_frame()
    X = X.rename(columns={"visits": "target"})  # the default target name, taken
    y = pd.Series(np.random.RandomState(0).normal(size=len(X)))
    seen = []

    def record(frame):
        seen.append(frame.copy())
        return frame

    reg = AugmentedRegressor(
        make_pipeline(
            FunctionTransformer(record),
            make_column_transformer(
                (OneHotEncoder(), ["colour"]), remainder="passthrough"
            ),
            Ridge(),
        ),
        tiny(),
        n_synthetic=30,
        random_state=0,
    ).fit(X, y)
    assert reg.generator_.feature_names_in_.tolist() == [*X.columns, "target_1"]
    fit_X = seen[0]
    assert isinstance(fit_X, pd.DataFrame)
    assert fit_X.shape == (150, 4)
    assert fit_X.dtypes.to_dict() == X.dtypes.to_dict()
    pd.testing.assert_frame_equal(fit_X.iloc[:120], X)
    assert reg.predict(X).shape == (120,)


def test_regressor_dataframe_int_and_bool_columns():
    """An array generator on a table: the int target and bools are rounded."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"x": rng.normal(size=400), "b": rng.rand(400) > 0.5})
    y = pd.Series(rng.randint(0, 2, 400), name="label")
    seen = []

    class RecordingRidge(Ridge):
        def fit(self, X, y):
            seen.append((X.copy(), np.array(y)))
            return super().fit(X, y)

    AugmentedRegressor(
        RecordingRidge(),
        GaussianMixture(n_components=1, random_state=0),
        n_synthetic=400,
        random_state=0,
    ).fit(X, y)
    ((fit_X, fit_y),) = seen
    # truncating toward zero took the target's mean to about 0.2
    assert set(fit_y[400:]) <= {-1, 0, 1, 2}
    assert abs(fit_y[400:].mean() - y.mean()) < 0.1
    assert fit_X["b"].dtype == bool
    assert abs(fit_X["b"].iloc[400:].mean() - X["b"].mean()) < 0.1  # not all True


def test_regressor_n_synthetic_zero_and_none(linear):
    X, y = linear
    for zero in (0, 0.0):
        reg = AugmentedRegressor(Ridge(), tiny(), n_synthetic=zero).fit(X, y)
        assert reg.n_synthetic_ == 0
    assert (
        AugmentedRegressor(Ridge(), tiny(), n_synthetic=0.5)
        .fit(X[:5], y[:5])
        .n_synthetic_
        == 3
    )  # 2.5 rounds half up
    with pytest.raises(InvalidParameterError, match="'n_synthetic' parameter"):
        AugmentedRegressor(Ridge(), tiny(), n_synthetic=None).fit(X, y)


def test_regressor_score_is_r2(linear):
    X, y = linear
    reg = AugmentedRegressor(Ridge(), tiny(), n_synthetic=10, random_state=0)
    reg.fit(X, y)
    assert reg.score(X, y) == pytest.approx(r2_score(y, reg.predict(X)))


def test_regressor_errors(linear):
    X, y = linear
    with pytest.raises(ValueError, match="dtype='numeric' is not compatible"):
        AugmentedRegressor(Ridge(), tiny()).fit(X, np.array(["a", "b"] * 150))
    with pytest.raises(ValueError, match="representation is 'token_sequences'"):
        AugmentedRegressor(Ridge(), MarkovChain()).fit(X, y)
    frame = pd.DataFrame(X, columns=["x"])
    with pytest.raises(
        ValueError, match="y must be numeric for AugmentedRegressor; got dtype object"
    ):
        AugmentedRegressor(Ridge(), tiny()).fit(
            frame, np.array(["a", "b"] * 150, dtype=object)
        )
    y_bad = y.copy()
    y_bad[[3, 7]] = [np.nan, np.inf]
    with pytest.raises(
        ValueError,
        match="y must be finite for AugmentedRegressor; got 2 NaN or infinite values",
    ):
        AugmentedRegressor(Ridge(), tiny()).fit(frame, y_bad)


# ------------------------------------------------------------ persistence


class OwnClassifier(ClassifierMixin, BaseEstimator):
    """A classifier of the user's own: skops does not know its type."""

    def fit(self, X, y):
        self.classes_, counts = np.unique(y, return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


def test_skops_round_trip():
    clf, X, y = fit_on_mixed_frame(LogisticRegression())
    # the VAE's TabularEncoder is on skgen's list; sklearn's types are skops'
    loaded = sio.loads(sio.dumps(clf), trusted=trusted_types())
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # an estimator of the user's own must be trusted by the user
    own = AugmentedClassifier(OwnClassifier(), tiny(), random_state=0).fit(X, y)
    dumped = sio.dumps(own)
    name = f"{OwnClassifier.__module__}.OwnClassifier"
    assert set(sio.get_untrusted_types(data=dumped)) - set(trusted_types()) == {name}
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException):
        sio.loads(dumped, trusted=trusted_types())
    loaded = sio.loads(dumped, trusted=[*trusted_types(), name])
    np.testing.assert_array_equal(loaded.predict(X), own.predict(X))
