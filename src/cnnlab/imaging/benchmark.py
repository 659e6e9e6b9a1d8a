"""Timing of the convolution methods against image and kernel size (``cnnlab bench-conv``).

Each point is the median of several runs of ``convolve2d(..., mode="same")`` with
a Gaussian kernel (separable, so every method applies), next to
``scipy.signal.convolve2d`` (direct) and ``scipy.signal.fftconvolve``.
The results also calibrate the cost model of ``method="auto"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import scipy.signal

from cnnlab._progress import tqdm
from cnnlab._validation import check_int
from cnnlab.imaging.convolution import convolve2d
from cnnlab.imaging.kernels import gaussian

METHODS = ("direct", "separable", "fft", "auto")
PEERS = {
    "scipy.convolve2d": lambda image, kernel: scipy.signal.convolve2d(image, kernel, mode="same"),
    "scipy.fftconvolve": lambda image, kernel: scipy.signal.fftconvolve(image, kernel, mode="same"),
}


def median_seconds(function: Callable[[], object], repeats: int, budget: float = 2.0) -> float:
    """Median wall time of ``function()`` over ``repeats`` runs (fewer if one run is slow)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
        if sum(times) > budget:
            break
    return float(np.median(times))


def run_benchmark(
    image_sizes: Sequence[int] = (64, 128, 256, 512),
    kernel_sizes: Sequence[int] = (3, 5, 9, 15, 25, 41),
    repeats: int = 5,
    seed: int | None = 0,
    progress: bool = True,
) -> dict:
    """Time every method on square random images and square Gaussian kernels.

    Returns
    -------
    dict
        ``{"image_sizes", "kernel_sizes", "seconds": {name: [[t per kernel] per image]}}``;
        a scipy.convolve2d point that would take too long (over ~5e8 multiply-adds)
        is NaN.
    """
    repeats = check_int(repeats, "repeats")  # the median of no timing is NaN, not a time
    for name, sizes in (("image_sizes", image_sizes), ("kernel_sizes", kernel_sizes)):
        if not len(sizes):
            raise ValueError(f"{name} must list at least one size, got {list(sizes)}")
        for size in sizes:
            check_int(size, name)
    rng = np.random.default_rng(seed)
    names = [*METHODS, *PEERS]
    seconds = {name: np.full((len(image_sizes), len(kernel_sizes)), np.nan) for name in names}
    bar = tqdm(total=len(image_sizes) * len(kernel_sizes), disable=not progress, desc="bench-conv")
    for i, size in enumerate(image_sizes):
        image = rng.random((size, size))
        for j, kernel_size in enumerate(kernel_sizes):
            kernel = gaussian((kernel_size - 1) / 8, size=kernel_size)
            for method in METHODS:
                run = partial(convolve2d, image, kernel, "same", method)
                seconds[method][i, j] = median_seconds(run, repeats)
            for name, peer in PEERS.items():
                if name == "scipy.convolve2d" and size * size * kernel_size**2 > 5e8:
                    continue
                seconds[name][i, j] = median_seconds(partial(peer, image, kernel), repeats)
            bar.update()
    bar.close()
    return {
        "image_sizes": list(image_sizes),
        "kernel_sizes": list(kernel_sizes),
        "seconds": {name: values.tolist() for name, values in seconds.items()},
    }


def crossovers(results: dict) -> dict[int, int | None]:
    """For each image size, the smallest kernel size at which FFT beats direct."""
    direct = np.asarray(results["seconds"]["direct"])
    fft = np.asarray(results["seconds"]["fft"])
    found = {}
    for i, size in enumerate(results["image_sizes"]):
        faster = np.nonzero(fft[i] < direct[i])[0]
        found[size] = results["kernel_sizes"][faster[0]] if len(faster) else None
    return found


def fft_ratio_to_scipy(results: dict) -> np.ndarray:
    """cnnlab FFT time over scipy.signal.fftconvolve time, per (image, kernel) point."""
    ours = np.asarray(results["seconds"]["fft"])
    return ours / np.asarray(results["seconds"]["scipy.fftconvolve"])


def calibrate(results: dict) -> dict[str, float]:
    """Seconds per unit of work for each method: the constants of the ``auto`` cost model."""
    sizes = np.asarray(results["image_sizes"], dtype=float)[:, None]
    kernels = np.asarray(results["kernel_sizes"], dtype=float)[None, :]
    pixels = (sizes + kernels - 1) ** 2
    work = {
        "direct": pixels * kernels**2,
        "separable": pixels * 2 * kernels,
        "fft": 3 * pixels * np.log2(pixels),
    }
    return {
        name: float(np.median(np.asarray(results["seconds"][name]) / units))
        for name, units in work.items()
    }
