"""skgen.leaderboard.run: a ranked DataFrame per dataset, grouped by kind."""

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KernelDensity

from skgen.cli import main
from skgen.leaderboard import (
    COLUMNS,
    LeaderboardOptionError,
    dataset_names,
    format_table,
    prepare,
    run,
    sample_best,
    to_json,
)

#: Tiny settings of each dataset: (options, candidate names).
TINY = {
    "text": (
        dict(orders=(1, 2), smoothing=("additive",), lm=()),
        ["MarkovChain(order=1, additive) [char]",
         "MarkovChain(order=2, additive) [char]"],
    ),
    "sequences": (
        dict(n_sequences=12, hmm_states=(1, 2), lm=()),
        ["GaussianHMM(n_components=1)", "GaussianHMM(n_components=2)",
         "GMMHMM(n_components=2, n_mix=2)"],
    ),
    "digits": (
        dict(n_rows=40, gmm_components=(1,), pca_components=(2,), bandwidths=(2.0,),
             max_epochs=1),
        ["VAE(latent_dim=48, hidden=(256,))", "GaussianMixture(n_components=1, diag)",
         "GaussianMixture(n_components=1, full)", "KernelDensity(bandwidth=2)",
         "PCA(n_components=2)", "FactorAnalysis()"],
    ),
}  # fmt: skip

#: Columns that hold seconds, which differ between runs.
TIMES = ["fit_time", "score_time"]


def test_every_registered_dataset_has_tiny_settings():
    assert sorted(dataset_names()) == sorted(TINY)


@pytest.mark.parametrize("dataset", sorted(TINY))
def test_run_returns_a_ranked_frame(dataset):
    options, names = TINY[dataset]
    frame = run(dataset, n_splits=2, **options)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == COLUMNS
    assert sorted(frame["model"]) == sorted(names)
    assert (frame["group"] == "likelihood").all()
    assert frame["rank"].tolist() == list(range(1, len(names) + 1))
    means = frame["loglik_per_sample"].to_numpy()
    assert np.all(np.isfinite(means)) and np.all(np.diff(means) <= 0)
    for row in frame.itertuples():
        assert len(row.fold_loglik_per_sample) == 2
        assert len(row.fold_nats_per_step) == 2
        std = np.std(row.fold_loglik_per_sample, ddof=1)
        assert row.loglik_per_sample_std == pytest.approx(std)
        assert row.loglik_per_sample_sem == pytest.approx(std / math.sqrt(2))
        assert row.bits_per_step == pytest.approx(row.nats_per_step / math.log(2))
    kinds = dict(zip(frame["model"], frame["likelihood_kind"], strict=True))
    assert set(kinds.values()) <= {"exact", "lower_bound"}
    if dataset == "digits":
        assert kinds["VAE(latent_dim=48, hidden=(256,))"] == "lower_bound"
    assert frame.attrs["n_splits"] == 2 and frame.attrs["random_state"] == 0
    assert "A step is" in frame.attrs["note"]


def test_pooled_mean_and_per_step_units():
    """The mean per sample pools the folds; nats/step are the dataset's units."""
    docs = [f"the cat {i} sat on the mat" for i in range(9)]
    frame = run(
        "text", data=docs, orders=(1,), smoothing=("additive",), lm=(), n_splits=3
    )
    (row,) = frame.itertuples()
    # folds of 3 documents each: the pooled mean is the mean of the fold means
    assert row.loglik_per_sample == pytest.approx(np.mean(row.fold_loglik_per_sample))
    # a step is a character or the end of a document
    steps = sum(len(d) + 1 for d in docs)
    assert row.nats_per_step == pytest.approx(-row.loglik_per_sample * 9 / steps)


class EstimateKDE(KernelDensity):
    """A fake sampler: its 'likelihood' is an estimate, and flatteringly high."""

    likelihood_kind = "estimate"

    def score_samples(self, X):
        return super().score_samples(X) + 1e6


