"""Saving and loading a whole ``CNN``: ``cnn.save(path)`` and ``cnnlab.load(path)``.

The file format is ``cnnlab.io.archive``'s; here a network is rebuilt from it.
Layers are looked up by name in ``cnnlab.layers.registry``, costs and
optimizers in their own tables: nothing named in a file is imported or
evaluated.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from cnnlab.io.archive import largest_dimension, read_file, restore_state, scheduler_from
from cnnlab.layers import Layer
from cnnlab.layers.registry import LAYERS
from cnnlab.model.network import CNN
from cnnlab.nn.costs import get_cost
from cnnlab.nn.schedulers import Scheduler

#: the longest input axis a model file may declare (a 65,536-pixel side, a 2^20-sample signal)
MAX_INPUT_AXIS = 1 << 20


def load_model(path: str | Path, custom_layers: dict | None = None) -> CNN:
    """Rebuild a saved ``CNN``: same layers, weights, optimizer state and generators.

    Parameters
    ----------
    path : str or Path
    custom_layers : dict of str to Layer subclass, optional
        Your own layer classes, by the class name the file gives (Keras's
        ``custom_objects``): ``load(path, custom_layers={"Upsample": Upsample})``.
        Nothing named in a file is ever imported or evaluated; you hand the
        classes over. Each is rebuilt with ``cls(**layer.config())``.

    Raises
    ------
    ValueError
        If the file is missing, truncated, not a cnnlab model, of another
        version, or inconsistent, or names a layer class that is neither
        cnnlab's nor in ``custom_layers``.
    """
    classes = {**LAYERS, **check_custom_layers(custom_layers)}
    description, arrays = read_file(path)
    try:
        return _rebuild(description, arrays, path, classes)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path} is malformed: {type(error).__name__} {error}") from None


def check_custom_layers(custom_layers: object) -> dict:
    """``custom_layers`` as a dict of name to Layer subclass, or a TypeError."""
    if custom_layers is None:
        return {}
    if not isinstance(custom_layers, dict):
        raise TypeError(
            f"custom_layers must be a dict of class name to layer class, got {custom_layers!r}"
        )
    for name, cls in custom_layers.items():
        if not (isinstance(cls, type) and issubclass(cls, Layer)):
            raise TypeError(
                f"custom_layers[{name!r}] must be a subclass of cnnlab.layers.Layer, got {cls!r}"
            )
    return dict(custom_layers)


def _rebuild(description, arrays, path, classes):
    # None (no scheduler in the file) is refused by CNN itself, as a malformed file
    scheduler = cast(Scheduler, scheduler_from(description["scheduler"], path))
    model = CNN(
        get_cost(description["cost"]),
        scheduler,
        description["seed"],
        dtype=description["dtype"],
    )
    for entry in description["layers"]:
        cls = classes.get(entry["class"])
        if cls is None:
            raise ValueError(
                f"{path}: unknown layer class {entry['class']!r}; if it is your own, hand it "
                f"over: cnnlab.load(path, custom_layers={{{entry['class']!r}: "
                f"{entry['class']}}})"
            )
        layer = cls(**entry["config"])
        layer.scheduler = scheduler_from(entry.get("scheduler"), path)
        model.add(layer)
    if description["input_shape"] is not None:
        _check_sizes(model, description, arrays, path)
        try:
            model.build(tuple(description["input_shape"]), description["dtype"])
        except ValueError as error:
            raise ValueError(f"{path}: the saved layers do not fit together: {error}") from None
        restore_state(model, description, arrays, path)
    model.rng.bit_generator.state = description["rng"]
    return model


def _check_sizes(model, description, arrays, path) -> None:
    """Refuse a description whose numbers no array of the file backs, before building.

    A layer's sizes (nodes, feature maps, kernel sizes, shapes) all show up as
    axis lengths of the saved weights, or of the input; a description that
    declares, say, a dense layer of 10^11 nodes over a file of small arrays
    would otherwise allocate its weights first and be found out after.
    """
    input_shape = description["input_shape"]
    if not isinstance(input_shape, list) or not all(
        isinstance(n, int) and 0 < n <= MAX_INPUT_AXIS for n in input_shape
    ):
        raise ValueError(
            f"{path}: input_shape {input_shape!r} is not a list of sizes up to {MAX_INPUT_AXIS}"
        )
    bound = max(largest_dimension(arrays), *input_shape)
    for index, layer in enumerate(model.layers):
        for key, value in layer.config().items():
            numbers = value if isinstance(value, list | tuple) else [value]
            for number in numbers:
                if isinstance(number, int) and not isinstance(number, bool) and number > bound:
                    raise ValueError(
                        f"{path}: layer {index} ({type(layer).__name__}) declares {key}={value}, "
                        f"larger than any array or input axis in the file ({bound}); the "
                        f"description does not match its arrays"
                    )
