import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnlab.cli import main


def test_train_defaults_reach_97_percent_on_digits(tmp_path, capsys):
    assert main(["train", "--quiet", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    accuracy = float(out.split("test accuracy:")[1].split()[0])
    assert accuracy >= 0.97, out
    figure = tmp_path / "training_curves.png"
    assert figure.stat().st_size > 10_000
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_help_lists_the_train_options():
    result = subprocess.run(
        [sys.executable, "-m", "cnnlab.cli", "train", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--epochs", "--eta", "--lam", "--batch-size", "--seed", "--output"):
        assert option in result.stdout


def test_bad_option_value_gives_a_clear_error(tmp_path, capsys):
    assert main(["train", "--epochs", "0", "--quiet", "--output", str(tmp_path)]) == 2
    assert "epochs must be >= 1, got 0" in capsys.readouterr().err


def test_no_command_shows_usage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"


@pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason="real MNIST not in ../shared/data/mnist")
def test_train_on_a_slice_of_real_mnist(tmp_path, capsys):
    arguments = [
        "train",
        "--dataset",
        "mnist",
        "--model",
        "lenet",
        "--data-home",
        str(SHARED_MNIST),
    ]
    arguments += [
        "--limit",
        "1000",
        "--epochs",
        "1",
        "--shift",
        "0",
        "--quiet",
        "--output",
        str(tmp_path),
    ]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    assert "mnist, model lenet: 1000 train / 5000 validation / 10000 test images" in out
    assert float(out.split("test accuracy:")[1].split()[0]) > 0.8


def test_jobs_does_not_change_the_result(tmp_path, capsys):
    accuracies = []
    for jobs in ("1", "2"):
        base = ["train", "--quiet", "--epochs", "2", "--batch-size", "64", "--jobs", jobs]
        assert main([*base, "--output", str(tmp_path / jobs)]) == 0
        accuracies.append(capsys.readouterr().out.split("test accuracy:")[1].split()[0])
    assert accuracies[0] == accuracies[1]


def test_resume_continues_from_the_checkpoint(tmp_path, capsys):
    base = ["train", "--quiet", "--output", str(tmp_path), "--epochs"]
    assert main([*base, "3"]) == 0
    assert (tmp_path / "checkpoint" / "checkpoint.npz").exists()
    assert (tmp_path / "model.npz").exists()
    capsys.readouterr()
    assert main([*base, "5", "--resume"]) == 0
    out = capsys.readouterr().out
    assert "5 epochs in" in out
    import cnnlab

    assert cnnlab.load(tmp_path / "model.npz").predict_proba(np.zeros((1, 1, 8, 8))).shape == (
        1,
        10,
    )


def test_version_and_python_dash_m():
    import cnnlab

    result = subprocess.run(
        [sys.executable, "-m", "cnnlab", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"cnnlab {cnnlab.__version__}"


def test_early_stopping_and_the_history_files(tmp_path, capsys):
    arguments = ["train", "--quiet", "--output", str(tmp_path), "--epochs", "60"]
    assert main([*arguments, "--early-stopping", "2", "--eta", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "early stopping after" in out
    rows = (tmp_path / "history.csv").read_text().splitlines()
    assert rows[0] == "epoch,train_error,train_acc,val_error,val_acc"
    assert 3 <= len(rows) - 1 < 60
    assert (tmp_path / "history.json").read_text().startswith("{")


def test_a_download_failure_is_one_line(tmp_path, capsys, monkeypatch):
    import cnnlab.cli

    def offline(*args, **kwargs):
        raise ConnectionError("could not download train-images-idx3-ubyte.gz from any mirror")

    monkeypatch.setattr(cnnlab.cli, "_load", offline)
    code = main(["train", "--dataset", "mnist", "--quiet", "--output", str(tmp_path)])
    error = capsys.readouterr().err
    assert code == 1
    assert error.count("\n") == 1
    assert "could not download" in error and "CNNLAB_DATA" in error


def test_an_output_that_is_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["train", "--quiet", "--epochs", "1", "--output", str(blocker / "out")])
    error = capsys.readouterr().err
    assert code == 1
    assert error.startswith("cnnlab train: error:") and error.count("\n") == 1
