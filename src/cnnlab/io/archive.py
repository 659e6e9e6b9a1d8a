"""Model files: one ``.npz`` holding the architecture as JSON and every array by name.

Nothing in a file is ever executed: arrays are read with ``allow_pickle=False``,
the description is parsed with ``json.loads`` and layers, costs and optimizers
are looked up in fixed tables of cnnlab's own classes. A file has a format name
and a version; anything else gives a ValueError that names the file.

Layout of the file (``numpy.savez`` entries):

* ``cnnlab.json``: UTF-8 JSON as uint8 bytes: format, version, cost, scheduler,
  seed, dtype, input shape, layers (class + constructor arguments), the
  learning rate of every optimizer, random-generator states and, in a
  checkpoint, the training progress;
* ``layer<i>.<name>``: the parameters and buffers (running statistics) of layer i;
* ``optimizer<i>.<name>.<state>``: the optimizer state of each parameter array.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from cnnlab.io.atomic import write_atomically
from cnnlab.io.members import NpzMembers
from cnnlab.nn.schedulers import SCHEDULERS, Scheduler

FORMAT = "cnnlab-model"
VERSION = 1
DESCRIPTION = "cnnlab.json"


def scheduler_description(scheduler: Scheduler | None) -> dict | None:
    """An optimizer as JSON: its class name and hyper-parameters (None stays None)."""
    if scheduler is None:
        return None
    return {"class": type(scheduler).__name__, "arguments": scheduler.hyper_parameters()}


def scheduler_from(description: dict | None, path: object) -> Scheduler | None:
    """The optimizer a description names, from cnnlab's own table only; a ValueError naming the file otherwise."""
    if description is None:
        return None
    name = description.get("class")
    cls = SCHEDULERS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"{path}: unknown scheduler {description.get('class')!r}")
    return cls(**description["arguments"])


def model_arrays(model, extra: dict | None = None) -> dict[str, np.ndarray]:
    """Every array of the model (and the JSON description) as ``savez`` entries."""
    layers = []
    for layer in model.layers:
        entry: dict[str, object] = {"class": type(layer).__name__, "config": layer.config()}
        entry["scheduler"] = scheduler_description(layer.scheduler)
        rng = getattr(layer, "rng", None)  # a layer's own generator (Dropout's masks)
        if rng is not None:
            entry["rng"] = rng.bit_generator.state
        layers.append(entry)
    description = {
        "format": FORMAT,
        "version": VERSION,
        "cost": model.cost_func.__name__,
        "scheduler": scheduler_description(model.scheduler),
        "seed": model.seed,
        "dtype": None if model.dtype is None else str(np.dtype(model.dtype)),
        "input_shape": None if model.input_shape is None else list(model.input_shape),
        "layers": layers,
        "rng": model.rng.bit_generator.state,
        "etas": {f"{i}.{key}": opt.eta for (i, key), opt in model.optimizers.items()},
        **(extra or {}),
    }
    arrays = {DESCRIPTION: np.frombuffer(json.dumps(description).encode(), dtype=np.uint8)}
    for index, layer in enumerate(model.layers):
        for key, value in {**layer.params, **layer.buffers}.items():
            arrays[f"layer{index}.{key}"] = value
    for (index, key), optimizer in model.optimizers.items():
        for name, value in optimizer.get_state().items():
            arrays[f"optimizer{index}.{key}.{name}"] = np.asarray(value)
    return arrays


def save_model(model, path: str | Path) -> Path:
    """Save a model to ``path`` (".npz" is added when missing); returns the path.

    A layer class that is not cnnlab's is saved by name and ``config()``; a
    warning says at save time how the file must be loaded.
    """
    custom = sorted({type(layer).__name__ for layer in model.layers if not _builtin(layer)})
    if custom:
        handed = ", ".join(f"{name!r}: {name}" for name in custom)
        warnings.warn(
            f"{', '.join(custom)} {'is not a cnnlab layer' if len(custom) == 1 else 'are not cnnlab layers'}: "
            f"load this file with cnnlab.load(path, custom_layers={{{handed}}}); its config() "
            f"must give the constructor's arguments",
            stacklevel=3,
        )
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    write_atomically(path, model_arrays(model))
    return path


