"""Pure functions shared by the layers: padding arithmetic and window views.

Shapes follow NCHW: ``(images, channels, height, width)``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same" padding along one axis: output ``ceil(size / stride)``.

    Returns ``(before, after)``; the odd pixel, if any, goes after.
    """
    output = math.ceil(size / stride)
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


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


def windows(X: np.ndarray, kernel_height: int, kernel_width: int, v_stride: int, h_stride: int):
    """A read-only view of every window of ``X``.

    Parameters
    ----------
    X : ndarray, shape (N, C, H, W)

    Returns
    -------
    ndarray, shape (N, C, out_height, out_width, kernel_height, kernel_width)
        No data is copied.
    """
    view = sliding_window_view(X, (kernel_height, kernel_width), axis=(2, 3))
    return view[:, :, ::v_stride, ::h_stride]


def add_windows(
    window_gradients: np.ndarray, input_shape: tuple[int, ...], v_stride: int, h_stride: int
) -> np.ndarray:
    """The adjoint of :func:`windows` (col2im): add each window back where it came from.

    Overlapping windows add up. The loop runs over the kernel offsets only.

    Parameters
    ----------
    window_gradients : ndarray, shape (N, C, out_height, out_width, kernel_height, kernel_width)
    input_shape : tuple
        ``(N, C, H, W)`` of the array the windows were taken from.
    """
    _, _, out_height, out_width, kernel_height, kernel_width = window_gradients.shape
    result = np.zeros(input_shape, dtype=window_gradients.dtype)
    for i in range(kernel_height):
        rows = slice(i, i + v_stride * (out_height - 1) + 1, v_stride)
        for j in range(kernel_width):
            cols = slice(j, j + h_stride * (out_width - 1) + 1, h_stride)
            result[:, :, rows, cols] += window_gradients[:, :, :, :, i, j]
    return result
