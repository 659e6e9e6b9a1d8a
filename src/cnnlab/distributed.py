"""joblib on a Dask cluster: the one place ``cnnlab grid`` and the Ising data set get it from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from joblib import parallel_config


@contextmanager
def dask_backend(scheduler: str | None = None, local_workers: int | None = None) -> Iterator[Any]:
    """Run joblib's ``Parallel`` on Dask inside this context.

    Parameters
    ----------
    scheduler : str, optional
        A scheduler's address (``"tcp://HEAD:8786"``), or ``"local"`` for a
        LocalCluster of processes on this machine.
    local_workers : int, optional
        Worker processes of a LocalCluster (started when given, or for ``"local"``).
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ImportError(
            'the Dask backend needs dask.distributed: pip install "cnnlab[dask]"'
        ) from None
    cluster = None
    if local_workers or scheduler == "local":
        cluster = LocalCluster(
            n_workers=local_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        with parallel_config(backend="dask"):
            yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
