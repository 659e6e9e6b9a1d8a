"""The training step on threads: every core works on its own part of the batch.

NumPy runs one ufunc or copy on one core, and most of a CNN's time outside the
GEMMs (im2col, pooling, activations, the optimizer) is such work. So the batch
is split into ``shards``, one per thread, and each shard goes forward and
backward through its own *replica* of the layers: the replicas share the
parameter arrays but keep their own caches and gradients. NumPy releases the
GIL inside those calls, so the threads run side by side. The shard gradients
are summed, weighted by shard size, which gives exactly the gradient of the
whole batch (up to the order of float additions); then the optimizer steps
once, on parallel slices of the largest arrays. Each thread calls a
single-threaded BLAS, so the threads never wait on each other's GEMMs.

Dropout draws its mask for the whole batch, and each replica takes its rows,
so the number of threads does not change the result. BatchNormalization needs
the statistics of the whole batch: its replicas add their shards' sums through
a :class:`Reduction` (a barrier per sum), as PyTorch's SyncBatchNorm does
across GPUs.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
from threadpoolctl import ThreadpoolController

from cnnlab._validation import check_int
from cnnlab.nn.metrics import merge
from cnnlab.training.step import Step, draw_batch, gradients, step_parameter

#: fewer samples than this per thread cost more in hand-over than they save
MIN_SHARD = 16
#: arrays smaller than this are updated in one piece: splitting would cost more
MIN_PARALLEL_SIZE = 1 << 16

_CONTROLLER = None
_MALLOC_TUNED = False


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity mask
        return os.cpu_count() or 1


def blas_threads() -> int:
    """How many threads BLAS may use now (1 inside ``threadpool_limits(1)``, as in a grid)."""
    controller = _controller()
    counts = [info["num_threads"] for info in controller.info() if info["user_api"] == "blas"]
    return max(counts, default=1)


def _controller() -> ThreadpoolController:
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory for reuse instead of handing it back at once.

    By default glibc maps blocks over a threshold afresh and returns freed
    memory at the top of the heap to the system, so every batch's new arrays
    (FFT spectra, GEMM outputs) page-fault again: 8 % of a LeNet epoch here.
    Raising both thresholds (``mallopt``) lets the process reuse that memory;
    its RSS then stays at its peak. Only on Linux with glibc; returns whether
    it was done. Done once per process, at the first ``fit``.
    """
    global _MALLOC_TUNED
    if _MALLOC_TUNED or not sys.platform.startswith("linux"):
        return _MALLOC_TUNED
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # musl or another C library
        return False
    trim_threshold, mmap_threshold = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD (malloc.h)
    _MALLOC_TUNED = bool(
        libc.mallopt(mmap_threshold, 32 << 20) and libc.mallopt(trim_threshold, 1 << 30)
    )
    return _MALLOC_TUNED


def resolve_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a thread count: None means as many as BLAS may use now, -1 every core."""
    if n_jobs is None:
        return min(blas_threads(), available_cores())
    n_jobs = check_int(n_jobs, "n_jobs", minimum=-1)
    if n_jobs == 0:
        raise ValueError("n_jobs must be a positive number of threads, or -1 for every core; got 0")
    return available_cores() if n_jobs == -1 else n_jobs


class Reduction:
    """Sums arrays over the shards of one batch, one thread per shard.

    Every thread calls ``sum(shard, array)`` at the same point of its pass and
    gets the same total, added in shard order, so all threads go on with the
    same numbers. A failing thread calls :meth:`abort`, which releases the others
    with ``threading.BrokenBarrierError`` instead of leaving them waiting.
    """

    def __init__(self, shards: int) -> None:
        self.shards = shards
        self.parts: list = [None] * shards
        self.barrier = threading.Barrier(shards)

    def sum(self, shard: int, array: np.ndarray) -> np.ndarray:
        """``array`` summed over every shard of the batch, in shard order; waits for all of them."""
        if self.shards == 1:
            return array
        self.parts[shard] = array
        self.barrier.wait()  # every part is in
        total = sum(self.parts[1:], start=self.parts[0])
        self.barrier.wait()  # every thread has read the parts before the next sum reuses them
        return total

    def abort(self) -> None:
        """Release the threads waiting at the barrier (a shard failed)."""
        self.barrier.abort()

    def member(self, shard: int) -> _Member:
        """The view of this reduction that shard ``shard``'s layer gets."""
        return _Member(self, shard)


class _Member:
    """What one shard's layer sees of a :class:`Reduction`."""

    def __init__(self, reduction: Reduction, shard: int) -> None:
        self.reduction, self.shard = reduction, shard
        self.primary = shard == 0

    def sum(self, array: np.ndarray) -> np.ndarray:
        return self.reduction.sum(self.shard, array)


