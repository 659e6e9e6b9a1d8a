"""One training step, as the math says it, in the calling thread.

For a batch (X, t) and a network of layers with parameters θ:

1. forward: ``A = layer_L(... layer_1(X))``, each layer keeping what it needs;
2. the cost gradient ``dC/dA``, or ``dC/dZ`` directly where the cost fuses
   with the output function (``(A - t) / N`` for softmax with cross-entropy);
3. backward through the layers in reverse, each filling ``grads``;
4. L2: ``g_W += lam * W`` for weights, never biases;
5. one optimizer update per parameter array: ``θ -= optimizer(g)``.

``cnnlab.training.threads`` runs steps 1-3 on shards of the batch on several
threads and is tested equal to this step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cnnlab.nn.metrics import batch_statistics

if TYPE_CHECKING:
    from cnnlab.nn.costs import Cost
    from cnnlab.nn.schedulers import Scheduler


def forward(layers: list, X: np.ndarray, training: bool = False) -> np.ndarray:
    """Run a batch through ``layers``; returns the last layer's activations."""
    for layer in layers:
        X = layer.forward(X, training)
    return X


def backward(
    layers: list, cost: Cost, output: np.ndarray, target: np.ndarray, scale: float = 1.0
) -> None:
    """Fill every layer's ``grads`` for ``cost(output, target)``, the gradient times ``scale``.

    A thread that trains on a shard of the batch passes the shard's share of
    the batch as ``scale``, so the shards' gradients add up to the batch's.
    """
    last = layers[-1]
    fused = cost.fused_activation is not None and hasattr(last, "backward_from_logits")
    if fused and getattr(last, "act_func", None) is cost.fused_activation:
        dZ = cost.fused_gradient(output, target)
        if scale != 1.0:
            dZ *= dZ.dtype.type(scale)
        delta = last.backward_from_logits(dZ)
    else:
        gradient = cost.gradient(output, target)
        if scale != 1.0:
            gradient *= gradient.dtype.type(scale)
        delta = last.backward(gradient)
    for layer in reversed(layers[:-1]):
        delta = layer.backward(delta)


def gradients(
    model, layers: list, X: np.ndarray, t: np.ndarray, scale: float = 1.0
) -> tuple[float, dict]:
    """Steps 1-3 on ``layers``: fill their ``grads``.

    Returns the summed cost and the batch's ``cnnlab.nn.metrics.batch_statistics``.
    """
    output = forward(layers, X, training=True)
    loss = model.cost_func.value(output, t) * len(X)
    statistics = batch_statistics(output, t, model.pred_format)
    backward(layers, model.cost_func, output, t, scale)
    return loss, statistics


def step_parameter(
    parameter: np.ndarray, gradient: np.ndarray, optimizer: Scheduler, decay: float
) -> None:
    """Steps 4-5 for one array: ``parameter -= optimizer(gradient + decay * parameter)``."""
    if decay:
        gradient = gradient + parameter.dtype.type(decay) * parameter
    parameter -= optimizer.update_change(gradient)


def update(model, lam: float) -> None:
    """Steps 4-5 for every parameter array of ``model``, from the layers' ``grads``."""
    for (index, key), optimizer in model.optimizers.items():
        layer = model.layers[index]
        decay = lam if key == "W" else 0.0
        step_parameter(layer.params[key], layer.grads[key], optimizer, decay)


def draw_batch(layers: list, samples: int) -> list:
    """Every layer's random draws for a batch of ``samples`` (None for most layers)."""
    return [layer.draw_batch(samples) for layer in layers]


class Step:
    """One mini-batch step of ``model`` in the calling thread.

    Parameters
    ----------
    model : CNN
        A built network (its ``layers``, ``optimizers``, ``cost_func``).
    """

    n_jobs = 1

    def __init__(self, model) -> None:
        self.model = model

    def __enter__(self) -> Step:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def __call__(self, X: np.ndarray, t: np.ndarray, lam: float) -> tuple[float, dict]:
        """Train on one batch; return the batch's summed cost and its score statistics."""
        model = self.model
        for layer, draws in zip(model.layers, draw_batch(model.layers, len(X)), strict=True):
            layer.use_batch(draws)
        loss, statistics = gradients(model, model.layers, X, t)
        update(model, lam)
        return loss, statistics