#: a description is a few kilobytes of JSON; anything past this bound is refused unread
MAX_DESCRIPTION_BYTES = 1 << 20


def read_file(path: str | Path) -> tuple[dict, NpzMembers]:
    """The description of a model file, checked, and its arrays, to be read one by one.

    The arrays are not decompressed here: ``restore_state`` reads each one
    against the shape the built model expects (``cnnlab.io.members``).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"model file {str(path)!r} does not exist")
    members = NpzMembers(path)
    if DESCRIPTION not in members:
        raise ValueError(f"{path} is not a cnnlab model file: it has no {DESCRIPTION} entry")
    raw = members.read(DESCRIPTION, kinds="u", max_bytes=MAX_DESCRIPTION_BYTES)
    try:
        description = json.loads(raw.tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"{path} has a malformed description: {type(error).__name__}") from None
    if not isinstance(description, dict):
        raise ValueError(
            f"{path} has a malformed description: a JSON {type(description).__name__}, not an "
            f"object"
        )
    if description.get("format") != FORMAT:
        raise ValueError(
            f"{path} is not a cnnlab model file (format {description.get('format')!r})"
        )
    if description.get("version") != VERSION:
        raise ValueError(
            f"{path} has format version {description.get('version')!r}; this cnnlab reads "
            f"version {VERSION} only"
        )
    return description, members


def largest_dimension(members: NpzMembers) -> int:
    """The largest axis length of any array in the file, from the headers alone."""
    return max((max(members.header(name)[0], default=1) for name in members.names()), default=1)


def restore_state(model, description: dict, arrays: NpzMembers, path: object) -> None:
    """Put saved weights, optimizer states, learning rates and generators into a built model.

    Each array is read against the shape the model expects before it is
    decompressed; weights must be finite and learning rates positive.
    """
    expected = {f"layer{index}.{key}" for index, layer in enumerate(model.layers)
                for key in {**layer.params, **layer.buffers}}  # fmt: skip
    unexpected = [
        name for name in arrays.names()
        if name != DESCRIPTION and name not in expected
        and not name.startswith(("optimizer", "callback"))
    ]  # fmt: skip
    if unexpected:
        raise ValueError(
            f"{path} holds {', '.join(unexpected[:3])}, which its description does not account "
            f"for; it was not written by cnnlab (or was changed since)"
        )
    for index, layer in enumerate(model.layers):
        for key, value in {**layer.params, **layer.buffers}.items():
            name = f"layer{index}.{key}"
            if name not in arrays:
                raise ValueError(
                    f"{path}: layer {index} {key} should have shape {value.shape}, got None"
                )
            saved = arrays.read(name, shape=value.shape, kinds="f", max_bytes=2 * value.size * 8)
            if not np.isfinite(saved).all():
                raise ValueError(f"{path}: layer {index} {key} holds NaN or infinite values")
            value[...] = saved
        rng_state = description["layers"][index].get("rng")
        if rng_state is not None:
            layer.rng.bit_generator.state = rng_state
    for (index, key), optimizer in model.optimizers.items():
        prefix = f"optimizer{index}.{key}."
        size = model.layers[index].params[key].size
        state = {
            name[len(prefix) :]: arrays.read(name, max_bytes=8 * size + 64)
            for name in arrays.names()
            if name.startswith(prefix)
        }
        optimizer.set_state(state)
        eta = description["etas"][f"{index}.{key}"]
        if not isinstance(eta, int | float) or not np.isfinite(eta) or eta <= 0:
            raise ValueError(
                f"{path}: the learning rate of layer {index} {key} is {eta!r}, not > 0"
            )
        optimizer.eta = float(eta)
    model.rng.bit_generator.state = description["rng"]


def _builtin(layer) -> bool:
    return type(layer).__module__.startswith("cnnlab.layers.")
