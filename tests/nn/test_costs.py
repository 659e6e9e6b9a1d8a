import warnings

import numpy as np
import pytest
from gradcheck import numerical_gradient, relative_error

from cnnlab.nn.costs import CostCrossEntropy, CostLogReg, CostOLS, get_cost


def _probabilities(rng, shape):
    logits = rng.standard_normal(shape)
    return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


def _cases():
    rng = np.random.default_rng(5)
    onehot = np.eye(4)[rng.integers(0, 4, 6)]
    return [
        (CostOLS, rng.standard_normal((6, 3)), rng.standard_normal((6, 3))),
        (CostLogReg, rng.uniform(0.05, 0.95, (6, 2)), rng.integers(0, 2, (6, 2)).astype(float)),
        (CostCrossEntropy, _probabilities(rng, (6, 4)), onehot),
    ]


@pytest.mark.parametrize("cost, prediction, target", _cases(), ids=["ols", "logreg", "ce"])
def test_gradient_matches_central_differences(cost, prediction, target):
    numeric = numerical_gradient(lambda: cost.value(prediction, target), prediction)
    assert relative_error(cost.gradient(prediction, target), numeric) < 1e-6


@pytest.mark.parametrize(
    "cost, activation", [(CostCrossEntropy, "softmax"), (CostLogReg, "sigmoid")]
)
def test_fused_gradient_is_the_gradient_with_respect_to_logits(cost, activation):
    rng = np.random.default_rng(6)
    logits = rng.standard_normal((5, 3))
    target = np.eye(3)[rng.integers(0, 3, 5)]
    function = cost.fused_activation
    assert function.__name__ == activation
    numeric = numerical_gradient(lambda: cost.value(function(logits), target), logits)
    fused = cost.fused_gradient(function(logits), target)
    assert relative_error(fused, numeric) < 1e-6


def test_known_values_and_notes_call_form():
    assert CostOLS.value(np.array([[1.0, 3.0]]), np.array([[0.0, 0.0]])) == pytest.approx(5.0)
    assert CostOLS(np.array([[0.0, 0.0]]))(np.array([[1.0, 3.0]])) == pytest.approx(5.0)
    p = np.array([[0.25, 0.75], [0.5, 0.5]])
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert CostCrossEntropy.value(p, t) == pytest.approx(-(np.log(0.75) + np.log(0.5)) / 2)
    assert CostLogReg.value(np.array([[0.8]]), np.array([[1.0]])) == pytest.approx(-np.log(0.8))


def test_zero_probabilities_give_finite_cost_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = CostCrossEntropy.value(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
        logreg = CostLogReg.value(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert np.isfinite(value) and value > 700
    assert np.isfinite(logreg) and logreg > 700


def test_lookup():
    assert get_cost("CostOLS") is CostOLS
    with pytest.raises(ValueError, match="cost_func must be one of"):
        get_cost("mse")


def test_against_torch(torch):
    rng = np.random.default_rng(7)
    prediction, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    expected = torch.nn.functional.mse_loss(torch.tensor(prediction), torch.tensor(target))
    assert CostOLS.value(prediction, target) == pytest.approx(expected.item(), rel=1e-12)
    p, t = rng.uniform(0.1, 0.9, (4, 3)), rng.integers(0, 2, (4, 3)).astype(float)
    expected = torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor(t))
    assert CostLogReg.value(p, t) == pytest.approx(expected.item(), rel=1e-12)
    logits = rng.standard_normal((4, 3))
    onehot = np.eye(3)[[0, 2, 1, 2]]
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(onehot))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert CostCrossEntropy.value(probabilities, onehot) == pytest.approx(
        expected.item(), rel=1e-12
    )
