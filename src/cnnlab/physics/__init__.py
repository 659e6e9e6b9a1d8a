"""Physics for the course project: Monte Carlo of the Ising model and phase-transition analysis.

``cnnlab.physics.ising`` simulates (``sample``, ``dataset``) and knows the exact
results (Onsager, Kaufman, enumeration); ``cnnlab.physics.phase`` turns any
per-sample output into crossing temperatures, Tc and nu by finite-size scaling,
and a data collapse.
"""

from cnnlab.physics import ising, phase
from cnnlab.physics.ising import (
    CRITICAL_TEMPERATURE,
    binder_cumulant,
    dataset,
    energy,
    magnetization,
    onsager_energy,
    sample,
    spontaneous_magnetization,
)

__all__ = [
    "ising",
    "phase",
    "sample",
    "dataset",
    "energy",
    "magnetization",
    "binder_cumulant",
    "CRITICAL_TEMPERATURE",
    "onsager_energy",
    "spontaneous_magnetization",
]
