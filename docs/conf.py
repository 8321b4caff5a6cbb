"""Sphinx configuration of skgen's documentation (built offline).

``make docs`` builds it with warnings as errors and the gallery in its fast
mode (``SKGEN_GALLERY_FAST=1``); ``make docs-full`` runs the gallery at its
full budget. Nothing is fetched at build time: no intersphinx.
"""

import os
import sys
from pathlib import Path

import skgen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

project = "skgen"
copyright = "skgen developers"
author = "skgen developers"
release = skgen.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# DESIGN.md is included by contract.rst; it is not a page of its own.
exclude_patterns = ["_build", "DESIGN.md", "**/GALLERY_HEADER.rst"]

# The API reference: one generated page per public name (docs/api.rst).
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()

myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# The gallery: examples/plot_*.py, run at build time. SKGEN_GALLERY_FAST=1
# (set by `make docs`) shrinks every example's budget.
os.environ.setdefault("MPLBACKEND", "Agg")
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "plot_gallery": "True",
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": True,
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skgen {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
}
html_static_path = []
html_show_sourcelink = False

# numpydoc: parse the types of Parameters/Attributes/Returns as types, so
# shapes written with fitted names, "ndarray of shape (n_samples, order_ + 1)",
# stay text instead of becoming reST link targets ("order_").
numpydoc_xref_param_type = True
numpydoc_xref_ignore = "all"
# No intersphinx: numpydoc's default aliases point into Python's and NumPy's
# inventories ("array_like" -> numpy's glossary). Keep the words, as plain
# (unresolved, silent) object references.
numpydoc_xref_aliases = {
    name: name.replace("-", "_")
    for name in (
        "None True False bool boolean list tuple str string dict float int "
        "callable iterable sequence contextmanager namedtuple generator array "
        "ndarray np.ndarray array-like array_like scalar RandomState "
        "np.random.RandomState np.inf np.nan numpy"
    ).split()
}


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    # sklearn generates set_{fit,score,...}_request on every estimator; their
    # docstrings point into sklearn's own glossary, which is not here.
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
