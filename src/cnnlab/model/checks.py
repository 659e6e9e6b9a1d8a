"""Model-level checks: layer order when adding, and data against the network."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from cnnlab._validation import check_array, check_same_length
from cnnlab.layers import GlobalAveragePoolingLayer, Layer, OutputLayer
from cnnlab.nn.costs import CostCrossEntropy, CostLogReg

NEEDS_OUTPUT = (
    "the CNN must end in an OutputLayer (classification, regression) or in a layer that gives "
    "images or signals (a convolution, transposed convolution, upsampling or reshape); add one "
    "with add_OutputLayer(nodes, output_func=softmax)"
)


def float_dtype(dtype: DTypeLike) -> np.dtype:
    """Accept float32 or float64 (anything else would be slow or imprecise)."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if result not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {result}")
    return result


def _sample_ndim_after(layers: list) -> int | None:
    """The number of axes of a sample after ``layers``, where the layers fix it (else None)."""
    for layer in reversed(layers):
        if layer.output_ndim is not None:
            return layer.output_ndim
        if layer.flattens:
            return 1
        if layer.sample_ndim is not None:
            return layer.sample_ndim
    return None


def _kind(ndim: int) -> str:
    return {3: "images (channels, height, width)", 2: "signals (channels, length)"}.get(
        ndim, f"samples of {ndim} axes"
    )


def output_format(layers: list) -> str:
    """ "Multi-class", "Binary" or "Regression" from the OutputLayer, or "Image" for image outputs."""
    if layers and isinstance(layers[-1], OutputLayer):
        return layers[-1].pred_format
    ndim = _sample_ndim_after(layers)
    if ndim is not None and ndim >= 2:
        return "Image"
    raise ValueError(NEEDS_OUTPUT)


def check_layer_order(layers: list, new_layer: Layer) -> None:
    """Raise at ``add`` time for orders that can never work."""
    name = type(new_layer).__name__
    if layers and isinstance(layers[-1], OutputLayer):
        raise ValueError(f"cannot add {name} after the OutputLayer: the OutputLayer must be last")
    before, wanted = _sample_ndim_after(layers), new_layer.sample_ndim
    if before is None or wanted is None or before == wanted:
        return
    if wanted == 1:
        raise ValueError(
            f"{name} needs flat input, but it follows {type(layers[-1]).__name__} without a "
            f"FlattenLayer; call add_FlattenLayer() first"
        )
    if before == 1:
        raise ValueError(
            f"{name} needs {_kind(wanted)}, but the data were already flattened by an earlier "
            f"layer; put convolution and pooling layers before the FlattenLayer"
        )
    raise ValueError(f"{name} needs {_kind(wanted)}, but the layers before it give {_kind(before)}")


def _expected_ndim(model) -> tuple[int, ...]:
    if model.input_shape is not None:
        return (len(model.input_shape) + 1,)
    for layer in model.layers:
        if layer.sample_ndim is not None:
            return (layer.sample_ndim + 1,)
        if layer.flattens:
            return (2, 3, 4)
    return (2, 3, 4)


def _check_ndim_message(X: np.ndarray, name: str, expected: tuple[int, ...]) -> None:
    if X.ndim in expected:
        return
    hint = ""
    if expected == (4,):
        hint = (
            f"; images go as (images, channels, height, width), e.g. {name}[:, None] for grayscale"
        )
    raise ValueError(
        f"{name} must have {' or '.join(map(str, expected))} dimensions, got {X.ndim} "
        f"(shape {X.shape}){hint}"
    )


