"""Checkpoints, resume after SIGKILL, and determinism within and across processes."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import cnnlab
from cnnlab.io.archive import read_file

SCRIPT = textwrap.dedent(
    """
    import sys
    from cnnlab import CNN, RELU, Adam, softmax
    from cnnlab.datasets import load_digits, onehot

    mode, folder, out, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    X, y = load_digits()
    cnn = CNN(scheduler=Adam(eta=2e-3), seed=7)
    cnn.add_Convolution2DLayer(1, 8, 3, 3, act_func=RELU)
    cnn.add_PoolingLayer(2, 2)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(32, RELU)
    cnn.add_Dropout(0.3)
    cnn.add_OutputLayer(10, softmax)
    options = {} if mode == "plain" else {"checkpoint": folder, "resume": mode == "resume"}
    cnn.fit(X, onehot(y), epochs=epochs, batch_size=8, verbose=False, eta_decay=0.9, **options)
    cnn.save(out)
    """
)


def run_script(tmp_path, mode, name, epochs, wait=True):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    command = [
        sys.executable,
        str(script),
        mode,
        str(tmp_path / "ckpt"),
        str(tmp_path / name),
        str(epochs),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if wait:
        _, error = process.communicate(timeout=300)
        assert process.returncode == 0, error.decode()
    return process


def weights(path):
    model = cnnlab.load(path)
    return [value for layer in model.layers for value in layer.params.values()]


def test_sigkill_then_resume_ends_with_the_same_weights(tmp_path):
    epochs = 12
    run_script(tmp_path, "plain", "plain.npz", epochs)
    victim = run_script(tmp_path, "checkpoint", "never.npz", epochs, wait=False)
    checkpoint = tmp_path / "ckpt" / "checkpoint.npz"
    deadline = time.monotonic() + 120
    completed = 0
    while completed < 2 and time.monotonic() < deadline and victim.poll() is None:
        if checkpoint.exists():
            completed = read_file(checkpoint)[0]["training"]["completed"]
        time.sleep(0.01)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL
    completed = read_file(checkpoint)[0]["training"]["completed"]
    assert 2 <= completed < epochs, "the run must be killed part-way"
    assert not (tmp_path / "never.npz").exists()
    run_script(tmp_path, "resume", "resumed.npz", epochs)
    for plain, resumed in zip(
        weights(tmp_path / "plain.npz"), weights(tmp_path / "resumed.npz"), strict=True
    ):
        np.testing.assert_array_equal(plain, resumed)


def test_same_seed_same_weights_across_processes_and_in_process(tmp_path):
    run_script(tmp_path, "plain", "first.npz", 2)
    run_script(tmp_path, "plain", "second.npz", 2)
    namespace = {}
    sys_argv = sys.argv
    try:
        sys.argv = ["train.py", "plain", str(tmp_path / "x"), str(tmp_path / "third.npz"), "2"]
        exec(compile(SCRIPT, "train.py", "exec"), namespace)
    finally:
        sys.argv = sys_argv
    first, second, third = (weights(tmp_path / f"{n}.npz") for n in ("first", "second", "third"))
    for a, b, c in zip(first, second, third, strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)


def test_resume_without_checkpoint_folder_and_with_another_network(tmp_path):
    from cnnlab import CNN, softmax
    from cnnlab.datasets import load_digits, onehot

    X, y = load_digits()
    t = onehot(y)
    cnn = CNN(seed=0)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(10, softmax)
    with pytest.raises(ValueError, match="resume=True needs checkpoint=FOLDER"):
        cnn.fit(X, t, epochs=1, resume=True, verbose=False)
    cnn.fit(X, t, epochs=1, checkpoint=tmp_path, verbose=False)
    other = CNN(seed=0)
    other.add_FlattenLayer()
    other.add_FullyConnectedLayer(5)
    other.add_OutputLayer(10, softmax)
    with pytest.raises(ValueError, match="was written by a different network"):
        other.fit(X, t, epochs=2, checkpoint=tmp_path, resume=True, verbose=False)
    with pytest.raises(ValueError, match="checkpoint_every must be >= 1, got 0"):
        cnn.fit(X, t, epochs=1, checkpoint=tmp_path, checkpoint_every=0, verbose=False)


def test_checkpoint_every_and_finished_runs(tmp_path):
    from cnnlab import CNN, softmax
    from cnnlab.datasets import load_digits, onehot

    X, y = load_digits()
    t = onehot(y)

    def network():
        cnn = CNN(seed=0)
        cnn.add_FlattenLayer()
        cnn.add_OutputLayer(10, softmax)
        return cnn

    network().fit(X, t, epochs=5, checkpoint=tmp_path, checkpoint_every=2, verbose=False)
    description, _ = read_file(tmp_path / "checkpoint.npz")
    assert description["training"]["completed"] == 5  # the last epoch is always saved
    scores = network().fit(X, t, epochs=5, checkpoint=tmp_path, resume=True, verbose=False)
    assert len(scores["train_error"]) == 5 and np.isfinite(scores["train_error"]).all()


def _digits_network(seed=0):
    from cnnlab import CNN, softmax

    cnn = CNN(seed=seed)
    cnn.add_FlattenLayer()
    cnn.add_OutputLayer(10, softmax)
    return cnn


def test_an_existing_checkpoint_is_never_replaced_unasked(tmp_path):
    from cnnlab.datasets import load_digits, onehot

    X, y = load_digits()
    t = onehot(y)
    _digits_network().fit(X, t, epochs=3, checkpoint=tmp_path, verbose=False)
    before = (tmp_path / "checkpoint.npz").read_bytes()
    with pytest.raises(ValueError, match=r"holds a training checkpoint \(3 epochs done\); pass "
                       r"resume=True .* or overwrite=True"):  # fmt: skip
        _digits_network().fit(X, t, epochs=1, checkpoint=tmp_path, verbose=False)
    assert (tmp_path / "checkpoint.npz").read_bytes() == before
    _digits_network().fit(X, t, epochs=1, checkpoint=tmp_path, verbose=False, overwrite=True)
    description, _ = read_file(tmp_path / "checkpoint.npz")
    assert description["training"]["completed"] == 1


def test_a_resume_with_other_data_or_settings_says_what_differs(tmp_path):
    from cnnlab.datasets import load_digits, onehot

    X, y = load_digits()
    t = onehot(y)
    _digits_network().fit(X, t, epochs=2, lam=1e-4, checkpoint=tmp_path, verbose=False)
    with pytest.raises(
        ValueError, match=r"other data or settings \(lam=0.0001 there, 0.001 here\)"
    ):
        _digits_network().fit(X, t, epochs=3, lam=1e-3, checkpoint=tmp_path, resume=True,
                              verbose=False)  # fmt: skip
    with pytest.raises(ValueError, match=r"data='[0-9a-f]{16}' there, '[0-9a-f]{16}' here"):
        _digits_network().fit(X[::-1], t[::-1], epochs=3, lam=1e-4, checkpoint=tmp_path,
                              resume=True, verbose=False)  # fmt: skip
    history = _digits_network().fit(X, t, epochs=3, lam=1e-4, checkpoint=tmp_path, resume=True,
                                    verbose=False)  # fmt: skip
    assert len(history["train_error"]) == 3


def test_a_checkpoint_missing_a_key_is_a_clear_error(tmp_path):
    import json

    from cnnlab.datasets import load_digits, onehot

    X, y = load_digits()
    t = onehot(y)
    _digits_network().fit(X, t, epochs=1, checkpoint=tmp_path, verbose=False)
    path = tmp_path / "checkpoint.npz"
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    description = json.loads(arrays["cnnlab.json"].tobytes())
    del description["training"]["completed"]
    arrays["cnnlab.json"] = np.frombuffer(json.dumps(description).encode(), np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="checkpoint.npz is malformed: KeyError 'completed'"):
        _digits_network().fit(X, t, epochs=2, checkpoint=tmp_path, resume=True, verbose=False)
