"""Sampling Ising configurations: ``sample`` and ``time_series`` (see ``cnnlab.physics.ising``)."""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_choice, check_int
from cnnlab.physics.cluster import SwendsenWang
from cnnlab.physics.defaults import sweep_defaults
from cnnlab.physics.exact import critical_temperature
from cnnlab.physics.metropolis import BATCH_SPINS, PackedLattices, masked_sweeps
from cnnlab.physics.observables import check_temperature, energy, magnetization

ALGORITHMS = ("metropolis", "cluster")
#: what ``np.random.default_rng`` accepts as a seed
Seed = int | np.random.SeedSequence | np.random.BitGenerator | np.random.Generator | None


def _check_sweeps(value, name: str, minimum: int) -> int | None:
    return None if value is None else check_int(value, name, minimum=minimum)


def sample(
    L: int,
    temperature: float,
    n_samples: int,
    *,
    dims: int = 2,
    algorithm: str = "metropolis",
    thermalize: int | None = None,
    every: int | None = None,
    seed: Seed = None,
    chains: int | None = None,
) -> np.ndarray:
    """Equilibrium configurations of the Ising model on a periodic ``L**dims`` lattice.

    ``chains`` independent Markov chains run side by side (vectorised). Each
    starts ordered (all +1 or all -1, at random) below Tc and random at or above
    it, runs ``thermalize`` sweeps, then gives a sample every ``every`` sweeps.

    Parameters
    ----------
    L : int
        Side of the lattice (>= 2). Metropolis is fastest for even L (odd L needs
        three checkerboard colours and takes the plain path).
    temperature : float
        ``T >= 0`` in units of J / kB. ``np.inf``: independent random spins;
        ``0``: a ground state, all +1 or all -1 at random.
    n_samples : int
        Number of configurations.
    dims : int
        2 (square lattice) or 3 (simple cubic).
    algorithm : {"metropolis", "cluster"}
        Checkerboard single-spin Metropolis, or Swendsen-Wang clusters (far
        fewer sweeps near Tc, each 20-30 times dearer; cheaper per independent
        sample at Tc from L = 64 on, see ``bench/ising.py``).
    thermalize, every : int, optional
        Sweeps before the first sample (>= 0) and between samples (>= 1). The
        defaults, from the measured autocorrelation times, are
        :func:`sweep_defaults`.
    seed : None, int, SeedSequence or Generator
        Anything ``np.random.default_rng`` accepts.
    chains : int, optional
        Number of independent chains; by default ``min(n_samples, 2**18 / L**dims)``
        (at least 1), which keeps numpy's per-call overhead small.

    Returns
    -------
    ndarray of int8, shape (n_samples, L, L) or (n_samples, L, L, L)
        Spins +1 and -1, chain after chain (each chain's samples in time order).
    """
    L, temperature, dims, algorithm = _check_common(L, temperature, dims, algorithm)
    n_samples = check_int(n_samples, "n_samples")
    thermalize = _check_sweeps(thermalize, "thermalize", 0)
    every = _check_sweeps(every, "every", 1)
    chains = _check_sweeps(chains, "chains", 1)
    rng = np.random.default_rng(seed)
    shape = (L,) * dims
    if np.isinf(temperature):
        return _random_spins((n_samples,) + shape, rng)
    if temperature == 0:
        return _ordered_spins((n_samples,) + shape, rng)
    default_thermalize, default_every = sweep_defaults(
        L, temperature, dims=dims, algorithm=algorithm
    )
    thermalize = default_thermalize if thermalize is None else thermalize
    every = default_every if every is None else every
    if chains is None:
        chains = min(n_samples, max(1, BATCH_SPINS // L**dims))
    per_chain = -(-n_samples // chains)
    lattices = _start(L, temperature, chains, dims, algorithm, rng)
    out = np.empty((chains, per_chain) + shape, dtype=np.int8)
    lattices.sweeps(temperature, thermalize, rng)
    for step in range(per_chain):
        if step:
            lattices.sweeps(temperature, every, rng)
        out[:, step] = lattices.get()
    return out.reshape((-1,) + shape)[:n_samples]


def time_series(
    L: int,
    temperature: float,
    sweeps: int,
    *,
    dims: int = 2,
    algorithm: str = "metropolis",
    chains: int = 1,
    thermalize: int | None = None,
    seed: Seed = None,
) -> dict[str, np.ndarray]:
    """Energy and magnetization per spin after every sweep, to study autocorrelations.

    The chains start as in :func:`sample` and run ``thermalize`` sweeps first
    (default: :func:`sweep_defaults`); nothing else is stored, so long series
    of large lattices fit in memory.

    Parameters
    ----------
    L, temperature, dims, algorithm, seed
        As in :func:`sample` (``0 < temperature < inf``).
    sweeps : int
        Length of each series.
    chains : int
        Independent chains, run side by side.
    thermalize : int, optional
        Sweeps before the first measurement.

    Returns
    -------
    dict
        ``"energy"`` and ``"magnetization"``, each float64 of shape ``(chains, sweeps)``.
    """
    L, temperature, dims, algorithm = _check_common(L, temperature, dims, algorithm)
    sweeps = check_int(sweeps, "sweeps", minimum=2)
    chains = check_int(chains, "chains")
    thermalize = _check_sweeps(thermalize, "thermalize", 0)
    if not 0 < temperature < np.inf:
        raise ValueError(f"time_series needs 0 < temperature < inf, got {temperature}")
    if thermalize is None:
        thermalize = sweep_defaults(L, temperature, dims=dims, algorithm=algorithm)[0]
    rng = np.random.default_rng(seed)
    lattices = _start(L, temperature, chains, dims, algorithm, rng)
    lattices.sweeps(temperature, thermalize, rng)
    series = {name: np.empty((chains, sweeps)) for name in ("energy", "magnetization")}
    for step in range(sweeps):
        if step:
            lattices.sweeps(temperature, 1, rng)
        series["energy"][:, step], series["magnetization"][:, step] = lattices.measure()
    return series


def _check_common(L, temperature, dims, algorithm):
    L = check_int(L, "L", minimum=2)
    temperature = check_temperature(temperature, allow_zero=True)
    dims = check_int(dims, "dims", minimum=2)
    if dims > 3:
        raise ValueError(f"dims must be 2 or 3, got {dims}")
    algorithm = check_choice(algorithm, "algorithm", ALGORITHMS)
    if algorithm == "metropolis" and L < 3:
        # On the 2 x 2 torus both sites of a colour see the same field, and sweeps with
        # deterministic zero-energy flips leave the chain non-ergodic (its averages,
        # checked by exact enumeration, are wrong). Swendsen-Wang has no such problem.
        raise ValueError(f"L must be >= 3 for algorithm='metropolis', got {L}; use 'cluster'")
    return L, temperature, dims, algorithm


def _random_spins(shape: tuple[int, ...], rng) -> np.ndarray:
    """Independent spins, +1 or -1 with probability 1/2 (T = inf)."""
    return 2 * rng.integers(0, 2, shape, dtype=np.int8) - 1


def _ordered_spins(shape: tuple[int, ...], rng) -> np.ndarray:
    """Lattices all +1 or all -1, the sign at random for each (T = 0)."""
    signs = _random_spins((shape[0],) + (1,) * (len(shape) - 1), rng)
    return np.broadcast_to(signs, shape).copy()


def _start(L: int, temperature: float, chains: int, dims: int, algorithm: str, rng):
    """``chains`` lattices, ordered below Tc and random otherwise, ready to sweep.

    An ordered start below Tc equilibrates within a few tau; a random one would
    coarsen for ~L^2 sweeps and can stick in striped states for far longer.
    """
    shape = (chains,) + (L,) * dims
    if temperature < critical_temperature(dims):
        start = _ordered_spins(shape, rng)
    else:
        start = _random_spins(shape, rng)
    if algorithm == "cluster":
        return SwendsenWang(start)
    return PackedLattices(start) if L % 2 == 0 else _MaskedLattices(start)


class _MaskedLattices:
    """The plain masked checkerboard behind the same interface (odd L)."""

    def __init__(self, spins: np.ndarray):
        self.spins = spins.copy()

    def sweeps(self, temperature: float, count: int, rng) -> None:
        masked_sweeps(self.spins, temperature, count, rng)

    def get(self) -> np.ndarray:
        return self.spins.copy()

    def measure(self) -> tuple[np.ndarray, np.ndarray]:
        return energy(self.spins), magnetization(self.spins)
