"""The data-set builder: seeds per point, n_jobs, Dask, and a cache that is never trusted blindly."""

import json
import sys
import time
import zipfile

import numpy as np
import pytest

from cnnlab.physics import ising

SIZES, TEMPERATURES = [4, 6], [0.0, 2.0, 3.0, np.inf]


def build(**kwargs):
    arguments = {"seed": 5, "n_jobs": 1, "progress": False} | kwargs
    return ising.dataset(SIZES, TEMPERATURES, 6, **arguments)


def assert_same(first, second):
    assert first.keys() == second.keys()
    for L in first:
        assert np.array_equal(first[L]["spins"], second[L]["spins"])
        assert np.array_equal(first[L]["temperatures"], second[L]["temperatures"])


def test_layout_and_determinism():
    data = build()
    assert list(data) == SIZES
    for L in SIZES:
        assert data[L]["spins"].shape == (24, L, L) and data[L]["spins"].dtype == np.int8
        assert data[L]["temperatures"].tolist() == np.repeat(TEMPERATURES, 6).tolist()
    ground = data[4]["spins"][:6]
    assert set(np.abs(ising.magnetization(ground)).tolist()) == {1.0}
    assert_same(data, build())
    assert not np.array_equal(data[6]["spins"], build(seed=6)[6]["spins"])


def test_a_point_does_not_depend_on_the_others_or_on_n_jobs():
    data = build()
    alone = ising.dataset([6], [3.0], 6, seed=5, n_jobs=1, progress=False)
    assert np.array_equal(alone[6]["spins"], data[6]["spins"][12:18])
    assert_same(data, build(n_jobs=2))


def test_second_call_reads_the_cache(tmp_path, monkeypatch):
    first = build(cache=tmp_path)
    files = sorted(tmp_path.glob("*.npz"))
    assert len(files) == len(SIZES) * len(TEMPERATURES)
    assert not list(tmp_path.glob("*.tmp"))  # written atomically, nothing left behind
    with np.load(files[0], allow_pickle=False) as archive:
        parameters = json.loads(archive["parameters"].tobytes())
    assert parameters["seed"] == 5 and parameters["n_samples"] == 6

    def refuse(*args, **kwargs):
        raise AssertionError("simulated although the cache holds every point")

    # the module, not the function of the same name that cnnlab.physics.dataset resolves to
    monkeypatch.setattr(
        sys.modules["cnnlab.physics.dataset"], "sample", refuse
    )  # the sampler the builder calls
    assert_same(first, build(cache=tmp_path))
    # other parameters miss the cache (and the refusing sampler is called)
    with pytest.raises(AssertionError, match="simulated"):
        build(cache=tmp_path, seed=6)


def test_corrupted_or_mismatched_cache_files_are_not_trusted(tmp_path):
    fresh = build(cache=tmp_path)
    files = sorted(tmp_path.glob("*L6-T3-*.npz"))
    assert len(files) == 1
    target = files[0]
    # 1. garbage bytes
    target.write_bytes(b"not a zip file")
    with pytest.warns(RuntimeWarning, match="not using cache file"):
        assert_same(fresh, build(cache=tmp_path))
    assert zipfile.is_zipfile(target)  # rewritten
    # 2. a valid file of another point under this point's name
    other = next(tmp_path.glob("*L6-T2-*.npz"))
    target.write_bytes(other.read_bytes())
    with pytest.warns(RuntimeWarning, match="parameters"):
        assert_same(fresh, build(cache=tmp_path))
    # 3. the right parameters around tampered spins
    with np.load(target, allow_pickle=False) as archive:
        parameters = archive["parameters"]
    np.savez(target, spins=np.zeros((6, 6, 6), np.int8), parameters=parameters)
    with pytest.warns(RuntimeWarning, match="spins other than"):
        assert_same(fresh, build(cache=tmp_path))
    # 4. a member larger than the point can need is refused before it is read
    np.savez(target, spins=np.ones((600, 6, 6), np.int8), parameters=parameters)
    with pytest.warns(
        RuntimeWarning, match=r"spins should have shape \(6, 6, 6\), its header says \(600, 6, 6\)"
    ):
        assert_same(fresh, build(cache=tmp_path))


def test_cache_file_is_reused_untouched(tmp_path):
    build(cache=tmp_path)
    stamps = {path: path.stat().st_mtime_ns for path in tmp_path.glob("*.npz")}
    time.sleep(0.01)
    build(cache=tmp_path)
    assert {path: path.stat().st_mtime_ns for path in tmp_path.glob("*.npz")} == stamps


def test_dask_scheduler_gives_the_same_samples():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        assert_same(build(), build(scheduler=cluster.scheduler_address))


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"sizes": [4, 4]}, ValueError, "sizes must be distinct"),
        ({"sizes": [1]}, ValueError, "sizes must be >= 2"),
        ({"temperatures": [2.0, -1.0]}, ValueError, "temperatures must be >= 0"),
        ({"temperatures": [2.0, 2.0]}, ValueError, "temperatures must be distinct"),
        ({"n_samples": 0}, ValueError, "n_samples must be >= 1"),
        ({"scheduler": 8786}, TypeError, "scheduler must be an address"),
        ({"every": 0}, ValueError, "every must be >= 1"),
        ({"algorithm": "heatbath"}, ValueError, "algorithm must be one of"),
    ],
)
def test_dataset_rejects_bad_input(kwargs, error, match):
    arguments = {"sizes": [4], "temperatures": [2.0], "n_samples": 2, "progress": False} | kwargs
    with pytest.raises(error, match=match):
        ising.dataset(
            arguments.pop("sizes"),
            arguments.pop("temperatures"),
            arguments.pop("n_samples"),
            **arguments,
        )
