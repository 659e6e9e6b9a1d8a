"""Image compression by truncated SVD: keep the k largest singular values.

An m x n matrix of rank k needs ``k (1 + m + n)`` numbers (k singular values, k
columns of U, k rows of V^T) instead of ``m n``: the compression ratio.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_array, check_choice, check_float, check_int
from cnnlab.imaging.image_files import to_grayscale


@dataclass(frozen=True)
class SVDRecord:
    """What a rank-k reconstruction keeps and loses.

    Attributes
    ----------
    k : int
    ratio : float
        Stored numbers over original pixels, ``k (1 + m + n) / (m n)``.
    mse : float
        Mean squared error against the original, in its units.
    psnr : float
        ``10 log10(data_range^2 / mse)`` in dB (inf when mse is 0).
    energy : float
        Kept fraction of the energy: ``sum(s[:k]^2) / sum(s^2)``.
    """

    k: int
    ratio: float
    mse: float
    psnr: float
    energy: float

    def as_dict(self) -> dict:
        """The record as a plain dict (for JSON and tables)."""
        return asdict(self)


def psnr(mse: float, data_range: float) -> float:
    """Peak signal-to-noise ratio in dB for a mean squared error and a data range."""
    return float("inf") if mse == 0 else float(10 * np.log10(data_range**2 / mse))


def _default_range(dtype) -> float:
    return 255.0 if np.dtype(dtype) == np.uint8 else 1.0


def _singular_triplets(matrix, k, method, random_state):
    if method == "exact":
        U, S, Vt = np.linalg.svd(matrix, full_matrices=False)
        return U, S, Vt, float(np.sum(S**2))
    from sklearn.utils.extmath import randomized_svd

    U, S, Vt = randomized_svd(matrix, n_components=k, random_state=random_state)
    return U, S, Vt, float(np.sum(matrix**2))  # total energy = squared Frobenius norm


def svd_compress(
    image: ArrayLike,
    k: int,
    *,
    color: str = "channels",
    method: str = "exact",
    data_range: float | None = None,
    random_state: int | None = 0,
) -> tuple[np.ndarray, SVDRecord]:
    """Rank-k reconstruction of a grayscale or RGB image.

    Parameters
    ----------
    image : array_like, shape (m, n) or (m, n, 3)
    k : int
        Rank to keep, 1 <= k <= min(m, n).
    color : {"channels", "luminance"}
        For RGB: compress each channel separately, or first convert to gray
        with the notes' weights 0.299, 0.587, 0.114.
    method : {"exact", "randomized"}
        numpy's full SVD, or scikit-learn's ``randomized_svd`` (faster on large
        images when k is small).
    data_range : float, optional
        For PSNR: by default 255 for uint8 images and 1.0 for floats.
    random_state : int, optional
        Seed of the randomized method.

    Returns
    -------
    reconstruction : ndarray of float64, shape (m, n) or (m, n, 3)
    record : SVDRecord
    """
    original = check_array(image, "image", ndim=(2, 3))
    given_dtype = np.asarray(image).dtype
    color = check_choice(color, "color", ("channels", "luminance"))
    method = check_choice(method, "method", ("exact", "randomized"))
    data_range = (
        _default_range(given_dtype)
        if data_range is None
        else check_float(data_range, "data_range", minimum=0.0, inclusive=False)
    )
    if original.ndim == 3 and color == "luminance":
        original = to_grayscale(original)
    original = original.astype(np.float64)
    channels = original[..., None] if original.ndim == 2 else original
    m, n = channels.shape[:2]
    k = check_int(k, "k")
    if k > min(m, n):
        raise ValueError(
            f"k must be between 1 and min(m, n) = {min(m, n)} for a {m}x{n} image, got {k}"
        )
    reconstruction = np.empty_like(channels)
    kept = total = 0.0
    for c in range(channels.shape[2]):
        U, S, Vt, energy = _singular_triplets(channels[..., c], k, method, random_state)
        reconstruction[..., c] = (U[:, :k] * S[:k]) @ Vt[:k]
        kept += float(np.sum(S[:k] ** 2))
        total += energy
    mse = float(np.mean((reconstruction - channels) ** 2))
    record = SVDRecord(
        k=k,
        ratio=k * (1 + m + n) / (m * n),
        mse=mse,
        psnr=psnr(mse, data_range),
        energy=kept / total if total > 0 else 1.0,
    )
    return reconstruction.reshape(original.shape), record
