"""Layers without weights that reshape or mask: FlattenLayer and Dropout."""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_float
from cnnlab.layers.base import Layer


class FlattenLayer(Layer):
    """Flatten each image: (N, C, H, W) to (N, C*H*W), in C order (as PyTorch's Flatten)."""

    def _build(self, input_shape, rng, dtype):
        return (int(np.prod(input_shape)),)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        self._input = X
        return X.reshape(len(X), -1)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        # Hand the gradient back in the memory layout the input had (channels last after
        # a fast convolution), so the layers below work on matching strides.
        self._need_forward(getattr(self, "_input", None))
        result = np.empty_like(self._input, dtype=delta.dtype)
        result[...] = delta.reshape(len(delta), *self.input_shape)
        return result

    def describe(self) -> str:
        return "Flatten"


class Dropout(Layer):
    """Inverted dropout: in training, zero each entry with probability ``rate``.

    The kept entries are scaled by ``1 / (1 - rate)`` so the expected output is
    unchanged, and outside training the layer is the identity. The mask is
    drawn from a generator derived from the model's seed.

    Parameters
    ----------
    rate : float
        Probability of dropping an entry, in [0, 1).
    """

    def __init__(self, rate: float = 0.5) -> None:
        super().__init__()
        self.rate = check_float(rate, "rate", minimum=0.0, maximum=1.0)
        if self.rate == 1.0:
            raise ValueError("rate must be < 1 (a rate of 1 drops everything), got 1.0")
        self.mask = None
        self._rng = None
        #: a keep-mask for the next training batch, drawn beforehand (see ``draw_keep``)
        self.preset_keep = None

    def _build(self, input_shape, rng, dtype):
        self._rng = np.random.default_rng(rng.integers(2**63))
        return input_shape

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        if not training or self.rate == 0.0:
            self.mask = None
            return X
        keep, self.preset_keep = self.preset_keep, None
        if keep is None or keep.shape != X.shape:
            keep = self._rng.random(X.shape) >= self.rate
        self.mask = keep.astype(X.dtype) / X.dtype.type(1.0 - self.rate)
        return X * self.mask

    def draw_keep(self, samples: int) -> np.ndarray:
        """The keep-mask of a training batch of ``samples``, as ``forward`` would draw it.

        Threads that share a batch each take their rows of it, so dropout gives
        the same result whatever the number of threads.
        """
        return self._rng.random((samples, *self.input_shape)) >= self.rate

    def backward(self, delta: np.ndarray) -> np.ndarray:
        return delta if self.mask is None else delta * self.mask

    def config(self) -> dict:
        return {"rate": self.rate}

    def describe(self) -> str:
        return f"Dropout {self.rate:g}"
