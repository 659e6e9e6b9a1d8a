"""Layers that change the shape of a sample: Upsampling2DLayer and ReshapeLayer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab._validation import check_int
from cnnlab.layers.base import Layer


class Upsampling2DLayer(Layer):
    """Nearest-neighbour upsampling: every pixel becomes a ``size_h x size_w`` block.

    Forward and backward, for factors (s, t)::

        A[n, c, i, j] = X[n, c, i // s, j // t]                         (N, C, s*H, t*W)
        dX[n, c, p, q] = sum_{a < s, b < t} dA[n, c, p*s + a, q*t + b]  (N, C, H, W)

    Keras's UpSampling2D; PyTorch's ``nn.Upsample(scale_factor=(s, t), mode="nearest")``.

    Parameters
    ----------
    size : int or (int, int)
        The factors along height and width.
    """

    sample_ndim = 3

    def __init__(self, size: int | tuple[int, int] = 2) -> None:
        super().__init__()
        pair = (
            (size, size)
            if isinstance(size, int | np.integer) and not isinstance(size, bool)
            else size
        )
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError(f"size must be an int or a pair of ints (height, width), got {size!r}")
        self.size = (check_int(pair[0], "size"), check_int(pair[1], "size"))

    def _build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(
                f"Upsampling2DLayer expects images of shape (channels, height, width), got input "
                f"shape {input_shape}"
            )
        channels, height, width = input_shape
        return (channels, height * self.size[0], width * self.size[1])

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        return X.repeat(self.size[0], axis=2).repeat(self.size[1], axis=3)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        channels, height, width = self._built_input_shape
        blocks = delta.reshape(len(delta), channels, height, self.size[0], width, self.size[1])
        return blocks.sum(axis=(3, 5))

    def config(self) -> dict:
        return {"size": list(self.size)}

    def describe(self) -> str:
        return f"Upsampling2D {self.size[0]}x{self.size[1]}"


class ReshapeLayer(Layer):
    """Each sample reshaped to ``shape`` (C order), e.g. a dense layer's output to images.

    Forward ``A[n] = X[n].reshape(shape)``; backward ``dX[n] = dA[n].reshape(input_shape)``.

    Parameters
    ----------
    shape : tuple of int
        The shape of one output sample, without the batch axis.
    """

    def __init__(self, shape: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(shape, tuple | list) or not shape:
            raise TypeError(f"shape must be a tuple of ints such as (1, 28, 28), got {shape!r}")
        self.shape = tuple(check_int(n, "shape") for n in shape)
        #: the number of axes of a sample after this layer (for the layer-order checks)
        self.output_ndim = len(self.shape)

    def _build(self, input_shape, rng, dtype):
        if int(np.prod(input_shape)) != int(np.prod(self.shape)):
            raise ValueError(
                f"ReshapeLayer cannot reshape samples of shape {input_shape} "
                f"({int(np.prod(input_shape))} values) to {self.shape} ({int(np.prod(self.shape))} values)"
            )
        return self.shape

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        return X.reshape(len(X), *self.shape)

    def backward(self, delta: np.ndarray) -> np.ndarray:
        return delta.reshape(len(delta), *self._built_input_shape)

    def config(self) -> dict:
        return {"shape": list(self.shape)}

    def describe(self) -> str:
        return f"Reshape {self.shape}"
