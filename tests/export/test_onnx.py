import numpy as np
import pytest
from export_networks import NETWORKS, built

from cnnlab import zoo
from cnnlab.export import to_onnx

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")


def run(path, X):
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": X.astype(np.float32)})[0]


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_every_layer_kind_survives_onnx(tmp_path, name):
    cnn, X = built(name, np.float32)
    path = to_onnx(cnn, tmp_path / f"{name}.onnx")
    onnx.checker.check_model(onnx.load(path), full_check=True)
    np.testing.assert_allclose(run(path, X), cnn.predict_proba(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("make", [zoo.pytorch_mnist, zoo.lenet], ids=["pytorch_mnist", "lenet"])
def test_the_notes_models_survive_onnx(tmp_path, make):
    cnn = make(seed=0)
    X = np.random.default_rng(0).random((4, 1, 28, 28), dtype=np.float32)
    cnn.build((1, 28, 28), np.float32)
    path = to_onnx(cnn, tmp_path / "model.onnx")
    output = run(path, X)
    assert output.shape == (4, 10)
    np.testing.assert_allclose(output, cnn.predict_proba(X), rtol=0, atol=1e-5)
    # any batch size
    assert run(path, X[:1]).shape == (1, 10)


def test_to_onnx_needs_a_built_cnn(tmp_path):
    with pytest.raises(TypeError, match="to_onnx takes a cnnlab CNN"):
        to_onnx("model.npz", tmp_path / "x.onnx")


def test_cnnlab_export_writes_onnx(tmp_path):
    from cnnlab.cli import main

    cnn, X = built("signals", np.float32)
    path = cnn.save(tmp_path / "model.npz")
    assert main(["export", str(path), "--to", "onnx", "-o", str(tmp_path / "out.onnx")]) == 0
    np.testing.assert_allclose(run(tmp_path / "out.onnx", X), cnn.predict_proba(X), atol=1e-5)
