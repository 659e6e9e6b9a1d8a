"""The arrays of an ``.npz`` file, read one at a time, each bounded before it is decompressed.

``numpy.load`` decompresses a member in full when it is asked for, whatever its
header says, so a small file can hold a member that inflates to gigabytes. Here
a member's ``.npy`` header is read first (a few hundred bytes), its shape and
dtype are checked against what the caller expects and against a byte bound,
and the zip's declared size against the header; only then is exactly that many
bytes decompressed. Members nobody asks for are never read. Object arrays are
refused (no pickle).

Bound: a member holds at most ``max_bytes`` (by default :data:`MAX_MEMBER_BYTES`)
and its header at most :data:`MAX_HEADER_BYTES`; a file at most
:data:`MAX_MEMBERS` members.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Literal

import numpy as np

#: the largest array a member may hold unless the caller says otherwise (4 GiB)
MAX_MEMBER_BYTES = 4 << 30
#: an .npy header is a short dict; numpy's own limit for a safe read is 10,000 bytes
MAX_HEADER_BYTES = 10_000
MAX_MEMBERS = 100_000


class NpzMembers:
    """Bounded, lazy access to the arrays of one ``.npz`` file.

    Parameters
    ----------
    path : Path
        The file; it is opened anew for each read, so nothing stays open.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except (OSError, zipfile.BadZipFile, EOFError) as error:
            raise ValueError(f"{self.path} is not a readable .npz file: {error}") from None
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"{self.path} has {len(infos)} members, more than {MAX_MEMBERS}")
        self.sizes = {
            info.filename.removesuffix(".npy"): info.file_size
            for info in infos
            if info.filename.endswith(".npy")
        }

    def __contains__(self, name: str) -> bool:
        return name in self.sizes

    def names(self) -> list[str]:
        """The names of the file's arrays (without ``.npy``)."""
        return list(self.sizes)

    def header(self, name: str) -> tuple[tuple[int, ...], np.dtype]:
        """The shape and dtype a member declares, read without its data."""
        with self._open(name) as stream:
            return self._read_header(name, stream)[:2]

    def read(
        self, name: str, *, shape: tuple[int, ...] | None = None, kinds: str = "fiub",
        max_bytes: int = MAX_MEMBER_BYTES,
    ) -> np.ndarray:  # fmt: skip
        """Member ``name`` as an array, after every check.

        Parameters
        ----------
        shape : tuple of int, optional
            The shape it must have.
        kinds : str
            The dtype kinds it may have (numpy's ``dtype.kind`` letters).
        max_bytes : int
            The most bytes it may hold.
        """
        with self._open(name) as stream:
            declared_shape, dtype, fortran, header_bytes = self._read_header(name, stream)
            if shape is not None and tuple(declared_shape) != tuple(shape):
                raise ValueError(
                    f"{self.path}: {name} should have shape {tuple(shape)}, its header says "
                    f"{declared_shape}"
                )
            if dtype.kind not in kinds or dtype.hasobject:
                raise ValueError(f"{self.path}: {name} has dtype {dtype}, not a number type")
            nbytes = int(np.prod(declared_shape, dtype=np.int64)) * dtype.itemsize
            if nbytes > max_bytes:
                raise ValueError(
                    f"{self.path}: {name} would take {nbytes:,} bytes, more than the bound of "
                    f"{max_bytes:,} bytes for it"
                )
            if self.sizes[name] != header_bytes + nbytes:
                raise ValueError(
                    f"{self.path}: {name} declares {self.sizes[name]:,} bytes in the zip, but "
                    f"its header says {header_bytes + nbytes:,}; the file is corrupt"
                )
            try:
                data = stream.read(nbytes)
            except (zlib.error, EOFError, OSError, zipfile.BadZipFile) as error:
                raise ValueError(f"{self.path}: {name} is corrupt: {error}") from None
        if len(data) != nbytes:
            raise ValueError(f"{self.path}: {name} is truncated")
        array = np.frombuffer(data, dtype=dtype)
        order: Literal["F", "C"] = "F" if fortran else "C"
        return array.reshape(declared_shape, order=order).copy(order="C")

    def _open(self, name: str):
        if name not in self.sizes:
            raise KeyError(name)
        try:
            archive = zipfile.ZipFile(self.path)
            return _Closing(archive, archive.open(name + ".npy"))
        except (OSError, zipfile.BadZipFile, EOFError) as error:
            raise ValueError(f"{self.path} is not a readable .npz file: {error}") from None

    def _read_header(self, name: str, stream):
        try:
            version = np.lib.format.read_magic(stream)
            reader = {(1, 0): np.lib.format.read_array_header_1_0,
                      (2, 0): np.lib.format.read_array_header_2_0}[version]  # fmt: skip
            shape, fortran, dtype = reader(stream, max_header_size=MAX_HEADER_BYTES)
        except (ValueError, KeyError, EOFError, OSError, zipfile.BadZipFile, zlib.error) as error:
            raise ValueError(f"{self.path}: {name} has no readable .npy header: {error}") from None
        return tuple(int(n) for n in shape), np.dtype(dtype), fortran, stream.tell()


class _Closing:
    """A zip member's stream that closes its archive too."""

    def __init__(self, archive, stream) -> None:
        self.archive, self.stream = archive, stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc_info) -> None:
        self.stream.close()
        self.archive.close()
