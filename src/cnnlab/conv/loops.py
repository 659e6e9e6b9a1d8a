"""Plain loops: the readable oracle that every fast algorithm is tested against.

Each function loops over images, feature maps (or channels) and output
positions, one window at a time, exactly as the math is written, in any number
of spatial dimensions. ``X`` is ``(N, C, *spatial)`` and already padded; ``W``
is ``(F, C, *kernel)``; ``strides`` has one entry per spatial axis.

:class:`Loops` is the convolution algorithm that ``optimized=False`` selects:
it pads with :meth:`Geometry.pad` and hands the gradient back through
:meth:`Geometry.unpad`, so it supports every padding mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab.conv.geometry import Geometry, kernel_spans, output_size


def _window(index, kernel, strides, dilations=None):
    """Slices of the padded input seen by the window at output position ``index``."""
    dilations = dilations or (1,) * len(kernel)
    return tuple(
        slice(i * s, i * s + d * (k - 1) + 1, d)
        for i, k, s, d in zip(index, kernel, strides, dilations, strict=True)
    )


def _output_shape(padded, kernel, strides, dilations=None):
    spans = kernel_spans(kernel, dilations or (1,) * len(kernel))
    return tuple(output_size(p, k, s) for p, k, s in zip(padded, spans, strides, strict=True))


def conv_forward(
    X: np.ndarray,
    W: np.ndarray,
    b: np.ndarray,
    strides: Sequence[int],
    dilations: Sequence[int] | None = None,
) -> np.ndarray:
    """Cross-correlation ``Z[n, f, i...] = sum(X[n, :, window(i...)] * W[f]) + b[f]``.

    The window of output position ``i`` starts at ``i * stride`` and takes every
    ``dilation``-th input position.
    """
    kernel = W.shape[2:]
    out = _output_shape(X.shape[2:], kernel, strides, dilations)
    Z = np.zeros((len(X), len(W), *out), dtype=X.dtype)
    for n in range(len(X)):
        for f in range(len(W)):
            for index in np.ndindex(*out):
                window = X[(n, slice(None), *_window(index, kernel, strides, dilations))]
                Z[(n, f, *index)] = np.sum(window * W[f]) + b[f]
    return Z


def conv_transpose(
    dZ: np.ndarray,
    W: np.ndarray,
    padded_shape: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int] | None = None,
) -> np.ndarray:
    """The adjoint of the cross-correlation: ``dX[n, :, window(i...)] += dZ[n, f, i...] W[f]``.

    It is dCost/dX (padded, shape ``(N, C, *padded_shape)``) given dCost/dZ,
    and also the forward pass of a transposed convolution.
    """
    kernel = W.shape[2:]
    dX = np.zeros((len(dZ), W.shape[1], *padded_shape), dtype=dZ.dtype)
    for n in range(len(dZ)):
        for f in range(len(W)):
            for index in np.ndindex(*dZ.shape[2:]):
                window = (slice(None), *_window(index, kernel, strides, dilations))
                dX[n][window] += dZ[(n, f, *index)] * W[f]
    return dX


def conv_backward(
    X: np.ndarray,
    W: np.ndarray,
    dZ: np.ndarray,
    strides: Sequence[int],
    dilations: Sequence[int] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients ``(dX, dW, db)`` of the cross-correlation, given ``dZ`` = dCost/dZ."""
    kernel = W.shape[2:]
    dW = np.zeros_like(W)
    for n in range(len(X)):
        for f in range(len(W)):
            for index in np.ndindex(*dZ.shape[2:]):
                window = (slice(None), *_window(index, kernel, strides, dilations))
                dW[f] += dZ[(n, f, *index)] * X[n][window]
    db = dZ.sum(axis=(0, *range(2, dZ.ndim)))
    return conv_transpose(dZ, W, X.shape[2:], strides, dilations), dW, db


def pool_forward(
    X: np.ndarray, kernel: Sequence[int], strides: Sequence[int], pooling: str
) -> np.ndarray:
    """Max or average of each window, channel by channel; no padding."""
    out = _output_shape(X.shape[2:], kernel, strides)
    result = np.zeros((*X.shape[:2], *out), dtype=X.dtype)
    reduce = np.max if pooling == "max" else np.mean
    for n in range(X.shape[0]):
        for c in range(X.shape[1]):
            for index in np.ndindex(*out):
                result[(n, c, *index)] = reduce(X[(n, c, *_window(index, kernel, strides))])
    return result


def pool_backward(
    X: np.ndarray, delta: np.ndarray, kernel: Sequence[int], strides: Sequence[int], pooling: str
) -> np.ndarray:
    """dCost/dX of pooling. Max sends each window's gradient to its first maximum."""
    dX = np.zeros_like(X)
    for n in range(X.shape[0]):
        for c in range(X.shape[1]):
            for index in np.ndindex(*delta.shape[2:]):
                window = _window(index, kernel, strides)
                gradient = delta[(n, c, *index)]
                if pooling == "max":
                    values = X[(n, c, *window)]
                    winner = np.unravel_index(np.argmax(values), values.shape)
                    position = tuple(w.start + r for w, r in zip(window, winner, strict=True))
                    dX[(n, c, *position)] += gradient
                else:
                    dX[(n, c, *window)] += gradient / np.prod(kernel)
    return dX


class Loops:
    """The convolution by plain loops (``optimized=False``): slow, and the reference.

    Parameters
    ----------
    geometry : Geometry
    """

    name = "loops"

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry
        self._X_padded: np.ndarray | None = None

    def forward(self, X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``Z = conv(X, W) + b``: ``(N, C, *input_shape)`` to ``(N, F, *output_shape)``."""
        self._X_padded = self.geometry.pad(X)
        return conv_forward(self._X_padded, W, b, self.geometry.strides, self.geometry.dilations)

    def backward(
        self, dZ: np.ndarray, W: np.ndarray, input_gradient: bool = True
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """``(dX, dW, db)`` from dCost/dZ; dX is None when ``input_gradient`` is False."""
        assert self._X_padded is not None, "backward before forward"
        geometry = self.geometry
        dX_padded, dW, db = conv_backward(
            self._X_padded, W, dZ, geometry.strides, geometry.dilations
        )
        return (geometry.unpad(dX_padded) if input_gradient else None), dW, db

    def adjoint(self, dZ: np.ndarray, W: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dZ alone (no forward needed): the transposed convolution."""
        geometry = self.geometry
        dX_padded = conv_transpose(
            dZ, W, geometry.padded_shape, geometry.strides, geometry.dilations
        )
        return geometry.unpad(dX_padded)
