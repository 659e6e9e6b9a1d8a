"""Small files that would exhaust memory end in a ValueError, with the process capped at 500 MB.

Each case runs in a subprocess under ``resource.setrlimit(RLIMIT_AS)``, so a
reader that allocated what a file declares would die of MemoryError instead
of raising the ValueError the test wants; the peak of the process's virtual
memory is reported back and checked too.
"""

import json
import zipfile

import numpy as np
import pytest
from capped import CAP, run_capped

import cnnlab

GIB = 1 << 30


def write_member(archive: zipfile.ZipFile, name: str, dtype: str, shape: tuple, zeros: int):
    """A .npy member whose header says ``shape`` and which holds ``zeros`` zero bytes of data."""
    header = {"descr": np.dtype(dtype).str, "fortran_order": False, "shape": shape}
    with archive.open(name + ".npy", "w", force_zip64=True) as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        chunk = bytes(1 << 24)
        for start in range(0, zeros, len(chunk)):
            handle.write(chunk[: min(len(chunk), zeros - start)])


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    cnn = cnnlab.CNN(seed=0)
    cnn.add_FlattenLayer()
    cnn.add_FullyConnectedLayer(4)
    cnn.add_OutputLayer(3)
    cnn.build((1, 4, 4))
    return cnn.save(tmp_path_factory.mktemp("model") / "small.npz")


def copy_with(source, target, extra):
    """``source``'s members, some replaced or added by ``extra(archive)``."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        replaced = extra(new)
        for info in old.infolist():
            if info.filename.removesuffix(".npy") not in replaced:
                new.writestr(info, old.read(info.filename))
    assert target.stat().st_size < 8 << 20  # a small file
    return target


def check_refused(path, message):
    result = run_capped(f"import cnnlab\ncnnlab.load({str(path)!r})")
    assert result["error"] == "ValueError", result
    assert message in result["message"]
    assert result["peak_kb"] * 1024 < CAP
    return result


def test_an_unused_member_that_inflates_to_a_gigabyte(tmp_path, small_model):
    def extra(archive):
        write_member(archive, "notes", "<u1", (GIB,), GIB)
        return set()

    check_refused(copy_with(small_model, tmp_path / "bomb.npz", extra),
                  "holds notes, which its description does not account for")  # fmt: skip


def test_a_weight_member_that_declares_four_gigabytes(tmp_path, small_model):
    def extra(archive):
        write_member(archive, "layer1.W", "<f8", (1 << 29,), 1 << 26)
        return {"layer1.W"}

    check_refused(copy_with(small_model, tmp_path / "big.npz", extra),
                  "layer1.W should have shape (16, 4), its header says (536870912,)")  # fmt: skip


def test_a_description_that_declares_a_dense_layer_of_1e11_nodes(tmp_path, small_model):
    with zipfile.ZipFile(small_model) as archive:
        raw = np.load(archive.open("cnnlab.json.npy"))
    description = json.loads(raw.tobytes())
    description["layers"][1]["config"]["nodes"] = 10**11

    def extra(archive):
        data = np.frombuffer(json.dumps(description).encode(), np.uint8)
        with archive.open("cnnlab.json.npy", "w") as handle:
            np.lib.format.write_array(handle, data)
        return {"cnnlab.json"}

    check_refused(copy_with(small_model, tmp_path / "nodes.npz", extra),
                  "layer 1 (FullyConnectedLayer) declares nodes=100000000000")  # fmt: skip


def test_a_description_that_inflates_to_a_gigabyte(tmp_path, small_model):
    def extra(archive):
        write_member(archive, "cnnlab.json", "<u1", (GIB,), GIB)
        return {"cnnlab.json"}

    check_refused(copy_with(small_model, tmp_path / "json.npz", extra),
                  "more than the bound of 1,048,576 bytes")  # fmt: skip


def gz_idx(path, shape, zeros):
    """A gzip'd IDX file whose header says ``shape`` and which holds ``zeros`` data bytes."""
    import gzip

    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(b"\x00\x00\x08" + bytes([len(shape)]))
        handle.write(b"".join(n.to_bytes(4, "big") for n in shape))
        chunk = bytes(1 << 24)
        for start in range(0, zeros, len(chunk)):
            handle.write(chunk[: min(len(chunk), zeros - start)])
    assert path.stat().st_size < 8 << 20
    return path


def check_mnist_refused(folder, message):
    code = f"from cnnlab.datasets import load_mnist\nload_mnist({str(folder)!r}, download=False)"
    result = run_capped(code)
    assert result["error"] == "ValueError", result
    assert message in result["message"]
    assert result["peak_kb"] * 1024 < CAP


def test_an_mnist_file_that_inflates_past_its_header(tmp_path):
    gz_idx(tmp_path / "train-images-idx3-ubyte.gz", (60000, 28, 28), GIB)
    check_mnist_refused(tmp_path, "holds more data than its header declares")


def test_an_mnist_header_that_declares_gigabytes(tmp_path):
    gz_idx(tmp_path / "train-images-idx3-ubyte.gz", (60000, 2800, 28), 1 << 20)
    check_mnist_refused(tmp_path, "4,704,000,000 bytes, more than the bound of 268,435,456 bytes")


def test_a_cifar_archive_whose_member_inflates_to_a_gigabyte(tmp_path):
    import io
    import tarfile

    class Zeros(io.RawIOBase):
        def __init__(self, size):
            self.left = size

        def readable(self):
            return True

        def readinto(self, buffer):
            count = min(len(buffer), self.left)
            buffer[:count] = bytes(count)
            self.left -= count
            return count

    archive = tmp_path / "cifar-10-binary.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        info = tarfile.TarInfo("cifar-10-batches-bin/data_batch_1.bin")
        info.size = GIB
        tar.addfile(info, io.BufferedReader(Zeros(GIB)))
    code = (f"from cnnlab.datasets import load_cifar10\n"
            f"load_cifar10({str(tmp_path)!r}, download=False)")  # fmt: skip
    result = run_capped(code)
    assert result["error"] == "ValueError", result
    assert (
        "declares 1,073,741,824 bytes, more than the 30,730,000 of a CIFAR-10 batch"
        in result["message"]
    )
    assert result["peak_kb"] * 1024 < CAP


def test_a_corrupted_deflate_stream_is_a_clear_error(tmp_path):
    import gzip

    data = gzip.compress(b"\x00\x00\x08\x01" + (1000).to_bytes(4, "big") + bytes(1000))
    broken = data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:]
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(broken)
    gz_idx(tmp_path / "train-images-idx3-ubyte.gz", (1000, 2, 2), 4000)
    from cnnlab.datasets import load_mnist

    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz is corrupted or truncated"):
        load_mnist(tmp_path, download=False, verify=False)
