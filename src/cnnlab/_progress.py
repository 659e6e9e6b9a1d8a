"""The tqdm to use: a widget in Jupyter only where ipywidgets is installed, else text.

Without ipywidgets, ``tqdm.auto`` in a notebook warns ("IProgress not found")
and draws nothing useful; the text bar works everywhere.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


def tqdm(*args: Any, **kwargs: Any) -> Any:
    """``tqdm.notebook.tqdm`` in Jupyter with ipywidgets, else ``tqdm.std.tqdm``."""
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as bar
    else:
        from tqdm.std import tqdm as bar
    return bar(*args, **kwargs)
