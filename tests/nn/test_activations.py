import warnings

import numpy as np
import pytest
from gradcheck import numerical_gradient, relative_error

from cnnlab.nn.activations import (
    LRELU,
    RELU,
    derivate,
    get_activation,
    identity,
    sigmoid,
    softmax,
    tanh,
)

ELEMENTWISE = [identity, sigmoid, tanh, RELU, LRELU]


@pytest.mark.parametrize("activation", ELEMENTWISE, ids=str)
def test_elementwise_derivative_matches_central_differences(activation):
    z = np.random.default_rng(1).standard_normal((5, 7))
    numeric = (activation(z + 1e-6) - activation(z - 1e-6)) / 2e-6
    assert relative_error(activation.derivative(z), numeric) < 1e-6
    assert relative_error(derivate(activation)(z), numeric) < 1e-6


@pytest.mark.parametrize("activation", [*ELEMENTWISE, softmax], ids=str)
def test_backward_is_the_vector_jacobian_product(activation):
    rng = np.random.default_rng(2)
    z = rng.standard_normal((4, 6))
    delta = rng.standard_normal((4, 6))

    def scalar():
        return float(np.sum(activation(z) * delta))

    analytic = activation.backward(delta, z, activation(z))
    assert relative_error(analytic, numerical_gradient(scalar, z)) < 1e-6


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(RELU(z), [0, 0, 3])
    np.testing.assert_allclose(LRELU(z), [-0.02, 0, 3])
    np.testing.assert_allclose(sigmoid(np.array([0.0])), [0.5])
    np.testing.assert_allclose(softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]])


def test_softmax_jacobian_rows_sum_to_zero():
    jacobian = softmax.derivative(np.array([[0.1, -0.3, 2.0]]))
    assert jacobian.shape == (1, 3, 3)
    np.testing.assert_allclose(jacobian.sum(axis=-1), 0, atol=1e-15)


def test_extreme_inputs_are_finite_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(np.array([-1000.0, 1000.0]))
        p = softmax(np.array([[1e4, -1e4, 0.0], [-1e4, -1e4 + 1, -1e4]]))
        d = sigmoid.derivative(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(s, [0.0, 1.0])
    assert np.isfinite(p).all() and np.isfinite(d).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1, 0, 0])


@pytest.mark.parametrize("activation", [*ELEMENTWISE, softmax], ids=str)
def test_float32_stays_float32(activation):
    z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(2, 6)
    assert activation(z).dtype == np.float32
    assert activation.backward(np.ones_like(z), z, activation(z)).dtype == np.float32


def test_lookup_by_name_and_clear_errors():
    assert get_activation("relu") is RELU
    assert get_activation("Softmax") is softmax
    with pytest.raises(ValueError, match="'swish' is not a known activation"):
        get_activation("swish")
    with pytest.raises(TypeError, match="must be a cnnlab activation"):
        get_activation(np.tanh)


def test_activations_survive_copy():
    import copy
    import pickle

    assert copy.deepcopy(LRELU) is LRELU
    assert pickle.loads(pickle.dumps(softmax)) is softmax


def test_against_torch(torch):
    z = np.random.default_rng(3).standard_normal((3, 5))
    tz = torch.tensor(z)
    pairs = [
        (sigmoid, torch.sigmoid),
        (tanh, torch.tanh),
        (RELU, torch.relu),
        (LRELU, lambda x: torch.nn.functional.leaky_relu(x, 0.01)),
        (softmax, lambda x: torch.softmax(x, dim=-1)),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours(z), theirs(tz).numpy(), rtol=1e-12, atol=1e-14)
