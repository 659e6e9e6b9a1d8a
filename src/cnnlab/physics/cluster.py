"""Swendsen-Wang cluster updates of many Ising lattices at once.

One sweep: put a bond on every pair of equal neighbours with probability
``p = 1 - exp(-2/T)``, find the clusters that the bonds connect
(``scipy.sparse.csgraph.connected_components``), and flip every cluster with
probability 1/2. Near Tc the clusters are as large as the correlated regions, so
samples decorrelate in a few sweeps where single-spin Metropolis needs ~L^2.17
(Swendsen and Wang, Phys. Rev. Lett. 58, 86 (1987)). Every step is vectorised;
the independent lattices (chains) of a batch form one graph whose components
never cross from one lattice to another.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from cnnlab.physics.observables import energy, magnetization
from cnnlab.physics.randombytes import bernoulli


class SwendsenWang:
    """``n_chains`` periodic lattices of any side, updated by Swendsen-Wang sweeps.

    Parameters
    ----------
    spins : ndarray of int8, shape (n_chains, L, ..., L)
        Initial configurations (copied).
    """

    def __init__(self, spins: np.ndarray) -> None:
        self.spins = np.array(spins, dtype=np.int8)
        chains, shape = self.spins.shape[0], self.spins.shape[1:]
        self.dims, sites = len(shape), int(np.prod(shape))
        nodes = chains * sites
        node = np.arange(nodes, dtype=np.int32).reshape(self.spins.shape)
        # The graph has one slot per (site, axis), for the bond to the next site along the
        # axis; a slot without a bond points back to its own site. Self-loops change no
        # component, and a fixed row length spares a cumsum and a boolean compaction.
        forward = np.stack([np.roll(node, -1, axis) for axis in range(1, self.dims + 1)], -1)
        self.step = (forward - node[..., None]).reshape(-1)  # (nodes * dims,)
        self.own = np.repeat(np.arange(nodes, dtype=np.int32), self.dims)
        self.indptr = np.arange(0, nodes * self.dims + 1, self.dims, dtype=np.int32)
        self.weights = np.ones(nodes * self.dims)  # float64: csgraph would convert otherwise

    def sweeps(self, temperature: float, count: int, rng: np.random.Generator) -> None:
        """``count`` Swendsen-Wang sweeps at ``temperature`` (0 < T < inf)."""
        probability = -np.expm1(-2.0 / temperature)
        nodes = self.spins.size
        bonds = np.empty(self.spins.shape + (self.dims,), dtype=bool)
        for _ in range(count):
            for axis in range(self.dims):
                equal = self.spins == np.roll(self.spins, -1, axis + 1)
                np.logical_and(
                    equal, bernoulli(probability, equal.shape, rng), out=bonds[..., axis]
                )
            indices = self.own + bonds.reshape(-1) * self.step
            graph = csr_matrix((self.weights, indices, self.indptr), shape=(nodes, nodes))
            clusters, labels = connected_components(graph, directed=True, connection="weak")
            signs = 1 - 2 * rng.integers(0, 2, clusters, dtype=np.int8)
            self.spins *= signs[labels].reshape(self.spins.shape)

    def get(self) -> np.ndarray:
        """The configurations, shape ``(n_chains, L, ..., L)``, int8 (a copy)."""
        return self.spins.copy()

    def measure(self) -> tuple[np.ndarray, np.ndarray]:
        """Energy and magnetization per spin of every chain, each float64 ``(n_chains,)``."""
        return energy(self.spins), magnetization(self.spins)