def test_an_estimate_is_ranked_apart():
    candidates = [
        ("narrow", KernelDensity(bandwidth=0.5)),
        ("estimate", EstimateKDE(bandwidth=2.0)),
        ("wide", KernelDensity(bandwidth=2.0)),
    ]
    frame = run("digits", n_rows=30, n_splits=2, candidates=candidates)
    assert frame["model"].tolist() == ["wide", "narrow", "estimate"]
    assert frame["group"].tolist() == ["likelihood", "likelihood", "estimate"]
    assert frame["rank"].tolist() == [1, 2, 1]
    table = format_table(frame)
    likelihoods, estimates = table.split("\n\n")
    assert "estimate" not in likelihoods and "wide" in likelihoods
    assert estimates.startswith("Estimates (likelihood_kind 'estimate'")
    assert "1     estimate  estimate" in estimates
    # the best model to sample from is the best likelihood, not the estimate
    prepared = prepare("digits", n_rows=30, n_splits=2, candidates=candidates)
    name, samples = sample_best(prepared, frame, 2)
    assert name == "wide" and samples.shape == (2, 64)


def test_n_jobs_gives_the_same_numbers():
    options = dict(n_sequences=10, hmm_states=(1, 2), lm=(), n_splits=2)
    serial = run("sequences", n_jobs=1, **options).drop(columns=TIMES)
    parallel = run("sequences", n_jobs=2, **options).drop(columns=TIMES)
    pd.testing.assert_frame_equal(serial, parallel)


def test_json_of_a_frame_round_trips():
    frame = run("text", orders=(1,), smoothing=("additive",), lm=(), n_splits=2)
    doc = json.loads(to_json(frame, samples={"model": "m", "samples": ["a"]}))
    assert doc["n_splits"] == 2 and doc["samples"] == {"model": "m", "samples": ["a"]}
    (row,) = doc["results"]
    assert row["model"] == frame["model"][0]
    assert row["fold_loglik_per_sample"] == frame["fold_loglik_per_sample"][0]
    assert row["loglik_per_sample"] == frame["loglik_per_sample"][0]


@pytest.mark.parametrize(
    ("dataset", "options", "message"),
    [
        ("images", {}, "dataset must be one of ['text', 'sequences', 'digits']; "
         "got 'images'"),
        ("digits", {"hmm_states": (2,)}, "the 'digits' leaderboard takes the "
         "options ['bandwidths', 'gmm_components', 'max_epochs', 'n_rows', "
         "'pca_components']; got 'hmm_states'"),
        ("text", {"n_splits": 1}, "n_splits must be an int >= 2; got 1"),
        ("text", {"data": []}, "data holds no documents"),
        ("sequences", {"hmm_states": 3}, "hmm_states must be a list or tuple, "
         "like its default (1, 2, 3, 4, 5); got 3."),
        ("text", {"level": "byte"}, "level must be 'char' or 'word'; got 'byte'"),
        ("sequences", {"n_sequences": 4, "n_splits": 2, "hmm_states": (500,)},
         "hmm_states 500 needs at least 500 time steps in every training fold; "
         "with n_sequences 4 and n_splits 2 the smallest has 58 time steps"),
        ("digits", {"n_rows": 100, "n_splits": 2, "gmm_components": (70,)},
         "fewer than the 70 that GaussianMixture(n_components=70) needs; use "
         "n_rows >= 140 or lower gmm_components."),
        ("digits", {"n_rows": 100, "n_splits": 2},
         "100 rows in 2 folds leave 50 training rows in a fold, fewer than the "
         "60 that PCA(n_components=60) needs; use n_rows >= 120."),
    ],
)  # fmt: skip
def test_bad_options_fail_before_any_fit(dataset, options, message, monkeypatch):
    def no_fit(*args, **kwargs):
        raise AssertionError("a model was fitted before the options were checked")

    monkeypatch.setattr("skgen.leaderboard._run.cross_validate", no_fit)
    with pytest.raises(LeaderboardOptionError) as exc:
        run(dataset, **options)
    assert message in str(exc.value)
    assert isinstance(exc.value, ValueError)


# ------------------------------------------------------------------- command


def _table_numbers(out):
    """(model, loglik/sample, s.e., nats/step, bits/step) of each table row."""
    rows = []
    for line in out.splitlines():
        rank, *rest = line.split("  ")
        if rank.strip().isdigit():
            cells = [c.strip() for c in rest if c.strip()]
            rows.append((cells[0], *map(float, cells[2:6])))
    return rows


