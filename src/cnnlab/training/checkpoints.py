"""Checkpoints that survive a crash: ``fit(..., checkpoint=FOLDER, resume=True)``.

After every ``every`` epochs the whole training state goes to
``FOLDER/checkpoint.npz``: weights, optimizer states and learning rates, the
random generators (which fix the data order of the next epochs and the dropout
masks) and the scores so far. The file is written to a temporary name and then
renamed, so a kill at any moment leaves the previous checkpoint intact.
Resuming with the same data and seed then ends with the same weights, bit for
bit, as a run that was never interrupted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnlab._validation import check_int
from cnnlab.io.archive import model_arrays, read_file, restore_state
from cnnlab.io.atomic import write_atomically

FILENAME = "checkpoint.npz"


class Checkpoints:
    """Saving and resuming the training state in one folder.

    Parameters
    ----------
    folder : str or Path
    every : int
        Save after every ``every`` epochs (and after the last one).
    """

    def __init__(self, folder, every: int = 1) -> None:
        if not isinstance(folder, str | Path):
            raise TypeError(f"checkpoint must be a folder path, got {folder!r}")
        self.path = Path(folder) / FILENAME
        self.every = check_int(every, "checkpoint_every")

    def save(self, model, completed, epochs, scores, callbacks=(), stopped=False) -> None:
        """Save the state after ``completed`` epochs (and what the callbacks remember)."""
        if completed % self.every and completed != epochs and not stopped:
            return
        states, arrays = [], {}
        for index, callback in enumerate(callbacks):
            state, callback_arrays = callback.get_state()
            states.append({"class": type(callback).__name__, "state": state})
            arrays.update({f"callback{index}.{name}": a for name, a in callback_arrays.items()})
        progress = {
            "completed": completed,
            "stopped": bool(stopped),
            "scores": {key: values[:completed].tolist() for key, values in scores.items()},
            "architecture": [[type(layer).__name__, layer.config()] for layer in model.layers],
            "callbacks": states,
        }
        write_atomically(self.path, {**model_arrays(model, {"training": progress}), **arrays})

    def resume(self, model, scores: dict, callbacks=()) -> tuple[int, bool]:
        """Load the last checkpoint into ``model``, ``scores`` and ``callbacks``.

        Returns the epochs it had done, and whether a callback had stopped the run.
        """
        if not self.path.is_file():
            return 0, False
        description, arrays = read_file(self.path)
        progress = description.get("training")
        if progress is None:
            raise ValueError(f"{self.path} is a model file, not a training checkpoint")
        ours = [[type(layer).__name__, layer.config()] for layer in model.layers]
        if progress["architecture"] != ours:
            raise ValueError(
                f"{self.path} was written by a different network; use another checkpoint folder "
                f"or build the same layers"
            )
        completed = int(progress["completed"])
        if completed > len(next(iter(scores.values()))):
            raise ValueError(
                f"{self.path} has {completed} epochs done, more than the epochs={len(scores['train_error'])} asked"
            )
        saved = progress.get("callbacks", [])
        names = [type(callback).__name__ for callback in callbacks]
        if [entry["class"] for entry in saved] != names:
            raise ValueError(
                f"{self.path} was written with the callbacks {[e['class'] for e in saved]}, but "
                f"this run has {names}; resume with the same callbacks"
            )
        restore_state(model, description, arrays, self.path)
        for key, values in progress["scores"].items():
            scores[key][:completed] = np.asarray(values, dtype=float)
        for index, (callback, entry) in enumerate(zip(callbacks, saved, strict=True)):
            prefix = f"callback{index}."
            callback.set_state(entry["state"], {
                name[len(prefix):]: value for name, value in arrays.items()
                if name.startswith(prefix)
            })  # fmt: skip
        return completed, bool(progress.get("stopped", False))
