"""The shared generative-classifier and fitting pieces of skgen.base."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from skgen.base import GenerativeClassifierMixin, GenerativeMixin, check_n_samples
from skgen.markov import MarkovChain


class _Fixed(GenerativeClassifierMixin, BaseEstimator):
    """Class log-likelihoods given directly."""

    def __init__(self, ll, prior):
        self.ll = ll
        self.prior = prior

    def fit(self):
        self.classes_ = np.array(["a", "b"])
        self.class_log_prior_ = np.log(self.prior)
        return self

    def _class_log_likelihood(self, X):
        return np.asarray(self.ll, dtype=float)


def test_posteriors_are_stable_for_huge_log_likelihoods():
    clf = _Fixed([[-1e12, -1e12 - 1.0], [-3.0, -1e300]], [0.5, 0.5]).fit()
    proba = clf.predict_proba(None)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(proba[0], [1 / (1 + np.exp(-1)), 1 / (1 + np.e)])
    np.testing.assert_array_equal(clf.predict(None), ["a", "a"])


def test_zero_likelihood_under_every_class_is_an_error():
    clf = _Fixed([[-np.inf, -np.inf], [0.0, -1.0]], [0.5, 0.5]).fit()
    with pytest.raises(ValueError, match=r"Sample\(s\) \[0\] have zero likelihood"):
        clf.predict_proba(None)


@pytest.mark.parametrize(
    ("y", "match"),
    [
        ([0, "a", 1], "Mix of label input types"),
        ([0, 1], "one label per sample \\(3\\); got 2"),
        ([0.5, 1.5, 2.5], "Unknown label type"),
    ],
)
def test_training_labels_are_checked(y, match):
    with pytest.raises(ValueError, match=match):
        MarkovChain().fit([[0], [1], [2]], y)


def test_partial_fit_labels_keep_their_type():
    mc = MarkovChain().partial_fit([[0], [1]], [0, 1])
    with pytest.raises(ValueError, match="Mix of label input types"):
        mc.partial_fit([[0], [1]], ["a", "b"])
    np.testing.assert_array_equal(mc.classes_, [0, 1])  # nothing lost


def test_failed_fit_keeps_the_fitted_model():
    mc = MarkovChain().fit([[0, 1, 0, 1], [1, 0, 1]])
    expected = mc.score_samples([[0, 1]])
    with pytest.raises(ValueError, match=">= 0; got -1"):
        mc.fit([[0, -1]])
    with pytest.raises(ValueError, match="one label per sample"):
        mc.fit([[5, 6]], y=[0, 1])
    np.testing.assert_array_equal(mc.score_samples([[0, 1]]), expected)


@pytest.mark.parametrize(
    ("n", "error", "match"),
    [(0, ValueError, "n_samples must be >= 1; got 0"), (2.0, TypeError, "int >= 1")],
)
def test_check_n_samples(n, error, match):
    with pytest.raises(error, match=match):
        check_n_samples(n)


# ------------------------------------------------ shared contract helpers


@pytest.mark.parametrize(
    ("random_state", "error", "match"),
    [
        (-1, ValueError, r"int in \[0, 2\*\*32 - 1\].*; got -1\."),
        (2**32, ValueError, "; got 4294967296"),
        ("abc", TypeError, "got 'abc' of type str"),
        (True, TypeError, "got True of type bool"),
        (1.5, TypeError, "got 1.5 of type float"),
    ],
)
def test_sample_random_state_is_checked(random_state, error, match):
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    with pytest.raises(error, match=match):
        mc.sample(2, random_state=random_state)


def test_sample_random_state_accepts_ints_generators_and_none():
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    a = mc.sample(5, random_state=np.int64(3))
    b = mc.sample(5, random_state=np.random.RandomState(3))
    assert [s.tolist() for s in a] == [s.tolist() for s in b]
    assert len(mc.sample(5, random_state=None)) == 5


def test_huge_sample_request_fails_before_any_work(monkeypatch):
    mc = MarkovChain().fit([[0, 1, 0], [1, 0]])
    with pytest.raises(ValueError, match=r"sample\(n_samples=10{30}\) would need"):
        mc.sample(10**30)
    called = []
    monkeypatch.setattr(
        MarkovChain, "_bytes_per_sample", lambda self: called.append(1) or 10
    )
    small = MarkovChain().fit([[0, 1]])
    monkeypatch.setattr("skgen.utils._resources.available_memory", lambda: 1000)
    with pytest.raises(
        ValueError, match=r"about 1010 B of memory, more than the 1000 B"
    ):
        small._check_sample_params(101, 0)
    assert called


def test_format_bytes():
    from skgen.utils._resources import format_bytes

    assert format_bytes(512) == "512 B"
    assert format_bytes(3 * 2**30) == "3.0 GiB"
    assert format_bytes(2**60) == "1024.0 PiB"


def test_unavailable_method_says_why():
    mc = MarkovChain().fit([[0, 1]])
    assert not hasattr(mc, "predict_proba")
    with pytest.raises(AttributeError, match="was fitted without y, so it does not"):
        mc.predict_proba([[0, 1]])
    with pytest.raises(AttributeError, match="not fitted yet"):
        MarkovChain().predict([[0]])


def test_y_given_to_an_unconditional_model():
    mc = MarkovChain().fit([[0, 1]])
    with pytest.raises(ValueError, match="y was given, but this MarkovChain was"):
        mc._check_no_labels([0])


@pytest.mark.parametrize("missing", [np.nan, None])
def test_missing_training_labels_are_named(missing):
    with pytest.raises(ValueError, match=r"missing labels \(NaN or None\) at index"):
        MarkovChain().fit([[0], [1], [0]], [0, missing, 1])


def test_fitted_params_are_recorded_by_a_successful_fit_only():
    mc = MarkovChain(order=1).fit([[0, 1]])
    assert mc._fitted_params == mc.get_params()
    mc.set_params(order=3)
    with pytest.raises(ValueError, match=">= 0; got -1"):
        mc.fit([[0, -1]])
    assert mc._fitted_params["order"] == 1


def test_warnings_are_attributed_to_the_first_frame_outside_skgen():
    import inspect

    from skgen.utils._warnings import warn

    line = inspect.currentframe().f_lineno + 2
    with pytest.warns(UserWarning, match="here") as record:
        warn("here")
    assert record[0].filename == __file__ and record[0].lineno == line


# ------------------------------------------------ the sampling template


class _Labelled(GenerativeClassifierMixin, GenerativeMixin, BaseEstimator):
    """A user-style model: only its fit and one class's draws.

    Each sample holds its own class index, so the test sees whether the
    template put every class's samples back where they were asked for.
    """

    def __init__(self, output="array"):
        self.output = output

    def fit(self, X, y=None):
        self._fit_class_labels(y, len(X))
        self.n_features_in_ = 2
        return self

    def _sample_class(self, n_samples, class_index, rng, *, sizes=None):
        k = -1 if class_index is None else class_index
        noise = rng.random_sample(n_samples)
        if self.output == "list":
            return [np.full(int(s), k) for s in sizes]
        if self.output == "frame":
            return pd.DataFrame(
                {
                    "k": pd.Categorical([k] * n_samples, categories=[-1, 0, 1, 2]),
                    "u": noise,
                }
            )
        if self.output == "tuple":
            return np.full((n_samples, 2), k), [np.full(int(s), k) for s in sizes]
        return np.column_stack([np.full(n_samples, k), noise])


class _Sized(_Labelled):
    """One option per sample (a length), split by class by the template."""

    _per_sample_options = ("sizes",)

    def sample(self, n_samples=1, *, y=None, sizes=None, random_state=None):
        return self._sample(n_samples, y=y, random_state=random_state, sizes=sizes)

    def _prepare_sample(self, n_samples, rng, *, sizes):
        if sizes is None:
            sizes = 1 + rng.randint(5, size=n_samples)
        return {"sizes": np.asarray(sizes)}


_X3 = np.zeros((6, 2))
_Y3 = ["a", "b", "c", "a", "c", "c"]


@pytest.mark.parametrize("output", ["array", "frame"])
def test_template_reassembles_classes_in_the_requested_order(output):
    model = _Labelled(output).fit(_X3, _Y3)
    X, y = model.sample(200, random_state=0)
    k = np.asarray(X["k"] if output == "frame" else X[:, 0]).astype(int)
    np.testing.assert_array_equal(model.classes_[k], y)
    assert set(y) == {"a", "b", "c"}  # drawn from the class frequencies
    if output == "frame":
        assert X["k"].dtype == "category" and list(X.index) == list(range(200))
    X2, y2 = model.sample(200, random_state=0)
    np.testing.assert_array_equal(y2, y)
    np.testing.assert_array_equal(np.asarray(X2), np.asarray(X))
    # given labels are kept, in order
    _, y3 = model.sample(3, y=["c", "a", "c"], random_state=0)
    np.testing.assert_array_equal(y3, ["c", "a", "c"])


@pytest.mark.parametrize("output", ["list", "tuple"])
def test_template_splits_per_sample_options_by_class(output):
    model = _Sized(output).fit(_X3, _Y3)
    sizes = np.arange(1, 31)
    out = model.sample(30, sizes=sizes, random_state=1)
    y = out[-1]
    seqs = out[0] if output == "list" else out[1]
    assert [len(s) for s in seqs] == sizes.tolist()  # each sample its own size
    for s, label in zip(seqs, y, strict=True):
        assert model.classes_[s[0]] == label
    if output == "tuple":
        assert len(out) == 3
        np.testing.assert_array_equal(model.classes_[out[0][:, 0]], y)


def test_template_unconditional_returns_x_alone():
    model = _Sized("list").fit(_X3)
    X = model.sample(4, sizes=[1, 2, 3, 4], random_state=0)
    assert isinstance(X, list) and [len(s) for s in X] == [1, 2, 3, 4]
    assert all((s == -1).all() for s in X)  # class_index None
    with pytest.raises(ValueError, match="y was given, but this _Sized was fitted"):
        model.sample(2, y="a")


def test_template_unknown_options_and_missing_hook():
    model = _Labelled().fit(_X3)
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['max_"):
        model.sample(2, max_length=3)

    class _NoHook(GenerativeMixin, BaseEstimator):
        def fit(self, X, y=None):
            self.n_features_in_ = 1
            return self

    with pytest.raises(NotImplementedError, match="must implement _sample_class"):
        _NoHook().fit(_X3).sample(2)


def test_fit_labels_clear_stale_class_attributes():
    model = _Labelled().fit(_X3, _Y3)
    np.testing.assert_array_equal(model.class_count_, [2, 1, 3])
    np.testing.assert_allclose(np.exp(model.class_log_prior_), [2 / 6, 1 / 6, 3 / 6])
    model.fit(_X3)
    for attr in ("classes_", "class_count_", "class_log_prior_"):
        assert not hasattr(model, attr)
    assert model.sample(2, random_state=0).shape == (2, 2)


def test_conditional_markov_draws_are_those_of_the_loop_before_the_template():
    X = [[0, 1, 0, 1], [1, 0, 1], [0, 1], [2, 2, 3], [3, 2], [2, 3, 3]]
    mc = MarkovChain(order=1).fit(X, ["x", "x", "x", "y", "y", "z"])
    got, y = mc.sample(50, max_length=20, random_state=4)
    rng = np.random.RandomState(4)  # the loop each family wrote before
    labels = rng.choice(3, size=50, p=np.exp(mc.class_log_prior_))
    expected = [None] * 50
    for k in np.unique(labels):
        members = np.flatnonzero(labels == k)
        seqs = mc._sample_table(mc._tables[k], members.shape[0], 20, rng)
        for i, s in zip(members, seqs, strict=True):
            expected[i] = s
    np.testing.assert_array_equal(y, mc.classes_[labels])
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_array_equal(a, b)


# ------------------------------- one message per shared error, every family


def _fitted_families():
    from skgen.hmm import CategoricalHMM, GaussianHMM
    from skgen.neural import VAE

    rng = np.random.RandomState(0)
    seqs = [rng.randint(3, size=6) for _ in range(8)]
    frames = [rng.normal(size=(6, 2)) for _ in range(8)]
    quiet = {"max_iter": 2, "random_state": 0}
    return [
        MarkovChain(order=1).fit(seqs),
        CategoricalHMM(2, **quiet).fit(seqs),
        GaussianHMM(2, **quiet).fit(frames),
        VAE(hidden_layer_sizes=(4,), max_epochs=1, random_state=0).fit(
            rng.normal(size=(20, 3))
        ),
    ]


@pytest.fixture(scope="module")
def families():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short fits do not converge
        return _fitted_families()


def test_every_family_gives_the_base_messages(families):
    for model in families:
        name = type(model).__name__
        with pytest.raises(ValueError, match=r"^n_samples must be >= 1; got 0\.$"):
            model.sample(0)
        with pytest.raises(
            ValueError, match=r"^sample\(n_samples=1000000000000\) would need about"
        ):
            model.sample(10**12)
        with pytest.raises(
            ValueError,
            match=rf"^y was given, but this {name} was fitted without y; fit it "
            "with class labels to condition on them\\.$",
        ):
            model.sample(2, y=0)
        with pytest.raises(TypeError, match=r"^n_samples must be an int >= 1; got 2"):
            model.sample(2.0)
        with pytest.raises(ValueError, match=r"^random_state must be an int in"):
            model.sample(2, random_state=-1)
