"""Every algorithm against the plain loops, and by central differences, over the geometry grid.

The grid: 1-D and 2-D; "zeros" and "circular" padding; "same", "valid" and int
padding; strides 1 and 2 (the FFT takes 1 only); rectangular kernels; one and
several input channels (im2col has its own single-channel path).
"""

import itertools

import numpy as np
import pytest
from gradcheck import numerical_gradient, relative_error

from cnnlab.conv import ALGORITHMS, Convolution, Geometry, choose

SHAPES = {1: ((9,), (3,)), 2: ((7, 6), (3, 2))}
CASES = [
    (dims, algorithm, mode, pad, stride, channels)
    for dims, algorithm, mode, pad, stride, channels in itertools.product(
        (1, 2), ("im2col", "fft"), ("zeros", "circular"), ("same", "valid", 1), (1, 2), (1, 3)
    )
    if not (algorithm == "fft" and stride != 1)
]


def case(dims, mode, pad, stride, channels, seed=0, images=2, feature_maps=4):
    shape, kernel = SHAPES[dims]
    geometry = Geometry.resolve(shape, kernel, (stride,) * dims, pad, mode)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((images, channels, *shape))
    W = rng.standard_normal((feature_maps, channels, *kernel))
    b = rng.standard_normal(feature_maps)
    return geometry, X, W, b, rng


@pytest.mark.parametrize("dims, algorithm, mode, pad, stride, channels", CASES)
def test_fast_algorithms_agree_with_the_loops(
    transforms, dims, algorithm, mode, pad, stride, channels
):
    geometry, X, W, b, rng = case(dims, mode, pad, stride, channels)
    loops, fast = Convolution(geometry, "loops"), Convolution(geometry, algorithm)
    expected, result = loops.forward(X, W, b), fast.forward(X, W, b)
    assert result.shape == (2, 4, *geometry.output_shape)
    np.testing.assert_allclose(result, expected, rtol=0, atol=1e-10)
    dZ = rng.standard_normal(expected.shape)
    for name, got, want in zip(
        ("dX", "dW", "db"), fast.backward(dZ, W), loops.backward(dZ, W), strict=True
    ):
        assert got.shape == want.shape, name
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-10, err_msg=name)


def check_gradients(convolution, X, W, b, rng, tolerance=1e-7):
    Z = convolution.forward(X, W, b)
    G = rng.standard_normal(Z.shape)
    dX, dW, db = convolution.backward(G, W)

    def scalar():
        return float(np.sum(convolution.forward(X, W, b) * G))

    for name, analytic, array in (("X", dX, X), ("W", dW, W), ("b", db, b)):
        error = relative_error(analytic, numerical_gradient(scalar, array))
        assert error < tolerance, f"d{name}: relative error {error:.2e}"


@pytest.mark.parametrize("dims, algorithm, mode, pad, stride, channels", CASES)
def test_gradients_by_central_differences(dims, algorithm, mode, pad, stride, channels):
    geometry, X, W, b, rng = case(dims, mode, pad, stride, channels, seed=1, feature_maps=2)
    check_gradients(Convolution(geometry, algorithm), X, W, b, rng)


@pytest.mark.parametrize(
    "dims, mode, pad, stride",
    [(1, "circular", "same", 2), (2, "zeros", 1, 2), (2, "circular", "same", 1)],
)
def test_loops_gradients_by_central_differences(dims, mode, pad, stride):
    geometry, X, W, b, rng = case(
        dims, mode, pad, stride, channels=2, seed=2, images=1, feature_maps=2
    )
    check_gradients(Convolution(geometry, "loops"), X, W, b, rng)


@pytest.mark.parametrize("algorithm", ["im2col", "fft"])
@pytest.mark.parametrize("mode", ["zeros", "circular"])
def test_three_dimensions_need_no_other_algorithm(algorithm, mode):
    geometry = Geometry.resolve((5, 4, 6), (3, 2, 3), (1, 1, 1), "same", mode)
    rng = np.random.default_rng(3)
    X, W, b = (
        rng.standard_normal((2, 2, 5, 4, 6)),
        rng.standard_normal((3, 2, 3, 2, 3)),
        rng.standard_normal(3),
    )
    loops, fast = Convolution(geometry, "loops"), Convolution(geometry, algorithm)
    np.testing.assert_allclose(fast.forward(X, W, b), loops.forward(X, W, b), rtol=0, atol=1e-10)
    dZ = rng.standard_normal((2, 3, 5, 4, 6))
    for got, want in zip(fast.backward(dZ, W), loops.backward(dZ, W), strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)


