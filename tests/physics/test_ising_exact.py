"""Exact results: Onsager and Yang, Kaufman's finite lattices, enumeration of small lattices."""

import numpy as np
import pytest
from scipy import integrate

from cnnlab.physics import ising


def test_critical_temperature():
    assert ising.CRITICAL_TEMPERATURE == pytest.approx(2.269185314213022, rel=1e-15)
    assert ising.critical_temperature(3) == pytest.approx(4.5115, abs=1e-4)


def test_onsager_energy_known_values():
    # u(Tc) = -sqrt(2) exactly; the limits are -2 (ground state) and 0 (random spins)
    assert ising.onsager_energy(ising.CRITICAL_TEMPERATURE) == pytest.approx(-np.sqrt(2), abs=1e-12)
    assert ising.onsager_energy(0.0) == -2.0
    assert ising.onsager_energy(np.inf) == 0.0
    values = ising.onsager_energy([1.0, 2.0, 3.0])
    assert values.shape == (3,)
    # the low-temperature series, from -beta f = 2 beta + x^2 + 2 x^3 + 9/2 x^4 + ..., x = e^(-4 beta)
    x = np.exp(-4.0)
    assert values[0] == pytest.approx(-2 + 8 * x**2 + 24 * x**3 + 72 * x**4, abs=1e-6)
    assert values[1] == pytest.approx(-1.7455645753, abs=1e-9)
    # continuous through Tc (the elliptic integral's divergence is cancelled)
    eps = 1e-7
    near = ising.onsager_energy(
        [ising.CRITICAL_TEMPERATURE - eps, ising.CRITICAL_TEMPERATURE + eps]
    )
    assert near == pytest.approx([-np.sqrt(2), -np.sqrt(2)], abs=1e-5)


@pytest.mark.parametrize("temperature", [1.5, 2.0, 2.5, 3.5])
def test_onsager_energy_is_the_derivative_of_onsagers_free_energy(temperature):
    # -beta f = ln 2 + 1/(8 pi^2) int int ln[cosh^2 2K - sinh 2K (cos a + cos b)], u = -d(-beta f)/d beta
    def minus_beta_f(beta):
        def integrand(a, b):
            return np.log(np.cosh(2 * beta) ** 2 - np.sinh(2 * beta) * (np.cos(a) + np.cos(b)))

        value = integrate.dblquad(integrand, 0, np.pi, 0, np.pi, epsabs=1e-12)[0]
        return np.log(2) + value / (2 * np.pi**2)

    beta, h = 1 / temperature, 1e-4
    numeric = -(minus_beta_f(beta + h) - minus_beta_f(beta - h)) / (2 * h)
    assert ising.onsager_energy(temperature) == pytest.approx(numeric, abs=1e-6)


def test_spontaneous_magnetization():
    assert ising.spontaneous_magnetization(2.0) == pytest.approx(0.911319377877496, abs=1e-12)
    assert ising.spontaneous_magnetization(1.5) == pytest.approx(0.986499602621, abs=1e-10)
    assert ising.spontaneous_magnetization(0.0) == 1.0
    assert ising.spontaneous_magnetization([2.5, 3.0, np.inf]).tolist() == [0.0, 0.0, 0.0]
    # beta = 1/8: M ~ (Tc - T)^(1/8) just below Tc
    below = ising.CRITICAL_TEMPERATURE * (1 - np.array([1e-4, 1e-6]))
    ratio = np.divide(*ising.spontaneous_magnetization(below))
    assert ratio == pytest.approx(100 ** (1 / 8), rel=1e-3)
    with pytest.raises(ValueError, match="temperature"):
        ising.spontaneous_magnetization(-1.0)


@pytest.mark.parametrize("L", [2, 3, 4])
@pytest.mark.parametrize("temperature", [1.0, 2.0, 3.0, 10.0])
def test_kaufman_partition_function_matches_enumeration(L, temperature):
    exact = ising.exact_distribution(L, temperature)
    # ln Z from the enumerated energy levels (their degeneracies are probabilities * Z)
    from cnnlab.physics.exact import _enumerate

    bonds, _ = _enumerate(L, 2)
    log_z = np.log(np.sum(np.exp((bonds - bonds.max()) / temperature))) + bonds.max() / temperature
    assert ising.log_partition_function(L, temperature) == pytest.approx(log_z, rel=1e-13)
    assert ising.finite_lattice_energy(L, temperature) == pytest.approx(exact.mean_energy, abs=1e-8)


def test_two_by_two_closed_form():
    # Z = 2 e^(8 beta) + 12 + 2 e^(-8 beta) for the periodic 2 x 2 lattice (double bonds)
    for temperature in (0.5, 2.0, 5.0):
        beta = 1 / temperature
        exact = ising.exact_distribution(2, temperature)
        mean_e = -8 * np.sinh(8 * beta) / (np.cosh(8 * beta) + 3) / 4
        mean_abs_m = (2 * np.exp(8 * beta) + 4) / (np.cosh(8 * beta) + 3) / 4
        assert exact.mean_energy == pytest.approx(mean_e, rel=1e-12)
        assert exact.mean_abs_magnetization == pytest.approx(mean_abs_m, rel=1e-12)


def test_exact_distribution_of_the_four_by_four_lattice():
    exact = ising.exact_distribution(4, 2.0)
    assert exact.energy_probabilities.sum() == pytest.approx(1.0)
    assert exact.magnetization_probabilities.sum() == pytest.approx(1.0)
    # 32 bonds: energies per spin -2, -1.5, -1.25, ... ; E = -30 is impossible on a torus
    assert exact.energies[:3].tolist() == [-2.0, -1.5, -1.25]
    assert exact.mean_energy == pytest.approx(-1.7553802887774614, rel=1e-12)
    assert exact.mean_abs_magnetization == pytest.approx(0.9189432674, abs=1e-9)
    infinite = ising.exact_distribution(4, np.inf)
    assert infinite.mean_energy == pytest.approx(0.0, abs=1e-15)
    ground = ising.exact_distribution(4, 0.0)
    assert ground.energies[ground.energy_probabilities > 0].tolist() == [-2.0]
    cube = ising.exact_distribution(2, 3.0, dims=3)
    assert cube.energies[0] == -3.0
    with pytest.raises(ValueError, match="2\\*\\*16"):
        ising.exact_distribution(5, 2.0)


def test_finite_lattice_energy_approaches_onsager():
    for temperature in (1.5, 3.0, 3.5):
        exact = ising.finite_lattice_energy(64, temperature)
        assert exact == pytest.approx(ising.onsager_energy(temperature), abs=1e-9)
    # at Tc the finite-size correction is visible and shrinks with L
    gaps = [
        ising.finite_lattice_energy(L, ising.CRITICAL_TEMPERATURE) + np.sqrt(2)
        for L in (16, 64, 256)
    ]
    assert gaps[0] < gaps[1] < gaps[2] < 0
