"""A convolution layer's three products by the convolution theorem (stride 1 only).

With ``F`` the 2-D discrete Fourier transform over a length ``L >= padded size``
(so that no product wraps around), and ``*`` complex conjugation:

* forward, a cross-correlation: ``F(Z) = sum_c F(X_c) * F(W_fc)*``;
* input gradient, a full convolution: ``F(dX_c) = sum_f F(dZ_f) F(W_fc)``;
* weight gradient, a cross-correlation: ``F(dW_fc) = sum_n F(X_nc) F(dZ_nf)*``.

Each sum is, at every frequency, a small complex matrix product, so the three
of them are one batched ``matmul`` each over the ``L_h x (L_w // 2 + 1)``
frequencies of a real FFT. Arrays here keep the two spatial axes *first*:
``(height, width, images, channels)``. Then ``scipy.fft`` writes the spectra
directly as a stack of ``(images, channels)`` matrices, one per frequency,
and nothing needs to be transposed between the FFTs and the products.

For kernels of 5x5 and more this takes fewer operations than im2col and GEMM:
about ``log L`` work per pixel and channel for the transforms, instead of
``kernel_height * kernel_width`` multiplications per pixel and channel pair.
"""

from __future__ import annotations

import numpy as np
import scipy.fft


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


def spectra(spatial_first: np.ndarray, lengths: tuple[int, int]) -> np.ndarray:
    """Real FFT over the first two axes, zero-padded to ``lengths``.

    Parameters
    ----------
    spatial_first : ndarray, shape (height, width, A, B)
    lengths : (int, int)

    Returns
    -------
    ndarray, complex, shape (L_h * (L_w // 2 + 1), A, B)
        One ``(A, B)`` matrix per frequency.
    """
    result = scipy.fft.rfft2(spatial_first, s=lengths, axes=(0, 1))
    return result.reshape(-1, *spatial_first.shape[2:])


def inverse(frequencies: np.ndarray, lengths: tuple[int, int], rows: slice, columns: slice):
    """Back from :func:`spectra`, keeping only ``rows`` and ``columns``: (rows, columns, A, B).

    The inverse runs along the height first, so the width transforms are done
    for the kept rows only.
    """
    length_height, length_width = lengths
    stacked = frequencies.reshape(length_height, length_width // 2 + 1, *frequencies.shape[1:])
    kept_rows = scipy.fft.ifft(stacked, axis=0)[rows]
    return scipy.fft.irfft(kept_rows, n=length_width, axis=1)[:, columns]


def kernel_spectra(W: np.ndarray, lengths: tuple[int, int]) -> np.ndarray:
    """Spectra of the kernels ``W`` (F, C, kh, kw): shape (frequencies, C, F).

    Along the width first: a kernel has few rows, and the zero rows that pad
    it to ``L_h`` need no width transform.
    """
    length_height, length_width = lengths
    along_width = scipy.fft.rfft(W.transpose(2, 3, 1, 0), n=length_width, axis=1)
    result = scipy.fft.fft(along_width, n=length_height, axis=0)
    return result.reshape(-1, *result.shape[2:])


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