@pytest.mark.parametrize("algorithm", sorted(ALGORITHMS))
def test_float32_stays_float32_and_the_input_gradient_is_optional(algorithm):
    geometry = Geometry.resolve((6, 6), (3, 3), (1, 1), "same")
    rng = np.random.default_rng(4)
    X = rng.standard_normal((2, 2, 6, 6)).astype(np.float32)
    W = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    b = np.zeros(3, np.float32)
    convolution = Convolution(geometry, algorithm)
    Z = convolution.forward(X, W, b)
    dX, dW, db = convolution.backward(np.ones_like(Z), W, input_gradient=False)
    assert Z.dtype == dW.dtype == db.dtype == np.float32 and dX is None
    expected = Convolution(geometry, "loops").forward(
        X.astype(float), W.astype(float), b.astype(float)
    )
    np.testing.assert_allclose(Z, expected, rtol=0, atol=1e-4)


def test_replica_has_its_own_cache():
    geometry, X, W, b, _ = case(2, "zeros", "same", 1, 3)
    convolution = Convolution(geometry, "im2col")
    convolution.forward(X, W, b)
    twin = convolution.replica()
    assert twin.name == "im2col" and twin.algorithm is not convolution.algorithm
    assert twin.algorithm._cache is None and convolution.algorithm._cache is not None


@pytest.mark.parametrize(
    "shape, kernel, channels, strides, expected",
    [
        ((28, 28), (5, 5), 8, (1, 1), "fft"),
        ((28, 28), (5, 5), 4, (1, 1), "im2col"),  # too shallow: 100 < 200
        ((14, 14), (3, 3), 32, (1, 1), "fft"),
        ((64, 64), (3, 3), 32, (1, 1), "im2col"),  # transforms too long for DFT matrices
        ((28, 28), (5, 5), 8, (2, 2), "im2col"),  # strided
    ],
)
def test_auto_takes_the_fft_where_it_is_faster(shape, kernel, channels, strides, expected):
    geometry = Geometry.resolve(shape, kernel, strides, "same")
    assert choose(geometry, channels) == expected
    assert choose(geometry, channels, "im2col") == "im2col"


# PyTorch's "same" takes stride 1 only; the strided cases run with int padding
TORCH_CASES = [
    (kernel, pad, stride)
    for kernel, pad in [
        ((3, 3), 1), ((2, 4), 1), ((5, 3), 2), ((3,), 1), ((4,), 2), ((2, 4), "same"), ((4,), "same")
    ]
    for stride in (1, 2)
    if pad != "same" or stride == 1
]  # fmt: skip


def assert_matches_torch(torch, module, geometry, algorithms, X, W, b, rng):
    """Every algorithm against ``module`` (a torch Conv1d/Conv2d), forward and every gradient."""
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(W))
        module.bias.copy_(torch.from_numpy(b))
    X_torch = torch.from_numpy(X).requires_grad_()
    Z_torch = module(X_torch)
    G = rng.standard_normal(tuple(Z_torch.shape))
    Z_torch.backward(torch.from_numpy(G))
    for algorithm in algorithms:
        convolution = Convolution(geometry, algorithm)
        Z = convolution.forward(X, W, b)
        np.testing.assert_allclose(Z, Z_torch.detach().numpy(), rtol=0, atol=1e-10)
        dX, dW, db = convolution.backward(G, W)
        np.testing.assert_allclose(dX, X_torch.grad.numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(dW, module.weight.grad.numpy(), rtol=0, atol=1e-10)
        np.testing.assert_allclose(db, module.bias.grad.numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("mode", ["zeros", "circular"])
@pytest.mark.parametrize("kernel, pad, stride", TORCH_CASES)
def test_matches_pytorch(torch, kernel, pad, stride, mode):
    dims = len(kernel)
    shape = (7, 6)[:dims] if dims == 2 else (9,)
    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 3, *shape))
    W = rng.standard_normal((4, 3, *kernel))
    b = rng.standard_normal(4)
    module = (torch.nn.Conv1d if dims == 1 else torch.nn.Conv2d)(
        3, 4, kernel, stride=stride, padding=pad, padding_mode=mode, dtype=torch.float64
    )
    geometry = Geometry.resolve(shape, kernel, (stride,) * dims, pad, mode)
    algorithms = ("loops", "im2col", "fft") if stride == 1 else ("loops", "im2col")
    assert_matches_torch(torch, module, geometry, algorithms, X, W, b, rng)


DILATED = [
    # dims, kernel, stride, dilation, pad
    (1, (3,), 1, (2,), "same"),
    (1, (2,), 2, (3,), 1),
    (2, (3, 2), 1, (2, 1), "same"),
    (2, (2, 3), 2, (1, 2), "valid"),
]


