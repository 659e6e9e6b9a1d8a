"""Exact random decisions from one random byte each.

A uniform ``U`` in [0, 1) is written ``U = (b + V) / 256`` with ``b`` a random byte
and ``V`` uniform in [0, 1). Then ``U < p`` exactly when ``b < floor(256 p)``, or
when ``b == floor(256 p)`` and ``V < 256 p - b``. Only the ~1/256 of the sites
whose byte ties the threshold need ``V`` (a float64), so a decision costs about
one byte of the generator's output instead of eight: random numbers are most of
the cost of a Monte Carlo sweep in NumPy. The decisions are exact to float64
precision, unlike comparing with a float32 uniform (24 bits).
"""

from __future__ import annotations

import numpy as np


def random_bytes(rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` random bytes (uint8), padded with extra ones to a multiple of 8, flat."""
    # the bit generator's raw 64-bit output is the cheapest source numpy has
    return rng.bit_generator.random_raw(-(-size // 8)).view(np.uint8)


def threshold(probability: float) -> np.uint8:
    """``floor(256 p)``, at most 255 (for ``p = 1`` a tie then always passes: ``V < 1``)."""
    return np.uint8(min(int(np.floor(256.0 * probability)), 255))


def tied_sites(ties: np.ndarray, size: int) -> np.ndarray:
    """Indices of the True entries among the first ``size`` of a flat bool array.

    Plain ``np.flatnonzero``: searching 8 entries at a time through a uint64 view
    was measured slower (numpy's nonzero of uint64 and the small fancy indexing
    afterwards cost more than its scan of bools).
    """
    return np.flatnonzero(ties[:size])


def bernoulli(probability: float, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Independent booleans, each True with ``probability`` (exactly), of the given shape."""
    size = int(np.prod(shape))
    draws = random_bytes(rng, size)
    limit = threshold(probability)
    result = np.less(draws, limit)
    tied = tied_sites(np.equal(draws, limit), size)
    if tied.size:
        result[tied] = rng.random(tied.size) < 256.0 * probability - float(limit)
    return result[:size].reshape(shape)
