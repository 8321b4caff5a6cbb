"""GenerativeResampler: counts, kept rows, class-conditional rows, tables, errors."""

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from imblearn.pipeline import make_pipeline as make_imblearn_pipeline
from imblearn.utils.estimator_checks import estimator_checks_generator
from scipy import sparse
from sklearn import config_context
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KernelDensity
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skgen.augment import AugmentedClassifier, GenerativeResampler
from skgen.base import GenerativeTags
from skgen.markov import MarkovChain
from skgen.neural import VAE
from skgen.pipeline import make_generative_pipeline
from skgen.utils import trusted_types


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 2, "random_state": 0}
    return VAE(**{**defaults, **params})


class RecordingVAE(VAE):
    """A VAE that logs the rows (and labels) every fit sees."""

    log: list = []  # noqa: RUF012 (a shared log across clones)

    def fit(self, X, y=None):
        RecordingVAE.log.append((X.copy(), None if y is None else np.array(y)))
        return super().fit(X, y)


class UnconditionalVAE(VAE):
    """A VAE whose skgen tags say it cannot be fitted with labels."""

    def __skgen_tags__(self):
        return GenerativeTags(likelihood_kind="lower_bound", conditional=False)


@pytest.fixture(scope="module")
def three_classes():
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = rng.normal(size=(100, 3)) + y[:, None]
    return X, y


@pytest.fixture(scope="module")
def separated():
    """Two well separated Gaussian classes, the minority at (6, 6)."""
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (400, 2)), rng.normal(6, 1, (40, 2))])
    y = np.repeat([0, 1], [400, 40])
    return X, y


def mixed_frame(n=120, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "height": rng.normal(170, 10, n),
            "visits": rng.randint(0, 20, n).astype("int64"),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "member": rng.rand(n) < 0.3,
        },
        index=np.arange(1000, 1000 + n),  # not a RangeIndex
    )
    y = pd.Series(np.where(np.arange(n) < n // 6, "rare", "common"), name="label")
    y.index = X.index
    return X, y


# ------------------------------------------------------------ strategies


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ("auto", [60, 60, 60]),
        ("not majority", [60, 60, 60]),
        ("all", [60, 60, 60]),
        ("minority", [60, 30, 60]),
        ("not minority", [60, 60, 10]),
        ({2: 40}, [60, 30, 40]),
        ({1: 31, 2: 10}, [60, 31, 10]),
        (lambda y: {1: int((y == 1).sum()) + 5}, [60, 35, 10]),
    ],
)
@pytest.mark.parametrize("conditional", [True, False])
def test_counts_follow_each_strategy(three_classes, strategy, expected, conditional):
    X, y = three_classes
    sampler = GenerativeResampler(
        tiny(), sampling_strategy=strategy, conditional=conditional, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == expected
    assert X_res.shape == (sum(expected), 3)


def test_float_strategy_is_the_minority_to_majority_ratio():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(100, 2)), np.repeat([0, 1], [80, 20])
    sampler = GenerativeResampler(tiny(), sampling_strategy=0.5, random_state=0)
    assert np.bincount(sampler.fit_resample(X, y)[1]).tolist() == [80, 40]


def test_string_labels_and_balanced_data(three_classes):
    X, y = three_classes
    labels = np.array(["a", "b", "c"], dtype=object)[y]
    X_res, y_res = GenerativeResampler(tiny(), random_state=0).fit_resample(X, labels)
    assert y_res.dtype == object
    assert pd.Series(y_res).value_counts().to_dict() == {"a": 60, "b": 60, "c": 60}
    balanced = np.repeat([0, 1], 20)
    sampler = GenerativeResampler(tiny(), random_state=0)
    X_res, y_res = sampler.fit_resample(X[:40], balanced)
    assert X_res.shape == (40, 3)
    assert sampler.generator_ is None  # nothing to draw: nothing fitted


# ------------------------------------------------------- rows and classes


