"""Weight initialisation: He for the ReLU family, Glorot otherwise.

Every draw comes from the numpy ``Generator`` the model passes in, so one seed
fixes all layers while each layer still gets different weights.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from cnnlab.nn.activations import LRELU, RELU, Activation


def he_normal(
    shape: tuple[int, ...], fan_in: int, rng: np.random.Generator, dtype: DTypeLike = np.float64
) -> np.ndarray:
    """Normal with standard deviation ``sqrt(2 / fan_in)`` (He et al. 2015)."""
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


def glorot_uniform(
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Uniform on ``±sqrt(6 / (fan_in + fan_out))`` (Glorot and Bengio 2010)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def initial_weights(
    shape: tuple[int, ...],
    fan_in: int,
    fan_out: int,
    activation: Activation,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """He normal for RELU and LRELU, Glorot uniform for every other activation."""
    if activation in (RELU, LRELU):
        return he_normal(shape, fan_in, rng, dtype)
    return glorot_uniform(shape, fan_in, fan_out, rng, dtype)
