"""Model-level checks: layer order when adding, and data against the network."""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_array, check_same_length
from cnnlab.layers import OutputLayer


def float_dtype(dtype) -> np.dtype:
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


def check_layer_order(layers: list, new_layer) -> None:
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


def prepare_data(model, X, t=None, names=("X", "t")):
    """Validate ``X`` (and ``t``), build the model on first use, and cast to its dtype.

    Returns
    -------
    X : ndarray, shape (N, *input_shape)
    t : ndarray, shape (N, K), or None
    """
    x_name, t_name = names
    output_layer = model.output_layer  # raises if there is none
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
        raise ValueError(
            f"{x_name} has samples of shape {X.shape[1:]}, but the CNN was built for "
            f"{model.input_shape}"
        )
    if t is None:
        return X, None
    t = check_array(t, t_name, ndim=(1, 2)).astype(model.dtype, copy=False)
    check_same_length(X, x_name, t, t_name)
    nodes = output_layer.nodes
    if t.ndim == 1 and nodes == 1:
        t = t[:, None]
    if t.ndim == 1 or t.shape[1] != nodes:
        onehot_hint = ""
        if model.pred_format == "Multi-class":
            onehot_hint = "; one-hot encode class labels with cnnlab.datasets.onehot(labels)"
        raise ValueError(
            f"{t_name} must have shape ({len(t)}, {nodes}) to match the OutputLayer's {nodes} "
            f"nodes, got {t.shape}{onehot_hint}"
        )
    if model.pred_format == "Multi-class":
        binary = np.all((t == 0) | (t == 1))
        if not binary or not np.all(t.sum(axis=1) == 1):
            raise ValueError(
                f"{t_name} must be one-hot for a softmax output (each row a single 1, the rest 0),"
                f" got rows like {t[0].tolist()}; use cnnlab.datasets.onehot(labels)"
            )
    elif model.pred_format == "Binary" and (t.min() < 0 or t.max() > 1):
        raise ValueError(
            f"{t_name} must hold 0/1 labels (or probabilities) for a sigmoid output, got values "
            f"in [{t.min()}, {t.max()}]"
        )
    return X, t