class ThreadedStep:
    """The step of ``cnnlab.training.step.Step`` on ``n_jobs`` threads, each on a shard.

    Parameters
    ----------
    model : CNN
        A built network.
    n_jobs : int
        Threads, at least 2 (one thread is ``Step``).

    Notes
    -----
    The shard gradients (and the L2 term) are summed in place into the model's
    own layers' ``grads``, to spare a copy of the largest arrays; after a step
    those hold the batch's gradient with L2, where ``Step`` leaves the plain
    gradient.
    """

    def __init__(self, model, n_jobs: int) -> None:
        if n_jobs < 2:
            raise ValueError(f"ThreadedStep needs n_jobs >= 2, got {n_jobs}; use Step for one")
        self.model = model
        self.n_jobs = n_jobs
        self.replicas = [model.layers] + [
            [layer.replica() for layer in model.layers] for _ in range(n_jobs - 1)
        ]
        self.pool = ThreadPoolExecutor(n_jobs - 1)

    def __enter__(self) -> ThreadedStep:
        # Each thread calls BLAS by itself; threads of BLAS's own would fight for the cores.
        self._limits = _controller().limit(
            limits=max(1, available_cores() // self.n_jobs), user_api="blas"
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._limits.restore_original_limits()
        self.pool.shutdown()
        for layer in self.model.layers:  # the model's own layers go on alone
            layer.use_reduction(None)

    def __call__(self, X: np.ndarray, t: np.ndarray, lam: float) -> tuple[float, dict]:
        """Train on one batch; return the batch's summed cost and its score statistics."""
        shards = min(self.n_jobs, max(1, len(X) // MIN_SHARD))
        bounds = [len(X) * i // shards for i in range(shards + 1)]
        rows = [slice(bounds[i], bounds[i + 1]) for i in range(shards)]
        # one set of random draws (dropout masks) for the whole batch; each shard its rows
        for index, draws in enumerate(draw_batch(self.model.layers, len(X))):
            for shard, part in enumerate(rows):
                self.replicas[shard][index].use_batch(None if draws is None else draws[part])
        reductions = self._share_statistics(shards)
        jobs = [
            (self.replicas[i], X[part], t[part], len(X), reductions) for i, part in enumerate(rows)
        ]
        futures = [self.pool.submit(self._shard, *job) for job in jobs[1:]]
        results = [self._shard(*jobs[0])] + [future.result() for future in futures]
        self._update(lam, shards)
        statistics: dict | None = None
        for _, part in results:
            statistics = merge(statistics, part)
        assert statistics is not None  # one shard at least
        return sum(loss for loss, _ in results), statistics

    def _shard(self, layers, X, t, batch_size, reductions):
        # The cost is a mean over the shard; scaled by its share, the shard gradients add
        # up to the gradient of the batch's mean.
        try:
            return gradients(self.model, layers, X, t, scale=len(X) / batch_size)
        except BaseException:
            for reduction in reductions:
                reduction.abort()
            raise

    def _share_statistics(self, shards: int) -> list[Reduction]:
        """A fresh :class:`Reduction` for every layer whose samples are coupled."""
        reductions = []
        for index, layer in enumerate(self.model.layers):
            if layer.couples_samples:
                reduction = Reduction(shards)
                reductions.append(reduction)
                for shard in range(self.n_jobs):
                    member = reduction.member(shard) if shard < shards else None
                    self.replicas[shard][index].use_reduction(member)
        return reductions

    def _update(self, lam: float, shards: int) -> None:
        model = self.model
        for (index, key), optimizer in model.optimizers.items():
            parameter = model.layers[index].params[key]
            gradients_ = [layers[index].grads[key] for layers in self.replicas[:shards]]
            decay = lam if key == "W" else 0.0
            if parameter.size < MIN_PARALLEL_SIZE:  # not worth a hand-over to another thread
                total = sum(gradients_[1:], start=gradients_[0])
                step_parameter(parameter, total, optimizer, decay)
                continue
            parts = _parts(parameter.size, self.n_jobs)
            total = gradients_[0] if gradients_[0].flags.c_contiguous else gradients_[0].copy()
            # Sum the shard gradients (and the L2 term) into the first, slice by slice in
            # parallel, then let the optimizer step on the same slices when it can.
            self._run(partial(_add_into, total, gradients_[1:], decay, parameter), parts)
            if hasattr(optimizer, "step_parts"):
                optimizer.step_parts(parameter, total, parts, self._run)
            else:
                step_parameter(parameter, total, optimizer, 0.0)

    def _run(self, function, parts) -> None:
        """Call ``function(part)`` for every part, the first in this thread."""
        futures = [self.pool.submit(function, part) for part in parts[1:]]
        function(parts[0])
        for future in futures:
            future.result()


def make_step(model, n_jobs: int) -> Step | ThreadedStep:
    """The training step for ``n_jobs`` threads: ``Step`` for one, ``ThreadedStep`` for more."""
    return Step(model) if n_jobs == 1 else ThreadedStep(model, n_jobs)


def _parts(size: int, count: int) -> list[slice]:
    """``count`` slices that cover ``range(size)`` (one if the array is small)."""
    if size < MIN_PARALLEL_SIZE:
        count = 1
    bounds = [size * i // count for i in range(count + 1)]
    return [slice(bounds[i], bounds[i + 1]) for i in range(count)]


def _add_into(total, others, decay, parameter, part) -> None:
    flat = total.reshape(-1)[part]
    for other in others:
        flat += other.reshape(-1)[part]
    if decay:
        flat += parameter.dtype.type(decay) * parameter.reshape(-1)[part]