@pytest.mark.parametrize("conditional", [True, False])
def test_original_rows_first_and_unchanged(three_classes, conditional):
    X, y = three_classes
    X_res, y_res = GenerativeResampler(
        tiny(), conditional=conditional, random_state=0
    ).fit_resample(X, y)
    np.testing.assert_array_equal(X_res[:100], X)
    np.testing.assert_array_equal(y_res[:100], y)
    # synthetic rows of each class follow, classes in sorted order
    np.testing.assert_array_equal(y_res[100:], np.repeat([1, 2], [30, 50]))
    assert not np.isin(X_res[100:], X).all(axis=1).any()


@pytest.mark.parametrize("conditional", [True, False])
def test_synthetic_rows_follow_their_class(separated, conditional):
    X, y = separated
    vae = VAE(hidden_layer_sizes=(16,), max_epochs=20, batch_size=64, lr=1e-2)
    sampler = GenerativeResampler(vae, conditional=conditional, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[440:]
    assert (y_res[440:] == 1).all()
    assert new.shape == (360, 2)
    np.testing.assert_allclose(new.mean(axis=0), [6, 6], atol=0.4)
    np.testing.assert_allclose(new.std(axis=0), [1, 1], atol=0.3)
    # inside the minority's range widened by one standard deviation
    minority = X[y == 1]
    inside = (new > minority.min(axis=0) - 1) & (new < minority.max(axis=0) + 1)
    assert inside.all(axis=1).mean() > 0.95
    assert sampler.conditional_ is conditional


def test_modes_fit_the_rows_they_should(three_classes):
    X, y = three_classes
    RecordingVAE.log.clear()
    cond = GenerativeResampler(RecordingVAE(**tiny().get_params()), random_state=0)
    cond.fit_resample(X, y)
    ((X_seen, y_seen),) = RecordingVAE.log
    np.testing.assert_array_equal(X_seen, X)
    np.testing.assert_array_equal(y_seen, y)
    assert cond.conditional_ and cond.generators_ == {}
    assert cond.generator_.classes_.tolist() == [0, 1, 2]

    RecordingVAE.log.clear()
    per_class = GenerativeResampler(
        RecordingVAE(**tiny().get_params()), conditional=False, random_state=0
    )
    per_class.fit_resample(X, y)
    assert [y_seen for _, y_seen in RecordingVAE.log] == [None, None]
    np.testing.assert_array_equal(RecordingVAE.log[0][0], X[y == 1])
    np.testing.assert_array_equal(RecordingVAE.log[1][0], X[y == 2])
    assert sorted(per_class.generators_) == [1, 2]  # the majority gets none
    assert per_class.generator_ is None


def test_auto_mode_reads_the_tags(three_classes):
    X, y = three_classes
    for generator, expected in [
        (tiny(), True),
        (make_generative_pipeline(StandardScaler(), tiny()), True),
        (UnconditionalVAE(**tiny().get_params()), False),
        (GaussianMixture(n_components=1, random_state=0), False),
    ]:
        sampler = GenerativeResampler(generator, random_state=0)
        _, y_res = sampler.fit_resample(X, y)
        assert sampler.conditional_ is expected, generator
        assert np.bincount(y_res).tolist() == [60, 60, 60]


def test_generative_pipeline_samples_in_the_original_space(separated):
    X, y = separated
    X = X * 100 + 1000  # far from standardised
    pipe = make_generative_pipeline(
        StandardScaler(), VAE(hidden_layer_sizes=(16,), max_epochs=20, lr=1e-2)
    )
    sampler = GenerativeResampler(pipe, random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.conditional_
    np.testing.assert_allclose(X_res[440:].mean(axis=0), [1600, 1600], atol=40)


def test_gaussian_mixture_per_class(separated):
    X, y = separated
    X_res, _ = GenerativeResampler(
        GaussianMixture(n_components=1, random_state=0), random_state=0
    ).fit_resample(X, y)
    np.testing.assert_allclose(X_res[440:].mean(axis=0), [6, 6], atol=0.3)


def test_integer_and_float32_arrays_keep_their_dtype(three_classes):
    X, y = three_classes
    for dtype in (np.int64, np.float32):
        Xd = (X * 10).astype(dtype)
        X_res, _ = GenerativeResampler(tiny(), random_state=0).fit_resample(Xd, y)
        assert X_res.dtype == dtype
        np.testing.assert_array_equal(X_res[:100], Xd)


# ----------------------------------------------------------------- tables


@pytest.mark.parametrize("conditional", [True, False])
def test_dataframe_in_dataframe_out(conditional):
    X, y = mixed_frame()
    X_res, y_res = GenerativeResampler(
        tiny(), conditional=conditional, random_state=0
    ).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame)
    assert isinstance(y_res, pd.Series)
    assert y_res.name == "label"
    assert X_res.columns.tolist() == X.columns.tolist()
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    assert X_res["colour"].cat.categories.tolist() == ["blue", "green", "red"]
    assert y_res.value_counts().to_dict() == {"common": 100, "rare": 100}
    pd.testing.assert_frame_equal(X_res.iloc[:120], X.reset_index(drop=True))
    assert (y_res.iloc[:120].to_numpy() == y.to_numpy()).all()
    new = X_res.iloc[120:]
    assert new["colour"].isin(["red", "green", "blue"]).all()
    assert new.notna().all().all()


@pytest.mark.parametrize(
    "generator",
    [
        GaussianMixture(n_components=1, random_state=0),
        KernelDensity(bandwidth=0.3),
    ],
    ids=["GaussianMixture", "KernelDensity"],
)
def test_int_and_bool_columns_from_an_array_generator(generator):
    """Generators returning arrays: ints rounded, bools thresholded at 0.5."""
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], [300, 100])
    X = pd.DataFrame({"i": rng.randint(0, 2, 400), "b": rng.rand(400) > 0.5})
    X_res, _ = GenerativeResampler(generator, random_state=0).fit_resample(X, y)
    new, minority = X_res.iloc[400:], X[y == 1]
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    # truncating toward zero gave i a mean of 0.17; ``!= 0`` made b all True
    assert abs(new["i"].mean() - minority["i"].mean()) < 0.1
    assert abs(new["b"].mean() - minority["b"].mean()) < 0.1
    assert set(new["i"]) <= {-1, 0, 1, 2}


