import numpy as np
import pytest

from cnnlab.datasets import load_digits, onehot, train_val_split


def test_digits_layout_and_padding():
    X, y = load_digits()
    assert X.shape == (1797, 1, 8, 8) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.shape == (1797,) and set(y) == set(range(10))
    padded, _ = load_digits(pad_to=28)
    assert padded.shape == (1797, 1, 28, 28)
    np.testing.assert_array_equal(padded[:, :, 10:18, 10:18], X)
    assert padded.sum() == pytest.approx(X.sum())


def test_onehot():
    np.testing.assert_array_equal(onehot([2, 0]), [[0, 0, 1], [1, 0, 0]])
    assert onehot([1], classes=4).shape == (1, 4)
    with pytest.raises(ValueError, match="labels go up to 5, more than classes=3"):
        onehot([5], classes=3)
    with pytest.raises(ValueError, match="1-D array of non-negative integers"):
        onehot([0.5, 1.0])
    with pytest.raises(ValueError, match="labels must be non-negative, got minimum -1"):
        onehot([-1, 2])


def test_train_val_split_is_stratified_and_seeded():
    X, y = load_digits()
    t = onehot(y)
    X_train, X_val, t_train, t_val = train_val_split(X, t, val_fraction=0.2, seed=1)
    assert len(X_val) == 360 and len(X_train) == 1437
    counts = np.bincount(t_val.argmax(axis=1))
    assert counts.min() >= 35 and counts.max() <= 37
    again = train_val_split(X, t, val_fraction=0.2, seed=1)
    np.testing.assert_array_equal(again[1], X_val)
    with pytest.raises(ValueError, match=r"val_fraction must be < 1.0, got 1.0"):
        train_val_split(X, t, val_fraction=1.0)
