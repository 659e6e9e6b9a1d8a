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


def test_random_shift_moves_each_image_within_the_limit():
    from cnnlab.datasets import random_shift

    X, _ = load_digits(pad_to=16)  # digits sit in the middle: shifts by 2 lose no ink
    batch = X[:50]
    shifted = random_shift(2)(batch, np.random.default_rng(0))
    assert shifted.shape == batch.shape
    np.testing.assert_allclose(shifted.sum(axis=(1, 2, 3)), batch.sum(axis=(1, 2, 3)), rtol=1e-6)
    moved = 0
    for original, result in zip(batch, shifted, strict=True):
        matches = [
            (dy, dx)
            for dy in range(-2, 3)
            for dx in range(-2, 3)
            if np.array_equal(np.roll(original, (dy, dx), axis=(1, 2)), result)
        ]
        assert matches, "each image must be a shifted copy of itself"
        moved += matches != [(0, 0)]
    assert moved > 30
    np.testing.assert_array_equal(random_shift(0)(batch, np.random.default_rng(0)), batch)
    again = random_shift(2)(batch, np.random.default_rng(0))
    np.testing.assert_array_equal(again, shifted)


def test_fit_applies_the_augmentation_to_every_batch():
    from cnnlab import CNN, softmax

    X, y = load_digits()
    calls = []

    def augment(batch, rng):
        calls.append(len(batch))
        return batch

    cnn = CNN(seed=0)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(10, softmax)
    cnn.fit(X[:100], onehot(y[:100]), epochs=2, batch_size=25, verbose=False, augment=augment)
    assert calls == [25] * 8
    with pytest.raises(TypeError, match="augment must be a function"):
        cnn.fit(X[:100], onehot(y[:100]), epochs=1, verbose=False, augment="shift")


def test_train_val_split_of_images_for_an_autoencoder():
    from cnnlab.datasets import train_val_split

    X = np.random.default_rng(0).random((20, 1, 4, 4))
    X_train, X_val, t_train, t_val = train_val_split(X, X, val_fraction=0.25)
    assert X_train.shape == (15, 1, 4, 4) and t_val.shape == (5, 1, 4, 4)
    np.testing.assert_array_equal(X_train, t_train)
