"""2-D convolution and correlation of images, by four methods.

* ``direct``: a sum over the kernel offsets of weighted, shifted (window)
  slices, each one vectorised over the whole image; ``convolve2d_loop`` is the
  readable pixel-by-pixel loop it is tested against.
* ``separable``: a rank-1 kernel (found by SVD) as a column pass then a row pass.
* ``fft``: linear convolution as a product of zero-padded spectra (scipy.fft),
  padded to fast lengths with ``scipy.fft.next_fast_len``.
* ``auto``: the cheapest of these by a cost model calibrated with
  ``cnnlab bench-conv`` on this machine.

Modes follow ``scipy.signal.convolve2d``: "full" (every overlap), "same" (the
size of the image, centred like scipy) and "valid" (full overlap only). An image
is (H, W), or (H, W, C) for a colour image, filtered channel by channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.fft
from numpy.typing import ArrayLike

from cnnlab._validation import check_array, check_choice, check_float, check_int
from cnnlab.conv.geometry import offset_slice

MODES = ("full", "same", "valid")
METHODS = ("direct", "separable", "fft", "auto")
PAD_MODES = ("zero", "reflect", "edge", "wrap")

# Seconds per unit of work, from `cnnlab bench-conv` on a 2-core x86 machine (2026-11):
# direct costs one multiply-add per kernel entry per output pixel, separable kh + kw,
# fft about N log2 N for the N padded pixels (three transforms) plus a fixed overhead.
# `cnnlab bench-conv` prints fresh values of the first three as "calibrated cost model".
COST_DIRECT = 7.4e-10
COST_SEPARABLE = 1.46e-9
COST_FFT = 4.0e-10
COST_FFT_OVERHEAD = 2.0e-5


def _check_kernel(kernel) -> np.ndarray:
    kernel = check_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(
            f"kernel must be 2-D (height, width), got {kernel.ndim}-D shape {kernel.shape}"
        )
    return kernel.astype(np.float64, copy=False)


def _check_image(image) -> np.ndarray:
    image = check_array(image, "image", ndim=(2, 3))
    return image.astype(np.float64, copy=False)


def pad(
    image: ArrayLike, kernel_shape: Sequence[int], mode: str = "zero", *, how: str = "same"
) -> np.ndarray:
    """Pad an image for a kernel of ``kernel_shape``.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    kernel_shape : tuple of int
        ``(kernel_height, kernel_width)``.
    mode : {"zero", "reflect", "edge", "wrap"}
        What fills the border: zeros (the notes' choice), a mirror image, the
        nearest edge pixel, or the opposite side.
    how : {"same", "full"}
        "same" adds ``kernel - 1`` pixels per axis (the notes' r and c for odd
        kernels), split as scipy does; "full" adds ``kernel - 1`` on each side.

    Returns
    -------
    ndarray
        The padded image, (H + r, W + c) or (H + r, W + c, C).
    """
    image = _check_image(image)
    mode = check_choice(mode, "mode", PAD_MODES)
    how = check_choice(how, "how", ("same", "full"))
    if not isinstance(kernel_shape, tuple | list) or len(kernel_shape) != 2:
        raise ValueError(f"kernel_shape must be (height, width), got {kernel_shape!r}")
    kernel_height = check_int(kernel_shape[0], "kernel_shape[0]")
    kernel_width = check_int(kernel_shape[1], "kernel_shape[1]")
    if how == "full":
        widths = [(kernel_height - 1,) * 2, (kernel_width - 1,) * 2]
    else:
        widths = [
            (kernel_height // 2, (kernel_height - 1) // 2),
            (kernel_width // 2, (kernel_width - 1) // 2),
        ]
    widths += [(0, 0)] * (image.ndim - 2)
    numpy_mode: dict[str, Literal["constant", "symmetric", "edge", "wrap"]] = {
        "zero": "constant", "reflect": "symmetric", "edge": "edge", "wrap": "wrap",
    }  # fmt: skip
    return np.pad(image, widths, mode=numpy_mode[mode])


def correlate2d(
    image: ArrayLike, kernel: ArrayLike, mode: str = "full", method: str = "auto", *,
    stride: int | tuple[int, int] = 1,
) -> np.ndarray:  # fmt: skip
    """Cross-correlation, the operation a CNN layer computes (no kernel flip).

    Same arguments and result as :func:`convolve2d`; equal to
    ``scipy.signal.correlate2d`` in every mode.
    """
    kernel = _check_kernel(kernel)
    return _filter(image, kernel[::-1, ::-1], mode, method, stride, correlate=True)


def convolve2d(
    image: ArrayLike, kernel: ArrayLike, mode: str = "full", method: str = "auto", *,
    stride: int | tuple[int, int] = 1,
) -> np.ndarray:  # fmt: skip
    """True 2-D convolution: the kernel is flipped by 180 degrees.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    kernel : array_like, shape (kernel_height, kernel_width)
    mode : {"full", "same", "valid"}
    method : {"direct", "separable", "fft", "auto"}
    stride : int or (int, int)
        Keep every stride-th output row and column (computed directly by the
        direct method, which only evaluates those positions).

    Returns
    -------
    ndarray of float64
        (H + kh - 1, W + kw - 1) for "full", (H, W) for "same",
        (H - kh + 1, W - kw + 1) for "valid", then subsampled by the stride; a
        channel axis stays last.
    """
    return _filter(image, _check_kernel(kernel), mode, method, stride, correlate=False)


def _filter(image, kernel, mode, method, stride, correlate):
    image = _check_image(image)
    mode = check_choice(mode, "mode", MODES)
    method = check_choice(method, "method", METHODS)
    v_stride, h_stride = _check_stride(stride)
    height, width = image.shape[:2]
    kernel_height, kernel_width = kernel.shape
    if mode == "valid" and (kernel_height > height or kernel_width > width):
        raise ValueError(
            f"kernel {kernel_height}x{kernel_width} is larger than the image {height}x{width} "
            f"in mode='valid'; use mode='same' or 'full', or a smaller kernel"
        )
    if method == "auto":
        method = choose_method(image.shape[:2], kernel)
    # Channels go first so that one call filters them all.
    stack = np.moveaxis(image, -1, 0) if image.ndim == 3 else image[None]
    if method == "direct":
        full = None
        result = _direct(stack, kernel, mode, (v_stride, h_stride), correlate)
    else:
        if method == "separable":
            column, row = separate(kernel)
            full = _direct(_direct(stack, column, "full"), row, "full")
        else:
            full = _fft_full(stack, kernel)
        result = _crop(full, kernel.shape, (height, width), mode, correlate)
        result = result[:, ::v_stride, ::h_stride]
    return np.moveaxis(result, 0, -1) if image.ndim == 3 else result[0]


def _check_stride(stride) -> tuple[int, int]:
    if isinstance(stride, tuple | list):
        if len(stride) != 2:
            raise ValueError(f"stride must be an int or (v_stride, h_stride), got {stride!r}")
        return check_int(stride[0], "stride[0]"), check_int(stride[1], "stride[1]")
    stride = check_int(stride, "stride")
    return stride, stride


def _crop(full, kernel_shape, image_shape, mode, correlate):
    """Cut a "full" result (..., H + kh - 1, W + kw - 1) down to ``mode``, as scipy does."""
    (kernel_height, kernel_width), (height, width) = kernel_shape, image_shape
    if mode == "full":
        return full
    if mode == "valid":
        top, left = kernel_height - 1, kernel_width - 1
        return full[
            ..., top : top + height - kernel_height + 1, left : left + width - kernel_width + 1
        ]
    top, left = _same_offset(kernel_shape, correlate)
    return full[..., top : top + height, left : left + width]


def _same_offset(kernel_shape, correlate: bool) -> tuple[int, int]:
    """Where scipy's "same" output starts inside the "full" one; it differs for correlation."""
    kernel_height, kernel_width = kernel_shape
    if correlate:
        return kernel_height // 2, kernel_width // 2
    return (kernel_height - 1) // 2, (kernel_width - 1) // 2


def _direct(stack, kernel, mode, stride=(1, 1), correlate=False):
    """Convolution of every image in ``stack`` (B, H, W), one kernel offset at a time.

    Each of the kh x kw offsets adds a weighted, strided slice of the padded
    images: no window matrix is built, so memory stays at one image even for
    large kernels (an im2col copy of a 512 x 512 image and a 41 x 41 kernel
    would take 3.5 GB).
    """
    kernel_height, kernel_width = kernel.shape
    height, width = stack.shape[1:]
    padded = stack
    if mode != "valid":
        padded = np.pad(stack, ((0, 0), (kernel_height - 1,) * 2, (kernel_width - 1,) * 2))
    if mode == "same":
        top, left = _same_offset(kernel.shape, correlate)
        padded = padded[
            :, top : top + height + kernel_height - 1, left : left + width + kernel_width - 1
        ]
    v_stride, h_stride = stride
    out_height = (padded.shape[1] - kernel_height) // v_stride + 1
    out_width = (padded.shape[2] - kernel_width) // h_stride + 1
    flipped = kernel[::-1, ::-1]  # convolution flips the kernel
    result = np.zeros((len(stack), out_height, out_width))
    for p in range(kernel_height):
        rows = offset_slice(p, out_height, v_stride)
        for q in range(kernel_width):
            cols = offset_slice(q, out_width, h_stride)
            result += flipped[p, q] * padded[:, rows, cols]
    return result


def _fft_full(stack, kernel):
    """Full linear convolution by FFT, zero-padded to fast sizes (never circular)."""
    height, width = stack.shape[1:]
    full_shape = (height + kernel.shape[0] - 1, width + kernel.shape[1] - 1)
    fast_shape = tuple(scipy.fft.next_fast_len(n, real=True) for n in full_shape)
    spectrum = scipy.fft.rfft2(stack, fast_shape) * scipy.fft.rfft2(kernel, fast_shape)
    return scipy.fft.irfft2(spectrum, fast_shape)[:, : full_shape[0], : full_shape[1]]


def separate(kernel: ArrayLike, tolerance: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Split a rank-1 kernel into a column (kh, 1) and a row (1, kw): kernel = column @ row.

    Raises
    ------
    ValueError
        If the second singular value exceeds ``tolerance`` times the first.
    """
    kernel = _check_kernel(kernel)
    check_float(tolerance, "tolerance", minimum=0.0)
    U, S, Vt = np.linalg.svd(kernel)
    if not is_separable(kernel, tolerance, singular_values=S):
        raise ValueError(
            f"kernel of shape {kernel.shape} is not separable: its singular values are "
            f"{np.round(S, 6).tolist()}, rank 1 needs all but the first <= {tolerance:g} x the "
            f"first; use method='direct' or 'fft'"
        )
    scale = np.sqrt(S[0])
    return (U[:, :1] * scale), (Vt[:1, :] * scale)


def is_separable(
    kernel: ArrayLike, tolerance: float = 1e-10, *, singular_values: np.ndarray | None = None
) -> bool:
    """Whether the kernel has rank 1 within ``tolerance`` (relative to the top singular value)."""
    S = (
        np.linalg.svd(_check_kernel(kernel), compute_uv=False)
        if singular_values is None
        else singular_values
    )
    return bool(S[0] > 0 and (len(S) == 1 or S[1] <= tolerance * S[0]))


def choose_method(image_shape: tuple[int, int], kernel: ArrayLike) -> str:
    """The method with the smallest modelled time for this image and kernel."""
    height, width = image_shape
    kernel_height, kernel_width = np.shape(kernel)
    pixels = (height + kernel_height - 1) * (width + kernel_width - 1)
    costs = {
        "direct": COST_DIRECT * pixels * kernel_height * kernel_width,
        "fft": COST_FFT_OVERHEAD + COST_FFT * 3 * pixels * np.log2(max(pixels, 2)),
    }
    if min(kernel_height, kernel_width) > 1 and is_separable(kernel):
        costs["separable"] = COST_SEPARABLE * pixels * (kernel_height + kernel_width)
    return min(costs, key=costs.__getitem__)


def convolve2d_loop(image: ArrayLike, kernel: ArrayLike, mode: str = "full") -> np.ndarray:
    """The readable version: one output pixel at a time, kernel flipped. Slow; the test oracle."""
    image = _check_image(image)
    kernel = _check_kernel(kernel)
    if image.ndim == 3:
        return np.stack(
            [convolve2d_loop(image[..., c], kernel, mode) for c in range(image.shape[2])], -1
        )
    flipped = kernel[::-1, ::-1]
    kernel_height, kernel_width = kernel.shape
    padded = pad(image, kernel.shape, "zero", how="full")
    full = np.zeros((image.shape[0] + kernel_height - 1, image.shape[1] + kernel_width - 1))
    for i in range(full.shape[0]):
        for j in range(full.shape[1]):
            full[i, j] = np.sum(padded[i : i + kernel_height, j : j + kernel_width] * flipped)
    return _crop(full, kernel.shape, image.shape, check_choice(mode, "mode", MODES), False)
