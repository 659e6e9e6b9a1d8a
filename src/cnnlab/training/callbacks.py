"""Callbacks: code that runs after every epoch of ``fit``, with Keras's names and meanings.

A callback sees the epoch's scores (``logs``, the keys of ``fit``'s History)
and the model. It may stop training (``model.stop_training = True``), change
learning rates or save the model. What it remembers (best score, patience
counter, best weights) goes into ``fit``'s checkpoints, so a resumed run ends
as an uninterrupted one would::

    from cnnlab.callbacks import EarlyStopping, ReduceLROnPlateau
    cnn.fit(X, t, epochs=100, X_val=X_val, t_val=t_val,
            callbacks=[EarlyStopping(patience=5), ReduceLROnPlateau(patience=3)])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnlab._validation import check_float, check_int

#: scores that are better when larger; every other score (costs, errors) is better smaller
LARGER_IS_BETTER = ("acc", "r2", "psnr")


class Callback:
    """Base class: override the hooks you need.

    ``on_train_begin(model, keys)`` gets the score names this run will log;
    ``on_epoch_end(epoch, logs, model)`` gets the 0-based epoch and a dict of
    its scores; ``on_train_end(model)`` runs once at the end, also after
    Ctrl-C. Set ``model.stop_training = True`` to stop after this epoch.
    ``get_state`` / ``set_state`` carry what the callback remembers through a
    checkpoint: a dict of JSON values, and a dict of arrays.
    """

    def on_train_begin(self, model, keys: tuple[str, ...]) -> None:
        """Before the first epoch; ``keys`` are the names that ``logs`` will hold."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model) -> None:
        """After each epoch's scores are known."""

    def on_train_end(self, model) -> None:
        """After the last epoch (or an early stop, or Ctrl-C)."""

    def get_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """What the callback remembers, for a checkpoint: a dict of JSON values and a dict of arrays."""
        return {}, {}

    def set_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        """Take back what :meth:`get_state` gave (from a checkpoint)."""


class Monitor(Callback):
    """A callback that watches one score for improvements (the base of the three below)."""

    def __init__(self, monitor: str, min_delta: float) -> None:
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a score name such as 'val_error', got {monitor!r}")
        self.monitor = monitor
        self.min_delta = check_float(min_delta, "min_delta", minimum=0.0)
        self.larger_is_better = monitor.rsplit("_", 1)[-1] in LARGER_IS_BETTER
        self.best = -np.inf if self.larger_is_better else np.inf
        self.best_epoch = -1
        self.wait = 0

    def on_train_begin(self, model, keys: tuple[str, ...]) -> None:
        if self.monitor not in keys:
            raise ValueError(
                f"{type(self).__name__} monitors {self.monitor!r}, which this run does not "
                f"score; valid names: {list(keys)}"
            )

    def _value(self, logs: dict[str, float]) -> float:
        value = logs[self.monitor]
        if np.isnan(value):
            raise ValueError(
                f"{type(self).__name__} monitors {self.monitor!r}, which is NaN: "
                f"{'pass X_val and t_val to fit' if self.monitor.startswith('val_') else 'no score'}"
            )
        return value

    def improved(self, value: float) -> bool:
        """Whether ``value`` beats the best so far by more than ``min_delta``."""
        if self.larger_is_better:
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def get_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        return {
            "best": _json_float(self.best),
            "best_epoch": self.best_epoch,
            "wait": self.wait,
        }, {}

    def set_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        self.best = float(state["best"])
        self.best_epoch = int(state["best_epoch"])
        self.wait = int(state["wait"])


