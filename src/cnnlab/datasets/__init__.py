"""Data sets: scikit-learn's digits (offline), MNIST and CIFAR-10 from their original files.

``loaders`` holds the public functions; ``raw_files`` reads the raw IDX and
CIFAR binary files, checked against their published checksums.
"""

from cnnlab.datasets.loaders import (
    load_cifar10,
    load_digits,
    load_mnist,
    onehot,
    random_shift,
    train_val_split,
)

__all__ = ["load_digits", "load_mnist", "load_cifar10", "onehot", "random_shift", "train_val_split"]
