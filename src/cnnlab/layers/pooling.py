"""Pooling2DLayer: the max or the average of each window, channel by channel.

The stride defaults to the kernel size (as in Keras); the notes' code defaults
to a stride of 1. No padding: the output is ``(n - kernel) // stride + 1``.
Max pooling sends each window's gradient to the first maximum of that window,
as PyTorch does; with overlapping windows the contributions add up.
"""

from __future__ import annotations

import numpy as np

from cnnlab import reference
from cnnlab._validation import check_choice, check_int
from cnnlab.layers.base import Layer
from cnnlab.ops import add_windows, output_size, windows

POOLING_MODES = ("max", "average")


class Pooling2DLayer(Layer):
    """Max or average pooling over ``kernel_height x kernel_width`` windows.

    Parameters
    ----------
    kernel_height, kernel_width : int
        Window size.
    v_stride, h_stride : int or None
        Strides; None means equal to the kernel size (no overlap).
    pooling : {"max", "average"}
    optimized : bool
        False runs the plain loops of ``cnnlab.reference``.

    Notes
    -----
    Input (N, C, H, W); output (N, C, (H - kernel_height) // v_stride + 1,
    (W - kernel_width) // h_stride + 1). No parameters.
    """

    def __init__(
        self,
        kernel_height: int = 2,
        kernel_width: int = 2,
        v_stride: int | None = None,
        h_stride: int | None = None,
        pooling: str = "max",
        *,
        optimized: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_height = check_int(kernel_height, "kernel_height")
        self.kernel_width = check_int(kernel_width, "kernel_width")
        self.v_stride = self.kernel_height if v_stride is None else check_int(v_stride, "v_stride")
        self.h_stride = self.kernel_width if h_stride is None else check_int(h_stride, "h_stride")
        self.pooling = check_choice(pooling, "pooling", POOLING_MODES)
        self.optimized = bool(optimized)
        self._cache = None

    def _build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(
                f"Pooling2DLayer expects images of shape (channels, height, width), got input "
                f"shape {input_shape}"
            )
        channels, height, width = input_shape
        if self.kernel_height > height or self.kernel_width > width:
            raise ValueError(
                f"pooling kernel {self.kernel_height}x{self.kernel_width} is larger than its "
                f"input {height}x{width}; use a smaller kernel or fewer pooling layers"
            )
        return (
            channels,
            output_size(height, self.kernel_height, self.v_stride),
            output_size(width, self.kernel_width, self.h_stride),
        )

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map (N, C, H, W) to (N, C, H_out, W_out)."""
        self._check_input(X)
        sizes = (self.kernel_height, self.kernel_width, self.v_stride, self.h_stride)
        if not self.optimized:
            self._cache = (X, None)
            return reference.pool2d_forward(X, *sizes, self.pooling)
        view = windows(X, *sizes)
        flat = view.reshape(*view.shape[:4], -1)
        if self.pooling == "average":
            self._cache = (X, None)
            return flat.mean(axis=-1)
        where = flat.argmax(axis=-1)
        self._cache = (X, where)
        return np.take_along_axis(flat, where[..., None], axis=-1)[..., 0]

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Return dCost/dX, shape (N, C, H, W); adds up over overlapping windows."""
        self._need_forward(self._cache)
        X, where = self._cache
        sizes = (self.kernel_height, self.kernel_width, self.v_stride, self.h_stride)
        if not self.optimized:
            return reference.pool2d_backward(X, delta, *sizes, self.pooling)
        window_size = self.kernel_height * self.kernel_width
        if self.pooling == "average":
            per_window = np.broadcast_to(
                (delta / window_size)[..., None], (*delta.shape, window_size)
            )
        else:
            per_window = np.where(
                np.arange(window_size) == where[..., None], delta[..., None], 0
            ).astype(delta.dtype, copy=False)
        per_window = per_window.reshape(*delta.shape, self.kernel_height, self.kernel_width)
        return add_windows(per_window, X.shape, self.v_stride, self.h_stride)

    def config(self) -> dict:
        return {
            "kernel_height": self.kernel_height,
            "kernel_width": self.kernel_width,
            "v_stride": self.v_stride,
            "h_stride": self.h_stride,
            "pooling": self.pooling,
        }

    def describe(self) -> str:
        return (
            f"{self.pooling.capitalize()}Pool {self.kernel_height}x{self.kernel_width} "
            f"s{self.v_stride}x{self.h_stride}"
        )
