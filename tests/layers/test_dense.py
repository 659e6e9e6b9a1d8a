import numpy as np
import pytest
from gradcheck import check_layer_gradients

from cnnlab.layers import FullyConnectedLayer, OutputLayer
from cnnlab.nn.activations import LRELU, identity, sigmoid, softmax, tanh


@pytest.mark.parametrize("activation", [identity, sigmoid, tanh, LRELU, softmax], ids=str)
def test_gradients_by_central_differences(built, activation):
    layer = built(FullyConnectedLayer(4, activation), 6)
    layer.params["b"][:] = np.random.default_rng(1).standard_normal(4)
    check_layer_gradients(layer, np.random.default_rng(2).standard_normal((5, 6)))


def test_output_layer_pred_formats():
    assert OutputLayer(10, softmax).pred_format == "Multi-class"
    assert OutputLayer(1, sigmoid).pred_format == "Binary"
    assert OutputLayer(1, identity).pred_format == "Regression"
    assert OutputLayer(1).output_func is sigmoid  # the notes' default


def test_initialisation_he_for_relu_family_glorot_otherwise(built):
    he = built(FullyConnectedLayer(400, LRELU), 500)
    glorot = built(FullyConnectedLayer(400, sigmoid), 500)
    assert he.params["W"].std() == pytest.approx(np.sqrt(2 / 500), rel=0.05)
    assert np.abs(glorot.params["W"]).max() <= np.sqrt(6 / 900)
    assert glorot.params["W"].std() == pytest.approx(np.sqrt(2 / 900), rel=0.05)
    np.testing.assert_array_equal(he.params["b"], 0)


def test_requires_flat_input():
    with pytest.raises(
        ValueError, match=r"expects flat inputs .* got input shape \(2, 4, 4\); add a FlattenLayer"
    ):
        FullyConnectedLayer(3).build((2, 4, 4), np.random.default_rng(0))


def test_bad_nodes():
    with pytest.raises(ValueError, match="nodes must be >= 1, got 0"):
        FullyConnectedLayer(0)
    with pytest.raises(TypeError, match="nodes must be an integer, got '10'"):
        OutputLayer("10", softmax)


def test_matches_torch_linear(built, torch):
    rng = np.random.default_rng(3)
    layer = built(FullyConnectedLayer(3, identity), 5)
    X = rng.standard_normal((4, 5))
    output = layer.forward(X)
    delta = rng.standard_normal(output.shape)
    dX = layer.backward(delta)
    tX = torch.tensor(X, requires_grad=True)
    tW = torch.tensor(layer.params["W"].T.copy(), requires_grad=True)  # torch keeps (out, in)
    expected = torch.nn.functional.linear(tX, tW, torch.tensor(layer.params["b"]))
    expected.backward(torch.tensor(delta))
    np.testing.assert_allclose(output, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dX, tX.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], tW.grad.numpy().T, atol=1e-12)


def test_few_and_many_samples_give_the_same_products(built):
    # up to FEW_SAMPLES rows the products are written transposed; both forms must agree
    from cnnlab.layers.dense import FEW_SAMPLES

    rng = np.random.default_rng(7)
    layer = built(FullyConnectedLayer(9, tanh), 13)
    X = rng.standard_normal((2 * FEW_SAMPLES + 2, 13))
    delta = rng.standard_normal((len(X), 9))
    whole = layer.forward(X), layer.backward(delta), layer.grads["W"].copy()
    halves = [
        (layer.forward(X[part]), layer.backward(delta[part]), layer.grads["W"].copy())
        for part in (slice(0, FEW_SAMPLES), slice(FEW_SAMPLES, None))
    ]
    np.testing.assert_allclose(np.vstack([h[0] for h in halves]), whole[0], atol=1e-13)
    np.testing.assert_allclose(np.vstack([h[1] for h in halves]), whole[1], atol=1e-13)
    np.testing.assert_allclose(halves[0][2] + halves[1][2], whole[2], atol=1e-12)
