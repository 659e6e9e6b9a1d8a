"""PyTorch to cnnlab: a ``torch.nn.Sequential`` of supported modules becomes a CNN.

Activation modules join the layer before them where cnnlab's layer has an
activation (convolutions, dense layers), and become an ActivationLayer
elsewhere (after BatchNorm, say). A pad module before a convolution becomes
its padding. An unsupported module is a ValueError that names it.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from cnnlab import layers as L  # noqa: N812 - the layer classes, by their names
from cnnlab.export.to_torch import _torch
from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import ConvolutionLayer
from cnnlab.layers.pooling import PoolingLayer
from cnnlab.model import CNN
from cnnlab.nn.activations import LRELU, RELU, Activation, identity, sigmoid, softmax, tanh
from cnnlab.nn.costs import Cost, CostCrossEntropy, CostLogReg, CostOLS
from cnnlab.nn.schedulers import Adam, Scheduler

#: a cnnlab layer, the module it came from and the pad module before that, if any
Converted = tuple[Layer, Any, Any]


def from_torch(
    module: Any,
    input_shape: tuple[int, ...],
    *,
    scheduler: Scheduler | None = None,
    seed: int | None = None,
) -> CNN:
    """A cnnlab CNN with the layers and weights of a ``torch.nn.Sequential``.

    Parameters
    ----------
    module : torch.nn.Sequential
        Of Conv1d, Conv2d, ConvTranspose2d, Linear, MaxPool1d/2d, AvgPool1d/2d,
        AdaptiveAvgPool1d/2d(1), BatchNorm1d/2d, Dropout, Flatten, Unflatten,
        Upsample(mode="nearest"), ZeroPad/CircularPad before a convolution,
        and the activations ReLU, LeakyReLU(0.01), Sigmoid, Tanh, Softmax(dim=1).
    input_shape : tuple of int
        One sample's shape, e.g. (1, 28, 28).
    scheduler : Scheduler, optional
        For further training in cnnlab (default Adam(1e-3)).

    Returns
    -------
    CNN
        Built, in the module's dtype, with the cost that suits its output
        (cross-entropy after softmax, log-loss after sigmoid, else squared error).
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(f"from_torch takes a torch.nn.Sequential, got {type(module).__name__}")
    children = list(module)
    parameters = list(module.parameters())
    dtype = parameters[0].dtype if parameters else torch.float32
    converted = _layers_from(children, torch.nn)
    last, source, pad = converted[-1]
    if isinstance(last, L.FullyConnectedLayer):  # the last dense layer is the output layer
        last = L.OutputLayer(last.nodes, last.act_func)
        converted[-1] = (last, source, pad)
    costs: dict[Activation, Cost] = {softmax: CostCrossEntropy, sigmoid: CostLogReg}
    function = getattr(last, "act_func", None)
    cost = CostOLS if function is None else costs.get(function, CostOLS)
    cnn = CNN(cost, scheduler or Adam(1e-3), seed=seed)
    for layer, _, _ in converted:
        cnn.add(layer)
    cnn.build(tuple(input_shape), {torch.float32: np.float32, torch.float64: np.float64}[dtype])
    for layer, source, pad in converted:
        if pad is not None and _torch_padding(layer) != tuple(pad.padding):
            raise ValueError(
                f"from_torch: {pad} before {source} is neither a symmetric padding nor "
                f"'same' padding ({_torch_padding(layer)}) for this input size"
            )
    with torch.no_grad():
        for layer, source, _ in converted:
            _copy_weights(layer, source)
    return cnn


def _torch_padding(layer: Any) -> tuple[int, ...]:
    """A built convolution's padding in the order of PyTorch's pad modules (last axis first)."""
    padding = layer.convolution.geometry.padding
    return tuple(amount for before, after in reversed(padding) for amount in (before, after))


ACTIVATIONS = {"ReLU": RELU, "Sigmoid": sigmoid, "Tanh": tanh, "Identity": identity}


def _activation_of(child: Any) -> Activation | None:
    name = type(child).__name__
    if name == "LeakyReLU":
        if child.negative_slope != LRELU.slope:
            raise ValueError(
                f"LeakyReLU(negative_slope={child.negative_slope}) has no cnnlab twin: cnnlab's "
                f"LRELU has slope {LRELU.slope}"
            )
        return LRELU
    if name == "Softmax":
        if child.dim not in (1, -1):
            raise ValueError(f"Softmax(dim={child.dim}) has no cnnlab twin; use dim=1")
        return softmax
    return ACTIVATIONS.get(name)


