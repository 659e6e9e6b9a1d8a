"""Finite-size scaling of crossing temperatures, and the data collapse (re-exported by phase)."""

from __future__ import annotations

import itertools
import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import OptimizeWarning, curve_fit, minimize

from cnnlab._validation import check_array, check_float, check_int


class ScalingFit(NamedTuple):
    tc: float
    nu: float
    a: float
    tc_error: float  #: standard deviation over the bootstrap fits
    nu_error: float
    a_error: float
    covariance: np.ndarray  #: curve_fit's covariance of (tc, a, nu), shape (3, 3)
    samples: np.ndarray  #: the bootstrap fits, columns (tc, a, nu), shape (n_ok, 3)
    failed: int  #: bootstrap fits that did not converge (left out)


def scaling_law(size: ArrayLike, tc: float, a: float, nu: float) -> np.ndarray | float:
    """``T*(L) = tc + a L^(-1/nu)``."""
    return tc + a * np.asarray(size, dtype=np.float64) ** (-1.0 / nu)


def _law_inverse(size, tc, a, inverse_nu):
    return tc + a * size ** (-inverse_nu)


def _fit(sizes, values, sigma, p0):
    """curve_fit in (tc, a, 1/nu): unbounded, so MINPACK's fast Levenberg-Marquardt applies."""
    tc, a, nu = p0
    # an exact fit (as many sizes as parameters) has no covariance: it comes back inf; a
    # flat T*(L) sends 1/nu far out on the way, where L^(-1/nu) overflows
    with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", OptimizeWarning)
        found, covariance = curve_fit(
            _law_inverse,
            sizes,
            values,
            p0=(tc, a, 1.0 / nu),
            sigma=sigma,
            absolute_sigma=sigma is not None,
            maxfev=2000,
        )
    if not found[2] > 0:
        raise RuntimeError(f"the fit gives 1/nu = {found[2]:.3g} <= 0")
    # the covariance of (tc, a, nu) to first order: d nu / d(1/nu) = -nu**2
    jacobian = np.diag([1.0, 1.0, -1.0 / found[2] ** 2])
    with np.errstate(invalid="ignore"):
        covariance = jacobian @ covariance @ jacobian.T
    return np.array([found[0], found[1], 1.0 / found[2]]), covariance


def _start(sizes, values, sigma):
    """Starting point (tc, a, nu): a straight line in 1/L, i.e. nu = 1."""
    slope, intercept = np.polyfit(1.0 / sizes, values, 1, w=None if sigma is None else 1 / sigma)
    return intercept, slope, 1.0


def finite_size_scaling(
    sizes: ArrayLike,
    crossings: ArrayLike,
    crossing_errors: ArrayLike | None = None,
    *,
    bootstrap: int = 1000,
    seed: int | None = None,
) -> ScalingFit:
    """Fit ``T*(L) = Tc + a L^(-1/nu)`` to the crossing temperatures of several lattice sizes.

    The fit is weighted least squares (``scipy.optimize.curve_fit``), started
    from ``nu = 1`` and a straight line in ``1/L``. The errors are a parametric
    bootstrap: every crossing is redrawn from a normal distribution with its
    error, and the law refitted, ``bootstrap`` times; the standard deviations
    of the refitted parameters are the errors. (To include the sampling of the
    configurations themselves, bootstrap the samples before computing the
    crossings and pass the spread of each crossing as ``crossing_errors``.)
    Without ``crossing_errors``, the fit's residual scatter stands in for them,
    which needs at least four sizes.

    Parameters
    ----------
    sizes : array_like of int, shape (n_L,)
        At least three distinct lattice sizes.
    crossings : array_like, shape (n_L,)
        ``T*(L)``, e.g. from :func:`crossing`.
    crossing_errors : array_like, shape (n_L,), optional
        Their standard errors (> 0).
    bootstrap : int
        Number of bootstrap refits (0: no bootstrap, NaN errors; ``covariance`` remains).
    seed : int, optional
        Seeds the bootstrap.

    Returns
    -------
    ScalingFit
    """
    sizes = check_array(sizes, "sizes", ndim=1, dtype=np.float64)
    values = check_array(crossings, "crossings", ndim=1, dtype=np.float64)
    if len(sizes) != len(values) or len(np.unique(sizes)) < 3 or np.any(sizes <= 0):
        raise ValueError(
            f"need crossings for at least 3 distinct sizes > 0, got sizes {sizes.tolist()} "
            f"and {len(values)} crossings"
        )
    bootstrap = check_int(bootstrap, "bootstrap", minimum=0)
    sigma = None
    if crossing_errors is not None:
        sigma = check_array(crossing_errors, "crossing_errors", ndim=1, dtype=np.float64)
        if len(sigma) != len(values) or np.any(sigma <= 0):
            raise ValueError(
                f"crossing_errors must be {len(values)} values > 0, got {sigma.tolist()}"
            )
    try:
        best, covariance = _fit(sizes, values, sigma, _start(sizes, values, sigma))
    except RuntimeError as error:
        raise ValueError(f"T*(L) = Tc + a L^(-1/nu) could not be fitted: {error}") from None
    spread = sigma
    if spread is None:
        dof = len(values) - 3
        if dof < 1 and bootstrap:
            raise ValueError("without crossing_errors the bootstrap needs at least 4 sizes")
        residual = values - scaling_law(sizes, *best)
        spread = np.full(len(values), np.sqrt(np.sum(residual**2) / max(dof, 1)))
    rng = np.random.default_rng(seed)
    refits: list[np.ndarray] = []
    failed = 0
    for _ in range(bootstrap):
        redrawn = values + spread * rng.standard_normal(len(values))
        try:
            # each refit starts as the fit itself did, not from its result
            refits.append(_fit(sizes, redrawn, sigma, _start(sizes, redrawn, sigma))[0])
        except (RuntimeError, ValueError):
            failed += 1
    samples = np.asarray(refits).reshape(-1, 3)
    errors = samples.std(axis=0, ddof=1) if len(samples) > 1 else np.full(3, np.nan)
    tc, a, nu = (float(v) for v in best)
    if abs(a) < 2 * errors[1]:
        # without a visible shift of T*(L) the exponent is not measured at all (the fit
        # then leaves nu where it started, and the bootstrap would call that exact)
        warnings.warn(
            f"a = {a:.3g} +- {errors[1]:.2g} is consistent with 0: nu is undetermined",
            RuntimeWarning,
            stacklevel=2,
        )
        errors[2] = np.inf
    return ScalingFit(
        tc, nu, a, float(errors[0]), float(errors[2]), float(errors[1]), covariance, samples, failed
    )


