"""The training loop behind ``CNN.fit``: epochs of batches, scores, progress bar, Ctrl-C.

:func:`train` checks the arguments (:func:`check_arguments`), then runs
:func:`run_epoch` once per epoch with the step of ``cnnlab.training.step`` (or
its threaded twin), scores the epoch (:func:`score_epoch`) and saves a
checkpoint. The model is handed in; nothing here imports it.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_float, check_int
from cnnlab.nn.metrics import METRICS, merge, scores_from
from cnnlab.training.callbacks import check_callbacks
from cnnlab.training.checkpoints import Checkpoints
from cnnlab.training.history import History
from cnnlab.training.progress import progress_bar
from cnnlab.training.threads import keep_freed_memory, make_step, resolve_jobs

if TYPE_CHECKING:
    from cnnlab.training.step import Step
    from cnnlab.training.threads import ThreadedStep

#: ``fit``'s ``augment``: ``augment(X_batch, rng)`` gives the batch to train on
Augment = Callable[[np.ndarray, np.random.Generator], np.ndarray]
#: what :func:`check_arguments` returns: X, t, X_val, t_val, epochs, lam, batches, eta_decay
Arguments = tuple[
    np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None, int, float, int, float
]


def score_keys(pred_format: str) -> tuple[str, ...]:
    """The keys of ``fit``'s scores: cost and the metrics, on training and validation."""
    names = ("error", *METRICS[pred_format])
    return tuple(f"{part}_{name}" for part in ("train", "val") for name in names)


def batch_indices(order: np.ndarray, batches: int) -> list[np.ndarray]:
    """Split ``order`` into ``batches`` parts whose sizes differ by at most one."""
    return np.array_split(order, batches)


def check_arguments(
    model, X: ArrayLike, t: ArrayLike, X_val: ArrayLike | None, t_val: ArrayLike | None,
    epochs: int, lam: float, batches: int, batch_size: int | None, eta_decay: float,
    augment: Augment | None,
) -> Arguments:  # fmt: skip
    """Validate ``fit``'s arguments; return them cleaned: data arrays, counts, rates."""
    epochs = check_int(epochs, "epochs")
    lam = check_float(lam, "lam", minimum=0.0)
    eta_decay = check_float(eta_decay, "eta_decay", minimum=0.0, inclusive=False)
    if eta_decay > 1:
        raise ValueError(f"eta_decay must be in (0, 1], got {eta_decay}; a growing rate diverges")
    prepared: tuple[np.ndarray, np.ndarray] = model.prepare(X, t)
    X, t = prepared
    if (X_val is None) != (t_val is None):
        raise ValueError("give both X_val and t_val, or neither")
    validation: tuple[np.ndarray | None, np.ndarray | None] = (None, None)
    if X_val is not None:
        if np.shape(X_val)[1:] != X.shape[1:]:
            raise ValueError(
                f"X_val must have samples of the training shape {X.shape[1:]}, got "
                f"{np.shape(X_val)[1:]}; evaluate other sizes after fit with evaluate()"
            )
        validation = model.prepare(X_val, t_val, names=("X_val", "t_val"))
    samples = len(X)
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size")
        batches = math.ceil(samples / min(batch_size, samples))
    batches = check_int(batches, "batches")
    if batches > samples:
        raise ValueError(
            f"batches={batches} is larger than the number of samples ({samples}); "
            f"use at most {samples} batches"
        )
    if augment is not None and not callable(augment):
        raise TypeError(f"augment must be a function (X_batch, rng) -> X_batch, got {augment!r}")
    return X, t, *validation, epochs, lam, batches, eta_decay


def run_epoch(
    model, step: Step | ThreadedStep, X: np.ndarray, t: np.ndarray, lam: float, batches: int,
    *, shuffle: bool, augment: Augment | None, bar: Any,
) -> tuple[float, dict]:  # fmt: skip
    """One pass over the data in ``batches`` batches; returns the summed cost and statistics."""
    order = model.rng.permutation(len(X)) if shuffle else np.arange(len(X))
    loss_sum = 0.0
    statistics: dict | None = None
    for index in batch_indices(order, batches):
        X_batch, t_batch = X[index], t[index]
        if augment is not None:
            X_batch = augment(X_batch, model.rng)
        loss, part = step(X_batch, t_batch, lam)
        loss_sum += loss
        statistics = merge(statistics, part)
        bar.update()
    assert statistics is not None  # one batch at least
    return loss_sum, statistics


def score_epoch(
    model, scores: dict[str, np.ndarray], epoch: int, loss_sum: float, statistics: dict,
    samples: int, X_val: np.ndarray | None, t_val: np.ndarray | None,
) -> None:  # fmt: skip
    """Write epoch ``epoch``'s training and validation scores; raise if the cost diverged."""
    scores["train_error"][epoch] = loss_sum / samples
    for name, value in scores_from(statistics, model.pred_format).items():
        scores[f"train_{name}"][epoch] = value
    if not np.isfinite(scores["train_error"][epoch]):
        raise FloatingPointError(
            f"training diverged in epoch {epoch + 1}: the cost is "
            f"{scores['train_error'][epoch]}; try a smaller eta (learning rate) "
            f"than {model.scheduler.eta:g}"
        )
    if X_val is not None:
        for name, value in model.evaluate(X_val, t_val).items():
            scores[f"val_{name}"][epoch] = value


