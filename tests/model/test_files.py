import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from networks import every_layer_network, image_network

import cnnlab
from cnnlab import (
    CNN,
    CostLogReg,
    CostOLS,
    identity,
    sigmoid,
)
from cnnlab.io.members import NpzMembers
from cnnlab.layers import Dropout
from cnnlab.nn.schedulers import SCHEDULERS, make_scheduler

RNG = np.random.default_rng(0)
X = RNG.random((40, 2, 9, 8))
T = np.eye(3)[RNG.integers(0, 3, 40)]


@pytest.mark.parametrize("scheduler", sorted(SCHEDULERS))
def test_round_trip_every_layer_and_scheduler(tmp_path, scheduler):
    cnn = every_layer_network(scheduler)
    cnn.fit(X, T, epochs=2, batch_size=8, verbose=False, eta_decay=0.9)
    path = cnn.save(tmp_path / "model")
    assert path.name == "model.npz"
    loaded = cnnlab.load(path)
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in cnn.layers]
    assert [layer.config() for layer in loaded.layers] == [layer.config() for layer in cnn.layers]
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))
    # Going on training gives the same numbers: optimizer state, rates and generators came along.
    first = cnn.fit(X, T, epochs=2, batch_size=8, verbose=False)
    second = loaded.fit(X, T, epochs=2, batch_size=8, verbose=False)
    np.testing.assert_array_equal(first["train_error"], second["train_error"])
    for ours, theirs in zip(cnn.layers, loaded.layers, strict=True):
        for key in ours.params:
            np.testing.assert_array_equal(ours.params[key], theirs.params[key])


@pytest.mark.parametrize(
    "cost, output, target",
    [
        (CostLogReg, sigmoid, np.eye(2)[RNG.integers(0, 2, 40)]),
        (CostOLS, identity, RNG.random((40, 2))),
    ],
)
def test_round_trip_other_costs_and_unbuilt_models(tmp_path, cost, output, target):
    cnn = CNN(cost, make_scheduler("RMS_prop", 1e-3), seed=1)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(2, output)
    unbuilt = cnnlab.load(cnn.save(tmp_path / "unbuilt.npz"))
    assert unbuilt.input_shape is None and unbuilt.cost_func is cost
    cnn.fit(X, target, epochs=1, verbose=False)
    loaded = cnnlab.load(cnn.save(tmp_path / "built.npz"))
    np.testing.assert_array_equal(loaded.predict(X), cnn.predict(X))


def test_file_holds_no_pickle_and_loads_with_allow_pickle_false(tmp_path):
    cnn = every_layer_network()
    cnn.fit(X, T, epochs=1, verbose=False)
    path = cnn.save(tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as archive:
        assert all(archive[name].dtype != object for name in archive.files)
        description = json.loads(archive["cnnlab.json"].tobytes())
    assert description["format"] == "cnnlab-model" and description["version"] == 1


class Payload:
    """Unpickling this writes a marker file: proof that something ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_payload_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    payload = np.array([Payload(str(marker))], dtype=object)
    description = np.frombuffer(
        json.dumps({"format": "cnnlab-model", "version": 1}).encode(), np.uint8
    )
    np.savez(path, **{"cnnlab.json": description, "layer0.W": payload})
    with pytest.raises(ValueError, match="is malformed"):
        cnnlab.load(path)
    with pytest.raises(ValueError, match="layer0.W has dtype object, not a number type"):
        NpzMembers(path).read("layer0.W")  # the member itself is refused before any unpickling
    assert not marker.exists()
    # A raw pickle renamed to .npz is refused too, and nothing runs.
    raw = tmp_path / "raw.npz"
    raw.write_bytes(pickle.dumps(Payload(str(marker))))
    with pytest.raises(ValueError, match="is not a readable .npz file"):
        cnnlab.load(raw)
    assert not marker.exists()


def test_truncated_file(tmp_path):
    cnn = every_layer_network()
    cnn.fit(X, T, epochs=1, verbose=False)
    path = cnn.save(tmp_path / "m.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"m.npz is not a readable .npz file"):
        cnnlab.load(path)


def _rewrite_description(path, change):
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    description = json.loads(arrays["cnnlab.json"].tobytes())
    change(description)
    arrays["cnnlab.json"] = np.frombuffer(json.dumps(description).encode(), np.uint8)
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(version=99), "has format version 99; this cnnlab reads version 1 only"),
        (lambda d: d.update(format="keras"), r"is not a cnnlab model file \(format 'keras'\)"),
        (
            lambda d: d["layers"][0].update({"class": "os.system"}),
            "unknown layer class 'os.system'",
        ),
        (lambda d: d["scheduler"].update({"class": "eval"}), "unknown scheduler 'eval'"),
        (
            lambda d: d["layers"][0]["config"].update(feature_maps=5),
            r"m.npz: the saved layers do not fit together: layer 2",
        ),
        (
            lambda d: d["layers"][7]["config"].update(nodes=7),
            r"layer7.W should have shape \(6, 7\), its header says \(6, 5\)",
        ),
        (lambda d: d.pop("layers"), "is malformed: KeyError 'layers'"),
    ],
)
def test_wrong_version_and_malformed_descriptions(tmp_path, change, message):
    cnn = every_layer_network()
    cnn.fit(X, T, epochs=1, verbose=False)
    path = cnn.save(tmp_path / "m.npz")
    _rewrite_description(path, change)
    with pytest.raises(ValueError, match=message):
        cnnlab.load(path)


def test_other_bad_files(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        cnnlab.load(tmp_path / "missing.npz")
    plain = tmp_path / "plain.npz"
    np.savez(plain, weights=np.ones(3))
    with pytest.raises(ValueError, match="has no cnnlab.json entry"):
        cnnlab.load(plain)
    garbage = tmp_path / "garbage.npz"
    np.savez(garbage, **{"cnnlab.json": np.frombuffer(b"{not json", np.uint8)})
    with pytest.raises(ValueError, match="has a malformed description"):
        cnnlab.load(garbage)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cnnlab.json.npy", b"\x93NUMPY broken")
    (tmp_path / "zip.npz").write_bytes(buffer.getvalue())
    with pytest.raises(ValueError, match="cnnlab.json has no readable .npy header"):
        cnnlab.load(tmp_path / "zip.npz")


def test_dropout_generator_state_is_saved(tmp_path):
    cnn = every_layer_network()
    cnn.fit(X, T, epochs=1, verbose=False)
    loaded = cnnlab.load(cnn.save(tmp_path / "m.npz"))
    dropout = [layer for layer in cnn.layers if isinstance(layer, Dropout)][0]
    twin = [layer for layer in loaded.layers if isinstance(layer, Dropout)][0]
    sample = np.ones((4, 6))
    np.testing.assert_array_equal(dropout.forward(sample, True), twin.forward(sample, True))


def test_round_trip_keeps_the_padding_mode(tmp_path):
    cnn = image_network(input_channels=2, feature_maps=3, pad=1, padding_mode="circular")
    cnn.fit(X, T, epochs=1, verbose=False)
    loaded = cnnlab.load(cnn.save(tmp_path / "circular.npz"))
    assert loaded.layers[0].padding_mode == "circular"
    np.testing.assert_array_equal(loaded.predict_proba(X), cnn.predict_proba(X))
