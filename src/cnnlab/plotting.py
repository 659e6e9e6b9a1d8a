"""matplotlib figures. Every function returns the Figure and, given ``path``, saves it.

They use the object-oriented API only, so they work under the Agg backend.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure


def _save(figure: Figure, path) -> Figure:
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=110, bbox_inches="tight")
    return figure


def plot_training_curves(scores: dict, path=None, title: str = "Training") -> Figure:
    """Cost and accuracy against epoch, training and validation side by side.

    Parameters
    ----------
    scores : dict of ndarray
        What ``CNN.fit`` returns.
    path : str or Path, optional
        Where to save a PNG.
    """
    figure = Figure(figsize=(9, 3.6))
    cost_axes, accuracy_axes = figure.subplots(1, 2)
    epochs = np.arange(1, len(scores["train_error"]) + 1)
    for axes, key, label in ((cost_axes, "error", "cost"), (accuracy_axes, "acc", "accuracy")):
        for part in ("train", "val"):
            values = np.asarray(scores[f"{part}_{key}"])
            if np.isfinite(values).any():
                axes.plot(epochs, values, marker="o", markersize=3, label=part)
        axes.set_xlabel("epoch")
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend()
    cost_axes.set_title(f"{title}: cost")
    accuracy_axes.set_title(f"{title}: accuracy")
    figure.tight_layout()
    return _save(figure, path)
