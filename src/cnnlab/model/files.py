"""Saving and loading a whole ``CNN``: ``cnn.save(path)`` and ``cnnlab.load(path)``.

The file format is ``cnnlab.io.archive``'s; here a network is rebuilt from it.
Layers are looked up by name in ``cnnlab.layers.registry``, costs and
optimizers in their own tables: nothing named in a file is imported or
evaluated.
"""

from __future__ import annotations

from cnnlab.io.archive import read_file, restore_state, scheduler_from
from cnnlab.layers.registry import LAYERS
from cnnlab.model.network import CNN
from cnnlab.nn.costs import get_cost


def load_model(path):
    """Rebuild a saved ``CNN``: same layers, weights, optimizer state and generators.

    Raises
    ------
    ValueError
        If the file is missing, truncated, not a cnnlab model, of another
        version, or inconsistent.
    """
    description, arrays = read_file(path)
    try:
        return _rebuild(description, arrays, path)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{path} is malformed: {type(error).__name__} {error}") from None


def _rebuild(description, arrays, path):
    model = CNN(
        get_cost(description["cost"]),
        scheduler_from(description["scheduler"], path),
        description["seed"],
        dtype=description["dtype"],
    )
    for entry in description["layers"]:
        cls = LAYERS.get(entry["class"])
        if cls is None:
            raise ValueError(f"{path}: unknown layer class {entry['class']!r}")
        layer = cls(**entry["config"])
        layer.scheduler = scheduler_from(entry.get("scheduler"), path)
        model.add(layer)
    if description["input_shape"] is not None:
        try:
            model.build(tuple(description["input_shape"]), description["dtype"])
        except ValueError as error:
            raise ValueError(f"{path}: the saved layers do not fit together: {error}") from None
        restore_state(model, description, arrays, path)
    model.rng.bit_generator.state = description["rng"]
    return model
