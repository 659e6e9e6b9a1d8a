"""The convolution as one matrix product: every window copied into a row (im2col).

Forward, with ``K = prod(kernel_shape)``::

    columns[(n, i...), (p..., c)] = X_padded[n, c, i*s + p ...]     (rows, K*C)
    Z_rows = columns @ W_rows.T + b                                  (rows, F)

Backward, with ``dZ_rows`` the gradient in the same row order::

    dW_rows = dZ_rows.T @ columns        db = sum of dZ_rows over rows
    dX_padded[n, :, i*s + p ...] += dZ_rows[(n, i...)] @ W[:, :, p...]   for every offset p

The last line is col2im fused with its product: one small GEMM per kernel
offset, added at that offset's strided slice (each block is written
contiguously, faster than one large GEMM and a scattered add).

Speed tricks, all inside this file:

* the windows are copied channels last, ``(p..., c)``, so each copied run is
  C contiguous numbers, and the output comes back as an ``(N, F, ...)`` view of
  ``(N, ..., F)`` memory: no transpose (see ``cnnlab.conv.layout``);
* a single input channel is copied offset by offset instead, each a long
  contiguous block, with rows ordered ``(i..., n)``; the output is then a view
  of ``(..., N, F)`` memory;
* the column matrix lives in a workspace reused from batch to batch.

Zero padding only; ``cnnlab.conv.Convolution`` wraps circular padding around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import EllipsisType

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cnnlab.conv.geometry import Geometry, kernel_spans
from cnnlab.conv.layout import Workspace


def pad_channels_last(X: np.ndarray, padding: Sequence[tuple[int, int]]) -> np.ndarray:
    """Zero-pad the spatial axes of channels-last ``X`` ``(N, *spatial, C)``; no copy without padding."""
    if not any(any(pair) for pair in padding):
        return X
    shape = (
        len(X),
        *(n + sum(p) for n, p in zip(X.shape[1:-1], padding, strict=True)),
        X.shape[-1],
    )
    padded = np.zeros(shape, X.dtype)
    interior = tuple(
        slice(before, before + n) for (before, _), n in zip(padding, X.shape[1:-1], strict=True)
    )
    padded[(slice(None), *interior)] = X
    return padded


def im2col_channels_last(
    X: np.ndarray,
    kernel_shape: Sequence[int],
    strides: Sequence[int],
    out: np.ndarray | None = None,
    dilations: Sequence[int] | None = None,
) -> np.ndarray:
    """Copy every window of channels-last ``X`` ``(N, *spatial, C)`` into one row.

    Returns
    -------
    ndarray, shape (N * prod(output_shape), prod(kernel_shape) * C)
        Row (n, i...) holds the window at output position (i...) of image n, in
        (p..., channel) order.
    """
    dims = X.ndim - 2
    axes = tuple(range(1, dims + 1))
    dilations = dilations or (1,) * dims
    view = sliding_window_view(X, kernel_spans(kernel_shape, dilations), axis=axes)
    view = view[(slice(None), *(slice(None, None, s) for s in strides))]
    if any(d != 1 for d in dilations):  # every dilation-th tap of each window
        taps: tuple[EllipsisType | slice, ...] = (
            Ellipsis,
            *(slice(None, None, d) for d in dilations),
        )
        view = view[taps]
    # (N, out..., C, k...) to (N, out..., k..., C)
    view = view.transpose(0, *axes, *range(dims + 2, 2 * dims + 2), dims + 1)
    rows = int(np.prod(view.shape[: dims + 1]))
    if out is None:
        out = np.empty(view.size, dtype=X.dtype)
    np.copyto(out[: view.size].reshape(view.shape), view)
    return out[: view.size].reshape(rows, -1)


def im2col_spatial_first(
    X: np.ndarray, geometry: Geometry, out: np.ndarray | None = None
) -> np.ndarray:
    """Copy every window of single-channel images ``X`` ``(*padded_shape, N)`` into one row.

    Returns
    -------
    ndarray, shape (prod(output_shape) * N, prod(kernel_shape))
        Rows ordered (i..., n): the transpose of a C-contiguous (offsets, rows) array.
    """
    kernel_size = int(np.prod(geometry.kernel_shape))
    rows = int(np.prod(geometry.output_shape)) * X.shape[-1]
    if out is None:
        out = np.empty(kernel_size * rows, dtype=X.dtype)
    by_offset = out[: kernel_size * rows].reshape(kernel_size, *geometry.output_shape, X.shape[-1])
    for index, (_, slices) in enumerate(geometry.offsets()):
        by_offset[index] = X[slices]
    return by_offset.reshape(kernel_size, rows).T


def col2im_channels_last(
    dZ_rows: np.ndarray, W: np.ndarray, padded_shape: tuple[int, ...], geometry: Geometry
) -> np.ndarray:
    """dCost/dX_padded, channels last ``(N, *padded_shape, C)``, by one GEMM per kernel offset.

    ``dZ_rows`` is dCost/dZ as (N * prod(output_shape), F), rows ordered (n, i...).
    """
    channels = W.shape[1]
    result = np.zeros((*padded_shape, channels), dtype=dZ_rows.dtype)
    block = np.empty((len(dZ_rows), channels), dtype=dZ_rows.dtype)
    blocks = block.reshape(padded_shape[0], *geometry.output_shape, channels)
    for offset, slices in geometry.offsets():
        tap: tuple[slice | int, ...] = (slice(None), slice(None), *offset)
        np.matmul(dZ_rows, W[tap], out=block)
        result[(slice(None), *slices)] += blocks
    return result


class Im2col:
    """The convolution by im2col and GEMM, any stride, zero padding.

    Parameters
    ----------
    geometry : Geometry
    """

    name = "im2col"

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry
        self.workspace = Workspace()
        self._cache: tuple[tuple[int, ...], np.ndarray] | None = None

    def forward(self, X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``Z = conv(X, W) + b``: ``(N, C, *input_shape)`` to ``(N, F, *output_shape)``."""
        geometry = self.geometry
        dims, images, channels = geometry.dims, len(X), X.shape[1]
        rows = images * int(np.prod(geometry.output_shape))
        scratch = self.workspace.get("columns", (rows * W[0].size,), X.dtype)
        spatial = tuple(range(2, dims + 2))
        if channels == 1:
            # (*spatial, N): rows come out ordered (i..., n)
            X_first = pad_channels_last(X[None, :, 0].transpose(0, *spatial, 1), geometry.padding)[
                0
            ]
            columns = im2col_spatial_first(X_first, geometry, out=scratch)
            W_rows = W.reshape(len(W), -1)
        else:
            X_last = pad_channels_last(X.transpose(0, *spatial, 1), geometry.padding)
            columns = im2col_channels_last(
                X_last, geometry.kernel_shape, geometry.strides, scratch, geometry.dilations
            )
            W_rows = W.transpose(0, *spatial, 1).reshape(len(W), -1)
        Z_rows = columns @ W_rows.T
        Z_rows += b
        if channels == 1:  # (out..., N, F) in memory
            Z = Z_rows.reshape(*geometry.output_shape, images, -1)
            Z = Z.transpose(dims, dims + 1, *range(dims))
        else:  # (N, out..., F) in memory
            Z = Z_rows.reshape(images, *geometry.output_shape, -1)
            Z = Z.transpose(0, dims + 1, *range(1, dims + 1))
        self._cache = (X.shape, columns)
        return Z

    def backward(
        self, dZ: np.ndarray, W: np.ndarray, input_gradient: bool = True
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """``(dX, dW, db)`` from dCost/dZ; dX is None when ``input_gradient`` is False."""
        assert self._cache is not None, "backward before forward"
        input_shape, columns = self._cache
        geometry, dims = self.geometry, self.geometry.dims
        images, channels = input_shape[:2]
        spatial = tuple(range(2, dims + 2))
        kernel_last = (len(W), *geometry.kernel_shape, channels)
        if channels == 1:  # rows (i..., n), as in forward
            dZ_rows = dZ.transpose(*spatial, 0, 1).reshape(-1, len(W))
            # the columns are a transposed view; BLAS is faster on the product written this way
            dW = (columns.T @ dZ_rows).T.reshape(kernel_last)
        else:
            dZ_rows = dZ.transpose(0, *spatial, 1).reshape(-1, len(W))
            dW = (dZ_rows.T @ columns).reshape(kernel_last)
        dW = np.ascontiguousarray(np.moveaxis(dW, -1, 1))
        # a matrix-vector product sums the rows five times faster than .sum(axis=0)
        ones = self.workspace.get("ones", (len(dZ_rows),), dZ_rows.dtype)
        ones.fill(1)
        db = ones @ dZ_rows
        if not input_gradient:
            return None, dW, db
        if channels == 1:
            dZ_rows = np.ascontiguousarray(dZ.transpose(0, *spatial, 1)).reshape(-1, len(W))
        return self._adjoint_rows(dZ_rows, W, images), dW, db

    def adjoint(self, dZ: np.ndarray, W: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dZ alone (no forward needed): the transposed convolution."""
        spatial = tuple(range(2, self.geometry.dims + 2))
        dZ_rows = np.ascontiguousarray(dZ.transpose(0, *spatial, 1)).reshape(-1, len(W))
        return self._adjoint_rows(dZ_rows, W, len(dZ))

    def _adjoint_rows(self, dZ_rows: np.ndarray, W: np.ndarray, images: int) -> np.ndarray:
        """col2im of dZ given as rows (n, i...) by F: dX, ``(N, C, *input_shape)``, channels last."""
        geometry, dims = self.geometry, self.geometry.dims
        padded = (images, *geometry.padded_shape)
        dX_last = col2im_channels_last(dZ_rows, W, padded, geometry)
        dX_last = dX_last[(slice(None), *geometry.interior())]
        return dX_last.transpose(0, dims + 1, *range(1, dims + 1))
