"""Scores for every kind of output (``pred_format``), counted as they should be.

Classification counts whole samples, not one-hot entries (the notes' code
compared one-hot matrices entry by entry, so a network that got every sample
wrong still scored 80 % on ten classes). Regression has R² and the mean
absolute error; image outputs the mean squared error and the PSNR.

Training scores an epoch batch by batch, so every metric is computed from
sums that add over batches (and over the threads of one batch):
:func:`batch_statistics` gives them, :func:`merge` adds two sets, and
:func:`scores_from` turns them into the metrics. So R² over an epoch is the
R² of the whole epoch, not a mean of per-batch values.
"""

from __future__ import annotations

import numpy as np

#: the metrics of each ``CNN.pred_format``, the first one the one to plot
METRICS = {
    "Multi-class": ("acc",),
    "Binary": ("acc",),
    "Regression": ("r2", "mae"),
    "Image": ("psnr", "mse"),
}
#: names for plots and progress bars
METRIC_NAMES = {"acc": "accuracy", "r2": "R²", "mae": "MAE", "mse": "MSE", "psnr": "PSNR (dB)"}
_EXTREMES = {"target_min": np.minimum, "target_max": np.maximum}


def accuracy(
    output: np.ndarray, target: np.ndarray, pred_format: str, threshold: float = 0.5
) -> float:
    """Fraction of correct predictions.

    Parameters
    ----------
    output : ndarray, shape (N, K)
        The network's output (probabilities for classification).
    target : ndarray, shape (N, K)
        One-hot rows for "Multi-class", 0/1 entries for "Binary".
    pred_format : {"Multi-class", "Binary", "Regression"}
    threshold : float
        Decision threshold for "Binary".

    Returns
    -------
    float
        Argmax accuracy for multi-class, the fraction of correct 0/1 entries for
        binary, NaN for regression (accuracy has no meaning there).
    """
    if pred_format == "Multi-class":
        return float(np.mean(np.argmax(output, axis=1) == np.argmax(target, axis=1)))
    if pred_format == "Binary":
        return float(np.mean((output > threshold) == (target > 0.5)))
    return float("nan")


def batch_statistics(output: np.ndarray, target: np.ndarray, pred_format: str) -> dict:
    """The sums from which ``pred_format``'s metrics follow, for one batch.

    Parameters
    ----------
    output, target : ndarray, shape (N, ...)
    pred_format : {"Multi-class", "Binary", "Regression", "Image"}
    """
    samples = len(output)
    if pred_format in ("Multi-class", "Binary"):
        return {"samples": samples, "correct": accuracy(output, target, pred_format) * samples}
    error = (output - target).astype(np.float64, copy=False)
    statistics = {
        "samples": samples,
        "entries": error.size,
        "absolute": float(np.abs(error).sum()),
        "squared": float(np.square(error).sum()),
    }
    if pred_format == "Regression":  # per output column, as scikit-learn's r2_score
        target64 = target.astype(np.float64, copy=False)
        statistics["squared_columns"] = np.square(error).sum(axis=0)
        statistics["target_sum"] = target64.sum(axis=0)
        statistics["target_squares"] = np.square(target64).sum(axis=0)
    else:
        statistics["target_min"] = float(target.min())
        statistics["target_max"] = float(target.max())
    return statistics


def merge(first: dict | None, second: dict) -> dict:
    """The statistics of two batches together (``first`` may be None)."""
    if first is None:
        return dict(second)
    return {
        key: _EXTREMES[key](value, second[key]) if key in _EXTREMES else value + second[key]
        for key, value in first.items()
    }


def scores_from(statistics: dict, pred_format: str) -> dict[str, float]:
    """``pred_format``'s metrics (:data:`METRICS`) from merged :func:`batch_statistics`.

    * acc: correct samples / samples;
    * r2: ``1 - SSE / SST`` per output column, averaged over columns, where
      ``SST = sum (t - mean t)^2``; a constant column scores 1 if predicted
      exactly, else 0 (scikit-learn's ``r2_score`` with ``force_finite``);
    * mae, mse: mean absolute and squared error over every entry;
    * psnr: ``10 log10(R^2 / mse)`` in dB, with R the range of the targets
      (1 for images in [0, 1], 2 for spins of +-1).
    """
    if pred_format in ("Multi-class", "Binary"):
        return {"acc": statistics["correct"] / statistics["samples"]}
    mse = statistics["squared"] / statistics["entries"]
    if pred_format == "Regression":
        samples = statistics["samples"]
        total = statistics["target_squares"] - np.square(statistics["target_sum"]) / samples
        residual = statistics["squared_columns"]
        with np.errstate(divide="ignore", invalid="ignore"):
            per_column = np.where(
                total > 0, 1 - residual / total, np.where(residual == 0, 1.0, 0.0)
            )
        return {
            "r2": float(np.mean(per_column)),
            "mae": statistics["absolute"] / statistics["entries"],
        }
    data_range = statistics["target_max"] - statistics["target_min"] or 1.0
    psnr = float("inf") if mse == 0 else float(10 * np.log10(data_range**2 / mse))
    return {"psnr": psnr, "mse": mse}


def scores(output: np.ndarray, target: np.ndarray, pred_format: str) -> dict[str, float]:
    """``pred_format``'s metrics of ``output`` against ``target`` in one go."""
    return scores_from(batch_statistics(output, target, pred_format), pred_format)
