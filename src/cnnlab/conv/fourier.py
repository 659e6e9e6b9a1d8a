"""Real discrete Fourier transforms over the leading (spatial) axes of an array, for ``fft``.

Arrays here keep the spatial axes *first*: ``(*spatial, A, B)``. Then a
transform writes its spectrum directly as a stack of ``(A, B)`` matrices, one
per frequency, and the products of the convolution theorem are one batched
``matmul`` with nothing transposed in between.

A CNN's images are small, and a transform of length 16 is just a product with
a 16 x 16 matrix of roots of unity (:func:`dft_matrix`). Up to
``MATRIX_MAX_LENGTH`` the transforms run that way, axis by axis: BLAS
multiplies those small matrices 1.3 to 2 times faster than an FFT runs on such
short lines (measured on 2 cores), the input's padding costs nothing (the
matrix starts at the first real sample), and the inverse computes only the
positions that are kept. Longer transforms go through ``scipy.fft``; the two
agree to rounding (tested).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import scipy.fft

#: transforms up to this length are products with DFT matrices, longer ones FFTs:
#: measured on 2 cores, matrices win 2x at 8, 1.3x at 24 and lose from about 32
MATRIX_MAX_LENGTH = 30


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
    the adjoints of the same circular map, hence exact with the same ``L``,
    provided the kernel fits too (``L >= kernel_size``, for the weight
    gradient's ``kernel_size`` positions; it matters only for kernels larger
    than the input).
    """
    before, after = padding
    shortest = max(padded_size - min(before, after, kernel_size - 1), kernel_size)
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


@functools.lru_cache(maxsize=256)
def half_spectrum_inverse(length: int, first: int, count: int, dtype: str) -> np.ndarray:
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


def by_matrices(lengths: tuple[int, ...]) -> bool:
    """Whether transforms of these lengths run as DFT-matrix products (else ``scipy.fft``)."""
    return max(lengths) <= MATRIX_MAX_LENGTH


def _along(matrix: np.ndarray, array: np.ndarray, before: int) -> np.ndarray:
    """``matrix`` applied to axis ``before`` of ``array``; that axis gets ``len(matrix)`` entries."""
    leading = math.prod(array.shape[:before])
    stacked = array.reshape(leading, array.shape[before], -1)
    product = matrix @ (stacked[0] if leading == 1 else stacked)
    return product.reshape(*array.shape[:before], len(matrix), *array.shape[before + 1 :])


def spectra(
    spatial_first: np.ndarray, lengths: tuple[int, ...], offset: tuple[int, ...] | None = None
) -> np.ndarray:
    """Real DFT over the first ``len(lengths)`` axes, of zero-padded input.

    Parameters
    ----------
    spatial_first : ndarray, shape ``(*spatial, A, B)``
    lengths : tuple of int
        Transform lengths, at least ``offset + spatial`` each.
    offset : tuple of int, optional
        Zeros before the input along each axis (the padding before it).

    Returns
    -------
    ndarray, complex, shape (prod(lengths[:-1]) * (lengths[-1] // 2 + 1), A, B)
        One ``(A, B)`` matrix per frequency. A real input's spectrum is
        conjugate-symmetric, so only ``L // 2 + 1`` frequencies of the last axis
        are kept, as ``scipy.fft.rfftn`` does.
    """
    dims = len(lengths)
    spatial, rest = spatial_first.shape[:dims], spatial_first.shape[dims:]
    offset = offset or (0,) * dims
    if not by_matrices(lengths):
        padded = np.zeros((*(o + n for o, n in zip(offset, spatial, strict=True)), *rest),
                          spatial_first.dtype)  # fmt: skip
        padded[tuple(slice(o, None) for o in offset)] = spatial_first
        # the last axis first: only the lines that hold data need that transform
        result = scipy.fft.rfft(padded, n=lengths[-1], axis=dims - 1)
        for axis in reversed(range(dims - 1)):
            result = scipy.fft.fft(result, n=lengths[axis], axis=axis)
        return result.reshape(-1, *rest)
    dtype = "complex64" if spatial_first.dtype == np.float32 else "complex128"
    samples = np.ascontiguousarray(spatial_first).reshape(*spatial, -1)
    last = dft_matrix(lengths[-1], lengths[-1] // 2 + 1, offset[-1], spatial[-1], dtype)
    # real data times a complex matrix: two real products, then one complex array
    real = np.matmul(last.real, samples)
    imaginary = np.matmul(last.imag, samples)
    result = np.empty(real.shape, dtype)
    result.real, result.imag = real, imaginary
    for axis in reversed(range(dims - 1)):
        matrix = dft_matrix(lengths[axis], lengths[axis], offset[axis], spatial[axis], dtype)
        result = _along(matrix, result, axis)
    return result.reshape(-1, *rest)


def inverse(
    frequencies: np.ndarray, lengths: tuple[int, ...], keep: tuple[slice, ...]
) -> np.ndarray:
    """Back from :func:`spectra`, keeping only the positions ``keep``: ``(*kept, A, B)``.

    The inverse runs along the first axis first, so each later transform is done
    for the kept lines only; by matrices, only the kept positions are computed.
    """
    dims, rest = len(lengths), frequencies.shape[1:]
    half = lengths[-1] // 2 + 1
    stacked = frequencies.reshape(*lengths[:-1], half, *rest)
    kept = [range(length)[part] for length, part in zip(lengths, keep, strict=True)]
    if not by_matrices(lengths):
        for axis in range(dims - 1):
            stacked = scipy.fft.ifft(stacked, axis=axis)[(slice(None),) * axis + (keep[axis],)]
        result = scipy.fft.irfft(stacked, n=lengths[-1], axis=dims - 1)
        return result[(slice(None),) * (dims - 1) + (keep[-1],)]
    dtype = frequencies.dtype.name
    for axis in range(dims - 1):
        matrix = dft_matrix(lengths[axis], lengths[axis], kept[axis].start, len(kept[axis]),
                            dtype, True)  # fmt: skip
        stacked = _along(matrix, stacked, axis)
    last = half_spectrum_inverse(lengths[-1], kept[-1].start, len(kept[-1]), dtype)
    leading = math.prod(len(k) for k in kept[:-1])
    result = np.matmul(last, stacked.reshape(leading, half, -1)).real
    return result.reshape(*(len(k) for k in kept), *rest)
