import numpy as np
import pytest
from export_networks import NETWORKS, built

from cnnlab.export import from_torch, to_torch
from cnnlab.layers.registry import LAYERS

torch = pytest.importorskip("torch")
TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}


def test_the_networks_use_every_layer_kind():
    used = {type(layer).__name__ for name in NETWORKS for layer in built(name)[0].layers}
    assert used == set(LAYERS)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_to_torch_and_back_give_the_same_outputs(name, dtype):
    cnn, X = built(name, dtype)
    expected = cnn.predict_proba(X)
    module = to_torch(cnn).eval()
    with torch.no_grad():
        output = module(torch.from_numpy(X)).numpy()
    assert output.dtype == dtype
    np.testing.assert_allclose(output, expected, rtol=0, atol=TOLERANCE[dtype])
    back = from_torch(module, cnn.input_shape)
    assert [type(layer) for layer in back.layers] == [type(layer) for layer in cnn.layers]
    np.testing.assert_allclose(back.predict_proba(X), expected, rtol=0, atol=TOLERANCE[dtype])


def test_a_pytorch_model_comes_into_cnnlab_and_predicts_the_same():
    nn = torch.nn
    torch.manual_seed(0)
    module = nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 8, 3, padding="same", padding_mode="circular"), nn.LeakyReLU(0.01),
        nn.AvgPool2d(2), nn.Flatten(), nn.Linear(8 * 3 * 3, 16), nn.Tanh(), nn.Dropout(0.5),
        nn.Linear(16, 4), nn.Softmax(dim=1),
    ).double()  # fmt: skip
    module.train()
    with torch.no_grad():  # a few batches give BatchNorm running statistics of its own
        for _ in range(3):
            module(torch.randn(8, 1, 12, 12, dtype=torch.float64))
    module.eval()
    X = np.random.default_rng(0).standard_normal((5, 1, 12, 12))
    with torch.no_grad():
        expected = module(torch.from_numpy(X)).numpy()
    cnn = from_torch(module, (1, 12, 12))
    assert cnn.pred_format == "Multi-class" and cnn.cost_func.__name__ == "CostCrossEntropy"
    np.testing.assert_allclose(cnn.predict_proba(X), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "module, message",
    [
        (lambda nn: nn.Sequential(nn.Conv2d(1, 2, 3), nn.GELU()), "from_torch does not support GELU"),
        (lambda nn: nn.Sequential(nn.Linear(3, 2), nn.LeakyReLU(0.2)), r"LeakyReLU\(negative_slope=0.2\) has no cnnlab twin"),
        (lambda nn: nn.Sequential(nn.Conv2d(2, 2, 3, groups=2)), "grouped convolutions"),
        (lambda nn: nn.Sequential(nn.ZeroPad2d(1), nn.ReLU()), "ZeroPad2d must be followed by a convolution"),
    ],
)  # fmt: skip
def test_unsupported_modules_are_named(module, message):
    with pytest.raises(ValueError, match=message):
        from_torch(module(torch.nn), (2, 6, 6))


def test_to_torch_needs_a_built_model():
    cnn, _ = NETWORKS["images"](np.float64)
    with pytest.raises(ValueError, match="to_torch needs a built model"):
        to_torch(cnn)


def test_cnnlab_export_writes_torchscript_that_predicts_the_same(tmp_path, capsys):
    from cnnlab.cli import main

    cnn, X = built("images")
    path = cnn.save(tmp_path / "model.npz")
    assert main(["export", str(path), "--to", "torch"]) == 0
    scripted = torch.jit.load(str(tmp_path / "model.pt"))
    with torch.no_grad():
        output = scripted(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(output, cnn.predict_proba(X), rtol=0, atol=1e-12)
    assert main(["export", str(path), "--to", "torch"]) == 2  # no silent overwrite
    assert "exists; pass --overwrite" in capsys.readouterr().err
