import numpy as np
import pytest
from gradcheck import check_layer_gradients

from cnnlab.layers import Dropout, FlattenLayer


def test_flatten_round_trip_and_gradient(built):
    layer = built(FlattenLayer(), (2, 3, 4))
    X = np.random.default_rng(0).standard_normal((5, 2, 3, 4))
    np.testing.assert_array_equal(layer.forward(X), X.reshape(5, 24))
    assert layer.output_shape == (24,)
    check_layer_gradients(layer, X)


def test_dropout_mask_rate_scaling_and_backward(built):
    layer = built(Dropout(0.3), (1000,))
    X = np.ones((20, 1000))
    output = layer.forward(X, training=True)
    dropped = np.mean(output == 0)
    assert dropped == pytest.approx(0.3, abs=0.01)
    np.testing.assert_allclose(output[output != 0], 1 / 0.7)
    assert output.mean() == pytest.approx(1.0, abs=0.02)
    delta = np.random.default_rng(1).standard_normal(X.shape)
    np.testing.assert_array_equal(layer.backward(delta), delta * layer.mask)
    np.testing.assert_array_equal(layer.backward(delta) == 0, output == 0)


def test_dropout_is_identity_outside_training_and_gradient_checks(built):
    layer = built(Dropout(0.5), (3, 4))
    X = np.random.default_rng(2).standard_normal((2, 3, 4))
    np.testing.assert_array_equal(layer.forward(X), X)
    check_layer_gradients(layer, X)


def test_dropout_masks_differ_between_steps_and_follow_the_seed(built):
    first = built(Dropout(0.5), (50,), seed=7)
    second = built(Dropout(0.5), (50,), seed=7)
    X = np.ones((4, 50))
    a, b = first.forward(X, training=True), first.forward(X, training=True)
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, second.forward(X, training=True))


@pytest.mark.parametrize("rate, error", [(1.0, ValueError), (-0.1, ValueError), ("0.5", TypeError)])
def test_dropout_bad_rate(rate, error):
    with pytest.raises(error, match="rate must"):
        Dropout(rate)
