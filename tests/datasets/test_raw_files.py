"""MNIST and CIFAR-10 loaders, on tiny files the tests write in the official formats."""

import gzip
import io
import tarfile
from pathlib import Path

import numpy as np
import pytest
from idx_files import idx_bytes, write_tiny_idx

from cnnlab.datasets import load_cifar10, load_mnist
from cnnlab.datasets.idx_sets import MNIST_CONTENT_SHA256
from cnnlab.datasets.raw_files import parse_idx

SHARED_MNIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist"


def write_tiny_mnist(folder: Path, train=5, test=3, compress=True):
    return write_tiny_idx(folder, train, test, compress)[0]


@pytest.mark.parametrize("compress", [True, False])
def test_tiny_mnist_from_data_home(tmp_path, compress):
    arrays = write_tiny_mnist(tmp_path, compress=compress)
    (X, y), (X_test, y_test) = load_mnist(tmp_path, verify=False, download=False)
    assert X.shape == (5, 1, 28, 28) and X.dtype == np.float32
    np.testing.assert_allclose(X[:, 0] * 255, arrays["train-images-idx3-ubyte"], atol=1e-4)
    np.testing.assert_array_equal(y, arrays["train-labels-idx1-ubyte"])
    assert X_test.shape == (3, 1, 28, 28) and y_test.shape == (3,)


def test_environment_variable_and_mnist_subfolder(tmp_path, monkeypatch):
    write_tiny_mnist(tmp_path / "mnist")
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path))
    (X, _), _ = load_mnist(verify=False, download=False)
    assert len(X) == 5


def test_verification_rejects_files_that_are_not_mnist(tmp_path):
    write_tiny_mnist(tmp_path)
    with pytest.raises(
        ValueError, match=r"train-images-idx3-ubyte.gz does not hold the published MNIST"
    ):
        load_mnist(tmp_path, download=False)


def test_truncated_and_corrupted_files_name_the_file(tmp_path):
    write_tiny_mnist(tmp_path)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.gz is corrupted or truncated"):
        load_mnist(tmp_path, verify=False, download=False)
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((5, 28, 28)))[:-10]))
    with pytest.raises(
        ValueError,
        match=r"train-images-idx3-ubyte.gz is truncated or corrupted: shape \(5, 28, 28\)",
    ):
        load_mnist(tmp_path, verify=False, download=False)
    with pytest.raises(ValueError, match="not an IDX file"):
        parse_idx(b"PK\x03\x04 zip", "x.idx")


def test_missing_files_without_download(tmp_path):
    with pytest.raises(ValueError, match=r"MNIST file train-images-idx3-ubyte\(.gz\) not found"):
        load_mnist(tmp_path, download=False)


def test_label_and_image_counts_must_agree(tmp_path):
    write_tiny_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(np.zeros(4))))
    with pytest.raises(
        ValueError, match=r"MNIST train files disagree: images \(5, 28, 28\), labels \(4,\)"
    ):
        load_mnist(tmp_path, verify=False, download=False)


@pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason="real MNIST not in ../shared/data/mnist")
def test_real_mnist_from_shared_folder():
    (X, y), (X_test, y_test) = load_mnist(SHARED_MNIST, download=False)
    assert X.shape == (60000, 1, 28, 28) and X_test.shape == (10000, 1, 28, 28)
    assert np.bincount(y).min() > 5000 and set(y_test) == set(range(10))
    assert 0.12 < X.mean() < 0.14  # MNIST's mean pixel is about 0.1307
    assert len(MNIST_CONTENT_SHA256) == 4


def cifar_records(count, seed, bad_label=False):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, count).astype(np.uint8)
    if bad_label:
        labels[0] = 11
    pixels = rng.integers(0, 256, (count, 3072)).astype(np.uint8)
    return np.column_stack([labels, pixels]).tobytes(), labels, pixels


def write_tiny_cifar(path: Path, truncate=False, bad_label=False):
    expected = {}
    with tarfile.open(path, "w:gz") as tar:
        for index, name in enumerate(
            [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
        ):
            content, labels, pixels = cifar_records(2, index, bad_label and index == 5)
            if truncate and index == 2:
                content = content[:-100]
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
            expected[name] = (labels, pixels)
    return expected


def test_tiny_cifar10_archive(tmp_path):
    expected = write_tiny_cifar(tmp_path / "cifar-10-binary.tar.gz")
    (X, y), (X_test, y_test) = load_cifar10(tmp_path, download=False)
    assert X.shape == (10, 3, 32, 32) and X_test.shape == (2, 3, 32, 32)
    np.testing.assert_array_equal(y[:2], expected["data_batch_1.bin"][0])
    np.testing.assert_allclose(
        X[0].reshape(-1) * 255, expected["data_batch_1.bin"][1][0], atol=1e-3
    )
    np.testing.assert_array_equal(y_test, expected["test_batch.bin"][0])


def test_extracted_cifar10_folder(tmp_path):
    write_tiny_cifar(tmp_path / "archive.tar.gz")
    with tarfile.open(tmp_path / "archive.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    (X, _), _ = load_cifar10(tmp_path, download=False)
    assert X.shape == (10, 3, 32, 32)


def test_corrupted_cifar10_names_the_file(tmp_path):
    write_tiny_cifar(tmp_path / "cifar-10-binary.tar.gz", truncate=True)
    with pytest.raises(
        ValueError, match=r"cifar-10-binary.tar.gz:data_batch_3.bin is truncated or corrupted"
    ):
        load_cifar10(tmp_path, download=False)
    write_tiny_cifar(tmp_path / "cifar-10-binary.tar.gz", bad_label=True)
    with pytest.raises(ValueError, match=r"test_batch.bin is corrupted: label 11"):
        load_cifar10(tmp_path, download=False)
    (tmp_path / "cifar-10-binary.tar.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(ValueError, match=r"cifar-10-binary.tar.gz is corrupted or truncated"):
        load_cifar10(tmp_path, download=False)
    with pytest.raises(ValueError, match="cifar-10-binary.tar.gz not found"):
        load_cifar10(tmp_path / "empty", download=False)
