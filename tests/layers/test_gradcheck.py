"""``cnnlab.gradcheck`` passes every built-in layer and names the culprit of a wrong one."""

import numpy as np
import pytest

import cnnlab
from cnnlab import sigmoid, softmax, tanh
from cnnlab.layers import FullyConnectedLayer, Layer
from cnnlab.layers.registry import LAYERS

# one configuration (and input shape) per built-in layer class
BUILT_INS = {
    "Convolution2DLayer": ({"input_channels": 2, "feature_maps": 3, "v_stride": 2, "act_func": tanh}, (2, 5, 4)),
    "Convolution1DLayer": ({"input_channels": 2, "feature_maps": 2, "kernel_size": 3, "dilation": 2}, (2, 9)),
    "TransposedConvolution2DLayer": ({"input_channels": 2, "feature_maps": 2, "v_stride": 2, "pad": 1}, (2, 3, 3)),
    "Pooling2DLayer": ({"pooling": "average"}, (2, 4, 4)),
    "Pooling1DLayer": ({"kernel_size": 3, "stride": 2}, (2, 7)),
    "GlobalAveragePoolingLayer": ({}, (3, 4, 2)),
    "FlattenLayer": ({}, (2, 3, 2)),
    "ReshapeLayer": ({"shape": (2, 3)}, (6,)),
    "Upsampling2DLayer": ({"size": (2, 3)}, (1, 2, 2)),
    "Dropout": ({"rate": 0.3}, (5,)),
    "ActivationLayer": ({"act_func": "tanh"}, (2, 3)),
    "BatchNormalization": ({}, (3, 2, 2)),
    "FullyConnectedLayer": ({"nodes": 4, "act_func": sigmoid}, (5,)),
    "OutputLayer": ({"nodes": 3, "output_func": softmax}, (4,)),
}  # fmt: skip


def test_every_built_in_layer_is_listed():
    assert set(BUILT_INS) == set(LAYERS)


@pytest.mark.parametrize("name", sorted(BUILT_INS))
@pytest.mark.parametrize("training", [False, True])
def test_gradcheck_passes_every_built_in_layer(name, training):
    arguments, shape = BUILT_INS[name]
    layer = LAYERS[name](**arguments)
    report = cnnlab.gradcheck(layer, shape, seed=1, training=training)
    assert report.passed, str(report)
    assert set(report.errors) == {"X", *layer.params}
    assert max(report.errors.values()) < 1e-6


class HalfWrong(FullyConnectedLayer):
    """A dense layer whose weight gradient is twice what it should be."""

    def backward(self, delta):
        dX = super().backward(delta)
        self.grads["W"] = 2 * self.grads["W"]
        return dX


def test_gradcheck_names_the_culprit():
    report = cnnlab.gradcheck(HalfWrong(3), (4,), seed=0)
    assert not report.passed and not report
    assert report.failed == ["W"]
    assert report.errors["W"] == pytest.approx(0.5, rel=1e-4)  # (2g - g) / 2g
    assert report.errors["b"] < 1e-8 and report.errors["X"] < 1e-8
    assert "dW: 5.00e-01  FAILED" in str(report)


class InPlace(Layer):
    def forward(self, X, training=False):
        return 2 * X

    def backward(self, delta):
        delta *= 2
        return delta


def test_gradcheck_catches_a_backward_that_writes_into_delta():
    report = cnnlab.gradcheck(InPlace(), (3,), seed=0)
    assert report.errors["X"] < 1e-8
    assert report.failed == ["delta"]


def test_gradcheck_refuses_a_float32_layer():
    layer = FullyConnectedLayer(2)
    layer.build((3,), np.random.default_rng(0), np.float32)
    with pytest.raises(ValueError, match="gradcheck needs a float64 layer"):
        cnnlab.gradcheck(layer, (3,))
