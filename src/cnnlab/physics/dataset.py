"""Ising configurations over several lattice sizes and temperatures: seeded, parallel, cached.

Every (L, T) point gets its own random stream, spawned from the seed and keyed by
the point itself (``SeedSequence(entropy, spawn_key=(dims, L, bits of T))``), so
a point's samples do not depend on the other points, on their order or on
``n_jobs``. Points run in parallel through joblib, on this machine or on a Dask
cluster. Each point is cached in its own ``.npz`` file (no pickle), named by a
hash of its parameters and holding those parameters as JSON; a file whose
parameters, members, sizes or values do not match is never trusted.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from contextlib import nullcontext
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import ArrayLike

from cnnlab._progress import tqdm
from cnnlab._validation import check_array, check_choice, check_int
from cnnlab.distributed import dask_backend
from cnnlab.io.atomic import write_atomically
from cnnlab.io.members import NpzMembers
from cnnlab.physics.sampling import sample

#: bump when the samplers change what a given seed produces: old cache files then miss
FORMAT = 1


def _temperature_json(temperature: float):
    return "inf" if np.isinf(temperature) else float(temperature)


def point_parameters(
    L: int,
    temperature: float,
    n_samples: int,
    dims: int,
    algorithm: str,
    thermalize: int | None,
    every: int | None,
    seed: int | None,
) -> dict:
    """The parameters that determine one point's samples (the cache key)."""
    return {
        "format": FORMAT,
        "dims": dims,
        "L": L,
        "temperature": _temperature_json(temperature),
        "n_samples": n_samples,
        "algorithm": algorithm,
        "thermalize": thermalize,
        "every": every,
        "seed": seed,
    }