def prepare_data(
    model, X: ArrayLike, t: ArrayLike | None = None, names: tuple[str, str] = ("X", "t")
) -> tuple[np.ndarray, np.ndarray | None]:
    """Validate ``X`` (and ``t``), build the model on first use, and cast to its dtype.

    Returns
    -------
    X : ndarray, shape ``(N, *input_shape)``
    t : ndarray, shape (N, K), or None
    """
    x_name, t_name = names
    pred_format = model.pred_format  # raises if the network has no output
    given_dtype = getattr(X, "dtype", None)
    X = check_array(X, x_name)
    _check_ndim_message(X, x_name, _expected_ndim(model))
    if model.dtype is None:
        floating = given_dtype in (np.float32, np.float64)
        model.dtype = np.dtype(given_dtype) if floating else np.dtype(np.float32)
    X = X.astype(model.dtype, copy=False)
    if model.input_shape is None:
        model.build(X.shape[1:], model.dtype)
    elif X.shape[1:] != model.input_shape:
        resize_network(model, X.shape[1:], x_name)
    if t is None:
        return X, None
    if pred_format == "Image":
        return X, _image_targets(model, X, t, x_name, t_name)
    t = check_array(t, t_name, ndim=(1, 2)).astype(model.dtype, copy=False)
    check_same_length(X, x_name, t, t_name)
    nodes = model.layers[-1].nodes
    if t.ndim == 1 and nodes == 1:
        t = t[:, None]
    if t.ndim == 1 or t.shape[1] != nodes:
        onehot_hint = ""
        if pred_format == "Multi-class":
            onehot_hint = "; one-hot encode class labels with cnnlab.datasets.onehot(labels)"
        raise ValueError(
            f"{t_name} must have shape ({len(t)}, {nodes}) to match the OutputLayer's {nodes} "
            f"nodes, got {t.shape}{onehot_hint}"
        )
    if pred_format == "Multi-class":
        binary = np.all((t == 0) | (t == 1))
        if not binary or not np.all(t.sum(axis=1) == 1):
            raise ValueError(
                f"{t_name} must be one-hot for a softmax output (each row a single 1, the rest 0),"
                f" got rows like {t[0].tolist()}; use cnnlab.datasets.onehot(labels)"
            )
    elif pred_format == "Binary" and (t.min() < 0 or t.max() > 1):
        raise ValueError(
            f"{t_name} must hold 0/1 labels (or probabilities) for a sigmoid output, got values "
            f"in [{t.min()}, {t.max()}]"
        )
    return X, t


def _image_targets(model, X, t, x_name, t_name) -> np.ndarray:
    """Targets of a network with image outputs: one image per sample, of the output's shape."""
    if model.cost_func is CostCrossEntropy:
        raise ValueError(
            "CostCrossEntropy needs a softmax OutputLayer; a network with image outputs takes "
            "CostOLS (any values) or CostLogReg (values in [0, 1], sigmoid output)"
        )
    t = check_array(t, t_name).astype(model.dtype, copy=False)
    check_same_length(X, x_name, t, t_name)
    last = model.layers[-1]
    expected = (len(X), *last.output_shape)
    if t.shape != expected:
        raise ValueError(
            f"{t_name} must have shape {expected} to match the network's output "
            f"({type(last).__name__} gives samples of shape {last.output_shape}), got {t.shape}"
        )
    if model.cost_func is CostLogReg and (t.min() < 0 or t.max() > 1):
        raise ValueError(
            f"{t_name} must hold values in [0, 1] for CostLogReg, got values in "
            f"[{t.min()}, {t.max()}]; use CostOLS or rescale the targets"
        )
    return t


def resize_network(model, input_shape: tuple[int, ...], name: str = "X") -> None:
    """Build ``model`` again for samples of ``input_shape``, keeping every parameter.

    Only a network whose parameters do not depend on the input size can do it:
    one whose images end in a GlobalAveragePoolingLayer before the dense layers.
    A dry run on replicas checks this first, so a refusal leaves the model as it was.
    """
    built_for = model.input_shape
    refusal = f"{name} has samples of shape {input_shape}, but the CNN was built for {built_for}"
    if len(input_shape) != len(built_for) or input_shape[0] != built_for[0]:
        raise ValueError(refusal)
    if not any(isinstance(layer, GlobalAveragePoolingLayer) for layer in model.layers):
        raise ValueError(
            f"{refusal}; only a network with a GlobalAveragePoolingLayer takes inputs of any size"
        )
    rng = np.random.default_rng(0)  # for the throwaway weights of the rebuilt layers
    shape = tuple(input_shape)
    for index, layer in enumerate(model.layers):
        clone = layer.replica()
        try:
            shape = clone.build(shape, rng, model.dtype)
        except ValueError as error:
            raise ValueError(
                f"{refusal}; layer {index} ({type(layer).__name__}): {error}"
            ) from None
        for key, value in layer.params.items():
            if clone.params[key].shape != value.shape:
                raise ValueError(
                    f"{refusal}; layer {index} ({type(layer).__name__}) would need {key} of shape "
                    f"{clone.params[key].shape} instead of {value.shape}"
                )
    shape = tuple(input_shape)
    for layer in model.layers:
        params, buffers = layer.params, layer.buffers
        shape = layer.build(shape, rng, model.dtype)
        layer.params, layer.buffers = params, buffers
    model.input_shape = tuple(input_shape)
