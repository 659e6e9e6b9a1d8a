"""Data sets in the NCHW layout, and the helpers the notes use with them.

``load_digits`` is scikit-learn's 8x8 digits, which ship with scikit-learn,
so everything that must run offline uses it. ``load_mnist``,
``load_fashion_mnist`` and ``load_cifar10`` read the original files (see
``cnnlab.datasets.raw_files``): from ``data_home``, from the folder named by
``CNNLAB_DATA``, or downloaded once with pooch (checksums verified) into the
user's cache.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, DTypeLike
from sklearn.model_selection import train_test_split

from cnnlab._validation import check_array, check_float, check_int
from cnnlab.datasets.raw_files import TrainTest, read_cifar10, read_fashion_mnist, read_mnist


def load_mnist(
    data_home: str | Path | None = None,
    *,
    dtype: DTypeLike = np.float32,
    download: bool = True,
    verify: bool = True,
) -> TrainTest:
    """The 70,000 MNIST digits, 28x28 grayscale.

    Parameters
    ----------
    data_home : str or Path, optional
        A folder that holds the four IDX files (gzip or not), directly or in a
        ``mnist`` subfolder. Without it, the ``CNNLAB_DATA`` environment
        variable is tried, then the cache (``~/.cache/cnnlab``), downloading
        the files there if needed.
    dtype : numpy dtype
        Float type of the images.
    download : bool
        Whether a missing file may be downloaded.
    verify : bool
        Check the SHA-256 of every file's decompressed content against the
        published MNIST; a mismatch raises instead of giving wrong data.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Images (60000, 1, 28, 28) and (10000, 1, 28, 28) scaled to [0, 1];
        integer labels (60000,) and (10000,).
    """
    return _idx_images(read_mnist(data_home, download, verify), dtype)


def load_fashion_mnist(
    data_home: str | Path | None = None,
    *,
    dtype: DTypeLike = np.float32,
    download: bool = True,
    verify: bool = True,
) -> TrainTest:
    """The 70,000 Fashion-MNIST images of clothes, 28x28 grayscale, in 10 classes.

    A drop-in replacement for MNIST, with the same IDX files, file names and
    shapes, and harder to classify. The class names are
    ``cnnlab.datasets.FASHION_MNIST_CLASSES``.

    Parameters
    ----------
    data_home : str or Path, optional
        A folder that holds the four IDX files (gzip or not) in a
        ``fashion-mnist`` subfolder, or directly (looked for in that order).
        Without it, ``$CNNLAB_DATA/fashion-mnist`` is tried (only the
        subfolder: MNIST's files, named alike, may sit at the top of
        ``CNNLAB_DATA``), then the cache (``~/.cache/cnnlab/fashion-mnist``),
        downloading the files there if needed, checked against the MD5
        published by Zalando Research.
    dtype : numpy dtype
        Float type of the images.
    download : bool
        Whether a missing file may be downloaded.
    verify : bool
        Check the SHA-256 of every file's decompressed content against the
        published Fashion-MNIST; a mismatch (MNIST's files, say) raises
        instead of giving wrong data.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Images (60000, 1, 28, 28) and (10000, 1, 28, 28) scaled to [0, 1];
        integer labels (60000,) and (10000,), 0-9.
    """
    return _idx_images(read_fashion_mnist(data_home, download, verify), dtype)


def _idx_images(arrays: TrainTest, dtype: DTypeLike) -> TrainTest:
    """The uint8 arrays of an IDX data set as NCHW floats in [0, 1] and int64 labels."""
    (train_images, train_labels), (test_images, test_labels) = arrays
    return (
        (_scaled(train_images[:, None], dtype), train_labels.astype(np.int64)),
        (_scaled(test_images[:, None], dtype), test_labels.astype(np.int64)),
    )


def load_cifar10(
    data_home: str | Path | None = None, *, dtype: DTypeLike = np.float32, download: bool = True
) -> TrainTest:
    """The 60,000 CIFAR-10 colour images, 32x32, from the official binary version.

    Parameters
    ----------
    data_home : str or Path, optional
        A folder with ``cifar-10-binary.tar.gz`` or its extracted
        ``cifar-10-batches-bin`` folder; otherwise ``CNNLAB_DATA``, then the
        cache, downloading if needed. No pickle is ever read.

    Returns
    -------
    (X_train, y_train), (X_test, y_test)
        Images (50000, 3, 32, 32) and (10000, 3, 32, 32) in [0, 1]; labels 0-9.
    """
    (train_images, train_labels), (test_images, test_labels) = read_cifar10(data_home, download)
    return (
        (_scaled(train_images, dtype), train_labels.astype(np.int64)),
        (_scaled(test_images, dtype), test_labels.astype(np.int64)),
    )


def _scaled(pixels: np.ndarray, dtype: DTypeLike) -> np.ndarray:
    """uint8 pixels to floats in [0, 1], scaled in place (no second full-size copy)."""
    images = pixels.astype(dtype)
    images *= images.dtype.type(1 / 255)
    return images


def load_digits(
    *, pad_to: int | None = None, dtype: DTypeLike = np.float32
) -> tuple[np.ndarray, np.ndarray]:
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


def random_shift(max_shift: int = 2) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    """A training-batch augmentation: move each image by up to ``max_shift`` pixels.

    Returns a function ``augment(X_batch, rng)`` for ``CNN.fit(..., augment=...)``.
    Every image of the batch (N, C, H, W) gets its own vertical and horizontal
    shift, drawn uniformly from ``-max_shift..max_shift``; the uncovered border
    is zero. Shifted digits are still the same digits, so the network learns
    that position does not matter.
    """
    max_shift = check_int(max_shift, "max_shift", minimum=0)

    def augment(X_batch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if max_shift == 0:
            return X_batch
        images, _, height, width = X_batch.shape
        margin = ((0, 0), (0, 0), (max_shift, max_shift), (max_shift, max_shift))
        padded = np.pad(X_batch, margin)
        # Every (height, width) crop of the padded image, then one crop per image.
        crops = np.lib.stride_tricks.sliding_window_view(padded, (height, width), axis=(2, 3))
        rows, cols = rng.integers(0, 2 * max_shift + 1, size=(2, images))
        return crops[np.arange(images), :, rows, cols]

    return augment


def onehot(labels: ArrayLike, classes: int | None = None) -> np.ndarray:
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


def train_val_split(
    X: ArrayLike,
    t: ArrayLike,
    *,
    val_fraction: float = 0.2,
    seed: int | None = 0,
    stratify: bool = True,
) -> list:
    """Split into training and validation parts, stratified by class by default.

    ``t`` may be class labels (N,), one-hot rows (N, K), values for regression
    or images (an autoencoder's ``train_val_split(X, X)``); only class labels
    and one-hot rows are stratified.

    Returns
    -------
    X_train, X_val, t_train, t_val
    """
    val_fraction = check_float(
        val_fraction, "val_fraction", minimum=0.0, maximum=1.0, inclusive=False
    )
    t_array = np.asarray(t)
    labels = None
    if stratify and t_array.ndim == 1 and t_array.dtype.kind in "iub":
        labels = t_array
    elif stratify and t_array.ndim == 2 and _one_hot(t_array):
        labels = t_array.argmax(axis=1)
    return train_test_split(X, t, test_size=val_fraction, random_state=seed, stratify=labels)


def _one_hot(t: np.ndarray) -> bool:
    return bool(np.all((t == 0) | (t == 1)) and np.all(t.sum(axis=1) == 1))
