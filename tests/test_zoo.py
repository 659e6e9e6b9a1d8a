import numpy as np
import pytest

from cnnlab.zoo import MODELS, build_model


@pytest.mark.parametrize(
    "name, input_shape, output_shapes, parameters",
    [
        (
            "lenet",
            (1, 28, 28),
            [(16, 28, 28), (16, 14, 14), (32, 14, 14), (32, 7, 7), (1568,), (128,), (10,)],
            215_370,
        ),
        (
            "pytorch-mnist",
            (1, 28, 28),
            [
                (32, 28, 28),
                (32, 14, 14),
                (64, 14, 14),
                (64, 7, 7),
                (3136,),
                (1024,),
                (1024,),
                (10,),
            ],
            3_241_354,
        ),
        ("keras-digits", (1, 8, 8), [(10, 6, 6), (10, 3, 3), (90,), (50,), (10,)], 5_160),
        (
            "keras-cifar10",
            (3, 32, 32),
            [
                (32, 30, 30),
                (32, 15, 15),
                (64, 13, 13),
                (64, 6, 6),
                (64, 4, 4),
                (1024,),
                (64,),
                (10,),
            ],
            122_570,
        ),
    ],
)
def test_builders_match_the_notes_architectures(name, input_shape, output_shapes, parameters):
    cnn = build_model(name, seed=0)
    cnn.build(input_shape)
    assert [layer.output_shape for layer in cnn.layers] == output_shapes
    assert sum(layer.parameter_count() for layer in cnn.layers) == parameters
    assert f"Total parameters: {parameters:,}" in cnn.summary(show=False)


def test_unknown_model():
    with pytest.raises(ValueError, match=r"model must be one of .*'lenet'.*got 'resnet'"):
        build_model("resnet")
    assert set(MODELS) == {
        "digits-default", "lenet", "pytorch-mnist", "keras-digits", "keras-cifar10", "ising-cnn"
    }  # fmt: skip


def test_lenet_matches_torch_forward_and_gradients(torch):
    rng = np.random.default_rng(0)
    cnn = build_model("lenet", seed=1)
    cnn.build((1, 28, 28), dtype=np.float64)
    twin = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(1568, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10),
    ).double()  # fmt: skip
    pairs = [
        (cnn.layers[0], twin[0]),
        (cnn.layers[2], twin[3]),
        (cnn.layers[5], twin[7]),
        (cnn.layers[6], twin[9]),
    ]
    for ours, theirs in pairs:
        weight = ours.params["W"] if ours.params["W"].ndim == 4 else ours.params["W"].T
        theirs.weight.data = torch.tensor(weight.copy())
        ours.params["b"][:] = rng.standard_normal(ours.params["b"].shape) * 0.1
        theirs.bias.data = torch.tensor(ours.params["b"].copy())
    X = rng.random((6, 1, 28, 28))
    labels = np.array([0, 3, 9, 1, 1, 7])
    target = np.eye(10)[labels]
    output = cnn.forward(X, training=True)
    cnn.backward(output, target)
    logits = twin(torch.tensor(X))
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    np.testing.assert_allclose(output, torch.softmax(logits, 1).detach().numpy(), atol=1e-12)
    assert cnn.cost_func.value(output, target) == pytest.approx(loss.item(), rel=1e-12)
    for ours, theirs in pairs:
        gradient = theirs.weight.grad.numpy()
        expected = gradient if ours.params["W"].ndim == 4 else gradient.T
        np.testing.assert_allclose(ours.grads["W"], expected, atol=1e-12)
        np.testing.assert_allclose(ours.grads["b"], theirs.bias.grad.numpy(), atol=1e-12)
