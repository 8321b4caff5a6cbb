"""The VAE on real-looking tables: missing values, kinds, encoders, variances."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from skgen.neural import VAE
from skgen.tabular import TabularEncoder


def _table(n, seed):
    """Missing values at known rates, a count, a positive and a categorical column.

    ``a`` is missing in 20% of rows at random; ``b`` wherever ``a`` is and in
    5% of the others; ``count`` is 0 in 60% of rows; ``price`` is lognormal.
    """
    rng = np.random.default_rng(seed)
    a = rng.normal(10, 2, n)
    b = 0.5 * a + rng.normal(0, 1, n)
    a_missing = rng.random(n) < 0.2
    b_missing = a_missing | (rng.random(n) < 0.05)
    return pd.DataFrame(
        {
            "a": np.where(a_missing, np.nan, a),
            "b": np.where(b_missing, np.nan, b),
            "count": np.where(rng.random(n) < 0.6, 0, 1 + rng.poisson(3, n)),
            "price": rng.lognormal(3, 0.8, n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        }
    )


@pytest.fixture(scope="module")
def table():
    return _table(2000, 0)


@pytest.fixture(scope="module")
def table_vae(table):
    return VAE(4, hidden_layer_sizes=(32,), max_epochs=40, lr=1e-2, random_state=0).fit(
        table
    )


def test_kinds_and_states_of_the_table(table_vae):
    enc = table_vae.encoder_
    assert enc.column_kinds_ == {
        "a": "continuous",
        "b": "continuous",
        "count": "count",
        "price": "positive",
        "colour": "categorical",
    }
    assert enc.states_ == {"a": ("value", "missing"), "b": ("value", "missing")}


def test_samples_keep_missingness_rates_and_combinations(table, table_vae):
    samples = table_vae.sample(4000, random_state=0)
    real, fake = table.isna(), samples.isna()
    for col in ("a", "b"):
        assert abs(fake[col].mean() - real[col].mean()) < 0.04, col
    # P(b missing | a missing) is 1 in the data, 0.24 if the states were
    # drawn independently (seeds 0, 1, 2 give 0.78 to 0.85 at 30-40 epochs)
    assert fake["b"][fake["a"]].mean() > 0.8
    assert not fake[["count", "price", "colour"]].any().any()
    assert np.all(samples["price"] > 0)
    count = samples["count"].to_numpy()
    assert np.all(count >= 0) and np.all(count == np.round(count))
    assert abs((count == 0).mean() - 0.6) < 0.05
    assert set(samples["colour"]) <= {"red", "green", "blue"}


def test_held_out_rows_unseen_levels_and_far_values_are_scored(table_vae):
    held_out = _table(300, 1)
    scores = table_vae.score_samples(held_out)
    assert np.all(np.isfinite(scores))
    # a level the colour column never had: the encoder's reserved mass
    row = held_out.iloc[[0, 1]].reset_index(drop=True)
    row["colour"] = pd.Categorical(["red", "violet"])
    seen, unseen = table_vae.score_samples(row)
    assert np.isfinite(unseen) and unseen < seen
    # far outside the training range, inside the columns' supports
    far = held_out.iloc[:3].reset_index(drop=True)
    far.loc[0, "price"] = 1e3 * held_out["price"].max()
    far.loc[1, "count"] = 500
    far.loc[2, "a"] = -100.0
    far_scores = table_vae.score_samples(far)
    assert np.all(np.isfinite(far_scores))
    assert np.all(far_scores < scores[:3])
    # outside a support: no mass
    bad = held_out.iloc[:2].reset_index(drop=True)
    bad["count"] = bad["count"].astype(np.float64)
    bad.loc[0, "price"], bad.loc[1, "count"] = -1.0, -2.0
    np.testing.assert_array_equal(table_vae.score_samples(bad), -np.inf)
    # a fraction in a count column: the mass of the unit interval around it,
    # between those of its integer neighbours
    around = held_out.iloc[:1].reset_index(drop=True)
    around["count"] = around["count"].astype(np.float64)
    k = around.loc[0, "count"]
    scores = [
        table_vae.score_samples(around.assign(count=v))[0] for v in (k, k + 0.5, k + 1)
    ]
    assert np.isfinite(scores[1])
    assert min(scores[0], scores[2]) - 1.0 < scores[1] < max(scores[0], scores[2]) + 1.0


# ------------------------------------------------------------ the encoder


@pytest.fixture(scope="module")
def small_table():
    return _table(300, 2)


def tiny(**params):
    defaults = {"hidden_layer_sizes": (8,), "max_epochs": 3, "random_state": 0}
    return VAE(**{**defaults, **params})


def test_a_quantile_encoder_fits_scores_and_samples(small_table):
    vae = tiny(encoder=TabularEncoder(numeric="quantile")).fit(small_table)
    assert set(vae.encoder_.quantile_maps_) == {"a", "b", "price"}
    assert np.all(np.isfinite(vae.score_samples(small_table)))
    samples = vae.sample(100, random_state=0)
    assert list(samples.columns) == list(small_table.columns)
    assert np.all(samples["price"] > 0)


def test_the_encoder_is_cloned_and_tuned_by_grid_search(small_table):
    encoder = TabularEncoder(numeric="quantile")
    vae = tiny(encoder=encoder).fit(small_table)
    assert vae.encoder_ is not encoder and not hasattr(encoder, "n_output_")
    scores = vae.score_samples(small_table)
    vae.set_params(encoder__numeric="standard")
    assert vae.encoder.numeric == "standard"
    assert vae.encoder_.numeric == "quantile"
    np.testing.assert_array_equal(vae.score_samples(small_table), scores)
    search = GridSearchCV(
        tiny(encoder=TabularEncoder()),
        {"encoder__numeric": ["standard", "quantile"]},
        cv=2,
    ).fit(small_table)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert (
        search.best_estimator_.encoder_.numeric
        == search.best_params_["encoder__numeric"]
    )


def test_an_encoder_that_refuses_unseen_levels(small_table):
    vae = tiny(encoder=TabularEncoder(handle_unknown="error")).fit(small_table)
    rows = small_table.head(2).assign(colour=pd.Categorical(["red", "violet"]))
    with pytest.raises(ValueError, match=r"not seen in fit: \['violet'\]"):
        vae.score_samples(rows)


def test_an_encoder_of_another_type_is_a_clear_error(small_table):
    with pytest.raises(
        TypeError,
        match=r"encoder parameter of VAE must be a TabularEncoder or None; got "
        r"StandardScaler\(\)",
    ):
        tiny(encoder=StandardScaler()).fit(small_table)
    with pytest.raises(ValueError, match="'encoder' parameter of VAE must be"):
        tiny(encoder="quantile").fit(small_table)


# ---------------------------------------------------------- the variance


def test_per_row_variance_beats_a_shared_one_on_heteroscedastic_data():
    """x2's noise grows with x1: only a per-row sigma can follow it."""

    def draw(n, seed):
        rng = np.random.default_rng(seed)
        x1 = rng.uniform(0.2, 3.0, n)
        return np.column_stack([x1, x1 + x1**2 * 0.3 * rng.normal(size=n)])

    X, held_out = draw(2000, 0), draw(1000, 1)
    scores = {
        variance: VAE(
            1,
            hidden_layer_sizes=(32,),
            decoder_variance=variance,
            max_epochs=30,
            random_state=0,
        )
        .fit(X)
        .score(held_out)
        for variance in ("row", "column")
    }
    assert scores["row"] > scores["column"] + 0.4, scores  # 0.85 for seeds 0, 1


# ------------------------------------------------------------ persistence


def test_skops_round_trip_of_a_penguins_model_scores_the_same():
    import skops.io as sio
    from palmerpenguins import load_penguins

    from skgen.utils import trusted_types

    penguins = load_penguins()
    vae = tiny().fit(penguins)
    assert penguins.isna().any().any() and vae.encoder_.states_
    loaded = sio.loads(sio.dumps(vae), trusted=trusted_types())
    np.testing.assert_array_equal(
        loaded.score_samples(penguins), vae.score_samples(penguins)
    )
    pd.testing.assert_frame_equal(
        loaded.sample(20, random_state=0), vae.sample(20, random_state=0)
    )
