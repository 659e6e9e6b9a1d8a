"""``cnnlab ising``: simulate, train, analyse; write results.json and the figures."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cnnlab._validation import number_list
from cnnlab.io.folders import FolderLock, refuse_finished_results

if TYPE_CHECKING:
    from cnnlab.studies.ising import Settings

QUICK = {"sizes": (8, 12, 16, 24, 32), "samples": 150, "train_samples": 1300, "epochs": 15}
FIGURES = ("configurations", "outputs", "scaling", "collapse", "observables")


def _int_list(text: str) -> tuple[int, ...]:
    return tuple(number_list(int)(text))


_float_list = number_list(float)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``ising`` to the ``cnnlab`` command's subparsers."""
    ising = commands.add_parser(
        "ising",
        help="the 2-D Ising phase transition found by a CNN: Tc and nu by finite-size scaling",
        description="Monte Carlo configurations, one CNN per lattice size, the crossing of its "
        "output with 1/2, and T*(L) = Tc + a L^(-1/nu). Writes results.json and five figures.",
    )
    ising.add_argument("--sizes", type=_int_list, help="lattice sides (default 8,16,32,64,128)")
    ising.add_argument("--protocol", choices=("range", "minimal"), default="range",
                       help="train on T below/above Tc (range) or on T=0 and T=inf only (minimal)")  # fmt: skip
    ising.add_argument("--samples", type=int, help="test configurations per (L, T) (default 200)")
    ising.add_argument(
        "--train-samples", type=int, help="training configurations per L (default 2000)"
    )
    ising.add_argument(
        "--temperatures", type=_float_list, help="test temperatures (default: 23 around Tc)"
    )
    ising.add_argument("--epochs", type=int, help="training epochs per network (default 30)")
    ising.add_argument("--seed", type=int, default=0)
    ising.add_argument(
        "--n-jobs", type=int, help="simulation worker processes (default: all cores)"
    )
    ising.add_argument("--dask-scheduler", metavar="ADDRESS",
                       help="simulate on this Dask scheduler ('local' for a LocalCluster)")  # fmt: skip
    ising.add_argument("--cache", default="ising_cache",
                       help="folder of simulated configurations, reused by later runs (default ising_cache)")  # fmt: skip
    ising.add_argument("--quick", action="store_true", help="a small study in about a minute")
    ising.add_argument("--output", default="ising_output", help="folder (default ising_output)")
    ising.add_argument(
        "--overwrite", action="store_true", help="replace a finished study's results"
    )
    ising.add_argument("--quiet", action="store_true", help="no progress bars")
    ising.set_defaults(handler=run_ising)


def settings_from(arguments: argparse.Namespace) -> Settings:
    """The study's ``Settings`` from the command line's arguments."""
    from cnnlab.studies.ising import Settings

    settings = Settings(protocol=arguments.protocol, seed=arguments.seed, n_jobs=arguments.n_jobs,
                        dask_scheduler=arguments.dask_scheduler)  # fmt: skip
    if arguments.quick:
        for key, value in QUICK.items():
            setattr(settings, key, value)
    for key in ("sizes", "samples", "train_samples", "temperatures", "epochs"):
        if getattr(arguments, key) is not None:
            setattr(settings, key, getattr(arguments, key))
    return settings


def run_ising(arguments: argparse.Namespace) -> dict:
    """Run the study; print Tc and nu against Onsager's; write results.json and the figures."""
    output = Path(arguments.output)
    if (output / "results.json").exists() and not arguments.overwrite:
        refuse_finished_results(output / "results.json", "a finished study")
    with FolderLock(output):
        return _study(arguments, output)


def _study(arguments: argparse.Namespace, output: Path) -> dict:
    from cnnlab.studies import ising_figures as figures
    from cnnlab.studies.ising import run

    settings = settings_from(arguments)
    start = time.perf_counter()
    results = run(settings, cache=arguments.cache, progress=not arguments.quiet)
    results["timings"]["total"] = round(time.perf_counter() - start, 2)
    largest = max(settings.sizes)
    shown = [1.6, 2.05, 2.26, 2.5, 3.2] if not arguments.quick else [1.6, 2.26, 3.2]
    shown = [_nearest(settings.temperatures, s) for s in shown]
    figure_start = time.perf_counter()
    paths = {
        "configurations": figures.plot_configurations(results["test"], largest, sorted(set(shown))),
        "outputs": figures.plot_outputs(results["curves"], results["crossings"]),
        "scaling": figures.plot_scaling(results),
        "collapse": figures.plot_collapse(results),
        "observables": figures.plot_observables(results["test"]),
    }
    output.mkdir(parents=True, exist_ok=True)
    for name, figure in paths.items():
        figure.savefig(output / f"ising_{name}.png", dpi=90, bbox_inches="tight")
    results["timings"]["figures"] = round(time.perf_counter() - figure_start, 2)
    saved = {
        key: value
        for key, value in results.items()
        if key not in ("fit", "collapse", "curves", "test")
    }
    (output / "results.json").write_text(json.dumps(saved, indent=2, default=_plain))
    print(
        f"Tc = {results['tc']:.4f} ± {results['tc_error']:.4f} (Onsager {results['onsager_tc']:.5f}, "
        f"{results['tc_deviation_percent']:+.2f} %), nu = {results['nu']:.3f} ± {results['nu_error']:.3f} "
        f"(exact 1); {settings.protocol} protocol, L = {','.join(map(str, settings.sizes))}, "
        f"{results['timings']['total']:.0f} s"
    )
    print(f"results and figures written to {output}")
    return results


def _nearest(values: Iterable[float], target: float) -> float:
    """The entry of ``values`` closest to ``target``."""
    return min(values, key=lambda value: abs(value - target))


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
