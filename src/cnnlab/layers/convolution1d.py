"""Convolution1DLayer: the convolution over signals (N, C, T), as PyTorch's nn.Conv1d."""

from __future__ import annotations

from cnnlab._validation import check_int
from cnnlab.layers.convolution import ConvolutionLayer
from cnnlab.nn.activations import LRELU, Activation


class Convolution1DLayer(ConvolutionLayer):
    r"""1-D convolution over signals (N, C, T): ``feature_maps`` kernels of ``kernel_size`` taps.

    Forward, for signal n, feature map f and output position i, with stride s
    and dilation d, X padded as ``pad`` and ``padding_mode`` say::

        Z[n, f, i] = b[f] + sum_{c, p} X[n, c, i*s + p*d] W[f, c, p]       A = act_func(Z)

    Backward, given dA of shape (N, F, T_out)::

        dZ = act_func'(Z) * dA                                   (N, F, T_out)
        dW[f, c, p] = sum_{n, i} dZ[n, f, i] X[n, c, i*s + p*d]  (F, C, kernel_size)
        db[f] = sum_{n, i} dZ[n, f, i]                           (F,)
        dX[n, c, i*s + p*d] += sum_f dZ[n, f, i] W[f, c, p]      (N, C, T)

    dX is taken on the padded signal and brought back as in
    :class:`Convolution2DLayer`. PyTorch's ``nn.Conv1d``, with TensorFlow's
    "same" padding (output ``ceil(T / stride)``).

    Parameters
    ----------
    input_channels, feature_maps : int
    kernel_size : int
    stride : int
    pad : {"same", "valid"} or int
    act_func : Activation or str
    padding_mode : {"zeros", "circular"}
        Keyword-only; "circular" for periodic signals (a ring of spins).
    dilation : int
        Keyword-only; the spacing of the taps, as in dilated (atrous) kernels
        for time series. Dilated kernels run by im2col.
    optimized : bool
        Keyword-only; False runs the plain loops.
    algorithm : {"auto", "im2col", "fft"}
        Keyword-only.

    Notes
    -----
    ``params["W"]`` is (feature_maps, input_channels, kernel_size), PyTorch's layout.
    """

    def __init__(
        self,
        input_channels: int,
        feature_maps: int,
        kernel_size: int,
        stride: int = 1,
        pad: str | int = "same",
        act_func: Activation | str = LRELU,
        *,
        padding_mode: str = "zeros",
        dilation: int = 1,
        optimized: bool = True,
        algorithm: str = "auto",
    ) -> None:
        self.kernel_size = check_int(kernel_size, "kernel_size")
        self.stride = check_int(stride, "stride")
        self.dilation = check_int(dilation, "dilation")
        super().__init__(
            input_channels, feature_maps, (self.kernel_size,), (self.stride,), pad, act_func,
            optimized, padding_mode, algorithm, (self.dilation,),
        )  # fmt: skip
        if self.algorithm == "fft" and (self.stride, self.dilation) != (1, 1):
            raise ValueError(
                f"algorithm='fft' needs stride=1 and dilation=1, got stride={self.stride}, "
                f"dilation={self.dilation}; use algorithm='im2col'"
            )

    def config(self) -> dict:
        return {
            "input_channels": self.input_channels,
            "feature_maps": self.feature_maps,
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "pad": self.pad,
            "act_func": self.act_func.__name__,
            "padding_mode": self.padding_mode,
            "dilation": self.dilation,
            "optimized": self.optimized,
            "algorithm": self.algorithm,
        }

    def describe(self) -> str:
        extras = (" circular" if self.padding_mode == "circular" else "") + (
            f" d{self.dilation}" if self.dilation != 1 else ""
        )
        return (
            f"Conv1D {self.feature_maps}x{self.kernel_size} s{self.stride}{extras} {self.act_func}"
        )
