"""Batch normalization: every channel (or feature) rescaled to zero mean and unit variance."""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnlab._validation import check_float
from cnnlab.layers.base import Layer


class BatchNormalization(Layer):
    r"""Batch normalization (PyTorch's BatchNorm1d and BatchNorm2d), per channel.

    For images (N, C, H, W) and signals (N, C, T) the statistics of channel c
    are taken over the batch and every position, ``M = N*H*W`` (or ``N*T``) values; for
    flat input (N, K) over the batch, per feature. In training::

        mu[c]   = sum_{n, i} X[n, c, i] / M                                 (C,)
        var[c]  = sum_{n, i} (X[n, c, i] - mu[c])^2 / M                     (C,)
        Xhat    = (X - mu[c]) / sqrt(var[c] + epsilon)                      (N, C, ...)
        A       = gamma[c] * Xhat + beta[c]                                 (N, C, ...)
        running_mean = (1 - momentum) running_mean + momentum mu
        running_var  = (1 - momentum) running_var  + momentum var * M / (M - 1)

    (the running variance is unbiased, as in PyTorch). In evaluation, mu and
    var are the running statistics. Backward, given dA::

        dgamma[c] = sum_{n, i} dA * Xhat ;  dbeta[c] = sum_{n, i} dA                    (C,)
        dX = gamma / sqrt(var + epsilon) * (dA - dbeta / M - Xhat * dgamma / M)  (training)
        dX = gamma / sqrt(running_var + epsilon) * dA                           (evaluation)

    Parameters
    ----------
    momentum : float
        Weight of the newest batch in the running statistics, in [0, 1].
    epsilon : float
        Added to the variance, > 0.

    Notes
    -----
    ``params`` are "gamma" (ones) and "beta" (zeros); ``buffers`` hold
    "running_mean" (zeros) and "running_var" (ones), saved with the model.

    When ``fit`` runs on several threads, each takes a shard of the batch; the
    shards' sums (for mu, var, dgamma and dbeta) are added across threads
    (:meth:`use_reduction`), so the statistics are those of the whole batch
    and the step equals the one-thread step up to rounding. This is PyTorch's
    SyncBatchNorm on threads.
    """

    #: the output of one sample depends on the others of its batch
    couples_samples = True

    def __init__(self, momentum: float = 0.1, epsilon: float = 1e-5) -> None:
        super().__init__()
        self.momentum = check_float(momentum, "momentum", minimum=0.0)
        if self.momentum > 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum}")
        self.epsilon = check_float(epsilon, "epsilon", minimum=0.0, inclusive=False)
        # the normalized input, 1 / std and the count per channel (None in evaluation)
        self._cache: tuple[np.ndarray, np.ndarray, int | None] | None = None
        self._reduction: Any = None

    def _build(self, input_shape, rng, dtype):
        channels = input_shape[0]
        self.params = {"gamma": np.ones(channels, dtype), "beta": np.zeros(channels, dtype)}
        self.buffers = {
            "running_mean": np.zeros(channels, dtype),
            "running_var": np.ones(channels, dtype),
        }
        return input_shape

    def use_reduction(self, reduction: Any) -> None:
        """Add this layer's sums across the threads that share a batch (None: one thread).

        ``reduction.sum(array)`` returns the array summed over the threads;
        ``reduction.primary`` is True in the one thread that updates the
        running statistics.
        """
        self._reduction = reduction

    def _total(self, array: np.ndarray) -> np.ndarray:
        return array if self._reduction is None else self._reduction.sum(array)

    def forward(self, X: np.ndarray, training: bool = False) -> np.ndarray:
        """Map (N, C, ...) or (N, K) to the same shape."""
        self._check_input(X)
        axes, shape = _axes(X)
        if training:
            count = int(self._total(np.array(X.size // X.shape[1])))
            if count < 2:
                raise ValueError(
                    f"BatchNormalization needs more than one value per channel in training, got "
                    f"a batch of shape {X.shape}; use batches of at least 2 samples"
                )
            mean = self._total(X.sum(axis=axes)) / count
            centred = X - mean.reshape(shape)
            variance = self._total((centred * centred).sum(axis=axes)) / count
            self._update_running(mean, variance, count)
        else:
            count = None
            mean, variance = self.buffers["running_mean"], self.buffers["running_var"]
            centred = X - mean.reshape(shape)
        inverse_std = 1.0 / np.sqrt(variance + self.epsilon)
        normalized = centred * inverse_std.reshape(shape)
        self._cache = (normalized, inverse_std, count)
        return normalized * self.params["gamma"].reshape(shape) + self.params["beta"].reshape(shape)

    def _update_running(self, mean, variance, count) -> None:
        if self._reduction is not None and not self._reduction.primary:
            return  # every thread has the same statistics; one of them keeps them
        momentum = self.momentum
        running_mean, running_var = self.buffers["running_mean"], self.buffers["running_var"]
        running_mean *= 1 - momentum
        running_mean += momentum * mean
        running_var *= 1 - momentum
        running_var += momentum * variance * (count / (count - 1))

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Fill ``grads`` with dCost/dgamma and dCost/dbeta; return dCost/dX."""
        normalized, inverse_std, count = self._need_forward(self._cache)
        axes, shape = _axes(delta)
        self.grads["gamma"] = (delta * normalized).sum(axis=axes)
        self.grads["beta"] = delta.sum(axis=axes)
        scale = (self.params["gamma"] * inverse_std).reshape(shape)
        if count is None:  # evaluation: the statistics are constants
            return delta * scale
        # a thread's grads are its shard's share; the batch's sums enter its dX
        dgamma, dbeta = self._total(self.grads["gamma"]), self._total(self.grads["beta"])
        return scale * (delta - (dbeta / count).reshape(shape)
                        - normalized * (dgamma / count).reshape(shape))  # fmt: skip

    def config(self) -> dict:
        return {"momentum": self.momentum, "epsilon": self.epsilon}

    def describe(self) -> str:
        return f"BatchNorm momentum={self.momentum:g}"


def _axes(X: np.ndarray) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The axes summed over (batch and positions) and the shape of a per-channel array."""
    return (0, *range(2, X.ndim)), (-1, *(1,) * (X.ndim - 2))
