import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlab.conv.geometry import Geometry
from cnnlab.conv.im2col import (
    col2im_channels_last,
    im2col_channels_last,
    im2col_spatial_first,
    pad_channels_last,
)


@given(
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    size=st.tuples(st.integers(3, 7), st.integers(3, 7)),
    channels=st.integers(1, 3),
    seed=st.integers(0, 1000),
)
def test_col2im_is_the_adjoint_of_im2col_times_weights(kernel, stride, size, channels, seed):
    # <im2col(X) W, G> == <X, col2im(G, W)> for every X and G defines the adjoint.
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, *size, channels))
    W = rng.standard_normal((4, channels, *kernel))
    columns = im2col_channels_last(X, kernel, stride)
    out_height = (size[0] - kernel[0]) // stride[0] + 1
    out_width = (size[1] - kernel[1]) // stride[1] + 1
    assert columns.shape == (2 * out_height * out_width, kernel[0] * kernel[1] * channels)
    Z = columns @ W.transpose(0, 2, 3, 1).reshape(4, -1).T
    G = rng.standard_normal(Z.shape)
    geometry = Geometry.resolve(size, kernel, stride)
    back = col2im_channels_last(G, W, X.shape[:-1], geometry)
    assert np.sum(Z * G) == pytest.approx(np.sum(X * back), rel=1e-12, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    size=st.tuples(st.integers(3, 7), st.integers(3, 7)),
    seed=st.integers(0, 1000),
)
def test_spatial_first_im2col_holds_the_same_windows(kernel, stride, size, seed):
    X = np.random.default_rng(seed).standard_normal((3, *size, 1))
    by_image = im2col_channels_last(X, kernel, stride)
    geometry = Geometry.resolve(size, kernel, stride)
    by_pixel = im2col_spatial_first(X[..., 0].transpose(1, 2, 0), geometry)
    out_height = (size[0] - kernel[0]) // stride[0] + 1
    out_width = (size[1] - kernel[1]) // stride[1] + 1
    # rows (n, i, j) against rows (i, j, n)
    reordered = by_image.reshape(3, out_height, out_width, -1).transpose(1, 2, 0, 3)
    np.testing.assert_array_equal(by_pixel, reordered.reshape(by_pixel.shape))


def test_pad_channels_last():
    X = np.ones((1, 2, 3, 4))
    padded = pad_channels_last(X, ((1, 2), (0, 1)))
    assert padded.shape == (1, 5, 4, 4)
    assert padded.sum() == X.sum() and padded[0, 1, 0, 0] == 1 and padded[0, 0, 0, 0] == 0
    assert pad_channels_last(X, ((0, 0), (0, 0))) is X
