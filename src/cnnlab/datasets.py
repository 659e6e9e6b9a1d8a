"""Data sets in the NCHW layout, and the helpers the notes use with them.

``load_digits`` is scikit-learn's 8x8 digits, which ship with scikit-learn,
so everything that must run offline uses it.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

from cnnlab._validation import check_array, check_float, check_int


def load_digits(*, pad_to: int | None = None, dtype=np.float32):
    """scikit-learn's 1,797 handwritten digits as images.

    Parameters
    ----------
    pad_to : int, optional
        Zero-pad each 8x8 image, centred, to ``pad_to x pad_to`` (28 gives
        MNIST-sized inputs).
    dtype : numpy dtype
        Float type of the images.

    Returns
    -------
    X : ndarray, shape (1797, 1, 8, 8) or (1797, 1, pad_to, pad_to)
        Pixel values scaled to [0, 1].
    y : ndarray of int, shape (1797,)
        The digit, 0 to 9.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X = (digits.images / 16.0).astype(dtype)[:, None]
    if pad_to is not None:
        pad_to = check_int(pad_to, "pad_to", minimum=8)
        before = (pad_to - 8) // 2
        after = pad_to - 8 - before
        X = np.pad(X, ((0, 0), (0, 0), (before, after), (before, after)))
    return X, digits.target.astype(np.int64)


def onehot(labels, classes: int | None = None) -> np.ndarray:
    """One-hot encode integer labels.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
    classes : int, optional
        Number of classes; defaults to ``max(labels) + 1``.

    Returns
    -------
    ndarray of float, shape (N, classes)
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"labels must be a 1-D array of non-negative integers, got dtype {labels.dtype} "
            f"and shape {labels.shape}"
        )
    labels = check_array(labels, "labels", ndim=1).astype(np.int64)
    if labels.min() < 0:
        raise ValueError(f"labels must be non-negative, got minimum {labels.min()}")
    classes = int(labels.max()) + 1 if classes is None else check_int(classes, "classes")
    if labels.max() >= classes:
        raise ValueError(f"labels go up to {labels.max()}, more than classes={classes} allows")
    result = np.zeros((len(labels), classes))
    result[np.arange(len(labels)), labels] = 1.0
    return result


def train_val_split(X, t, *, val_fraction: float = 0.2, seed: int | None = 0, stratify=True):
    """Split into training and validation parts, stratified by class by default.

    Returns
    -------
    X_train, X_val, t_train, t_val
    """
    val_fraction = check_float(
        val_fraction, "val_fraction", minimum=0.0, maximum=1.0, inclusive=False
    )
    t_array = np.asarray(t)
    labels = None
    if stratify:
        labels = t_array.argmax(axis=1) if t_array.ndim == 2 else t_array
    return train_test_split(X, t, test_size=val_fraction, random_state=seed, stratify=labels)
