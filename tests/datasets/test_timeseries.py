"""The driven pendulum: shapes, determinism, its known regimes, its linear limit, bad input."""

import numpy as np
import pytest

from cnnlab.datasets import load_pendulum, next_step_pairs, simulate_pendulum
from cnnlab.datasets.timeseries import (
    CHAOTIC_AMPLITUDES,
    DAMPING,
    DRIVE_FREQUENCY,
    DRIVE_PERIOD,
    PERIODIC_AMPLITUDES,
    largest_lyapunov_exponent,
)


def stroboscopic_period(velocity, samples_per_period=16, tolerance=1e-4):
    """The period of the Poincare section (in drive periods, up to 8), or 0 if it has none."""
    section = np.asarray(velocity, dtype=float)[::samples_per_period]
    for period in (1, 2, 4, 8):
        if np.abs(section[period:] - section[:-period]).max() < tolerance:
            return period
    return 0


def test_shapes_classes_and_bounds():
    X, y, amplitudes = load_pendulum(40, 64, seed=3)
    assert X.shape == (40, 1, 64) and X.dtype == np.float32
    assert y.shape == (40,) and y.dtype == np.int64 and np.bincount(y).tolist() == [20, 20]
    assert set(amplitudes[y == 0]) <= set(PERIODIC_AMPLITUDES)
    assert set(amplitudes[y == 1]) <= set(CHAOTIC_AMPLITUDES)
    assert np.abs(X).max() < 4.0  # the angular velocity stays within a few units
    for observable in ("sin", "cos"):
        angles, _, _ = load_pendulum(
            6, 32, seed=3, observable=observable, dtype=np.float64, transient_periods=10
        )
        assert angles.dtype == np.float64 and np.abs(angles).max() <= 1.0


def test_same_seed_same_data_other_seed_other_data():
    first = load_pendulum(12, 48, seed=7, noise=0.05, transient_periods=10)
    again = load_pendulum(12, 48, seed=7, noise=0.05, transient_periods=10)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    other = load_pendulum(12, 48, seed=8, noise=0.05, transient_periods=10)
    assert not np.array_equal(first[0], other[0])


def test_labels_match_the_regime_seen_in_the_poincare_section():
    X, y, amplitudes = load_pendulum(200, 256, seed=11)
    periods = np.array([stroboscopic_period(series[0]) for series in X])
    # Chaotic series never repeat on the stroboscopic section; periodic ones do, and with
    # Baker & Gollub's periods: 1 at A = 0.9 and 1.35, 2 at 1.07 and 1.45, 4 at 1.47.
    np.testing.assert_array_equal(periods == 0, y == 1)
    expected = {0.9: 1, 1.07: 2, 1.35: 1, 1.45: 2, 1.47: 4}
    for amplitude, period in expected.items():
        assert set(periods[amplitudes == amplitude]) == {period}, amplitude


def test_lyapunov_exponent_is_negative_for_periodic_and_positive_for_chaotic_amplitudes():
    rng = np.random.default_rng(0)
    amplitudes = np.repeat(PERIODIC_AMPLITUDES + CHAOTIC_AMPLITUDES, 2)
    exponents = largest_lyapunov_exponent(
        amplitudes,
        theta0=rng.uniform(-np.pi, np.pi, len(amplitudes)),
        velocity0=rng.uniform(-2, 2, len(amplitudes)),
        periods=60,
    )
    chaotic = np.isin(amplitudes, CHAOTIC_AMPLITUDES)
    assert exponents[~chaotic].max() < -0.01, exponents
    assert exponents[chaotic].min() > 0.05, exponents


def test_small_drive_gives_the_linear_resonance_curve():
    amplitude = 1e-3
    t, theta, velocity = simulate_pendulum(amplitude, length=64, transient_periods=40)
    np.testing.assert_allclose(np.diff(t), DRIVE_PERIOD / 16)
    assert t[0] == pytest.approx(40 * DRIVE_PERIOD)
    response = amplitude / np.hypot(1 - DRIVE_FREQUENCY**2, DAMPING * DRIVE_FREQUENCY)
    phase = np.arctan2(DAMPING * DRIVE_FREQUENCY, 1 - DRIVE_FREQUENCY**2)
    # theta = R cos(omega t - phi): R = A / sqrt((1 - omega^2)^2 + (gamma omega)^2), to 1e-3 of R
    expected = response * np.cos(DRIVE_FREQUENCY * t - phase)
    np.testing.assert_allclose(theta, expected, atol=1e-3 * response)
    expected = -response * DRIVE_FREQUENCY * np.sin(DRIVE_FREQUENCY * t - phase)
    np.testing.assert_allclose(velocity, expected, atol=1e-3 * response)


