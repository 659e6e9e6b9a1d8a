"""cnnlab to ONNX: one graph node (or two) per layer, built with the ``onnx`` helper API.

The graph takes float32 inputs of shape ``(N, *input_shape)``, any N, and holds the
weights as float32 initializers, so onnxruntime runs it anywhere. Each layer
becomes the ONNX operator with its meaning: Conv (with a Pad in "wrap" mode
before it for circular padding), ConvTranspose, MaxPool and AveragePool,
GlobalAveragePool, Flatten, Reshape, Resize (nearest), BatchNormalization
(the running statistics), Gemm for dense layers, and the activations
Relu, LeakyRelu(0.01), Sigmoid, Tanh and Softmax(axis=1). Dropout is left out,
as in evaluation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cnnlab import layers as L  # noqa: N812 - the layer classes, by their names
from cnnlab.io.atomic import write_atomically_bytes
from cnnlab.layers.base import Layer
from cnnlab.layers.convolution import ConvolutionLayer
from cnnlab.layers.pooling import PoolingLayer
from cnnlab.model import CNN
from cnnlab.nn.activations import LRELU, RELU, Activation, identity, sigmoid, softmax, tanh

#: opset 19 has Pad's "wrap" mode (circular padding); IR version 9 goes with it
OPSET, IR_VERSION = 19, 9


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise ImportError("cnnlab.export.to_onnx needs onnx: pip install 'cnnlab[onnx]'") from None
    return onnx


class _Graph:
    """Nodes and float32 initializers, named in order."""

    def __init__(self, onnx: Any) -> None:
        self.helper, self.numpy_helper = onnx.helper, onnx.numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.count = 0

    def constant(self, array: np.ndarray, label: str) -> str:
        name = f"{label}_{len(self.initializers)}"
        self.initializers.append(self.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def weight(self, array: np.ndarray, label: str) -> str:
        return self.constant(np.asarray(array, dtype=np.float32), label)

    def node(self, op: str, inputs: list[str], **attributes: Any) -> str:
        self.count += 1
        output = f"{op.lower()}_{self.count}"
        self.nodes.append(self.helper.make_node(op, inputs, [output], **attributes))
        return output

    def activation(self, function: Activation, x: str) -> str:
        if function is identity:
            return x
        if function is LRELU:
            return self.node("LeakyRelu", [x], alpha=LRELU.slope)
        if function is softmax:
            return self.node("Softmax", [x], axis=1)
        return self.node({RELU: "Relu", sigmoid: "Sigmoid", tanh: "Tanh"}[function], [x])


def to_onnx(model: CNN, path: str | Path) -> Path:
    """Write ``model`` as an ONNX file at ``path`` (checked with ``onnx.checker``); returns it.

    Run it with ``onnxruntime.InferenceSession(path).run(None, {"input": X})``
    on float32 X of shape ``(N, *input_shape)``; the output is named "output".
    """
    onnx = _onnx()
    if not isinstance(model, CNN):
        raise TypeError(f"to_onnx takes a cnnlab CNN, got {model!r}")
    if model.input_shape is None:
        raise ValueError("to_onnx needs a built model: fit it first, or call build(input_shape)")
    graph = _Graph(onnx)
    x = "input"
    for layer in model.layers:
        x = _layer(graph, layer, x)
    helper, float32 = onnx.helper, onnx.TensorProto.FLOAT
    last_shape = model.layers[-1].output_shape
    assert last_shape is not None  # built, as model.input_shape says
    output_shape = ["N", *last_shape]
    graph.nodes.append(helper.make_node("Identity", [x], ["output"]))
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes, "cnnlab",
            [helper.make_tensor_value_info("input", float32, ["N", *model.input_shape])],
            [helper.make_tensor_value_info("output", float32, output_shape)],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)], producer_name="cnnlab",
    )  # fmt: skip
    proto.ir_version = IR_VERSION
    onnx.checker.check_model(proto, full_check=True)
    return write_atomically_bytes(Path(path), proto.SerializeToString())


def _layer(graph: _Graph, layer: Layer, x: str) -> str:
    if isinstance(layer, ConvolutionLayer):
        assert layer.convolution is not None  # to_onnx checked that the model is built
        geometry = layer.convolution.geometry
        befores = [before for before, _ in geometry.padding]
        afters = [after for _, after in geometry.padding]
        if layer.padding_mode == "circular" and any(befores + afters):
            pads = graph.constant(np.array([0, 0, *befores, 0, 0, *afters], np.int64), "pads")
            x = graph.node("Pad", [x, pads], mode="wrap")
            befores = afters = [0] * len(befores)
        x = graph.node(
            "Conv", [x, graph.weight(layer.params["W"], "W"), graph.weight(layer.params["b"], "b")],
            kernel_shape=list(layer.kernel_shape), strides=list(layer.strides),
            dilations=list(layer.dilations), pads=[*befores, *afters],
        )  # fmt: skip
        return graph.activation(layer.act_func, x)
    if isinstance(layer, L.TransposedConvolution2DLayer):
        x = graph.node(
            "ConvTranspose",
            [x, graph.weight(layer.params["W"], "W"), graph.weight(layer.params["b"], "b")],
            kernel_shape=[layer.kernel_height, layer.kernel_width],
            strides=[layer.v_stride, layer.h_stride], pads=[layer.pad] * 4,
        )  # fmt: skip
        return graph.activation(layer.act_func, x)
    if isinstance(layer, PoolingLayer):
        op = "MaxPool" if layer.pooling == "max" else "AveragePool"
        return graph.node(
            op, [x], kernel_shape=list(layer.kernel_shape), strides=list(layer.strides)
        )
    if isinstance(layer, L.GlobalAveragePoolingLayer):
        return graph.node("Flatten", [graph.node("GlobalAveragePool", [x])], axis=1)
    if isinstance(layer, L.FlattenLayer):
        return graph.node("Flatten", [x], axis=1)
    if isinstance(layer, L.ReshapeLayer):
        shape = graph.constant(np.array([-1, *layer.shape], np.int64), "shape")
        return graph.node("Reshape", [x, shape])
    if isinstance(layer, L.Upsampling2DLayer):
        scales = graph.constant(np.array([1, 1, *layer.size], np.float32), "scales")
        return graph.node(
            "Resize", [x, "", scales], mode="nearest",
            coordinate_transformation_mode="asymmetric", nearest_mode="floor",
        )  # fmt: skip
    if isinstance(layer, L.Dropout):
        return x
    if isinstance(layer, L.BatchNormalization):
        inputs = [layer.params["gamma"], layer.params["beta"], layer.buffers["running_mean"],
                  layer.buffers["running_var"]]  # fmt: skip
        names = [graph.weight(a, label) for a, label in zip(inputs, "gbmv", strict=True)]
        return graph.node("BatchNormalization", [x, *names], epsilon=layer.epsilon)
    if isinstance(layer, L.FullyConnectedLayer | L.OutputLayer):
        x = graph.node(
            "Gemm", [x, graph.weight(layer.params["W"], "W"), graph.weight(layer.params["b"], "b")]
        )
        return graph.activation(layer.act_func, x)
    if isinstance(layer, L.ActivationLayer):
        return graph.activation(layer.act_func, x)
    raise ValueError(f"to_onnx has no ONNX operator for {type(layer).__name__}")
