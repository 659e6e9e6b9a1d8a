"""Max and average pooling: the plain loops and a fast version behind one interface.

Both take a :class:`~cnnlab.conv.geometry.Geometry` (no padding) and a mode::

    pool = FastPooling(geometry, "max")       # or LoopPooling
    out = pool.forward(X)                      # (N, C, *in) -> (N, C, *out)
    dX = pool.backward(delta)                  # dCost/dX, (N, C, *in)

Max pooling sends each window's gradient to the first maximum of the window
in row-major order, as PyTorch does; with overlapping windows the
contributions add up.
"""

from __future__ import annotations

import numpy as np

from cnnlab.conv.geometry import Geometry
from cnnlab.conv.layout import in_order_of
from cnnlab.conv.loops import pool_backward, pool_forward

MODES = ("max", "average")


class LoopPooling:
    """Pooling by plain loops (``optimized=False``), the reference."""

    def __init__(self, geometry: Geometry, mode: str) -> None:
        self.geometry, self.mode = geometry, mode
        self._X: np.ndarray | None = None

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Pool ``X``, ``(N, C, *input_shape)``, to ``(N, C, *output_shape)``; keeps what backward needs."""
        self._X = X
        return pool_forward(X, self.geometry.kernel_shape, self.geometry.strides, self.mode)

    def replica(self) -> LoopPooling:
        """The same pooling with its own cache (for another thread)."""
        return LoopPooling(self.geometry, self.mode)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dOutput: max sends each window's gradient to its maximum, average spreads it."""
        assert self._X is not None, "backward before forward"
        geometry = self.geometry
        return pool_backward(self._X, delta, geometry.kernel_shape, geometry.strides, self.mode)


class FastPooling:
    """Pooling in one pass per kernel offset over strided views: no window copy, any stride.

    Every array follows the memory order of the input (``cnnlab.conv.layout``).
    """

    def __init__(self, geometry: Geometry, mode: str) -> None:
        self.geometry, self.mode = geometry, mode
        self.slices = [(slice(None), slice(None), *s) for _, s in geometry.offsets()]
        self.overlapping = any(
            s < k for s, k in zip(geometry.strides, geometry.kernel_shape, strict=True)
        )
        # some input pixels in no window (stride > kernel, or a ragged edge)
        self.gaps = any(
            o * k != n
            for o, k, n in zip(
                geometry.output_shape, geometry.kernel_shape, geometry.input_shape, strict=True
            )
        )
        # the input and, for max pooling, the offset that won each window
        self._cache: tuple[np.ndarray, np.ndarray | None] | None = None

    def replica(self) -> FastPooling:
        """The same pooling with its own cache (for another thread)."""
        return FastPooling(self.geometry, self.mode)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Pool ``X``, ``(N, C, *input_shape)``, to ``(N, C, *output_shape)``; keeps what backward needs."""
        first = X[self.slices[0]]
        if self.mode == "average":
            out = first.astype(X.dtype, order="K", copy=True)
            for window_slice in self.slices[1:]:
                out += X[window_slice]
            out /= len(self.slices)
            self._cache = (X, None)
            return out
        # Max: also record which offset won each window (`winner`), keeping the first
        # maximum in row-major order: only a strictly larger value wins.
        out = first.copy(order="K")
        # Every array in the memory order of ``out`` (which follows X): mixed orders make
        # numpy read some of them with large strides, three times slower.
        winner = np.zeros_like(out, dtype=np.min_scalar_type(len(self.slices)))
        larger = np.empty_like(out, dtype=bool)
        step = np.empty_like(winner)
        for offset, window_slice in enumerate(self.slices[1:], start=1):
            candidate = X[window_slice]
            np.greater(candidate, out, out=larger)
            np.maximum(out, candidate, out=out)
            np.subtract(winner.dtype.type(offset), winner, out=step)  # winner = offset where larger
            step *= larger
            winner += step
        self._cache = (X, winner)
        return out

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dOutput: max sends each window's gradient to its maximum, average spreads it."""
        assert self._cache is not None, "backward before forward"
        X, winner = self._cache
        if winner is not None:
            delta = in_order_of(delta, winner)
        # Without overlap every input pixel is in one window at most: write, don't add.
        dX = np.zeros_like(X) if self.overlapping or self.gaps else np.empty_like(X)
        if self.mode == "average":
            share = delta / delta.dtype.type(len(self.slices))
            for window_slice in self.slices:
                if self.overlapping:
                    dX[window_slice] += share
                else:
                    dX[window_slice] = share
            return dX
        # Each window's gradient goes to the offset that won it in the forward pass.
        routed = np.empty_like(delta)
        for offset, window_slice in enumerate(self.slices):
            won = winner == offset
            if self.overlapping:
                np.multiply(delta, won, out=routed)
                dX[window_slice] += routed
            else:
                np.multiply(delta, won, out=dX[window_slice])
        return dX