def _layers_from(children: list, nn: Any) -> list[Converted]:
    result: list[Converted] = []
    pad = None
    index = 0
    while index < len(children):
        child, name = children[index], type(children[index]).__name__
        if name in ("ZeroPad1d", "ZeroPad2d", "CircularPad1d", "CircularPad2d", "ConstantPad1d",
                    "ConstantPad2d"):  # fmt: skip
            if name.startswith("Constant") and child.value != 0:
                raise ValueError(f"from_torch does not support {child}: pads hold zeros here")
            pad, index = child, index + 1
            continue
        function = _activation_of(child)
        layer: Layer
        if name in ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d"):  # cnnlab's global pooling flattens
            following = children[index + 1] if index + 1 < len(children) else None
            if type(following).__name__ != "Flatten":
                raise ValueError(f"from_torch: {child} must be followed by Flatten()")
            index += 1
        if function is not None:  # an activation with no layer to join
            layer = L.ActivationLayer(function)
        else:
            following = children[index + 1] if index + 1 < len(children) else None
            function = None if following is None else _activation_of(following)
            if name in ("Conv1d", "Conv2d", "ConvTranspose2d", "Linear") and function is not None:
                index += 1  # the activation joins this layer
            layer = _layer_from(child, name, function or identity, pad)
        if pad is not None and not isinstance(layer, ConvolutionLayer):
            raise ValueError(f"from_torch: {type(pad).__name__} must be followed by a convolution")
        result.append((layer, child, pad))
        pad, index = None, index + 1
    if pad is not None:
        raise ValueError(f"from_torch: {type(pad).__name__} must be followed by a convolution")
    if not result:
        raise ValueError("from_torch: the Sequential has no layers")
    return result


def _layer_from(child: Any, name: str, function: Activation, pad: Any) -> Layer:
    """The cnnlab layer of one module (a ValueError that names it when there is none)."""
    padding_mode, explicit = "zeros", 0
    if pad is not None:
        padding_mode = "circular" if "Circular" in type(pad).__name__ else "zeros"
        explicit = pad.padding
    if name in ("Conv1d", "Conv2d"):
        return _convolution(child, name, function, padding_mode, explicit)
    if name == "ConvTranspose2d":
        if child.groups != 1 or child.dilation != (1, 1) or any(child.output_padding):
            raise ValueError(f"{child} has no cnnlab twin (groups, dilation or output_padding)")
        if child.padding[0] != child.padding[1]:
            raise ValueError(
                f"{child} has no cnnlab twin: its padding must be the same on both axes"
            )
        (kernel_height, kernel_width), (v_stride, h_stride) = child.kernel_size, child.stride
        return L.TransposedConvolution2DLayer(
            child.in_channels, child.out_channels, kernel_height, kernel_width, v_stride,
            h_stride, child.padding[0], function,
        )  # fmt: skip
    if name == "Linear":
        return L.FullyConnectedLayer(child.out_features, function)
    if name in ("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"):
        return _pooling(child, name)
    if name in ("AdaptiveAvgPool1d", "AdaptiveAvgPool2d"):
        size = child.output_size
        if size not in (1, (1, 1), (1,)):
            raise ValueError(f"{child} has no cnnlab twin: only output_size=1 (global pooling)")
        return L.GlobalAveragePoolingLayer()
    if name in ("BatchNorm1d", "BatchNorm2d"):
        if child.momentum is None or not child.affine or not child.track_running_stats:
            raise ValueError(
                f"{child} has no cnnlab twin: it needs momentum, affine and running stats"
            )
        return L.BatchNormalization(child.momentum, child.eps)
    if name == "Dropout":
        return L.Dropout(child.p)
    if name == "Unflatten":
        return L.ReshapeLayer(tuple(child.unflattened_size))
    if name == "Upsample":
        if child.mode != "nearest" or child.scale_factor is None:
            raise ValueError(f"{child} has no cnnlab twin: only mode='nearest' with a scale_factor")
        factors = child.scale_factor
        factors = factors if isinstance(factors, tuple) else (factors, factors)
        if any(float(f) != int(f) for f in factors):
            raise ValueError(f"{child} has no cnnlab twin: the scale factors must be integers")
        # a pair for Upsample over images; Upsampling2DLayer refuses any other length
        return L.Upsampling2DLayer(cast("tuple[int, int]", tuple(int(f) for f in factors)))
    if name == "Flatten" and (child.start_dim, child.end_dim) == (1, -1):
        return L.FlattenLayer()
    raise ValueError(
        f"from_torch does not support {child}; supported: Conv1d, Conv2d, ConvTranspose2d, Linear,"
        f" Max/AvgPool1d/2d, AdaptiveAvgPool1d/2d(1), BatchNorm1d/2d, Dropout, Flatten, "
        f"Unflatten, Upsample(nearest), Zero/CircularPad before a convolution, ReLU, "
        f"LeakyReLU(0.01), Sigmoid, Tanh, Softmax(dim=1)"
    )


