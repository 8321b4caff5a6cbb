"""The compatibility module: version bounds, borrowed names, engine errors."""

import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from packaging.requirements import Requirement

from skgen.utils import _compat

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"

#: Distributions whose private names skgen borrows: each needs an upper bound.
BORROWED_FROM = ("scikit-learn", "hmmlearn", "imbalanced-learn")


def _requirements():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    found = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        found += extra
    return {
        (r := Requirement(line)).name: r
        for line in found
        if not line.startswith("skgen")
    }


@pytest.mark.parametrize("distribution", BORROWED_FROM)
def test_installed_versions_are_within_the_bounds(distribution):
    requirement = _requirements()[distribution]
    assert any(s.operator == "<" for s in requirement.specifier), (
        f"{distribution} needs an upper bound in pyproject.toml; got {requirement}."
    )
    installed = version(distribution)
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{distribution} {installed} is outside the tested bounds {requirement}."
    )


def test_every_borrowed_name_exists():
    for name in _compat.__all__:
        assert getattr(_compat, name) is not None, name
    for name in _compat._LAZY:
        assert getattr(_compat, name) is not None, name
    assert _compat._hmmc.forward_scaling is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _compat.nothing  # noqa: B018


@pytest.mark.parametrize("engine", _compat.HMMLEARN_ENGINES)
def test_hmmlearn_private_methods_exist(engine):
    from hmmlearn import hmm

    cls = getattr(hmm, engine)
    missing = [m for m in _compat.HMMLEARN_PRIVATE_METHODS if not hasattr(cls, m)]
    assert not missing, f"hmmlearn.hmm.{engine} lacks {missing}."


def test_the_hmm_models_wrap_the_listed_engines():
    from skgen.hmm import GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM

    wrapped = {c._engine for c in (GMMHMM, CategoricalHMM, GaussianHMM, PoissonHMM)}
    assert wrapped == set(_compat.HMMLEARN_ENGINES)


def test_importing_compat_imports_no_engine():
    import subprocess

    code = (
        "import sys, skgen.utils._compat; "
        "print(','.join(m for m in ('torch', 'skorch', 'hmmlearn', 'imblearn') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_import_engine_returns_modules_and_names():
    import sklearn.utils

    assert _compat.import_engine("sklearn.utils") is sklearn.utils
    assert _compat.import_engine("sklearn.utils", "check_array") is (
        sklearn.utils.check_array
    )
    assert _compat.import_engine("numpy", "sum", "mean") == (np.sum, np.mean)


@pytest.fixture
def without(monkeypatch):
    """Make the engines named by the test fail to import, as if not installed."""
    real = _compat.import_module

    def block(*roots):
        def fake(name, *args, **kwargs):
            root = name.partition(".")[0]
            if root in roots:
                raise ModuleNotFoundError(f"No module named {root!r}", name=root)
            return real(name, *args, **kwargs)

        monkeypatch.setattr(_compat, "import_module", fake)

    return block


@pytest.mark.parametrize(
    ("module", "extra"),
    [("torch", "neural"), ("skorch.callbacks", "neural"), ("hmmlearn.hmm", "hmm")],
)
def test_a_missing_engine_names_its_extra(without, module, extra):
    without("torch", "skorch", "hmmlearn")
    match = (
        rf"{module} is needed here but could not be imported \(No module named "
        rf"'{module.partition('.')[0]}'\); install skgen's \"{extra}\" extra: "
        rf'pip install "skgen\[{extra}\]"'
    )
    with pytest.raises(ImportError, match=match):
        _compat.import_engine(module)


def test_an_explicit_extra_wins(without):
    without("torch")
    with pytest.raises(ImportError, match=r'pip install "skgen\[all\]"'):
        _compat.import_engine("torch", extra="all")


def test_a_missing_lazy_name_names_its_extra(without):
    without("hmmlearn")
    with pytest.raises(ImportError, match=r'pip install "skgen\[hmm\]"'):
        _compat._hmmc  # noqa: B018


def test_a_neural_model_without_torch_names_the_extra(without):
    from skgen.neural import VAE

    without("torch", "skorch")
    X = np.random.RandomState(0).normal(size=(20, 2))
    with pytest.raises(ImportError, match=r'pip install "skgen\[neural\]"'):
        VAE(max_epochs=1, random_state=0).fit(X)


def test_an_hmm_without_hmmlearn_names_the_extra(without):
    from skgen.hmm import GaussianHMM

    without("hmmlearn")
    X = [np.random.RandomState(0).normal(size=(10, 2)) for _ in range(4)]
    with pytest.raises(ImportError, match=r'pip install "skgen\[hmm\]"'):
        GaussianHMM(n_components=2, random_state=0).fit(X)
