"""Observables of Ising configurations: energy and magnetization per spin, and their fluctuations.

Every function takes spins of shape ``(n_samples, L, ..., L)``: the first axis
always counts samples, the others are the periodic lattice (2 or 3 of them), so a
single lattice is passed as ``spins[None]``. Units: J = 1, kB = 1, no field.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike


def check_spins(spins: ArrayLike, name: str = "spins") -> np.ndarray:
    """``spins`` as an integer or float array of +1 and -1, shape ``(n_samples, L, ..., L)``.

    Raises TypeError for a non-numeric array and ValueError for the wrong number of
    dimensions, an empty array or values other than +1 and -1.
    """
    if isinstance(spins, str | bytes):
        raise TypeError(f"{name} must be an array of +1 and -1 spins, got a string")
    array = np.asarray(spins)
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be an integer or float array of +1 and -1, got dtype {array.dtype}"
        )
    if array.ndim not in (3, 4):
        raise ValueError(
            f"{name} must have shape (n_samples, L, L) or (n_samples, L, L, L), got shape "
            f"{array.shape}; pass a single lattice as spins[None]"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if array.dtype.kind in "iu":  # min, max and zeros: no temporaries for large data sets
        valid = array.min() >= -1 and array.max() <= 1 and np.count_nonzero(array) == array.size
        bad = 0 if valid else np.count_nonzero((array != 1) & (array != -1))
    else:
        bad = np.count_nonzero((array != 1) & (array != -1))
    if bad:
        raise ValueError(f"{name} must hold only +1 and -1, got {bad} other values")
    # integer sums below are exact; float spins become int8 (values checked above)
    return array if array.dtype.kind in "iu" else array.astype(np.int8)


def check_temperature(temperature: object, *, allow_zero: bool = False) -> float:
    """A temperature: a real number > 0 (or >= 0 with ``allow_zero``), or np.inf."""
    bound = ">= 0" if allow_zero else "> 0"
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        kind = "a real number >= 0 or np.inf" if allow_zero else "a real number > 0"
        raise TypeError(
            f"temperature must be {kind}, got {temperature!r} ({type(temperature).__name__})"
        )
    if np.isnan(float(temperature)) or temperature < 0 or (temperature == 0 and not allow_zero):
        raise ValueError(f"temperature must be {bound} (or np.inf), got {temperature}")
    return float(temperature)


def bond_sum(spins: np.ndarray) -> np.ndarray:
    """``sum_<ij> s_i s_j`` per sample (each bond once, periodic), shape ``(n_samples,)``, int64."""
    total = np.zeros(spins.shape[0], dtype=np.int64)
    sample_axes = tuple(range(1, spins.ndim))
    for axis in sample_axes:
        total += (spins * np.roll(spins, -1, axis=axis)).sum(axis=sample_axes, dtype=np.int64)
    return total


def energy(spins: ArrayLike) -> np.ndarray:
    """Energy per spin, ``-sum_<ij> s_i s_j / N``, of each sample.

    Parameters
    ----------
    spins : array_like of +1 and -1, shape (n_samples, L, L) or (n_samples, L, L, L)
        Periodic configurations.

    Returns
    -------
    ndarray of float64, shape (n_samples,)
        Between ``-dims`` (all spins equal) and ``+dims`` (a checkerboard, even L).
    """
    spins = check_spins(spins)
    return -bond_sum(spins) / np.prod(spins.shape[1:])


def magnetization(spins: ArrayLike) -> np.ndarray:
    """Magnetization per spin, ``sum_i s_i / N`` (signed), of each sample.

    Parameters
    ----------
    spins : array_like of +1 and -1, shape (n_samples, L, L) or (n_samples, L, L, L)

    Returns
    -------
    ndarray of float64, shape (n_samples,)
    """
    spins = check_spins(spins)
    axes = tuple(range(1, spins.ndim))
    return spins.sum(axis=axes, dtype=np.int64) / np.prod(spins.shape[1:])


def susceptibility(spins: ArrayLike, temperature: float, *, absolute: bool = True) -> float:
    """Magnetic susceptibility per spin from the fluctuations of the samples.

    ``chi = N (<m^2> - <|m|>^2) / T`` by default: on a finite lattice ``<m> = 0``
    by symmetry, so the usual estimator subtracts ``<|m|>^2`` (it tends to the
    true ``chi`` on both sides of Tc as L grows). ``absolute=False`` gives
    ``N (<m^2> - <m>^2) / T``.

    Parameters
    ----------
    spins : array_like, shape (n_samples, L, ..., L)
        Samples at one temperature.
    temperature : float
        Their temperature (> 0; np.inf gives 0).
    """
    temperature = check_temperature(temperature)
    spins = check_spins(spins)
    m = magnetization(spins)
    mean = np.abs(m).mean() if absolute else m.mean()
    return float(np.prod(spins.shape[1:]) * (np.mean(m**2) - mean**2) / temperature)


def heat_capacity(spins: ArrayLike, temperature: float) -> float:
    """Heat capacity per spin, ``N (<e^2> - <e>^2) / T^2``, from the samples' energies.

    Parameters
    ----------
    spins : array_like, shape (n_samples, L, ..., L)
        Samples at one temperature.
    temperature : float
        Their temperature (> 0; np.inf gives 0).
    """
    temperature = check_temperature(temperature)
    spins = check_spins(spins)
    e = energy(spins)
    return float(np.prod(spins.shape[1:]) * e.var() / temperature**2)


def binder_cumulant(spins: ArrayLike) -> float:
    """Binder cumulant ``U = 1 - <m^4> / (3 <m^2>^2)`` of a set of samples.

    ``U`` tends to 2/3 in the ordered phase and to 0 in the disordered one; the
    curves of different L cross near Tc.

    Parameters
    ----------
    spins : array_like, shape (n_samples, L, ..., L)
        Samples at one temperature.
    """
    m = magnetization(spins)
    return float(1.0 - np.mean(m**4) / (3.0 * np.mean(m**2) ** 2))
