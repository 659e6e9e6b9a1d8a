"""Fault tests of `cnnlab train`: a real Ctrl-C, two runs on one folder, a stale lock.

Nothing finished is ever replaced unasked, an interrupted run exits with 130
and writes nothing over a finished model, and a folder in use is refused.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cnnlab.cli import main

TRAIN = [sys.executable, "-m", "cnnlab", "train"]


def start(output, *options):
    """A `cnnlab train` process, once it has begun its first epoch."""
    process = subprocess.Popen(
        [*TRAIN, "--output", str(output), "--epochs", "200", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    seen = ""
    while "epoch 1/200" not in seen:
        character = process.stderr.read(1)
        assert character, f"the run ended before its first epoch: {seen}"
        seen += character
    return process


def finished_run(output):
    assert main(["train", "--quiet", "--epochs", "2", "--output", str(output)]) == 0
    return (output / "model.npz").read_bytes()


def test_a_second_run_without_resume_or_overwrite_is_refused(tmp_path, capsys):
    model = finished_run(tmp_path)
    capsys.readouterr()
    assert main(["train", "--quiet", "--epochs", "1", "--output", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "model.npz holds the model of a finished run; pass --resume to continue it" in error
    assert "--overwrite" in error
    assert (tmp_path / "model.npz").read_bytes() == model


def test_ctrl_c_in_the_first_epoch_writes_nothing_over_a_finished_model(tmp_path):
    model = finished_run(tmp_path)
    process = start(tmp_path, "--overwrite")
    process.send_signal(signal.SIGINT)
    _, error = process.communicate(timeout=120)
    assert process.returncode == 130, error
    assert "interrupted" in error and "Traceback" not in error
    assert (tmp_path / "model.npz").read_bytes() == model
    assert not (tmp_path / "checkpoint" / "cnnlab.lock").exists()


def test_two_runs_on_one_folder(tmp_path):
    first = start(tmp_path)
    try:
        second = subprocess.run(
            [*TRAIN, "--quiet", "--output", str(tmp_path), "--epochs", "1", "--overwrite"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert second.returncode == 2
        assert f"is in use by process {first.pid}" in second.stderr
        assert second.stderr.count("\n") == 1
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    assert first.returncode == 130


def test_a_stale_lock_is_taken_over_with_a_note(tmp_path, capsys):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    folder = tmp_path / "checkpoint"
    folder.mkdir()
    lock = {"pid": gone.pid, "host": os.uname().nodename, "started": time.time()}
    (folder / "cnnlab.lock").write_text(json.dumps(lock))
    with pytest.warns(UserWarning, match=f"taking over the stale lock of process {gone.pid}"):
        assert main(["train", "--quiet", "--epochs", "1", "--output", str(tmp_path)]) == 0
    assert not (folder / "cnnlab.lock").exists()


@pytest.fixture
def small_filesystem(tmp_path):
    """A mount point for a tmpfs of the test's choosing (needs root; skips otherwise)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = []

    def mount(options):
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", str(point)], check=False)


def test_a_full_filesystem_is_one_line_and_leaves_no_partial_file(small_filesystem, capsys):
    point = small_filesystem("size=48k")
    assert main(["train", "--quiet", "--epochs", "2", "--output", str(point)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("cnnlab train: error: No space left on device")
    assert error.count("\n") == 1
    leftovers = [path.name for path in point.rglob("*") if path.suffix == ".tmp"]
    assert leftovers == []
    assert not (point / "checkpoint" / "cnnlab.lock").exists()


def test_a_read_only_folder_is_one_line(small_filesystem, capsys):
    point = small_filesystem("size=1m,ro")
    assert main(["train", "--quiet", "--epochs", "1", "--output", str(point / "out")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("cnnlab train: error: Read-only file system")
    assert error.count("\n") == 1


def test_two_ctrl_c_in_a_row_show_no_traceback(tmp_path):
    process = start(tmp_path)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, error = process.communicate(timeout=120)
    assert process.returncode == 130, error
    assert "Traceback" not in error and "KeyboardInterrupt" not in error
