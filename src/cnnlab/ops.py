"""Pure functions shared by the layers: padding arithmetic and window views.

Shapes follow NCHW: ``(images, channels, height, width)``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnlab._validation import check_int


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same" padding along one axis: output ``ceil(size / stride)``.

    Returns ``(before, after)``; the odd pixel, if any, goes after.
    """
    output = math.ceil(size / stride)
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def check_pad(pad) -> str | int:
    """Accept "same", "valid" or a non-negative int, and say so otherwise."""
    if isinstance(pad, str):
        if pad not in ("same", "valid"):
            raise ValueError(f"pad must be 'same', 'valid' or a non-negative int, got {pad!r}")
        return pad
    return check_int(pad, "pad", minimum=0)


def resolve_padding(pad, size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Padding ``(before, after)`` along one axis for ``pad`` = "same", "valid" or an int."""
    if pad == "same":
        return same_padding(size, kernel, stride)
    if pad == "valid":
        return 0, 0
    return int(pad), int(pad)


def output_size(padded_size: int, kernel: int, stride: int) -> int:
    """Number of window positions along one axis of an already padded input."""
    return (padded_size - kernel) // stride + 1


def pad_images(X: np.ndarray, padding: tuple[tuple[int, int], tuple[int, int]]) -> np.ndarray:
    """Zero-pad the two spatial axes of ``X`` (N, C, H, W); no copy when there is no padding."""
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return X
    return np.pad(X, ((0, 0), (0, 0), (top, bottom), (left, right)))


def offset_slice(offset: int, count: int, stride: int) -> slice:
    """The input positions that kernel offset ``offset`` sees in ``count`` windows along one axis."""
    return slice(offset, offset + stride * (count - 1) + 1, stride)


def pad_channels_last(X: np.ndarray, padding) -> np.ndarray:
    """Zero-pad the spatial axes of channels-last ``X`` (N, H, W, C); no copy without padding."""
    (top, bottom), (left, right) = padding
    if top == bottom == left == right == 0:
        return X
    padded = np.zeros(
        (X.shape[0], X.shape[1] + top + bottom, X.shape[2] + left + right, X.shape[3]), X.dtype
    )
    padded[:, top : top + X.shape[1], left : left + X.shape[2]] = X
    return padded


def im2col_channels_last(X: np.ndarray, kernel_height, kernel_width, v_stride, h_stride, out=None):
    """Copy every window of channels-last ``X`` (N, H, W, C) into one row.

    Parameters
    ----------
    X : ndarray, shape (N, H, W, C)
    kernel_height, kernel_width, v_stride, h_stride : int
    out : ndarray, optional
        A C-contiguous scratch array with room for the result, used instead of
        a fresh one.

    Returns
    -------
    ndarray, shape (N * out_height * out_width, kernel_height * kernel_width * C)
        Row (n, i, j) holds the window at output pixel (i, j) of image n, in
        (p, q, channel) order, so each copied run is C contiguous numbers.
    """
    images, height, width, channels = X.shape
    out_height = (height - kernel_height) // v_stride + 1
    out_width = (width - kernel_width) // h_stride + 1
    rows = images * out_height * out_width
    columns = kernel_height * kernel_width * channels
    if out is None:
        out = np.empty(rows * columns, dtype=X.dtype)
    view = sliding_window_view(X, (kernel_height, kernel_width), axis=(1, 2))
    view = view[:, ::v_stride, ::h_stride].transpose(0, 1, 2, 4, 5, 3)
    np.copyto(out.reshape(view.shape), view)
    return out.reshape(rows, columns)


def im2col_spatial_first(X: np.ndarray, kernel_height, kernel_width, v_stride, h_stride, out=None):
    """Copy every window of single-channel images ``X`` (H, W, N) into one row.

    With one channel, the channels-last rows would be copied a few numbers at a
    time; here the copy runs offset by offset, each a long contiguous block,
    and the rows are ordered (i, j, n), so the GEMM's output comes out with the
    spatial axes first, the layout the FFT path and pooling run fastest on.

    Returns
    -------
    ndarray, shape (out_height * out_width * N, kernel_height * kernel_width)
        The transpose of a C-contiguous (kernel offsets, rows) array.
    """
    height, width, images = X.shape
    out_height = (height - kernel_height) // v_stride + 1
    out_width = (width - kernel_width) // h_stride + 1
    rows = images * out_height * out_width
    if out is None:
        out = np.empty(rows * kernel_height * kernel_width, dtype=X.dtype)
    by_offset = out.reshape(kernel_height, kernel_width, out_height, out_width, images)
    for p in range(kernel_height):
        seen_rows = offset_slice(p, out_height, v_stride)
        for q in range(kernel_width):
            by_offset[p, q] = X[seen_rows, offset_slice(q, out_width, h_stride)]
    return by_offset.reshape(kernel_height * kernel_width, rows).T


def col2im_channels_last(
    output_gradients: np.ndarray, W: np.ndarray, padded_shape, v_stride, h_stride
):
    """dCost/dX of a convolution, channels last: col2im fused with its GEMM.

    For each kernel offset (p, q), the gradient of the input pixels seen at that
    offset is ``output_gradients @ W[:, :, p, q]``; it is added at the offset's
    strided slice. Doing one small GEMM per offset writes each block contiguously,
    which is faster than one large GEMM followed by a strided scatter.

    Parameters
    ----------
    output_gradients : ndarray, shape (N, out_height, out_width, F)
        dCost/dZ, channels last.
    W : ndarray, shape (F, C, kernel_height, kernel_width)
    padded_shape : tuple
        ``(N, H, W, C)`` of the padded input.

    Returns
    -------
    ndarray, shape ``padded_shape``
    """
    images, out_height, out_width, feature_maps = output_gradients.shape
    rows_of_pixels = output_gradients.reshape(-1, feature_maps)
    _, channels, kernel_height, kernel_width = W.shape
    result = np.zeros(padded_shape, dtype=output_gradients.dtype)
    block = np.empty((len(rows_of_pixels), channels), dtype=output_gradients.dtype)
    for p in range(kernel_height):
        rows = offset_slice(p, out_height, v_stride)
        for q in range(kernel_width):
            cols = offset_slice(q, out_width, h_stride)
            np.matmul(rows_of_pixels, W[:, :, p, q], out=block)
            result[:, rows, cols] += block.reshape(images, out_height, out_width, channels)
    return result
