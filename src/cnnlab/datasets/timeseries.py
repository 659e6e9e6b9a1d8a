"""Time series of a driven, damped pendulum, periodic or chaotic, simulated with scipy.

The pendulum of Baker & Gollub (*Chaotic Dynamics: An Introduction*, 2nd ed.,
Cambridge 1996; damping 1/q = 0.5, drive frequency 2/3), in dimensionless time
(the small-swing period is 2 pi)::

    theta'' + gamma theta' + sin(theta) = A cos(omega t),    gamma = 0.5, omega = 2/3.

After a transient its motion settles on an attractor fixed by the drive
amplitude A. Baker and Gollub's bifurcation diagram has periodic motion at
A = 0.9 (period 1), 1.07 (period 2), 1.35 (period 1), 1.45 (period 2) and
1.47 (period 4), in units of the drive period 2 pi / omega, and chaos at
A = 1.15 and 1.5. ``largest_lyapunov_exponent`` checks this: negative for the
first five, positive (about 0.1 per unit time) for the last two, from every
initial condition the tests try. All series of a call are integrated together,
as one system, by ``scipy.integrate.solve_ivp`` (DOP853); nothing is cached.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike
from scipy.integrate import solve_ivp

from cnnlab._validation import check_array, check_choice, check_float, check_int

DAMPING = 0.5
DRIVE_FREQUENCY = 2 / 3
DRIVE_PERIOD = 2 * np.pi / DRIVE_FREQUENCY
#: Drive amplitudes whose attractor is periodic (periods 1, 2, 1, 2, 4 drive periods).
PERIODIC_AMPLITUDES = (0.9, 1.07, 1.35, 1.45, 1.47)
#: Drive amplitudes whose attractor is chaotic.
CHAOTIC_AMPLITUDES = (1.15, 1.5)
#: What a series records: the angular velocity, or sin / cos of the angle (all bounded).
OBSERVABLES = ("velocity", "sin", "cos")
_TOLERANCE = 1e-8


def _equations(t, state, amplitudes):
    """d/dt of (theta, velocity) of n pendulums at once; ``state`` is (2n,)."""
    n = len(amplitudes)
    theta, velocity = state[:n], state[n:]
    drive = amplitudes * np.cos(DRIVE_FREQUENCY * t)
    return np.concatenate([velocity, drive - DAMPING * velocity - np.sin(theta)])


def _integrate(amplitudes, theta0, velocity0, times):
    """theta and velocity, (n, len(times)) each, of n pendulums sampled at ``times``."""
    amplitudes = np.asarray(amplitudes, dtype=float)
    if times[-1] == 0.0:  # one sample at t = 0: the initial state
        return np.asarray(theta0, float)[:, None], np.asarray(velocity0, float)[:, None]
    solution = solve_ivp(
        _equations, (0.0, times[-1]), np.concatenate([theta0, velocity0]), method="DOP853",
        t_eval=times, args=(amplitudes,), rtol=_TOLERANCE, atol=_TOLERANCE,
    )  # fmt: skip
    if not solution.success:  # pragma: no cover - DOP853 does not fail on this smooth system
        raise RuntimeError(f"the pendulum's integration failed: {solution.message}")
    n = len(amplitudes)
    return solution.y[:n], solution.y[n:]


def _sample_times(length: int, samples_per_period: int, transient_periods: int) -> np.ndarray:
    step = DRIVE_PERIOD / samples_per_period
    return transient_periods * DRIVE_PERIOD + step * np.arange(length)


def simulate_pendulum(
    amplitude: ArrayLike,
    *,
    length: int = 256,
    samples_per_period: int = 16,
    transient_periods: int = 100,
    theta0: ArrayLike = 0.0,
    velocity0: ArrayLike = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The driven pendulum sampled at a fixed step after a transient: one series, or several.

    Parameters
    ----------
    amplitude : float or array_like of shape (n,)
        The drive amplitude A (>= 0); see the module's docstring for its regimes.
        An array simulates n pendulums together.
    length : int
        Number of samples.
    samples_per_period : int
        Samples per drive period 2 pi / omega; the step is ``DRIVE_PERIOD /
        samples_per_period``. Every ``samples_per_period``-th sample is then a
        point of the stroboscopic Poincare section (1 gives the section alone).
    transient_periods : int
        Drive periods simulated and dropped before the first sample, so that
        the motion has settled on its attractor.
    theta0, velocity0 : float or array_like of shape (n,)
        The initial angle and angular velocity at t = 0, broadcast against ``amplitude``.

    Returns
    -------
    t : ndarray, shape (length,)
        The sampling times, from ``transient_periods * DRIVE_PERIOD`` (drive phase zero).
    theta : ndarray, shape (length,) or (n, length)
        The angle, wrapped into [-pi, pi).
    velocity : ndarray, shape (length,) or (n, length)
        The angular velocity d theta / dt.
    """
    amplitudes = check_array(amplitude, "amplitude", ndim=(0, 1))
    if amplitudes.min() < 0:
        raise ValueError(f"amplitude must be >= 0, got {amplitudes.min()}")
    length = check_int(length, "length", minimum=1)
    samples_per_period = check_int(samples_per_period, "samples_per_period", minimum=1)
    transient_periods = check_int(transient_periods, "transient_periods", minimum=0)
    initial = [
        check_array(v, name, ndim=(0, 1))
        for v, name in ((theta0, "theta0"), (velocity0, "velocity0"))
    ]
    try:
        shape = np.broadcast_shapes(amplitudes.shape, initial[0].shape, initial[1].shape)
    except ValueError:
        raise ValueError(
            f"amplitude, theta0 and velocity0 must broadcast together, got shapes "
            f"{amplitudes.shape}, {initial[0].shape} and {initial[1].shape}"
        ) from None
    amplitudes, theta0, velocity0 = (
        np.broadcast_to(v, shape).ravel() for v in (amplitudes, *initial)
    )
    times = _sample_times(length, samples_per_period, transient_periods)
    theta, velocity = _integrate(amplitudes, theta0, velocity0, times)
    theta = (theta + np.pi) % (2 * np.pi) - np.pi
    if not shape:
        return times, theta[0], velocity[0]
    return times, theta, velocity