def test_inside_an_imblearn_pipeline(three_classes):
    X, y = three_classes
    seen = []

    class RecordingLogisticRegression(LogisticRegression):
        def fit(self, X, y):
            seen.append(np.bincount(y).tolist())
            return super().fit(X, y)

    pipe = make_imblearn_pipeline(
        GenerativeResampler(tiny(), random_state=0), RecordingLogisticRegression()
    ).fit(X, y)
    assert seen == [[60, 60, 60]]
    assert pipe.predict(X).shape == (100,)  # predict does not resample
    assert seen == [[60, 60, 60]]


# --------------------------------------------------------------- seeding


@pytest.mark.parametrize("conditional", [True, False])
def test_same_random_state_same_output(three_classes, conditional):
    X, y = three_classes

    def run(random_state, generator_seed=None):
        vae = tiny(random_state=generator_seed)
        return GenerativeResampler(
            vae, conditional=conditional, random_state=random_state
        ).fit_resample(X, y)[0]

    # the sampler's seed overrides the generator's
    np.testing.assert_array_equal(run(0), run(0, generator_seed=123))
    assert not np.allclose(run(0)[100:], run(1)[100:])
    # None: the generator keeps its seed, the draws are fresh
    assert not np.allclose(run(None, 0)[100:], run(None, 0)[100:])


# ----------------------------------------------------------------- errors