@pytest.mark.parametrize("mode", ["zeros", "circular"])
@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("dims, kernel, stride, dilation, pad", DILATED)
def test_dilated_kernels_agree_with_the_loops_and_by_central_differences(
    dims, kernel, stride, dilation, pad, channels, mode
):
    shape = (11,) if dims == 1 else (8, 7)
    geometry = Geometry.resolve(shape, kernel, (stride,) * dims, pad, mode, dilation)
    rng = np.random.default_rng(6)
    X = rng.standard_normal((2, channels, *shape))
    W, b = rng.standard_normal((2, channels, *kernel)), rng.standard_normal(2)
    loops, fast = Convolution(geometry, "loops"), Convolution(geometry, "im2col")
    np.testing.assert_allclose(fast.forward(X, W, b), loops.forward(X, W, b), rtol=0, atol=1e-10)
    dZ = rng.standard_normal((2, 2, *geometry.output_shape))
    for got, want in zip(fast.backward(dZ, W), loops.backward(dZ, W), strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)
    check_gradients(fast, X, W, b, rng)
    assert choose(geometry, channels) == "im2col"


@pytest.mark.parametrize("mode", ["zeros", "circular"])
@pytest.mark.parametrize(
    "kernel, stride, dilation, pad", [(3, 1, 2, 2), (2, 2, 3, 1), (4, 1, 2, 3)]
)
def test_dilation_matches_pytorch(torch, kernel, stride, dilation, pad, mode):
    rng = np.random.default_rng(7)
    X, W, b = (
        rng.standard_normal((2, 3, 12)),
        rng.standard_normal((4, 3, kernel)),
        rng.standard_normal(4),
    )
    module = torch.nn.Conv1d(
        3, 4, kernel, stride, pad, dilation, padding_mode=mode, dtype=torch.float64
    )
    geometry = Geometry.resolve((12,), (kernel,), (stride,), pad, mode, (dilation,))
    assert_matches_torch(torch, module, geometry, ("loops", "im2col"), X, W, b, rng)


def test_fft_refuses_dilation():
    geometry = Geometry.resolve((9,), (3,), (1,), "same", dilations=(2,))
    with pytest.raises(ValueError, match=r"algorithm='fft' needs strides and dilations of 1"):
        Convolution(geometry, "fft")


@pytest.mark.parametrize("algorithm", ["im2col", "fft"])
@pytest.mark.parametrize("mode, pad", [("zeros", "same"), ("zeros", 3), ("circular", "same")])
def test_kernels_larger_than_the_input(algorithm, mode, pad):
    geometry = Geometry.resolve((3, 3), (5, 5), (1, 1), pad, mode)
    rng = np.random.default_rng(8)
    X, W, b = (
        rng.standard_normal((2, 2, 3, 3)),
        rng.standard_normal((2, 2, 5, 5)),
        rng.standard_normal(2),
    )
    loops, fast = Convolution(geometry, "loops"), Convolution(geometry, algorithm)
    np.testing.assert_allclose(fast.forward(X, W, b), loops.forward(X, W, b), rtol=0, atol=1e-10)
    dZ = rng.standard_normal((2, 2, *geometry.output_shape))
    for got, want in zip(fast.backward(dZ, W), loops.backward(dZ, W), strict=True):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)


def test_circular_auto_judges_the_geometry_the_algorithm_sees():
    # 29x29 "same": zero padding lets the transforms stay at 30 (DFT matrices), but the
    # circular input is padded to 31 first, which needs FFTs of 32: im2col is faster there
    zeros = Geometry.resolve((29, 29), (3, 3), (1, 1), "same", "zeros")
    circular = Geometry.resolve((29, 29), (3, 3), (1, 1), "same", "circular")
    assert choose(zeros, 32) == "fft" and choose(circular, 32) == "im2col"


@pytest.mark.parametrize("dims, algorithm, mode, pad, stride, channels", CASES)
def test_the_adjoint_is_the_input_gradient_with_no_forward(
    transforms, dims, algorithm, mode, pad, stride, channels
):
    geometry, X, W, b, rng = case(dims, mode, pad, stride, channels)
    dZ = rng.standard_normal((2, 4, *geometry.output_shape))
    loops = Convolution(geometry, "loops")
    # the adjoint's defining identity, <conv(X), dZ> = <X, adjoint(dZ)>, on the oracle
    no_bias = np.zeros_like(b)
    adjoint = loops.adjoint(dZ, W)
    assert adjoint.shape == X.shape
    np.testing.assert_allclose(
        np.sum(loops.forward(X, W, no_bias) * dZ), np.sum(X * adjoint), rtol=1e-12
    )
    fast = Convolution(geometry, algorithm)  # fresh: nothing cached
    np.testing.assert_allclose(fast.adjoint(dZ, W), adjoint, rtol=0, atol=1e-10)
    fast.forward(X, W, b)
    np.testing.assert_allclose(fast.backward(dZ, W)[0], adjoint, rtol=0, atol=1e-10)
