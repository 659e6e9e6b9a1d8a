"""cnnlab to PyTorch and back: the same layers, weights and outputs (eval mode).

Every cnnlab layer has a twin among ``torch.nn``'s modules, up to details that
an extra module settles exactly: LRELU's slope becomes ``LeakyReLU(0.01)``;
"same" padding with a stride above 1 (TensorFlow's rule, which may pad more on
one side) becomes a ``ZeroPad2d`` or ``CircularPad2d`` before a convolution
with no padding; a dense layer's weight (inputs, nodes) is transposed to
``Linear``'s (nodes, inputs). torch is imported only when these are called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnlab import layers as L  # noqa: N812 - the layer classes, by their names
from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import ConvolutionLayer
from cnnlab.layers.pooling import PoolingLayer
from cnnlab.model import CNN
from cnnlab.nn.activations import LRELU, RELU, Activation, identity, sigmoid, softmax, tanh


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "cnnlab.export.to_torch and from_torch need PyTorch: pip install 'cnnlab[torch]'"
        ) from None
    return torch


def _activation(function: Activation, nn: Any) -> list:
    """The modules after a layer for its activation (none for identity)."""
    modules = {
        LRELU: lambda: nn.LeakyReLU(LRELU.slope),
        RELU: nn.ReLU,
        sigmoid: nn.Sigmoid,
        tanh: nn.Tanh,
        softmax: lambda: nn.Softmax(dim=1),
    }
    return [] if function is identity else [modules[function]()]


def _padding_modules(layer: ConvolutionLayer, nn: Any) -> tuple[list, object]:
    """The explicit pad module (if the padding is uneven) and the convolution's own padding."""
    assert layer.convolution is not None  # the layer is built
    padding = layer.convolution.geometry.padding  # ((before, after), ...) per spatial axis
    circular = layer.padding_mode == "circular"
    if all(before == after for before, after in padding):
        return [], tuple(before for before, _ in padding)
    flat = [amount for before, after in reversed(padding) for amount in (before, after)]
    dims = len(padding)
    pad = getattr(nn, f"{'Circular' if circular else 'Zero'}Pad{dims}d")
    return [pad(tuple(flat))], (0,) * dims


def _tensor(array: np.ndarray, torch: Any, dtype: Any) -> Any:
    return torch.tensor(np.ascontiguousarray(array), dtype=dtype)


def to_torch(model: CNN) -> Any:
    """A ``torch.nn.Sequential`` with the same layers and weights as ``model``.

    The model must be built (fitted, or ``build(input_shape)``). Call
    ``.eval()`` on the result for the outputs of ``model.predict_proba``:
    Dropout and BatchNormalization act as cnnlab's do outside ``fit``.
    Its dtype is the model's (float32 or float64).
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(model, CNN):
        raise TypeError(f"to_torch takes a cnnlab CNN, got {model!r}")
    if model.input_shape is None:
        raise ValueError("to_torch needs a built model: fit it first, or call build(input_shape)")
    dtype = {np.float32: torch.float32, np.float64: torch.float64}[np.dtype(model.dtype).type]
    modules = []
    for layer in model.layers:
        modules += _module_of(layer, nn, torch, dtype)
    return nn.Sequential(*modules).to(dtype)


def _module_of(layer: Layer, nn: Any, torch: Any, dtype: Any) -> list:
    input_shape = layer.input_shape
    assert input_shape is not None  # to_torch checked that the model is built
    params = {key: _tensor(value, torch, dtype) for key, value in layer.params.items()}
    if isinstance(layer, ConvolutionLayer):
        pads, padding = _padding_modules(layer, nn)
        dims = len(layer.kernel_shape)
        conv = getattr(nn, f"Conv{dims}d")(
            layer.input_channels, layer.feature_maps, layer.kernel_shape, stride=layer.strides,
            padding=padding, dilation=layer.dilations, padding_mode=layer.padding_mode,
        )  # fmt: skip
        _set(conv, params["W"], params["b"])
        return [*pads, conv, *_activation(layer.act_func, nn)]
    if isinstance(layer, L.TransposedConvolution2DLayer):
        conv = nn.ConvTranspose2d(
            layer.input_channels, layer.feature_maps, (layer.kernel_height, layer.kernel_width),
            stride=(layer.v_stride, layer.h_stride), padding=layer.pad,
        )  # fmt: skip
        _set(conv, params["W"], params["b"])
        return [conv, *_activation(layer.act_func, nn)]
    if isinstance(layer, PoolingLayer):
        dims = len(layer.kernel_shape)
        kind = "Max" if layer.pooling == "max" else "Avg"
        return [getattr(nn, f"{kind}Pool{dims}d")(layer.kernel_shape, stride=layer.strides)]
    if isinstance(layer, L.GlobalAveragePoolingLayer):
        dims = len(input_shape) - 1
        return [getattr(nn, f"AdaptiveAvgPool{dims}d")(1), nn.Flatten()]
    if isinstance(layer, L.FlattenLayer):
        return [nn.Flatten()]
    if isinstance(layer, L.ReshapeLayer):
        flatten = [nn.Flatten()] if len(input_shape) > 1 else []
        return [*flatten, nn.Unflatten(1, layer.shape)]
    if isinstance(layer, L.Upsampling2DLayer):
        return [nn.Upsample(scale_factor=tuple(float(s) for s in layer.size), mode="nearest")]
    if isinstance(layer, L.Dropout):
        return [nn.Dropout(layer.rate)]
    if isinstance(layer, L.BatchNormalization):
        dims = 2 if len(input_shape) == 3 else 1
        norm = getattr(nn, f"BatchNorm{dims}d")(
            input_shape[0], eps=layer.epsilon, momentum=layer.momentum
        ).to(dtype)
        with torch.no_grad():
            norm.weight.copy_(params["gamma"])
            norm.bias.copy_(params["beta"])
            norm.running_mean.copy_(_tensor(layer.buffers["running_mean"], torch, dtype))
            norm.running_var.copy_(_tensor(layer.buffers["running_var"], torch, dtype))
        return [norm]
    if isinstance(layer, L.ActivationLayer):
        return _activation(layer.act_func, nn)
    if isinstance(layer, L.FullyConnectedLayer | L.OutputLayer):
        linear = nn.Linear(*layer.params["W"].shape)
        _set(linear, params["W"].T, params["b"])
        function = layer.act_func
        return [linear, *_activation(function, nn)]
    raise ValueError(f"to_torch has no PyTorch twin for {type(layer).__name__}")


def _set(module: Any, weight: Any, bias: Any) -> None:
    torch = _torch()
    module.to(weight.dtype)  # before the copy: a float32 parameter would round float64 weights
    with torch.no_grad():
        module.weight.copy_(weight)
        module.bias.copy_(bias)
