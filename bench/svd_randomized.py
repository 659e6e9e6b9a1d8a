"""Exact against randomized SVD compression: speed and error, on real photographs.

    python bench/svd_randomized.py [--repeats 3] [--output bench_results/svd_randomized.json]

Uses matplotlib's grace_hopper.jpg (600 x 512) and the same photograph tiled to
2400 x 2048, a size where the randomized method pays off. Prints, per image and
rank k, the median seconds of each method, their ratio, and how much larger the
randomized reconstruction's MSE is than the exact (optimal) one.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import numpy as np
from common import write_json

from cnnlab.imaging import read_image, svd_compress


def median_time(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", default="bench_results/svd_randomized.json")
    arguments = parser.parse_args()
    photo = read_image()
    images = {"600x512": photo, "2400x2048": np.tile(photo, (4, 4))}
    rows = []
    print(
        f"{'image':>10} {'k':>4} {'exact s':>9} {'random s':>9} {'speed-up':>8} {'MSE excess':>10}"
    )
    for name, image in images.items():
        for k in (5, 20, 100):
            exact_s, (_, exact) = median_time(partial(svd_compress, image, k), arguments.repeats)
            randomized_run = partial(svd_compress, image, k, method="randomized")
            random_s, (_, randomized) = median_time(randomized_run, arguments.repeats)
            excess = randomized.mse / exact.mse - 1
            rows.append(
                {"image": name, "k": k, "exact_s": exact_s, "randomized_s": random_s,
                 "exact_mse": exact.mse, "randomized_mse": randomized.mse}
            )  # fmt: skip
            speed_up = exact_s / random_s
            print(
                f"{name:>10} {k:>4} {exact_s:>9.3f} {random_s:>9.3f} "
                f"{speed_up:>8.1f} {excess:>10.2%}"
            )
    write_json(rows, arguments.output)


if __name__ == "__main__":
    main()
