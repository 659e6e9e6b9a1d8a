"""Checkpoints that survive a crash: ``fit(..., checkpoint=FOLDER, resume=True)``.

After every ``every`` epochs the whole training state goes to
``FOLDER/checkpoint.npz``: weights, optimizer states and learning rates, the
random generators (which fix the data order of the next epochs and the dropout
masks) and the scores so far. The file is written to a temporary name and then
renamed, so a kill at any moment leaves the previous checkpoint intact.
Resuming with the same data and seed then ends with the same weights, bit for
bit, as a run that was never interrupted.

The folder is locked while a run uses it (``cnnlab.io.folders``). A run that
would start over an existing checkpoint is refused unless it resumes it
(``resume=True``) or asks to replace it (``overwrite=True``), and a resumed
run checks that the checkpoint was written by the same network, data and
settings, and says what differs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnnlab._validation import check_int
from cnnlab.io.archive import model_arrays, read_file, restore_state
from cnnlab.io.atomic import write_atomically
from cnnlab.io.folders import FolderLock, refuse_to_replace

if TYPE_CHECKING:
    from cnnlab.training.callbacks import Callback

FILENAME = "checkpoint.npz"


class Checkpoints:
    """Saving and resuming the training state in one folder.

    Parameters
    ----------
    folder : str or Path
    every : int
        Save after every ``every`` epochs (and after the last one).
    """

    def __init__(self, folder: str | Path, every: int = 1) -> None:
        if not isinstance(folder, str | Path):
            raise TypeError(f"checkpoint must be a folder path, got {folder!r}")
        self.path = Path(folder) / FILENAME
        self.every = check_int(every, "checkpoint_every")
        self.lock = FolderLock(folder)
        #: what the run is trained with (data fingerprint, lam, batches, ...), checked on resume
        self.settings: dict = {}

    @contextmanager
    def session(self, resume: bool, overwrite: bool) -> Iterator[Checkpoints]:
        """Hold the folder's lock for a run, after applying the replace rule."""
        with self.lock:
            if self.path.is_file() and not resume:
                if not overwrite:
                    refuse_to_replace(
                        self.path, f"a training checkpoint ({_epochs_done(self.path)})",
                        "pass resume=True (cnnlab train --resume)",
                        "overwrite=True (--overwrite)",
                    )  # fmt: skip
                self.path.unlink()
            yield self

    def save(
        self,
        model,
        completed: int,
        epochs: int,
        scores: dict[str, np.ndarray],
        callbacks: Sequence[Callback] = (),
        stopped: bool = False,
    ) -> None:
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
            "settings": self.settings,
        }
        write_atomically(self.path, {**model_arrays(model, {"training": progress}), **arrays})

    def resume(self, model, scores: dict, callbacks: Sequence[Callback] = ()) -> tuple[int, bool]:
        """Load the last checkpoint into ``model``, ``scores`` and ``callbacks``.

        Returns the epochs it had done, and whether a callback had stopped the run.
        """
        if not self.path.is_file():
            return 0, False
        try:
            return self._resume(model, scores, callbacks)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(
                f"{self.path} is malformed: {type(error).__name__} {error}; start again with "
                f"overwrite=True"
            ) from None

    def _resume(self, model, scores: dict, callbacks) -> tuple[int, bool]:
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
        differences = [
            f"{key}={value!r} there, {self.settings.get(key)!r} here"
            for key, value in progress.get("settings", {}).items()
            if key in self.settings and self.settings[key] != value
        ]
        if differences:
            raise ValueError(
                f"{self.path} was written with other data or settings ({'; '.join(differences)}); "
                f"resume with the same ones, or start again with overwrite=True"
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
        bound = 8 * sum(value.size for layer in model.layers
                        for value in {**layer.params, **layer.buffers}.values())  # fmt: skip
        for index, (callback, entry) in enumerate(zip(callbacks, saved, strict=True)):
            prefix = f"callback{index}."
            callback.set_state(entry["state"], {
                name[len(prefix):]: arrays.read(name, max_bytes=bound)
                for name in arrays.names() if name.startswith(prefix)
            })  # fmt: skip
        return completed, bool(progress.get("stopped", False))


def _epochs_done(path: Path) -> str:
    try:
        description, _ = read_file(path)
        return f"{int(description['training']['completed'])} epochs done"
    except (ValueError, KeyError, TypeError):
        return "unreadable"
