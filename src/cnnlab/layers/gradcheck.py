"""``cnnlab.gradcheck``: check a layer's backward pass by central differences, in float64.

The layer's output is turned into one number, ``C = sum(forward(X) * G)`` for
a fixed random G, whose gradient with respect to the output is exactly G. Then
``backward(G)`` must give dC/dX and dC/dparams, and each of their entries must
agree with ``(C(x + h) - C(x - h)) / 2h``. The tests of every built-in layer
use this very function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnlab._validation import check_float
from cnnlab.layers.base import Layer


def numerical_gradient(
    function: Callable[[], float], array: np.ndarray, step: float = 1e-6
) -> np.ndarray:
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
    scale = max(np.max(np.abs(analytic), initial=0), np.max(np.abs(numeric), initial=0), 1e-12)
    return float(np.max(np.abs(analytic - numeric), initial=0) / scale)


@dataclass
class GradientReport:
    """What :func:`gradcheck` found: the largest relative error of each gradient.

    Attributes
    ----------
    errors : dict of str to float
        "X" (dCost/dInput) and each parameter name.
    tolerance : float
    """

    layer: str
    errors: dict[str, float]
    tolerance: float
    #: True if ``backward`` wrote into the gradient it was given (the contract forbids it)
    modified_delta: bool = False

    @property
    def failed(self) -> list[str]:
        """The gradients whose error is at or above the tolerance (and "delta" if written to)."""
        failed = [name for name, error in self.errors.items() if not error < self.tolerance]
        return failed + (["delta"] if self.modified_delta else [])

    @property
    def passed(self) -> bool:
        return not self.failed

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        lines = [f"gradcheck of {self.layer} (relative errors, tolerance {self.tolerance:.0e}):"]
        for name, error in self.errors.items():
            verdict = "ok" if error < self.tolerance else "FAILED"
            lines.append(f"  d{name}: {error:.2e}  {verdict}")
        if self.modified_delta:
            lines.append("  backward wrote into the delta it was given: FAILED")
        return "\n".join(lines)


def gradcheck(
    layer: Layer, input_shape: int | tuple[int, ...], *, seed: int | None = None,
    tolerance: float = 1e-6, training: bool = False, samples: int = 2, X: np.ndarray | None = None,
) -> GradientReport:  # fmt: skip
    """Check ``layer.backward`` against central differences of ``layer.forward``, in float64.

    Parameters
    ----------
    layer : Layer
        Any layer on cnnlab's contract, your own included. An unbuilt layer
        is built for ``input_shape`` in float64; a built one must be float64.
    input_shape : tuple of int
        The shape of one sample, e.g. ``(1, 6, 6)``.
    seed : int, optional
        Seeds the input X, the output weights G and the build.
    tolerance : float
        The largest relative error that passes.
    training : bool
        The mode of every forward pass (Dropout and BatchNormalization differ).
    samples : int
        The batch size of the random X.
    X : ndarray, optional
        A float64 input batch of your own instead (changed and restored in place).

    Returns
    -------
    GradientReport
        ``report.errors`` for dX and each parameter; ``report.passed``;
        ``report.failed`` names the culprits; ``print(report)`` shows all.
    """
    tolerance = check_float(tolerance, "tolerance", minimum=0.0, inclusive=False)
    input_shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    rng = np.random.default_rng(seed)
    if not layer.built:
        layer.build(input_shape, rng, np.float64)
    elif layer.input_shape != input_shape:
        raise ValueError(
            f"the layer is built for inputs {layer.input_shape}, not input_shape={input_shape}"
        )
    if any(value.dtype != np.float64 for value in layer.params.values()):
        raise ValueError("gradcheck needs a float64 layer; build it with dtype=np.float64")
    if X is None:
        X = rng.standard_normal((samples, *input_shape))
    elif X.dtype != np.float64 or X.shape[1:] != input_shape:
        raise ValueError(f"X must be float64 of shape (N, *{input_shape}), got {X.dtype} {X.shape}")
    draws = layer.draw_batch(len(X)) if training else None  # one dropout mask for every pass

    def run() -> np.ndarray:
        layer.use_batch(draws)
        return layer.forward(X, training=training)

    output = run()
    upstream = rng.standard_normal(output.shape)
    given = upstream.copy()
    input_gradient = layer.backward(given)
    if input_gradient is None:  # a network's first layer, say
        raise ValueError(
            "the layer's backward returned no dX: set layer.compute_input_gradient = True"
        )
    analytic = {"X": input_gradient}
    analytic.update({key: value.copy() for key, value in layer.grads.items()})

    def scalar() -> float:
        return float(np.sum(run() * upstream))

    errors = {"X": relative_error(analytic["X"], numerical_gradient(scalar, X))}
    for key, value in layer.params.items():
        errors[key] = relative_error(analytic[key], numerical_gradient(scalar, value))
    modified = not np.array_equal(given, upstream)
    return GradientReport(type(layer).__name__, errors, tolerance, modified)
