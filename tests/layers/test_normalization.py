import numpy as np
import pytest
from gradcheck import check_layer_gradients
from threadpoolctl import threadpool_limits

import cnnlab
from cnnlab import CNN, RELU, Constant, CostCrossEntropy, softmax
from cnnlab.layers import BatchNormalization
from cnnlab.training.step import Step
from cnnlab.training.threads import MIN_SHARD, ThreadedStep

SHAPES = [(5,), (3, 7), (2, 4, 3)]  # flat (BatchNorm1d), signals (BatchNorm1d), images (2d)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_gradients_by_central_differences(built, shape, training):
    layer = built(BatchNormalization(), shape)
    rng = np.random.default_rng(0)
    layer.params["gamma"][:] = rng.uniform(0.5, 2, shape[0])
    layer.params["beta"][:] = rng.standard_normal(shape[0])
    layer.buffers["running_mean"][:] = rng.standard_normal(shape[0])
    layer.buffers["running_var"][:] = rng.uniform(0.5, 2, shape[0])
    X = 2 + 3 * rng.standard_normal((4, *shape))
    errors = check_layer_gradients(layer, X, training=training)
    assert max(errors.values()) < 1e-6


@pytest.mark.parametrize("shape", SHAPES)
def test_three_training_steps_then_evaluation_match_pytorch(torch, built, shape):
    momentum, epsilon, eta = 0.3, 1e-3, 0.1
    layer = built(BatchNormalization(momentum, epsilon), shape)
    twin_class = torch.nn.BatchNorm2d if len(shape) == 3 else torch.nn.BatchNorm1d
    twin = twin_class(shape[0], momentum=momentum, eps=epsilon).double()
    rng = np.random.default_rng(1)
    for _ in range(3):
        X = 1 + 2 * rng.standard_normal((6, *shape))
        delta = rng.standard_normal(X.shape)
        twin.train()
        tX = torch.tensor(X, requires_grad=True)
        expected = twin(tX)
        expected.backward(torch.tensor(delta))
        np.testing.assert_allclose(layer.forward(X, training=True), expected.detach(), atol=1e-10)
        np.testing.assert_allclose(layer.backward(delta), tX.grad, rtol=0, atol=1e-10)
        for key, parameter in (("gamma", twin.weight), ("beta", twin.bias)):
            np.testing.assert_allclose(layer.grads[key], parameter.grad, rtol=0, atol=1e-10)
            with torch.no_grad():  # one SGD step on both
                parameter -= eta * parameter.grad
            parameter.grad = None
            layer.params[key] -= eta * layer.grads[key]
        for key in ("running_mean", "running_var"):
            np.testing.assert_allclose(layer.buffers[key], getattr(twin, key), rtol=0, atol=1e-12)
    twin.eval()
    before = layer.buffers["running_mean"].copy()
    X = rng.standard_normal((3, *shape))
    with torch.no_grad():
        expected = twin(torch.tensor(X)).numpy()
    np.testing.assert_allclose(layer.forward(X), expected, rtol=0, atol=1e-10)
    # evaluation leaves the running statistics alone
    np.testing.assert_array_equal(layer.buffers["running_mean"], before)


def network(seed=0):
    cnn = CNN(CostCrossEntropy, Constant(0.05), seed=seed)
    cnn.add_Convolution2DLayer(1, 3, 3, 3, act_func=RELU)
    cnn.add_BatchNormalization(momentum=0.2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(8, RELU)
    cnn.add_BatchNormalization()
    cnn.add_OutputLayer(3, softmax)
    return cnn


def test_threads_combine_the_statistics_of_the_whole_batch():
    """Each thread adds its shard's sums (mean, variance, dgamma, dbeta) to the others'."""
    rng = np.random.default_rng(2)
    samples = 3 * MIN_SHARD + 5  # three unequal shards
    X = rng.standard_normal((samples, 1, 6, 6))
    t = np.eye(3)[rng.integers(0, 3, samples)]
    one, many = network(), network()
    for cnn in (one, many):
        cnn.build(X.shape[1:], dtype=np.float64)
    with threadpool_limits(1), Step(one) as step:
        serial = [step(X, t, 0.0) for _ in range(3)]
    with ThreadedStep(many, 3) as step:
        threaded = [step(X, t, 0.0) for _ in range(3)]
    for (loss, statistics), (serial_loss, serial_statistics) in zip(threaded, serial, strict=True):
        np.testing.assert_allclose(loss, serial_loss, rtol=1e-12)
        assert statistics == serial_statistics
    for a, b in zip(one.layers, many.layers, strict=True):
        for key, value in {**a.params, **a.buffers}.items():
            other = {**b.params, **b.buffers}[key]
            np.testing.assert_allclose(other, value, rtol=0, atol=1e-12, err_msg=key)
    # without the reduction each shard would normalise by its own statistics: not equal
    assert not np.allclose(many.layers[1].buffers["running_mean"], 0)
    assert many.layers[1]._reduction is None  # the model's layers go on alone afterwards


def test_a_network_with_batch_normalization_trains_saves_and_loads(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 1, 6, 6))
    labels = (X[:, 0, :3].mean(axis=(1, 2)) > 0).astype(int)
    cnn = network()
    scores = cnn.fit(X, np.eye(3)[labels], epochs=15, batch_size=20, verbose=False)
    assert scores["train_acc"][-1] > 0.9
    loaded = cnnlab.load(cnn.save(tmp_path / "bn.npz"))
    np.testing.assert_array_equal(loaded.layers[1].buffers["running_var"],
                                  cnn.layers[1].buffers["running_var"])  # fmt: skip
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))


def test_errors(built):
    layer = built(BatchNormalization(), (2, 3, 3))
    layer.forward(np.ones((1, 2, 3, 3)), training=True)  # 9 values per channel: fine
    flat = built(BatchNormalization(), (4,))
    with pytest.raises(ValueError, match=r"more than one value per channel in training.*\(1, 4\)"):
        flat.forward(np.ones((1, 4)), training=True)
    with pytest.raises(ValueError, match="momentum must be in"):
        BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        BatchNormalization(epsilon=0)
