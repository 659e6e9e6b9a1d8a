import numpy as np
import pytest
from gradcheck import numerical_gradient, relative_error
from networks import small_notes_network, untraditional_notes_network

import cnnlab
from cnnlab import (
    CNN,
    LRELU,
    RELU,
    Adam,
    Constant,
    CostCrossEntropy,
    CostLogReg,
    CostOLS,
    identity,
    sigmoid,
    softmax,
    tanh,
)
from cnnlab.datasets import load_digits, onehot
from cnnlab.training.step import update


@pytest.fixture(scope="module")
def digits28():
    X, y = load_digits(pad_to=28)
    return X[:300], onehot(y[:300])


def test_small_notes_network_trains_one_epoch_and_summarises(digits28, capsys):
    X, t = digits28
    cnn = small_notes_network()
    cnn.build(X.shape[1:])
    first_kernel = cnn.layers[0].params["W"].copy()
    scores = cnn.fit(X, t, epochs=1, lam=1e-5, batches=10, verbose=False)
    assert set(scores) == {"train_error", "train_acc", "val_error", "val_acc"}
    assert scores["train_error"].shape == (1,) and np.isfinite(scores["train_error"][0])
    assert not np.allclose(cnn.layers[0].params["W"], first_kernel), "the first layer must train"
    assert cnn.summary() is None  # printed once, not also returned (a notebook shows both)
    text = capsys.readouterr().out
    assert text == cnn.summary(show=False) + "\n"
    assert "(1, 28, 28)" in text and "(784,)" in text and "(30,)" in text and "(10,)" in text
    # conv 10 + dense 784*30+30 + 30*20+20 + 20*10+10
    assert f"Total parameters: {10 + 23550 + 620 + 210:,}" in text
    assert repr(cnn).startswith("<CNN: 5 layers, 24,390 parameters, built for (1, 28, 28);")
    html = cnn._repr_html_()
    assert html.count("<tr>") == 7 and "<td>(784,)</td>" in html


def test_untraditional_notes_network_trains_one_epoch(digits28):
    X, t = digits28
    cnn = untraditional_notes_network()
    scores = cnn.fit(X, t, epochs=1, batches=10, verbose=False)
    assert np.isfinite(scores["train_error"][0])
    shapes = [layer.output_shape for layer in cnn.layers]
    assert shapes == [
        (7, 28, 28), (7, 14, 14), (7, 7, 7), (1, 4, 3), (1, 4, 3), (1, 2, 1), (2,),
        (100,), (101,), (101,), (10,),
    ]  # fmt: skip
    text = cnn.summary(show=False)
    assert "(1, 4, 3)" in text and "(2,)" in text


def test_whole_network_gradient_by_central_differences():
    rng = np.random.default_rng(0)
    cnn = CNN(CostCrossEntropy, Adam(1e-3), seed=1, dtype=np.float64)
    cnn.add_Convolution2DLayer(2, 3, 3, 2, v_stride=2, act_func=tanh)
    cnn.add_PoolingLayer(2, 2, 1, 1, "max")
    cnn.add_Convolution2DLayer(3, 2, 2, 2, pad="valid", act_func=LRELU)
    cnn.add_PoolingLayer(2, 1, pooling="average")
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(5, sigmoid)
    cnn.add_OutputLayer(3, softmax)
    X = rng.standard_normal((4, 2, 9, 8))
    t = onehot([0, 2, 1, 2], 3)
    cnn.build(X.shape[1:])
    cnn.backward(cnn.forward(X), t)
    for layer in cnn.layers:
        for key, value in layer.params.items():
            numeric = numerical_gradient(lambda: cnn.cost_func.value(cnn.forward(X), t), value)
            assert relative_error(layer.grads[key], numeric) < 1e-6, (layer, key)


@pytest.mark.parametrize(
    "cost, output, nodes", [(CostLogReg, sigmoid, 2), (CostOLS, identity, 2), (CostOLS, softmax, 3)]
)
def test_output_gradients_for_other_costs(cost, output, nodes):
    rng = np.random.default_rng(1)
    cnn = CNN(cost, Constant(0.1), seed=0, dtype=np.float64)
    cnn.add_FullyConnectedLayer(4, tanh)
    cnn.add_OutputLayer(nodes, output)
    X = rng.standard_normal((5, 3))
    t = onehot(rng.integers(0, nodes, 5), nodes)
    cnn.build((3,))
    cnn.backward(cnn.forward(X), t)
    for layer in cnn.layers:
        numeric = numerical_gradient(lambda: cost.value(cnn.forward(X), t), layer.params["W"])
        assert relative_error(layer.grads["W"], numeric) < 1e-6