def test_json_holds_the_numbers_of_the_table(capsys):
    argv = ["leaderboard", "--orders", "1,2", "--smoothing", "additive",
            "--n-splits", "2", "--quiet", "--n-samples", "2",
            "--max-length", "20", "--lm", "none"]  # fmt: skip
    assert main(argv) == 0
    table = _table_numbers(capsys.readouterr().out)
    assert main([*argv, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)  # stdout is one JSON document
    assert len(table) == len(doc["results"]) == 2
    for (model, loglik, sem, nats, bits), row in zip(
        table, doc["results"], strict=True
    ):
        assert row["model"] == model
        assert round(row["loglik_per_sample"], 1) == loglik
        assert round(row["loglik_per_sample_sem"], 1) == sem
        assert round(row["nats_per_step"], 4) == nats
        assert round(row["bits_per_step"], 4) == bits
    assert doc["samples"]["model"] == table[0][0]
    assert len(doc["samples"]["samples"]) == 2
    assert all(isinstance(s, str) for s in doc["samples"]["samples"])


def test_json_of_sequences_holds_the_samples_as_lists(capsys):
    argv = ["leaderboard", "--dataset", "sequences", "--hmm-states", "1",
            "--n-sequences", "10", "--n-splits", "2", "--n-samples", "1",
            "--format", "json", "--quiet", "--lm", "none"]  # fmt: skip
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    ((first, *_),) = doc["samples"]["samples"]
    assert len(first) == 2  # one time step of 2-D vectors


def test_per_family_flags_and_the_old_n_components(capsys):
    base = ["leaderboard", "--dataset", "sequences", "--n-sequences", "10",
            "--n-splits", "2", "--n-samples", "0", "--format", "json",
            "--quiet", "--lm", "none"]  # fmt: skip
    main([*base, "--n-components", "1,2"])
    old = json.loads(capsys.readouterr().out)["results"]
    main([*base, "--hmm-states", "1,2"])
    new = json.loads(capsys.readouterr().out)["results"]
    for row in old + new:
        del row["fit_time"], row["score_time"]
    assert old == new
    assert {r["model"] for r in new} >= {"GaussianHMM(n_components=2)"}


def _usage_error(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # argparse's own errors name the subcommand: "skgen leaderboard: error: "
    assert re.search(r"^skgen( leaderboard)?: error: ", err, re.M), err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "digits", "--hmm-states", "2"],
         "--hmm-states is an option of --dataset sequences; got --dataset digits"),
        (["--gmm-components", "2"],
         "--gmm-components is an option of --dataset digits; got --dataset text"),
        (["--dataset", "digits", "--n-components", "2", "--gmm-components", "3"],
         "--n-components means --gmm-components here; give one of them"),
        (["--dataset", "sequences", "--hmm-states", "0"],
         "--hmm-states must be >= 1; got 0"),
        (["--dataset", "digits", "--pca-components", "0"],
         "--pca-components must be >= 1; got 0"),
        (["--dataset", "digits", "--bandwidths", "1,-2"],
         "expected finite numbers > 0; got '1,-2'"),
        (["--n-jobs", "0"], "--n-jobs must be a non-zero int (-1: all cores); got 0"),
        (["--format", "yaml"], "invalid choice: 'yaml'"),
        (["--dataset", "digits", "--n-rows", "100", "--n-splits", "2",
          "--pca-components", "70"],
         "fewer than the 70 that PCA(n_components=70) needs; use --n-rows >= 140 "
         "or lower --pca-components."),
        (["--dataset", "sequences", "--n-sequences", "4", "--n-splits", "2",
          "--hmm-states", "500"],
         "--hmm-states 500 needs at least 500 time steps"),
    ],
)  # fmt: skip
def test_new_options_are_usage_errors_before_work(args, message, capsys, monkeypatch):
    def evaluate(*args, **kwargs):
        raise AssertionError("models were fitted before the options were checked")

    monkeypatch.setattr("skgen.cli.evaluate", evaluate)
    assert message in _usage_error(capsys, ["leaderboard", *args, "--quiet"])
