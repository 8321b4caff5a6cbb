"""Every gallery example (examples/plot_*.py) runs in its fast mode.

The examples read ``SKGEN_GALLERY_FAST=1`` and shrink their budgets, so an
example cannot rot; ``make docs`` runs them again to draw the gallery.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


def test_the_examples_are_found():
    assert len(EXAMPLES) >= 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_in_fast_mode(path, tmp_path):
    env = {
        **os.environ,
        "SKGEN_GALLERY_FAST": "1",
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": "1",
    }
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{path.name} failed:\n{result.stderr[-4000:]}"
