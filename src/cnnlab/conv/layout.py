"""Memory order between layers, and scratch arrays that live from batch to batch.

**The layout rule.** Arrays passed between layers always have the logical
shape ``(N, C, *spatial)``, but not always that memory order: an algorithm may
return a transposed *view* of the order it computed in (``im2col`` returns
channels-last memory, its single-channel path and the FFT spatial-axes-first
memory), because copying into ``(N, C, ...)`` order would cost a pass over
memory and the next layer often wants the same order anyway. Elementwise work
(activations, dropout) keeps any order. So every layer must accept any memory
order, and a layer that keeps something from ``forward`` to combine with the
gradient in ``backward`` brings the gradient into the same order with
:func:`in_order_of` first: numpy reads mixed orders with large strides, three
times slower. That is the whole mechanism; no layer knows which layer came
before it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike


def in_order_of(array: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``array``, copied into the memory order of ``reference`` if it has another one.

    ``array`` and ``reference`` have the same shape; the copy is skipped when
    their axes are already laid out in the same order.
    """
    if np.array_equal(np.argsort(array.strides), np.argsort(reference.strides)):
        return array
    aligned = np.empty_like(reference, dtype=array.dtype)
    aligned[...] = array
    return aligned


class Workspace:
    """Scratch arrays owned by one algorithm or layer, reused while their shape stays the same.

    Only for arrays that never leave their owner: fresh 20 MB arrays on every
    batch cost page faults and cache misses that showed up in the profile.
    A replica of a layer (one per thread) gets a workspace of its own.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: DTypeLike) -> np.ndarray:
        """An uninitialised array of ``shape`` and ``dtype``, the same one as last time if it fits."""
        array = self._arrays.get(name)
        if array is None or array.shape != tuple(shape) or array.dtype != dtype:
            array = self._arrays[name] = np.empty(shape, dtype=dtype)
        return array
