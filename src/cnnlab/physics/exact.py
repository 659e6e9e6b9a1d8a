"""Exact results for the Ising model (J = 1, kB = 1, no field), to test samplers against.

* The infinite square lattice (Onsager 1944, Yang 1952): the critical temperature,
  the energy per spin and the spontaneous magnetization.
* The finite periodic ``m x n`` square lattice (Kaufman 1949, in the form of Beale,
  Phys. Rev. Lett. 76, 78 (1996)): the partition function, hence the exact mean
  energy of any L x L torus, e.g. 64 x 64.
* Small lattices by enumeration of all ``2**N`` states (``N <= 16``): the whole
  distribution of the energy and the magnetization.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ellipk

from cnnlab._validation import check_int
from cnnlab.physics.observables import bond_sum, check_temperature

#: Onsager's critical temperature of the square lattice, 2 / ln(1 + sqrt 2) = 2.269185...
CRITICAL_TEMPERATURE = 2.0 / np.log1p(np.sqrt(2.0))
#: the simple cubic lattice's, 1 / K_c with K_c = 0.221654626(5) (Ferrenberg, Xu and
#: Landau, Phys. Rev. E 97, 043301 (2018)); no closed form is known
CRITICAL_TEMPERATURE_3D = 1.0 / 0.221654626


def critical_temperature(dims: int) -> float:
    """Tc of the square (``dims=2``) or simple cubic (``dims=3``) lattice."""
    return {2: CRITICAL_TEMPERATURE, 3: CRITICAL_TEMPERATURE_3D}[dims]


def _temperatures(temperature) -> np.ndarray:
    array = np.asarray(temperature, dtype=np.float64)
    if np.any(np.isnan(array)) or np.any(array < 0):
        raise ValueError(f"temperature must be >= 0 (np.inf allowed), got {temperature!r}")
    return array


def onsager_energy(temperature: ArrayLike) -> float | np.ndarray:
    """Energy per spin of the infinite square lattice at ``temperature`` (Onsager).

    ``u = -coth(2K) [1 + (2/pi) (2 tanh^2(2K) - 1) K1(k)]`` with ``K = 1/T``,
    ``k = 2 sinh(2K) / cosh^2(2K)`` and ``K1`` the complete elliptic integral of
    the first kind (``scipy.special.ellipk`` takes ``m = k**2``). At Tc the
    product is 0 (the integral's log divergence times a linear zero):
    ``u(Tc) = -sqrt 2``.

    Parameters
    ----------
    temperature : float or array_like
        ``T >= 0``; ``T = 0`` gives -2 and ``np.inf`` gives 0.

    Returns
    -------
    float or ndarray of float64, the shape of ``temperature``
    """
    t = _temperatures(temperature)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        coupling = 2.0 / t
        k = 2.0 * np.sinh(coupling) / np.cosh(coupling) ** 2
        factor = 2.0 * np.tanh(coupling) ** 2 - 1.0
        product = np.where(factor == 0, 0.0, factor * ellipk(k**2))
        u = -(1.0 + 2.0 / np.pi * np.nan_to_num(product)) / np.tanh(coupling)
    u = np.where(t == 0, -2.0, np.where(np.isinf(t), 0.0, u))
    return u[()] if u.ndim == 0 else u


def spontaneous_magnetization(temperature: ArrayLike) -> float | np.ndarray:
    """Spontaneous magnetization per spin of the infinite square lattice (Onsager-Yang).

    ``M = (1 - sinh(2/T)^-4)^(1/8)`` below Tc, 0 above (and 1 at T = 0).

    Parameters
    ----------
    temperature : float or array_like
        ``T >= 0``.

    Returns
    -------
    float or ndarray of float64, the shape of ``temperature``
    """
    t = _temperatures(temperature)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        inner = 1.0 - np.sinh(2.0 / t) ** -4.0
        m = np.where(t < CRITICAL_TEMPERATURE, np.clip(inner, 0.0, None) ** 0.125, 0.0)
    m = np.where(t == 0, 1.0, m)
    return m[()] if m.ndim == 0 else m


def _log_products(gammas: np.ndarray, rows: int):
    """log |prod 2 cosh(m g / 2)| and log |prod 2 sinh(m g / 2)| with the sign of the latter."""
    x = 0.5 * rows * gammas
    size = np.abs(x)
    log_cosh = np.sum(size + np.log1p(np.exp(-2.0 * size)))
    with np.errstate(divide="ignore"):
        log_sinh = np.sum(size + np.log(-np.expm1(-2.0 * size)))
    return log_cosh, log_sinh, np.prod(np.sign(x))


def log_partition_function(L: int, temperature: float, *, columns: int | None = None) -> float:
    """``ln Z`` of the periodic ``L x columns`` square lattice, exactly (Kaufman).

    ``Z = 1/2 (2 sinh 2K)^(mn/2) (Z1 + Z2 + Z3 + Z4)``, with
    ``Z1,2 = prod_r 2 cosh|sinh(m gamma_(2r+1) / 2)``,
    ``Z3,4 = prod_r 2 cosh|sinh(m gamma_(2r) / 2)`` over ``r = 0 ... n-1``,
    ``cosh gamma_k = cosh 2K coth 2K - cos(pi k / n)`` and
    ``gamma_0 = 2K + ln tanh K`` (negative below Tc, which flips Z4's sign).
    Summed in logarithms, so it holds for large lattices.

    Parameters
    ----------
    L : int
        Rows ``m`` (>= 2).
    temperature : float
        ``0 < T < inf``.
    columns : int, optional
        Columns ``n``; ``L`` by default.
    """
    rows = check_int(L, "L", minimum=2)
    columns = rows if columns is None else check_int(columns, "columns", minimum=2)
    coupling = 1.0 / check_temperature(temperature)
    if not np.isfinite(coupling) or coupling == 0:
        raise ValueError(f"temperature must be finite and > 0, got {temperature}")
    k = np.arange(2 * columns)
    base = np.cosh(2 * coupling) / np.tanh(2 * coupling)
    gammas = np.arccosh(base - np.cos(np.pi * k / columns))
    gammas[0] = 2 * coupling + np.log(np.tanh(coupling))
    odd = _log_products(gammas[1::2], rows)
    even = _log_products(gammas[0::2], rows)
    terms = np.array([odd[0], odd[1], even[0], even[1]])
    signs = np.array([1.0, odd[2], 1.0, even[2]])
    # a signed log-sum-exp by hand: scipy's logsumexp returns NaN when its largest term
    # has a negative sign even though the sum is positive (the four terms nearly tie)
    largest = terms.max()
    total = largest + np.log(np.sum(signs * np.exp(terms - largest)))
    prefactor = 0.5 * rows * columns * np.log(2 * np.sinh(2 * coupling))
    return float(prefactor + total - np.log(2.0))


def finite_lattice_energy(L: int, temperature: float, *, step: float = 1e-5) -> float:
    """Exact mean energy per spin of the periodic L x L lattice, ``-d ln Z / d(1/T) / N``.

    The derivative is a central difference in ``1/T`` of :func:`log_partition_function`
    (relative step ``step``; error about 1e-9 at the default).
    """
    beta = 1.0 / check_temperature(temperature)
    h = step * beta
    upper = log_partition_function(L, 1.0 / (beta + h))
    lower = log_partition_function(L, 1.0 / (beta - h))
    return float(-(upper - lower) / (2 * h) / L**2)


class ExactDistribution(NamedTuple):
    """Exact distribution of a small lattice at one temperature (per-spin quantities)."""

    energies: np.ndarray  #: distinct energies per spin, increasing, shape (k,)
    energy_probabilities: np.ndarray  #: their probabilities, shape (k,)
    magnetizations: np.ndarray  #: distinct magnetizations per spin, increasing, shape (j,)
    magnetization_probabilities: np.ndarray  #: their probabilities, shape (j,)
    mean_energy: float
    mean_abs_magnetization: float
    heat_capacity: float  #: N (<e^2> - <e>^2) / T^2
    susceptibility: float  #: ``N (<m^2> - <|m|>^2) / T``, as observables.susceptibility
    binder_cumulant: float


@functools.lru_cache(maxsize=4)
def _enumerate(L: int, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """Total bond sum and total magnetization of all ``2**(L**dims)`` states (int64 each)."""
    sites = L**dims
    codes = np.arange(2**sites, dtype=np.int64)
    bits = (codes[:, None] >> np.arange(sites)) & 1
    spins = (2 * bits - 1).astype(np.int8).reshape((-1,) + (L,) * dims)
    return bond_sum(spins), spins.reshape(len(codes), -1).sum(axis=1, dtype=np.int64)


def exact_distribution(L: int, temperature: float, *, dims: int = 2) -> ExactDistribution:
    """Enumerate all ``2**(L**dims)`` states of a small periodic lattice ``(at most 2**16)``.

    Parameters
    ----------
    L : int
        Side, ``L**dims <= 16``: 2, 3 or 4 in 2-D, 2 in 3-D.
    temperature : float
        ``T >= 0`` (0: the ground states; np.inf: all states equally likely).
    dims : int
        2 (square) or 3 (cubic).

    Returns
    -------
    ExactDistribution
    """
    L = check_int(L, "L", minimum=2)
    dims = check_int(dims, "dims", minimum=2)
    if dims > 3 or L**dims > 16:
        raise ValueError(
            f"exact_distribution enumerates at most 2**16 states, got L={L}, dims={dims}"
        )
    temperature = float(_temperatures(temperature))
    bonds, total_m = _enumerate(L, dims)
    sites = L**dims
    energies = -bonds / sites
    if temperature == 0:
        weights = (energies == energies.min()).astype(np.float64)
    else:
        weights = np.exp(-(energies - energies.min()) * sites / temperature)
    weights /= weights.sum()
    levels, energy_index = np.unique(energies, return_inverse=True)
    m_levels, m_index = np.unique(total_m / sites, return_inverse=True)
    e_mean = float(weights @ energies)
    m = total_m / sites
    abs_m = float(weights @ np.abs(m))
    m2, m4 = float(weights @ m**2), float(weights @ m**4)
    e_var = float(weights @ (energies - e_mean) ** 2)
    heat = chi = 0.0  # no fluctuations at T = 0; nothing to respond with at T = inf
    if 0 < temperature < np.inf:
        heat = sites * e_var / temperature**2
        chi = sites * (m2 - abs_m**2) / temperature
    return ExactDistribution(
        energies=levels,
        energy_probabilities=np.bincount(energy_index, weights=weights),
        magnetizations=m_levels,
        magnetization_probabilities=np.bincount(m_index, weights=weights),
        mean_energy=e_mean,
        mean_abs_magnetization=abs_m,
        heat_capacity=float(heat),
        susceptibility=float(chi),
        binder_cumulant=1.0 - m4 / (3.0 * m2**2),
    )
