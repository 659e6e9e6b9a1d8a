"""The convolution by the convolution theorem (stride 1, zero padding).

With ``F`` the discrete Fourier transform over lengths ``L`` long enough that
no window wraps onto data (:func:`~cnnlab.conv.fourier.transform_length`), and
``*`` complex conjugation, at every frequency:

* forward, a cross-correlation: ``F(Z) = sum_c F(X_c) F(W_fc)*``;
* input gradient, a full convolution: ``F(dX_c) = sum_f F(dZ_f) F(W_fc)``;
* weight gradient, a cross-correlation: ``F(dW_fc) = sum_n F(X_nc) F(dZ_nf)*``.

Each sum is a small complex matrix product per frequency, so each of the three
is one batched ``matmul`` over the frequencies of a real transform
(``cnnlab.conv.fourier``). For kernels of 5x5 and more, or 3x3 over many
channels, that takes fewer operations than im2col: the transforms cost a few
operations per pixel and channel, the products one complex multiplication per
frequency and channel pair, instead of ``prod(kernel_shape)`` multiplications
per pixel and channel pair. :func:`prefers_fft` says where it pays.

The output is an ``(N, F, ...)`` view of spatial-axes-first memory (see
``cnnlab.conv.layout``).
"""

from __future__ import annotations

import math

import numpy as np

from cnnlab.conv.fourier import by_matrices, inverse, spectra, transform_length
from cnnlab.conv.geometry import Geometry

#: "auto" takes the FFT from this kernel size (5x5) and this GEMM depth (input channels
#: times kernel size) up: measured on 2 cores, im2col and GEMM win below either
FFT_MIN_KERNEL_SIZE = 25
FFT_MIN_DEPTH = 200
#: and for 3x3 kernels from this depth (32 channels) up, when the transforms run as DFT
#: matrices (images up to about 28x28): 15-35 % faster there, but 2-3x slower by FFTs
FFT_MIN_DEPTH_3X3 = 288


def transform_lengths(geometry: Geometry) -> tuple[int, ...]:
    """The transform length of every spatial axis: the shortest that is exact."""
    return tuple(
        transform_length(size, padding, kernel)
        for size, padding, kernel in zip(
            geometry.padded_shape, geometry.padding, geometry.kernel_shape, strict=True
        )
    )


def prefers_fft(geometry: Geometry, input_channels: int) -> bool:
    """Whether "auto" takes the convolution theorem for this convolution.

    Only for unit strides. The thresholds were measured on 2 cores for 2-D
    convolutions as training runs a layer: one thread on half a batch of 64,
    forward and backward together (``bench/layers.py`` times whole batches on
    BLAS's threads instead, where the DFT path of small kernels looks worse).
    """
    if not geometry.unit_strides or geometry.dilated:
        return False
    kernel_size = math.prod(geometry.kernel_shape)
    depth = kernel_size * input_channels
    if kernel_size >= FFT_MIN_KERNEL_SIZE and depth >= FFT_MIN_DEPTH:
        return True
    small_images = by_matrices(transform_lengths(geometry))
    return kernel_size >= 9 and depth >= FFT_MIN_DEPTH_3X3 and small_images


class FFT:
    """The convolution by the convolution theorem; unit strides, zero padding.

    Parameters
    ----------
    geometry : Geometry
    """

    name = "fft"

    def __init__(self, geometry: Geometry) -> None:
        if not geometry.unit_strides or geometry.dilated:
            raise ValueError(
                f"algorithm='fft' needs strides and dilations of 1, got strides "
                f"{geometry.strides} and dilations {geometry.dilations}; use algorithm='im2col'"
            )
        self.geometry = geometry
        #: fixed by the shapes, so worked out once rather than on every batch
        self.lengths = transform_lengths(geometry)
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def forward(self, X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """``Z = conv(X, W) + b``: ``(N, C, *input_shape)`` to ``(N, F, *output_shape)``."""
        geometry, dims = self.geometry, self.geometry.dims
        spatial = tuple(range(2, dims + 2))
        before = tuple(pair[0] for pair in geometry.padding)
        image_spectra = spectra(X.transpose(*spatial, 0, 1), self.lengths, before)  # (K, N, C)
        weight_spectra = spectra(W.transpose(*spatial, 1, 0), self.lengths)  # (K, C, F)
        kept = tuple(slice(0, n) for n in geometry.output_shape)
        Z = inverse(image_spectra @ weight_spectra.conj(), self.lengths, kept)  # (out..., N, F)
        self._cache = (image_spectra, weight_spectra)
        return Z.transpose(dims, dims + 1, *range(dims)) + b.reshape(-1, *(1,) * dims)

    def backward(
        self, dZ: np.ndarray, W: np.ndarray, input_gradient: bool = True
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """``(dX, dW, db)`` from dCost/dZ; dX is None when ``input_gradient`` is False."""
        assert self._cache is not None, "backward before forward"
        image_spectra, weight_spectra = self._cache
        geometry, dims = self.geometry, self.geometry.dims
        spatial = tuple(range(2, dims + 2))
        output_spectra = spectra(dZ.transpose(*spatial, 0, 1), self.lengths)  # (K, N, F)
        product = output_spectra.conj().transpose(0, 2, 1) @ image_spectra
        kernel = tuple(slice(0, k) for k in geometry.kernel_shape)
        dW = inverse(product, self.lengths, kernel)  # (kernel..., F, C)
        dW = np.ascontiguousarray(dW.transpose(dims, dims + 1, *range(dims)))
        db = dZ.sum(axis=(0, *spatial))
        if not input_gradient:
            return None, dW, db
        return self._input_gradient(output_spectra, weight_spectra), dW, db

    def adjoint(self, dZ: np.ndarray, W: np.ndarray) -> np.ndarray:
        """dCost/dX from dCost/dZ alone (no forward needed): the transposed convolution."""
        spatial = tuple(range(2, self.geometry.dims + 2))
        output_spectra = spectra(dZ.transpose(*spatial, 0, 1), self.lengths)  # (K, N, F)
        weight_spectra = spectra(W.transpose(*spatial, 1, 0), self.lengths)  # (K, C, F)
        return self._input_gradient(output_spectra, weight_spectra)

    def _input_gradient(self, output_spectra, weight_spectra) -> np.ndarray:
        dims = self.geometry.dims
        product = output_spectra @ weight_spectra.transpose(0, 2, 1)
        dX = inverse(product, self.lengths, self.geometry.interior())  # (input..., N, C)
        return dX.transpose(dims, dims + 1, *range(dims))