def test_l2_applies_to_weights_not_biases():
    cnn = CNN(CostOLS, Constant(0.5), seed=0, dtype=np.float64)
    cnn.add_OutputLayer(2, identity)
    cnn.build((3,))
    layer = cnn.layers[0]
    layer.params["b"][:] = [1.0, -1.0]
    before = {key: value.copy() for key, value in layer.params.items()}
    layer.grads = {key: np.zeros_like(value) for key, value in layer.params.items()}
    update(cnn, lam=0.1)
    np.testing.assert_allclose(layer.params["W"], before["W"] * (1 - 0.5 * 0.1))
    np.testing.assert_array_equal(layer.params["b"], before["b"])


def test_accuracy_counts_samples_not_onehot_entries():
    cnn = CNN(CostCrossEntropy, Adam(1e-3), seed=0)
    cnn.add_OutputLayer(10, softmax)
    cnn.build((4,))
    cnn.layers[0].params["W"][:] = 0
    cnn.layers[0].params["b"][:] = np.arange(10.0)  # always predicts class 9
    X = np.zeros((5, 4))
    result = cnn.evaluate(X, onehot([0, 1, 2, 3, 4], 10))
    assert result["acc"] == 0.0  # the notes' metric would say 0.8
    assert cnn.evaluate(X, onehot([9, 9, 9, 9, 0], 10))["acc"] == pytest.approx(0.8)


def test_predict_formats(digits28):
    X, t = digits28
    cnn = small_notes_network()
    cnn.fit(X[:50], t[:50], epochs=1, verbose=False)
    prediction = cnn.predict(X[:7])
    assert prediction.shape == (7, 10)
    np.testing.assert_array_equal(prediction.sum(axis=1), 1)
    np.testing.assert_array_equal(
        prediction.argmax(axis=1), cnn.predict_proba(X[:7]).argmax(axis=1)
    )
    np.testing.assert_allclose(cnn.predict_proba(X[:7]).sum(axis=1), 1, rtol=1e-5)

    binary = CNN(CostLogReg, Adam(1e-2), seed=0)
    binary.add_FullyConnectedLayer(8, RELU)
    binary.add_OutputLayer(1, sigmoid)
    features = np.random.default_rng(0).standard_normal((200, 2))
    labels = (features[:, 0] + features[:, 1] > 0).astype(float)
    scores = binary.fit(features, labels, epochs=30, batch_size=20, verbose=False)
    assert scores["train_acc"][-1] > 0.9
    assert set(np.unique(binary.predict(features))) <= {0, 1}
    assert binary.predict(features, threshold=1.0).sum() == 0


def test_regression_scores_r2_and_mae_and_learns():
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (200, 1))
    y = 3 * X - 1
    cnn = CNN(CostOLS, Adam(3e-2), seed=0)
    cnn.add_OutputLayer(1, identity)
    scores = cnn.fit(X, y, epochs=60, batch_size=20, verbose=False, X_val=X[:50], t_val=y[:50])
    assert set(scores) == {"train_error", "train_r2", "train_mae", "val_error", "val_r2", "val_mae"}
    assert scores["train_error"][-1] < 1e-3
    assert scores["train_r2"][0] < 0.9 < 0.999 < scores["val_r2"][-1]
    assert scores["val_mae"][-1] < 0.03
    np.testing.assert_allclose(cnn.predict(np.array([[0.5]])), [[0.5]], atol=0.05)


