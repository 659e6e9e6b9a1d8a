"""A convolution layer's three products by the convolution theorem (stride 1 only).

With ``F`` the 2-D discrete Fourier transform over lengths ``L`` long enough
that no window wraps onto data (:func:`transform_length`), and ``*`` complex
conjugation:

* forward, a cross-correlation: ``F(Z) = sum_c F(X_c) * F(W_fc)*``;
* input gradient, a full convolution: ``F(dX_c) = sum_f F(dZ_f) F(W_fc)``;
* weight gradient, a cross-correlation: ``F(dW_fc) = sum_n F(X_nc) F(dZ_nf)*``.

Each sum is, at every frequency, a small complex matrix product, so the three
of them are one batched ``matmul`` each over the ``L_h x (L_w // 2 + 1)``
frequencies of a real FFT. Arrays here keep the two spatial axes *first*:
``(height, width, images, channels)``. Then ``scipy.fft`` writes the spectra
directly as a stack of ``(images, channels)`` matrices, one per frequency,
and nothing needs to be transposed between the transforms and the products.

For kernels of 5x5 and more, or 3x3 over many channels, this takes fewer
operations than im2col and GEMM: the transforms cost a few operations per
pixel and channel, and the products one complex multiplication per frequency
and channel pair, instead of ``kernel_height * kernel_width`` multiplications
per pixel and channel pair (:func:`prefers_fft` says where it pays).

A CNN's images are small, and a transform of length 16 is just a product with
a 16 x 16 matrix of roots of unity (:func:`dft_matrix`). Up to
``MATRIX_MAX_LENGTH`` the transforms run that way: BLAS multiplies those small
matrices 1.3 to 2 times faster than an FFT runs on such short lines (measured
on 2 cores), the input's padding costs nothing (the matrix starts at the first
real pixel), and the inverse computes only the rows and columns that are kept.
Longer transforms go through ``scipy.fft``; the two agree to rounding (tested).
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.fft

#: transforms up to this length are products with DFT matrices, longer ones FFTs:
#: measured on 2 cores, matrices win 2x at 8, 1.3x at 24 and lose from about 32
MATRIX_MAX_LENGTH = 30


#: "auto" takes the FFT from this kernel area (5x5) and this GEMM depth (input channels
#: times kernel area) up: measured on 2 cores, im2col and GEMM win below either
FFT_MIN_KERNEL_AREA = 25
FFT_MIN_DEPTH = 200
#: and for 3x3 kernels from this depth (32 channels) up, when the transforms run as DFT
#: matrices (images up to about 28x28): 15-35 % faster there, but 2-3x slower by FFTs
FFT_MIN_DEPTH_3X3 = 288


def prefers_fft(kernel_area: int, depth: int, lengths: tuple[int, int]) -> bool:
    """Whether "auto" takes the convolution theorem for a stride-1 convolution.

    ``depth`` is the input channels times ``kernel_area``; ``lengths`` are the
    transform lengths. The thresholds were measured on 2 cores as training runs
    a layer: one thread on half a batch of 64, forward and backward together
    (``bench/layers.py`` times whole batches on BLAS's threads instead, where
    the DFT path of small kernels looks worse).
    """
    if kernel_area >= FFT_MIN_KERNEL_AREA and depth >= FFT_MIN_DEPTH:
        return True
    small_images = max(lengths) <= MATRIX_MAX_LENGTH
    return kernel_area >= 9 and depth >= FFT_MIN_DEPTH_3X3 and small_images


def transform_length(padded_size: int, padding: tuple[int, int], kernel_size: int) -> int:
    """The shortest fast FFT length along one axis that gives the exact linear result.

    A transform of length ``L`` computes a *circular* correlation: window
    positions past ``L`` wrap around to the start. The zero padding need not all
    be there for that to be harmless. With the input at ``[before, before + n)``
    of a buffer of length ``L`` and zeros elsewhere, the windows of the outputs
    reach up to index ``padded_size - 1``; what wraps lands on
    ``[0, padded_size - L)``, which holds zeros as long as that is within the
    ``before`` zeros. So ``L`` must be at least ``padded_size - before`` (=
    ``n + after``), ``before + n`` (for the input to fit) and the output size
    ``padded_size - kernel_size + 1`` (outputs must not share a position), that
    is ``padded_size - min(before, after, kernel_size - 1)``. For "same"
    padding, the input size plus the larger of the two paddings: 16 instead of
    18 for a 5x5 kernel on 14x14 images. The input and weight gradients are
    the adjoints of the same circular map, hence exact with the same ``L``.
    """
    before, after = padding
    shortest = padded_size - min(before, after, kernel_size - 1)
    return scipy.fft.next_fast_len(shortest, real=True)


@functools.lru_cache(maxsize=256)
def dft_matrix(
    length: int, frequencies: int, first: int, count: int, dtype: str, inverse: bool = False
) -> np.ndarray:
    """The rows of the DFT of ``length`` that a transform needs, as a matrix.

    Forward: ``exp(-2 pi i k x / length)`` for frequencies ``k < frequencies``
    (rows) and positions ``first <= x < first + count`` (columns), so that the
    product with ``count`` samples placed at ``first`` gives their spectrum.
    Inverse: ``exp(+2 pi i k x / length) / length`` with positions as rows and
    frequencies as columns, for the ``count`` outputs that are kept. Read-only,
    and cached: the same few matrices serve every batch.
    """
    k = np.arange(frequencies)
    x = np.arange(first, first + count)
    # k * x mod length keeps the angle exact for long transforms
    angles = 2 * np.pi * (np.outer(k, x) % length) / length
    matrix = np.exp(1j * angles) / length if inverse else np.exp(-1j * angles)
    matrix = np.ascontiguousarray(matrix.T if inverse else matrix, dtype=dtype)
    matrix.flags.writeable = False
    return matrix


def _complex_dtype(dtype: np.dtype) -> str:
    return "complex64" if dtype == np.float32 else "complex128"


def _by_matrices(lengths: tuple[int, int]) -> bool:
    return max(lengths) <= MATRIX_MAX_LENGTH


def spectra(
    spatial_first: np.ndarray, lengths: tuple[int, int], offset: tuple[int, int] = (0, 0)
) -> np.ndarray:
    """Real 2-D DFT over the first two axes, of zero-padded input.

    Parameters
    ----------
    spatial_first : ndarray, shape (height, width, A, B)
    lengths : (int, int)
        Transform lengths, at least ``offset + (height, width)``.
    offset : (int, int)
        Zero rows and columns before the input (the padding before it).

    Returns
    -------
    ndarray, complex, shape (L_h * (L_w // 2 + 1), A, B)
        One ``(A, B)`` matrix per frequency. A real input's spectrum is
        conjugate-symmetric, so only ``L_w // 2 + 1`` frequencies of the width
        are kept, as ``scipy.fft.rfft2`` does.
    """
    height, width = spatial_first.shape[:2]
    length_height, length_width = lengths
    half = length_width // 2 + 1
    top, left = offset
    if not _by_matrices(lengths):
        padded = np.zeros(
            (top + height, left + width, *spatial_first.shape[2:]), spatial_first.dtype
        )
        padded[top:, left:] = spatial_first
        # along the width first: only the rows that hold data need that transform
        along_width = scipy.fft.rfft(padded, n=length_width, axis=1)
        result = scipy.fft.fft(along_width, n=length_height, axis=0)
        return result.reshape(-1, *spatial_first.shape[2:])
    dtype = _complex_dtype(spatial_first.dtype)
    samples = np.ascontiguousarray(spatial_first).reshape(height, width, -1)
    along_width = dft_matrix(length_width, half, left, width, dtype)
    # real data times a complex matrix: two real products, then one complex array
    real = np.matmul(along_width.real, samples)
    imaginary = np.matmul(along_width.imag, samples)
    combined = np.empty(real.shape, dtype)
    combined.real, combined.imag = real, imaginary
    along_height = dft_matrix(length_height, length_height, top, height, dtype)
    result = along_height @ combined.reshape(height, -1)
    return result.reshape(length_height * half, *spatial_first.shape[2:])


def inverse(frequencies: np.ndarray, lengths: tuple[int, int], rows: slice, columns: slice):
    """Back from :func:`spectra`, keeping only ``rows`` and ``columns``: (rows, columns, A, B).

    The inverse runs along the height first, so the width transforms are done
    for the kept rows only; by matrices, only the kept columns are computed.
    """
    length_height, length_width = lengths
    half = length_width // 2 + 1
    stacked = frequencies.reshape(length_height, half, *frequencies.shape[1:])
    if not _by_matrices(lengths):
        kept_rows = scipy.fft.ifft(stacked, axis=0)[rows]
        return scipy.fft.irfft(kept_rows, n=length_width, axis=1)[:, columns]
    dtype = frequencies.dtype.name
    rows = range(length_height)[rows]
    columns = range(length_width)[columns]
    along_height = dft_matrix(length_height, length_height, rows.start, len(rows), dtype, True)
    kept_rows = along_height @ stacked.reshape(length_height, -1)
    along_width = _half_spectrum_inverse(length_width, columns.start, len(columns), dtype)
    result = np.matmul(along_width, kept_rows.reshape(len(rows), half, -1)).real
    return result.reshape(len(rows), len(columns), *frequencies.shape[1:])


@functools.lru_cache(maxsize=256)
def _half_spectrum_inverse(length: int, first: int, count: int, dtype: str) -> np.ndarray:
    """The inverse DFT matrix for a real signal of which ``length // 2 + 1`` frequencies are kept.

    The missing frequencies are the conjugates of those kept, so each kept one
    counts twice, except frequency 0 and, for an even length, the last; the
    real part of the product is then the signal.
    """
    half = length // 2 + 1
    weights = np.full(half, 2.0)
    weights[0] = 1.0
    if length % 2 == 0:
        weights[-1] = 1.0
    matrix = (dft_matrix(length, half, first, count, dtype, inverse=True) * weights).astype(dtype)
    matrix.flags.writeable = False
    return matrix


def kernel_spectra(W: np.ndarray, lengths: tuple[int, int]) -> np.ndarray:
    """Spectra of the kernels ``W`` (F, C, kh, kw): shape (frequencies, C, F)."""
    return spectra(W.transpose(2, 3, 1, 0), lengths)


def forward(image_spectra, weight_spectra, lengths, out_height, out_width):
    """Z before bias, shape (out_height, out_width, N, F), from spectra (K, N, C) and (K, C, F)."""
    product = image_spectra @ weight_spectra.conj()
    return inverse(product, lengths, slice(0, out_height), slice(0, out_width))


def input_gradient(output_spectra, weight_spectra, lengths, rows, columns):
    """dCost/dX at the padded input's ``rows`` and ``columns``: (rows, columns, N, C).

    ``output_spectra`` are those of dCost/dZ, shape (K, N, F).
    """
    product = output_spectra @ weight_spectra.transpose(0, 2, 1)
    return inverse(product, lengths, rows, columns)


def weight_gradient(output_spectra, image_spectra, lengths, kernel_height, kernel_width):
    """dCost/dW, shape (F, C, kernel_height, kernel_width), from spectra (K, N, F), (K, N, C)."""
    product = output_spectra.conj().transpose(0, 2, 1) @ image_spectra
    spatial = inverse(product, lengths, slice(0, kernel_height), slice(0, kernel_width))
    return np.ascontiguousarray(spatial.transpose(2, 3, 0, 1))
