"""Input handling shared by every sample-based metric."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from skgen.metrics import (
    detection_score,
    distance_to_closest_record,
    frechet_distance,
    membership_inference_auc,
    mmd,
    precision_recall,
)
from skgen.tabular import TabularEncoder

# each metric as f(X_real, X_generated) -> comparable value
METRICS = {
    "frechet_distance": frechet_distance,
    "mmd": lambda A, B: mmd(A, B, n_permutations=20, random_state=0),
    "precision_recall": lambda A, B: precision_recall(A, B, n_neighbors=2),
    "detection_score": lambda A, B: detection_score(
        A, B, estimator=LogisticRegression(), cv=2, random_state=0
    ),
    "distance_to_closest_record": lambda A, B: distance_to_closest_record(A, B).ratio,
    "membership_inference_auc": lambda A, B: membership_inference_auc(
        A, A.iloc[::-1] if isinstance(A, pd.DataFrame) else A[::-1], B
    ),
}


def _frames(n=40, seed=0):
    rng = np.random.default_rng(seed)

    def one():
        return pd.DataFrame(
            {
                "age": rng.normal(40, 10, n),
                "income": rng.lognormal(10, 1, n),
                "colour": pd.Categorical(rng.choice(["r", "g", "b"], n)),
                "smoker": rng.random(n) < 0.3,
                "city": rng.choice(["x", "y"], n).astype(object),
            }
        )

    return one(), one()


@pytest.mark.parametrize("name", METRICS)
def test_mixed_type_frames_are_encoded_on_real(name):
    # the metrics' encoding is the dtype's (every numeric column standardised,
    # no log or integer kinds): distances in units of the real columns' spread
    real, gen = _frames()
    enc = TabularEncoder(
        column_types="dtype", missing="error", handle_unknown="error"
    ).fit(real)
    metric = METRICS[name]
    expected = metric(enc.transform(real), enc.transform(gen))
    got = metric(real, gen)
    assert got == pytest.approx(expected) if np.isscalar(got) else got == expected


@pytest.mark.parametrize("name", METRICS)
def test_bad_inputs(name):
    metric = METRICS[name]
    X = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match="contains NaN"):
        metric(X, np.where(np.eye(10, 3) == 1, np.nan, X))
    with pytest.raises(ValueError, match=r"has 2 features, but .* has 3"):
        metric(X, X[:, :2])
    with pytest.raises(
        ValueError, match=r"must have at least \d sample\(s\); got 0 in"
    ):
        metric(X, X[:0])
    with pytest.raises(ValueError, match="Pass a DataFrame"):
        metric(X, np.full((10, 3), "a"))
    real, gen = _frames()
    # a missing value is refused in a DataFrame too, in either sample
    with pytest.raises(ValueError, match="missing values"):
        metric(real, gen.assign(age=np.nan))
    with pytest.raises(ValueError, match="missing values"):
        metric(real.assign(colour=pd.Categorical([None] * len(real))), gen)
    with pytest.raises(ValueError, match=r"(?s)(X_generated|Y): .*missing:\n- age"):
        metric(real, gen.drop(columns="age"))


@pytest.mark.parametrize("name", METRICS)
def test_levels_not_in_the_real_rows_are_refused(name):
    # a model's reserved mass for unseen levels is not the metrics' concern: a
    # level the real rows never had is an error, in a binary column and in a
    # categorical one
    real, gen = _frames()
    with pytest.raises(ValueError, match=r"categories not seen in fit: \[.z.\]"):
        METRICS[name](real, gen.assign(city="z"))
    with pytest.raises(ValueError, match=r"categories not seen in fit: \['w'\]"):
        METRICS[name](real, gen.assign(colour=pd.Categorical(["w"] * len(gen))))


@pytest.mark.parametrize(
    "func",
    [
        frechet_distance,
        mmd,
        precision_recall,
        detection_score,
        distance_to_closest_record,
    ],
)
def test_non_array_inputs_are_rejected_by_name(func):
    with pytest.raises(ValueError, match=r"parameter of .* must be an array-like"):
        func(3.0, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"parameter of .* must be an array-like"):
        func(np.zeros((3, 2)), "abc")


def test_arrays_are_used_as_given():
    # an array is not rescaled: multiplying both samples scales the distance
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(2, 50, 2))
    assert frechet_distance(10 * A, 10 * B) == pytest.approx(
        100 * frechet_distance(A, B)
    )
    # a numeric frame is standardised on the real rows: the scale drops out
    fa, fb = pd.DataFrame(10 * A), pd.DataFrame(10 * B)
    assert frechet_distance(fa, fb) == pytest.approx(
        frechet_distance(pd.DataFrame(A), pd.DataFrame(B))
    )
