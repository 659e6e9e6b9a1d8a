"""Every example runs with --quick and writes its figures (CI runs them through this test)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("[0-9][0-9]_*.py"))
SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"


EXPECTED_EXAMPLES = (
    "01_cnn_arithmetic",
    "02_svd_compression",
    "03_convolution_by_hand",
    "04_convolution_speed",
    "05_first_cnn_digits",
    "06_grid_search",
    "07_mnist_lecture_api",
    "08_pytorch_model_in_cnnlab",
    "09_cifar10",
    "10_schedulers_compared",
    "11_looking_inside",
    "12_ising_phase_transition",
    "13_conv_autoencoder_mnist",
    "14_ising_anomaly_autoencoder",
    "15_timeseries_1d_cnn",
    "16_batch_normalization",
)


def test_one_example_per_topic():
    stems = {path.stem for path in EXAMPLES}
    missing = [stem for stem in EXPECTED_EXAMPLES if stem not in stems]
    assert not missing, f"examples missing: {missing}"


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs_quickly(script, tmp_path):
    environment = dict(os.environ, MPLBACKEND="Agg")
    if SHARED_MNIST.is_dir():
        environment.setdefault("CNNLAB_DATA", str(SHARED_MNIST))
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--output", str(tmp_path)],
        capture_output=True, text=True, env=environment, cwd=script.parent, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    skipped = "skipping" in done.stdout
    figures = list(tmp_path.glob("*.png"))
    assert figures or skipped, f"{script.name} wrote no figure:\n{done.stdout[-2000:]}"
    for figure in figures:
        assert figure.read_bytes()[:4] == b"\x89PNG"
