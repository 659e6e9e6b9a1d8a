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
from cnnlab.ops import offset_slice, output_size

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
        if not self.optimized:
            sizes = (self.kernel_height, self.kernel_width, self.v_stride, self.h_stride)
            self._cache = (X, None)
            return reference.pool2d_forward(X, *sizes, self.pooling)
        # One pass per kernel offset over strided views: no window copy, any stride.
        slices = self._offset_slices()
        first = X[slices[0]]
        if self.pooling == "average":
            out = first.astype(X.dtype, order="K", copy=True)
            for window_slice in slices[1:]:
                out += X[window_slice]
            out /= len(slices)
            self._cache = (X, None)
            return out
        # Max: also record which offset won each window (`winner`), keeping the first
        # maximum in row-major order as PyTorch does: only a strictly larger value wins.
        out = first.copy(order="K")
        # Every array in the memory order of ``out`` (which follows X): mixed orders make
        # numpy read some of them with large strides, three times slower.
        winner = np.zeros_like(out, dtype=np.min_scalar_type(len(slices)))
        larger = np.empty_like(out, dtype=bool)
        step = np.empty_like(winner)
        for offset, window_slice in enumerate(slices[1:], start=1):
            candidate = X[window_slice]
            np.greater(candidate, out, out=larger)
            np.maximum(out, candidate, out=out)
            np.subtract(winner.dtype.type(offset), winner, out=step)  # winner = offset where larger
            step *= larger
            winner += step
        self._cache = (X, winner)
        return out

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Return dCost/dX, shape (N, C, H, W); adds up over overlapping windows."""
        self._need_forward(self._cache)
        X, winner = self._cache
        if not self.optimized:
            sizes = (self.kernel_height, self.kernel_width, self.v_stride, self.h_stride)
            return reference.pool2d_backward(X, delta, *sizes, self.pooling)
        slices = self._offset_slices()
        overlapping = self.v_stride < self.kernel_height or self.h_stride < self.kernel_width
        if winner is not None:
            delta = _in_layout_of(delta, winner)
        # Without overlap every input pixel is in one window at most: write, don't add.
        dX = np.zeros_like(X) if overlapping or self._has_gaps() else np.empty_like(X)
        if self.pooling == "average":
            share = delta / delta.dtype.type(len(slices))
            for window_slice in slices:
                if overlapping:
                    dX[window_slice] += share
                else:
                    dX[window_slice] = share
            return dX
        # Each window's gradient goes to the offset that won it in the forward pass.
        routed = np.empty_like(delta)
        for offset, window_slice in enumerate(slices):
            won = winner == offset
            if overlapping:
                np.multiply(delta, won, out=routed)
                dX[window_slice] += routed
            else:
                np.multiply(delta, won, out=dX[window_slice])
        return dX

    def _has_gaps(self) -> bool:
        """Whether some input pixels are in no window (stride > kernel, or a ragged edge)."""
        _, height, width = self.input_shape
        _, out_height, out_width = self.output_shape
        return out_height * self.kernel_height != height or out_width * self.kernel_width != width

    def _offset_slices(self) -> list[tuple[slice, ...]]:
        """For each kernel offset (p, q), the slice of X that it sees in every window."""
        _, out_height, out_width = self.output_shape
        slices = []
        for p in range(self.kernel_height):
            rows = offset_slice(p, out_height, self.v_stride)
            for q in range(self.kernel_width):
                cols = offset_slice(q, out_width, self.h_stride)
                slices.append((slice(None), slice(None), rows, cols))
        return slices

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


def _in_layout_of(array: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``array``, copied into the memory order of ``reference`` if it has another one.

    The layers around a pooling layer may keep channels last or spatial axes
    first; one copy of the small gradient is cheaper than four passes that read
    three arrays in different orders.
    """
    if np.array_equal(np.argsort(array.strides), np.argsort(reference.strides)):
        return array
    aligned = np.empty_like(reference, dtype=array.dtype)
    aligned[...] = array
    return aligned
