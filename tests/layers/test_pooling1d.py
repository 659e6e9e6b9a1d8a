import numpy as np
import pytest
from gradcheck import check_layer_gradients

from cnnlab.layers import GlobalAveragePoolingLayer, Pooling1DLayer


@pytest.mark.parametrize("optimized", [True, False], ids=["fast", "loops"])
@pytest.mark.parametrize("pooling", ["max", "average"])
@pytest.mark.parametrize("kernel_size, stride", [(2, None), (3, 1), (3, 2), (2, 3)])
def test_pooling1d_gradients(built, kernel_size, stride, pooling, optimized):
    layer = built(Pooling1DLayer(kernel_size, stride, pooling, optimized=optimized), (2, 11))
    # distinct values far apart: a step of 1e-6 never changes the argmax
    X = np.random.default_rng(0).permutation(2 * 2 * 11).reshape(2, 2, 11) * 0.01
    check_layer_gradients(layer, X)


@pytest.mark.parametrize("pooling", ["max", "average"])
@pytest.mark.parametrize("kernel_size, stride", [(2, None), (3, 1), (3, 2)])
def test_pooling1d_matches_torch(torch, built, kernel_size, stride, pooling):
    rng = np.random.default_rng(1)
    layer = built(Pooling1DLayer(kernel_size, stride, pooling), (3, 12))
    X = rng.standard_normal((2, 3, 12))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)
    module = (torch.nn.MaxPool1d if pooling == "max" else torch.nn.AvgPool1d)(kernel_size, stride)
    tX = torch.tensor(X, requires_grad=True)
    expected = module(tX)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(dX, tX.grad.numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("shape", [(3, 7), (3, 5, 4)])
def test_global_average_pooling(torch, built, shape):
    layer = built(GlobalAveragePoolingLayer(), shape)
    assert layer.output_shape == (3,)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, *shape))
    check_layer_gradients(layer, X)
    delta = rng.standard_normal((2, 3))
    tX = torch.tensor(X, requires_grad=True)
    expected = tX.mean(dim=tuple(range(2, X.ndim)))
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(layer.forward(X), expected.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(layer.backward(delta), tX.grad.numpy(), rtol=0, atol=1e-12)


def test_pooling1d_errors(built):
    with pytest.raises(ValueError, match="pooling kernel 5 is larger than its input 3"):
        built(Pooling1DLayer(5), (1, 3))
    with pytest.raises(ValueError, match=r"expects signals of shape \(channels, length\)"):
        built(Pooling1DLayer(2), (1, 4, 4))
    with pytest.raises(ValueError, match=r"expects \(channels, length\) or"):
        built(GlobalAveragePoolingLayer(), (5,))
