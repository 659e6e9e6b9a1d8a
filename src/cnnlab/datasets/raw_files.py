"""Finding, downloading, verifying and parsing the original data files.

MNIST and Fashion-MNIST come as four IDX files (a big-endian header, then
unsigned bytes; their tables are in ``cnnlab.datasets.idx_sets``);
CIFAR-10 as ``cifar-10-binary.tar.gz``, whose records are one label byte and
3,072 pixel bytes. A file that is truncated, corrupted or of the wrong kind
raises a ValueError naming it; it never turns into wrong data. Every reader
states its bound and streams: an IDX file is read no further than its header
declares (at most :data:`MAX_IDX_BYTES`), a CIFAR-10 batch no further than
:data:`MAX_CIFAR_BATCH_BYTES`, so a small archive that inflates to gigabytes
is refused before it is.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import zlib
from pathlib import Path

import numpy as np

from cnnlab.datasets.idx_sets import FASHION_MNIST, IDX_FILES, MNIST, IdxDataSet

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR10_MD5 = "c32a1d4ab5d03f1284b67883e8d87530"
CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz"
CIFAR10_RECORD = 1 + 3 * 32 * 32

#: ((training images, labels), (test images, labels))
TrainTest = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def cache_folder(name: str, data_home: str | Path | None = None) -> Path:
    """Where downloads of data set ``name`` go: ``data_home/name``, else the user's cache."""
    if data_home:
        return Path(data_home) / name
    import pooch

    return Path(pooch.os_cache("cnnlab")) / name


def _candidates(data_home, name: str) -> list[Path]:
    folders = []
    for base in (data_home, os.environ.get("CNNLAB_DATA")):
        if base:
            folders += [Path(base), Path(base) / name]
        if data_home:
            break  # an explicit data_home wins over the environment
    return folders


def _find(folders: list[Path], filenames: tuple[str, ...]) -> Path | None:
    for folder in folders:
        for filename in filenames:
            if (folder / filename).is_file():
                return folder / filename
    return None


