import numpy as np
import pytest
from gradcheck import check_layer_gradients

from cnnlab.layers import Convolution1DLayer
from cnnlab.nn.activations import identity, tanh

CASES = [
    # kernel_size, stride, dilation, pad, padding_mode
    (3, 1, 1, "same", "zeros"),
    (3, 2, 1, "valid", "zeros"),
    (4, 1, 1, "same", "circular"),
    (3, 2, 2, 2, "circular"),
    (2, 3, 3, 1, "zeros"),
    (5, 1, 2, "same", "zeros"),
]


@pytest.mark.parametrize("optimized", [True, False], ids=["fast", "loops"])
@pytest.mark.parametrize("kernel_size, stride, dilation, pad, mode", CASES)
def test_gradients_by_central_differences(
    built, kernel_size, stride, dilation, pad, mode, optimized
):
    layer = Convolution1DLayer(
        2, 3, kernel_size, stride, pad, tanh, padding_mode=mode, dilation=dilation,
        optimized=optimized,
    )  # fmt: skip
    built(layer, (2, 13))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(3)
    check_layer_gradients(layer, np.random.default_rng(1).standard_normal((2, 2, 13)))


@pytest.mark.parametrize(
    "kernel_size, stride, dilation, pad, mode",
    [c for c in CASES if c[3] != "same"]
    + [(3, 1, 1, 1, "zeros"), (3, 1, 1, 1, "circular"), (5, 1, 1, 2, "zeros")],
)
def test_matches_torch_conv1d(torch, built, kernel_size, stride, dilation, pad, mode):
    rng = np.random.default_rng(3)
    layer = built(
        Convolution1DLayer(
            3, 4, kernel_size, stride, pad, identity, padding_mode=mode, dilation=dilation
        ),
        (3, 13),
    )
    layer.params["b"][:] = rng.standard_normal(4)
    X = rng.standard_normal((2, 3, 13))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)
    module = torch.nn.Conv1d(
        3, 4, kernel_size, stride, pad, dilation, padding_mode=mode, dtype=torch.float64
    )
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.params["W"]))
        module.bias.copy_(torch.from_numpy(layer.params["b"]))
    tX = torch.tensor(X, requires_grad=True)
    expected = module(tX)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(dX, tX.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.grads["W"], module.weight.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(layer.grads["b"], module.bias.grad.numpy(), rtol=0, atol=1e-10)


def test_same_padding_keeps_ceil_of_length_over_stride(built):
    for length, kernel, stride, dilation, expected in [
        (13, 3, 1, 1, 13),
        (13, 3, 2, 1, 7),
        (10, 3, 1, 4, 10),
    ]:
        layer = built(Convolution1DLayer(1, 2, kernel, stride, dilation=dilation), (1, length))
        assert layer.output_shape == (2, expected)
        assert layer.params["W"].shape == (2, 1, kernel)


@pytest.mark.parametrize(
    "arguments, input_shape, error, message",
    [
        (dict(kernel_size=0), None, ValueError, "kernel_size must be >= 1, got 0"),
        (dict(dilation=0), None, ValueError, "dilation must be >= 1, got 0"),
        (dict(stride=2, algorithm="fft"), None, ValueError, "algorithm='fft' needs stride=1"),
        (
            dict(kernel_size=5, pad="valid"),
            (1, 3),
            ValueError,
            "kernel 5 is larger than the padded input 3",
        ),
        (
            dict(kernel_size=3, dilation=3, pad="valid"),
            (1, 5),
            ValueError,
            r"kernel 3 \(dilated to 7\) is larger",
        ),
        (dict(), (1, 4, 4), ValueError, r"expects signals of shape \(channels, length\)"),
    ],
)
def test_errors_quote_the_numbers(built, arguments, input_shape, error, message):
    options = dict(input_channels=1, feature_maps=1, kernel_size=3) | arguments
    with pytest.raises(error, match=message):
        layer = Convolution1DLayer(**options)
        built(layer, input_shape)