def load_pendulum(
    n_series: int = 200,
    length: int = 256,
    *,
    seed: int | None = 0,
    observable: str = "velocity",
    samples_per_period: int = 16,
    transient_periods: int = 100,
    noise: float = 0.0,
    dtype: DTypeLike = np.float32,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows of the driven pendulum, labelled periodic (0) or chaotic (1).

    Half the series (rounded down) are chaotic. Each one gets a drive
    amplitude drawn from ``PERIODIC_AMPLITUDES`` or ``CHAOTIC_AMPLITUDES`` and
    a random initial state (angle uniform in [-pi, pi), velocity uniform in
    [-2, 2]), runs through ``transient_periods`` drive periods and is then
    recorded for ``length`` samples, from drive phase zero. The same arguments
    give the same data (a chaotic series also depends on ``n_series``: the
    series of a call share the integrator's steps).

    Parameters
    ----------
    n_series : int
        Number of windows (>= 2, so that both classes appear).
    length : int
        Samples per window, T.
    seed : int or None
        Seed of the draws (amplitudes, initial states, noise).
    observable : {"velocity", "sin", "cos"}
        What is recorded: the angular velocity (between about -3 and 3 here),
        or sin / cos of the angle (between -1 and 1).
    samples_per_period : int
        Samples per drive period (16: about 0.59 time units apart).
    transient_periods : int
        Drive periods dropped before recording.
    noise : float
        Standard deviation of Gaussian measurement noise added to every sample.
    dtype : numpy dtype
        Float type of ``X``.

    Returns
    -------
    X : ndarray, shape (n_series, 1, length)
        The windows, channels first as ``Convolution1DLayer`` expects.
    y : ndarray of int, shape (n_series,)
        0 for a periodic series, 1 for a chaotic one.
    amplitudes : ndarray, shape (n_series,)
        The drive amplitude of each series.
    """
    n_series = check_int(n_series, "n_series", minimum=2)
    length = check_int(length, "length", minimum=1)
    observable = check_choice(observable, "observable", OBSERVABLES)
    samples_per_period = check_int(samples_per_period, "samples_per_period", minimum=1)
    transient_periods = check_int(transient_periods, "transient_periods", minimum=0)
    noise = check_float(noise, "noise", minimum=0.0)
    if seed is not None:
        seed = check_int(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_series) % 2)
    periodic = rng.choice(PERIODIC_AMPLITUDES, size=n_series)
    chaotic = rng.choice(CHAOTIC_AMPLITUDES, size=n_series)
    amplitudes = np.where(labels == 1, chaotic, periodic)
    theta0 = rng.uniform(-np.pi, np.pi, n_series)
    velocity0 = rng.uniform(-2.0, 2.0, n_series)
    times = _sample_times(length, samples_per_period, transient_periods)
    theta, velocity = _integrate(amplitudes, theta0, velocity0, times)
    series = {"velocity": velocity, "sin": np.sin(theta), "cos": np.cos(theta)}[observable]
    if noise > 0:
        series = series + rng.normal(0.0, noise, series.shape)
    return series[:, None, :].astype(dtype), labels.astype(np.int64), amplitudes


def next_step_pairs(
    series: ArrayLike, window: int, *, horizon: int = 1, stride: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Next-step regression pairs: each window of a series and the value ``horizon`` steps on.

    Parameters
    ----------
    series : array_like, shape (T,), (C, T) or (N, C, T)
        One series, one multi-channel series, or a batch of them.
    window : int
        Samples per input window.
    horizon : int
        How many steps after the window's last sample the target lies (1: the next one).
    stride : int
        Step between the starts of consecutive windows.

    Returns
    -------
    X : ndarray, shape (M, C, window)
        The input windows (views copied into one array), series after series.
    t : ndarray, shape (M, C)
        The value of every channel ``horizon`` steps after each window.
    """
    values = check_array(series, "series", ndim=(1, 2, 3))
    window = check_int(window, "window", minimum=1)
    horizon = check_int(horizon, "horizon", minimum=1)
    stride = check_int(stride, "stride", minimum=1)
    values = values.reshape((1,) * (3 - values.ndim) + values.shape)
    length = values.shape[-1]
    if window + horizon > length:
        raise ValueError(
            f"window + horizon must be <= the series' length {length}, got window={window} "
            f"and horizon={horizon}"
        )
    starts = np.arange(0, length - window - horizon + 1, stride)
    windows = np.lib.stride_tricks.sliding_window_view(values, window, axis=2)[:, :, starts]
    X = windows.transpose(0, 2, 1, 3).reshape(-1, values.shape[1], window)
    targets = values[:, :, starts + window + horizon - 1].transpose(0, 2, 1)
    return np.ascontiguousarray(X), targets.reshape(-1, values.shape[1])


def largest_lyapunov_exponent(
    amplitudes: ArrayLike,
    *,
    theta0: ArrayLike = 0.0,
    velocity0: ArrayLike = 0.0,
    transient_periods: int = 100,
    periods: int = 100,
) -> np.ndarray:
    """The largest Lyapunov exponent of the pendulum (per unit time), for each amplitude.

    The tangent equation ``d delta'' + gamma d delta' + cos(theta) d delta = 0``
    is integrated along the trajectory after the transient; the separation is
    renormalised every five drive periods and the logarithms of its growth are
    averaged (Benettin's method). Negative: the motion is periodic (a stable
    limit cycle); positive: it is chaotic.

    Parameters
    ----------
    amplitudes : float or array_like, shape (n,)
    theta0, velocity0 : float or array_like, shape (n,)
        Initial states, broadcast against ``amplitudes``.
    transient_periods, periods : int
        Drive periods dropped first, then averaged over.

    Returns
    -------
    ndarray, shape (n,)
    """
    amplitudes = check_array(np.atleast_1d(amplitudes), "amplitudes", ndim=1)
    transient_periods = check_int(transient_periods, "transient_periods", minimum=0)
    periods = check_int(periods, "periods", minimum=1)
    theta0, velocity0 = (np.broadcast_to(v, amplitudes.shape) for v in (theta0, velocity0))
    n = len(amplitudes)

    def tangent(t, state):
        theta, velocity, d_theta, d_velocity = state.reshape(4, n)
        pendulum = _equations(t, np.concatenate([theta, velocity]), amplitudes)
        return np.concatenate(
            [pendulum, d_velocity, -DAMPING * d_velocity - np.cos(theta) * d_theta]
        )

    state = np.concatenate([theta0, velocity0, np.ones(n), np.zeros(n)]).astype(float)
    if transient_periods:
        end = transient_periods * DRIVE_PERIOD
        theta, velocity = _integrate(amplitudes, theta0, velocity0, np.array([end]))
        state[: 2 * n] = np.concatenate([theta[:, -1], velocity[:, -1]])
    start, growth, chunk = transient_periods * DRIVE_PERIOD, np.zeros(n), 5
    for first in range(0, periods, chunk):
        span = min(chunk, periods - first) * DRIVE_PERIOD
        solution = solve_ivp(
            tangent, (start, start + span), state, method="DOP853", rtol=_TOLERANCE,
            atol=_TOLERANCE,
        )  # fmt: skip
        state, start = solution.y[:, -1], start + span
        size = np.hypot(state[2 * n : 3 * n], state[3 * n :])
        growth += np.log(size)
        state[2 * n :] /= np.concatenate([size, size])
    return growth / (periods * DRIVE_PERIOD)
