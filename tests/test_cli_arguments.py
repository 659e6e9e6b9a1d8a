"""Every command, given a bad argument, says what is wrong in one line and exits non-zero."""

import pytest

from cnnlab.cli import build_parser, main

CASES = {
    "train": (["--limit", "-5"], "--limit must be >= 1, got -5"),
    "grid": (["--etas", "1e-3", "--lams", "0", "--epochs", "0"], "epochs must be >= 1, got 0"),
    "filter": (["missing.png"], "image file 'missing.png' does not exist"),
    "svd": (["missing.png"], "image file 'missing.png' does not exist"),
    "bench-conv": (["--repeats", "0"], "repeats must be >= 1, got 0"),
    "ising": (["--sizes", "8", "--epochs", "0"], "epochs must be >= 1, got 0"),
    "export": (["missing.npz", "--to", "onnx"], "model file 'missing.npz' does not exist"),
}


def test_every_command_has_a_case():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    assert set(CASES) == set(commands)


@pytest.mark.parametrize("command", sorted(CASES))
def test_a_bad_argument_is_one_line(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    options, message = CASES[command]
    output = [] if command == "export" else ["--output", str(tmp_path / "out")]
    assert main([command, *options, *output]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"cnnlab {command}: error: ") and error.count("\n") == 1, error
    assert message in error


def test_a_learning_rate_that_learns_nothing_writes_nothing(tmp_path, capsys):
    code = main(["train", "--quiet", "--eta", "1e10", "--epochs", "2", "--output", str(tmp_path)])
    assert code == 2
    error = capsys.readouterr().err
    assert "training did not learn" in error and "try a smaller eta" in error
    assert not (tmp_path / "model.npz").exists()


def test_a_grid_in_which_every_point_diverges(tmp_path, capsys):
    arguments = ["grid", "--etas", "1e9", "--lams", "0", "--epochs", "2", "--quiet"]
    assert main([*arguments, "--output", str(tmp_path / "grid"), "--n-jobs", "1"]) == 2
    error = capsys.readouterr().err
    assert "every grid point diverged" in error and "All-NaN" not in error
    assert not (tmp_path / "grid" / "results.csv").exists()


def test_a_finished_grid_is_not_replaced_unasked(tmp_path, capsys):
    (tmp_path / "results.csv").write_text("eta,lam\n")
    assert main(["grid", "--etas", "1e-3", "--lams", "0", "--output", str(tmp_path)]) == 2
    assert "holds a finished grid; pass --overwrite" in capsys.readouterr().err
    assert (tmp_path / "results.csv").read_text() == "eta,lam\n"


def test_an_unreachable_dask_scheduler_is_one_line(tmp_path):
    import os
    import subprocess
    import sys

    environment = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s")
    done = subprocess.run(
        [sys.executable, "-m", "cnnlab", "grid", "--etas", "1e-3", "--lams", "0", "--quiet",
         "--output", str(tmp_path), "--dask-scheduler", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, env=environment, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("cnnlab grid: error: Timed out trying to connect")
    assert "the server runs" in done.stderr and done.stderr.count("\n") == 1