class EarlyStopping(Monitor):
    """Stop when ``monitor`` has not improved for ``patience`` epochs.

    Parameters
    ----------
    monitor : str
        A score of ``fit``'s History, e.g. "val_error" or "val_acc". Accuracy,
        R² and PSNR count as better when larger, everything else when smaller.
    patience : int
        Epochs without improvement before stopping.
    min_delta : float
        The least change that counts as an improvement.
    restore_best : bool
        At the end of training, put back the weights (and running statistics)
        of the best epoch, so the model scores exactly that epoch's value.
    """

    def __init__(
        self, monitor: str = "val_error", patience: int = 5, min_delta: float = 0.0,
        restore_best: bool = True,
    ) -> None:  # fmt: skip
        super().__init__(monitor, min_delta)
        self.patience = check_int(patience, "patience", minimum=0)
        self.restore_best = bool(restore_best)
        self.best_weights: dict[str, np.ndarray] = {}
        self.stopped_epoch: int | None = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model) -> None:
        value = self._value(logs)
        if self.improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best:
                self.best_weights = _weights(model)
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            model.stop_training = True

    def on_train_end(self, model) -> None:
        if self.restore_best and self.best_weights:
            for name, value in self.best_weights.items():
                index, kind, key = name.split(".", 2)
                getattr(model.layers[int(index)], kind)[key][...] = value

    def get_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        state, _ = super().get_state()
        state["stopped_epoch"] = self.stopped_epoch
        return state, dict(self.best_weights)

    def set_state(self, state: dict, arrays: dict[str, np.ndarray]) -> None:
        super().set_state(state, arrays)
        self.stopped_epoch = state.get("stopped_epoch")
        self.best_weights = {name: np.array(value) for name, value in arrays.items()}


class ModelCheckpoint(Monitor):
    """Save the model to ``path`` after an epoch that improved ``monitor`` (or after every one).

    Written atomically (a temporary file, then a rename), as ``CNN.save``.

    Parameters
    ----------
    path : str or Path
        The model file (".npz"); read it back with ``cnnlab.load``.
    monitor : str
    save_best_only : bool
        False: save after every epoch.
    """

    def __init__(
        self, path: str | Path, monitor: str = "val_error", save_best_only: bool = True,
        min_delta: float = 0.0,
    ) -> None:  # fmt: skip
        if not isinstance(path, str | Path):
            raise TypeError(f"path must be a file path, got {path!r}")
        super().__init__(monitor, min_delta)
        self.path = Path(path)
        self.save_best_only = bool(save_best_only)

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model) -> None:
        value = self._value(logs)
        if self.improved(value):
            self.best, self.best_epoch = value, epoch
        elif self.save_best_only:
            return
        model.save(self.path)


class ReduceLROnPlateau(Monitor):
    """Multiply every learning rate by ``factor`` after ``patience`` epochs without improvement.

    Parameters
    ----------
    monitor : str
    factor : float
        In (0, 1).
    patience : int
    min_eta : float
        No learning rate goes below this.
    min_delta : float
    """

    def __init__(
        self, monitor: str = "val_error", factor: float = 0.5, patience: int = 3,
        min_eta: float = 0.0, min_delta: float = 0.0,
    ) -> None:  # fmt: skip
        super().__init__(monitor, min_delta)
        self.factor = check_float(factor, "factor", minimum=0.0, inclusive=False)
        if self.factor >= 1:
            raise ValueError(f"factor must be in (0, 1), got {factor}; it shrinks the rate")
        self.patience = check_int(patience, "patience", minimum=0)
        self.min_eta = check_float(min_eta, "min_eta", minimum=0.0)

    def on_epoch_end(self, epoch: int, logs: dict[str, float], model) -> None:
        value = self._value(logs)
        if self.improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            return
        self.wait += 1
        if self.wait >= self.patience:
            for optimizer in model.optimizers.values():
                optimizer.eta = max(optimizer.eta * self.factor, self.min_eta)
            self.wait = 0


def check_callbacks(callbacks: object) -> list[Callback]:
    """``fit``'s ``callbacks`` argument as a list, or a TypeError naming what is wrong."""
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    if not isinstance(callbacks, list | tuple):
        raise TypeError(f"callbacks must be a list of cnnlab.callbacks.Callback, got {callbacks!r}")
    for callback in callbacks:
        if not isinstance(callback, Callback):
            raise TypeError(
                f"callbacks must hold cnnlab.callbacks.Callback objects (EarlyStopping, "
                f"ModelCheckpoint, ReduceLROnPlateau or a subclass), got {callback!r}"
            )
    return list(callbacks)


def _weights(model) -> dict[str, np.ndarray]:
    """Copies of every parameter and buffer, by "index.params.key" / "index.buffers.key"."""
    return {
        f"{index}.{kind}.{key}": value.copy()
        for index, layer in enumerate(model.layers)
        for kind in ("params", "buffers")
        for key, value in getattr(layer, kind).items()
    }


def _json_float(value: float):
    return value if np.isfinite(value) else ("inf" if value > 0 else "-inf")
