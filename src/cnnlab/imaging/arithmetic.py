"""Convolution arithmetic: output sizes and parameter counts of CNN layers.

The notes' example: a 32x32x3 input and ten 5x5 filters with stride 1 and no
padding give a 28x28x10 output, with 5*5*3 + 1 = 76 parameters per filter and
760 in all.
"""

from __future__ import annotations

from cnnlab._validation import check_int


def conv_output_size(n: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length ``(n - kernel + 2 padding) // stride + 1`` along one axis.

    Raises ValueError when the kernel does not fit the padded input.
    """
    n, kernel = check_int(n, "n"), check_int(kernel, "kernel")
    stride, padding = check_int(stride, "stride"), check_int(padding, "padding", minimum=0)
    if kernel > n + 2 * padding:
        raise ValueError(
            f"kernel={kernel} is larger than the padded input n + 2 padding = {n + 2 * padding}"
        )
    return (n - kernel + 2 * padding) // stride + 1


def pool_output_size(n: int, kernel: int, stride: int | None = None) -> int:
    """Output length of pooling; ``stride`` defaults to the kernel (no overlap)."""
    return conv_output_size(n, kernel, kernel if stride is None else stride, 0)


def conv_parameters(
    kernel_height: int, kernel_width: int, input_channels: int, filters: int, bias: bool = True
) -> int:
    """Trainable parameters: ``(kernel_height kernel_width input_channels + bias) filters``."""
    per_filter = check_int(kernel_height, "kernel_height") * check_int(
        kernel_width, "kernel_width"
    ) * check_int(input_channels, "input_channels") + bool(bias)
    return per_filter * check_int(filters, "filters")
