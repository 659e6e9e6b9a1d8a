"""The convolution engine: geometry, and one file per algorithm behind one interface.

Reading order: ``geometry`` (sizes, padding, padding modes), ``loops`` (the
plain loops, the oracle), ``im2col`` (windows into a matrix, one GEMM),
``fourier`` and ``fft`` (the convolution theorem), ``pooling``, and
``layout`` (memory order between layers, scratch arrays).

Every algorithm has the same small interface, for any number of spatial
dimensions::

    algorithm = Im2col(geometry)               # or Loops, FFT
    Z = algorithm.forward(X, W, b)             # (N, C, *in) -> (N, F, *out)
    dX, dW, db = algorithm.backward(dZ, W)     # dX is None if not asked for
    dX = algorithm.adjoint(dZ, W)              # the same dX, with no forward before it

and keeps what ``backward`` needs from the last ``forward``. The algorithms
see zero padding only: :class:`Convolution` gives every one of them the
circular mode by padding first and folding the gradient back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from cnnlab._validation import check_choice
from cnnlab.conv.fft import FFT, prefers_fft
from cnnlab.conv.geometry import PADDING_MODES, Geometry
from cnnlab.conv.im2col import Im2col
from cnnlab.conv.loops import Loops


class Algorithm(Protocol):
    """The interface every convolution algorithm has (see the module's docstring)."""

    name: str

    def forward(self, X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``Z = conv(X, W) + b``, keeping what ``backward`` needs."""
        ...

    def backward(
        self, dZ: np.ndarray, W: np.ndarray, input_gradient: bool = True
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """``(dX, dW, db)`` from dCost/dZ and the last ``forward``; dX None if not asked for."""
        ...

    def adjoint(self, dZ: np.ndarray, W: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dZ alone, with no forward pass: the transposed convolution."""
        ...


ALGORITHMS: dict[str, Callable[[Geometry], Algorithm]] = {
    "loops": Loops,
    "im2col": Im2col,
    "fft": FFT,
}
#: what a layer's ``algorithm`` argument may say; "auto" picks at build time
CHOICES = ("auto", "im2col", "fft")

__all__ = ["ALGORITHMS", "CHOICES", "PADDING_MODES", "Convolution", "Geometry", "choose"]


def choose(geometry: Geometry, input_channels: int, algorithm: str = "auto") -> str:
    """The algorithm's name for ``algorithm`` = "auto", "im2col", "fft" or "loops"."""
    check_choice(algorithm, "algorithm", (*CHOICES, "loops"))
    if algorithm != "auto":
        return algorithm
    if geometry.padding_mode == "circular":  # the algorithm will see the input padded already
        geometry = geometry.unpadded()
    return "fft" if prefers_fft(geometry, input_channels) else "im2col"


class Convolution:
    """One convolution of fixed geometry, by one algorithm, with any padding mode.

    Parameters
    ----------
    geometry : Geometry
    algorithm : {"loops", "im2col", "fft"}

    Notes
    -----
    With ``padding_mode="circular"`` the input is padded by wrapping it
    (:meth:`Geometry.pad`), the algorithm runs unpadded, and the gradient that
    fell on the padding is added back where it came from (:meth:`Geometry.unpad`).
    """

    def __init__(self, geometry: Geometry, algorithm: str) -> None:
        self.geometry = geometry
        self.circular = geometry.padding_mode == "circular" and geometry.padded
        inner = geometry.unpadded() if self.circular else geometry
        self.algorithm: Algorithm = ALGORITHMS[algorithm](inner)

    @property
    def name(self) -> str:
        return self.algorithm.name

    def forward(self, X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``Z = conv(X, W) + b``: ``(N, C, *input_shape)`` to ``(N, F, *output_shape)``."""
        if self.circular:
            X = self.geometry.pad(X)
        return self.algorithm.forward(X, W, b)

    def backward(
        self, dZ: np.ndarray, W: np.ndarray, input_gradient: bool = True
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """``(dX, dW, db)`` from dCost/dZ; dX is None when ``input_gradient`` is False."""
        dX, dW, db = self.algorithm.backward(dZ, W, input_gradient)
        if self.circular and dX is not None:
            dX = self.geometry.unpad(dX)
        return dX, dW, db

    def adjoint(self, dZ: np.ndarray, W: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dZ alone: the transposed convolution, ``(N, F, *out)`` to ``(N, C, *in)``."""
        dX = self.algorithm.adjoint(dZ, W)
        return self.geometry.unpad(dX) if self.circular else dX

    def replica(self) -> Convolution:
        """The same convolution with its own cache and scratch arrays (for another thread)."""
        return Convolution(self.geometry, self.algorithm.name)
