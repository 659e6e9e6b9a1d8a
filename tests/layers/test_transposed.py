import numpy as np
import pytest
from gradcheck import check_layer_gradients

from cnnlab.layers import TransposedConvolution2DLayer
from cnnlab.nn.activations import identity

# (input shape, feature maps, kernel, strides, pad): strides 1 and 2, padding 0 and 1,
# square and rectangular kernels, overlapping and non-overlapping windows
CASES = [
    ((2, 4, 5), 3, (3, 3), (1, 1), 0),
    ((2, 4, 5), 3, (3, 2), (2, 2), 1),
    ((3, 3, 4), 2, (2, 3), (2, 1), 0),
    ((1, 5, 4), 2, (4, 4), (2, 2), 1),
    ((2, 3, 3), 1, (2, 2), (2, 2), 0),
]


def make(input_shape, feature_maps, kernel, strides, pad, algorithm="auto", optimized=True):
    return TransposedConvolution2DLayer(
        input_shape[0], feature_maps, *kernel, *strides, pad, identity, optimized,
        algorithm=algorithm,
    )  # fmt: skip


@pytest.mark.parametrize(
    "input_shape, feature_maps, kernel, strides, pad, algorithm",
    [
        (*case, algorithm)
        for case in CASES
        for algorithm in ("loops", "im2col", "fft")
        if algorithm != "fft" or case[3] == (1, 1)  # the FFT runs unit strides only
    ],
)
def test_against_pytorch_and_by_central_differences(
    torch, built, input_shape, feature_maps, kernel, strides, pad, algorithm
):
    optimized = algorithm != "loops"
    layer = built(
        make(input_shape, feature_maps, kernel, strides, pad, algorithm if optimized else "auto",
             optimized),
        input_shape, seed=1,
    )  # fmt: skip
    assert layer.convolution.name == algorithm
    rng = np.random.default_rng(0)
    layer.params["b"][:] = rng.standard_normal(feature_maps)
    X = rng.standard_normal((2, *input_shape))
    twin = torch.nn.ConvTranspose2d(
        input_shape[0], feature_maps, kernel, stride=strides, padding=pad
    ).double()
    with torch.no_grad():
        twin.weight.copy_(torch.tensor(layer.params["W"]))
        twin.bias.copy_(torch.tensor(layer.params["b"]))
    tX = torch.tensor(X, requires_grad=True)
    expected = twin(tX)
    assert layer.output_shape == tuple(expected.shape[1:])
    delta = rng.standard_normal(expected.shape)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(layer.forward(X), expected.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.backward(delta), tX.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.grads["W"], twin.weight.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.grads["b"], twin.bias.grad.numpy(), rtol=0, atol=1e-10)
    errors = check_layer_gradients(layer, X)
    assert max(errors.values()) < 1e-6


def test_a_stride_2_decoder_doubles_the_image(built):
    layer = built(TransposedConvolution2DLayer(4, 2, 4, 4, 2, 2, 1), (4, 7, 7))
    assert layer.output_shape == (2, 14, 14)
    assert layer.params["W"].shape == (4, 2, 4, 4)


def test_errors(built):
    with pytest.raises(ValueError, match=r"output would be empty.*gives \(0, 0\)"):
        built(TransposedConvolution2DLayer(1, 1, 2, 2, 1, 1, 1), (1, 1, 1))
    with pytest.raises(TypeError, match="pad of a transposed convolution is a number of pixels"):
        TransposedConvolution2DLayer(1, 1, pad="same")
    with pytest.raises(ValueError, match="pad must be >= 0, got -1"):
        TransposedConvolution2DLayer(1, 1, pad=-1)
    with pytest.raises(ValueError, match="input_channels=2, but its input has 3 channels"):
        built(TransposedConvolution2DLayer(2, 1), (3, 4, 4))
