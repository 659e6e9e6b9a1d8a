"""Pooling2DLayer: the max or the average of each window, channel by channel.

The stride defaults to the kernel size (as in Keras); the notes' code defaults
to a stride of 1. No padding: the output is ``(n - kernel) // stride + 1``.
"""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_choice, check_int
from cnnlab.conv import Geometry
from cnnlab.conv.pooling import MODES, FastPooling, LoopPooling
from cnnlab.layers.base import Layer

POOLING_MODES = MODES


class Pooling2DLayer(Layer):
    """Max or average pooling over ``kernel_height x kernel_width`` windows.

    Forward, for channel c of image n, with strides (s, t)::

        max:     A[n, c, i, j] = max_{p, q} X[n, c, i*s + p, j*t + q]
        average: A[n, c, i, j] = mean_{p, q} X[n, c, i*s + p, j*t + q]

    Backward, given dA of shape (N, C, H_out, W_out), summed over windows
    that share a pixel::

        max:     dX[n, c, i*s + p*, j*t + q*] += dA[n, c, i, j]   at the first maximum (p*, q*)
        average: dX[n, c, i*s + p, j*t + q] += dA[n, c, i, j] / (kernel_height * kernel_width)

    Parameters
    ----------
    kernel_height, kernel_width : int
        Window size.
    v_stride, h_stride : int or None
        Strides; None means equal to the kernel size (no overlap).
    pooling : {"max", "average"}
    optimized : bool
        False runs the plain loops of ``cnnlab.conv.loops``.

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
        self.pool: FastPooling | LoopPooling | None = None
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
        geometry = Geometry.resolve(
            (height, width), (self.kernel_height, self.kernel_width), (self.v_stride, self.h_stride)
        )
        self.pool = (FastPooling if self.optimized else LoopPooling)(geometry, self.pooling)
        return (channels, *geometry.output_shape)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map (N, C, H, W) to (N, C, H_out, W_out)."""
        self._check_input(X)
        self._cache = True
        return self.pool.forward(X)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Return dCost/dX, shape (N, C, H, W); adds up over overlapping windows."""
        self._need_forward(self._cache)
        return self.pool.backward(delta)

    def _reset_caches(self) -> None:
        super()._reset_caches()
        if self.pool is not None:
            self.pool = type(self.pool)(self.pool.geometry, self.pool.mode)

    def config(self) -> dict:
        return {
            "kernel_height": self.kernel_height,
            "kernel_width": self.kernel_width,
            "v_stride": self.v_stride,
            "h_stride": self.h_stride,
            "pooling": self.pooling,
            "optimized": self.optimized,
        }

    def describe(self) -> str:
        return (
            f"{self.pooling.capitalize()}Pool {self.kernel_height}x{self.kernel_width} "
            f"s{self.v_stride}x{self.h_stride}"
        )
