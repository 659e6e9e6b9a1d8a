"""Phase analysis on synthetic data with a known Tc and nu."""

import numpy as np
import pytest

from cnnlab.physics import phase

TC, NU, SHIFT, WIDTH = 2.269185, 1.0, 1.0, 1.0
SIZES = np.array([8, 16, 32, 64])
GRID = np.round(np.arange(2.0, 2.6001, 0.02), 4)


def pseudo_critical(L, tc=TC, nu=NU):
    return tc + SHIFT * L ** (-1 / nu)


def synthetic_outputs(L, rng, samples=200, noise=0.1, tc=TC, nu=NU):
    """Per-sample outputs of a fictitious classifier: a logistic step at Tc(L), width ~ L^(-1/nu)."""
    temperatures = np.repeat(GRID, samples)
    step = 1 / (1 + np.exp(-(pseudo_critical(L, tc, nu) - temperatures) * L ** (1 / nu) / WIDTH))
    return step + noise * rng.standard_normal(len(temperatures)), temperatures


def test_mean_output_groups_by_temperature():
    outputs = np.array([1.0, 0.0, 1.0, 0.5, 0.7, 0.2])
    temperatures = np.array([3.0, 2.0, 2.0, 3.0, 2.5, 2.0])
    result = phase.mean_output(outputs, temperatures)
    assert result.temperatures.tolist() == [2.0, 2.5, 3.0]
    assert result.means == pytest.approx([0.4, 0.7, 0.75])
    assert result.counts.tolist() == [3, 1, 2]
    assert result.errors[0] == pytest.approx(np.std([0.0, 1.0, 0.2], ddof=1) / np.sqrt(3))
    assert np.isnan(result.errors[1])
    two_columns = phase.mean_output(np.stack([outputs, 1 - outputs], axis=1), temperatures)
    assert two_columns.means[:, 1] == pytest.approx(1 - result.means)
    with pytest.raises(ValueError, match="same length"):
        phase.mean_output(outputs, temperatures[:-1])


def test_crossing_of_a_straight_line_is_exact():
    temperatures = np.linspace(2.0, 2.5, 11)
    means = 0.5 - 2.0 * (temperatures - 2.2137)
    found = phase.crossing(temperatures, means, np.full(11, 0.01), method="polynomial")
    assert found.temperature == pytest.approx(2.2137, abs=1e-10)
    assert found.error == pytest.approx(0.01 / 2.0 / np.sqrt(6), rel=0.5)  # ~ sigma / slope
    rising = phase.crossing(temperatures, 1 - means, method="polynomial")  # rising, no errors
    assert rising.temperature == pytest.approx(2.2137, abs=1e-10)
    # a straight line is the broad limit of a logistic: the default finds it too
    assert phase.crossing(temperatures, means).temperature == pytest.approx(2.2137, abs=1e-4)


@pytest.mark.parametrize("method", ["polynomial", "logistic"])
def test_crossing_beats_the_nearest_grid_point(method):
    rng = np.random.default_rng(1)
    L = 16
    outputs, temperatures = synthetic_outputs(L, rng)
    means = phase.mean_output(outputs, temperatures)
    found = phase.crossing(means.temperatures, means.means, means.errors, method=method)
    truth = pseudo_critical(L)
    nearest = means.temperatures[np.argmin(np.abs(means.means - 0.5))]
    assert abs(found.temperature - truth) < 3 * found.error
    assert abs(found.temperature - truth) < abs(nearest - truth) / 3
    assert 1e-4 < found.error < 0.005


def test_a_step_sharper_than_the_grid():
    # L = 64 on a 0.05 grid: three points across the step; the logistic is exact, a local
    # cubic is not (errors 1e-3 on the means)
    temperatures = np.linspace(1.8, 2.9, 23)
    truth = TC + 0.5 / 64
    means = 1 / (1 + np.exp((temperatures - truth) * 64 / 0.6))
    errors = np.full(23, 1e-3)
    logistic = phase.crossing(temperatures, means, errors)
    cubic = phase.crossing(temperatures, means, errors, method="polynomial")
    assert abs(logistic.temperature - truth) < min(1e-6, logistic.error)
    assert abs(cubic.temperature - truth) > 5 * cubic.error


def test_crossing_error_is_honest():
    # over independent data sets the estimates scatter as much as their errors say
    pulls = []
    for seed in range(20):
        outputs, temperatures = synthetic_outputs(16, np.random.default_rng(seed), samples=100)
        means = phase.mean_output(outputs, temperatures)
        found = phase.crossing(means.temperatures, means.means, means.errors, bootstrap=60)
        pulls.append((found.temperature - pseudo_critical(16)) / found.error)
    assert abs(np.mean(pulls)) < 0.6
    assert 0.6 < np.std(pulls) < 1.5


def test_crossing_rejects_curves_that_never_cross():
    with pytest.raises(ValueError, match="never cross level=0.5"):
        phase.crossing([1.0, 2.0, 3.0], [0.9, 0.8, 0.7])
    with pytest.raises(ValueError, match="errors must be 3 values > 0"):
        phase.crossing([1.0, 2.0, 3.0], [0.9, 0.5, 0.1], [0.1, 0.0, 0.1])


