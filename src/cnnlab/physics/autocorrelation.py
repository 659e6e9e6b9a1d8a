"""Integrated autocorrelation time of Monte Carlo time series, with Sokal's automatic window."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cnnlab._validation import check_array, check_float


def autocorrelation(series: ArrayLike) -> np.ndarray:
    """Normalised autocorrelation ``rho(t)`` of one or several chains, averaged over chains.

    Each chain has its own mean subtracted; the autocovariance at lag ``t`` is
    ``sum_i x_i x_(i+t) / n`` (the biased estimator, as Sokal advises), computed
    by FFT and averaged over chains before normalising.

    Parameters
    ----------
    series : array_like, shape (n_steps,) or (n_chains, n_steps)
        Measurements after every sweep (or every k sweeps: then times are in units of k).

    Returns
    -------
    ndarray of float64, shape (n_steps,)
        ``rho[0] = 1``; NaN everywhere if the series never changes.
    """
    values = check_array(series, "series", ndim=(1, 2), dtype=np.float64)
    values = np.atleast_2d(values)
    steps = values.shape[1]
    if steps < 2:
        raise ValueError(f"series needs at least 2 steps per chain, got {steps}")
    centred = values - values.mean(axis=1, keepdims=True)
    size = 1 << (2 * steps - 1).bit_length()  # zero padding: no wrap-around
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    covariance = np.fft.irfft(spectrum * spectrum.conj(), n=size, axis=1)[:, :steps]
    covariance = covariance.mean(axis=0) / steps
    if covariance[0] <= 0:
        return np.full(steps, np.nan)
    return covariance / covariance[0]


def autocorrelation_time(series: ArrayLike, *, window_factor: float = 6.0) -> float:
    """Integrated autocorrelation time ``tau_int = 1/2 + sum_(t>=1) rho(t)`` (Sokal's convention).

    With this convention, independent samples have ``tau_int = 1/2``, the variance
    of a mean of ``n`` correlated samples is ``2 tau_int`` times the naive one,
    and ``n / (2 tau_int)`` is the effective number of samples. The sum is cut at
    Sokal's automatic window: the smallest ``M`` with ``M >= window_factor *
    tau_int(M)`` (A. D. Sokal, "Monte Carlo methods in statistical mechanics",
    1996, section 3; ``c = 6`` is his suggestion, 4 suffices for a nearly
    exponential decay). The estimate is trustworthy when the series is at least
    about 1000 tau_int long; chains are averaged, so many short chains help.

    Parameters
    ----------
    series : array_like, shape (n_steps,) or (n_chains, n_steps)
        Measurements, one per sweep (or per k sweeps; tau is then in units of k).
    window_factor : float
        Sokal's ``c`` (> 0).

    Returns
    -------
    float
        ``tau_int`` in steps of the series; NaN if the series never changes. If no
        window satisfies the condition (series too short), the sum over all lags.
    """
    window_factor = check_float(window_factor, "window_factor", minimum=0.0, inclusive=False)
    rho = autocorrelation(series)
    if np.isnan(rho[0]):
        return float("nan")
    taus = np.cumsum(rho) - 0.5  # tau(M) = 1/2 + sum_{t=1..M} rho(t), for M = 0, 1, ...
    windows = np.arange(len(rho))
    satisfied = np.flatnonzero(windows >= window_factor * taus)
    chosen = satisfied[0] if satisfied.size else len(rho) - 1
    return float(taus[chosen])
