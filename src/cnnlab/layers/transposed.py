"""The transposed convolution: the adjoint of a convolution, which makes images larger."""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_choice, check_int
from cnnlab.conv import CHOICES, Convolution, Geometry, choose
from cnnlab.layers.base import Layer
from cnnlab.nn.activations import LRELU, Activation, get_activation
from cnnlab.nn.initializers import initial_weights


class TransposedConvolution2DLayer(Layer):
    r"""Transposed convolution (PyTorch's ``nn.ConvTranspose2d``), as decoders use it.

    Every input pixel adds its kernel, scaled, into the output at ``stride``
    steps; then ``pad`` rows and columns are cut from every border. For input
    (N, C, H, W), weight W of shape (C, F, kh, kw), strides (s, t) and padding p::

        Y[n, f, i*s + a, j*t + b] += sum_c X[n, c, i, j] W[c, f, a, b]   (N, F, H_full, W_full)
        Z = Y[:, :, p:-p, p:-p] + b[f]                                   (N, F, H_out, W_out)
        A = act_func(Z)

    with ``H_out = (H - 1) s - 2p + kh`` and ``W_out = (W - 1) t - 2p + kw``.
    This is exactly dCost/dX of a convolution with kernel W (F output channels
    read as its inputs), strides (s, t) and padding p, taking (N, F, H_out,
    W_out) to (N, C, H, W); so the engine's ``adjoint`` computes it.

    Backward, given dA of shape (N, F, H_out, W_out)::

        dZ = act_func'(Z) * dA
        dX[n, c, i, j] = sum_{f, a, b} dZ[n, f, i*s + a - p, j*t + b - p] W[c, f, a, b]
                       = conv(dZ, W)                                      (N, C, H, W)
        dW[c, f, a, b] = sum_{n, i, j} X[n, c, i, j] dZ[n, f, i*s + a - p, j*t + b - p]
        db[f] = sum_{n, i, j} dZ[n, f, i, j]                              (F,)

    that is, the convolution's forward pass of dZ, and its weight gradient
    with dZ as input and X as output gradient.

    Parameters
    ----------
    input_channels : int
    feature_maps : int
        Output channels.
    kernel_height, kernel_width : int
    v_stride, h_stride : int
        The upsampling factors before the kernel overlap is cut.
    pad : int
        Rows and columns cut from each border (PyTorch's ``padding``).
    act_func : Activation or str
    optimized : bool
        True: the fast engine (im2col or FFT); False: the plain loops.
    algorithm : {"auto", "im2col", "fft"}
        Keyword-only, as for :class:`Convolution2DLayer`.

    Notes
    -----
    ``params["W"]`` is (input_channels, feature_maps, kernel_height,
    kernel_width), PyTorch's layout for ConvTranspose2d, and ``params["b"]``
    is (feature_maps,).
    """

    sample_ndim = 3

    def __init__(
        self,
        input_channels: int = 1,
        feature_maps: int = 1,
        kernel_height: int = 3,
        kernel_width: int = 3,
        v_stride: int = 1,
        h_stride: int = 1,
        pad: int = 0,
        act_func: Activation | str = LRELU,
        optimized: bool = True,
        *,
        algorithm: str = "auto",
    ) -> None:
        super().__init__()
        self.input_channels = check_int(input_channels, "input_channels")
        self.feature_maps = check_int(feature_maps, "feature_maps")
        self.kernel_height = check_int(kernel_height, "kernel_height")
        self.kernel_width = check_int(kernel_width, "kernel_width")
        self.v_stride = check_int(v_stride, "v_stride")
        self.h_stride = check_int(h_stride, "h_stride")
        if isinstance(pad, str):
            raise TypeError(
                f"pad of a transposed convolution is a number of pixels (PyTorch's padding), "
                f"got {pad!r}"
            )
        self.pad = check_int(pad, "pad", minimum=0)
        self.act_func = get_activation(act_func)
        if not self.act_func.elementwise:
            raise ValueError(f"act_func of a convolution must be elementwise, got {self.act_func}")
        self.optimized = bool(optimized)
        self.algorithm = check_choice(algorithm, "algorithm", CHOICES)
        self.convolution: Convolution | None = None
        self._cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def _build(self, input_shape, rng, dtype):
        name = type(self).__name__
        if len(input_shape) != 3:
            raise ValueError(
                f"{name} expects images of shape (channels, height, width), got input shape "
                f"{input_shape}"
            )
        channels, height, width = input_shape
        if channels != self.input_channels:
            raise ValueError(
                f"{name} has input_channels={self.input_channels}, but its input has "
                f"{channels} channels (input shape {input_shape})"
            )
        kernel = (self.kernel_height, self.kernel_width)
        strides = (self.v_stride, self.h_stride)
        output = tuple(
            (n - 1) * s - 2 * self.pad + k
            for n, s, k in zip((height, width), strides, kernel, strict=True)
        )
        if min(output) < 1:
            raise ValueError(
                f"{name}'s output would be empty: (size - 1) * stride - 2 * pad + kernel gives "
                f"{output} for input {input_shape}, strides {strides}, pad {self.pad} and kernel "
                f"{kernel}; use a smaller pad"
            )
        # the convolution whose adjoint this layer is: from the output back to the input
        geometry = Geometry.resolve(output, kernel, strides, self.pad, "zeros")
        if geometry.output_shape != (height, width):  # cannot happen with the formula above
            raise AssertionError(f"{geometry} does not map {output} to {(height, width)}")
        algorithm = (
            choose(geometry, self.feature_maps, self.algorithm) if self.optimized else "loops"
        )
        self.convolution = Convolution(geometry, algorithm)
        kernel_size = self.kernel_height * self.kernel_width
        self.params = {
            "W": initial_weights(
                (self.input_channels, self.feature_maps, *kernel),
                self.feature_maps * kernel_size, self.input_channels * kernel_size,
                self.act_func, rng, dtype,
            ),
            "b": np.zeros(self.feature_maps, dtype=dtype),
        }  # fmt: skip
        return (self.feature_maps, *output)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map (N, input_channels, H, W) to (N, feature_maps, H_out, W_out)."""
        self._check_input(X)
        assert self.convolution is not None  # built, as _check_input made sure
        Z = self.convolution.adjoint(X, self.params["W"])
        Z += self.params["b"].reshape(-1, 1, 1)
        A = self.act_func(Z)
        self._cache = (X, Z, A)
        return A

    def backward(self, delta: np.ndarray) -> np.ndarray | None:
        """Fill ``grads`` with dCost/dW and dCost/db; return dCost/dX, shape (N, C, H, W)."""
        _, Z, A = self._need_forward(self._cache)
        return self.backward_from_logits(self.act_func.backward(delta, Z, A))

    def backward_from_logits(self, dZ: np.ndarray) -> np.ndarray | None:
        """Backward pass given dCost/dZ directly (a sigmoid output with CostLogReg)."""
        X, W = self._need_forward(self._cache)[0], self.params["W"]
        assert self.convolution is not None  # built, since forward ran
        # the convolution's forward pass of dZ is dX, and it keeps dZ as the input whose
        # weight gradient against the "output gradient" X is dW
        dX = self.convolution.forward(dZ, W, np.zeros(self.input_channels, dtype=W.dtype))
        _, self.grads["W"], _ = self.convolution.backward(X, W, input_gradient=False)
        self.grads["b"] = dZ.sum(axis=(0, 2, 3))
        return dX if self.compute_input_gradient else None

    def _reset_caches(self) -> None:
        super()._reset_caches()
        if self.convolution is not None:
            self.convolution = self.convolution.replica()

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
            "algorithm": self.algorithm,
        }

    def describe(self) -> str:
        return (
            f"ConvT2D {self.feature_maps}x{self.kernel_height}x{self.kernel_width} "
            f"s{self.v_stride}x{self.h_stride} {self.act_func}"
        )
