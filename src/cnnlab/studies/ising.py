"""The Ising phase transition found by a CNN, end to end: what ``cnnlab ising`` runs.

1. **Data.** Test configurations by Monte Carlo (Swendsen-Wang clusters, which
   decorrelate near Tc) on a grid of temperatures around Tc, for every lattice
   size L. Training configurations by protocol:

   * ``"range"``: Monte Carlo below and above Tc, away from it
     (Carrasquilla & Melko 2017), labelled by phase;
   * ``"minimal"``: the T = 0 ground states (all up, all down) and T = infinity
     (independent random spins) only, as in arXiv:2501.05547: nothing to simulate.

2. **Networks.** For every L, ``networks`` of :func:`cnnlab.zoo.ising_cnn`
   (circular padding, global average pooling) trained from different seeds to
   output P(ordered); their outputs are averaged.
3. **Analysis** (``cnnlab.physics.phase``): the mean output against T per L,
   its crossing of 1/2, T*(L), by a fit; ``T*(L) = Tc + a L^(-1/nu)`` with
   bootstrap errors; the data collapse.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import curve_fit

from cnnlab._progress import tqdm
from cnnlab._validation import check_choice, check_float, check_int
from cnnlab.datasets import onehot
from cnnlab.nn.schedulers import Adam
from cnnlab.physics import phase
from cnnlab.physics.dataset import dataset
from cnnlab.physics.exact import CRITICAL_TEMPERATURE
from cnnlab.physics.sampling import sample
from cnnlab.zoo import ising_cnn

PROTOCOLS = ("range", "minimal")


def default_temperatures() -> list[float]:
    """Test temperatures: every 0.015 from 2.13 to 2.43 around Tc, sparse out to 1.6 and 3.2."""
    near = np.linspace(2.13, 2.43, 21)
    far = np.array([1.6, 1.8, 1.95, 2.05, 2.5, 2.6, 2.8, 3.0, 3.2])
    return sorted(float(t) for t in np.round(np.concatenate([near, far]), 4))


#: training temperatures of the "range" protocol (Carrasquilla & Melko's design): evenly
#: over 1.0 to 3.5, labelled ordered below Onsager's Tc and disordered above it
RANGE_TRAINING = tuple(float(t) for t in np.round(np.linspace(1.0, 3.5, 26), 3))


@dataclass
class Settings:
    """What a study runs; every field is written to ``results.json``."""

    sizes: tuple[int, ...] = (8, 16, 32, 64, 128)
    protocol: str = "range"
    samples: int = 400  #: test configurations per (L, T)
    train_samples: int = 2600  #: training configurations per L
    networks: int = 3  #: networks per L, trained from different seeds; their outputs averaged
    temperatures: list[float] = field(default_factory=default_temperatures)
    epochs: int = 30
    batch_size: int = 64
    eta: float = 3e-3
    seed: int = 0
    n_jobs: int | None = None
    dask_scheduler: str | None = None

    def check(self) -> Settings:
        """Raise on any field that would fail later (after hours of simulation); returns self."""
        check_choice(self.protocol, "protocol", PROTOCOLS)
        if not self.sizes:
            raise ValueError("sizes must list at least one lattice side")
        for L in self.sizes:
            check_int(L, "sizes", minimum=4)
        for name in ("samples", "train_samples", "networks", "epochs", "batch_size"):
            check_int(getattr(self, name), name)
        check_float(self.eta, "eta", minimum=0.0, inclusive=False)
        check_int(self.seed, "seed", minimum=0)
        if len(self.temperatures) < 2:
            raise ValueError(f"temperatures must list at least two, got {self.temperatures}")
        for temperature in self.temperatures:
            check_float(temperature, "temperatures", minimum=0.0, inclusive=False)
        return self


def training_data(
    settings: Settings, L: int, cache: str | Path | None, progress: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Configurations (N, 1, L, L) and one-hot labels (disordered, ordered) for one size."""
    if settings.protocol == "minimal":
        half = settings.train_samples // 2
        rng = np.random.default_rng([settings.seed, L, 1])
        spins = np.concatenate(
            [
                sample(L, 0.0, half, seed=rng),
                sample(L, np.inf, settings.train_samples - half, seed=rng),
            ]
        )
        ordered = np.r_[np.ones(half), np.zeros(settings.train_samples - half)]
    else:
        per_point = max(1, settings.train_samples // len(RANGE_TRAINING))
        data = dataset(
            [L], RANGE_TRAINING, per_point, algorithm="metropolis", seed=settings.seed + 1,
            n_jobs=settings.n_jobs, scheduler=settings.dask_scheduler, cache=cache,
            progress=progress,
        )[L]  # fmt: skip
        spins, ordered = data["spins"], data["temperatures"] < CRITICAL_TEMPERATURE
    return spins[:, None].astype(np.float32), onehot(ordered.astype(int), 2)


def run(settings: Settings, *, cache: str | Path | None = None, progress: bool = True) -> dict:
    """Simulate, train and analyse; returns everything ``results.json`` holds, plus arrays."""
    settings.check()
    timings = {"simulation": 0.0, "training": 0.0, "analysis": 0.0}
    start = time.perf_counter()
    test = dataset(
        settings.sizes, settings.temperatures, settings.samples, algorithm="cluster",
        seed=settings.seed, n_jobs=settings.n_jobs, scheduler=settings.dask_scheduler,
        cache=cache, progress=progress,
    )  # fmt: skip
    timings["simulation"] += time.perf_counter() - start
    curves, histories = {}, {}
    for L in tqdm(settings.sizes, desc="networks", disable=not progress):
        start = time.perf_counter()
        X, t = training_data(settings, L, cache, progress=False)
        timings["simulation"] += time.perf_counter() - start
        start = time.perf_counter()
        test_X = test[L]["spins"][:, None].astype(np.float32)
        outputs = np.zeros(len(test_X))
        for member in range(settings.networks):
            cnn = ising_cnn(scheduler=Adam(settings.eta), seed=settings.seed + 1000 * member + L)
            histories[L] = cnn.fit(
                X, t, epochs=settings.epochs, batch_size=settings.batch_size, verbose=False
            )
            outputs += cnn.predict_proba(test_X)[:, 1] / settings.networks
        timings["training"] += time.perf_counter() - start
        curves[L] = phase.mean_output(outputs, test[L]["temperatures"])
    start = time.perf_counter()
    results = analyse(settings, curves)
    timings["analysis"] = time.perf_counter() - start
    results["timings"] = {key: round(value, 2) for key, value in timings.items()}
    results["train_acc"] = {str(L): float(h["train_acc"][-1]) for L, h in histories.items()}
    results["curves"], results["test"] = curves, test
    return results


def _step(t, low, high, centre, width):
    return low + (high - low) / (1 + np.exp((t - centre) / width))


def transition_width(curve: phase.MeanOutput) -> tuple[float, float]:
    """The width of the step of a mean-output curve, and its error, by a logistic fit.

    ``low + (high - low) / (1 + exp((T - T0) / w))``, weighted by the errors of
    the means; the error of ``w`` is the fit's.
    """
    sigma = np.maximum(curve.errors, 1e-3)  # plateaus of identical outputs have zero spread
    start = (curve.means.min(), curve.means.max(), float(np.median(curve.temperatures)), 0.1)
    try:
        found, covariance = curve_fit(_step, curve.temperatures, curve.means, p0=start,
                                      sigma=sigma, absolute_sigma=True, maxfev=20000)  # fmt: skip
    except RuntimeError:  # no step to be seen: too few samples or an untrained network
        return np.nan, np.nan
    return abs(float(found[3])), float(np.sqrt(covariance[3, 3]))


def _scatter(x, y, errors, degree=1) -> float:
    """sqrt(chi^2 per degree of freedom) of a weighted polynomial fit, at least 1.

    Errors are scaled by it when the points scatter about the line more than
    their own errors say (the networks differ from seed to seed, for one).
    """
    coefficients = np.polyfit(x, y, degree, w=1 / errors)
    dof = len(x) - degree - 1
    chi2 = np.sum(((np.polyval(coefficients, x) - y) / errors) ** 2)
    return max(1.0, float(np.sqrt(chi2 / dof))) if dof > 0 else 1.0


def width_exponent(
    sizes: ArrayLike, widths: np.ndarray, width_errors: np.ndarray, *, bootstrap: int = 1000,
    seed: int | None = 0,
) -> tuple[float, float]:  # fmt: skip
    """``nu`` from ``w(L) ~ L^(-1/nu)``: a weighted line through (log L, log w), bootstrapped.

    The bootstrap error is scaled by the scatter of the points about the line.
    """
    log_L, rng = np.log(np.asarray(sizes, dtype=float)), np.random.default_rng(seed)
    if not np.all(np.isfinite(widths) & (width_errors > 0)):
        return np.nan, np.nan

    def fit(w):
        return -1 / np.polyfit(log_L, np.log(w), 1, w=widths / width_errors)[0]

    draws = [fit(np.abs(widths + width_errors * rng.standard_normal(len(widths))))
             for _ in range(bootstrap)]  # fmt: skip
    scale = _scatter(log_L, np.log(widths), width_errors / widths)
    return fit(widths), scale * float(np.std(draws, ddof=1))


def tc_at_fixed_nu(
    sizes: ArrayLike, values: np.ndarray, errors: np.ndarray, nu: float, nu_error: float, *,
    bootstrap: int = 1000, seed: int | None = 0,
) -> tuple[float, float, float, float]:  # fmt: skip
    """``Tc`` and ``a`` of ``T*(L) = Tc + a L^(-1/nu)`` at a given ``nu``: a weighted line.

    The bootstrap redraws the crossings and ``nu``; its errors are scaled by the
    scatter of the crossings about the line.
    """
    rng = np.random.default_rng(seed)

    def fit(v, exponent):
        a, tc = np.polyfit(np.asarray(sizes, dtype=float) ** (-1 / exponent), v, 1, w=1 / errors)
        return tc, a

    # an exponent drawn near or below zero is no power law: kept at 0.1 or more
    draws = np.array([fit(values + errors * rng.standard_normal(len(values)),
                          max(0.1, nu + nu_error * rng.standard_normal()))
                      for _ in range(bootstrap)])  # fmt: skip
    (tc, a), (tc_error, a_error) = fit(values, nu), draws.std(axis=0, ddof=1)
    scale = _scatter(np.asarray(sizes, dtype=float) ** (-1 / nu), values, errors)
    return tc, scale * float(tc_error), a, scale * float(a_error)


def analyse(settings: Settings, curves: dict) -> dict:
    """Crossings and widths per L, Tc and nu by finite-size scaling, and the collapse.

    Two exponents come out of the curves: the *shift* of the crossings,
    ``T*(L) = Tc + a L^(-1/nu)`` (the three-parameter fit), and the *width* of
    the steps, ``w(L) ~ L^(-1/nu)``. Where the shift is resolved (``|a|`` more than
    three errors), the shift fit gives Tc and nu. A network trained with labels
    from the exact Tc (the "range" protocol) puts every T*(L) at Tc, ``a = 0``,
    and the shift says nothing about nu; then nu is the width's, and Tc the
    line through the crossings at that nu. Both estimates are in the results.
    """
    sizes = np.array(settings.sizes)
    crossings = {L: phase.crossing(c.temperatures, c.means, c.errors, seed=settings.seed)
                 for L, c in curves.items()}  # fmt: skip
    values = np.array([crossings[L].temperature for L in sizes])
    errors = np.array([crossings[L].error for L in sizes])
    widths = np.array([transition_width(curves[L]) for L in sizes])
    nu_width, nu_width_error = width_exponent(sizes, *widths.T, seed=settings.seed)
    shift_fit: dict[str, float | str]
    try:
        shift = phase.finite_size_scaling(sizes, values, errors, seed=settings.seed)
        shift_fit = {"tc": shift.tc, "tc_error": shift.tc_error, "nu": shift.nu,
                     "nu_error": shift.nu_error, "a": shift.a, "a_error": shift.a_error}  # fmt: skip
        resolved = abs(shift.a) > 3 * shift.a_error and np.isfinite(shift.nu_error)
    except (RuntimeError, ValueError) as error:
        shift_fit, resolved = {"failed": str(error)}, False
    if resolved:  # the values of shift_fit
        tc, tc_error, nu, nu_error, a = shift.tc, shift.tc_error, shift.nu, shift.nu_error, shift.a
    elif np.isfinite(nu_width) and nu_width > 0 and np.isfinite(nu_width_error):
        nu, nu_error = nu_width, nu_width_error
        tc, tc_error, a, _ = tc_at_fixed_nu(sizes, values, errors, nu, nu_error, seed=settings.seed)
    else:  # neither the shift nor the widths could be fitted: too few samples or epochs
        warnings.warn(
            f"neither T*(L) nor the widths of the steps follow a power of L (crossings "
            f"{np.round(values, 4).tolist()}); use more samples, epochs or sizes",
            RuntimeWarning,
            stacklevel=2,
        )
        tc, tc_error, nu, nu_error, a = (
            float(np.average(values, weights=errors**-2)),
            np.nan,
            np.nan,
            np.nan,
            np.nan,
        )
    temperatures = [curves[L].temperatures for L in sizes]
    means = [curves[L].means for L in sizes]
    fitted = np.isfinite(nu) and nu > 0 and np.isfinite(tc)
    collapsed = phase.collapse(temperatures, means, sizes, tc, nu) if fitted else None
    return {
        "tc": tc,
        "tc_error": tc_error,
        "nu": nu,
        "nu_error": nu_error,
        "a": a,
        "method": "shift of the crossings" if resolved else "width of the steps",
        "onsager_tc": CRITICAL_TEMPERATURE,
        "tc_deviation_percent": 100 * (tc - CRITICAL_TEMPERATURE) / CRITICAL_TEMPERATURE,
        "crossings": {str(L): {"temperature": float(v), "error": float(e), "width": float(w), "width_error": float(we)}
                      for L, v, e, (w, we) in zip(sizes, values, errors, widths, strict=True)},
        "shift_fit": shift_fit,
        "width_fit": {"nu": nu_width, "nu_error": nu_width_error},
        "collapse_quality": collapsed.quality if collapsed is not None else np.nan,
        "settings": asdict(settings),
        "collapse": collapsed,
    }  # fmt: skip
