"""Image analysis before deep learning: convolution, filters, SVD compression, arithmetic."""

from cnnlab.imaging.arithmetic import conv_output_size, conv_parameters, pool_output_size
from cnnlab.imaging.compression import SVDRecord, psnr, svd_compress
from cnnlab.imaging.convolution import (
    choose_method,
    convolve2d,
    convolve2d_loop,
    correlate2d,
    is_separable,
    pad,
    separate,
)
from cnnlab.imaging.image_files import read_image, sample_image_path, to_grayscale
from cnnlab.imaging.kernels import box, edge_magnitude, gaussian, laplacian, sobel

__all__ = [
    "pad",
    "convolve2d",
    "correlate2d",
    "convolve2d_loop",
    "separate",
    "is_separable",
    "choose_method",
    "box",
    "gaussian",
    "sobel",
    "laplacian",
    "edge_magnitude",
    "svd_compress",
    "SVDRecord",
    "psnr",
    "conv_output_size",
    "pool_output_size",
    "conv_parameters",
    "read_image",
    "sample_image_path",
    "to_grayscale",
]
