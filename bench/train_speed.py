"""One training epoch of the same model in cnnlab and in PyTorch CPU, in one run.

    python bench/train_speed.py [--models lenet,pytorch-mnist] [--samples 60000]
                                [--threads 2] [--repeats 3]
                                [--output bench_results/train_speed.json]

Each (framework, model) pair runs in its own fresh process, so that its peak
memory (RSS) is its own. Both use batch 64, Adam(1e-3), float32, the same
thread count and the same data (real MNIST when CNNLAB_DATA points at it,
random images otherwise), batched by hand (no DataLoader) so that only the
training step is compared. The numpy float32 matmul peak is measured in the
same run, and each framework's FLOP rate is given as a fraction of it. The
frameworks take turns, ``--repeats`` times each, and the medians are compared:
this machine is shared, and single epochs vary by 10 % or more.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_cnnlab(model_name: str, samples: int, batch_size: int) -> dict:
    from common import RssSampler, current_rss_mb, mnist_or_random, peak_rss_mb, training_flops

    from cnnlab.zoo import build_model

    X, t, _, source = mnist_or_random(samples)
    cnn = build_model(model_name, seed=0)
    cnn.build(X.shape[1:], dtype="float32")
    cnn.fit(
        X[: batch_size * 4], t[: batch_size * 4], epochs=1, batch_size=batch_size, verbose=False
    )
    rss_before = current_rss_mb()
    with RssSampler() as memory:
        start = time.perf_counter()
        scores = cnn.fit(X, t, epochs=1, batch_size=batch_size, verbose=False)
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "train_acc": float(scores["train_acc"][0]),
        "flops_per_epoch": training_flops(cnn) * len(X),
        "epoch_peak_rss_mb": memory.peak,
        "rss_before_epoch_mb": rss_before,
        "process_peak_rss_mb": peak_rss_mb(),
        "data": source,
    }


def run_torch(model_name: str, samples: int, batch_size: int, threads: int) -> dict:
    import numpy as np
    import torch
    from common import RssSampler, current_rss_mb, mnist_or_random, peak_rss_mb, torch_twin

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    X, _, y, source = mnist_or_random(samples)
    X, y = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    model = torch_twin(model_name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_function = torch.nn.CrossEntropyLoss()

    def epoch(count):
        order = torch.randperm(count)
        correct = 0
        for start in range(0, count, batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            logits = model(X[index])
            loss = loss_function(logits, y[index])
            loss.backward()
            optimizer.step()
            correct += int((logits.argmax(1) == y[index]).sum())
        return correct / count

    model.train()
    epoch(batch_size * 4)
    rss_before = current_rss_mb()
    with RssSampler() as memory:
        start = time.perf_counter()
        accuracy = epoch(len(X))
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "train_acc": accuracy,
        "epoch_peak_rss_mb": memory.peak,
        "rss_before_epoch_mb": rss_before,
        "process_peak_rss_mb": peak_rss_mb(),
        "data": source,
        "torch": torch.__version__,
    }


def worker(arguments) -> None:
    if arguments.worker == "cnnlab":
        result = run_cnnlab(arguments.model, arguments.samples, arguments.batch_size)
    else:
        result = run_torch(
            arguments.model, arguments.samples, arguments.batch_size, arguments.threads
        )
    print(json.dumps(result))


def spawn(framework: str, model: str, arguments) -> dict | None:
    environment = dict(os.environ, OMP_NUM_THREADS=str(arguments.threads))
    environment["OPENBLAS_NUM_THREADS"] = str(arguments.threads)
    if "CNNLAB_DATA" in environment:  # the workers run in bench/: a relative path would break
        environment["CNNLAB_DATA"] = str(Path(environment["CNNLAB_DATA"]).resolve())
    command = [
        sys.executable, str(Path(__file__)), "--worker", framework, "--model", model,
        "--samples", str(arguments.samples), "--batch-size", str(arguments.batch_size),
        "--threads", str(arguments.threads),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=HERE)
    if done.returncode != 0:
        print(f"{framework} {model} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="lenet,pytorch-mnist")
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=3, help="epochs per framework (median)")
    parser.add_argument("--output", default="bench_results/train_speed.json")
    parser.add_argument(
        "--keep-blas-env", action="store_true", help="keep OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE"
    )
    parser.add_argument("--worker", choices=("cnnlab", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        return

    sys.path.insert(0, str(HERE))
    from common import blas_description, matmul_peak_gflops, use_native_blas_kernel, write_json

    use_native_blas_kernel(arguments.keep_blas_env)

    try:
        import torch  # noqa: F401

        frameworks = ("cnnlab", "torch")
    except ImportError:
        frameworks = ("cnnlab",)
        print("torch is not installed: timing cnnlab only (pip install torch==2.13.0)")
    peak = matmul_peak_gflops()
    blas = blas_description()
    print(
        f"numpy float32 matmul peak: {peak:.0f} GFLOP/s, {arguments.threads} threads"
        f" ({blas.get('internal_api')} {blas.get('version')}, {blas.get('architecture')} kernel)"
    )
    results = {
        "matmul_peak_gflops": peak,
        "threads": arguments.threads,
        "blas": blas,
        "models": {},
    }
    for model in arguments.models.split(","):
        runs = {name: [] for name in frameworks}
        for _ in range(arguments.repeats):  # in turns, so that a busy spell hits both
            for name in frameworks:
                result = spawn(name, model, arguments)
                if result is not None:
                    runs[name].append(result)
        row = {name: _median_run(results) for name, results in runs.items()}
        ours = row["cnnlab"]
        if ours is None:
            continue
        flops = ours["flops_per_epoch"]
        print(
            f"\n{model}: {arguments.samples} images ({ours['data']}), {flops / 1e12:.2f} TFLOP per epoch"
        )
        for name, result in row.items():
            if result is None:
                continue
            result["fraction_of_peak"] = flops / result["seconds"] / (peak * 1e9)
            spread = f"{min(result['all_seconds']):.1f}-{max(result['all_seconds']):.1f}"
            print(
                f"  {name:>6}: {result['seconds']:7.1f} s/epoch ({spread})"
                f"  {result['fraction_of_peak']:6.1%} of peak"
                f"  epoch peak RSS {result['epoch_peak_rss_mb']:5.0f} MB"
                f" (+{result['epoch_peak_rss_mb'] - result['rss_before_epoch_mb']:.0f} MB over data"
                f" and model)  train acc {result['train_acc']:.4f}"
            )
        if row.get("torch"):
            row["ratio_cnnlab_over_torch"] = ours["seconds"] / row["torch"]["seconds"]
            print(f"  cnnlab / PyTorch time: {row['ratio_cnnlab_over_torch']:.2f}")
        results["models"][model] = row
    write_json(results, arguments.output)


def _median_run(results: list[dict]) -> dict | None:
    """The run with the median time (the lower middle one for an even count), with all times."""
    if not results:
        return None
    ordered = sorted(results, key=lambda result: result["seconds"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["all_seconds"] = [result["seconds"] for result in results]
    return median


if __name__ == "__main__":
    main()
