"""Fashion-MNIST: MNIST's IDX format and offline rules, in a folder of its own."""

import hashlib
from pathlib import Path

import idx_files
import numpy as np
import pytest

from cnnlab.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist
from cnnlab.datasets.idx_sets import FASHION_MNIST, FASHION_MNIST_GZIP_MD5, IDX_FILES

DEBIAN_FASHION_MNIST = Path(
    "/usr/share/datasets/fashion-mnist"
)  # apt install dataset-fashion-mnist


def write_tiny_idx(folder: Path, train=4, test=2, compress=True, seed=1):
    return idx_files.write_tiny_idx(folder, train, test, compress, seed)


@pytest.fixture
def no_environment(monkeypatch):
    monkeypatch.delenv("CNNLAB_DATA", raising=False)


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("subfolder", ["fashion-mnist", ""])
def test_tiny_files_in_data_home_or_its_subfolder(tmp_path, compress, subfolder, no_environment):
    arrays, _ = write_tiny_idx(tmp_path / subfolder, compress=compress)
    (X, y), (X_test, y_test) = load_fashion_mnist(tmp_path, verify=False, download=False)
    assert X.shape == (4, 1, 28, 28) and X.dtype == np.float32
    assert X_test.shape == (2, 1, 28, 28) and y_test.shape == (2,) and y.dtype == np.int64
    assert 0.0 <= X.min() and X.max() <= 1.0
    np.testing.assert_allclose(X[:, 0] * 255, arrays["train-images-idx3-ubyte"], atol=1e-4)
    np.testing.assert_array_equal(y, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    (X64, _), _ = load_fashion_mnist(tmp_path, dtype=np.float64, verify=False, download=False)
    assert X64.dtype == np.float64


def test_its_own_subfolder_wins_over_mnist_files_beside_it(tmp_path, no_environment):
    write_tiny_idx(tmp_path, train=7, seed=2)  # MNIST-named files at the top of data_home
    write_tiny_idx(tmp_path / "fashion-mnist", train=4, seed=3)
    (X, _), _ = load_fashion_mnist(tmp_path, verify=False, download=False)
    assert len(X) == 4
    (X_mnist, _), _ = load_mnist(tmp_path, verify=False, download=False)
    assert len(X_mnist) == 7


def test_environment_variable_is_read_only_in_its_subfolder(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNLAB_DATA", str(tmp_path))
    write_tiny_idx(tmp_path)  # MNIST's place: must not be taken for Fashion-MNIST
    with pytest.raises(
        ValueError,
        match=r"Fashion-MNIST file train-images-idx3-ubyte\(.gz\) not found in .*fashion-mnist",
    ):
        load_fashion_mnist(verify=False, download=False)
    write_tiny_idx(tmp_path / "fashion-mnist", train=6)
    (X, _), _ = load_fashion_mnist(verify=False, download=False)
    assert len(X) == 6


def test_wrong_checksum_is_refused_with_a_clear_error(tmp_path, no_environment):
    write_tiny_idx(tmp_path / "fashion-mnist")
    with pytest.raises(
        ValueError,
        match=r"train-images-idx3-ubyte.gz does not hold the published Fashion-MNIST "
        r"train-images-idx3-ubyte: SHA-256 of its content is [0-9a-f]{64}, expected c59f468a",
    ):
        load_fashion_mnist(tmp_path, download=False)


def test_files_whose_content_matches_the_table_pass_verification(tmp_path, monkeypatch):
    _, contents = write_tiny_idx(tmp_path, compress=False)
    for stem, content in contents.items():
        monkeypatch.setitem(FASHION_MNIST.content_sha256, stem, hashlib.sha256(content).hexdigest())
    (X, _), _ = load_fashion_mnist(tmp_path, download=False)
    assert X.shape == (4, 1, 28, 28)


def test_download_uses_the_published_md5_and_tries_the_next_mirror(tmp_path, monkeypatch):
    import pooch

    _, contents = write_tiny_idx(tmp_path / "source")
    calls = []

    def retrieve(url, known_hash, fname, path, progressbar):
        calls.append((url, known_hash))
        if "githubusercontent" in url:
            raise OSError("mirror down")
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / fname).write_bytes((tmp_path / "source" / fname).read_bytes())
        return str(Path(path) / fname)

    monkeypatch.setattr(pooch, "retrieve", retrieve)
    (X, _), _ = load_fashion_mnist(tmp_path / "home", verify=False)
    assert X.shape == (4, 1, 28, 28)
    assert (tmp_path / "home" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz").is_file()
    assert len(calls) == 8  # each file: the first mirror fails, the second serves it
    assert calls[0] == (
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
        "train-images-idx3-ubyte.gz",
        "md5:8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    )
    assert calls[1][0].startswith("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")
    assert {known for _, known in calls} == {
        "md5:" + md5 for md5 in FASHION_MNIST_GZIP_MD5.values()
    }
    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    with pytest.raises(
        OSError, match=r"could not download Fashion-MNIST train-images-idx3-ubyte.gz"
    ):
        load_fashion_mnist(tmp_path / "other")


def test_truncated_files_name_the_file(tmp_path, no_environment):
    write_tiny_idx(tmp_path)
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(ValueError, match=r"t10k-images-idx3-ubyte.gz is corrupted or truncated"):
        load_fashion_mnist(tmp_path, verify=False, download=False)


def test_class_names():
    assert len(FASHION_MNIST_CLASSES) == 10 and len(set(FASHION_MNIST_CLASSES)) == 10
    assert FASHION_MNIST_CLASSES[0] == "T-shirt/top" and FASHION_MNIST_CLASSES[9] == "Ankle boot"
    assert FASHION_MNIST_CLASSES.index("Bag") == 8
    assert set(FASHION_MNIST.content_sha256) == set(IDX_FILES.values())


@pytest.mark.skipif(not DEBIAN_FASHION_MNIST.is_dir(), reason="dataset-fashion-mnist not installed")
def test_real_fashion_mnist_from_the_debian_package():
    # Debian recompressed the gzip files (other MD5s); their content is the published one.
    (X, y), (X_test, y_test) = load_fashion_mnist(DEBIAN_FASHION_MNIST, download=False)
    assert X.shape == (60000, 1, 28, 28) and X_test.shape == (10000, 1, 28, 28)
    np.testing.assert_array_equal(np.bincount(y), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)
    assert 0.27 < X.mean() < 0.30  # Fashion-MNIST's mean pixel is about 0.286
