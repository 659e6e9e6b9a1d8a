"""An activation on its own, as Keras's ``Activation`` layer: after BatchNormalization, say."""

from __future__ import annotations

import numpy as np

from cnnlab.layers.base import Layer
from cnnlab.nn.activations import Activation, get_activation


class ActivationLayer(Layer):
    """``A = f(X)`` entry by entry, for inputs of any shape (softmax: flat inputs only).

    Forward and backward, for an input X of any shape (N, ...)::

        A = f(X)                       (N, ...)
        dX = f'(X) * dA                (N, ...)   (softmax: its Jacobian, row by row)

    Parameters
    ----------
    act_func : Activation or str
        identity, sigmoid, tanh, RELU, LRELU or softmax.
    """

    def __init__(self, act_func: Activation | str) -> None:
        super().__init__()
        self.act_func = get_activation(act_func)
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def _build(self, input_shape, rng, dtype):
        if not self.act_func.elementwise and len(input_shape) != 1:
            raise ValueError(
                f"ActivationLayer({self.act_func}) needs flat input (N, K), got samples of shape "
                f"{input_shape}; add a FlattenLayer first"
            )
        return input_shape

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        A = self.act_func(X)
        self._cache = (X, A)
        return A

    def backward(self, delta: np.ndarray) -> np.ndarray:
        X, A = self._need_forward(self._cache)
        return self.act_func.backward(delta, X, A)

    def config(self) -> dict:
        return {"act_func": self.act_func.__name__}

    def describe(self) -> str:
        return f"Activation {self.act_func}"
