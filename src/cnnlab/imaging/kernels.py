"""Classic filter kernels: box, Gaussian, Sobel, Laplacian, and the edge magnitude."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_choice, check_float, check_int
from cnnlab.imaging.convolution import correlate2d


def box(n: int = 3) -> np.ndarray:
    """The n x n mean (low-pass) filter; ``box(3)`` is the notes' 1/9 kernel."""
    n = check_int(n, "n")
    return np.full((n, n), 1.0 / (n * n))


def gaussian(sigma: float, size: int | None = None, *, normalize: bool = True) -> np.ndarray:
    """A Gaussian blur kernel, the notes' ``generate_gauss_mask``.

    Parameters
    ----------
    sigma : float
        Standard deviation in pixels.
    size : int, optional
        Side length; by default ``ceil(1 + 8 sigma)`` as in the notes (four
        sigmas on either side).
    normalize : bool
        Scale to sum 1 (default), so blurring keeps the mean brightness. With
        False the notes' factor ``1 / (2 pi sigma^2)`` is used.

    Returns
    -------
    ndarray, shape (size, size)
    """
    sigma = check_float(sigma, "sigma", minimum=0.0, inclusive=False)
    size = math.ceil(1 + 8 * sigma) if size is None else check_int(size, "size")
    coordinates = np.arange(size) - (size - 1) / 2
    x, y = np.meshgrid(coordinates, coordinates)
    kernel = np.exp(-(x**2 + y**2) / (2.0 * sigma**2))
    if normalize:
        return kernel / kernel.sum()
    return kernel / (2 * np.pi * sigma**2)


def sobel(direction: str = "x") -> np.ndarray:
    """The Sobel derivative kernel, as used with :func:`correlate2d`.

    "x" responds to changes from left to right (vertical edges), "y" to changes
    from top to bottom (horizontal edges). Both are rank 1: ``[1, 2, 1]`` smoothing
    times a ``[-1, 0, 1]`` difference.
    """
    direction = check_choice(direction, "direction", ("x", "y"))
    kernel = np.outer([1.0, 2.0, 1.0], [-1.0, 0.0, 1.0])
    return kernel if direction == "x" else kernel.T.copy()


def laplacian() -> np.ndarray:
    """The 4-neighbour Laplacian, a second derivative; it is not separable (rank 2)."""
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


def edge_magnitude(image: ArrayLike, method: str = "auto") -> np.ndarray:
    """Gradient magnitude ``sqrt(Gx^2 + Gy^2)`` from the two Sobel kernels ("same" size)."""
    gradient_x = correlate2d(image, sobel("x"), mode="same", method=method)
    gradient_y = correlate2d(image, sobel("y"), mode="same", method=method)
    return np.hypot(gradient_x, gradient_y)
