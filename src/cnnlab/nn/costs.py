"""Cost functions: value and gradient with respect to the network's output.

Shapes: ``prediction`` and ``target`` are ``(N, K)`` (N samples, K outputs).

* ``CostOLS``: mean squared error over every entry, as PyTorch's ``MSELoss``.
* ``CostLogReg``: binary cross-entropy averaged over every entry, as ``BCELoss``.
* ``CostCrossEntropy``: ``-sum(t * log p) / N``, as PyTorch's cross-entropy with
  probability targets. The notes divide by ``N * K`` instead, which shrinks the
  gradient K times.

After softmax (cross-entropy) or sigmoid (log-reg) the model skips the
Jacobian and uses the fused, stable gradient with respect to the logits,
``(p - t) / N`` (divided by ``K`` as well for log-reg, which averages over
entries). ``CostOLS(target)`` still returns a function of the prediction, as
in the notes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from cnnlab._validation import check_float_array
from cnnlab.nn.activations import Activation, sigmoid, softmax


def _check_pair(prediction, target):
    prediction = check_float_array(prediction, "prediction")
    target = np.asarray(target)
    if prediction.shape != target.shape:
        raise ValueError(
            f"prediction and target must have the same shape, got {prediction.shape} and "
            f"{target.shape}"
        )
    return prediction, target


def _safe_log(p: np.ndarray) -> np.ndarray:
    # The smallest normal number of the dtype keeps log finite when p underflows to 0.
    return np.log(np.clip(p, np.finfo(p.dtype).tiny, None))


class Cost:
    """A cost function of a prediction and its target."""

    __name__ = "cost"
    #: the output function whose Jacobian cancels with this cost's gradient
    fused_activation: Activation | None = None

    def value(self, prediction: np.ndarray, target: np.ndarray) -> float:
        """The cost, a float."""
        return self._value(*_check_pair(prediction, target))

    def gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dCost/dprediction, shape ``(N, K)``."""
        return self._gradient(*_check_pair(prediction, target))

    def fused_gradient(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """dCost/dlogits when the output function is ``fused_activation``."""
        return self._fused_gradient(*_check_pair(prediction, target))

    def _value(self, prediction, target):
        raise NotImplementedError

    def _gradient(self, prediction, target):
        raise NotImplementedError

    def _fused_gradient(self, prediction, target):
        raise NotImplementedError(f"{self.__name__} has no fused gradient")

    def __call__(self, target: np.ndarray) -> Callable[[np.ndarray], float]:
        """The notes' form: ``CostOLS(target)(prediction)`` gives the cost value."""
        target = np.asarray(target)
        return lambda prediction: self.value(np.asarray(prediction), target)

    def __repr__(self) -> str:
        return self.__name__

    def __reduce__(self) -> str:
        return self.__name__


class _CostOLS(Cost):
    """CostOLS: the mean squared error over every entry (PyTorch's MSELoss).

    As in the course notes, ``CostOLS(target)`` also gives the cost as a function
    of the prediction.
    """

    __name__ = "CostOLS"

    def _value(self, prediction, target):
        return float(np.mean((prediction - target) ** 2))

    def _gradient(self, prediction, target):
        return 2.0 * (prediction - target) / prediction.size


class _CostLogReg(Cost):
    """CostLogReg: binary cross-entropy averaged over every entry (PyTorch's BCELoss).

    After a sigmoid output the gradient is the fused ``(p - t) / size``, exact and
    stable, where the course notes' code differentiates through the sigmoid.
    """

    __name__ = "CostLogReg"
    fused_activation = sigmoid

    def _value(self, prediction, target):
        loss = target * _safe_log(prediction) + (1 - target) * _safe_log(1 - prediction)
        return float(-np.mean(loss))

    def _gradient(self, prediction, target):
        tiny = np.finfo(prediction.dtype).tiny
        denominator = np.clip(prediction * (1 - prediction), tiny, None)
        return (prediction - target) / denominator / prediction.size

    def _fused_gradient(self, prediction, target):
        return (prediction - target) / prediction.size


class _CostCrossEntropy(Cost):
    """CostCrossEntropy: ``-sum(t * log p) / N`` over one-hot targets.

    The course notes' code divides by ``N * K``, which shrinks the gradient K times;
    after softmax the gradient is the fused ``(p - t) / N``.
    """

    __name__ = "CostCrossEntropy"
    fused_activation = softmax

    def _value(self, prediction, target):
        return float(-np.sum(target * _safe_log(prediction)) / prediction.shape[0])

    def _gradient(self, prediction, target):
        tiny = np.finfo(prediction.dtype).tiny
        return -target / np.clip(prediction, tiny, None) / prediction.shape[0]

    def _fused_gradient(self, prediction, target):
        return (prediction - target) / prediction.shape[0]


CostOLS = _CostOLS()
CostLogReg = _CostLogReg()
CostCrossEntropy = _CostCrossEntropy()

COSTS: dict[str, Cost] = {c.__name__: c for c in (CostOLS, CostLogReg, CostCrossEntropy)}


def get_cost(value: Cost | str) -> Cost:
    """Return the cost object for ``value``, which may be one or its name."""
    if isinstance(value, Cost):
        return value
    if isinstance(value, str) and value in COSTS:
        return COSTS[value]
    raise (ValueError if isinstance(value, str) else TypeError)(
        f"cost_func must be one of {sorted(COSTS)}, got {value!r}"
    )
