import numpy as np
import pytest
from gradcheck import check_layer_gradients
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.layers import Pooling2DLayer

# kernel_height, kernel_width, v_stride, h_stride: overlapping, non-overlapping, rectangular
WINDOWS = [(2, 2, None, None), (3, 3, 2, 2), (2, 2, 1, 1), (3, 2, 1, 2), (2, 3, 2, 1), (3, 3, 3, 2)]


@pytest.mark.parametrize("optimized", [True, False], ids=["fast", "reference"])
@pytest.mark.parametrize("pooling", ["max", "average"])
@pytest.mark.parametrize("kernel_height, kernel_width, v_stride, h_stride", WINDOWS)
def test_gradients_by_central_differences(
    built, kernel_height, kernel_width, v_stride, h_stride, pooling, optimized
):
    layer = Pooling2DLayer(
        kernel_height, kernel_width, v_stride, h_stride, pooling, optimized=optimized
    )
    built(layer, (2, 7, 8))
    # Distinct values far apart: no ties, and a step of 1e-6 never changes the argmax.
    X = np.random.default_rng(1).permutation(2 * 2 * 7 * 8).reshape(2, 2, 7, 8) * 0.01
    check_layer_gradients(layer, X)


def test_overlapping_max_pool_adds_gradients_of_shared_maximum(built):
    layer = built(Pooling2DLayer(2, 2, 1, 1, "max"), (1, 3, 3))
    X = np.zeros((1, 1, 3, 3))
    X[0, 0, 1, 1] = 5.0  # the maximum of all four windows
    layer.forward(X)
    dX = layer.backward(np.ones((1, 1, 2, 2)))
    assert dX[0, 0, 1, 1] == 4.0 and dX.sum() == 4.0


def test_known_values(built):
    X = np.arange(16.0).reshape(1, 1, 4, 4)
    max_pool = built(Pooling2DLayer(2, 2, pooling="max"), (1, 4, 4))
    np.testing.assert_array_equal(max_pool.forward(X)[0, 0], [[5, 7], [13, 15]])
    average = built(Pooling2DLayer(2, 2, pooling="average"), (1, 4, 4))
    np.testing.assert_array_equal(average.forward(X)[0, 0], [[2.5, 4.5], [10.5, 12.5]])


def test_stride_defaults_to_kernel(built):
    layer = Pooling2DLayer(3, 2)
    assert (layer.v_stride, layer.h_stride) == (3, 2)
    assert built(layer, (4, 9, 9)).output_shape == (4, 3, 4)


@settings(max_examples=40, deadline=None)
@given(
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    size=st.tuples(st.integers(3, 8), st.integers(3, 8)),
    pooling=st.sampled_from(["max", "average"]),
    seed=st.integers(0, 2**16),
)
def test_fast_path_matches_plain_loops(built, kernel, stride, size, pooling, seed):
    rng = np.random.default_rng(seed)
    fast = built(Pooling2DLayer(*kernel, *stride, pooling), (2, *size))
    slow = built(Pooling2DLayer(*kernel, *stride, pooling, optimized=False), (2, *size))
    # Rounded values create ties: both paths must pick the first maximum.
    X = np.round(rng.standard_normal((3, 2, *size)), 1)
    np.testing.assert_allclose(fast.forward(X), slow.forward(X), rtol=0, atol=1e-12)
    delta = rng.standard_normal(fast.output_shape)[None].repeat(3, axis=0)
    np.testing.assert_allclose(fast.backward(delta), slow.backward(delta), rtol=0, atol=1e-12)


@pytest.mark.parametrize("pooling", ["max", "average"])
@pytest.mark.parametrize("kernel, stride", [((2, 2), (2, 2)), ((3, 3), (2, 2)), ((3, 2), (1, 2))])
def test_matches_torch(built, torch, pooling, kernel, stride):
    rng = np.random.default_rng(10)
    X = rng.standard_normal((2, 3, 9, 8))
    layer = built(Pooling2DLayer(*kernel, *stride, pooling), (3, 9, 8))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)
    tX = torch.tensor(X, requires_grad=True)
    pool = torch.nn.functional.max_pool2d if pooling == "max" else torch.nn.functional.avg_pool2d
    expected = pool(tX, kernel, stride)
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dX, tX.grad.numpy(), atol=1e-12)


def test_errors(built):
    with pytest.raises(ValueError, match=r"pooling must be one of \('max', 'average'\), got 'min'"):
        Pooling2DLayer(pooling="min")
    with pytest.raises(ValueError, match="pooling kernel 3x3 is larger than its input 2x2"):
        built(Pooling2DLayer(3, 3), (1, 2, 2))
    with pytest.raises(ValueError, match="h_stride must be >= 1, got 0"):
        Pooling2DLayer(h_stride=0)
