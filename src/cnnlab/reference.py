"""Plain-loop convolution and pooling: slow, readable, and the oracle for the fast path.

Everything here loops over images, feature maps and output pixels, one window
at a time, exactly as the math is written. ``Convolution2DLayer(optimized=False)``
runs these functions; the tests check the fast layers against them.

Shapes: ``X`` is (N, C, H, W) and already padded; ``W`` is
(feature_maps, C, kernel_height, kernel_width); strides are (v_stride, h_stride).
"""

from __future__ import annotations

import numpy as np


def conv2d_forward(X, W, b, v_stride, h_stride):
    """Cross-correlation ``Z[n, f, i, j] = sum(X[n, :, window(i, j)] * W[f]) + b[f]``."""
    images, _, height, width = X.shape
    feature_maps, _, kernel_height, kernel_width = W.shape
    out_height = (height - kernel_height) // v_stride + 1
    out_width = (width - kernel_width) // h_stride + 1
    Z = np.zeros((images, feature_maps, out_height, out_width), dtype=X.dtype)
    for n in range(images):
        for f in range(feature_maps):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * v_stride, j * h_stride
                    window = X[n, :, top : top + kernel_height, left : left + kernel_width]
                    Z[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return Z


def conv2d_backward(X, W, dZ, v_stride, h_stride):
    """Gradients ``(dX, dW, db)`` of the cross-correlation, given ``dZ`` = dCost/dZ."""
    _, _, kernel_height, kernel_width = W.shape
    images, feature_maps, out_height, out_width = dZ.shape
    dX = np.zeros_like(X)
    dW = np.zeros_like(W)
    db = np.zeros(feature_maps, dtype=W.dtype)
    for n in range(images):
        for f in range(feature_maps):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * v_stride, j * h_stride
                    rows = slice(top, top + kernel_height)
                    cols = slice(left, left + kernel_width)
                    dW[f] += dZ[n, f, i, j] * X[n, :, rows, cols]
                    dX[n, :, rows, cols] += dZ[n, f, i, j] * W[f]
                    db[f] += dZ[n, f, i, j]
    return dX, dW, db


def pool2d_forward(X, kernel_height, kernel_width, v_stride, h_stride, pooling):
    """Max or average of each window; no padding."""
    images, channels, height, width = X.shape
    out_height = (height - kernel_height) // v_stride + 1
    out_width = (width - kernel_width) // h_stride + 1
    out = np.zeros((images, channels, out_height, out_width), dtype=X.dtype)
    reduce = np.max if pooling == "max" else np.mean
    for n in range(images):
        for c in range(channels):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * v_stride, j * h_stride
                    window = X[n, c, top : top + kernel_height, left : left + kernel_width]
                    out[n, c, i, j] = reduce(window)
    return out


def pool2d_backward(X, delta, kernel_height, kernel_width, v_stride, h_stride, pooling):
    """dCost/dX of pooling. Max sends each window's gradient to its first maximum."""
    images, channels, out_height, out_width = delta.shape
    dX = np.zeros_like(X)
    for n in range(images):
        for c in range(channels):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * v_stride, j * h_stride
                    rows = slice(top, top + kernel_height)
                    cols = slice(left, left + kernel_width)
                    if pooling == "max":
                        window = X[n, c, rows, cols]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        dX[n, c, top + r, left + s] += delta[n, c, i, j]
                    else:
                        dX[n, c, rows, cols] += delta[n, c, i, j] / (kernel_height * kernel_width)
    return dX
