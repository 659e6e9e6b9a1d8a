"""Reading images with Pillow, and the sample photograph that ships with matplotlib."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cnnlab._validation import check_array

#: The notes' luminance weights for R, G and B (ITU-R BT.601).
LUMINANCE = np.array([0.299, 0.587, 0.114])


def to_grayscale(image) -> np.ndarray:
    """RGB (m, n, 3) to gray (m, n) with the luminance weights; gray images pass through."""
    image = check_array(image, "image", ndim=(2, 3))
    if image.ndim == 2:
        return image
    if image.shape[2] not in (3, 4):
        raise ValueError(f"image must have 3 (RGB) or 4 (RGBA) channels, got shape {image.shape}")
    return image[..., :3] @ LUMINANCE


def sample_image_path() -> Path:
    """Path of matplotlib's sample photograph ``grace_hopper.jpg`` (512 x 600, RGB)."""
    from matplotlib import cbook

    return Path(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))


def read_image(path=None, *, gray: bool = True) -> np.ndarray:
    """Read an image file as a float array in [0, 1].

    Parameters
    ----------
    path : str or Path, optional
        Any format Pillow reads; by default matplotlib's ``grace_hopper.jpg``.
    gray : bool
        Convert colour to gray with the luminance weights.

    Returns
    -------
    ndarray of float64, shape (m, n) or (m, n, 3)
    """
    from PIL import Image, UnidentifiedImageError

    path = sample_image_path() if path is None else Path(path)
    try:
        with Image.open(path) as opened:
            pixels = np.asarray(opened.convert("RGB"), dtype=np.float64) / 255.0
    except FileNotFoundError:
        raise ValueError(f"image file {str(path)!r} does not exist") from None
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"could not read image file {str(path)!r}: {error}") from None
    return to_grayscale(pixels) if gray else pixels
