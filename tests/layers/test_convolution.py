import numpy as np
import pytest
import scipy.signal
from gradcheck import check_layer_gradients
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.conv import fourier
from cnnlab.layers import Convolution2DLayer
from cnnlab.nn.activations import LRELU, identity, tanh

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
    built, kernel_height, kernel_width, v_stride, h_stride, pad, optimized
):
    layer = Convolution2DLayer(
        2, 3, kernel_height, kernel_width, v_stride, h_stride, pad, tanh, optimized
    )
    built(layer, (2, 7, 6))
    X = np.random.default_rng(1).standard_normal((2, 2, 7, 6))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(3)
    check_layer_gradients(layer, X)


FFT_CASES = [
    # kernel_height, kernel_width, pad, input size: the FFT path takes stride 1 only
    (3, 3, "same", (7, 6)),
    (3, 3, "valid", (7, 6)),
    (2, 2, "same", (7, 6)),  # even kernel: one more pixel of padding after
    (5, 3, "same", (7, 6)),  # rectangular
    (5, 5, 3, (5, 7)),  # padding wider than half the kernel
    (1, 4, "valid", (13, 11)),  # prime padded sizes: FFT lengths larger than the input
]


@pytest.mark.parametrize("kernel_height, kernel_width, pad, size", FFT_CASES)
def test_fft_gradients_by_central_differences(
    built, transforms, kernel_height, kernel_width, pad, size
):
    layer = Convolution2DLayer(2, 3, kernel_height, kernel_width, 1, 1, pad, tanh, algorithm="fft")
    built(layer, (2, *size))
    assert layer.uses_fft
    X = np.random.default_rng(1).standard_normal((2, 2, *size))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(3)
    check_layer_gradients(layer, X)


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    pad=st.sampled_from(["same", "valid", 0, 1, 3]),
    size=st.tuples(st.integers(5, 11), st.integers(5, 11)),
    channels=st.integers(1, 3),
    maps=st.integers(1, 3),
    seed=st.integers(0, 2**16),
    by_matrices=st.booleans(),
)
def test_fft_matches_im2col(built, kernel, pad, size, channels, maps, seed, by_matrices):
    # identity, not ReLU: a window of padding alone gives exactly 0 by im2col but about
    # 1e-17 by FFT, and ReLU's derivative may then take the other side of its kink
    rng = np.random.default_rng(seed)
    layers = {
        algorithm: built(
            Convolution2DLayer(channels, maps, *kernel, 1, 1, pad, identity, algorithm=algorithm),
            (channels, *size),
        )
        for algorithm in ("fft", "im2col")
    }
    layers["fft"].params = {key: value.copy() for key, value in layers["im2col"].params.items()}
    X = rng.standard_normal((3, channels, *size))
    default = fourier.MATRIX_MAX_LENGTH
    fourier.MATRIX_MAX_LENGTH = default if by_matrices else 0  # DFT matrices or scipy.fft
    try:
        outputs = {name: layer.forward(X) for name, layer in layers.items()}
        delta = rng.standard_normal(outputs["fft"].shape)
        dX = {name: layer.backward(delta) for name, layer in layers.items()}
    finally:
        fourier.MATRIX_MAX_LENGTH = default
    np.testing.assert_allclose(outputs["fft"], outputs["im2col"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(dX["fft"], dX["im2col"], rtol=0, atol=1e-10)
    for key in ("W", "b"):
        np.testing.assert_allclose(
            layers["fft"].grads[key], layers["im2col"].grads[key], rtol=0, atol=1e-10
        )


def test_fft_in_float32_stays_close_to_float64(built):
    rng = np.random.default_rng(4)
    X = rng.random((4, 16, 14, 14))
    layers = [
        built(Convolution2DLayer(16, 8, 5, 5, act_func=identity), (16, 14, 14), dtype=dtype)
        for dtype in (np.float32, np.float64)
    ]
    layers[0].params = {k: v.astype(np.float32) for k, v in layers[1].params.items()}
    single, double = layers[0].forward(X.astype(np.float32)), layers[1].forward(X)
    assert single.dtype == np.float32 and layers[0].uses_fft
    # float32 FFTs round at about 1e-7 of the largest entry, like a float32 GEMM
    np.testing.assert_allclose(single, double, rtol=0, atol=1e-5 * np.abs(double).max())


@pytest.mark.parametrize(
    "arguments, size, uses_fft",
    [
        (dict(input_channels=16, kernel_height=5, kernel_width=5), 14, True),  # LeNet's 2nd
        (dict(input_channels=8, kernel_height=5, kernel_width=5), 14, True),
        (dict(input_channels=1, kernel_height=5, kernel_width=5), 28, False),  # GEMM is cheap
        (dict(input_channels=32, kernel_height=3, kernel_width=3), 14, True),  # the notes' 2nd
        (dict(input_channels=32, kernel_height=3, kernel_width=3), 64, False),  # FFTs: im2col
        (dict(input_channels=16, kernel_height=3, kernel_width=3), 14, False),  # too shallow
        (dict(input_channels=64, kernel_height=2, kernel_width=2), 14, False),  # too small
        (dict(input_channels=16, kernel_height=5, kernel_width=5, v_stride=2), 14, False),
        (dict(input_channels=16, kernel_height=5, kernel_width=5, algorithm="im2col"), 14, False),
        (dict(input_channels=1, kernel_height=3, kernel_width=3, algorithm="fft"), 14, True),
        (dict(input_channels=16, kernel_height=5, kernel_width=5, optimized=False), 14, False),
    ],
)
def test_auto_takes_the_fft_where_it_is_faster(built, arguments, size, uses_fft):
    layer = built(Convolution2DLayer(**arguments), (arguments["input_channels"], size, size))
    assert layer.uses_fft is uses_fft


def test_gradients_with_lrelu(built):
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
def test_fast_path_matches_plain_loops(built, kernel, stride, pad, size, channels, maps, seed):
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
def test_valid_cross_correlation_matches_scipy(built, kernel_shape):
    rng = np.random.default_rng(8)
    image = rng.standard_normal((9, 8))
    layer = built(
        Convolution2DLayer(1, 1, *kernel_shape, pad="valid", act_func=identity), (1, 9, 8)
    )
    output = layer.forward(image[None, None])[0, 0]
    expected = scipy.signal.correlate2d(image, layer.params["W"][0, 0], mode="valid")
    np.testing.assert_allclose(output, expected, atol=1e-12)


def test_output_shapes_follow_tensorflow_same_rule(built):
    for size, kernel, stride, expected in [
        (28, 3, 1, 28),
        (7, 4, 2, 4),
        (7, 4, 3, 3),
        (5, 2, 2, 3),
    ]:
        layer = built(Convolution2DLayer(1, 1, kernel, kernel, stride, stride), (1, size, size))
        assert layer.output_shape == (1, expected, expected)


def test_dtype_follows_build_and_input(built):
    layer = built(Convolution2DLayer(1, 2, 3, 3), (1, 6, 6), dtype=np.float32)
    output = layer.forward(np.ones((2, 1, 6, 6), dtype=np.float32))
    assert layer.params["W"].dtype == np.float32 and output.dtype == np.float32
    assert layer.backward(np.ones_like(output)).dtype == np.float32


def test_weights_use_pytorch_layout_and_he_scale(built):
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
def test_build_errors_quote_the_numbers(built, arguments, input_shape, message):
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
        (dict(algorithm="winograd"), ValueError, "algorithm must be one of"),
        (
            dict(h_stride=2, algorithm="fft"),
            ValueError,
            "algorithm='fft' needs v_stride=h_stride=1, got v_stride=1, h_stride=2",
        ),
    ],
)
def test_constructor_errors(arguments, error, message):
    with pytest.raises(error, match=message):
        Convolution2DLayer(**arguments)