class Collapse(NamedTuple):
    x: list  #: per size, (T - Tc) L^(1/nu), increasing
    y: list  #: per size, the means in the same order
    quality: float  #: spread between the curves where they overlap (lower is better)


def _per_size(values, name: str, count: int) -> list[np.ndarray] | None:
    """``values`` as one 1-D float array per size, or None if it is a single 1-D array."""
    if np.ndim(values[0]) == 0:
        return None
    rows = [check_array(row, name, ndim=1, dtype=np.float64) for row in values]
    if len(rows) != count:
        raise ValueError(f"{name} needs one row per size ({count}), got {len(rows)}")
    return rows


def collapse(
    temperatures: ArrayLike,
    means: ArrayLike,
    sizes: ArrayLike,
    tc: float,
    nu: float,
    *,
    errors: ArrayLike | None = None,
) -> Collapse:
    """The curves of all sizes against ``x = (T - Tc) L^(1/nu)``, and how well they collapse.

    The quality is the root-mean-square difference between every pair of
    curves, linearly interpolated at 50 points across the x range where both
    have data; with ``errors`` each squared difference is divided by the sum
    of the two interpolated variances (the root of a reduced chi-square, about
    1 for a collapse within the errors). The same data score better at the true Tc and nu than
    at wrong ones; :func:`optimize_collapse` minimises it.

    Parameters
    ----------
    temperatures : array_like, shape (n_T,), or one such array per size
    means : array_like, shape (n_L, n_T), or one array per size
    sizes : array_like of int, shape (n_L,)
    tc, nu : float
        The critical temperature and exponent to scale with (nu > 0).
    errors : like ``means``, optional
        Standard errors of the means.
    """
    sizes = check_array(sizes, "sizes", ndim=1, dtype=np.float64)
    tc, nu = check_float(tc, "tc"), check_float(nu, "nu", minimum=0.0, inclusive=False)
    curves = _per_size(means, "means", len(sizes))
    if curves is None:
        raise ValueError(f"means must have one row per size ({len(sizes)})")
    grids = _per_size(temperatures, "temperatures", len(sizes))
    if grids is None:
        shared = check_array(temperatures, "temperatures", ndim=1, dtype=np.float64)
        grids = [shared] * len(sizes)
    sigmas = None if errors is None else _per_size(errors, "errors", len(sizes))
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    vs: list[np.ndarray] = []  # the variances, with errors only
    for index, (size, grid, curve) in enumerate(zip(sizes, grids, curves, strict=True)):
        if len(grid) != len(curve):
            raise ValueError(f"size {size:g}: {len(grid)} temperatures but {len(curve)} means")
        order = np.argsort(grid)
        xs.append((grid[order] - tc) * size ** (1.0 / nu))
        ys.append(curve[order])
        if sigmas is not None:
            vs.append(sigmas[index][order] ** 2)
    squares = []
    for i, j in itertools.combinations(range(len(sizes)), 2):
        low, high = max(xs[i][0], xs[j][0]), min(xs[i][-1], xs[j][-1])
        if high <= low:
            continue
        points = np.linspace(low, high, 50)
        difference = np.interp(points, xs[i], ys[i]) - np.interp(points, xs[j], ys[j])
        if sigmas is not None:
            difference = difference / np.sqrt(
                np.interp(points, xs[i], vs[i]) + np.interp(points, xs[j], vs[j])
            )
        squares.append(np.mean(difference**2))
    quality = float(np.sqrt(np.mean(squares))) if squares else np.nan
    return Collapse(xs, ys, quality)


def optimize_collapse(
    temperatures: ArrayLike,
    means: ArrayLike,
    sizes: ArrayLike,
    tc: float,
    nu: float,
    *,
    errors: ArrayLike | None = None,
) -> tuple[float, float, float]:
    """The ``(tc, nu)`` that minimise :func:`collapse`'s quality, started from the given ones.

    Nelder-Mead on ``(tc, log nu)``; a cross-check of :func:`finite_size_scaling`
    that uses the whole curves instead of one level.

    Returns
    -------
    tuple of float
        ``(tc, nu, quality)``.
    """

    def cost(parameters):
        result = collapse(
            temperatures, means, sizes, parameters[0], np.exp(parameters[1]), errors=errors
        )
        return result.quality if np.isfinite(result.quality) else 1e300

    found = minimize(
        cost, [tc, np.log(nu)], method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1e-10}
    )
    return float(found.x[0]), float(np.exp(found.x[1])), float(found.fun)