#: the largest IDX file read (MNIST's training images are 47 MB)
MAX_IDX_BYTES = 1 << 28
#: a CIFAR-10 batch file holds 10,000 records
MAX_CIFAR_BATCH_BYTES = 10_000 * CIFAR10_RECORD


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The (decompressed) content of ``path``, streamed, refused past ``max_bytes``."""
    try:
        with _open(path) as handle:
            content = handle.read(max_bytes + 1)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ValueError(f"{path} is corrupted or truncated: {error}") from None
    if len(content) > max_bytes:
        raise ValueError(f"{path} holds more than {max_bytes:,} bytes, the bound for this file")
    return content


def read_idx_bytes(path: Path, max_bytes: int = MAX_IDX_BYTES) -> bytes:
    """An IDX file's bytes, decompressed as a stream and never past what its header declares.

    The header gives the size; a size past ``max_bytes`` is refused before any
    data is read, and so is a file that holds more than its header says.
    """
    try:
        with _open(path) as handle:
            head = handle.read(4)
            if len(head) < 4 or head[:3] != b"\x00\x00\x08":
                return head  # parse_idx says what is wrong
            dims = handle.read(4 * head[3])
            shape = [int.from_bytes(dims[4 * i : 4 * i + 4], "big") for i in range(len(dims) // 4)]
            size = int(np.prod(shape, dtype=np.int64)) if len(dims) == 4 * head[3] else 0
            if size > max_bytes:
                raise ValueError(
                    f"{path} declares shape {tuple(shape)}: {size:,} bytes, more than the bound "
                    f"of {max_bytes:,} bytes"
                )
            data = handle.read(size)
            extra = handle.read(1)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise ValueError(f"{path} is corrupted or truncated: {error}") from None
    if extra:
        raise ValueError(f"{path} holds more data than its header declares: corrupted")
    return head + dims + data


def parse_idx(content: bytes, path: object) -> np.ndarray:
    """Parse an IDX file of unsigned bytes (magic 0x0000080N, N dimensions)."""
    if len(content) < 4 or content[:2] != b"\x00\x00" or content[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    dimensions = content[3]
    header = 4 + 4 * dimensions
    if len(content) < header:
        raise ValueError(
            f"{path} is truncated: its header needs {header} bytes, got {len(content)}"
        )
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(dimensions))
    expected = header + int(np.prod(shape))
    if len(content) != expected:
        raise ValueError(
            f"{path} is truncated or corrupted: shape {shape} needs {expected} bytes, "
            f"the file has {len(content)}"
        )
    return np.frombuffer(content, dtype=np.uint8, offset=header).reshape(shape)


def read_mnist(
    data_home: str | Path | None = None, download: bool = True, verify: bool = True
) -> TrainTest:
    """Locate (or download), verify and parse the four MNIST files; arrays of uint8."""
    return read_idx_set(MNIST, data_home, download, verify)


def read_fashion_mnist(
    data_home: str | Path | None = None, download: bool = True, verify: bool = True
) -> TrainTest:
    """Locate (or download), verify and parse the four Fashion-MNIST files; arrays of uint8."""
    return read_idx_set(FASHION_MNIST, data_home, download, verify)


def _idx_folders(data_home, dataset: IdxDataSet) -> list[Path]:
    if dataset.top_level_of_environment:
        return _candidates(data_home, dataset.folder)
    if data_home:  # its own subfolder first, then data_home itself
        return [Path(data_home) / dataset.folder, Path(data_home)]
    environment = os.environ.get("CNNLAB_DATA")
    return [Path(environment) / dataset.folder] if environment else []


def read_idx_set(
    dataset: IdxDataSet,
    data_home: str | Path | None = None,
    download: bool = True,
    verify: bool = True,
) -> TrainTest:
    """The four files of an IDX data set, found, checked and parsed: ((X, y), (X_test, y_test))."""
    title = dataset.title
    folders = _idx_folders(data_home, dataset)
    cache = cache_folder(dataset.folder, data_home)
    arrays = {}
    for key, stem in IDX_FILES.items():
        path = _find(folders, (stem + ".gz", stem)) or _find([cache], (stem + ".gz",))
        if path is None:
            if not download:
                where = ", ".join(str(folder) for folder in folders) or "the cache"
                raise ValueError(
                    f"{title} file {stem}(.gz) not found in {where}; pass data_home=FOLDER or set "
                    f"CNNLAB_DATA, or allow download=True"
                )
            path = _download_idx(dataset, stem, cache)
        content = read_idx_bytes(path)
        if verify:
            digest = hashlib.sha256(content).hexdigest()
            expected = dataset.content_sha256[stem]
            if digest != expected:
                raise ValueError(
                    f"{path} does not hold the published {title} {stem}: SHA-256 of its content "
                    f"is {digest}, expected {expected}; delete it to download again"
                )
        arrays[key] = parse_idx(content, path)
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(
                f"{title} {part} files disagree: images {images.shape}, labels {labels.shape}"
            )
    return (arrays["train_images"], arrays["train_labels"]), (
        arrays["test_images"],
        arrays["test_labels"],
    )


def _download_idx(dataset: IdxDataSet, stem: str, folder: Path) -> Path:
    import pooch

    errors = []
    for mirror in dataset.mirrors:
        try:
            filename = pooch.retrieve(
                mirror + stem + ".gz",
                known_hash=dataset.gzip_hashes[stem],
                fname=stem + ".gz",
                path=folder,
                progressbar=True,
            )
            return Path(filename)
        except Exception as error:  # noqa: BLE001 - try the next mirror, report all at the end
            errors.append(f"{mirror}: {error}")
    raise OSError(f"could not download {dataset.title} {stem}.gz: " + "; ".join(errors))


def read_cifar10(data_home: str | Path | None = None, download: bool = True) -> TrainTest:
    """Locate (or download) and parse CIFAR-10's binary version; arrays of uint8."""
    folders = _candidates(data_home, "cifar10")
    extracted = _find(folders, ("cifar-10-batches-bin/test_batch.bin", "test_batch.bin"))
    if extracted is not None:
        folder = extracted.parent
        names = [f"data_batch_{i}.bin" for i in range(1, 6)]
        train = [
            _parse_cifar(_read_bytes(folder / name, MAX_CIFAR_BATCH_BYTES), folder / name)
            for name in names
        ]
        test = _parse_cifar(_read_bytes(extracted, MAX_CIFAR_BATCH_BYTES), extracted)
    else:
        archive = _find([*folders, cache_folder("cifar10", data_home)], (CIFAR10_ARCHIVE,))
        if archive is None:
            if not download:
                raise ValueError(
                    f"{CIFAR10_ARCHIVE} not found in {', '.join(map(str, folders)) or 'no folder'};"
                    f" pass data_home=FOLDER or set CNNLAB_DATA, or allow download=True"
                )
            import pooch

            folder = cache_folder("cifar10", data_home)
            archive = Path(
                pooch.retrieve(
                    CIFAR10_URL, known_hash="md5:" + CIFAR10_MD5, path=folder,
                    fname=CIFAR10_ARCHIVE, progressbar=True,
                )
            )  # fmt: skip
        train, test = _read_cifar_archive(archive)
    images = np.concatenate([batch[0] for batch in train])
    labels = np.concatenate([batch[1] for batch in train])
    return (images, labels), test


def _read_cifar_archive(archive: Path):
    members = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                name = Path(member.name).name
                if member.isfile() and name.endswith(".bin") and "batch" in name:
                    if member.size > MAX_CIFAR_BATCH_BYTES:  # declared in the tar header
                        raise ValueError(
                            f"{archive}: {member.name} declares {member.size:,} bytes, more than "
                            f"the {MAX_CIFAR_BATCH_BYTES:,} of a CIFAR-10 batch"
                        )
                    handle = tar.extractfile(member)
                    assert handle is not None  # a regular file, as isfile() said
                    members[name] = handle.read(MAX_CIFAR_BATCH_BYTES)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{archive} is corrupted or truncated: {error}") from None
    needed = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
    missing = [name for name in needed if name not in members]
    if missing:
        raise ValueError(f"{archive} lacks {missing}; is it cifar-10-binary.tar.gz?")
    train = [_parse_cifar(members[name], f"{archive}:{name}") for name in needed[:5]]
    return train, _parse_cifar(members["test_batch.bin"], f"{archive}:test_batch.bin")


def _parse_cifar(content: bytes, path):
    if len(content) == 0 or len(content) % CIFAR10_RECORD:
        raise ValueError(
            f"{path} is truncated or corrupted: {len(content)} bytes is not a whole number of "
            f"{CIFAR10_RECORD}-byte records"
        )
    records = np.frombuffer(io.BytesIO(content).getbuffer(), dtype=np.uint8).reshape(
        -1, CIFAR10_RECORD
    )
    labels = records[:, 0]
    if labels.max() > 9:
        raise ValueError(f"{path} is corrupted: label {labels.max()} is not a CIFAR-10 class 0-9")
    return records[:, 1:].reshape(-1, 3, 32, 32), labels
