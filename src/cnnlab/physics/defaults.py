"""Default thermalization and sampling intervals of the Ising samplers, from measured tau_int.

The integrated autocorrelation time of ``|m|`` was measured with
:func:`cnnlab.physics.autocorrelation.autocorrelation_time` on series from
:func:`cnnlab.physics.ising.time_series`, and a simple model in L and ``|T - Tc|``
was fitted to lie at or above every measurement.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cnnlab.physics.exact import critical_temperature


class TauModel(NamedTuple):
    """``tau = offset + amplitude * length**exponent``, ``length = min(L, c / |1 - T/Tc|**nu)``."""

    offset: float
    amplitude: float
    exponent: float
    below: float  #: ``c`` below Tc
    above: float  #: ``c`` above Tc


#: per (dims, algorithm), fitted to the measurements listed in sweep_defaults
TAU_MODEL = {
    (2, "metropolis"): TauModel(1.0, 0.105, 1.8, below=0.9, above=1.7),
    (2, "cluster"): TauModel(1.5, 0.7, 0.35, below=0.9, above=1.7),
    (3, "metropolis"): TauModel(1.0, 0.1, 2.0, below=1.0, above=1.0),
    (3, "cluster"): TauModel(1.5, 0.6, 0.7, below=1.0, above=1.0),
}
NU = {2: 1.0, 3: 0.63}


def model_autocorrelation_time(
    L: int, temperature: float, *, dims: int = 2, algorithm: str = "metropolis"
) -> float:
    """Integrated autocorrelation time of ``|m|`` in sweeps, from a fit to measurements.

    ``tau = offset + amplitude * length**exponent`` with ``length = min(L, xi)``
    and ``xi = c / |1 - T/Tc|**nu`` (``c`` differs below and above Tc, about
    2:1 as the correlation length's amplitudes in 2-D). The constants
    (:data:`TAU_MODEL`) were fitted to ``autocorrelation_time`` of
    ``ising.time_series`` (4-64 chains, each at least 100 tau long) so that the
    model lies at or above every measurement; :func:`sweep_defaults` lists them.
    """
    model = TAU_MODEL[(dims, algorithm)]
    reduced = abs(1.0 - temperature / critical_temperature(dims))
    scale = model.below if temperature < critical_temperature(dims) else model.above
    length = L if reduced == 0 else min(L, scale / reduced ** NU[dims])
    return float(model.offset + model.amplitude * length**model.exponent)


def sweep_defaults(
    L: int, temperature: float, *, dims: int = 2, algorithm: str = "metropolis"
) -> tuple[int, int]:
    """The default ``(thermalize, every)`` of ``ising.sample``, in sweeps.

    ``every = ceil(2 tau)``, so that the samples of one chain count as
    independent (the effective sample size ``n / (2 tau_int)`` is then ``n``),
    and ``thermalize = ceil(10 tau) + 10``, where ``tau`` is
    :func:`model_autocorrelation_time`. Chains start ordered below Tc, where
    they equilibrate within a few tau, and random above.

    Measured ``tau_int`` of ``|m|`` (Sokal's window, c = 6; in sweeps) on this
    project's machine, 2026-11-28 (statistical errors 5-20 %), model in brackets::

        2-D Metropolis   T:  1.5   2.0   2.15  2.269  2.4   2.6   3.0   3.5
          L = 16            0.75  3.0   8.2   10.1   8.8   4.8   1.7   1.0   (Tc: 16.4)
          L = 32            0.75  2.8  13.2   31.2  19.0   5.6   1.8   1.0   (Tc: 54.8)
          L = 64                  2.9  12.6  153, 181, 188, 191 (188)
                            T = 2.2: 32 (48), T = 2.35: 76 (111), T = 2.5: 11.6 (17.7)
          L = 128                           392 (653)
        2-D Swendsen-Wang at Tc: L = 8, 16, 32, 64: 2.5, 2.9, 3.3, 3.5 (2.9, 3.3, 3.9, 4.5);
          tau of the energy 4.3 at L = 64; below Tc 1.6-2.7, above 0.5-2.5
        3-D Metropolis at Tc: L = 4, 8, 16: 1.8, 5.3, 21.6 (2.6, 7.4, 26.6);
          T = 4.2 and 4.8 at L = 16: 2.6 and 3.7 (3.9 and 4.2)
        3-D Swendsen-Wang at Tc: L = 8, 16: 3.3, 5.1 (4.1, 5.7)

    So at Tc on 64 x 64, Metropolis defaults to ``(1893, 377)`` and
    Swendsen-Wang to ``(56, 10)``; at T = 1.5 or 3.5, Metropolis needs
    ``(27, 4)`` and ``(29, 4)``.
    ``bench/ising.py`` measures the Tc values again.
    """
    tau = model_autocorrelation_time(L, temperature, dims=dims, algorithm=algorithm)
    return int(np.ceil(10 * tau)) + 10, int(np.ceil(2 * tau))
