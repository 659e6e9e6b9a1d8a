"""Reading images with Pillow, and the sample photograph that ships with matplotlib."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_array, check_int

#: The notes' luminance weights for R, G and B (ITU-R BT.601).
LUMINANCE = np.array([0.299, 0.587, 0.114])


def to_grayscale(image: ArrayLike) -> np.ndarray:
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


#: the most pixels ``read_image`` decodes unless told otherwise (a 64-megapixel image)
MAX_PIXELS = 64_000_000
_PILLOW_LIMIT = threading.Lock()


def read_image(
    path: str | Path | None = None, *, gray: bool = True, max_pixels: int = MAX_PIXELS
) -> np.ndarray:
    """Read an image file as a float array, [0, 1] for integer pixels.

    Parameters
    ----------
    path : str or Path, optional
        Any format Pillow reads; by default matplotlib's ``grace_hopper.jpg``.
    gray : bool
        Convert colour to gray with the luminance weights.
    max_pixels : int
        Keyword-only. The most pixels (width x height) decoded: checked from the
        file's header before anything is decompressed, so a small file that
        inflates to gigabytes is refused. Raise it for larger images.

    Returns
    -------
    ndarray of float64, shape (m, n) or (m, n, 3)
        8-bit pixels are divided by 255 and 16-bit ones by 65,535 (a 16-bit
        PNG keeps its 65,536 levels); 32-bit integer pixels by 65,535 when
        they all fit in 16 bits (as most such TIFFs hold), else by 2^31 - 1;
        floating-point pixels are returned as they are.
    """
    from PIL import Image, UnidentifiedImageError

    max_pixels = check_int(max_pixels, "max_pixels")
    path = sample_image_path() if path is None else Path(path)
    try:
        with _PILLOW_LIMIT:  # our bound replaces Pillow's global one while this file opens
            saved, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
            try:
                opened = Image.open(path)
            finally:
                Image.MAX_IMAGE_PIXELS = saved
        with opened:
            width, height = opened.size
            if width * height > max_pixels:
                raise ValueError(
                    f"image file {str(path)!r} is {width} x {height} = {width * height:,} pixels, "
                    f"more than max_pixels={max_pixels:,}; pass a larger max_pixels to read it"
                )
            pixels = _pixels(opened)
    except FileNotFoundError:
        raise ValueError(f"image file {str(path)!r} does not exist") from None
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValueError(f"could not read image file {str(path)!r}: {error}") from None
    if pixels.ndim == 2:
        return pixels if gray else np.repeat(pixels[..., None], 3, axis=2)
    return to_grayscale(pixels) if gray else pixels


def _pixels(opened) -> np.ndarray:
    """The image's values as floats, scaled by its bit depth (see ``read_image``)."""
    if opened.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(opened, dtype=np.float64) / 65535.0
    if opened.mode == "I":
        values = np.asarray(opened, dtype=np.int64)
        sixteen_bits = values.size and values.min() >= 0 and values.max() <= 65535
        return values.astype(np.float64) / (65535.0 if sixteen_bits else 2.0**31 - 1)
    if opened.mode == "F":
        return np.asarray(opened, dtype=np.float64)
    return np.asarray(opened.convert("RGB"), dtype=np.float64) / 255.0
