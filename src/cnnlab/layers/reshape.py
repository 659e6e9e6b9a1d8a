"""FlattenLayer: images to vectors."""

from __future__ import annotations

import numpy as np

from cnnlab.conv.layout import in_order_of
from cnnlab.layers.base import Layer


class FlattenLayer(Layer):
    """Flatten each sample: (N, C, H, W) to ``(N, C*H*W)``, in C order (as PyTorch's Flatten).

    Forward ``A[n, :] = X[n].ravel()``; backward ``dX[n] = dA[n].reshape(C, H, W)``,
    in the memory order the input had (``cnnlab.conv.layout``).
    """

    flattens = True

    def __init__(self) -> None:
        super().__init__()
        self._cache: np.ndarray | None = None

    def _build(self, input_shape, rng, dtype):
        return (int(np.prod(input_shape)),)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        self._cache = X
        return X.reshape(len(X), -1)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        X = self._need_forward(self._cache)
        return in_order_of(delta.reshape(len(delta), *self._built_input_shape), X)

    def describe(self) -> str:
        return "Flatten"
