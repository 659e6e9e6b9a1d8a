"""A layer a student writes: checked with cnnlab.gradcheck, saved, and loaded by hand-over."""

import numpy as np
import pytest

import cnnlab
from cnnlab import CNN, Adam, CostOLS, identity
from cnnlab.layers import Layer


class Square(Layer):
    """A = X**2 + shift; dX = 2 X dA, dshift = sum over the batch of dA."""

    def __init__(self, scale: float = 1.0) -> None:
        super().__init__()
        self.scale = scale

    def _build(self, input_shape, rng, dtype):
        self.params = {"shift": np.zeros(input_shape, dtype)}
        return input_shape

    def forward(self, X, training=False):
        self._check_input(X)
        self._cache = X
        return self.scale * X**2 + self.params["shift"]

    def backward(self, delta):
        self.grads["shift"] = delta.sum(axis=0)
        return 2 * self.scale * self._cache * delta

    def config(self):
        return {"scale": self.scale}


def network():
    cnn = CNN(CostOLS, Adam(1e-2), seed=0)
    cnn.add(Square(0.5))
    cnn.add_OutputLayer(2, identity)
    return cnn


def test_a_custom_layer_passes_gradcheck():
    assert cnnlab.gradcheck(Square(0.5), (4,), seed=0).passed


def test_a_custom_layer_saves_with_a_note_and_loads_when_handed_over(tmp_path):
    rng = np.random.default_rng(0)
    X, t = rng.standard_normal((20, 3)), rng.standard_normal((20, 2))
    cnn = network()
    cnn.fit(X, t, epochs=3, verbose=False)
    with pytest.warns(UserWarning, match=r"custom_layers=\{'Square': Square\}"):
        path = cnn.save(tmp_path / "custom.npz")
    with pytest.raises(ValueError, match=r"unknown layer class 'Square'; .*custom_layers"):
        cnnlab.load(path)
    loaded = cnnlab.load(path, custom_layers={"Square": Square})
    assert loaded.layers[0].scale == 0.5
    np.testing.assert_array_equal(loaded.predict(X), cnn.predict(X))


def test_custom_layers_must_be_layer_classes(tmp_path):
    with pytest.raises(TypeError, match=r"custom_layers\['Square'\] must be a subclass"):
        cnnlab.load(tmp_path / "x.npz", custom_layers={"Square": "Square"})
