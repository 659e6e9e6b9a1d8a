import numpy as np
import pytest
import scipy.signal
from gradcheck import check_layer_gradients
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.activations import LRELU, identity, tanh
from cnnlab.layers import Convolution2DLayer


def built(layer, input_shape, seed=0, dtype=np.float64):
    layer.build(input_shape, np.random.default_rng(seed), dtype)
    return layer


CASES = [
    # kernel_height, kernel_width, v_stride, h_stride, pad
    (3, 3, 1, 1, "same"),
    (3, 3, 1, 1, "valid"),
    (2, 2, 1, 1, "same"),  # even kernel: "same" pads one more pixel after
    (3, 2, 2, 1, "same"),  # rectangular kernel, asymmetric strides
    (1, 4, 1, 3, "valid"),
    (4, 4, 2, 3, "same"),  # the notes' "untraditional" layer
    (3, 3, 2, 2, 1),
    (2, 3, 3, 2, 2),
]


@pytest.mark.parametrize("optimized", [True, False], ids=["fast", "reference"])
@pytest.mark.parametrize("kernel_height, kernel_width, v_stride, h_stride, pad", CASES)
def test_gradients_by_central_differences(
    kernel_height, kernel_width, v_stride, h_stride, pad, optimized
):
    layer = Convolution2DLayer(
        2, 3, kernel_height, kernel_width, v_stride, h_stride, pad, tanh, optimized
    )
    built(layer, (2, 7, 6))
    X = np.random.default_rng(1).standard_normal((2, 2, 7, 6))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(3)
    check_layer_gradients(layer, X)


def test_gradients_with_lrelu():
    layer = built(Convolution2DLayer(1, 2, 3, 3, act_func=LRELU), (1, 5, 5))
    check_layer_gradients(layer, np.random.default_rng(3).standard_normal((3, 1, 5, 5)))


@settings(max_examples=40, deadline=None)
@given(
    kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    pad=st.sampled_from(["same", "valid", 0, 1, 2]),
    size=st.tuples(st.integers(4, 9), st.integers(4, 9)),
    channels=st.integers(1, 3),
    maps=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_fast_path_matches_plain_loops(kernel, stride, pad, size, channels, maps, seed):
    rng = np.random.default_rng(seed)
    fast = built(
        Convolution2DLayer(channels, maps, *kernel, *stride, pad, LRELU), (channels, *size)
    )
    slow = built(
        Convolution2DLayer(channels, maps, *kernel, *stride, pad, LRELU, optimized=False),
        (channels, *size),
    )
    slow.params = {key: value.copy() for key, value in fast.params.items()}
    fast.params["b"][:] = rng.standard_normal(maps)
    slow.params["b"][:] = fast.params["b"]
    X = rng.standard_normal((2, channels, *size))
    np.testing.assert_allclose(fast.forward(X), slow.forward(X), rtol=0, atol=1e-10)
    delta = rng.standard_normal(fast.forward(X).shape)
    np.testing.assert_allclose(fast.backward(delta), slow.backward(delta), rtol=0, atol=1e-10)
    for key in ("W", "b"):
        np.testing.assert_allclose(fast.grads[key], slow.grads[key], rtol=0, atol=1e-10)


@pytest.mark.parametrize("kernel_shape", [(3, 3), (2, 4), (5, 1)])
def test_valid_cross_correlation_matches_scipy(kernel_shape):
    rng = np.random.default_rng(8)
    image = rng.standard_normal((9, 8))
    layer = built(
        Convolution2DLayer(1, 1, *kernel_shape, pad="valid", act_func=identity), (1, 9, 8)
    )
    output = layer.forward(image[None, None])[0, 0]
    expected = scipy.signal.correlate2d(image, layer.params["W"][0, 0], mode="valid")
    np.testing.assert_allclose(output, expected, atol=1e-12)


def test_output_shapes_follow_tensorflow_same_rule():
    for size, kernel, stride, expected in [
        (28, 3, 1, 28),
        (7, 4, 2, 4),
        (7, 4, 3, 3),
        (5, 2, 2, 3),
    ]:
        layer = built(Convolution2DLayer(1, 1, kernel, kernel, stride, stride), (1, size, size))
        assert layer.output_shape == (1, expected, expected)


def test_dtype_follows_build_and_input():
    layer = built(Convolution2DLayer(1, 2, 3, 3), (1, 6, 6), dtype=np.float32)
    output = layer.forward(np.ones((2, 1, 6, 6), dtype=np.float32))
    assert layer.params["W"].dtype == np.float32 and output.dtype == np.float32
    assert layer.backward(np.ones_like(output)).dtype == np.float32


def test_weights_use_pytorch_layout_and_he_scale():
    layer = built(Convolution2DLayer(4, 32, 5, 3, act_func=LRELU), (4, 10, 10))
    assert layer.params["W"].shape == (32, 4, 5, 3)
    assert layer.params["b"].shape == (32,)
    assert layer.params["W"].std() == pytest.approx(np.sqrt(2 / 60), rel=0.1)


@pytest.mark.parametrize(
    "arguments, input_shape, message",
    [
        (
            dict(kernel_height=5, kernel_width=5, pad="valid"),
            (1, 3, 3),
            "kernel 5x5 is larger than",
        ),
        (dict(input_channels=3), (1, 8, 8), "input_channels=3, but its input has 1 channels"),
        (dict(), (64,), r"expects images of shape \(channels, height, width\)"),
    ],
)
def test_build_errors_quote_the_numbers(arguments, input_shape, message):
    layer = Convolution2DLayer(**arguments)
    with pytest.raises(ValueError, match=message):
        built(layer, input_shape)


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        (dict(kernel_height=0), ValueError, "kernel_height must be >= 1, got 0"),
        (dict(v_stride=1.5), TypeError, r"v_stride must be an integer, got 1.5"),
        (dict(pad="full"), ValueError, "pad must be 'same', 'valid' or a non-negative int"),
        (dict(act_func="swish"), ValueError, "'swish' is not a known activation"),
        (dict(act_func="softmax"), ValueError, "must be elementwise"),
    ],
)
def test_constructor_errors(arguments, error, message):
    with pytest.raises(error, match=message):
        Convolution2DLayer(**arguments)


def test_forward_rejects_wrong_input_shape():
    layer = built(Convolution2DLayer(1, 1), (1, 6, 6))
    with pytest.raises(ValueError, match=r"built for inputs of shape \(N, 1, 6, 6\)"):
        layer.forward(np.ones((2, 1, 5, 6)))


@pytest.mark.parametrize("stride, pad", [((1, 1), "same"), ((2, 3), "same"), ((2, 1), 1)])
def test_matches_torch_forward_and_backward(torch, stride, pad):
    rng = np.random.default_rng(9)
    layer = built(Convolution2DLayer(3, 4, 3, 2, *stride, pad, identity), (3, 9, 8))
    layer.params["b"][:] = rng.standard_normal(4)
    X = rng.standard_normal((2, 3, 9, 8))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)

    (top, bottom), (left, right) = layer.padding
    tX = torch.tensor(X, requires_grad=True)
    tW = torch.tensor(layer.params["W"], requires_grad=True)
    tb = torch.tensor(layer.params["b"], requires_grad=True)
    padded = torch.nn.functional.pad(tX, (left, right, top, bottom))
    expected = torch.nn.functional.conv2d(padded, tW, tb, stride=stride)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dX, tX.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], tW.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], tb.grad.numpy(), atol=1e-12)
