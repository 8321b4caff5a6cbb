"""Every public name (each public module's ``__all__``) is in docs/api.rst."""

import inspect
import re
from pathlib import Path

from skgen.utils._test_common import public_modules

API_RST = Path(__file__).resolve().parent.parent / "docs" / "api.rst"


def _public_names():
    names = []
    for module in public_modules():
        for name in getattr(module, "__all__", []):
            if not inspect.ismodule(getattr(module, name)):
                names.append(f"{module.__name__}.{name}")
    return names


def _documented_names():
    documented, current = set(), None
    for line in API_RST.read_text().splitlines():
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            current = match[1]
        elif current and (match := re.fullmatch(r"   ([A-Za-z_]\w*)", line)):
            documented.add(f"{current}.{match[1]}")
    return documented


def test_every_public_name_is_in_the_api_reference():
    missing = sorted(set(_public_names()) - _documented_names())
    assert not missing, f"add these to docs/api.rst: {missing}"


def test_the_api_reference_names_only_public_names():
    unknown = sorted(_documented_names() - set(_public_names()))
    assert not unknown, f"not public (no __all__ lists them): {unknown}"
