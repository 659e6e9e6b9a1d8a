import numpy as np
import pytest
from gradcheck import check_layer_gradients

import cnnlab
from cnnlab import CNN, RELU, Adam, CostCrossEntropy, softmax
from cnnlab.datasets import onehot
from cnnlab.layers import ReshapeLayer, Upsampling2DLayer


@pytest.mark.parametrize("size", [2, (1, 3), (3, 2)])
def test_upsampling_gradients_and_pytorch(torch, built, size):
    layer = built(Upsampling2DLayer(size), (2, 3, 4))
    factors = (size, size) if isinstance(size, int) else size
    assert layer.output_shape == (2, 3 * factors[0], 4 * factors[1])
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 2, 3, 4))
    check_layer_gradients(layer, X)
    delta = rng.standard_normal((2, *layer.output_shape))
    tX = torch.tensor(X, requires_grad=True)
    expected = torch.nn.Upsample(scale_factor=factors, mode="nearest")(tX)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(layer.forward(X), expected.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.backward(delta), tX.grad.numpy(), rtol=0, atol=1e-12)


def test_reshape_gradients(built):
    layer = built(ReshapeLayer((2, 3, 4)), (24,))
    assert layer.output_shape == (2, 3, 4)
    check_layer_gradients(layer, np.random.default_rng(1).standard_normal((3, 24)))


def test_a_dense_to_image_network_trains_and_round_trips(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((64, 6))
    labels = (X[:, 0] > 0).astype(int)
    cnn = CNN(CostCrossEntropy, Adam(1e-2), seed=0)
    cnn.add_FullyConnectedLayer(2 * 4 * 4, RELU)
    cnn.add_ReshapeLayer((2, 4, 4))
    cnn.add_Upsampling2DLayer(2)
    cnn.add_Convolution2DLayer(2, 3, 3, 3, act_func=RELU)
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(2, softmax)
    scores = cnn.fit(X, onehot(labels, 2), epochs=30, batch_size=16, verbose=False)
    assert scores["train_acc"][-1] > 0.9
    assert cnn.layers[2].output_shape == (2, 8, 8)
    loaded = cnnlab.load(cnn.save(tmp_path / "decoder.npz"))
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Upsampling2DLayer(0), ValueError, "size must be >= 1, got 0"),
        (lambda: Upsampling2DLayer("2"), TypeError, "size must be an int or a pair of ints"),
        (
            lambda: ReshapeLayer(5),
            TypeError,
            r"shape must be a tuple of ints such as \(1, 28, 28\)",
        ),
    ],
)
def test_constructor_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_build_errors(built):
    with pytest.raises(
        ValueError, match=r"cannot reshape samples of shape \(24,\) \(24 values\) to \(5, 5\)"
    ):
        built(ReshapeLayer((5, 5)), (24,))
    with pytest.raises(ValueError, match="Upsampling2DLayer expects images"):
        built(Upsampling2DLayer(2), (3, 8))
