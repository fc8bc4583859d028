"""Files only the kiosk user may read: the data directory 0700, every file in it 0600.

The visitors' free text, the audit log and the PIN hash live there, so nothing may depend on the
umask of whoever started the process: the entry points set a private umask, and the store checks
its own files at open (an older install, or a copy made by hand, is tightened then).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_process() -> int:
    """Make every file this process creates private (umask 077); the previous umask."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """Create `path` (and its missing parents) if needed, and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    tighten(path)
    return path


def private_file(path: Path) -> Path:
    """Create an empty file 0600 if it does not exist (before SQLite opens it: its WAL and
    shared-memory files take the database file's mode), and make an existing one 0600."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path)
    return path


def tighten(path: Path) -> None:
    """0700 for a directory, 0600 for a file, when it is looser and ours to change."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        return
    wanted = DIR_MODE if stat.S_ISDIR(mode) else FILE_MODE
    if stat.S_IMODE(mode) & ~wanted:
        with contextlib.suppress(PermissionError):  # not ours (a mounted drive): leave it
            os.chmod(path, stat.S_IMODE(mode) & wanted)


def tighten_all(paths: Iterable[Path]) -> None:
    for path in paths:
        tighten(path)