def cache_path(folder: Path, parameters: dict) -> Path:
    """``folder / ising2d-L16-T2.269-<16 hex digits of the parameters' SHA-256>.npz``."""
    text = json.dumps(parameters, sort_keys=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    temperature = parameters["temperature"]
    label = temperature if temperature == "inf" else f"{temperature:.6g}"
    name = f"ising{parameters['dims']}d-L{parameters['L']}-T{label}"
    return folder / f"{name}-{digest}.npz"


def read_cached(path: Path, parameters: dict) -> np.ndarray | None:
    """The cached spins of ``path`` if it holds exactly these parameters, else None (with a warning)."""
    if not path.exists():
        return None
    shape = (parameters["n_samples"],) + (parameters["L"],) * parameters["dims"]
    try:
        # each member checked against its bound from its header, before it is decompressed
        members = NpzMembers(path)
        if sorted(members.names()) != ["parameters", "spins"]:
            raise ValueError(f"unexpected members {members.names()}")
        raw = members.read("parameters", kinds="u", max_bytes=1 << 16)
        stored = json.loads(raw.tobytes().decode())
        if stored != parameters:
            raise ValueError(f"parameters {stored} differ from {parameters}")
        spins = members.read("spins", shape=shape, kinds="i", max_bytes=int(np.prod(shape)))
        if spins.dtype != np.int8:
            raise ValueError(f"spins have dtype {spins.dtype}")
        if np.count_nonzero((spins != 1) & (spins != -1)):
            raise ValueError("spins other than +1 and -1")
    except (OSError, ValueError, KeyError, EOFError) as error:
        warnings.warn(f"not using cache file {path}: {error}", RuntimeWarning, stacklevel=3)
        return None
    return spins


def write_cached(path: Path, parameters: dict, spins: np.ndarray) -> None:
    """Write the spins and their parameters (JSON bytes) atomically."""
    encoded = np.frombuffer(json.dumps(parameters, sort_keys=True).encode(), dtype=np.uint8)
    write_atomically(path, {"spins": spins, "parameters": encoded})


def _sample_point(key, L, temperature, n_samples, dims, algorithm, thermalize, every, seed):
    spins = sample(
        L,
        temperature,
        n_samples,
        dims=dims,
        algorithm=algorithm,
        thermalize=thermalize,
        every=every,
        seed=seed,
    )
    return key, spins


def _check_temperatures(temperatures) -> np.ndarray:
    values = check_array(temperatures, "temperatures", ndim=1, dtype=np.float64, finite=False)
    if np.any(np.isnan(values)) or np.any(values < 0):
        raise ValueError(f"temperatures must be >= 0 (np.inf allowed), got {values.tolist()}")
    if len(np.unique(values)) != len(values):
        raise ValueError(f"temperatures must be distinct, got {values.tolist()}")
    return values


def dataset(
    sizes: ArrayLike,
    temperatures: ArrayLike,
    n_samples: int,
    *,
    dims: int = 2,
    algorithm: str = "metropolis",
    thermalize: int | None = None,
    every: int | None = None,
    seed: int | None = None,
    n_jobs: int | None = None,
    scheduler: str | None = None,
    cache: str | Path | None = None,
    progress: bool = True,
) -> dict[int, dict[str, np.ndarray]]:
    """Samples of the Ising model at every (L, T) point, for training and testing networks.

    Parameters
    ----------
    sizes : sequence of int
        Lattice sides L (distinct).
    temperatures : sequence of float
        Distinct temperatures ``T >= 0``; 0 and np.inf give ground states and
        random spins (nothing to simulate).
    n_samples : int
        Configurations per (L, T) point.
    dims, algorithm, thermalize, every
        As in :func:`cnnlab.physics.ising.sample`.
    seed : int, optional
        Makes the whole data set reproducible. With None, fresh entropy; a
        cache then stores and reuses the first call's samples.
    n_jobs : int, optional
        joblib workers on this machine (None: all cores); with ``scheduler``,
        the number of local Dask workers.
    scheduler : str, optional
        Run the points on Dask, like ``cnnlab grid``: a scheduler address
        (``"tcp://10.0.0.5:8786"``) or ``"local"`` for a LocalCluster here.
    cache : str or Path, optional
        Folder of per-point ``.npz`` files, created if missing; points already
        there are read instead of simulated.
    progress : bool
        Show a progress bar over the points to simulate.

    Returns
    -------
    dict
        For every L: ``{"spins": int8 (len(temperatures) * n_samples, L, ..., L),
        "temperatures": float64 (len(temperatures) * n_samples,)}``, the
        temperatures in the order given, ``n_samples`` rows each.
    """
    sizes = [check_int(L, "sizes", minimum=2) for L in np.atleast_1d(sizes).tolist()]
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"sizes must be distinct, got {sizes}")
    temperatures = _check_temperatures(temperatures)
    n_samples = check_int(n_samples, "n_samples")
    dims = check_int(dims, "dims", minimum=2)
    if dims > 3:
        raise ValueError(f"dims must be 2 or 3, got {dims}")
    algorithm = check_choice(algorithm, "algorithm", ("metropolis", "cluster"))
    thermalize = None if thermalize is None else check_int(thermalize, "thermalize", minimum=0)
    every = None if every is None else check_int(every, "every", minimum=1)
    seed = None if seed is None else check_int(seed, "seed", minimum=0)
    if scheduler is not None and not isinstance(scheduler, str):
        raise TypeError(f"scheduler must be an address or 'local', got {scheduler!r}")
    folder = None if cache is None else Path(cache)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    root = np.random.SeedSequence(seed)

    found, tasks, points = {}, [], {}
    for L in sizes:
        for temperature in temperatures:
            key = (L, float(temperature))
            parameters = point_parameters(
                L, temperature, n_samples, dims, algorithm, thermalize, every, seed
            )
            points[key] = parameters
            if folder is not None:
                spins = read_cached(cache_path(folder, parameters), parameters)
                if spins is not None:
                    found[key] = spins
                    continue
            bits = int(np.float64(temperature).view(np.uint64))
            point_seed = np.random.SeedSequence(root.entropy, spawn_key=(dims, L, bits))
            tasks.append(
                delayed(_sample_point)(
                    key,
                    L,
                    float(temperature),
                    n_samples,
                    dims,
                    algorithm,
                    thermalize,
                    every,
                    point_seed,
                )
            )
    workers = n_jobs if scheduler == "local" else None  # an address brings its own workers
    backend = nullcontext() if scheduler is None else dask_backend(scheduler, workers)
    with backend:
        jobs = -1 if scheduler is not None or n_jobs is None else n_jobs
        parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
        bar = tqdm(parallel(tasks), total=len(tasks), disable=not progress, desc="ising")
        for key, spins in bar:
            if folder is not None:
                write_cached(cache_path(folder, points[key]), points[key], spins)
            found[key] = spins
    return {
        L: {
            "spins": np.concatenate([found[(L, float(t))] for t in temperatures]),
            "temperatures": np.repeat(temperatures, n_samples),
        }
        for L in sizes
    }