def train(
    model, X: ArrayLike, t: ArrayLike, epochs: int, lam: float, batches: int,
    X_val: ArrayLike | None, t_val: ArrayLike | None, *, batch_size: int | None, shuffle: bool,
    verbose: bool, eta_decay: float, checkpoint: str | Path | None = None,
    checkpoint_every: int = 1, resume: bool = False, augment: Augment | None = None,
    n_jobs: int | None = None, callbacks: object = None, overwrite: bool = False,
) -> History:  # fmt: skip
    """Run ``epochs`` epochs of mini-batch training; see ``CNN.fit`` for the arguments."""
    n_jobs = resolve_jobs(n_jobs)
    X, t, X_val, t_val, epochs, lam, batches, eta_decay = check_arguments(
        model, X, t, X_val, t_val, epochs, lam, batches, batch_size, eta_decay, augment
    )
    callbacks = check_callbacks(callbacks)
    if resume and checkpoint is None:
        raise ValueError("resume=True needs checkpoint=FOLDER, the folder to resume from")
    keys = score_keys(model.pred_format)
    for callback in callbacks:
        callback.on_train_begin(model, keys)
    if checkpoint is None:
        return _epochs(model, None, keys, callbacks, epochs, resume, eta_decay, verbose, n_jobs,
                       (X, t, lam, batches, shuffle, augment, X_val, t_val))  # fmt: skip
    checkpoints = Checkpoints(checkpoint, checkpoint_every)
    checkpoints.settings = {
        "data": fingerprint(X, t), "samples": len(X), "lam": lam, "batches": batches,
        "eta_decay": eta_decay, "shuffle": bool(shuffle), "augment": augment is not None,
        "seed": model.seed,
    }  # fmt: skip
    with checkpoints.session(resume, overwrite):
        return _epochs(model, checkpoints, keys, callbacks, epochs, resume, eta_decay, verbose,
                       n_jobs, (X, t, lam, batches, shuffle, augment, X_val, t_val))  # fmt: skip


def fingerprint(X: np.ndarray, t: np.ndarray) -> str:
    """A short hash of the data (shape, and up to 64 samples spread over it)."""
    rows = np.linspace(0, len(X) - 1, min(len(X), 64)).astype(int)
    digest = hashlib.sha256(repr((X.shape, t.shape)).encode())
    digest.update(np.ascontiguousarray(X[rows]).tobytes())
    digest.update(np.ascontiguousarray(t[rows]).tobytes())
    return digest.hexdigest()[:16]


def _epochs(model, checkpoints, keys, callbacks, epochs, resume, eta_decay, verbose, n_jobs,
            data) -> History:  # fmt: skip
    """The epochs themselves, after the checks (and with the checkpoint folder locked)."""
    X, t, lam, batches, shuffle, augment, X_val, t_val = data
    scores = {key: np.full(epochs, np.nan) for key in keys}
    model.stop_training = False
    completed, stopped = checkpoints.resume(model, scores, callbacks) if resume else (0, False)
    interrupted = False
    keep_freed_memory()
    try:
        for epoch in range(completed, epochs if not stopped else completed):
            with progress_bar(batches, f"epoch {epoch + 1}/{epochs}", verbose) as bar:
                with make_step(model, n_jobs) as step:
                    sums = run_epoch(
                        model, step, X, t, lam, batches, shuffle=shuffle, augment=augment, bar=bar
                    )
                score_epoch(model, scores, epoch, *sums, len(X), X_val, t_val)
                completed = epoch + 1
                for optimizer in model.optimizers.values():
                    optimizer.eta *= eta_decay
                logs = {key: float(scores[key][epoch]) for key in keys}
                for callback in callbacks:
                    callback.on_epoch_end(epoch, logs, model)
                stopped = bool(model.stop_training)
                if checkpoints is not None:
                    checkpoints.save(model, completed, epochs, scores, callbacks, stopped)
                bar.set_postfix(
                    {key: f"{value:.4g}" for key, value in logs.items() if np.isfinite(value)}
                )
            if stopped:
                break
    except KeyboardInterrupt:
        interrupted = True
        warnings.warn(
            f"training interrupted after {completed} of {epochs} epochs; returning their scores",
            stacklevel=3,
        )
    finally:
        for callback in callbacks:
            callback.on_train_end(model)
    history = History(
        {key: values[:completed] for key, values in scores.items()}, stopped, interrupted
    )
    if completed and not interrupted:
        warn_if_not_learning(model, history["train_error"][-1], t)
    return history


class NotLearningWarning(UserWarning):
    """Training ended no better than a network that ignores its input."""


def warn_if_not_learning(model, final_cost: float, t: np.ndarray) -> None:
    """Warn when the last epoch's cost is no better than predicting the mean target.

    The mean target is the best constant prediction: the class frequencies for
    cross-entropy, the mean value for squared error. A network at or above its
    cost has learnt nothing from its input, as after a learning rate far too large.
    """
    chance = model.cost_func.value(np.broadcast_to(t.mean(axis=0), t.shape), t)
    if final_cost >= chance:
        eta = max(optimizer.eta for optimizer in model.optimizers.values())
        advice = (
            f"try a smaller eta (learning rate) than {eta:g}"  # far above: overshooting
            if final_cost > 2 * chance
            else "train for more epochs, try another eta, or check that X and t belong together"
        )
        warnings.warn(
            f"training did not learn: the final training cost {final_cost:.4g} is no better "
            f"than {chance:.4g}, the cost of always predicting the mean target; {advice}",
            NotLearningWarning,
            stacklevel=4,
        )
