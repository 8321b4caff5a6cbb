"""numpydoc validation of the public API's docstrings.

Every public class (with its public methods and properties defined in
skgen) and every public function, found through the packages' ``__all__``,
is validated with ``numpydoc.validate.validate`` for the codes in
:data:`CHECKED`.
"""

import ast
import inspect
from importlib import import_module

import pytest

import skgen
from skgen.utils._test_common import public_modules

numpydoc_validate = pytest.importorskip("numpydoc.validate")
docscrape = pytest.importorskip("numpydoc.docscrape")

#: numpydoc codes checked: a docstring exists and says what the object
#: takes, returns and yields, with well-formed sections. Left out: SA01,
#: EX01, ES01 (See Also, Examples, extended summary: wanted, not required
#: everywhere), RT02/RT03/PR07 (skgen writes ``self : object`` and shares
#: descriptions of ``X``), PR03 (the HMMs list their shared parameters
#: first), SS02/SS05 (summaries that start with a lowercase name such as
#: "k-NN" or in the third person; stylistic).
CHECKED = {
    "GL02",  # closing quotes on their own line
    "GL03",  # double line break
    "GL06",  # unknown section
    "GL07",  # sections in the wrong order
    "GL08",  # no docstring
    "SS01",  # no summary
    "SS03",  # summary does not end with a period
    "SS06",  # summary spans lines
    "PR01",  # parameter not documented
    "PR02",  # unknown parameter documented
    "PR04",  # parameter has no type
    "PR06",  # type names such as "integer" for "int"
    "PR08",  # description does not start with a capital letter
    "PR09",  # description does not end with a period
    "PR10",  # no space before the colon
    "RT01",  # no Returns section
    "YD01",  # no Yields section
}


def _defined_in_skgen(cls, attr):
    owner = next((k for k in cls.__mro__ if attr in vars(k)), None)
    return owner is not None and owner.__module__.startswith("skgen.")


def public_api():
    """Import paths of every public class, method, property and function."""
    objects = {}
    for module in public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj) or inspect.isfunction(obj)
            ) and obj.__module__.startswith("skgen."):
                objects[f"{obj.__module__}.{obj.__qualname__}"] = obj
    paths = []
    for path, obj in sorted(objects.items()):
        paths.append(path)
        if not inspect.isclass(obj):
            continue
        for attr in sorted(dir(obj)):
            if attr.startswith("_") or not _defined_in_skgen(obj, attr):
                continue
            static = inspect.getattr_static(obj, attr)
            wrapped = getattr(static, "fn", None)  # available_if methods
            if inspect.isfunction(static) or isinstance(static, property):
                paths.append(f"{path}.{attr}")
            elif inspect.isfunction(wrapped):
                paths.append(f"{path}.{attr}")
    return paths


def _documented_attributes(path):
    """Fields a class documents under Attributes (named tuples, results)."""
    module, _, name = path.rpartition(".")
    obj = getattr(import_module(module), name, None)
    if not inspect.isclass(obj):
        return set()
    doc = docscrape.NumpyDocString(inspect.getdoc(obj) or "")
    return {n.strip() for a in doc["Attributes"] for n in a.name.split(",")}


def docstring_errors(path):
    """The errors of ``path`` among :data:`CHECKED`, as (code, message)."""
    errors = []
    for code, message in numpydoc_validate.validate(path)["errors"]:
        if code not in CHECKED:
            continue
        if code == "PR01":  # a named tuple's fields may be its Attributes
            missing = ast.literal_eval(message.split(" not documented")[0][11:])
            if not missing - _documented_attributes(path):
                continue
        errors.append((code, message))
    return errors


PUBLIC_API = public_api()


def test_the_public_api_is_found():
    assert "skgen.markov._chain.MarkovChain" in PUBLIC_API
    assert "skgen.markov._chain.MarkovChain.sample" in PUBLIC_API
    assert "skgen.metrics._likelihood.perplexity" in PUBLIC_API
    assert "skgen._meta.GenerativeClassifier.predict_proba" in PUBLIC_API
    assert len(PUBLIC_API) > 100


@pytest.mark.parametrize("path", PUBLIC_API)
def test_docstring(path):
    errors = docstring_errors(path)
    assert not errors, f"{path}:\n" + "\n".join(f"  {c}: {m}" for c, m in errors)


def test_the_check_finds_a_bad_docstring(monkeypatch):
    def undocumented(a, b):
        """Add a and b.

        Parameters
        ----------
        a : int
            The first number.
        """
        return a + b

    monkeypatch.setattr(skgen.base, "undocumented", undocumented, raising=False)
    undocumented.__module__ = "skgen.base"
    codes = {code for code, _ in docstring_errors("skgen.base.undocumented")}
    assert codes == {"PR01", "RT01"}