def test_forward_rejects_wrong_input_shape(built):
    layer = built(Convolution2DLayer(1, 1), (1, 6, 6))
    with pytest.raises(ValueError, match=r"built for inputs of shape \(N, 1, 6, 6\)"):
        layer.forward(np.ones((2, 1, 5, 6)))


@pytest.mark.parametrize(
    "stride, pad, algorithm",
    [((1, 1), "same", "im2col"), ((2, 3), "same", "im2col"), ((2, 1), 1, "im2col")]
    + [((1, 1), "same", "fft"), ((1, 1), 2, "fft")],
)
def test_matches_torch_forward_and_backward(built, torch, stride, pad, algorithm):
    rng = np.random.default_rng(9)
    layer = Convolution2DLayer(3, 4, 3, 2, *stride, pad, identity, algorithm=algorithm)
    built(layer, (3, 9, 8))
    layer.params["b"][:] = rng.standard_normal(4)
    X = rng.standard_normal((2, 3, 9, 8))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)

    (top, bottom), (left, right) = layer.convolution.geometry.padding
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


CIRCULAR = [
    # kernel_height, kernel_width, stride, pad: odd and even kernels, strides 1 and 2
    (3, 3, 1, 1),
    (3, 3, 2, 1),
    (2, 4, 1, 1),
    (4, 2, 2, 2),
    (5, 3, 1, 2),
]


