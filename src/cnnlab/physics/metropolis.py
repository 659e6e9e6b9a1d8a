"""Checkerboard Metropolis updates of many Ising lattices at once.

A site's neighbours all have the other colour of a checkerboard, so every site of
one colour can be updated at the same time without changing the stationary
distribution (for L >= 3: on the 2 x 2 torus both sites of a colour see the same
field, and the sweeps are not ergodic). Two layouts do this:

* :class:`PackedLattices` (even ``L``, the fast path). The lattice is split into
  its ``2**dims`` parity sub-lattices (``spins[:, p0::2, p1::2, ...]``), stored
  contiguously, one colour after the other. A site's neighbours along an axis
  are then one sub-lattice of the other colour at the same index and the same
  sub-lattice shifted by one, so a neighbour sum is a few slice additions on
  ``int8`` arrays, and each colour's update touches only its own sites.
* :func:`masked_sweeps` (any ``L``, the plain version). Neighbour sums of the
  whole lattice by ``np.roll`` and a mask per colour. An odd ``L`` breaks the
  two-colouring across the periodic boundary; the colouring
  ``sum_a c(x_a) mod 3`` with ``c(x) = x mod 2`` for ``x < L - 1`` and
  ``c(L - 1) = 2`` is proper for any ``L`` (neighbours differ in exactly one
  coordinate, where ``c`` differs), so odd lattices use three colours.

The acceptance test ``U < min(1, exp(-2 s h / T))`` (``h`` the neighbour sum) is
exact but costs about one random *byte* per site (:mod:`.randombytes`). Only
``k = s h / 2 > 0`` can be rejected, with ``p_k = exp(-4 k / T)`` decreasing in
``k``; with ``t_k = floor(256 p_k)``, a site whose byte ``b`` equals no ``t_k``
is accepted exactly when ``k <= #{j : b < t_j}``, and the about ``dims / 256``
of the sites whose byte ties a threshold are decided with a float64.
"""

from __future__ import annotations

import itertools
from typing import cast

import numpy as np

from cnnlab.physics.randombytes import random_bytes, threshold, tied_sites

#: spins per batch of lattices updated together: large enough that numpy's per-call
#: overhead is small, small enough that the work arrays stay in a 2 MB L2 cache
BATCH_SPINS = 1 << 18


def acceptance(temperature: float, dims: int) -> np.ndarray:
    """``min(1, exp(-4 k / T))`` for ``k = s h / 2`` from ``-dims`` to ``dims``, shape ``(2 dims + 1,)``."""
    k = np.arange(-dims, dims + 1, dtype=np.float64)
    return np.minimum(1.0, np.exp(-4.0 * k / temperature))


