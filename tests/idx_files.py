"""Tiny IDX files (MNIST's and Fashion-MNIST's format) written by the tests."""

import gzip
from pathlib import Path

import numpy as np


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic, one big-endian size per axis, the data."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_tiny_idx(folder: Path, train=5, test=3, compress=True, seed=0):
    """Four tiny IDX files named as MNIST's (and Fashion-MNIST's); returns arrays and contents."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (train, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, train),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (test, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, test),
    }
    folder.mkdir(parents=True, exist_ok=True)
    contents = {}
    for stem, array in arrays.items():
        contents[stem] = idx_bytes(array)
        if compress:
            (folder / (stem + ".gz")).write_bytes(gzip.compress(contents[stem]))
        else:
            (folder / stem).write_bytes(contents[stem])
    return arrays, contents
