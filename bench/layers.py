"""Per-layer forward and backward times of a model, cnnlab against PyTorch, in one run.

    python bench/layers.py [--models lenet,pytorch-mnist] [--batch-size 64] [--repeats 20]
                           [--output bench_results/layers.json]

For every layer of the model, the median time of forward (training mode) and of
backward on one batch, its FLOPs and the fraction of the numpy float32 matmul
peak it reaches. PyTorch times its twin layer on the same input, with autograd.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    blas_description,
    forward_flops_of_layer,
    matmul_peak_gflops,
    torch_twin,
    use_native_blas_kernel,
    write_json,
)

from cnnlab.zoo import build_model  # noqa: E402


def median_ms(function, repeats):
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1e3


def cnnlab_layers(model_name, batch_size, repeats):
    cnn = build_model(model_name, seed=0)
    rng = np.random.default_rng(0)
    X = rng.random((batch_size, 1, 28, 28), dtype=np.float32)
    cnn.build(X.shape[1:], dtype="float32")
    rows = []
    inputs = X
    for layer in cnn.layers:
        output = layer.forward(inputs, training=True)
        # The gradient arrives in the memory layout of the output, as in real backprop.
        delta = np.empty_like(output)
        delta[...] = rng.standard_normal(output.shape)
        forward = median_ms(
            lambda layer=layer, inputs=inputs: layer.forward(inputs, training=True), repeats
        )
        layer.forward(inputs, training=True)
        backward = median_ms(lambda layer=layer, delta=delta: layer.backward(delta), repeats)
        rows.append(
            {"layer": layer.describe(), "forward_ms": forward, "backward_ms": backward,
             "forward_flops": forward_flops_of_layer(layer) * batch_size}
        )  # fmt: skip
        inputs = output
    return rows


def torch_layers(model_name, batch_size, repeats, threads):
    import torch

    torch.set_num_threads(threads)
    model = torch_twin(model_name).train()
    inputs = torch.rand(batch_size, 1, 28, 28)
    rows = []
    for index, module in enumerate(model):
        x = inputs.detach().requires_grad_(index > 0)
        output = module(x)
        delta = torch.randn_like(output)

        def backward(module=module, x=x, delta=delta):
            y = module(x)
            y.backward(delta)

        forward = median_ms(lambda module=module, x=x: module(x), repeats)
        both = median_ms(backward, repeats)
        rows.append(
            {"layer": type(module).__name__, "forward_ms": forward, "backward_ms": both - forward}
        )
        inputs = output.detach()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="lenet,pytorch-mnist")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", default="bench_results/layers.json")
    parser.add_argument(
        "--keep-blas-env", action="store_true", help="keep OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE"
    )
    arguments = parser.parse_args()
    use_native_blas_kernel(arguments.keep_blas_env)
    peak = matmul_peak_gflops()
    blas = blas_description()
    print(
        f"numpy float32 matmul peak: {peak:.0f} GFLOP/s; batch {arguments.batch_size}"
        f" ({blas.get('internal_api')} {blas.get('version')}, {blas.get('architecture')} kernel)"
    )
    results = {"matmul_peak_gflops": peak, "blas": blas, "models": {}}
    for model in arguments.models.split(","):
        ours = cnnlab_layers(model, arguments.batch_size, arguments.repeats)
        try:
            theirs = torch_layers(model, arguments.batch_size, arguments.repeats, arguments.threads)
        except ImportError:
            theirs = None
        print(f"\n{model}")
        print(
            f"{'layer':<26} {'fwd ms':>7} {'bwd ms':>7} {'% peak':>7} | {'torch layer':<12} {'fwd ms':>7} {'bwd ms':>7}"
        )
        # Layers line up one to one: the torch twins spell the activation as its own module,
        # so they are matched by position among the layers that have a twin.
        torch_rows = _align(ours, theirs) if theirs else [None] * len(ours)
        for row, twin in zip(ours, torch_rows, strict=True):
            flops = 3 * row["forward_flops"]
            seconds = (row["forward_ms"] + row["backward_ms"]) / 1e3
            row["fraction_of_peak"] = flops / seconds / (peak * 1e9) if flops else None
            share = f"{row['fraction_of_peak']:7.1%}" if flops else " " * 7
            line = f"{row['layer']:<26} {row['forward_ms']:7.2f} {row['backward_ms']:7.2f} {share}"
            if twin:
                line += (
                    f" | {twin['layer']:<12} {twin['forward_ms']:7.2f} {twin['backward_ms']:7.2f}"
                )
            print(line)
        total_ours = sum(r["forward_ms"] + r["backward_ms"] for r in ours)
        text = f"total cnnlab {total_ours:.1f} ms"
        if theirs:
            total_theirs = sum(r["forward_ms"] + r["backward_ms"] for r in theirs)
            text += f", PyTorch {total_theirs:.1f} ms, ratio {total_ours / total_theirs:.2f}"
        print(text)
        results["models"][model] = {"cnnlab": ours, "torch": theirs}
    write_json(results, arguments.output)


def _align(ours, theirs):
    """Fold PyTorch's separate ReLU modules into the layer before them, as cnnlab has them."""
    merged = []
    for row in theirs:
        if row["layer"] == "ReLU" and merged:
            merged[-1] = {
                "layer": merged[-1]["layer"] + "+ReLU",
                "forward_ms": merged[-1]["forward_ms"] + row["forward_ms"],
                "backward_ms": merged[-1]["backward_ms"] + row["backward_ms"],
            }
        else:
            merged.append(dict(row))
    if len(merged) != len(ours):
        return [None] * len(ours)
    return merged


if __name__ == "__main__":
    main()
