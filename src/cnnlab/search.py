"""The notes' eta x lambda grid search, on one machine or on a Dask cluster.

Every grid point trains the notes' Keras digits model (conv 10@3x3, max-pool,
dense 50, softmax) with plain SGD (``Constant``) from the same seed, so a point
gives the same numbers wherever it runs: in this process, in joblib worker
processes, or on Dask workers through joblib's dask backend. BLAS runs one
thread per point for the same reason (and the points run side by side instead).
A point that diverges is recorded as NaN, with a warning, not as a crash.
"""

from __future__ import annotations

import csv
import time
import warnings
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import ArrayLike
from threadpoolctl import threadpool_limits

from cnnlab._progress import tqdm
from cnnlab._validation import check_array, check_int
from cnnlab.datasets import load_digits, onehot, train_val_split
from cnnlab.distributed import dask_backend
from cnnlab.nn.schedulers import make_scheduler
from cnnlab.zoo import keras_digits

COLUMNS = ("eta", "lam", "train_acc", "test_acc", "fit_time")
DEFAULT_GRID = tuple(np.logspace(-5, 1, 7))


def fit_point(
    eta: float,
    lam: float,
    data: Sequence[np.ndarray],
    epochs: int,
    batch_size: int,
    scheduler: str,
    seed: int | None,
) -> dict:
    """Train one grid point; returns its row (NaN accuracies if training diverged)."""
    X_train, X_test, t_train, t_test = data
    model = keras_digits(scheduler=make_scheduler(scheduler, eta), seed=seed)
    start = time.perf_counter()
    diverged = None
    with threadpool_limits(limits=1), np.errstate(all="ignore"):
        try:
            model.fit(
                X_train, t_train, epochs=epochs, lam=lam, batch_size=batch_size, verbose=False
            )
            train_acc = model.evaluate(X_train, t_train)["acc"]
            test_acc = model.evaluate(X_test, t_test)["acc"]
        except FloatingPointError as error:
            train_acc = test_acc = float("nan")
            diverged = str(error)
    return {
        "eta": float(eta),
        "lam": float(lam),
        "train_acc": train_acc,
        "test_acc": test_acc,
        "fit_time": time.perf_counter() - start,
        "diverged": diverged,
    }


def grid_search(
    etas: ArrayLike = DEFAULT_GRID,
    lams: ArrayLike = DEFAULT_GRID,
    *,
    epochs: int = 100,
    batch_size: int = 100,
    scheduler: str = "Constant",
    seed: int = 0,
    n_jobs: int | None = None,
    dask_scheduler: str | None = None,
    dask_local: int | None = None,
    data: Sequence[np.ndarray] | None = None,
    progress: bool = True,
) -> dict:
    """Train the digits model at every (eta, lam) and score train and test accuracy.

    Parameters
    ----------
    etas, lams : sequences of float
        Learning rates (rows) and L2 penalties (columns); the notes use
        ``np.logspace(-5, 1, 7)`` for both.
    epochs, batch_size : int
        Training of each point (the notes: 100 and 100).
    scheduler : str
        Optimizer name; the notes use plain SGD, "Constant".
    seed : int
        Seeds the data split and every point's network.
    n_jobs : int, optional
        joblib workers on this machine (None: all cores).
    dask_scheduler : str, optional
        Address of a running Dask scheduler, e.g. "tcp://10.0.0.5:8786".
    dask_local : int, optional
        Start a Dask LocalCluster with this many worker processes.
    data : tuple, optional
        ``(X_train, X_test, t_train, t_test)``; scikit-learn's digits, split
        80/20 as in the notes, by default.

    Returns
    -------
    dict
        "etas", "lams", the (len(etas), len(lams)) grids "train_acc",
        "test_acc" and "fit_time", and "rows" (one dict per point).
    """
    etas = check_array(etas, "etas", ndim=1).astype(float)
    lams = check_array(lams, "lams", ndim=1).astype(float)
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    if data is None:
        X, y = load_digits()
        data = train_val_split(X, onehot(y), val_fraction=0.2, seed=seed)
    points = [(eta, lam) for eta in etas for lam in lams]
    backend: AbstractContextManager[object]
    if dask_scheduler or dask_local:
        backend = dask_backend(dask_scheduler, dask_local)
        n_jobs = -1
    else:
        backend = nullcontext()
    rows = []
    with backend:
        parallel = Parallel(n_jobs=n_jobs or -1, return_as="generator_unordered")
        tasks = (
            delayed(fit_point)(eta, lam, data, epochs, batch_size, scheduler, seed)
            for eta, lam in points
        )
        for row in tqdm(parallel(tasks), total=len(points), disable=not progress, desc="grid"):
            if row["diverged"]:
                warnings.warn(
                    f"eta={row['eta']:g}, lam={row['lam']:g} diverged; recorded as NaN "
                    f"({row['diverged']})",
                    RuntimeWarning,
                    stacklevel=2,
                )
            rows.append(row)
    rows.sort(key=lambda row: (list(etas).index(row["eta"]), list(lams).index(row["lam"])))
    grids = {
        key: np.array([row[key] for row in rows]).reshape(len(etas), len(lams))
        for key in COLUMNS[2:]
    }
    return {"etas": etas, "lams": lams, "rows": rows, **grids}


def write_results(results: dict, folder: str | Path) -> list[Path]:
    """results.csv and the two annotated heatmaps; returns the paths written."""
    from cnnlab.plotting import plot_accuracy_heatmap

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = folder / "results.csv"
    with table.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in results["rows"]:
            writer.writerow([f"{row[key]:.6g}" for key in COLUMNS])
    paths = [table]
    for key, title in (("train_acc", "Training accuracy"), ("test_acc", "Test accuracy")):
        path = folder / f"{key}.png"
        plot_accuracy_heatmap(results[key], results["etas"], results["lams"], title, path)
        paths.append(path)
    return paths
