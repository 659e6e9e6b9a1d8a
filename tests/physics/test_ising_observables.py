"""Observables of known configurations, the sampler's interface, bad inputs, autocorrelation."""

import numpy as np
import pytest

from cnnlab.physics import ising
from cnnlab.physics.randombytes import bernoulli


def checkerboard(L, dims):
    return (1 - 2 * (np.indices((L,) * dims).sum(axis=0) % 2)).astype(np.int8)


@pytest.mark.parametrize("dims", [2, 3])
def test_energy_and_magnetization_of_known_configurations(dims):
    L = 4
    up = np.ones((1,) + (L,) * dims, dtype=np.int8)
    board = checkerboard(L, dims)[None]
    spins = np.concatenate([up, -up, board])
    assert ising.energy(spins).tolist() == [-dims, -dims, dims]
    assert ising.magnetization(spins).tolist() == [1.0, -1.0, 0.0]
    # one flipped spin costs 2 * (2 dims) in energy: per spin 4 dims / N
    flipped = up.copy()
    flipped[(0,) * (dims + 1)] = -1
    assert ising.energy(flipped)[0] == pytest.approx(-dims + 4 * dims / L**dims)
    assert ising.magnetization(flipped)[0] == pytest.approx(1 - 2 / L**dims)
    # float input works the same, and the result is float64 per sample
    assert ising.energy(spins.astype(float)).dtype == np.float64


def test_stripes_and_a_rectangular_lattice():
    stripes = np.ones((1, 4, 6), dtype=np.int8)
    stripes[:, :2] = -1  # two domain walls of length 6: 12 broken bonds of 48
    assert ising.energy(stripes)[0] == pytest.approx(-(48 - 2 * 12) / 24)


def test_fluctuation_observables_against_enumeration():
    temperature = 2.5
    exact = ising.exact_distribution(4, temperature)
    spins = ising.sample(4, temperature, 40000, algorithm="cluster", seed=2)
    assert ising.heat_capacity(spins, temperature) == pytest.approx(exact.heat_capacity, rel=0.04)
    assert ising.susceptibility(spins, temperature) == pytest.approx(exact.susceptibility, rel=0.04)
    assert ising.binder_cumulant(spins) == pytest.approx(exact.binder_cumulant, abs=0.01)
    # <m> = 0 by symmetry: without the absolute value, chi = N <m^2> / T is much larger
    assert ising.susceptibility(spins, temperature, absolute=False) > 3 * exact.susceptibility
    assert ising.heat_capacity(spins, np.inf) == 0.0


def test_binder_cumulant_limits():
    ordered = np.ones((10, 8, 8), dtype=np.int8)
    assert ising.binder_cumulant(ordered) == pytest.approx(2 / 3)
    random = ising.sample(16, np.inf, 4000, seed=0)
    assert abs(ising.binder_cumulant(random)) < 0.05


@pytest.mark.parametrize("algorithm", ["metropolis", "cluster"])
@pytest.mark.parametrize("L,dims", [(6, 2), (5, 2), (4, 3)])
def test_sample_shapes_dtypes_and_seeds(algorithm, L, dims):
    spins = ising.sample(L, 2.5, 7, dims=dims, algorithm=algorithm, seed=1)
    assert spins.shape == (7,) + (L,) * dims and spins.dtype == np.int8
    assert set(np.unique(spins)) <= {-1, 1}
    again = ising.sample(L, 2.5, 7, dims=dims, algorithm=algorithm, seed=1)
    other = ising.sample(L, 2.5, 7, dims=dims, algorithm=algorithm, seed=2)
    assert np.array_equal(spins, again) and not np.array_equal(spins, other)


def test_zero_and_infinite_temperature():
    ground = ising.sample(8, 0, 200, seed=0)
    m = ising.magnetization(ground)
    assert set(m.tolist()) == {-1.0, 1.0} and ground.dtype == np.int8
    random = ising.sample(8, np.inf, 200, dims=3, seed=0)
    assert random.shape == (200, 8, 8, 8) and random.dtype == np.int8
    assert abs(random.mean()) < 0.01 and abs(ising.energy(random).mean()) < 0.01


def test_sweep_defaults_follow_the_measured_autocorrelation():
    thermalize, every = ising.sweep_defaults(64, ising.CRITICAL_TEMPERATURE)
    assert every >= 2 * 181  # tau_int(|m|) measured 153-188 sweeps at Tc on 64 x 64
    assert thermalize >= 10 * 181
    assert ising.sweep_defaults(64, 1.5)[1] <= 4  # far from Tc a few sweeps do
    cluster = ising.sweep_defaults(64, ising.CRITICAL_TEMPERATURE, algorithm="cluster")
    assert cluster[1] < every / 20


