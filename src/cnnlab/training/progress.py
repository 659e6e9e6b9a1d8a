"""The progress bar of ``fit``: one line per epoch, as Keras prints them.

In Jupyter, tqdm draws a widget, which needs ipywidgets; without it,
``tqdm.auto`` warns ("IProgress not found") and draws nothing useful. So the
widget is used only when ipywidgets is installed, and the text bar otherwise.
Each epoch has its own bar, left on screen with the epoch's final scores.
"""

from __future__ import annotations

import importlib.util
import sys


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


def progress_bar(total: int, description: str, verbose: bool):
    """A tqdm bar of ``total`` batches that stays on screen; silent unless ``verbose``."""
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(total=total, desc=description, disable=not verbose, unit="batch", leave=True)