@pytest.mark.parametrize(
    "kernel_height, kernel_width, stride, pad, optimized, algorithm",
    [
        (*case, optimized, algorithm)
        for case in CIRCULAR
        for optimized, algorithm in [(True, "im2col"), (True, "fft"), (False, "auto")]
        if algorithm != "fft" or case[2] == 1  # the FFT takes stride 1 only
    ],
)
def test_circular_padding_gradients_by_central_differences(
    built, kernel_height, kernel_width, stride, pad, optimized, algorithm
):
    layer = Convolution2DLayer(
        2, 3, kernel_height, kernel_width, stride, stride, pad, tanh, optimized,
        padding_mode="circular", algorithm=algorithm,
    )  # fmt: skip
    built(layer, (2, 7, 6))
    X = np.random.default_rng(1).standard_normal((2, 2, 7, 6))
    layer.params["b"][:] = np.random.default_rng(2).standard_normal(3)
    check_layer_gradients(layer, X)


@pytest.mark.parametrize(
    "kernel_height, kernel_width, stride, pad, algorithm",
    [(*case, algorithm) for case in CIRCULAR for algorithm in ("im2col", "fft")
     if algorithm != "fft" or case[2] == 1],
)  # fmt: skip
def test_circular_padding_matches_torch(
    torch, built, kernel_height, kernel_width, stride, pad, algorithm
):
    rng = np.random.default_rng(11)
    layer = Convolution2DLayer(
        3, 4, kernel_height, kernel_width, stride, stride, pad, identity,
        padding_mode="circular", algorithm=algorithm,
    )  # fmt: skip
    built(layer, (3, 7, 6))
    layer.params["b"][:] = rng.standard_normal(4)
    X = rng.standard_normal((2, 3, 7, 6))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)
    module = torch.nn.Conv2d(
        3,
        4,
        (kernel_height, kernel_width),
        stride,
        pad,
        padding_mode="circular",
        dtype=torch.float64,
    )
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(layer.params["W"]))
        module.bias.copy_(torch.from_numpy(layer.params["b"]))
    tX = torch.tensor(X, requires_grad=True)
    expected = module(tX)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dX, tX.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], module.weight.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], module.bias.grad.numpy(), atol=1e-12)


def test_circular_padding_sees_the_other_side(built):
    # a 1x3 kernel that picks the left neighbour: on a periodic lattice, column 0's
    # left neighbour is the last column
    layer = built(
        Convolution2DLayer(1, 1, 1, 3, act_func=identity, padding_mode="circular"), (1, 2, 4)
    )
    layer.params["W"][...] = [[[[1.0, 0.0, 0.0]]]]
    X = np.arange(8.0).reshape(1, 1, 2, 4)
    np.testing.assert_array_equal(layer.forward(X)[0, 0], [[3, 0, 1, 2], [7, 4, 5, 6]])
    assert "circular" in layer.describe() and layer.config()["padding_mode"] == "circular"
