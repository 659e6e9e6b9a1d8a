"""What ``fit`` returns: the scores of every epoch, as a read-only mapping with a plot."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnnlab.io.atomic import write_atomically_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cnnlab.plotting import AxesLike, FilePath


class History(Mapping):
    """The scores of a training run, one value per completed epoch.

    It indexes like the notes' scores dict: ``history["val_acc"]`` is an
    array with one entry per epoch (NaN where there was nothing to score), and
    ``dict(history)``, ``history.keys()`` and ``for key in history`` work as
    for a dict. The keys are the cost and the task's scores, on training and
    validation data: "train_error", "train_acc", "val_error", "val_acc" for
    classification; "r2" and "mae" for regression; "psnr" and "mse" for image
    outputs.

    Attributes
    ----------
    epochs : ndarray of int
        1, 2, ... for the epochs run (a resumed run counts from the first).
    stopped_early : bool
        True if a callback (EarlyStopping) ended the run before its last epoch.
    interrupted : bool
        True if Ctrl-C ended the run: the model holds the last completed epoch.
    """

    def __init__(
        self, scores: dict[str, np.ndarray], stopped_early: bool = False, interrupted: bool = False
    ) -> None:
        self._scores = {key: np.asarray(values, dtype=float) for key, values in scores.items()}
        self.stopped_early = bool(stopped_early)
        self.interrupted = bool(interrupted)
        length = len(next(iter(self._scores.values()), []))
        self.epochs = np.arange(1, length + 1)

    def __getitem__(self, key: str) -> np.ndarray:
        try:
            return self._scores[key]
        except KeyError:
            raise KeyError(
                f"{key!r} is not a score of this run; it has {sorted(self._scores)}"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._scores)

    def __len__(self) -> int:
        return len(self._scores)

    def __repr__(self) -> str:
        last = ", ".join(
            f"{key}={values[-1]:.4g}" for key, values in self._scores.items() if len(values)
        )
        return f"History({len(self.epochs)} epochs: {last})"

    def to_dict(self) -> dict[str, list[float | None]]:
        """The scores as lists of floats (None for NaN), ready for ``json.dump``."""
        return {
            key: [None if np.isnan(value) else float(value) for value in values]
            for key, values in self._scores.items()
        }

    def to_csv(self, path: str | Path) -> Path:
        """Write one row per epoch ("epoch" and every score) to ``path``; returns it."""
        lines = [["epoch", *self._scores]]
        for index, epoch in enumerate(self.epochs):
            lines.append([str(epoch), *(repr(float(v[index])) for v in self._scores.values())])
        text = "".join(",".join(row) + "\n" for row in lines)  # numbers only: no quoting
        return write_atomically_text(Path(path), text)

    def to_json(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as JSON to ``path``; returns it."""
        return write_atomically_text(Path(path), json.dumps(self.to_dict(), indent=1) + "\n")

    def plot(
        self,
        *,
        ax: AxesLike = None,
        path: FilePath = None,
        title: str = "Training",
        dpi: int = 110,
    ) -> Figure:
        """Cost and the task's score against epoch (``cnnlab.plotting.plot_training_curves``).

        ``ax`` takes two axes (cost, score) to draw into; returns the figure.
        """
        from cnnlab.plotting import plot_training_curves

        return plot_training_curves(self, path, title=title, ax=ax, dpi=dpi)
