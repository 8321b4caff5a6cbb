"""The ``skgen`` command."""

import ast
import re
import subprocess
import sys

import numpy as np
import pytest

from skgen.cli import main


def _usage_error(capsys, argv):
    """Run ``main(argv)``, expecting argparse's usage error; return stderr."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "skgen: error: " in err and "Traceback" not in err
    return err


@pytest.fixture
def no_work(monkeypatch):
    """Fail if the leaderboard starts fitting models."""

    def evaluate(*args, **kwargs):
        raise AssertionError("models were fitted before the options were checked")

    monkeypatch.setattr("skgen.cli.evaluate", evaluate)


def _write(tmp_path, text):
    path = tmp_path / "docs.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_leaderboard_on_a_user_file(tmp_path, capsys):
    lines = [f"the quick brown fox {i} jumps over the lazy dog" for i in range(12)]
    path = _write(tmp_path, "\n".join(lines))
    argv = ["leaderboard", "--data", path, "--orders", "1,2", "--n-splits", "3",
            "--lm", "none", "--quiet"]  # fmt: skip
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0
    assert "12 documents" in out and "3-fold" in out
    for model in ("order=1, kneser-ney", "order=2, additive"):
        assert model in out
    assert "exact" in out and "bits/step" in out
    assert "Samples from the best model" in out


def test_blank_line_blocks_are_documents(tmp_path, capsys):
    blocks = "\n\n".join(f"line one {i}\nline two {i}" for i in range(6))
    path = _write(tmp_path, blocks)
    main(["leaderboard", "--data", path, "--orders", "1", "--n-splits", "2",
          "--smoothing", "additive", "--n-samples", "0", "--lm", "none",
          "--quiet"])  # fmt: skip
    assert "6 documents" in capsys.readouterr().out


def test_word_level_and_progress(tmp_path, capsys):
    path = _write(tmp_path, "\n".join(f"a b c d {i % 3}" for i in range(10)))
    main(["leaderboard", "--data", path, "--level", "word", "--orders", "1",
          "--n-splits", "2", "--n-samples", "1", "--lm", "none"])  # fmt: skip
    captured = capsys.readouterr()
    assert "[word]" in captured.out
    assert "[1/2]" in captured.err  # progress goes to stderr


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("", [], "holds no documents"),
        ("one\ntwo", [], "2 samples cannot be split into 5 folds"),
    ],
)
def test_leaderboard_errors(tmp_path, text, args, message, capsys, no_work):
    path = _write(tmp_path, text)
    err = _usage_error(capsys, ["leaderboard", "--data", path, "--quiet", *args])
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n-samples", "-1"], "--n-samples must be >= 0; got -1"),
        (["--max-length", "0"], "--max-length must be >= 1; got 0"),
        (["--n-components", "0,2"], "--n-components must be >= 1; got 0"),
        (
            ["--dataset", "sequences", "--n-sequences", "3"],
            "--n-sequences must be >= 5; got 3",
        ),
        (["--random-state", "-1"], "--random-state must be >= 0; got -1"),
    ],
)
def test_impossible_values_are_rejected_before_work(args, message, capsys):
    with pytest.raises(SystemExit):
        main(["leaderboard", *args])
    assert message in capsys.readouterr().err


def test_unreadable_files(tmp_path, capsys):
    missing = str(tmp_path / "missing.txt")
    assert "cannot read" in _usage_error(capsys, ["leaderboard", "--data", missing])
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1") * 10)
    err = _usage_error(capsys, ["leaderboard", "--data", str(latin)])
    assert "is not UTF-8 text" in err


def test_bad_options(capsys):
    with pytest.raises(SystemExit):
        main(["leaderboard", "--orders", "1,x"])
    assert "expected comma-separated ints" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["leaderboard", "--n-splits", "1"])
    assert "--n-splits must be >= 2; got 1" in capsys.readouterr().err


def test_console_script_is_installed():
    out = subprocess.run(
        [sys.executable, "-m", "skgen.cli", "leaderboard", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--data FILE" in out.stdout


def test_leaderboard_on_hmm_sequences(capsys):
    code = main(
        ["leaderboard", "--dataset", "sequences", "--n-components", "1,3",
         "--n-sequences", "60", "--n-splits", "2", "--n-samples", "1", "--quiet",
         "--lm", "none"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith(("1 ", "2 ", "3 "))]
    assert "GaussianHMM(n_components=3)" in lines[0]  # the true number wins
    assert "GMMHMM" in out and "steps, first 3" in out


def _table_rows(out):
    return [line for line in out.splitlines() if line.split(" ", 1)[0].isdigit()]


def test_leaderboard_on_dequantized_digits(capsys):
    code = main(
        ["leaderboard", "--dataset", "digits", "--n-rows", "300", "--max-epochs",
         "2", "--n-components", "2", "--n-splits", "2", "--n-samples", "2",
         "--quiet"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "300 images of 8x8 = 64 pixels" in out and "U[0,1) noise" in out
    assert "bits per pixel" in out
    rows = _table_rows(out)
    names = ("VAE", "GaussianMixture(n_components=2, diag)",
             "GaussianMixture(n_components=2, full)", "KernelDensity", "PCA",
             "FactorAnalysis")  # fmt: skip
    for name in names:
        assert any(name in row for row in rows), name
    for row in rows:
        kind = "lower_bound" if "VAE" in row else "exact"
        assert kind in row
        loglik = float(row.split(kind)[1].split()[0])
        assert np.isfinite(loglik), row
    # the samples: two 8x8 images in ASCII art, side by side
    art = out.split("fitted on all the data:\n")[1].splitlines()
    assert art[0].split() == ["1.", "2."] and len(art) == 9


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n-rows", "3"], "--n-rows must be >= 5; got 3"),
        (["--max-epochs", "0"], "--max-epochs must be >= 1; got 0"),
    ],
)
def test_impossible_digits_values(args, message, capsys):
    with pytest.raises(SystemExit):
        main(["leaderboard", "--dataset", "digits", *args])
    assert message in capsys.readouterr().err


def test_digits_take_no_text_file(tmp_path, capsys):
    path = _write(tmp_path, "a\nb\n")
    argv = ["leaderboard", "--dataset", "digits", "--data", path, "--quiet"]
    assert "drop --dataset digits" in _usage_error(capsys, argv)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # more HMM states than time steps: a ValueError traceback before
        (
            ["--dataset", "sequences", "--n-sequences", "4", "--n-splits", "2",
             "--n-components", "500"],
            "--n-components 500 needs at least 500 time steps in every training "
            "fold; with --n-sequences 4 and --n-splits 2 the smallest has 58 "
            "time steps",
        ),
        # 3 training rows for GaussianMixture(5) and PCA(60): a traceback before
        (
            ["--dataset", "digits", "--n-rows", "6", "--n-splits", "2"],
            "6 rows in 2 folds leave 3 training rows in a fold, fewer than the "
            "60 that PCA(n_components=60) needs; use --n-rows >= 120.",
        ),
        (
            ["--dataset", "digits", "--n-rows", "100", "--n-splits", "2",
             "--n-components", "70"],
            "fewer than the 70 that GaussianMixture(n_components=70) needs; use "
            "--n-rows >= 140 or lower --n-components.",
        ),
        (
            ["--dataset", "digits", "--n-components", "2000"],
            "1797 rows in 5 folds leave 1437 training rows in a fold, fewer than "
            "the 2000 that GaussianMixture(n_components=2000) needs; lower "
            "--n-components.",
        ),
        # 0 was taken for "not given"
        (["--dataset", "digits", "--n-rows", "0", "--n-splits", "2"],
         "--n-rows must be >= 2; got 0"),
    ],
)  # fmt: skip
def test_data_too_small_for_the_models_is_a_usage_error(args, message, capsys, no_work):
    err = _usage_error(capsys, ["leaderboard", *args, "--quiet"])
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n-samples", "100000000"], "--n-samples must be <= 10000; got 100000000"),
        (["--max-length", "10000000"], "--max-length must be <= 100000"),
        (
            ["--dataset", "sequences", "--n-sequences", "1000000000"],
            "--n-sequences must be <= 100000; got 1000000000",
        ),
        (["--orders", "2,2000"], "--orders must be <= 50; got 2000"),
        (["--dataset", "digits", "--n-rows", "100000"], "--n-rows must be <= 1797"),
        (
            ["--dataset", "digits", "--max-epochs", "10000000"],
            "--max-epochs must be <= 100000",
        ),
    ],
)
def test_huge_values_are_rejected_before_work(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(["leaderboard", *args])
    assert info.value.code == 2
    assert f"skgen: error: {message}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n-splits", "1000"], "79 samples cannot be split into 1000 folds"),
        (["--n-jobs", "1000"], "--n-jobs must be <= --n-splits (5, one job per"),
    ],
)
def test_fold_and_job_counts_are_checked(args, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(["leaderboard", *args])
    assert info.value.code == 2
    assert f"skgen: error: {message}" in capsys.readouterr().err


def test_a_missing_engine_is_a_usage_error(monkeypatch, capsys):
    def prepare(*args, **kwargs):
        raise ImportError('hmmlearn is needed here; pip install "skgen[hmm]"')

    monkeypatch.setattr("skgen.cli.prepare", prepare)
    with pytest.raises(SystemExit) as info:
        main(["leaderboard", "--dataset", "sequences"])
    assert info.value.code == 2
    assert 'skgen: error: hmmlearn is needed here; pip install "skgen[hmm]"' in (
        capsys.readouterr().err
    )


def test_repeated_values_are_one_candidate(tmp_path, capsys):
    path = _write(tmp_path, "ab ab\nba ba\nabba\n" * 4)
    main(
        [
            "leaderboard", "--data", path, "--n-splits", "2", "--n-samples", "0",
            "--orders", "1,1", "--smoothing", "additive", "additive", "--quiet",
            "--lm", "none",
        ]
    )  # fmt: skip
    rows = [r for r in capsys.readouterr().out.splitlines() if "MarkovChain" in r]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "sequences", "--orders", "3"], "--orders is an option of "),
        (["--dataset", "digits", "--n-sequences", "10"], "--n-sequences is an option"),
        (["--max-epochs", "3"], "--max-epochs is an option of --dataset digits"),
        (["--dataset", "sequences", "--n-rows", "10"], "--n-rows is an option of"),
    ],
)
def test_options_of_another_dataset_are_refused(args, message, capsys, no_work):
    with pytest.raises(SystemExit) as info:
        main(["leaderboard", *args])
    assert info.value.code == 2
    assert f"skgen: error: {message}" in capsys.readouterr().err


# ------------------------------------------------------- language models

LSTM_DEMO = "RNNLanguageModel(hidden_size=128, num_layers=1, max_epochs=3)"
TRANSFORMER_DEMO = "TransformerLanguageModel(d_model=64, num_layers=2, max_epochs=2)"


class _Stop(Exception):
    """Raised by a fake evaluate once it has seen the candidates."""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [f"{LSTM_DEMO} [char]", f"{TRANSFORMER_DEMO} [char]"]),
        (["--lm", "transformer", "--lm-budget", "full"],
         ["TransformerLanguageModel() [char]"]),
        (["--lm", "lstm", "lstm", "--level", "word"], [f"{LSTM_DEMO} [word]"]),
        (["--lm", "none"], []),
        (["--dataset", "sequences", "--lm", "lstm"],
         ["RNNLanguageModel(hidden_size=64, num_layers=1, max_epochs=100)"]),
        (["--dataset", "sequences", "--lm-budget", "full"],
         ["RNNLanguageModel()", "TransformerLanguageModel()"]),
    ],
)  # fmt: skip
def test_lm_flags_choose_the_language_models(args, expected, tmp_path, monkeypatch):
    seen = []

    def evaluate(candidates, *rest, **kwargs):
        seen.extend(name for name, _ in candidates)
        raise _Stop

    monkeypatch.setattr("skgen.cli.evaluate", evaluate)
    if "sequences" in args:
        data = ["--hmm-states", "1", "--n-sequences", "10"]
    else:
        data = ["--data", _write(tmp_path, "a b\nc d\n" * 5), "--orders", "1"]
    with pytest.raises(_Stop):
        main(["leaderboard", *data, "--quiet", *args])
    assert [n for n in seen if "LanguageModel" in n] == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lm", "gru"], "argument --lm: invalid choice: 'gru'"),
        (["--lm-budget", "fast"], "argument --lm-budget: invalid choice: 'fast'"),
        (["--lm", "none", "lstm"], "--lm none ranks no language model and takes "
         "no family beside it; got --lm none lstm"),
        (["--dataset", "digits", "--lm", "lstm"], "--lm is an option of --dataset "
         "text or sequences; got it with --dataset digits"),
        (["--dataset", "digits", "--lm-budget", "full"], "--lm-budget is an option "
         "of --dataset text or sequences; got it with --dataset digits"),
    ],
)  # fmt: skip
def test_bad_lm_flags_are_usage_errors(args, message, capsys, no_work):
    with pytest.raises(SystemExit) as info:
        main(["leaderboard", *args, "--quiet"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    # argparse's own errors name the subcommand: "skgen leaderboard: error: "
    assert re.search(r"^skgen( leaderboard)?: error: ", err, re.M), err
    assert message in err


def test_full_budget_needs_two_training_documents(tmp_path, capsys, no_work):
    path = _write(tmp_path, "one document\nanother one")
    argv = ["leaderboard", "--data", path, "--n-splits", "2", "--lm-budget", "full"]
    err = _usage_error(capsys, argv)
    assert (
        "--lm-budget 'full' trains the language models with early stopping on "
        "held-out documents and needs 2 training documents in every fold; with 2 "
        "documents and --n-splits 2 the smallest has 1. Use more documents or the "
        "'demo' budget, or rank no language model."
    ) in err


def test_a_language_model_in_the_table_and_its_samples(tmp_path, capsys):
    path = _write(tmp_path, "\n".join(f"a cat {i} sat on a mat" for i in range(6)))
    argv = ["leaderboard", "--data", path, "--orders", "1", "--smoothing",
            "additive", "--lm", "transformer", "--n-splits", "2", "--n-samples",
            "2", "--max-length", "12", "--quiet"]  # fmt: skip
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0
    rows = _table_rows(out)
    assert len(rows) == 2
    (row,) = [r for r in rows if "LanguageModel" in r]
    assert re.search(rf"{re.escape(TRANSFORMER_DEMO)} \[char\]\s+exact\s", row)
    samples = out.split("fitted on all the data:\n")[1].splitlines()
    assert [s.split(".", 1)[0].strip() for s in samples] == ["1", "2"]
    assert all(len(ast.literal_eval(s.split(". ", 1)[1])) <= 12 for s in samples)
