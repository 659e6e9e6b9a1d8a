"""The contract every layer keeps.

``build`` creates parameters for one input shape and returns the output shape
(both without the batch axis). ``forward`` maps a batch to its output and keeps
what ``backward`` needs. ``backward`` takes dCost/dOutput, fills ``grads`` (same
keys as ``params``) and returns dCost/dInput. It never changes weights and
never writes into ``delta``: the training step owns the update.

Two hooks serve the threaded step (``cnnlab.training.threads``), so that it
never touches a private attribute: ``replica()`` gives a copy that shares the
parameters but keeps its own caches, and ``draw_batch`` / ``use_batch`` let a
layer with randomness (Dropout) draw it once for the whole batch, of which
each replica takes its rows.

Arrays between layers are ``(N, C, ...)`` in shape but may have any memory
order (``cnnlab.conv.layout``).
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import DTypeLike

from cnnlab._validation import check_float_array
from cnnlab.nn.schedulers import Scheduler

_Cache = TypeVar("_Cache")


class Layer:
    """Base class of all layers."""

    #: the number of axes of one sample this layer takes (3 for images (C, H, W),
    #: 2 for signals (C, T), 1 for flat vectors); None: any
    sample_ndim: int | None = None
    #: True for layers whose output is flat (C*H*W,) or (C,), whatever came in
    flattens = False
    #: the number of axes of a sample this layer puts out, where it sets it (ReshapeLayer)
    output_ndim: int | None = None
    #: True where one sample's output depends on the rest of its batch (BatchNormalization):
    #: the threaded step then adds such a layer's sums across threads (``use_reduction``)
    couples_samples = False
    # what ``forward`` keeps for ``backward``; a layer with a cache declares its own type
    _cache: object

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        #: arrays that are state but not trained (BatchNormalization's running statistics)
        self.buffers: dict[str, np.ndarray] = {}
        self.input_shape: tuple[int, ...] | None = None
        self.output_shape: tuple[int, ...] | None = None
        #: per-layer optimizer that overrides the model's (None: use the model's)
        self.scheduler: Scheduler | None = None
        #: False for a network's first layer, whose input gradient nobody needs
        self.compute_input_gradient = True

    @property
    def built(self) -> bool:
        return self.output_shape is not None

    def build(
        self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: DTypeLike = np.float64
    ) -> tuple[int, ...]:
        """Create parameters for inputs of ``input_shape``; return the output shape."""
        self.input_shape = tuple(int(n) for n in input_shape)
        self.output_shape = self._build(self.input_shape, rng, np.dtype(dtype))
        self.grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        return self.output_shape

    def _build(
        self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: np.dtype
    ) -> tuple[int, ...]:
        return input_shape

    @property
    def _built_input_shape(self) -> tuple[int, ...]:
        """``input_shape``, which ``build`` has set once a layer runs forward or backward."""
        return cast("tuple[int, ...]", self.input_shape)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map a batch ``X`` (N, ...) to the layer's output; ``training`` switches dropout and batch statistics on."""
        raise NotImplementedError

    def backward(self, delta: np.ndarray) -> np.ndarray | None:
        """Given dCost/dOutput, fill ``grads`` and return dCost/dInput (None for a network's first layer)."""
        raise NotImplementedError

    def replica(self) -> Layer:
        """A copy for another thread: it shares ``params`` but has its own caches and grads."""
        clone = copy.copy(self)
        clone.grads = {}
        clone._reset_caches()
        return clone

    def _reset_caches(self) -> None:
        """Forget what ``forward`` kept (a replica starts clean); layers with caches extend it."""
        if "_cache" in self.__dict__:
            self._cache = None

    def draw_batch(self, samples: int) -> np.ndarray | None:
        """The random draws of the next training batch of ``samples``, or None if none.

        Drawn once per batch; each thread's replica gets its rows through
        :meth:`use_batch`, so the result does not depend on the thread count.
        """
        return None

    def use_batch(self, draws: np.ndarray | None) -> None:
        """Use ``draws`` (rows of :meth:`draw_batch`'s) in the next training ``forward``."""

    def use_reduction(self, reduction: Any) -> None:
        """Sum across the threads that share a batch (layers with ``couples_samples``)."""

    def parameter_count(self) -> int:
        """The number of trained numbers in ``params``."""
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
                f"{', '.join(map(str, self._built_input_shape))}), got {X.shape}"
            )

    def _need_forward(self, cache: _Cache | None) -> _Cache:
        """``cache``, or a RuntimeError if ``forward`` has not filled it."""
        if cache is None:  # also after replica(), which starts with no cache
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return cache

    def __repr__(self) -> str:
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({arguments})"
