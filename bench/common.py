"""Shared pieces of the benchmarks: data, FLOP counts, matmul peak, PyTorch twins of the models."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

from cnnlab.layers import Convolution2DLayer, FullyConnectedLayer


def mnist_or_random(samples: int, seed: int = 0):
    """Real MNIST training images when CNNLAB_DATA or ../shared has them, else random ones."""
    try:
        from cnnlab.datasets import load_mnist

        (X, y), _ = load_mnist()
        source = "MNIST"
    except (ImportError, OSError, ValueError):
        rng = np.random.default_rng(seed)
        X = rng.random((samples, 1, 28, 28), dtype=np.float32)
        y = rng.integers(0, 10, samples)
        source = "random 28x28 images (MNIST not found)"
    X, y = X[:samples], y[:samples]
    onehot = np.eye(10, dtype=np.float32)[y]
    return X.astype(np.float32), onehot, y, source


def forward_flops(cnn) -> int:
    """Floating-point operations (multiply + add = 2) of one image's forward pass."""
    total = 0
    for layer in cnn.layers:
        if isinstance(layer, Convolution2DLayer):
            maps, height, width = layer.output_shape
            total += (
                2
                * maps
                * height
                * width
                * layer.input_channels
                * layer.kernel_height
                * layer.kernel_width
            )
        elif isinstance(layer, FullyConnectedLayer):
            total += 2 * layer.input_shape[0] * layer.nodes
    return total


def training_flops(cnn) -> int:
    """FLOPs of one image's training step: forward, weight gradient, input gradient.

    The two backward GEMMs cost as much as the forward one each, except that the
    first layer needs no input gradient.
    """
    first = forward_flops_of_layer(cnn.layers[0])
    return 3 * forward_flops(cnn) - first


def forward_flops_of_layer(layer) -> int:
    class Single:
        layers = [layer]

    return forward_flops(Single)


def matmul_peak_gflops(size: int = 2048, repeats: int = 7) -> float:
    """Median float32 GFLOP/s of numpy's matmul on square matrices (the BLAS peak)."""
    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    a @ b
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return 2 * size**3 / float(np.median(times)) / 1e9


#: variables that pin OpenBLAS to an older kernel (set on some machines as a workaround for
#: old OpenBLAS builds); a user's numpy has neither, and PyTorch's MKL ignores both
PINNED_BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def use_native_blas_kernel(keep_environment: bool) -> None:
    """Run this script again without the variables that pin OpenBLAS's kernel.

    On this project's machines ``OPENBLAS_CORETYPE=Haswell`` is set, which makes
    numpy's OpenBLAS use AVX2 kernels on a CPU with AVX-512: numpy's matmul then
    runs at about half its speed while PyTorch (MKL, oneDNN) keeps its own. A
    fair comparison lets each library pick its kernel, as on a user's machine.
    ``--keep-blas-env`` measures with the variables as they are.
    """
    pinned = [name for name in PINNED_BLAS_VARIABLES if name in os.environ]
    if keep_environment or not pinned:
        return
    print(
        f"unsetting {', '.join(pinned)} so that OpenBLAS picks its kernel (--keep-blas-env not to)"
    )
    sys.stdout.flush()
    environment = {k: v for k, v in os.environ.items() if k not in PINNED_BLAS_VARIABLES}
    os.execve(sys.executable, [sys.executable, *sys.argv], environment)


def blas_description() -> dict:
    """numpy's BLAS as threadpoolctl sees it: library, version, kernel and threads."""
    from threadpoolctl import threadpool_info

    libraries = [info for info in threadpool_info() if info["user_api"] == "blas"]
    # scipy may bring its own OpenBLAS; numpy's is the one cnnlab's products run on
    libraries.sort(key=lambda info: "numpy" not in info.get("filepath", ""))
    if not libraries:
        return {}
    return {
        key: libraries[0].get(key)
        for key in ("internal_api", "version", "architecture", "num_threads")
    }


def write_json(data, output) -> None:
    """Write the results as JSON to ``output`` (creating its folder) and say where."""
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))
    print(f"written {path}")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory now, in MB (from /proc; 0 where there is no /proc)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return 0.0
    return pages * resource.getpagesize() / 2**20


class RssSampler:
    """Largest resident memory seen while the ``with`` block runs (sampled every 5 ms)."""

    def __enter__(self):
        import threading

        self.peak = current_rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, current_rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss_mb())


def torch_twin(name: str):
    """The PyTorch version of a cnnlab.zoo builder (same layers, same shapes)."""
    import torch.nn as nn

    if name == "lenet":
        return nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
        )  # fmt: skip
    if name == "pytorch-mnist":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(1024, 10),
        )  # fmt: skip
    raise ValueError(f"no PyTorch twin for {name!r}")
