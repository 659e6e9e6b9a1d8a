import json
import os
import subprocess
import sys

import pytest

from cnnlab.io.folders import LOCK_NAME, FolderLock


def test_the_lock_records_its_holder_and_goes_away(tmp_path):
    with FolderLock(tmp_path / "run"):
        record = json.loads((tmp_path / "run" / LOCK_NAME).read_text())
        assert record["pid"] == os.getpid()
    assert not (tmp_path / "run" / LOCK_NAME).exists()


def test_a_held_folder_is_refused_also_in_the_same_process(tmp_path):
    with FolderLock(tmp_path), pytest.raises(ValueError, match=f"in use by process {os.getpid()}"):
        FolderLock(tmp_path).__enter__()


def test_a_lock_of_a_live_process_is_refused(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        record = {"pid": sleeper.pid, "host": os.uname().nodename, "started": 0}
        (tmp_path / LOCK_NAME).write_text(json.dumps(record))
        with pytest.raises(ValueError, match=f"in use by process {sleeper.pid}"):
            FolderLock(tmp_path).__enter__()
    finally:
        sleeper.kill()
        sleeper.wait()
    with pytest.warns(UserWarning, match="stale lock"), FolderLock(tmp_path):
        pass


def test_a_lock_from_another_host_is_refused(tmp_path):
    record = {"pid": 1, "host": "elsewhere", "started": 0}
    (tmp_path / LOCK_NAME).write_text(json.dumps(record))
    with pytest.raises(ValueError, match="in use by process 1 on elsewhere; if that run is gone"):
        FolderLock(tmp_path).__enter__()
