import subprocess
import sys


def test_import_skgen_does_not_import_engines():
    code = (
        "import sys, skgen, skgen.markov, skgen.hmm, skgen.text, skgen.pipeline, "
        "skgen.datasets, skgen.utils; "
        "print(','.join(m for m in ('torch', 'skorch', 'hmmlearn') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_subpackages_are_attributes_of_skgen_alone():
    code = (
        "import sys, skgen; skgen.utils.trusted_types(); skgen.tabular.TabularEncoder; "
        "skgen.neural.VAE; print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