class Acceptance:
    """The Metropolis test at one temperature, worked out once: probabilities and byte thresholds."""

    def __init__(self, temperature: float, dims: int) -> None:
        self.dims = dims
        self.probabilities = acceptance(temperature, dims)
        self.thresholds = [threshold(p) for p in self.probabilities[dims + 1 :]]

    def __call__(self, half_energy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Boolean decisions for sites with ``s h / 2 = half_energy`` (int8, contiguous, any shape)."""
        size = half_energy.size
        draws = random_bytes(rng, size)
        # passed = #{k > 0 : b < t_k}; a site with k = s h / 2 is accepted when k <= passed
        passed = np.less(draws, self.thresholds[0]).view(np.int8)
        ties = np.equal(draws, self.thresholds[0])
        scratch = np.empty(draws.shape, dtype=bool)
        for limit in self.thresholds[1:]:
            np.add(passed, np.less(draws, limit, out=scratch), out=passed)
            np.logical_or(ties, np.equal(draws, limit, out=scratch), out=ties)
        accept = np.less_equal(half_energy, passed[:size].reshape(half_energy.shape))
        tied = tied_sites(ties, size)
        if tied.size:
            energy = half_energy.reshape(-1)[tied]
            limit = 256.0 * self.probabilities[energy + self.dims] - draws[tied]
            accept.reshape(-1)[tied] = rng.random(tied.size) < limit
        return accept


def _flip(spins: np.ndarray, accept: np.ndarray) -> None:
    """Flip the accepted ``int8`` spins in place: ``x ^ -2`` swaps 1 and -1 (0x01 and 0xFF)."""
    np.bitwise_xor(spins, np.multiply(accept.view(np.int8), np.int8(-2)), out=spins)


class PackedLattices:
    """``n_chains`` periodic lattices of even side, stored by parity sub-lattice.

    The layout is ``(colour, sub-lattice, L/2, ..., L/2, chain)``: with the chains
    last, every slice addition of a neighbour sum runs over long contiguous
    blocks, even for small lattices.

    Parameters
    ----------
    spins : ndarray of int8, shape (n_chains, L, ..., L)
        Initial configurations (copied), ``L`` even.
    """

    def __init__(self, spins: np.ndarray) -> None:
        self.dims = spins.ndim - 1
        self.side = spins.shape[1]
        if self.side % 2:
            raise ValueError(f"PackedLattices needs an even side, got L={self.side}")
        parities = list(itertools.product((0, 1), repeat=self.dims))
        # colour 0 holds the parities with an even sum, colour 1 the others
        self.parities = [[p for p in parities if sum(p) % 2 == c] for c in (0, 1)]
        half = self.side // 2
        shape: tuple[int, ...] = (
            (2, len(self.parities[0])) + (half,) * self.dims + (spins.shape[0],)
        )
        self.packed = np.empty(shape, dtype=np.int8)
        self.set(spins)
        self.field = np.empty(shape[1:], dtype=np.int8)
        # per (colour, sub-lattice, axis): the index of the neighbouring sub-lattice and the
        # direction of the shifted neighbour (-1 for parity 0 along the axis, +1 for parity 1)
        self.plan = [
            [
                [
                    (self.parities[1 - c].index(_toggle(p, a)), 1 if p[a] else -1)
                    for a in range(self.dims)
                ]
                for p in self.parities[c]
            ]
            for c in (0, 1)
        ]

    def _slices(self, parity):
        return (slice(None),) + tuple(slice(p, None, 2) for p in parity)

    def set(self, spins: np.ndarray) -> None:
        """Load configurations of shape ``(n_chains, L, ..., L)``."""
        chains_last = np.moveaxis(spins, 0, -1)
        for colour in (0, 1):
            for index, parity in enumerate(self.parities[colour]):
                self.packed[colour, index] = chains_last[self._slices(parity)[1:]]

    def get(self) -> np.ndarray:
        """The configurations, shape ``(n_chains, L, ..., L)``, int8."""
        out = np.empty((self.side,) * self.dims + (self.packed.shape[-1],), dtype=np.int8)
        for colour in (0, 1):
            for index, parity in enumerate(self.parities[colour]):
                out[self._slices(parity)[1:]] = self.packed[colour, index]
        return np.ascontiguousarray(np.moveaxis(out, -1, 0))

    def _neighbour_sum(self, colour: int) -> np.ndarray:
        """Sum of the neighbours of every site of ``colour``, into ``self.field``."""
        other = self.packed[1 - colour]
        for index, steps in enumerate(self.plan[colour]):
            out = self.field[index]
            np.add(other[steps[0][0]], other[steps[1][0]], out=out)
            for neighbour, _ in steps[2:]:
                out += other[neighbour]
            for axis, (neighbour, step) in enumerate(steps):
                _add_shifted(out, other[neighbour], axis, step)
        return self.field

    def measure(self) -> tuple[np.ndarray, np.ndarray]:
        """Energy and magnetization per spin of every chain, each float64 ``(n_chains,)``.

        Every bond has one end of each colour, so ``sum_<ij> s_i s_j`` is the sum
        of ``s h`` over colour 0 alone.
        """
        sites = self.side**self.dims
        field = self._neighbour_sum(0)
        np.multiply(field, self.packed[0], out=field)
        bonds = field.reshape(-1, field.shape[-1]).sum(axis=0, dtype=np.int64)
        total = self.packed.reshape(-1, field.shape[-1]).sum(axis=0, dtype=np.int64)
        return -bonds / sites, total / sites

    def sweeps(self, temperature: float, count: int, rng: np.random.Generator) -> None:
        """``count`` Metropolis sweeps (each colour once) at ``temperature``."""
        accept = Acceptance(temperature, self.dims)
        for _ in range(count):
            for colour in (0, 1):
                field = self._neighbour_sum(colour)
                spins = self.packed[colour]
                np.multiply(field, spins, out=field)
                np.right_shift(field, 1, out=field)  # s h is even; k = s h / 2
                _flip(spins, accept(field, rng))


def _toggle(parity: tuple[int, ...], axis: int) -> tuple[int, ...]:
    return tuple(p ^ 1 if a == axis else p for a, p in enumerate(parity))


def _add_shifted(out: np.ndarray, values: np.ndarray, axis: int, step: int) -> None:
    """``out += np.roll(values, -step, axis)`` without the copy: two slice additions."""
    before: list[slice | int] = [slice(None)] * out.ndim
    after: list[slice | int] = [slice(None)] * out.ndim
    if step == -1:  # out[i] += values[i - 1]
        before[axis], after[axis] = slice(1, None), slice(None, -1)
        out[tuple(before)] += values[tuple(after)]
        before[axis], after[axis] = 0, -1
    else:  # out[i] += values[i + 1]
        before[axis], after[axis] = slice(None, -1), slice(1, None)
        out[tuple(before)] += values[tuple(after)]
        before[axis], after[axis] = -1, 0
    out[tuple(before)] += values[tuple(after)]


def colours(side: int, dims: int) -> np.ndarray:
    """A proper colouring of the periodic lattice, shape ``(L,) * dims``: 2 colours, 3 if L is odd."""
    ring = np.arange(side) % 2
    if side % 2:
        ring[-1] = 2
    grids = np.meshgrid(*([ring] * dims), indexing="ij")
    total = cast(np.ndarray, sum(grids))  # an array: there is one grid per axis at least
    return total % (3 if side % 2 else 2)


def masked_sweeps(
    spins: np.ndarray, temperature: float, count: int, rng: np.random.Generator
) -> None:
    """Plain checkerboard Metropolis (any ``L``), in place on ``(n_chains, L, ..., L)`` int8.

    Neighbour sums by ``np.roll`` over the whole lattice, then one colour
    updated at a time; the readable version that the packed one is checked
    against, and the path for odd ``L``.
    """
    dims = spins.ndim - 1
    colouring = colours(spins.shape[1], dims)
    masks = [colouring == colour for colour in range(int(colouring.max()) + 1)]
    test = Acceptance(temperature, dims)
    for _ in range(count):
        for mask in masks:
            field = cast(  # an array: there is one axis at least
                np.ndarray,
                sum(
                    np.roll(spins, shift, axis) for axis in range(1, dims + 1) for shift in (1, -1)
                ),
            )
            half_energy = (spins * field.astype(np.int8)) >> 1
            accept = test(half_energy, rng) & mask
            _flip(spins, accept)
