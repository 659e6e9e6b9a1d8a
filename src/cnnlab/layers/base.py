"""The contract every layer keeps.

``build`` creates parameters for one input shape and returns the output shape
(both without the batch axis). ``forward`` maps a batch to its output and keeps
what ``backward`` needs. ``backward`` takes dCost/dOutput, fills ``grads`` (same
keys as ``params``) and returns dCost/dInput. It never changes weights and
never writes into ``delta``: the model owns the update.
"""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_float_array


class Layer:
    """Base class of all layers."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.input_shape: tuple[int, ...] | None = None
        self.output_shape: tuple[int, ...] | None = None
        #: per-layer optimizer that overrides the model's (None: use the model's)
        self.scheduler = None
        #: False for a network's first layer, whose input gradient nobody needs
        self.compute_input_gradient = True

    @property
    def built(self) -> bool:
        return self.output_shape is not None

    def build(
        self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype=np.float64
    ) -> tuple[int, ...]:
        """Create parameters for inputs of ``input_shape``; return the output shape."""
        self.input_shape = tuple(int(n) for n in input_shape)
        self.output_shape = self._build(self.input_shape, rng, np.dtype(dtype))
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        return self.output_shape

    def _build(self, input_shape, rng, dtype) -> tuple[int, ...]:
        return input_shape

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, delta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def workspace(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        """A scratch array owned by the layer, reused while its shape stays the same.

        Only for arrays that never leave the layer: fresh 20 MB arrays on every
        batch cost page faults and cache misses that showed up in the profile.
        """
        buffers = self.__dict__.setdefault("_workspaces", {})
        array = buffers.get(name)
        if array is None or array.shape != tuple(shape) or array.dtype != dtype:
            array = buffers[name] = np.empty(shape, dtype=dtype)
        return array

    def parameter_count(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def config(self) -> dict:
        """The constructor arguments that rebuild this layer."""
        return {}

    def describe(self) -> str:
        """A short description for ``CNN.summary``."""
        return type(self).__name__

    def _check_input(self, X: np.ndarray) -> None:
        if not self.built:
            raise RuntimeError(
                f"{type(self).__name__} is not built; call build(input_shape, rng) first"
            )
        check_float_array(X, "X")
        if tuple(X.shape[1:]) != self.input_shape:
            raise ValueError(
                f"{type(self).__name__} was built for inputs of shape (N, "
                f"{', '.join(map(str, self.input_shape))}), got {X.shape}"
            )

    def _need_forward(self, cache) -> None:
        if cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({arguments})"
