"""Data sets: scikit-learn's digits (offline), MNIST, Fashion-MNIST and CIFAR-10 from their
original files, and time series of a driven pendulum (simulated).

``loaders`` holds the public functions; ``raw_files`` reads the raw IDX and
CIFAR binary files, checked against their published checksums (``idx_sets``
has the IDX tables); ``timeseries`` simulates the pendulum.
"""

from cnnlab.datasets.idx_sets import FASHION_MNIST_CLASSES
from cnnlab.datasets.loaders import (
    load_cifar10,
    load_digits,
    load_fashion_mnist,
    load_mnist,
    onehot,
    random_shift,
    train_val_split,
)
from cnnlab.datasets.timeseries import load_pendulum, next_step_pairs, simulate_pendulum

__all__ = [
    "load_digits",
    "load_mnist",
    "load_fashion_mnist",
    "FASHION_MNIST_CLASSES",
    "load_cifar10",
    "load_pendulum",
    "simulate_pendulum",
    "next_step_pairs",
    "onehot",
    "random_shift",
    "train_val_split",
]
