"""Pooling layers: the max or the average of each window, channel by channel; global average.

The stride defaults to the kernel size (as in Keras); the notes' code defaults
to a stride of 1. No padding: the output is ``(n - kernel) // stride + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab._validation import check_choice, check_int
from cnnlab.conv import Geometry
from cnnlab.conv.pooling import MODES, FastPooling, LoopPooling
from cnnlab.layers.base import Layer

POOLING_MODES = MODES


class PoolingLayer(Layer):
    """What the window pooling layers share, for any number of spatial dimensions."""

    def __init__(
        self, kernel_shape: Sequence[int], strides: Sequence[int], pooling: str, optimized: bool
    ) -> None:
        super().__init__()
        self.kernel_shape, self.strides = tuple(kernel_shape), tuple(strides)
        self.sample_ndim = 1 + len(self.kernel_shape)
        self.pooling = check_choice(pooling, "pooling", POOLING_MODES)
        self.optimized = bool(optimized)
        self.pool: FastPooling | LoopPooling | None = None
        self._cache: bool | None = None

    def _build(self, input_shape, rng, dtype):
        name, spatial = type(self).__name__, input_shape[1:]
        if len(input_shape) != self.sample_ndim:
            kind = (
                "images of shape (channels, height, width)"
                if len(self.kernel_shape) == 2
                else ("signals of shape (channels, length)")
            )
            raise ValueError(f"{name} expects {kind}, got input shape {input_shape}")
        try:
            geometry = Geometry.resolve(spatial, self.kernel_shape, self.strides)
        except ValueError:
            raise ValueError(
                f"pooling kernel {'x'.join(map(str, self.kernel_shape))} is larger than its "
                f"input {'x'.join(map(str, spatial))}; use a smaller kernel or fewer pooling layers"
            ) from None
        self.pool = (FastPooling if self.optimized else LoopPooling)(geometry, self.pooling)
        return (input_shape[0], *geometry.output_shape)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map ``(N, C, *input)`` to ``(N, C, *output)``."""
        self._check_input(X)
        assert self.pool is not None  # built, as _check_input made sure
        self._cache = True  # the pooling keeps what backward needs
        return self.pool.forward(X)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Return dCost/dX, shape ``(N, C, *input)``; adds up over overlapping windows."""
        self._need_forward(self._cache)
        assert self.pool is not None  # built, since forward ran
        return self.pool.backward(delta)

    def _reset_caches(self) -> None:
        super()._reset_caches()
        if self.pool is not None:
            self.pool = self.pool.replica()


class Pooling2DLayer(PoolingLayer):
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
        self.kernel_height = check_int(kernel_height, "kernel_height")
        self.kernel_width = check_int(kernel_width, "kernel_width")
        self.v_stride = self.kernel_height if v_stride is None else check_int(v_stride, "v_stride")
        self.h_stride = self.kernel_width if h_stride is None else check_int(h_stride, "h_stride")
        super().__init__(
            (self.kernel_height, self.kernel_width), (self.v_stride, self.h_stride), pooling,
            optimized,
        )  # fmt: skip

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


class Pooling1DLayer(PoolingLayer):
    """Max or average pooling of signals (N, C, T) over windows of ``kernel_size``.

    Forward ``A[n, c, i] = max_p X[n, c, i*s + p]`` (or the mean); backward as
    :class:`Pooling2DLayer` along one axis. PyTorch's MaxPool1d / AvgPool1d.

    Parameters
    ----------
    kernel_size : int
    stride : int or None
        None means equal to ``kernel_size``.
    pooling : {"max", "average"}
    optimized : bool
        Keyword-only; False runs the plain loops.
    """

    def __init__(
        self, kernel_size: int = 2, stride: int | None = None, pooling: str = "max", *,
        optimized: bool = True,
    ) -> None:  # fmt: skip
        self.kernel_size = check_int(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else check_int(stride, "stride")
        super().__init__((self.kernel_size,), (self.stride,), pooling, optimized)

    def config(self) -> dict:
        return {
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "pooling": self.pooling,
            "optimized": self.optimized,
        }

    def describe(self) -> str:
        return f"{self.pooling.capitalize()}Pool1D {self.kernel_size} s{self.stride}"


class GlobalAveragePoolingLayer(Layer):
    """The mean of every channel over all its positions: (N, C, ...) to (N, C).

    Forward and backward, with ``P`` the number of positions per channel::

        A[n, c] = (1 / P) sum_i X[n, c, i...]          (N, C)
        dX[n, c, i...] = dA[n, c] / P                  (N, C, ...)

    For 1-D and 2-D inputs alike; what follows it takes flat input.
    """

    flattens = True

    def _build(self, input_shape, rng, dtype):
        if len(input_shape) < 2:
            raise ValueError(
                f"GlobalAveragePoolingLayer expects (channels, length) or (channels, height, "
                f"width) samples, got input shape {input_shape}"
            )
        return (input_shape[0],)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        return X.mean(axis=tuple(range(2, X.ndim)))

    def backward(self, delta: np.ndarray) -> np.ndarray:
        input_shape = self._built_input_shape
        positions = int(np.prod(input_shape[1:]))
        share = delta / delta.dtype.type(positions)
        return np.broadcast_to(
            share.reshape(*share.shape, *(1,) * (len(input_shape) - 1)),
            (len(delta), *input_shape),
        ).copy()

    def describe(self) -> str:
        return "GlobalAveragePool"