def test_simulate_wraps_the_angle_and_agrees_with_the_loader():
    _, theta, velocity = simulate_pendulum(
        1.5, length=200, theta0=0.3, velocity0=-1.0, transient_periods=50
    )
    assert theta.min() >= -np.pi and theta.max() < np.pi
    assert stroboscopic_period(velocity) == 0
    _, theta, velocity = simulate_pendulum(
        1.07, length=200, theta0=0.3, velocity0=-1.0, transient_periods=50
    )
    assert stroboscopic_period(velocity) == 2


def test_simulating_several_pendulums_at_once():
    amplitudes = np.array([0.9, 1.07, 1.5])
    t, theta, velocity = simulate_pendulum(
        amplitudes, length=12, samples_per_period=1, theta0=[0.1, 0.2, 0.3], transient_periods=60
    )
    assert t.shape == (12,) and theta.shape == velocity.shape == (3, 12)
    np.testing.assert_allclose(np.diff(t), DRIVE_PERIOD)  # one sample per drive period
    for row, amplitude in enumerate(amplitudes):
        _, _, alone = simulate_pendulum(
            amplitude, length=12, samples_per_period=1, theta0=0.1 * (row + 1), transient_periods=60
        )
        if amplitude < 1.1:  # a stable orbit: the same one whatever the integrator's steps
            np.testing.assert_allclose(velocity[row], alone, atol=1e-6)
    assert [stroboscopic_period(v, samples_per_period=1) for v in velocity] == [1, 2, 0]
    _, theta, velocity = simulate_pendulum(1.2, length=1, transient_periods=0, theta0=4.0)
    np.testing.assert_allclose(theta, [4.0 - 2 * np.pi])  # the initial state, wrapped
    np.testing.assert_allclose(velocity, [0.0])


def test_next_step_pairs():
    series = np.arange(10.0)
    X, t = next_step_pairs(series, 3)
    assert X.shape == (7, 1, 3) and t.shape == (7, 1)
    np.testing.assert_array_equal(X[2, 0], [2, 3, 4])
    assert t[2, 0] == 5
    X, t = next_step_pairs(np.stack([series, -series])[None], 4, horizon=2, stride=3)
    assert X.shape == (2, 2, 4)  # windows starting at 0 and 3
    np.testing.assert_array_equal(X[1], [[3, 4, 5, 6], [-3, -4, -5, -6]])
    np.testing.assert_array_equal(t, [[5, -5], [8, -8]])
    windows, _, _ = load_pendulum(3, 20, seed=0, transient_periods=5)
    X, t = next_step_pairs(windows, 5)
    assert X.shape == (3 * 15, 1, 5)
    np.testing.assert_array_equal(X[15, 0], windows[1, 0, :5])
    assert t[15, 0] == windows[1, 0, 5]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: load_pendulum(1), r"n_series must be >= 2, got 1"),
        (lambda: load_pendulum(4, 0), r"length must be >= 1, got 0"),
        (lambda: load_pendulum(4, observable="angle"), r"observable must be one of .*'angle'"),
        (lambda: load_pendulum(4, noise=-0.1), r"noise must be >= 0.0, got -0.1"),
        (lambda: load_pendulum(4, seed=-3), r"seed must be >= 0, got -3"),
        (lambda: load_pendulum(4, samples_per_period=0), r"samples_per_period must be >= 1, got 0"),
        (lambda: load_pendulum(4, transient_periods=-1), r"transient_periods must be >= 0, got -1"),
        (lambda: simulate_pendulum(-0.5), r"amplitude must be >= 0, got -0.5"),
        (lambda: simulate_pendulum([1.0, -2.0]), r"amplitude must be >= 0, got -2.0"),
        (lambda: simulate_pendulum(float("nan")), r"amplitude contains 1 NaN"),
        (lambda: simulate_pendulum(1.0, length=0), r"length must be >= 1, got 0"),
        (
            lambda: simulate_pendulum([1.0, 1.1], theta0=[0.0, 0.1, 0.2]),
            r"amplitude, theta0 and velocity0 must broadcast together, got shapes \(2,\), \(3,\)",
        ),
        (lambda: next_step_pairs(np.arange(5.0), 5), r"window \+ horizon must be <= .* length 5"),
        (lambda: next_step_pairs(np.zeros((1, 1, 1, 5)), 2), r"series must have 1 or 2 or 3 dim"),
    ],
)
def test_bad_arguments_name_the_argument_and_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_wrong_types_raise_type_errors():
    with pytest.raises(TypeError, match=r"n_series must be an integer, got 2.5"):
        load_pendulum(2.5)
    with pytest.raises(TypeError, match=r"amplitude must be a numeric array, got a string '1'"):
        simulate_pendulum("1")
