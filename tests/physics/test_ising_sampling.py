"""The samplers against exact results: 2^16 states of the 4 x 4 torus, Kaufman, Onsager."""

import numpy as np
import pytest
from scipy import stats

from cnnlab.physics import ising

CHAINS = 200


def energy_test(spins, exact, chains=CHAINS):
    """Chi-square p-value of the energy histogram against ``exact``, and the mean's pull.

    The samples come chain after chain; the integrated autocorrelation time of
    the energy along the chains inflates the variances (effective sample size
    n / (2 tau)), so correlated samples are not mistaken for a wrong sampler.
    """
    energies = ising.energy(spins)
    tau = ising.autocorrelation_time(energies.reshape(chains, -1))
    inflation = max(1.0, 2 * tau)
    levels = exact.energies
    counts = np.array([np.count_nonzero(np.isclose(energies, level)) for level in levels])
    assert counts.sum() == len(energies)  # every sample sits on an exact level
    expected = exact.energy_probabilities * len(energies)
    # levels expected fewer than 10 times are pooled into one bin
    rare = expected < 10
    observed = np.append(counts[~rare], counts[rare].sum())
    expected = np.append(expected[~rare], expected[rare].sum())
    if expected[-1] == 0:
        observed, expected = observed[:-1], expected[:-1]
    chi_square = np.sum((observed - expected) ** 2 / expected) / inflation
    p_value = stats.chi2.sf(chi_square, len(expected) - 1)
    error = energies.std() * np.sqrt(inflation / len(energies))
    pull = (energies.mean() - exact.mean_energy) / error
    return p_value, pull, tau


@pytest.mark.parametrize("algorithm", ["metropolis", "cluster"])
@pytest.mark.parametrize("temperature", [2.0, 3.0])
def test_energy_histogram_of_the_four_by_four_lattice_is_exact(algorithm, temperature):
    exact = ising.exact_distribution(4, temperature)
    spins = ising.sample(4, temperature, 20000, algorithm=algorithm, chains=CHAINS, seed=12)
    p_value, pull, tau = energy_test(spins, exact)
    assert p_value > 1e-3
    assert abs(pull) < 4
    assert tau < 1.0  # the default `every` leaves the samples nearly independent
    # the same test must catch a sampler that runs 10 % too hot
    wrong = ising.sample(4, 1.1 * temperature, 20000, algorithm=algorithm, chains=CHAINS, seed=12)
    p_wrong, pull_wrong, _ = energy_test(wrong, exact)
    assert p_wrong < 1e-6
    assert abs(pull_wrong) > 6


def test_correlated_samples_pass_once_their_autocorrelation_is_counted():
    exact = ising.exact_distribution(4, 2.0)
    spins = ising.sample(4, 2.0, 20000, every=1, thermalize=50, chains=CHAINS, seed=3)
    p_value, pull, tau = energy_test(spins, exact)
    assert tau > 0.8  # one sweep apart, the energies are correlated
    assert p_value > 1e-3 and abs(pull) < 4


@pytest.mark.parametrize("algorithm", ["metropolis", "cluster"])
def test_odd_lattice_is_exact(algorithm):
    # L = 3 needs three checkerboard colours across the periodic boundary (the masked path)
    exact = ising.exact_distribution(3, 2.2)
    spins = ising.sample(3, 2.2, 20000, algorithm=algorithm, chains=CHAINS, seed=5)
    p_value, pull, _ = energy_test(spins, exact)
    assert p_value > 1e-3 and abs(pull) < 4


def test_cluster_on_the_two_by_two_by_two_cube_is_exact():
    exact = ising.exact_distribution(2, 4.0, dims=3)
    spins = ising.sample(2, 4.0, 20000, dims=3, algorithm="cluster", chains=CHAINS, seed=8)
    p_value, pull, _ = energy_test(spins, exact)
    assert p_value > 1e-3 and abs(pull) < 4


def chain_means(values, chains):
    """Mean and standard error from independent chains (honest whatever the autocorrelation)."""
    per_chain = values.reshape(chains, -1).mean(axis=1)
    return per_chain.mean(), per_chain.std(ddof=1) / np.sqrt(chains)


@pytest.mark.parametrize(
    "L,dims,temperature,per_chain",
    [(16, 2, ising.CRITICAL_TEMPERATURE, 60), (4, 3, ising.CRITICAL_TEMPERATURE_3D, 200)],
)
def test_metropolis_and_cluster_agree_at_tc(L, dims, temperature, per_chain):
    results = {}
    for algorithm in ("metropolis", "cluster"):
        spins = ising.sample(
            L, temperature, 64 * per_chain, dims=dims, algorithm=algorithm, chains=64, seed=4
        )
        results[algorithm] = [
            chain_means(ising.energy(spins), 64),
            chain_means(np.abs(ising.magnetization(spins)), 64),
        ]
    for (mean_a, error_a), (mean_b, error_b) in zip(*results.values(), strict=True):
        assert abs(mean_a - mean_b) < 4 * np.hypot(error_a, error_b)
        assert max(error_a, error_b) < 0.01  # the comparison has teeth
    if dims == 2:  # both against Kaufman's exact energy of the 16 x 16 torus
        exact = ising.finite_lattice_energy(L, temperature)
        for (mean, error), _ in results.values():
            assert abs(mean - exact) < 4 * error


@pytest.mark.parametrize("algorithm", ["metropolis", "cluster"])
@pytest.mark.parametrize("temperature", [1.5, 3.5])
def test_sixty_four_squared_against_onsager(algorithm, temperature):
    chains = 32
    spins = ising.sample(64, temperature, chains * 8, algorithm=algorithm, chains=chains, seed=9)
    e, e_error = chain_means(ising.energy(spins), chains)
    m = np.abs(ising.magnetization(spins))
    abs_m, m_error = chain_means(m, chains)
    assert abs(e - ising.onsager_energy(temperature)) < 4 * e_error
    assert e_error < 2e-3
    if temperature < ising.CRITICAL_TEMPERATURE:
        assert abs(abs_m - ising.spontaneous_magnetization(temperature)) < 4 * m_error
    else:
        # M = 0 in the infinite lattice; on 64 x 64, m is a Gaussian of width ~ 1/L
        assert abs_m < 0.05
        gaussian = np.sqrt(2 / np.pi * np.mean(m**2))
        assert abs(abs_m - gaussian) < 4 * m_error


def test_packed_and_masked_metropolis_agree_on_an_even_lattice():
    # the fast sub-lattice layout against the plain np.roll version (also the odd-L path)
    from cnnlab.physics.metropolis import PackedLattices, masked_sweeps

    rng = np.random.default_rng(0)
    chains = 128
    start = np.ones((chains, 6, 6), dtype=np.int8)
    packed, masked = PackedLattices(start), start.copy()
    packed.sweeps(2.5, 30, rng)
    masked_sweeps(masked, 2.5, 30, rng)
    sums = {"packed": 0.0, "masked": 0.0}
    for _ in range(50):
        packed.sweeps(2.5, 2, rng)
        masked_sweeps(masked, 2.5, 2, rng)
        sums["packed"] = sums["packed"] + ising.energy(packed.get())
        sums["masked"] = sums["masked"] + ising.energy(masked)
    (a, a_error), (b, b_error) = (chain_means(total / 50, chains) for total in sums.values())
    assert abs(a - b) < 4 * np.hypot(a_error, b_error)
    assert max(a_error, b_error) < 0.01  # a 4 % change of T moves the energy by 0.07
