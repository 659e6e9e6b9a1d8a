"""The speed of convolution: direct, separable and FFT against image and kernel size
=================================================================================
"""

import numpy as np
from _common import parse

from cnnlab.imaging.benchmark import crossovers, fft_ratio_to_scipy, run_benchmark
from cnnlab.plotting import plot_conv_timing

arguments = parse(__doc__)

if arguments.quick:
    results = run_benchmark(
        image_sizes=(64, 128), kernel_sizes=(3, 9, 25), repeats=2, progress=False
    )
else:
    results = run_benchmark(progress=True)
for size, kernel in crossovers(results).items():
    print(
        f"{size}x{size} image: FFT beats direct from a {kernel}x{kernel} kernel"
        if kernel
        else f"{size}: never"
    )
print(
    f"cnnlab FFT / scipy.signal.fftconvolve time: median {np.median(fft_ratio_to_scipy(results)):.2f}"
)
plot_conv_timing(results, arguments.output / "timing.png")
print(f"figure written to {arguments.output / 'timing.png'}")
