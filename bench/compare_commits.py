"""cnnlab at an earlier commit against the working tree: one epoch and one prediction, A/B.

    python bench/compare_commits.py REV [--models lenet,pytorch_mnist] [--samples 12800]
                                        [--repeats 3]

A refactor keeps the speed: this checks out ``REV`` in a temporary git worktree
and times, in fresh processes taking turns ``--repeats`` times, one training
epoch (batch 64, the default threads) and ``predict_proba`` on 5,000 images
with each version; it prints the medians and the ratios (after / before).
Real MNIST when ``CNNLAB_DATA`` points at it, random images otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import os, sys, time
import numpy as np
from cnnlab import zoo
from cnnlab.datasets import load_mnist, onehot
samples = int(sys.argv[2])
try:
    (X, y), _ = load_mnist(download=False)
except ValueError:
    rng = np.random.default_rng(0)
    X, y = rng.random((samples, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, samples)
X, t = X[:samples], onehot(y[:samples], 10)
cnn = getattr(zoo, sys.argv[1])(seed=0)
cnn.fit(X[:256], t[:256], epochs=1, batch_size=64, verbose=False)  # build and warm up
start = time.perf_counter()
cnn.fit(X, t, epochs=1, batch_size=64, verbose=False)
fit = time.perf_counter() - start
start = time.perf_counter()
cnn.predict_proba(X[:5000])
print(fit, time.perf_counter() - start)
"""


def run(source: Path, model: str, samples: int) -> tuple[float, float]:
    environment = dict(os.environ, PYTHONPATH=str(source), PYTHONWARNINGS="ignore")
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # see bench/train_speed.py
        environment.pop(name, None)
    done = subprocess.run([sys.executable, "-c", CHILD, model, str(samples)], env=environment,
                          capture_output=True, text=True, check=True)  # fmt: skip
    fit, predict = map(float, done.stdout.split())
    return fit, predict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier commit")
    parser.add_argument("--models", default="lenet,pytorch_mnist")
    parser.add_argument("--samples", type=int, default=12800)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    if arguments.repeats < 1 or arguments.samples < 256:
        parser.error("--repeats must be >= 1 and --samples >= 256")
    with tempfile.TemporaryDirectory() as folder:
        worktree = Path(folder) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach",
                        str(worktree), arguments.rev], check=True)  # fmt: skip
        try:
            for model in arguments.models.split(","):
                times = {"before": [], "after": []}
                for _ in range(arguments.repeats):
                    times["before"].append(run(worktree / "src", model, arguments.samples))
                    times["after"].append(run(ROOT / "src", model, arguments.samples))
                medians = {
                    version: [statistics.median(t[i] for t in values) for i in (0, 1)]
                    for version, values in times.items()
                }
                (fit_b, predict_b), (fit_a, predict_a) = medians["before"], medians["after"]
                print(
                    f"{model}: fit {fit_b:.2f} -> {fit_a:.2f} s ({fit_a / fit_b:.2f}), "
                    f"predict {predict_b:.2f} -> {predict_a:.2f} s ({predict_a / predict_b:.2f})"
                )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                            str(worktree)], check=False)  # fmt: skip


if __name__ == "__main__":
    main()
