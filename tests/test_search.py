import csv
import warnings

import numpy as np
import pytest

from cnnlab.cli import main
from cnnlab.search import grid_search, write_results

GRID = {
    "etas": [1e-2, 1e-1],
    "lams": [1e-4, 1e-2],
    "epochs": 2,
    "batch_size": 50,
    "progress": False,
}


def test_small_grid_locally(tmp_path):
    results = grid_search(**GRID, n_jobs=2)
    assert results["train_acc"].shape == results["test_acc"].shape == (2, 2)
    assert np.all((results["test_acc"] > 0) & (results["test_acc"] <= 1))
    assert [(row["eta"], row["lam"]) for row in results["rows"]] == [
        (0.01, 1e-4),
        (0.01, 1e-2),
        (0.1, 1e-4),
        (0.1, 1e-2),
    ]
    paths = write_results(results, tmp_path)
    with open(paths[0]) as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["eta", "lam", "train_acc", "test_acc", "fit_time"]
    assert float(rows[3]["test_acc"]) == pytest.approx(results["test_acc"][1, 1], abs=1e-6)
    for path in paths[1:]:
        assert path.read_bytes()[:4] == b"\x89PNG"


def test_same_results_in_process_and_in_worker_processes():
    serial = grid_search(**GRID, n_jobs=1)
    parallel = grid_search(**GRID, n_jobs=2)
    np.testing.assert_array_equal(serial["train_acc"], parallel["train_acc"])
    np.testing.assert_array_equal(serial["test_acc"], parallel["test_acc"])


def test_diverging_points_become_nan_with_a_warning():
    with pytest.warns(RuntimeWarning, match=r"eta=10, lam=10 diverged; recorded as NaN"):
        results = grid_search(
            [1e-2, 10.0], [1e-4, 10.0], epochs=3, batch_size=50, n_jobs=1, progress=False
        )
    assert np.isnan(results["test_acc"][1, 1])
    assert np.isfinite(results["test_acc"][0, 0])


def test_dask_local_cluster_gives_identical_results():
    pytest.importorskip("dask.distributed")
    local = grid_search(**GRID, n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_dask = grid_search(**GRID, dask_local=2)
    np.testing.assert_array_equal(local["train_acc"], on_dask["train_acc"])
    np.testing.assert_array_equal(local["test_acc"], on_dask["test_acc"])


def test_cli_grid(tmp_path, capsys):
    arguments = ["grid", "--etas", "0.01,0.1", "--lams", "0.0001", "--epochs", "1", "--n-jobs", "1"]
    assert main([*arguments, "--quiet", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 grid points, 1 epochs each" in out
    assert (tmp_path / "test_acc.png").exists() and (tmp_path / "train_acc.png").exists()
