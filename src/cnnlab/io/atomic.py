"""Files written whole or not at all: what model files, checkpoints and data caches use."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, cast

import numpy as np


def write_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` through a temporary file and ``os.replace``.

    A crash at any moment leaves either the old file or the new one, never half
    of one.
    """
    # savez's stubs type its keyword arguments as its own options (allow_pickle: bool)
    entries = cast("dict[str, Any]", arrays)
    _replace_with(Path(path), lambda handle: np.savez(handle, **entries))


def write_atomically_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` the same way; returns the path."""
    return write_atomically_bytes(path, text.encode())


def write_atomically_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` the same way; returns the path."""
    path = Path(path)
    _replace_with(path, lambda handle: handle.write(data))
    return path


def _replace_with(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=path.name, suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