def test_finite_size_scaling_recovers_tc_and_nu():
    exact = pseudo_critical(SIZES)
    fit = phase.finite_size_scaling(SIZES, exact, np.full(4, 1e-4), bootstrap=50, seed=0)
    assert fit.tc == pytest.approx(TC, abs=1e-8) and fit.nu == pytest.approx(NU, abs=1e-6)
    assert fit.a == pytest.approx(SHIFT, abs=1e-6)
    errors = np.array([0.002, 0.001, 0.0006, 0.0003])
    pulls = []
    for seed in range(20):
        noisy = exact + errors * np.random.default_rng(seed).standard_normal(4)
        fit = phase.finite_size_scaling(SIZES, noisy, errors, bootstrap=200, seed=seed)
        assert fit.failed < 10 and fit.samples.shape[1] == 3
        pulls.append([(fit.tc - TC) / fit.tc_error, (fit.nu - NU) / fit.nu_error])
    pulls = np.array(pulls)
    assert np.all(np.abs(pulls.mean(axis=0)) < 0.7)
    assert np.all((0.5 < pulls.std(axis=0)) & (pulls.std(axis=0) < 1.5))
    assert fit.tc_error < 0.005 and fit.nu_error < 0.1


def test_finite_size_scaling_needs_enough_sizes():
    with pytest.raises(ValueError, match="at least 3 distinct sizes"):
        phase.finite_size_scaling([8, 16], [2.3, 2.29], [0.01, 0.01])
    with pytest.raises(ValueError, match="at least 4 sizes"):
        phase.finite_size_scaling([8, 16, 32], [2.4, 2.33, 2.3])
    fit = phase.finite_size_scaling(SIZES, pseudo_critical(SIZES) + [1e-4, -1e-4, 1e-4, 0], seed=0)
    assert np.isfinite(fit.tc_error) and fit.tc == pytest.approx(TC, abs=0.01)


def test_the_whole_analysis_finds_tc_and_nu_from_per_sample_outputs():
    rng = np.random.default_rng(3)
    crossings, errors, curves = [], [], []
    for L in SIZES:
        outputs, temperatures = synthetic_outputs(L, rng)
        means = phase.mean_output(outputs, temperatures)
        found = phase.crossing(means.temperatures, means.means, means.errors, method="logistic")
        crossings.append(found.temperature)
        errors.append(found.error)
        curves.append(means.means)
    fit = phase.finite_size_scaling(SIZES, crossings, errors, bootstrap=300, seed=1)
    assert abs(fit.tc - TC) < 3 * fit.tc_error and abs(fit.tc - TC) < 0.005
    assert abs(fit.nu - NU) < 3 * fit.nu_error and abs(fit.nu - NU) < 0.1
    # the collapse is best at the true exponents
    curves = np.array(curves)
    true = phase.collapse(GRID, curves, SIZES, TC, NU).quality
    for tc, nu in [(TC, 0.8), (TC, 1.25), (TC + 0.02, NU), (TC - 0.02, NU)]:
        assert phase.collapse(GRID, curves, SIZES, tc, nu).quality > 3 * true
    tc, nu, _ = phase.optimize_collapse(GRID, curves, SIZES, 2.3, 0.8)
    assert tc == pytest.approx(TC, abs=0.005) and nu == pytest.approx(NU, abs=0.05)


def test_collapse_accepts_a_grid_per_size_and_errors():
    rng = np.random.default_rng(4)
    grids, curves, errors = [], [], []
    for L in (8, 16, 32):
        outputs, temperatures = synthetic_outputs(L, rng)
        keep = temperatures < 2.45 if L == 8 else temperatures >= 2.1  # different ranges
        means = phase.mean_output(outputs[keep], temperatures[keep])
        grids.append(means.temperatures)
        curves.append(means.means)
        errors.append(means.errors)
    good = phase.collapse(grids, curves, [8, 16, 32], TC, NU, errors=errors)
    bad = phase.collapse(grids, curves, [8, 16, 32], TC, 1.6, errors=errors)
    assert good.quality < 2 < 6 < bad.quality  # a reduced chi-square: about 1 when they collapse
    assert [len(x) for x in good.x] == [len(g) for g in grids]
    assert np.all(np.diff(good.x[0]) > 0)
    with pytest.raises(ValueError, match="one row per size"):
        phase.collapse(GRID, curves, [8, 16], TC, NU)


@pytest.mark.parametrize("method", ["polynomial", "logistic"])
def test_crossing_without_errors_uses_the_residual_scatter(method):
    outputs, temperatures = synthetic_outputs(16, np.random.default_rng(5))
    means = phase.mean_output(outputs, temperatures)
    with_errors = phase.crossing(means.temperatures, means.means, means.errors, method=method)
    without = phase.crossing(means.temperatures, means.means, method=method)
    assert without.temperature == pytest.approx(with_errors.temperature, abs=2e-3)
    assert 0.3 < without.error / with_errors.error < 3


def test_finite_size_scaling_says_when_nu_is_undetermined():
    with pytest.warns(RuntimeWarning, match="nu is undetermined"):
        fit = phase.finite_size_scaling(
            SIZES, np.full(4, 2.3), np.full(4, 0.01), bootstrap=100, seed=0
        )
    assert fit.tc == pytest.approx(2.3) and fit.nu_error == np.inf
