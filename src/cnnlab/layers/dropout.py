"""Dropout: random zeros in training, the identity otherwise."""

from __future__ import annotations

import numpy as np

from cnnlab._validation import check_float
from cnnlab.layers.base import Layer


class Dropout(Layer):
    """Inverted dropout: in training, zero each entry with probability ``rate``.

    Forward in training, with a keep-mask ``M`` of independent Bernoulli(1 - rate)
    entries, shape of X::

        A = X * M / (1 - rate)            dX = dA * M / (1 - rate)

    Outside training ``A = X`` and ``dX = dA``. The mask is drawn once per batch
    (:meth:`draw_batch`) from a generator derived from the model's seed, so
    threads that share a batch give the same result as one.

    Parameters
    ----------
    rate : float
        Probability of dropping an entry, in [0, 1).
    """

    def __init__(self, rate: float = 0.5) -> None:
        super().__init__()
        self.rate = check_float(rate, "rate", minimum=0.0, maximum=1.0)
        if self.rate == 1.0:
            raise ValueError("rate must be < 1 (a rate of 1 drops everything), got 1.0")
        self.mask: np.ndarray | None = None
        self.rng: np.random.Generator | None = None
        self._batch_keep: np.ndarray | None = None

    def _build(self, input_shape, rng, dtype):
        self.rng = np.random.default_rng(rng.integers(2**63))
        return input_shape

    def draw_batch(self, samples: int) -> np.ndarray | None:
        """The keep-mask of a training batch of ``samples``, as ``forward`` would draw it."""
        if self.rate == 0.0:
            return None
        assert self.rng is not None, "draw_batch before build"
        return self.rng.random((samples, *self._built_input_shape)) >= self.rate

    def use_batch(self, draws: np.ndarray | None) -> None:
        self._batch_keep = draws

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        self._check_input(X)
        if not training or self.rate == 0.0:
            self.mask = None
            return X
        keep, self._batch_keep = self._batch_keep, None
        if keep is None or keep.shape != X.shape:
            assert self.rng is not None  # built, as _check_input made sure
            keep = self.rng.random(X.shape) >= self.rate
        self.mask = keep.astype(X.dtype) / X.dtype.type(1.0 - self.rate)
        return X * self.mask

    def backward(self, delta: np.ndarray) -> np.ndarray:
        return delta if self.mask is None else delta * self.mask

    def _reset_caches(self) -> None:
        super()._reset_caches()
        self.mask = self._batch_keep = None

    def config(self) -> dict:
        return {"rate": self.rate}

    def describe(self) -> str:
        return f"Dropout {self.rate:g}"
