"""Central-difference gradient checks in float64, shared by the layer and model tests."""

from __future__ import annotations

import numpy as np


def numerical_gradient(function, array: np.ndarray, step: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``function()`` with respect to ``array`` (in place)."""
    gradient = np.zeros_like(array)
    flat = array.reshape(-1)
    gradient_flat = gradient.reshape(-1)
    for index in range(flat.size):
        saved = flat[index]
        flat[index] = saved + step
        plus = function()
        flat[index] = saved - step
        minus = function()
        flat[index] = saved
        gradient_flat[index] = (plus - minus) / (2 * step)
    return gradient


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """Largest absolute difference, relative to the largest magnitude of either gradient."""
    scale = max(np.max(np.abs(analytic)), np.max(np.abs(numeric)), 1e-12)
    return float(np.max(np.abs(analytic - numeric)) / scale)


def check_layer_gradients(
    layer, X: np.ndarray, seed: int = 0, tolerance: float = 1e-6, training: bool = False
):
    """Check dInput and every dParam of a built float64 layer by central differences.

    The scalar is ``sum(forward(X) * G)`` for a fixed random ``G``, so its
    gradient with respect to the output is exactly ``G``. ``training`` is the
    mode of every forward pass (batch statistics or running ones).
    """
    rng = np.random.default_rng(seed)
    output = layer.forward(X, training=training)
    upstream = rng.standard_normal(output.shape)
    upstream_copy = upstream.copy()
    analytic_input = layer.backward(upstream)
    assert np.array_equal(upstream, upstream_copy), "backward modified delta in place"
    analytic_params = {key: value.copy() for key, value in layer.grads.items()}

    def scalar():
        return float(np.sum(layer.forward(X, training=training) * upstream))

    errors = {"X": relative_error(analytic_input, numerical_gradient(scalar, X))}
    for key, value in layer.params.items():
        errors[key] = relative_error(analytic_params[key], numerical_gradient(scalar, value))
    for key, error in errors.items():
        assert error < tolerance, f"gradient of {key}: relative error {error:.2e}"
    return errors
