"""The ``skgen`` command."""

import subprocess
import sys

import pytest

from skgen.cli import main


def _write(tmp_path, text):
    path = tmp_path / "docs.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_leaderboard_on_a_user_file(tmp_path, capsys):
    lines = [f"the quick brown fox {i} jumps over the lazy dog" for i in range(12)]
    path = _write(tmp_path, "\n".join(lines))
    code = main(
        ["leaderboard", "--data", path, "--orders", "1,2", "--n-splits", "3", "--quiet"]
    )
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
          "--smoothing", "additive", "--n-samples", "0", "--quiet"])  # fmt: skip
    assert "6 documents" in capsys.readouterr().out


def test_word_level_and_progress(tmp_path, capsys):
    path = _write(tmp_path, "\n".join(f"a b c d {i % 3}" for i in range(10)))
    main(["leaderboard", "--data", path, "--level", "word", "--orders", "1",
          "--n-splits", "2", "--n-samples", "1"])  # fmt: skip
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
def test_leaderboard_errors(tmp_path, text, args, message):
    path = _write(tmp_path, text)
    with pytest.raises(SystemExit, match=message):
        main(["leaderboard", "--data", path, "--quiet", *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--n-samples", "-1"], "--n-samples must be >= 0; got -1"),
        (["--max-length", "0"], "--max-length must be >= 1; got 0"),
        (["--n-components", "0,2"], "--n-components must be >= 1; got 0"),
        (["--n-sequences", "3"], "--n-sequences must be >= 5; got 3"),
        (["--random-state", "-1"], "--random-state must be >= 0; got -1"),
    ],
)
def test_impossible_values_are_rejected_before_work(args, message, capsys):
    with pytest.raises(SystemExit):
        main(["leaderboard", *args])
    assert message in capsys.readouterr().err


def test_unreadable_files(tmp_path):
    with pytest.raises(SystemExit, match="cannot read"):
        main(["leaderboard", "--data", str(tmp_path / "missing.txt")])
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1") * 10)
    with pytest.raises(SystemExit, match="is not UTF-8 text"):
        main(["leaderboard", "--data", str(latin)])


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
         "--n-sequences", "60", "--n-splits", "2", "--n-samples", "1", "--quiet"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith(("1 ", "2 ", "3 "))]
    assert "GaussianHMM(n_components=3)" in lines[0]  # the true number wins
    assert "GMMHMM" in out and "steps, first 3" in out
