"""Distance to closest record and the membership attack, by brute force."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from skgen.metrics import distance_to_closest_record, membership_inference_auc


def _closest(points, queries, skip_self=False):
    out = []
    for i, q in enumerate(queries):
        d = [
            np.linalg.norm(q - p)
            for j, p in enumerate(points)
            if not (skip_self and i == j)
        ]
        out.append(min(d))
    return np.array(out)


def test_dcr_against_brute_force_with_holdout():
    rng = np.random.default_rng(0)
    R, G, H = (
        rng.normal(size=(30, 3)),
        rng.normal(size=(20, 3)),
        rng.normal(size=(25, 3)),
    )
    res = distance_to_closest_record(R, G, X_holdout=H)
    np.testing.assert_allclose(res.distances, _closest(R, G), rtol=1e-12)
    np.testing.assert_allclose(res.baseline, _closest(R, H), rtol=1e-12)
    assert res.ratio == pytest.approx(
        np.median(_closest(R, G)) / np.median(_closest(R, H))
    )
    assert res.exact_match_rate == 0.0


def test_dcr_leave_one_out_and_quantile():
    rng = np.random.default_rng(1)
    R, G = rng.normal(size=(30, 2)), rng.normal(size=(20, 2))
    res = distance_to_closest_record(R, G, quantile=0.1, metric="manhattan")
    manhattan = [[np.abs(r - q).sum() for r in R] for q in G]
    np.testing.assert_allclose(res.distances, np.min(manhattan, axis=1))
    loo = [
        min(np.abs(R[i] - R[j]).sum() for j in range(30) if j != i) for i in range(30)
    ]
    np.testing.assert_allclose(res.baseline, loo)
    assert res.ratio == pytest.approx(
        np.quantile(res.distances, 0.1) / np.quantile(loo, 0.1)
    )


def test_dcr_detects_copies():
    rng = np.random.default_rng(2)
    R, H = rng.normal(size=(2, 400, 4))
    fresh = distance_to_closest_record(R, rng.normal(size=(400, 4)), X_holdout=H)
    assert 0.85 < fresh.ratio < 1.15
    copies = np.r_[R[:100], rng.normal(size=(100, 4))]
    leaky = distance_to_closest_record(R, copies, X_holdout=H)
    assert leaky.exact_match_rate == 0.5
    assert leaky.ratio < 0.5
    assert distance_to_closest_record(R, copies, quantile=0.25).ratio == 0.0


def test_dcr_ratio_zero_over_zero_is_nan():
    R = np.zeros((4, 2))
    res = distance_to_closest_record(R, R)
    assert np.isnan(res.ratio)
    assert res.exact_match_rate == 1.0


def test_dcr_dataframe_encoded_on_real():
    real = pd.DataFrame({"x": [0.0, 10.0, 20.0], "c": ["a", "b", "a"]})
    gen = pd.DataFrame({"x": [10.0], "c": ["a"]})
    res = distance_to_closest_record(real, gen)
    # the closest real row is (10, "b"): x equal, c one 0/1 column apart
    assert res.distances[0] == pytest.approx(1.0)
    far = distance_to_closest_record(real, pd.DataFrame({"x": [30.0], "c": ["a"]}))
    # closest is (20, "a"): 10 apart in x, standardised by the real std
    assert far.distances[0] == pytest.approx(10 / np.std([0.0, 10.0, 20.0]))


def test_membership_auc_against_brute_force():
    rng = np.random.default_rng(3)
    T, H, G = (
        rng.normal(size=(15, 2)),
        rng.normal(size=(12, 2)),
        rng.normal(size=(20, 2)),
    )
    for k in (1, 3):
        scores = []
        for x in np.r_[T, H]:
            d = sorted(np.linalg.norm(x - g) for g in G)
            scores.append(-np.mean(d[:k]))
        expected = roc_auc_score(np.r_[np.ones(15), np.zeros(12)], scores)
        assert membership_inference_auc(T, H, G, n_neighbors=k) == pytest.approx(
            expected
        )


def test_membership_auc_no_leak_and_leak():
    rng = np.random.default_rng(4)
    T, H = rng.normal(size=(2, 300, 4))
    assert abs(membership_inference_auc(T, H, rng.normal(size=(300, 4))) - 0.5) < 0.08
    leaky = T + rng.normal(0, 0.05, size=T.shape)
    assert membership_inference_auc(T, H, leaky) > 0.95


def test_privacy_errors():
    with pytest.raises(
        ValueError,
        match="n_neighbors=5 must be <= the number of generated rows \\(3\\)",
    ):
        membership_inference_auc(
            np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((3, 2)), n_neighbors=5
        )
    with pytest.raises(ValueError, match="X_holdout has 3 features, but X_real has 2"):
        distance_to_closest_record(
            np.zeros((4, 2)), np.zeros((4, 2)), X_holdout=np.zeros((4, 3))
        )
    with pytest.raises(ValueError, match="leave-one-out baseline"):
        distance_to_closest_record(np.zeros((1, 2)), np.zeros((4, 2)))
    with pytest.raises(TypeError, match="X_holdout must be a DataFrame like X_train"):
        membership_inference_auc(
            pd.DataFrame({"a": [1.0, 2.0]}), np.zeros((2, 1)), np.zeros((2, 1))
        )


def test_copies_are_exact_matches_in_many_dimensions():
    # above ~15 features scikit-learn's brute force leaves copies ~1e-7 apart
    T = np.random.default_rng(0).normal(size=(300, 40))
    res = distance_to_closest_record(T, T[:50])
    assert res.exact_match_rate == 1.0
    assert np.all(res.distances == 0)
    # the leave-one-out baseline finds a copy of a row (not the row itself)
    with_copies = distance_to_closest_record(np.r_[T, T[:10]], T[100:])
    assert np.all(with_copies.baseline[:10] == 0)
    assert np.all(with_copies.baseline[300:] == 0)
    assert np.all(with_copies.baseline[10:300] > 1)
    np.testing.assert_allclose(
        with_copies.baseline[10:300], _closest(np.r_[T, T[:10]], T, True)[10:]
    )


def test_membership_auc_ties_at_zero_in_many_dimensions():
    # every candidate, member or not, is copied once in the generated rows:
    # all distances are exactly 0, the attack learns nothing
    rng = np.random.default_rng(5)
    T, H = rng.normal(size=(2, 100, 40))
    assert membership_inference_auc(T, H, np.r_[H, T]) == 0.5
    assert membership_inference_auc(T, H, np.r_[T, H], n_neighbors=1) == 0.5


def test_membership_allows_as_many_generated_rows_as_neighbours():
    rng = np.random.default_rng(6)
    T, H, G = rng.normal(size=(3, 5, 2))
    assert 0 <= membership_inference_auc(T, H, G, n_neighbors=5) <= 1
    assert "(at least ``n_neighbors``)" in membership_inference_auc.__doc__
