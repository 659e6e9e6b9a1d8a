"""The float64 central-difference check of the layer and model tests: ``cnnlab.gradcheck``."""

from __future__ import annotations

import numpy as np

from cnnlab.layers.gradcheck import gradcheck, numerical_gradient, relative_error

__all__ = ["check_layer_gradients", "numerical_gradient", "relative_error"]


def check_layer_gradients(
    layer, X: np.ndarray, seed: int = 0, tolerance: float = 1e-6, training: bool = False
):
    """Assert that ``cnnlab.gradcheck`` passes a built float64 layer on the batch ``X``."""
    report = gradcheck(layer, X.shape[1:], seed=seed, tolerance=tolerance, training=training, X=X)
    assert report.passed, str(report)
    return report.errors
