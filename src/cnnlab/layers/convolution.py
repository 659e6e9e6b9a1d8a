"""Convolution2DLayer: a 2-D cross-correlation over all input channels, then an activation.

Forward, for image n and feature map f::

    Z[n, f, i, j] = b[f] + sum_{c, p, q} X[n, c, i*v_stride + p, j*h_stride + q] * W[f, c, p, q]
    A = act_func(Z)

The fast path copies every window into one matrix (im2col, channels last) and
does one GEMM per direction; col2im is a loop over the kernel offsets. Kernels
of 5x5 and more with stride 1 go through the convolution theorem instead
(``cnnlab.fftconv``): fewer operations there. ``optimized=False`` runs the
plain loops of ``cnnlab.reference``.
Unlike the notes' code, Z is not divided by the kernel height.
"""

from __future__ import annotations

import numpy as np

from cnnlab import fftconv, reference
from cnnlab._validation import check_choice, check_int
from cnnlab.activations import LRELU, Activation, get_activation
from cnnlab.initializers import initial_weights
from cnnlab.layers.base import Layer
from cnnlab.ops import (
    check_pad,
    col2im_channels_last,
    im2col_channels_last,
    im2col_spatial_first,
    output_size,
    pad_channels_last,
    pad_images,
    resolve_padding,
)

ALGORITHMS = ("auto", "im2col", "fft")


