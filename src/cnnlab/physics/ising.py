"""Monte Carlo of the Ising model on periodic square and cubic lattices (J = 1, kB = 1, no field).

``sample`` draws equilibrium configurations by checkerboard Metropolis
(:mod:`.metropolis`) or Swendsen-Wang clusters (:mod:`.cluster`), many chains
at once. The observables, the exact results and the data-set builder are
re-exported here, so ``cnnlab.physics.ising`` is the one module to import.
"""

from __future__ import annotations

from cnnlab.physics.autocorrelation import autocorrelation, autocorrelation_time
from cnnlab.physics.dataset import dataset
from cnnlab.physics.defaults import model_autocorrelation_time, sweep_defaults
from cnnlab.physics.exact import (
    CRITICAL_TEMPERATURE,
    CRITICAL_TEMPERATURE_3D,
    ExactDistribution,
    critical_temperature,
    exact_distribution,
    finite_lattice_energy,
    log_partition_function,
    onsager_energy,
    spontaneous_magnetization,
)
from cnnlab.physics.observables import (
    binder_cumulant,
    energy,
    heat_capacity,
    magnetization,
    susceptibility,
)
from cnnlab.physics.sampling import sample, time_series

__all__ = [
    "sample",
    "sweep_defaults",
    "model_autocorrelation_time",
    "time_series",
    "energy",
    "magnetization",
    "susceptibility",
    "heat_capacity",
    "binder_cumulant",
    "autocorrelation",
    "autocorrelation_time",
    "CRITICAL_TEMPERATURE",
    "CRITICAL_TEMPERATURE_3D",
    "critical_temperature",
    "onsager_energy",
    "spontaneous_magnetization",
    "log_partition_function",
    "finite_lattice_energy",
    "exact_distribution",
    "ExactDistribution",
    "dataset",
]
