"""Accuracy as it should be counted: whole samples, not one-hot entries.

The notes' code compared one-hot matrices entry by entry, so a network that
got every sample wrong still scored 80 % on ten classes.
"""

from __future__ import annotations

import numpy as np


def accuracy(output: np.ndarray, target: np.ndarray, pred_format: str, threshold=0.5):
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
