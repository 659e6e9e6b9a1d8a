"""The progress bar of ``fit``: one line per epoch, as Keras prints them.

Each epoch has its own bar, left on screen with the epoch's final scores; the
bar is a widget in Jupyter where ipywidgets is installed, else text
(``cnnlab._progress``), and never a warning.
"""

from __future__ import annotations

from typing import Any

from cnnlab._progress import tqdm


def progress_bar(total: int, description: str, verbose: bool) -> Any:
    """A tqdm bar of ``total`` batches that stays on screen; silent unless ``verbose``."""
    return tqdm(total=total, desc=description, disable=not verbose, unit="batch", leave=True)
