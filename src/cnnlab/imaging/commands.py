"""The imaging commands of the CLI: ``cnnlab filter``, ``cnnlab svd`` and ``cnnlab bench-conv``."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from cnnlab._validation import number_list
from cnnlab.imaging.image_files import MAX_PIXELS

KERNELS = ("gaussian", "sobel-x", "sobel-y", "box", "laplacian", "edges")


def _int_list(text: str) -> list[int]:
    values = number_list(int)(text)
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def run_filter(arguments: argparse.Namespace) -> dict:
    """Filter an image (default: matplotlib's grace_hopper.jpg) and plot it next to the original."""
    from cnnlab.imaging import (
        box,
        convolve2d,
        edge_magnitude,
        gaussian,
        laplacian,
        read_image,
        sobel,
    )
    from cnnlab.plotting import plot_filtered

    image = read_image(arguments.image, max_pixels=arguments.max_pixels)
    start = time.perf_counter()
    if arguments.kernel == "edges":
        result = edge_magnitude(image, method=arguments.method)
        label = "Sobel edge magnitude"
    else:
        kernel = {
            "gaussian": lambda: gaussian(arguments.sigma),
            "sobel-x": lambda: sobel("x"),
            "sobel-y": lambda: sobel("y"),
            "box": lambda: box(arguments.size),
            "laplacian": laplacian,
        }[arguments.kernel]()
        result = convolve2d(image, kernel, mode="same", method=arguments.method)
        label = f"{arguments.kernel} {kernel.shape[0]}x{kernel.shape[1]}"
    seconds = time.perf_counter() - start
    shown = result if arguments.kernel in ("gaussian", "box") else np.abs(result)
    plot_filtered(image, {f"{label} ({arguments.method})": shown}, arguments.output)
    print(f"{label} on a {image.shape[0]}x{image.shape[1]} image: {seconds * 1e3:.1f} ms")
    print(f"figure written to {arguments.output}")
    return {"result": result, "seconds": seconds}


def run_svd(arguments: argparse.Namespace) -> list:
    """Rank-k reconstructions for each k: a figure grid, a PSNR curve and a printed table."""
    from cnnlab.imaging import read_image, svd_compress
    from cnnlab.plotting import plot_svd_curves, plot_svd_grid

    image = read_image(
        arguments.image, gray=arguments.color == "luminance", max_pixels=arguments.max_pixels
    )
    rank_limit = min(image.shape[:2])
    ranks = [k for k in arguments.ranks if k <= rank_limit]
    skipped = [k for k in arguments.ranks if k > rank_limit]
    if skipped:
        print(
            f"skipping ranks {skipped}: a {image.shape[0]}x{image.shape[1]} image has "
            f"rank <= {rank_limit}"
        )
    if not ranks:
        raise ValueError(f"no rank in {arguments.ranks} is <= min(m, n) = {rank_limit}")
    results = [svd_compress(image, k, method=arguments.method) for k in ranks]
    print(f"{'k':>5} {'ratio':>8} {'MSE':>10} {'PSNR dB':>8} {'energy':>8}")
    for _, record in results:
        print(
            f"{record.k:>5} {record.ratio:>8.4f} {record.mse:>10.6f} "
            f"{record.psnr:>8.2f} {record.energy:>8.4f}"
        )
    output = Path(arguments.output)
    plot_svd_grid(image, results, output)
    curves = output.with_name(output.stem + "_curves.png")
    plot_svd_curves([record for _, record in results], curves)
    print(f"figures written to {output} and {curves}")
    return results


def run_bench_conv(arguments: argparse.Namespace) -> dict:
    """Time the convolution methods, write a PNG and a JSON, print the crossovers."""
    from cnnlab.imaging.benchmark import calibrate, crossovers, fft_ratio_to_scipy, run_benchmark
    from cnnlab.plotting import plot_conv_timing

    results = run_benchmark(arguments.image_sizes, arguments.kernel_sizes, arguments.repeats)
    output = Path(arguments.output)
    output.mkdir(parents=True, exist_ok=True)
    results["crossovers"] = {str(size): k for size, k in crossovers(results).items()}
    ratios = fft_ratio_to_scipy(results)
    results["fft_over_scipy_fftconvolve"] = ratios.tolist()
    results["calibrated_cost_model"] = calibrate(results)
    (output / "bench_conv.json").write_text(json.dumps(results, indent=1))
    plot_conv_timing(results, output / "bench_conv.png")

    names = list(results["seconds"])
    print("median milliseconds, mode='same', Gaussian kernels")
    print(f"{'image':>6} {'kernel':>6} " + " ".join(f"{name:>17}" for name in names))
    for i, size in enumerate(results["image_sizes"]):
        for j, kernel in enumerate(results["kernel_sizes"]):
            times = " ".join(f"{results['seconds'][name][i][j] * 1e3:>17.3f}" for name in names)
            print(f"{size:>6} {kernel:>6} {times}")
    for size, kernel in results["crossovers"].items():
        text = f"from kernel {kernel}x{kernel}" if kernel else "never, in the sizes tried"
        print(f"FFT beats direct on {size}x{size} images {text}")
    print(
        f"cnnlab FFT / scipy.signal.fftconvolve: median {np.median(ratios):.2f}, "
        f"max {np.max(ratios):.2f}"
    )
    print("calibrated cost model (seconds per unit of work):", results["calibrated_cost_model"])
    print(f"written {output / 'bench_conv.png'} and {output / 'bench_conv.json'}")
    return results


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the imaging sub-commands on the CLI's subparsers."""
    image_help = "image file (default: matplotlib's sample photograph grace_hopper.jpg)"
    pixels_help = f"refuse images of more pixels than this (default {MAX_PIXELS:,})"
    methods = ("auto", "direct", "separable", "fft")

    filter_parser = commands.add_parser("filter", help="filter an image with a classic kernel")
    filter_parser.add_argument("image", nargs="?", help=image_help)
    filter_parser.add_argument("--max-pixels", type=int, default=MAX_PIXELS, help=pixels_help)
    filter_parser.add_argument(
        "--kernel", choices=KERNELS, default="gaussian", help="default gaussian"
    )
    filter_parser.add_argument(
        "--sigma", type=float, default=3.0, help="Gaussian sigma in pixels (default 3)"
    )
    filter_parser.add_argument("--size", type=int, default=3, help="box filter side (default 3)")
    filter_parser.add_argument("--method", choices=methods, default="auto", help="default auto")
    filter_parser.add_argument(
        "-o", "--output", default="filtered.png", help="figure path (default filtered.png)"
    )
    filter_parser.set_defaults(handler=run_filter)

    svd_parser = commands.add_parser("svd", help="SVD compression of an image at several ranks")
    svd_parser.add_argument("image", nargs="?", help=image_help)
    svd_parser.add_argument("--max-pixels", type=int, default=MAX_PIXELS, help=pixels_help)
    svd_parser.add_argument(
        "--ranks",
        type=_int_list,
        default=[5, 10, 20, 100, 200],
        help="comma-separated (default 5,10,20,100,200)",
    )
    svd_parser.add_argument(
        "--color", choices=("luminance", "channels-rgb"), default="luminance",
        help="convert to gray with the notes' luminance weights (default) or keep RGB channels",
    )  # fmt: skip
    svd_parser.add_argument("--method", choices=("exact", "randomized"), default="exact")
    svd_parser.add_argument(
        "-o", "--output", default="svd.png", help="figure path (default svd.png)"
    )
    svd_parser.set_defaults(handler=run_svd)

    bench_parser = commands.add_parser("bench-conv", help="time the convolution methods")
    bench_parser.add_argument("--image-sizes", type=_int_list, default=[64, 128, 256, 512])
    bench_parser.add_argument("--kernel-sizes", type=_int_list, default=[3, 5, 9, 15, 25, 41])
    bench_parser.add_argument("--repeats", type=int, default=5, help="runs per point (median)")
    bench_parser.add_argument("--output", default="bench_conv", help="folder (default bench_conv)")
    bench_parser.set_defaults(handler=run_bench_conv)
