"""Convolution by hand: the notes' 6x6 example, zero padding, then blur and edges of a photo
=========================================================================================
"""

import numpy as np
from _common import parse

from cnnlab.imaging import (
    box,
    convolve2d,
    convolve2d_loop,
    edge_magnitude,
    gaussian,
    pad,
    read_image,
    sobel,
)
from cnnlab.plotting import plot_filtered

arguments = parse(__doc__)

f = np.array(
    [
        [4, 1, 2, 9, 8, 6],
        [9, 5, 9, 5, 8, 5],
        [1, 5, 9, 7, 6, 4],
        [2, 9, 8, 3, 7, 1],
        [8, 1, 6, 4, 2, 2],
        [1, 0, 5, 7, 8, 2],
    ],
    dtype=float,
)
g = box(3)  # the 1/9 low-pass filter
print("valid convolution (the notes' 4x4 result):")
print(np.round(convolve2d(f, g, mode="valid"), 2))
print("the same with the readable loop:")
print(np.round(convolve2d_loop(f, g, mode="valid"), 2))
print("zero padding to 8x8 keeps the 6x6 size after convolution:")
print(pad(f, g.shape).astype(int))
print(np.round(convolve2d(f, g, mode="same"), 2))

image = read_image()
if arguments.quick:
    image = image[::2, ::2]
blurred = convolve2d(image, gaussian(3.0), mode="same")  # auto picks FFT for this kernel
edges = np.abs(convolve2d(image, sobel("y"), mode="same"))  # the notes' Sobel kernel
magnitude = edge_magnitude(image)
plot_filtered(
    image,
    {
        "Gaussian blur, sigma 3": blurred,
        "Sobel y (horizontal edges)": edges,
        "edge magnitude": magnitude,
    },
    arguments.output / "filters.png",
)
print(f"figure written to {arguments.output / 'filters.png'}")
