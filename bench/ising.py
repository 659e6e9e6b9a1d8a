"""Ising Monte Carlo: speed against a plain NumPy checkerboard, cluster vs Metropolis, Onsager.

1. Spin updates per second of ``sample(..., algorithm="metropolis")`` and of a plain
   checkerboard (``np.roll``, one float64 lattice at a time), measured in turns in
   one run, for L = 16, 64 and 256.
2. Swendsen-Wang's cost per sweep, and the integrated autocorrelation time of |m| at
   Tc for both algorithms, for L = 16, 32 and 64: the cost of one independent sample
   is (cost per sweep) x 2 tau.
3. 64 x 64 at T = 1.5 and 3.5 against Onsager's energy and the Onsager-Yang |m|.

Usage: ``python bench/ising.py [--quick] [--output bench_results/ising.json]``
(about 25 s on 2 cores; ``--quick`` about 10 s).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from cnnlab.physics import ising

TC = ising.CRITICAL_TEMPERATURE


def plain_sweeps(spins: np.ndarray, temperature: float, sweeps: int, rng) -> None:
    """The textbook vectorised checkerboard: np.roll neighbour sums, float64, one lattice."""
    L = spins.shape[0]
    i, j = np.indices((L, L))
    masks = [(i + j) % 2 == colour for colour in (0, 1)]
    for _ in range(sweeps):
        for mask in masks:
            field = (
                np.roll(spins, 1, 0) + np.roll(spins, -1, 0)
                + np.roll(spins, 1, 1) + np.roll(spins, -1, 1)
            )  # fmt: skip
            delta = 2.0 * spins * field
            accept = mask & (rng.random((L, L)) < np.exp(-delta / temperature))
            spins[accept] *= -1


def time_plain(L: int, sweeps: int) -> float:
    """Seconds per spin update of the plain version."""
    rng = np.random.default_rng(0)
    spins = rng.choice([-1.0, 1.0], (L, L))
    plain_sweeps(spins, TC, 2, rng)  # warm up
    start = time.perf_counter()
    plain_sweeps(spins, TC, sweeps, rng)
    return (time.perf_counter() - start) / (sweeps * L * L)


def time_sample(L: int, sweeps: int, algorithm: str = "metropolis") -> tuple[float, int]:
    """Seconds per spin update of ``sample`` with its default chain batch, and the chain count.

    ``n_samples = chains`` and ``every = 1``: each chain gives its one sample after
    ``thermalize = sweeps``, so the call does exactly ``chains * sweeps`` lattice sweeps
    (plus its set-up and the copy of the samples, included in the time).
    """
    chains = max(1, 2**18 // L**2)
    ising.sample(L, TC, chains, thermalize=2, algorithm=algorithm, seed=0)  # warm up
    start = time.perf_counter()
    ising.sample(L, TC, chains, thermalize=sweeps, every=1, algorithm=algorithm, seed=1)
    return (time.perf_counter() - start) / (sweeps * chains * L * L), chains


def speed(quick: bool) -> list[dict]:
    rows = []
    scale = 4 if quick else 1
    for L in (16, 64, 256):
        # about 0.4 s per measurement each (plain: ~400, ~50, ~33 ns per update)
        plain_sweeps_count = {16: 3000, 64: 2000, 256: 200}[L] // scale
        fast_sweeps_count = 300 // scale
        # alternate the two three times and keep each one's best: the machine is shared
        plain = min(time_plain(L, plain_sweeps_count) for _ in range(3))
        fast, chains = min(time_sample(L, fast_sweeps_count) for _ in range(3))
        rows.append(
            {
                "L": L,
                "chains": chains,
                "plain_ns_per_update": plain * 1e9,
                "sample_ns_per_update": fast * 1e9,
                "plain_mupdates_per_s": 1e-6 / plain,
                "sample_mupdates_per_s": 1e-6 / fast,
                "ratio": plain / fast,
            }
        )
        print(
            f"L={L:4d}  plain {plain * 1e9:7.1f} ns/update ({1e-6 / plain:6.1f} M/s)   "
            f"sample {fast * 1e9:5.2f} ns/update ({1e-6 / fast:6.1f} M/s, {chains} chains)   "
            f"ratio {plain / fast:5.1f}x",
            flush=True,
        )
    return rows


def autocorrelation(quick: bool) -> list[dict]:
    rows = []
    for L in (16, 32, 64):
        row = {"L": L}
        for algorithm in ("metropolis", "cluster"):
            model = ising.model_autocorrelation_time(L, TC, algorithm=algorithm)
            # thermalize 20 model tau from a random start at Tc, then >= 100 tau of series
            thermalize, length = int(20 * model), max(600, int(100 * model))
            if quick:
                length //= 4
            chains = 16 if L == 64 else 32
            series = ising.time_series(
                L, TC, length, algorithm=algorithm, chains=chains, thermalize=thermalize, seed=L
            )
            tau = ising.autocorrelation_time(np.abs(series["magnetization"]))
            tau_energy = ising.autocorrelation_time(series["energy"])
            per_sweep, _ = time_sample(L, 20 if algorithm == "cluster" else 200, algorithm)
            row[algorithm] = {
                "tau_abs_m": tau,
                "tau_energy": tau_energy,
                "series": [chains, length],
                "ms_per_sweep_per_lattice": per_sweep * L**2 * 1e3,
                "ns_per_spin_per_sweep": per_sweep * 1e9,
                "ms_per_independent_sample": 2 * tau * per_sweep * L**2 * 1e3,
            }
        metropolis, cluster = row["metropolis"], row["cluster"]
        row["cluster_cost_per_sweep_in_metropolis_sweeps"] = (
            cluster["ns_per_spin_per_sweep"] / metropolis["ns_per_spin_per_sweep"]
        )
        row["gain_per_independent_sample"] = (
            metropolis["ms_per_independent_sample"] / cluster["ms_per_independent_sample"]
        )
        rows.append(row)
        print(
            f"L={L:3d}  tau|m| Metropolis {metropolis['tau_abs_m']:7.1f} (E {metropolis['tau_energy']:5.1f})"
            f"  Swendsen-Wang {cluster['tau_abs_m']:5.2f} (E {cluster['tau_energy']:4.2f})   "
            f"SW sweep = {row['cluster_cost_per_sweep_in_metropolis_sweeps']:5.1f} Metropolis sweeps "
            f"({cluster['ns_per_spin_per_sweep']:.0f} vs {metropolis['ns_per_spin_per_sweep']:.1f} ns/spin)"
            f"   per independent sample: Metropolis {metropolis['ms_per_independent_sample']:.2f} ms,"
            f" SW {cluster['ms_per_independent_sample']:.2f} ms",
            flush=True,
        )
    return rows


def onsager(quick: bool) -> list[dict]:
    rows = []
    chains = 32
    for algorithm in ("metropolis", "cluster"):
        for temperature in (1.5, 3.5):
            per_chain = 8 if quick else 32
            spins = ising.sample(
                64, temperature, chains * per_chain, algorithm=algorithm, chains=chains, seed=3
            )
            values = {"energy": ising.energy(spins), "abs_m": np.abs(ising.magnetization(spins))}
            row = {"algorithm": algorithm, "T": temperature, "samples": len(spins)}
            for name, samples in values.items():
                per_chain_means = samples.reshape(chains, -1).mean(axis=1)
                row[name] = float(per_chain_means.mean())
                row[name + "_error"] = float(per_chain_means.std(ddof=1) / np.sqrt(chains))
            row["onsager_energy"] = float(ising.onsager_energy(temperature))
            row["kaufman_energy_64"] = ising.finite_lattice_energy(64, temperature)
            row["onsager_yang_m"] = float(ising.spontaneous_magnetization(temperature))
            row["energy_pull"] = (row["energy"] - row["onsager_energy"]) / row["energy_error"]
            row["abs_m_pull"] = (row["abs_m"] - row["onsager_yang_m"]) / row["abs_m_error"]
            # above Tc, M = 0 only for L -> inf: on a finite lattice m is a Gaussian of width
            # sqrt(chi T / N) ~ 1/L, so <|m|> = sqrt(2 <m^2> / pi) > 0
            row["gaussian_abs_m"] = float(np.sqrt(2 / np.pi * np.mean(values["abs_m"] ** 2)))
            rows.append(row)
            if temperature < TC:
                versus = f"Onsager-Yang {row['onsager_yang_m']:.5f}, {row['abs_m_pull']:+.1f} sigma"
            else:
                versus = (
                    f"M = 0 for L -> inf; Gaussian finite-size value {row['gaussian_abs_m']:.5f}"
                )
            print(
                f"{algorithm:10s} T={temperature}  e = {row['energy']:.5f} +- {row['energy_error']:.5f}"
                f" (Onsager {row['onsager_energy']:.5f}, {row['energy_pull']:+.1f} sigma)   "
                f"|m| = {row['abs_m']:.5f} +- {row['abs_m_error']:.5f} ({versus})",
                flush=True,
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, noisier numbers")
    parser.add_argument("--output", default="bench_results/ising.json")
    arguments = parser.parse_args()
    start = time.perf_counter()
    print("1. Metropolis speed: sample() against the plain np.roll checkerboard (at Tc)")
    results = {"speed": speed(arguments.quick)}
    print("2. Swendsen-Wang against Metropolis at Tc")
    results["autocorrelation_at_tc"] = autocorrelation(arguments.quick)
    print("3. 64 x 64 against Onsager (errors from 32 independent chains)")
    results["onsager_64"] = onsager(arguments.quick)
    results["seconds"] = time.perf_counter() - start
    results["quick"] = arguments.quick
    path = Path(arguments.output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1))
    print(f"written {path} ({results['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