@pytest.mark.parametrize(
    "kwargs,error,words",
    [
        ({"L": 1}, ValueError, ["L", "1", ">= 2"]),
        ({"L": 4.5}, TypeError, ["L", "4.5", "integer"]),
        ({"L": 2}, ValueError, ["L", "2", "cluster"]),
        ({"temperature": -1.0}, ValueError, ["temperature", "-1.0", ">= 0"]),
        ({"temperature": "hot"}, TypeError, ["temperature", "'hot'", "real number"]),
        ({"temperature": float("nan")}, ValueError, ["temperature", "nan"]),
        ({"n_samples": 0}, ValueError, ["n_samples", "0", ">= 1"]),
        ({"dims": 4}, ValueError, ["dims", "4", "2 or 3"]),
        ({"algorithm": "wolff"}, ValueError, ["algorithm", "'wolff'", "metropolis"]),
        ({"thermalize": -1}, ValueError, ["thermalize", "-1", ">= 0"]),
        ({"every": 0}, ValueError, ["every", "0", ">= 1"]),
        ({"chains": 0}, ValueError, ["chains", "0", ">= 1"]),
    ],
)
def test_sample_rejects_bad_input(kwargs, error, words):
    arguments = {"L": 8, "temperature": 2.0, "n_samples": 4} | kwargs
    with pytest.raises(error) as caught:
        ising.sample(
            arguments.pop("L"),
            arguments.pop("temperature"),
            arguments.pop("n_samples"),
            **arguments,
        )
    for word in words:
        assert word in str(caught.value)


@pytest.mark.parametrize(
    "spins,error,words",
    [
        (np.ones((4, 4)), ValueError, ["spins", "(4, 4)", "spins[None]"]),
        (np.zeros((1, 4, 4)), ValueError, ["spins", "+1 and -1", "16"]),
        (np.array([[["a"]]]), TypeError, ["spins", "dtype"]),
        (np.ones((0, 4, 4)), ValueError, ["spins", "empty"]),
    ],
)
def test_observables_reject_bad_spins(spins, error, words):
    with pytest.raises(error) as caught:
        ising.energy(spins)
    for word in words:
        assert word in str(caught.value)
    with pytest.raises(error):
        ising.magnetization(spins)


def test_fluctuation_observables_reject_bad_temperature():
    spins = np.ones((2, 4, 4), dtype=np.int8)
    with pytest.raises(ValueError, match="temperature must be > 0"):
        ising.heat_capacity(spins, 0.0)
    with pytest.raises(TypeError, match="temperature"):
        ising.susceptibility(spins, None)


def test_autocorrelation_time_of_an_ar1_process():
    # x_t = a x_(t-1) + noise has rho(t) = a^t, so tau_int = (1 + a) / (2 (1 - a))
    rng = np.random.default_rng(0)
    a, chains, steps = 0.8, 20, 20000
    x = np.zeros((chains, steps))
    noise = rng.standard_normal((chains, steps))
    for t in range(1, steps):
        x[:, t] = a * x[:, t - 1] + noise[:, t]
    assert ising.autocorrelation_time(x) == pytest.approx((1 + a) / (2 * (1 - a)), rel=0.05)
    assert ising.autocorrelation_time(noise) == pytest.approx(0.5, abs=0.02)
    assert np.isnan(ising.autocorrelation_time(np.ones(100)))
    with pytest.raises(ValueError, match="series"):
        ising.autocorrelation_time(np.ones((2, 2, 2)))


def test_time_series_shows_metropolis_slowing_down_and_cluster_not():
    taus = {}
    for algorithm in ("metropolis", "cluster"):
        series = ising.time_series(
            16, ising.CRITICAL_TEMPERATURE, 1500, algorithm=algorithm, chains=32, seed=1
        )
        assert series["energy"].shape == (32, 1500)
        taus[algorithm] = ising.autocorrelation_time(np.abs(series["magnetization"]))
    assert 7 < taus["metropolis"] < 14  # measured 10.1 for L = 16
    assert 2 < taus["cluster"] < 4  # measured 2.9


@pytest.mark.parametrize("probability", [0.0, 1 / 256, 0.3, 0.999, 1.0])
def test_bernoulli_from_bytes_is_exact(probability):
    n = 2_000_000
    draws = bernoulli(probability, (n,), np.random.default_rng(7))
    frequency = draws.mean()
    tolerance = 5 * np.sqrt(probability * (1 - probability) / n) + 1e-12
    assert abs(frequency - probability) <= tolerance