def _convolution(
    child: Any, name: str, function: Activation, padding_mode: str, explicit: Any
) -> ConvolutionLayer:
    if child.groups != 1:
        raise ValueError(f"{child} has no cnnlab twin: grouped convolutions are not supported")
    if child.padding_mode not in ("zeros", "circular"):
        raise ValueError(f"{child} has no cnnlab twin: padding_mode must be 'zeros' or 'circular'")
    pad = child.padding if isinstance(child.padding, str) else child.padding[0]
    if not isinstance(child.padding, str) and len(set(child.padding)) != 1:
        raise ValueError(f"{child} has no cnnlab twin: its padding must be the same on every axis")
    if explicit:
        if child.padding not in ("valid",) and any(child.padding):
            raise ValueError(f"{child} pads again after an explicit pad module")
        amounts = set(explicit if isinstance(explicit, tuple) else (explicit,))
        # uneven: it may be "same" padding with a stride (checked against the geometry at build)
        pad = amounts.pop() if len(amounts) == 1 else "same"
    else:
        padding_mode = child.padding_mode
    if name == "Conv1d":
        return L.Convolution1DLayer(
            child.in_channels, child.out_channels, child.kernel_size[0], child.stride[0], pad,
            function, padding_mode=padding_mode, dilation=child.dilation[0],
        )  # fmt: skip
    if child.dilation != (1, 1):
        raise ValueError(f"{child} has no cnnlab twin: Convolution2DLayer has no dilation")
    (kernel_height, kernel_width), (v_stride, h_stride) = child.kernel_size, child.stride
    return L.Convolution2DLayer(
        child.in_channels, child.out_channels, kernel_height, kernel_width, v_stride, h_stride,
        pad, function, padding_mode=padding_mode,
    )  # fmt: skip


def _pooling(child: Any, name: str) -> PoolingLayer:
    dims = int(name[-2])
    kernel = _tuple(child.kernel_size, dims)
    stride = _tuple(child.stride or child.kernel_size, dims)
    if any(_tuple(child.padding, dims)) or getattr(child, "ceil_mode", False):
        raise ValueError(f"{child} has no cnnlab twin: pooling takes no padding or ceil_mode")
    if name.startswith("Max") and any(d != 1 for d in _tuple(child.dilation, dims)):
        raise ValueError(f"{child} has no cnnlab twin: pooling takes no dilation")
    pooling = "max" if name.startswith("Max") else "average"
    if dims == 1:
        return L.Pooling1DLayer(kernel[0], stride[0], pooling)
    return L.Pooling2DLayer(kernel[0], kernel[1], stride[0], stride[1], pooling)


def _tuple(value: Any, dims: int) -> tuple:
    return tuple(value) if isinstance(value, tuple | list) else (value,) * dims


def _copy_weights(layer: Layer, child: Any) -> None:
    def array(tensor: Any) -> np.ndarray:
        return tensor.detach().cpu().numpy()

    if isinstance(layer, L.FullyConnectedLayer | L.OutputLayer):
        layer.params["W"][...] = array(child.weight).T
        layer.params["b"][...] = array(child.bias)
    elif isinstance(layer, ConvolutionLayer | L.TransposedConvolution2DLayer):
        layer.params["W"][...] = array(child.weight)
        layer.params["b"][...] = array(child.bias) if child.bias is not None else 0
    elif isinstance(layer, L.BatchNormalization):
        layer.params["gamma"][...] = array(child.weight)
        layer.params["beta"][...] = array(child.bias)
        layer.buffers["running_mean"][...] = array(child.running_mean)
        layer.buffers["running_var"][...] = array(child.running_var)
