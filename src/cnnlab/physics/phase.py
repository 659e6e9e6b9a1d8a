"""Locating a phase transition from any per-sample output: crossings, finite-size scaling, collapse.

The functions take plain arrays: the output of a network for the "ordered" class,
a Binder cumulant, ``|m|``, anything that goes from one value in one phase to another
in the other. Nothing here depends on how the outputs were made.

1. :func:`mean_output`: per temperature, the mean over samples and its standard error.
2. :func:`crossing`: the temperature ``T*(L)`` where a curve crosses a level
   (1/2 for a classifier), by a weighted fit near the crossing, with a bootstrap error.
3. :func:`finite_size_scaling`: ``T*(L) = Tc + a L^(-1/nu)`` fitted to the crossings
   of several L, giving Tc and nu with bootstrap errors.
4. :func:`collapse`: the curves against ``(T - Tc) L^(1/nu)``, and how well they fall
   on one curve; :func:`optimize_collapse` finds the Tc and nu that collapse them best.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import OptimizeWarning, curve_fit
from scipy.special import expit

from cnnlab._validation import check_array, check_choice, check_float, check_int
from cnnlab.physics.scaling import (
    Collapse,
    ScalingFit,
    collapse,
    finite_size_scaling,
    optimize_collapse,
    scaling_law,
)

__all__ = [
    "mean_output",
    "MeanOutput",
    "crossing",
    "Crossing",
    "finite_size_scaling",
    "ScalingFit",
    "scaling_law",
    "collapse",
    "Collapse",
    "optimize_collapse",
]


class MeanOutput(NamedTuple):
    temperatures: np.ndarray  #: distinct temperatures, increasing, shape (n_T,)
    means: np.ndarray  #: mean output per temperature, shape (n_T,) or (n_T, k)
    errors: np.ndarray  #: standard error of each mean (std with ddof=1 / sqrt(count))
    counts: np.ndarray  #: samples per temperature, shape (n_T,)


def mean_output(outputs: ArrayLike, temperatures: ArrayLike) -> MeanOutput:
    """Mean and standard error of the outputs at each temperature.

    Parameters
    ----------
    outputs : array_like, shape (n_samples,) or (n_samples, k)
        One value (or one row, e.g. class probabilities) per sample.
    temperatures : array_like, shape (n_samples,)
        The temperature of each sample.

    Returns
    -------
    MeanOutput
        Errors are NaN where a temperature has a single sample.
    """
    values = check_array(outputs, "outputs", ndim=(1, 2), dtype=np.float64)
    temps = check_array(temperatures, "temperatures", ndim=1, dtype=np.float64, finite=False)
    if len(values) != len(temps):
        raise ValueError(
            f"outputs and temperatures must have the same length, got {len(values)} and {len(temps)}"
        )
    if np.isnan(temps).any():
        raise ValueError("temperatures contains NaN")
    order = np.argsort(temps, kind="stable")
    temps, values = temps[order], values[order]
    starts = np.flatnonzero(np.r_[True, temps[1:] != temps[:-1]])
    counts = np.diff(np.r_[starts, len(temps)])
    shape = (-1,) + (1,) * (values.ndim - 1)
    means = np.add.reduceat(values, starts, axis=0) / counts.reshape(shape)
    squares = np.add.reduceat((values - np.repeat(means, counts, axis=0)) ** 2, starts, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = squares / (counts.reshape(shape) - 1)
        errors = np.sqrt(variance / counts.reshape(shape))
    errors[counts == 1] = np.nan
    return MeanOutput(temps[starts], means, errors, counts)


class Crossing(NamedTuple):
    temperature: float  #: T* where the fitted curve crosses the level
    error: float  #: standard deviation of T* over the bootstrap
    points: int  #: how many points the fit used


def _logistic(t, low, high, centre, width):
    return low + (high - low) * expit((centre - t) / width)


def _fit_root(x, y, sigma, level, method, degree, guess):
    """Fit the curve; return its crossing of ``level`` nearest ``guess`` (NaN if none) and its values at x."""
    if method == "logistic":
        span, extent = y.max() - y.min(), x[-1] - x[0]
        low, high = (y.max(), y.min()) if y[0] < y[-1] else (y.min(), y.max())
        p0 = (low, high, guess, extent / 4)
        try:  # Levenberg-Marquardt converges in ~0.3 ms when the window shows the step
            with warnings.catch_warnings():  # its covariance is not used
                warnings.simplefilter("ignore", OptimizeWarning)
                parameters = curve_fit(_logistic, x, y, p0=p0, sigma=sigma, maxfev=200)[0]
        except RuntimeError:
            # a window without plateaus (a broad, nearly straight curve) sends the plateaus
            # and the width to infinity: bounds stop them (trust region, ~10 times slower)
            bounds = (
                [y.min() - 2 * span, y.min() - 2 * span, x[0] - extent, 1e-6 * extent],
                [y.max() + 2 * span, y.max() + 2 * span, x[-1] + extent, 100 * extent],
            )
            parameters = curve_fit(
                _logistic, x, y, p0=p0, sigma=sigma, bounds=bounds, max_nfev=400
            )[0]
        low, high, centre, width = parameters
        ratio = (high - low) / (level - low) - 1.0
        root = centre + width * np.log(ratio) if ratio > 0 else np.nan
        return root, _logistic(x, *parameters)
    fit = np.polynomial.Polynomial.fit(x, y, degree, w=None if sigma is None else 1.0 / sigma)
    roots = (fit - level).roots()
    roots = roots[np.isreal(roots)].real
    roots = roots[(roots >= x[0]) & (roots <= x[-1])]
    root = roots[np.argmin(np.abs(roots - guess))] if roots.size else np.nan
    return root, fit(x)


def crossing(
    temperatures: ArrayLike,
    means: ArrayLike,
    errors: ArrayLike | None = None,
    level: float = 0.5,
    *,
    window: int | None = None,
    method: str = "logistic",
    degree: int = 3,
    bootstrap: int = 200,
    seed: int | None = 0,
) -> Crossing:
    """Where a curve crosses ``level``, by a weighted fit around the crossing.

    The points are sorted by temperature; the bracket is the pair of neighbours
    between which ``means - level`` changes sign (the middle one if noise makes
    several). The fit uses ``window`` points on each side of it (fewer at the
    ends of the range):

    * ``"logistic"`` (default): ``low + (high - low) / (1 + exp((T - T0) / w))``,
      4 points a side. It suits a classifier's step from 1 to 0 however sharp:
      on a grid coarser than the step, a local polynomial is biased by many
      standard errors (measured: 10-24 sigma at L = 16-64 on a 0.05 grid), the
      logistic is not. If it does not converge, the polynomial is used, with a
      warning.
    * ``"polynomial"``: a polynomial of ``degree`` (at most the number of
      points - 2), 3 points a side; no assumption on the shape, but it needs
      several points across the step.

    The error is a parametric bootstrap: the means are redrawn within their
    errors and refitted ``bootstrap`` times (without ``errors``, the fit's
    residual scatter stands in for them).

    Parameters
    ----------
    temperatures : array_like, shape (n_T,)
    means : array_like, shape (n_T,)
    errors : array_like, shape (n_T,), optional
        Standard errors of the means (e.g. from :func:`mean_output`), > 0.
    level : float
        The value to cross, 1/2 for the output of a two-class network.
    window, method, degree, bootstrap, seed
        As above; ``seed`` seeds the bootstrap.

    Returns
    -------
    Crossing
        ``temperature``, ``error`` (NaN if it cannot be estimated) and ``points``.
    """
    t = check_array(temperatures, "temperatures", ndim=1, dtype=np.float64)
    y = check_array(means, "means", ndim=1, dtype=np.float64)
    if len(t) != len(y) or len(t) < 2:
        raise ValueError(
            f"temperatures and means need the same length >= 2, got {len(t)}, {len(y)}"
        )
    sigma = None if errors is None else check_array(errors, "errors", ndim=1, dtype=np.float64)
    if sigma is not None and (len(sigma) != len(t) or np.any(sigma <= 0)):
        raise ValueError(f"errors must be {len(t)} values > 0, got {sigma.tolist()}")
    level = check_float(level, "level")
    method = check_choice(method, "method", ("logistic", "polynomial"))
    window = check_int(
        {"logistic": 4, "polynomial": 3}[method] if window is None else window, "window"
    )
    degree, bootstrap = check_int(degree, "degree"), check_int(bootstrap, "bootstrap", minimum=0)
    order = np.argsort(t)
    t, y = t[order], y[order]
    sigma = None if sigma is None else sigma[order]
    side = np.sign(y - level)
    changes = np.flatnonzero(side[:-1] * side[1:] <= 0)
    if not changes.size:
        raise ValueError(
            f"the means never cross level={level} (range {y.min():.4g} to {y.max():.4g})"
        )
    i = changes[len(changes) // 2]
    fraction = (level - y[i]) / (y[i + 1] - y[i]) if y[i + 1] != y[i] else 0.5
    guess = t[i] + fraction * (t[i + 1] - t[i])  # linear interpolation: the starting point
    chosen = slice(max(0, i + 1 - window), min(len(t), i + 1 + window))
    x, v = t[chosen], y[chosen]
    s = None if sigma is None else sigma[chosen]
    degree = max(1, min(degree, len(x) - 2)) if len(x) > 2 else 1
    try:
        estimate, fitted = _fit_root(x, v, s, level, method, degree, guess)
    except RuntimeError as failure:  # a logistic fit that does not converge
        warnings.warn(
            f"the logistic fit did not converge ({failure}); using method='polynomial'",
            RuntimeWarning,
            stacklevel=2,
        )
        method = "polynomial"
        estimate, fitted = _fit_root(x, v, s, level, method, degree, guess)
    if np.isnan(estimate):
        warnings.warn(
            f"the fitted curve does not cross level={level} between {x[0]:g} and {x[-1]:g}; "
            "using linear interpolation between the bracketing points",
            RuntimeWarning,
            stacklevel=2,
        )
        estimate = guess
    if s is None:  # the fit's residual scatter stands in for the missing errors
        dof = len(x) - (4 if method == "logistic" else degree + 1)
        scatter = np.sqrt(np.sum((fitted - v) ** 2) / dof) if dof > 0 else np.nan
        spread = np.full(len(x), scatter)
    else:
        spread = s
    error = np.nan
    if bootstrap and np.all(np.isfinite(spread)) and np.all(spread > 0):
        rng = np.random.default_rng(seed)
        found: list[float] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            for _ in range(bootstrap):
                redrawn = v + spread * rng.standard_normal(len(x))
                try:
                    found.append(_fit_root(x, redrawn, s, level, method, degree, estimate)[0])
                except RuntimeError:  # a logistic refit that does not converge: left out
                    continue
        roots = np.asarray(found)
        roots = roots[np.isfinite(roots)]
        error = float(np.std(roots, ddof=1)) if roots.size > 1 else np.nan
    return Crossing(float(estimate), error, len(x))
