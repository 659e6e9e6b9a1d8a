"""One rule for output folders: a run locks its folder, and never replaces finished work unasked.

* :class:`FolderLock` is a lock file that records its holder (process id,
  host, start time). A second run on the same folder is refused with the
  holder's name; a lock whose process is gone (killed, crashed) is stale and
  is taken over, with a warning that says so.
* :func:`refuse_to_replace` is the error for a finished result that a run
  would overwrite: it says how to continue (``resume``) or start again
  (``overwrite``), as git refuses to lose work.
"""

from __future__ import annotations

import json
import os
import socket
import time
import warnings
from pathlib import Path

LOCK_NAME = "cnnlab.lock"
#: the lock files this process holds (a second run in the same process is refused too)
_HELD: set[Path] = set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: alive
        return True
    return True


class FolderLock:
    """Hold ``folder/cnnlab.lock`` while a run writes into ``folder``.

    Use as a context manager; the lock file is removed on exit, also after an
    exception or Ctrl-C.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.held = False

    def __enter__(self) -> FolderLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        for _ in range(2):  # a second try after taking over a stale lock
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                self._take_over_if_stale()
                continue
            with os.fdopen(descriptor, "w") as handle:
                json.dump(record, handle)
            self.held = True
            _HELD.add(self.path.resolve())
            return self
        raise ValueError(f"could not lock {self.folder}: {self.path} keeps reappearing")

    def _take_over_if_stale(self) -> None:
        try:
            holder = json.loads(self.path.read_text())
            pid, host = int(holder["pid"]), str(holder["host"])
        except (OSError, ValueError, KeyError, TypeError):
            holder, pid, host = {}, None, None  # unreadable: treat as stale
        if pid is not None and host != socket.gethostname():
            raise ValueError(
                f"{self.folder} is in use by process {pid} on {host}; if that run is gone, "
                f"delete {self.path}"
            )
        ours = pid == os.getpid() and self.path.resolve() in _HELD
        if pid is not None and _alive(pid) and (pid != os.getpid() or ours):
            started = time.strftime("%Y-%m-%d %H:%M", time.localtime(holder.get("started", 0)))
            raise ValueError(
                f"{self.folder} is in use by process {pid} (since {started}); wait for it to "
                f"finish, or use another folder"
            )
        warnings.warn(
            f"taking over the stale lock of process {pid} in {self.folder} (that process is no "
            f"longer running)",
            stacklevel=4,
        )
        self.path.unlink(missing_ok=True)

    def __exit__(self, *exc_info: object) -> None:
        if self.held:
            _HELD.discard(self.path.resolve())
            self.path.unlink(missing_ok=True)
            self.held = False


def refuse_to_replace(path: object, what: str, continue_with: str, restart_with: str) -> None:
    """Raise the ValueError for a run that would replace the finished ``what`` at ``path``."""
    raise ValueError(
        f"{path} holds {what}; {continue_with} to continue it, or {restart_with} to start "
        f"again and replace it"
    )


def refuse_finished_results(path: object, what: str) -> None:
    """A command's results at ``path`` exist: raise, saying how to replace or keep them."""
    raise ValueError(
        f"{path} holds {what}; pass --overwrite to replace it or --output to write elsewhere"
    )
