"""Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html``.

The API reference comes from the docstrings (autosummary, numpydoc), the guide
from Markdown (myst-parser), the gallery from ``examples/`` (sphinx-gallery,
each script run in its ``--quick`` mode; the figures it saves are shown).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))  # the examples' own helpers (_common)
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"
if SHARED_MNIST.is_dir():
    os.environ.setdefault("CNNLAB_DATA", str(SHARED_MNIST))

import cnnlab  # noqa: E402

project = "cnnlab"
author = "The cnnlab maintainers"
copyright = "2026, The cnnlab maintainers"  # noqa: A001 - Sphinx's name
version = release = cnnlab.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**.zip", "**.md5"]
templates_path = ["_templates"]

autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options: dict[str, bool] = {}  # the autosummary templates list the members
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "config.cache"]

html_theme = "pydata_sphinx_theme"
html_title = f"cnnlab {release}"
html_static_path: list[str] = []
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}


def _reset_argv(gallery_conf, script_vars):
    """Run every example in its quick mode, writing its figures where the scraper looks."""
    return ["--quick", "--output", str(_output_folder(script_vars["src_file"]))]


def _output_folder(source: str) -> Path:
    return ROOT / "docs" / "_build" / "gallery_output" / Path(source).stem


class SavedFigures:
    """A sphinx-gallery image scraper for the PNG files an example writes.

    cnnlab's figures are not pyplot's (they show themselves in Jupyter and
    never open a window), so the default matplotlib scraper sees none; this
    one shows every PNG that appeared in the example's output folder during
    the block that just ran.
    """

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}

    def __repr__(self) -> str:  # sphinx-gallery hashes the configuration by repr
        return "SavedFigures()"

    def __call__(self, block, block_vars, gallery_conf):
        from sphinx_gallery.scrapers import figure_rst

        folder = _output_folder(block_vars["src_file"])
        seen = self.seen.setdefault(str(folder), set())
        names = []
        for path in sorted(folder.glob("*.png")) if folder.is_dir() else []:
            if path.name in seen:
                continue
            seen.add(path.name)
            target = next(block_vars["image_path_iterator"])
            shutil.copyfile(path, target)
            names.append(target)
        return figure_rst(names, gallery_conf["src_dir"])


sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/\d\d_",
    "ignore_pattern": r"_common\.py",
    "reset_argv": _reset_argv,
    "image_scrapers": (SavedFigures(),),
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "min_reported_time": 10,
}


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Leave out the methods other libraries add to cnnlab's classes (matplotlib's
    ``Figure.set``, scikit-learn's ``set_*_request``): their docstrings are theirs."""
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and callable(obj) and not module.startswith("cnnlab"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)
