"""The training loop behind ``CNN.fit``: batches, scores, progress bar, Ctrl-C."""

from __future__ import annotations

import math
import warnings

import numpy as np
from tqdm.auto import tqdm

from cnnlab._validation import check_float, check_int
from cnnlab.checkpoints import Checkpoints
from cnnlab.parallel import TrainingStep, resolve_jobs

SCORE_KEYS = ("train_error", "train_acc", "val_error", "val_acc")


def batch_indices(order: np.ndarray, batches: int) -> list[np.ndarray]:
    """Split ``order`` into ``batches`` parts whose sizes differ by at most one."""
    return np.array_split(order, batches)


def train(
    model, X, t, epochs, lam, batches, X_val, t_val, *, batch_size, shuffle, verbose, eta_decay,
    checkpoint=None, checkpoint_every=1, resume=False, augment=None, n_jobs=None,
):  # fmt: skip
    """Run ``epochs`` epochs of mini-batch training; see ``CNN.fit`` for the arguments."""
    epochs = check_int(epochs, "epochs")
    n_jobs = resolve_jobs(n_jobs)
    lam = check_float(lam, "lam", minimum=0.0)
    eta_decay = check_float(eta_decay, "eta_decay", minimum=0.0, inclusive=False)
    if eta_decay > 1:
        raise ValueError(f"eta_decay must be in (0, 1], got {eta_decay}; a growing rate diverges")
    X, t = model.prepare(X, t)
    if (X_val is None) != (t_val is None):
        raise ValueError("give both X_val and t_val, or neither")
    if X_val is not None:
        X_val, t_val = model.prepare(X_val, t_val, names=("X_val", "t_val"))
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
    if resume and checkpoint is None:
        raise ValueError("resume=True needs checkpoint=FOLDER, the folder to resume from")
    checkpoints = None if checkpoint is None else Checkpoints(checkpoint, checkpoint_every)

    scores = {key: np.full(epochs, np.nan) for key in SCORE_KEYS}
    completed = checkpoints.resume(model, scores) if resume else 0
    bar = tqdm(
        total=epochs * batches, initial=completed * batches, disable=not verbose, unit="batch"
    )
    try:
        for epoch in range(completed, epochs):
            bar.set_description(f"epoch {epoch + 1}/{epochs}")
            order = model.rng.permutation(samples) if shuffle else np.arange(samples)
            loss_sum = correct_sum = 0.0
            with TrainingStep(model, n_jobs) as step:
                for index in batch_indices(order, batches):
                    X_batch, t_batch = X[index], t[index]
                    if augment is not None:
                        X_batch = augment(X_batch, model.rng)
                    loss, correct = step(X_batch, t_batch, lam)
                    loss_sum += loss
                    correct_sum += correct
                    bar.update()
            scores["train_error"][epoch] = loss_sum / samples
            scores["train_acc"][epoch] = correct_sum / samples
            if not np.isfinite(scores["train_error"][epoch]):
                raise FloatingPointError(
                    f"training diverged in epoch {epoch + 1}: the cost is "
                    f"{scores['train_error'][epoch]}; try a smaller eta (learning rate) "
                    f"than {model.scheduler.eta:g}"
                )
            if X_val is not None:
                result = model.evaluate(X_val, t_val)
                scores["val_error"][epoch] = result["error"]
                scores["val_acc"][epoch] = result["acc"]
            completed = epoch + 1
            for optimizer in model.optimizers.values():
                optimizer.eta *= eta_decay
            if checkpoints is not None:
                checkpoints.save(model, completed, epochs, scores)
            bar.set_postfix(
                {
                    key: f"{scores[key][epoch]:.4f}"
                    for key in SCORE_KEYS
                    if np.isfinite(scores[key][epoch])
                }
            )
    except KeyboardInterrupt:
        warnings.warn(
            f"training interrupted after {completed} of {epochs} epochs; returning their scores",
            stacklevel=3,
        )
    finally:
        bar.close()
    return {key: values[:completed] for key, values in scores.items()}