def test_errors(three_classes):
    X, y = three_classes
    with pytest.raises(InvalidParameterError, match="'generator' parameter"):
        GenerativeResampler(StandardScaler()).fit_resample(X, y)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        GenerativeResampler(tiny()).fit_resample(X, X[:, 0])
    with pytest.raises(ValueError, match="more than 1 class"):
        GenerativeResampler(tiny()).fit_resample(X, np.zeros(100))
    with pytest.raises(ValueError, match="representation is 'token_sequences'"):
        GenerativeResampler(MarkovChain()).fit_resample(X, y)
    with pytest.raises(ValueError, match="conditional=True needs a generator"):
        GenerativeResampler(GaussianMixture(), conditional=True).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        GenerativeResampler(tiny()).fit_resample(X_nan, y)
    frame, labels = mixed_frame()
    frame.loc[frame.index[5], "height"] = np.nan
    with pytest.raises(ValueError, match=r"missing values .* in columns \['height'\]"):
        GenerativeResampler(tiny()).fit_resample(frame, labels)
    with pytest.raises(TypeError, match=r"[Ss]parse"):
        GenerativeResampler(tiny()).fit_resample(sparse.csr_matrix(X), y)


@pytest.mark.parametrize("conditional", [True, False])
def test_generator_parameters_are_validated(three_classes, conditional):
    """imbalanced-learn skips nested validation; the generator is the user's."""
    X, y = three_classes
    sampler = GenerativeResampler(
        tiny(max_epochs=-1), conditional=conditional, random_state=0
    )
    with pytest.raises(InvalidParameterError, match="'max_epochs' parameter of VAE"):
        sampler.fit_resample(X, y)
    assert not hasattr(sampler, "sampling_strategy_")  # nothing half-fitted
    # in an imblearn pipeline too
    pipe = make_imblearn_pipeline(sampler, LogisticRegression())
    with pytest.raises(InvalidParameterError, match="'max_epochs' parameter of VAE"):
        pipe.fit(X, y)


def test_global_skip_parameter_validation_is_honoured(three_classes):
    """A user who turns validation off gets no check, nested or not."""
    X, y = three_classes
    sampler = GenerativeResampler(tiny(max_epochs=-1), random_state=0)
    with config_context(skip_parameter_validation=True):
        _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [60, 60, 60]


def test_class_with_one_row(three_classes):
    X, y = three_classes
    y = y.copy()
    y[-1] = 3  # one row of class 3
    with pytest.raises(ValueError, match="Class 3 has 1 row; fitting a generator"):
        GenerativeResampler(tiny(), conditional=False).fit_resample(X, y)
    # one conditional model borrows strength from the other classes
    _, y_res = GenerativeResampler(tiny(), random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [60, 60, 60, 60]


# ------------------------------------------------------------ persistence


def test_skops_round_trip():
    """skgen's trusted types cover the sampler, the VAE and its encoder."""
    X, y = mixed_frame()
    sampler = GenerativeResampler(tiny(), random_state=0)
    sampler.fit_resample(X, y)
    loaded = sio.loads(sio.dumps(sampler), trusted=trusted_types())
    assert type(loaded.generator_.encoder_).__name__ == "TabularEncoder"
    np.testing.assert_array_equal(
        loaded.generator_.sample(5, y="rare", random_state=0)[0]["height"],
        sampler.generator_.sample(5, y="rare", random_state=0)[0]["height"],
    )


# -------------------------------------------------- imbalanced-learn's checks


def _imblearn_checks():
    estimators = [
        GenerativeResampler(tiny(), random_state=0),
        GenerativeResampler(tiny(), conditional=False, random_state=0),
        AugmentedClassifier(LogisticRegression(), tiny(), random_state=0),
    ]
    return [
        pytest.param(est, check, id=f"{type(est).__name__}{i}-{check.func.__name__}")
        for i, est in enumerate(estimators)
        for est, check in estimator_checks_generator(est)
    ]


@pytest.mark.parametrize(("estimator", "check"), _imblearn_checks())
def test_imblearn_checks(estimator, check):
    check(estimator)