def test_validation_scores_and_digits_learning():
    X, y = load_digits()
    t = onehot(y)
    cnn = CNN(CostCrossEntropy, Adam(3e-3), seed=0)
    cnn.add_Convolution2DLayer(1, 8, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(10, softmax)
    scores = cnn.fit(
        X[:1200], t[:1200], epochs=12, batch_size=32, X_val=X[1200:], t_val=t[1200:], verbose=False
    )
    assert scores["val_acc"].shape == (12,)
    assert scores["val_acc"][-1] > 0.9
    assert scores["train_error"][-1] < scores["train_error"][0]
    assert cnn.evaluate(X[1200:], t[1200:])["acc"] == pytest.approx(scores["val_acc"][-1])


def test_same_seed_gives_identical_scores_and_weights(digits28):
    X, t = digits28
    runs = []
    for _ in range(2):
        cnn = small_notes_network(seed=11)
        scores = cnn.fit(X[:100], t[:100], epochs=2, batch_size=16, verbose=False)
        runs.append((scores, [layer.params.get("W") for layer in cnn.layers]))
    for key in runs[0][0]:
        np.testing.assert_array_equal(runs[0][0][key], runs[1][0][key])
    for first, second in zip(runs[0][1], runs[1][1], strict=True):
        if first is not None:
            np.testing.assert_array_equal(first, second)
    different = small_notes_network(seed=12)
    different.build((1, 28, 28))
    assert not np.array_equal(different.layers[2].params["W"], runs[0][1][2])


def test_fit_continues_training_without_reinitialising(digits28):
    X, t = digits28
    cnn = small_notes_network()
    first = cnn.fit(X, t, epochs=2, batch_size=32, verbose=False)
    second = cnn.fit(X, t, epochs=1, batch_size=32, verbose=False)
    assert second["train_error"][0] < first["train_error"][0]


def test_ctrl_c_returns_scores_so_far(digits28):
    X, t = digits28
    cnn = small_notes_network()
    calls = {"n": 0}

    def interrupt_in_third_epoch(X_batch, rng):  # called once per batch, in the main thread
        calls["n"] += 1
        if calls["n"] == 2 * 5 + 1:
            raise KeyboardInterrupt
        return X_batch

    with pytest.warns(UserWarning, match="interrupted after 2 of 10 epochs"):
        scores = cnn.fit(
            X, t, epochs=10, batches=5, verbose=False, augment=interrupt_in_third_epoch
        )
    assert scores["train_error"].shape == (2,)


def test_divergence_stops_with_a_clear_message():
    cnn = CNN(CostOLS, Constant(1e3), seed=0)
    cnn.add_FullyConnectedLayer(16, identity)
    cnn.add_OutputLayer(1, identity)
    X = np.random.default_rng(0).standard_normal((64, 4)) * 100
    with pytest.raises(
        FloatingPointError, match=r"diverged in epoch \d+.*smaller eta .* than 1000"
    ):
        with np.errstate(all="ignore"):
            cnn.fit(X, X[:, :1], epochs=50, batches=4, verbose=False)


def test_dtype_follows_the_data():
    for data_dtype, expected in [
        (np.float64, np.float64),
        (np.float32, np.float32),
        (np.int64, np.float32),
    ]:
        cnn = CNN(CostOLS, Adam(1e-3), seed=0)
        cnn.add_OutputLayer(1, identity)
        cnn.fit(np.ones((4, 2), dtype=data_dtype), np.ones(4), epochs=1, verbose=False)
        assert cnn.layers[0].params["W"].dtype == expected
        assert cnn.predict(np.ones((1, 2))).dtype == expected


def test_eta_decay_shrinks_every_learning_rate_once_per_epoch(digits28):
    X, t = digits28
    cnn = small_notes_network()
    cnn.fit(X[:64], t[:64], epochs=3, batch_size=32, verbose=False, eta_decay=0.5)
    rates = [optimizer.eta for optimizer in cnn.optimizers.values()]
    assert len(rates) == 8
    np.testing.assert_allclose(rates, 1e-3 * 0.5**3, rtol=1e-12)
    assert cnn.scheduler.eta == 1e-3
    with pytest.raises(ValueError, match=r"eta_decay must be in \(0, 1\], got 1.5"):
        cnn.fit(X[:64], t[:64], epochs=1, verbose=False, eta_decay=1.5)


def test_a_one_dimensional_network_learns_signals_and_round_trips(tmp_path):
    # two classes of noisy signals: a slow and a fast sine
    rng = np.random.default_rng(0)
    time = np.arange(32)
    labels = rng.integers(0, 2, 120)
    frequency = np.where(labels == 0, 0.05, 0.25)[:, None]
    X = np.sin(2 * np.pi * frequency * time + rng.uniform(0, 6, (120, 1)))[:, None]
    X += 0.3 * rng.standard_normal(X.shape)
    cnn = CNN(CostCrossEntropy, Adam(1e-2), seed=0)
    cnn.add_Convolution1DLayer(1, 6, 5, act_func=RELU, padding_mode="circular")
    cnn.add_Pooling1DLayer(2)
    cnn.add_Convolution1DLayer(6, 6, 3, act_func=RELU, dilation=2)
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_OutputLayer(2, softmax)
    scores = cnn.fit(X[:90], onehot(labels[:90], 2), epochs=30, batch_size=16, verbose=False)
    assert scores["train_acc"][-1] > 0.9
    assert cnn.evaluate(X[90:], onehot(labels[90:], 2))["acc"] > 0.85
    loaded = cnnlab.load(cnn.save(tmp_path / "signals.npz"))
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))
    assert "Conv1D 6x3 s1 d2" in cnn.summary(show=False)


def test_layer_order_knows_signals_from_images():
    cnn = CNN()
    cnn.add_Convolution1DLayer(1, 2, 3)
    with pytest.raises(
        ValueError,
        match=r"needs images \(channels, height, width\), but the layers before it give signals",
    ):
        cnn.add_PoolingLayer(2, 2)
    cnn.add_GlobalAveragePoolingLayer()
    cnn.add_FullyConnectedLayer(4)  # flat after the global pooling: fine
    with pytest.raises(ValueError, match="X must have 3 dimensions"):
        cnn.add_OutputLayer(2, softmax)
        cnn.fit(np.ones((4, 1, 2, 8)), onehot([0, 1, 0, 1], 2), epochs=1, verbose=False)
