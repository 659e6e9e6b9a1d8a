"""Convolution layers: cross-correlations over all input channels, then an activation.

The layer holds the math; the algorithm comes from the engine (``cnnlab.conv``),
chosen once, at build time. Unlike the notes' code, Z is not divided by the
kernel height.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnlab._validation import check_choice, check_int
from cnnlab.conv import CHOICES, PADDING_MODES, Convolution, Geometry, choose
from cnnlab.conv.geometry import check_pad
from cnnlab.layers.base import Layer
from cnnlab.nn.activations import LRELU, Activation, get_activation
from cnnlab.nn.initializers import initial_weights


class ConvolutionLayer(Layer):
    """What every convolution layer shares, for any number of spatial dimensions.

    The subclasses only name the arguments (the notes' ``kernel_height`` and
    ``v_stride``, or PyTorch's ``kernel_size`` and ``stride``).
    """

    def __init__(
        self, input_channels: int, feature_maps: int, kernel_shape: Sequence[int],
        strides: Sequence[int], pad: str | int, act_func: Activation | str, optimized: bool,
        padding_mode: str, algorithm: str, dilations: Sequence[int] | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.input_channels = check_int(input_channels, "input_channels")
        self.feature_maps = check_int(feature_maps, "feature_maps")
        self.kernel_shape = tuple(kernel_shape)
        self.sample_ndim = 1 + len(self.kernel_shape)
        self.strides = tuple(strides)
        self.dilations = tuple(dilations or (1,) * len(self.kernel_shape))
        self.pad = check_pad(pad)
        self.act_func = get_activation(act_func)
        if not self.act_func.elementwise:
            raise ValueError(f"act_func of a convolution must be elementwise, got {self.act_func}")
        self.optimized = bool(optimized)
        self.padding_mode = check_choice(padding_mode, "padding_mode", PADDING_MODES)
        self.algorithm = check_choice(algorithm, "algorithm", CHOICES)
        self.convolution: Convolution | None = None
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def _build(self, input_shape, rng, dtype):
        name = type(self).__name__
        if len(input_shape) != self.sample_ndim:
            raise ValueError(
                f"{name} expects {_kind(self)} of shape (channels, {_spatial_names(self)}), got input "
                f"shape {input_shape}; reshape flat data to (N, C, {_spatial_names(self)})"
            )
        channels, *spatial = input_shape
        if channels != self.input_channels:
            raise ValueError(
                f"{name} has input_channels={self.input_channels}, but its input has "
                f"{channels} channels (input shape {input_shape})"
            )
        geometry = Geometry.resolve(
            tuple(spatial), self.kernel_shape, self.strides, self.pad, self.padding_mode,
            self.dilations,
        )  # fmt: skip
        algorithm = choose(geometry, channels, self.algorithm) if self.optimized else "loops"
        self.convolution = Convolution(geometry, algorithm)
        kernel_size = int(np.prod(self.kernel_shape))
        shape = (self.feature_maps, self.input_channels, *self.kernel_shape)
        self.params = {
            "W": initial_weights(
                shape, channels * kernel_size, self.feature_maps * kernel_size, self.act_func,
                rng, dtype,
            ),
            "b": np.zeros(self.feature_maps, dtype=dtype),
        }  # fmt: skip
        return (self.feature_maps, *geometry.output_shape)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map ``(N, C, *input)`` to ``(N, feature_maps, *output)``."""
        self._check_input(X)
        assert self.convolution is not None  # built, as _check_input made sure
        Z = self.convolution.forward(X, self.params["W"], self.params["b"])
        A = self.act_func(Z)
        self._cache = (Z, A)
        return A

    def backward(self, delta: np.ndarray) -> np.ndarray | None:
        """Fill ``grads`` with dCost/dW and dCost/db; return dCost/dX, shape ``(N, C, *input)``.

        Returns None when ``compute_input_gradient`` is False (the first layer).
        """
        Z, A = self._need_forward(self._cache)
        return self.backward_from_logits(self.act_func.backward(delta, Z, A))

    def backward_from_logits(self, dZ: np.ndarray) -> np.ndarray | None:
        """Backward pass given dCost/dZ directly (a sigmoid output with CostLogReg)."""
        self._need_forward(self._cache)
        assert self.convolution is not None  # built, since forward ran
        dX, self.grads["W"], self.grads["b"] = self.convolution.backward(
            dZ, self.params["W"], self.compute_input_gradient
        )
        return dX

    def _reset_caches(self) -> None:
        super()._reset_caches()
        if self.convolution is not None:
            self.convolution = self.convolution.replica()

    @property
    def uses_fft(self) -> bool:
        """Whether the layer, as built, runs the convolution theorem."""
        return self.convolution is not None and self.convolution.name == "fft"


class Convolution2DLayer(ConvolutionLayer):
    r"""Convolutional layer with ``feature_maps`` kernels of ``kernel_height x kernel_width``.

    Forward, for image n, feature map f and output pixel (i, j), with strides
    (s, t) and X padded as ``pad`` and ``padding_mode`` say::

        Z[n, f, i, j] = b[f] + sum_{c, p, q} X[n, c, i*s + p, j*t + q] W[f, c, p, q]
        A = act_func(Z)

    Backward, given dA = dCost/dA of shape (N, F, H_out, W_out)::

        dZ = act_func'(Z) * dA                                        (N, F, H_out, W_out)
        dW[f, c, p, q] = sum_{n, i, j} dZ[n, f, i, j] X[n, c, i*s + p, j*t + q]   (F, C, kh, kw)
        db[f] = sum_{n, i, j} dZ[n, f, i, j]                          (F,)
        dXp[n, c, i*s + p, j*t + q] += sum_f dZ[n, f, i, j] W[f, c, p, q]   (N, C, H_pad, W_pad)

    where dXp is the gradient for the padded input; dX (N, C, H, W) is dXp with
    the padding cut off ("zeros"), or added to the pixels it was copied from
    ("circular").

    Parameters
    ----------
    input_channels : int
        Channels of the input (1 for grayscale, 3 for RGB).
    feature_maps : int
        Number of kernels, hence output channels.
    kernel_height, kernel_width : int
        Kernel size; rectangular kernels are fine.
    v_stride, h_stride : int
        Vertical and horizontal strides.
    pad : {"same", "valid"} or int
        "same" (TensorFlow's rule: output ``ceil(n / stride)``), "valid" (no
        padding) or a symmetric padding in pixels.
    act_func : Activation or str
        Activation applied to the output.
    optimized : bool
        True: a fast algorithm. False: the plain loops (``cnnlab.conv.loops``).
    padding_mode : {"zeros", "circular"}
        Keyword-only, PyTorch's names: what the padding holds. "circular"
        wraps the image around, as a lattice with periodic boundaries.
    algorithm : {"auto", "im2col", "fft"}
        Keyword-only; the fast algorithm. "fft" needs strides of 1. "auto"
        decides at build time (``cnnlab.conv.fft.prefers_fft``): "fft" for
        stride-1 kernels of 5x5 over 8 channels or more, and of 3x3 over 32
        channels or more on images up to about 28x28, where it is faster.

    Notes
    -----
    Input (N, input_channels, H, W); output (N, feature_maps, H_out, W_out).
    ``params["W"]`` is (feature_maps, input_channels, kernel_height, kernel_width),
    PyTorch's layout, and ``params["b"]`` is (feature_maps,).
    """

    def __init__(
        self,
        input_channels: int = 1,
        feature_maps: int = 1,
        kernel_height: int = 3,
        kernel_width: int = 3,
        v_stride: int = 1,
        h_stride: int = 1,
        pad: str | int = "same",
        act_func: Activation | str = LRELU,
        optimized: bool = True,
        *,
        padding_mode: str = "zeros",
        algorithm: str = "auto",
    ) -> None:
        self.kernel_height = check_int(kernel_height, "kernel_height")
        self.kernel_width = check_int(kernel_width, "kernel_width")
        self.v_stride = check_int(v_stride, "v_stride")
        self.h_stride = check_int(h_stride, "h_stride")
        super().__init__(
            input_channels, feature_maps, (self.kernel_height, self.kernel_width),
            (self.v_stride, self.h_stride), pad, act_func, optimized, padding_mode, algorithm,
        )  # fmt: skip
        if self.algorithm == "fft" and self.strides != (1, 1):
            raise ValueError(
                f"algorithm='fft' needs v_stride=h_stride=1, got v_stride={self.v_stride}, "
                f"h_stride={self.h_stride}; use algorithm='im2col' for strided convolutions"
            )

    def config(self) -> dict:
        return {
            "input_channels": self.input_channels,
            "feature_maps": self.feature_maps,
            "kernel_height": self.kernel_height,
            "kernel_width": self.kernel_width,
            "v_stride": self.v_stride,
            "h_stride": self.h_stride,
            "pad": self.pad,
            "act_func": self.act_func.__name__,
            "optimized": self.optimized,
            "padding_mode": self.padding_mode,
            "algorithm": self.algorithm,
        }

    def describe(self) -> str:
        circular = " circular" if self.padding_mode == "circular" else ""
        return (
            f"Conv2D {self.feature_maps}x{self.kernel_height}x{self.kernel_width} "
            f"s{self.v_stride}x{self.h_stride}{circular} {self.act_func}"
        )


def _kind(layer) -> str:
    return "signals" if len(layer.kernel_shape) == 1 else "images"


def _spatial_names(layer) -> str:
    return "length" if len(layer.kernel_shape) == 1 else "height, width"