class Convolution2DLayer(Layer):
    """Convolutional layer with ``feature_maps`` kernels of ``kernel_height x kernel_width``.

    Parameters
    ----------
    input_channels : int
        Channels of the input (1 for grayscale, 3 for RGB).
    feature_maps : int
        Number of kernels, hence output channels.
    kernel_height, kernel_width : int
        Kernel size; rectangular kernels are fine.
    v_stride, h_stride : int
        Vertical and horizontal strides.
    pad : {"same", "valid"} or int
        "same" (TensorFlow's rule: output ``ceil(n / stride)``), "valid" (no
        padding) or a symmetric zero padding in pixels.
    act_func : Activation or str
        Activation applied to the output.
    optimized : bool
        True: the fast path. False: the plain loops in ``cnnlab.reference``.
    algorithm : {"auto", "im2col", "fft"}
        Keyword-only; the fast path's method. "fft" needs strides of 1.
        "auto" decides when the layer is built (``fftconv.prefers_fft``): "fft" for
        stride-1 kernels of 5x5 over 8 channels or more, and of 3x3 over 32
        channels or more on images up to about 28x28, where it is faster.

    Notes
    -----
    Input (N, input_channels, H, W); output (N, feature_maps, H_out, W_out).
    ``params["W"]`` is (feature_maps, input_channels, kernel_height, kernel_width),
    PyTorch's layout, and ``params["b"]`` is (feature_maps,).
    """

    def __init__(
        self,
        input_channels: int = 1,
        feature_maps: int = 1,
        kernel_height: int = 3,
        kernel_width: int = 3,
        v_stride: int = 1,
        h_stride: int = 1,
        pad: str | int = "same",
        act_func: Activation | str = LRELU,
        optimized: bool = True,
        *,
        algorithm: str = "auto",
    ) -> None:
        super().__init__()
        self.input_channels = check_int(input_channels, "input_channels")
        self.feature_maps = check_int(feature_maps, "feature_maps")
        self.kernel_height = check_int(kernel_height, "kernel_height")
        self.kernel_width = check_int(kernel_width, "kernel_width")
        self.v_stride = check_int(v_stride, "v_stride")
        self.h_stride = check_int(h_stride, "h_stride")
        self.pad = check_pad(pad)
        self.act_func = get_activation(act_func)
        if not self.act_func.elementwise:
            raise ValueError(f"act_func of a convolution must be elementwise, got {self.act_func}")
        self.optimized = bool(optimized)
        self.algorithm = check_choice(algorithm, "algorithm", ALGORITHMS)
        strided = (self.v_stride, self.h_stride) != (1, 1)
        if self.algorithm == "fft" and strided:
            raise ValueError(
                f"algorithm='fft' needs v_stride=h_stride=1, got v_stride={self.v_stride}, "
                f"h_stride={self.h_stride}; use algorithm='im2col' for strided convolutions"
            )
        # "auto" decides at build time, when the image size is known
        self.uses_fft = self.optimized and self.algorithm == "fft"
        self._cache = None

    def _build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(
                f"Convolution2DLayer expects images of shape (channels, height, width), got "
                f"input shape {input_shape}; reshape flat data to (N, C, H, W)"
            )
        channels, height, width = input_shape
        if channels != self.input_channels:
            raise ValueError(
                f"Convolution2DLayer has input_channels={self.input_channels}, but its input "
                f"has {channels} channels (input shape {input_shape})"
            )
        self.padding = (
            resolve_padding(self.pad, height, self.kernel_height, self.v_stride),
            resolve_padding(self.pad, width, self.kernel_width, self.h_stride),
        )
        padded_height = height + sum(self.padding[0])
        padded_width = width + sum(self.padding[1])
        self.padded_size = (padded_height, padded_width)
        if self.kernel_height > padded_height or self.kernel_width > padded_width:
            raise ValueError(
                f"kernel {self.kernel_height}x{self.kernel_width} is larger than the padded "
                f"input {padded_height}x{padded_width} (input {height}x{width}, pad={self.pad!r});"
                f" use a smaller kernel or pad='same'"
            )
        # fixed by the shapes, so worked out once rather than on every batch
        self.transform_lengths = tuple(
            fftconv.transform_length(size, padding, kernel_size)
            for size, padding, kernel_size in zip(
                self.padded_size, self.padding, (self.kernel_height, self.kernel_width), strict=True
            )
        )
        if self.optimized and self.algorithm == "auto":
            area = self.kernel_height * self.kernel_width
            stride_one = (self.v_stride, self.h_stride) == (1, 1)
            self.uses_fft = stride_one and fftconv.prefers_fft(
                area, area * self.input_channels, self.transform_lengths
            )
        fan_in = self.input_channels * self.kernel_height * self.kernel_width
        fan_out = self.feature_maps * self.kernel_height * self.kernel_width
        shape = (self.feature_maps, self.input_channels, self.kernel_height, self.kernel_width)
        self.params = {
            "W": initial_weights(shape, fan_in, fan_out, self.act_func, rng, dtype),
            "b": np.zeros(self.feature_maps, dtype=dtype),
        }
        return (
            self.feature_maps,
            output_size(padded_height, self.kernel_height, self.v_stride),
            output_size(padded_width, self.kernel_width, self.h_stride),
        )

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map (N, C, H, W) to (N, feature_maps, H_out, W_out)."""
        self._check_input(X)
        W, b = self.params["W"], self.params["b"]
        if not self.optimized:
            X_padded = pad_images(X, self.padding)
            Z = reference.conv2d_forward(X_padded, W, b, self.v_stride, self.h_stride)
            A = self.act_func(Z)
            self._cache = (X_padded, Z, A)
            return A
        if self.uses_fft:
            return self._forward_fft(X, W, b)
        # The GEMMs run channels-last: each window row is (p, q, channel) with the channels
        # contiguous, and the rows are ordered (n, i, j). A single channel is copied offset
        # by offset instead, with rows ordered (i, j, n). The result is returned as an
        # (N, F, H, W) view of that memory, which the next layer takes as it is.
        _, out_height, out_width = self.output_shape
        rows = len(X) * out_height * out_width
        width = self.kernel_height * self.kernel_width * self.input_channels
        sizes = (self.kernel_height, self.kernel_width, self.v_stride, self.h_stride)
        scratch = self.workspace("columns", (rows * width,), X.dtype)
        spatial_first = self.input_channels == 1
        if spatial_first:
            X_spatial = pad_channels_last(X[None, :, 0].transpose(0, 2, 3, 1), self.padding)[0]
            columns = im2col_spatial_first(X_spatial, *sizes, out=scratch)
            padded_shape = (len(X), *X_spatial.shape[:2], 1)
        else:
            X_last = pad_channels_last(X.transpose(0, 2, 3, 1), self.padding)
            columns = im2col_channels_last(X_last, *sizes, out=scratch)
            padded_shape = X_last.shape
        Z = np.matmul(
            columns,
            self._weight_rows().T,
            out=self.workspace("Z", (rows, self.feature_maps), X.dtype),
        )
        Z += b
        if spatial_first:
            Z = Z.reshape(out_height, out_width, len(X), -1).transpose(2, 3, 0, 1)
        else:
            Z = Z.reshape(len(X), out_height, out_width, -1).transpose(0, 3, 1, 2)
        A = self.act_func(Z)
        if A is Z:  # identity: the output must not be the workspace the next batch overwrites
            A = Z.copy(order="K")
        self._cache = (padded_shape, columns, Z, A)
        return A

    def backward(self, delta: np.ndarray) -> np.ndarray | None:
        """Fill ``grads`` with dCost/dW and dCost/db; return dCost/dX, shape (N, C, H, W).

        Returns None when ``compute_input_gradient`` is False (the first layer).
        """
        self._need_forward(self._cache)
        W = self.params["W"]
        if not self.optimized:
            X_padded, Z, A = self._cache
            dZ = self.act_func.backward(delta, Z, A)
            dX_padded, self.grads["W"], self.grads["b"] = reference.conv2d_backward(
                X_padded, W, dZ, self.v_stride, self.h_stride
            )
            return self._crop(dX_padded)
        if self.uses_fft:
            return self._backward_fft(delta)
        padded_shape, columns, Z, A = self._cache
        dZ = self.act_func.backward(delta, Z, A)
        images, _, out_height, out_width = dZ.shape
        spatial_first = self.input_channels == 1  # rows (i, j, n), as in forward
        dZ_rows = dZ.transpose(*((2, 3, 0, 1) if spatial_first else (0, 2, 3, 1)))
        dZ_rows = dZ_rows.reshape(-1, self.feature_maps)
        # Single-channel columns are a transposed (Fortran-ordered) view, and BLAS is
        # faster on the product written the other way round; both are dZ^T @ columns.
        if spatial_first:
            weight_gradient = (columns.T @ dZ_rows).T
        else:
            weight_gradient = dZ_rows.T @ columns
        weight_gradient = weight_gradient.reshape(
            self.feature_maps, self.kernel_height, self.kernel_width, self.input_channels
        )
        self.grads["W"] = np.ascontiguousarray(weight_gradient.transpose(0, 3, 1, 2))
        # A matrix-vector product sums the rows five times faster than .sum(axis=0).
        ones = self.workspace("ones", (len(dZ_rows),), dZ_rows.dtype)
        ones.fill(1)
        self.grads["b"] = ones @ dZ_rows
        if not self.compute_input_gradient:
            return None
        dX_last = col2im_channels_last(
            np.ascontiguousarray(dZ.transpose(0, 2, 3, 1)),
            W,
            padded_shape,
            self.v_stride,
            self.h_stride,
        )
        return self._crop(dX_last.transpose(0, 3, 1, 2))

    def _forward_fft(self, X, W, b):
        """Forward by the convolution theorem, spatial axes first: (H, W, N, C) in memory."""
        (top, _), (left, _) = self.padding
        _, out_height, out_width = self.output_shape
        lengths = self.transform_lengths
        image_spectra = fftconv.spectra(X.transpose(2, 3, 0, 1), lengths, offset=(top, left))
        weight_spectra = fftconv.kernel_spectra(W, lengths)
        Z = fftconv.forward(image_spectra, weight_spectra, lengths, out_height, out_width)
        Z = Z.transpose(2, 3, 0, 1) + b[:, None, None]  # (N, F, H_out, W_out), compact
        A = self.act_func(Z)
        self._cache = (image_spectra, weight_spectra, Z, A)
        return A

    def _backward_fft(self, delta):
        image_spectra, weight_spectra, Z, A = self._cache
        dZ = self.act_func.backward(delta, Z, A)
        lengths = self.transform_lengths
        output_spectra = fftconv.spectra(dZ.transpose(2, 3, 0, 1), lengths)
        self.grads["W"] = fftconv.weight_gradient(
            output_spectra, image_spectra, lengths, self.kernel_height, self.kernel_width
        )
        self.grads["b"] = dZ.sum(axis=(0, 2, 3))
        if not self.compute_input_gradient:
            return None
        (top, _), (left, _) = self.padding
        _, height, width = self.input_shape
        dX = fftconv.input_gradient(
            output_spectra, weight_spectra, lengths,
            slice(top, top + height), slice(left, left + width),
        )  # fmt: skip
        return dX.transpose(2, 3, 0, 1)

    def _weight_rows(self) -> np.ndarray:
        """W as (feature_maps, kernel_height * kernel_width * input_channels), channels last."""
        return self.params["W"].transpose(0, 2, 3, 1).reshape(self.feature_maps, -1)

    def _crop(self, dX_padded: np.ndarray) -> np.ndarray:
        (top, _), (left, _) = self.padding
        _, height, width = self.input_shape
        return dX_padded[:, :, top : top + height, left : left + width]

    def config(self) -> dict:
        return {
            "input_channels": self.input_channels,
            "feature_maps": self.feature_maps,
            "kernel_height": self.kernel_height,
            "kernel_width": self.kernel_width,
            "v_stride": self.v_stride,
            "h_stride": self.h_stride,
            "pad": self.pad,
            "act_func": self.act_func.__name__,
            "optimized": self.optimized,
            "algorithm": self.algorithm,
        }

    def describe(self) -> str:
        return (
            f"Conv2D {self.feature_maps}x{self.kernel_height}x{self.kernel_width} "
            f"s{self.v_stride}x{self.h_stride} {self.act_func}"
        )
