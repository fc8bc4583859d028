"""Find removable drives to export to: mount points under /media and /run/media (or a test root)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Where desktop automounters put sticks: /media/LABEL, /media/USER/LABEL, /run/media/USER/LABEL.
SYSTEM_ROOTS = (Path("/media"), Path("/run/media"))


@dataclass(frozen=True)
class Drive:
    """A place an export can go, with its free space."""

    path: Path
    label: str
    free_bytes: int


def _writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def _mounts_under(root: Path) -> list[Path]:
    """Mount points one or two levels below `root` (the user level of /media/USER/LABEL)."""
    found: list[Path] = []
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        return found
    for child in children:
        if os.path.ismount(child):
            found.append(child)
            continue
        try:
            found.extend(sorted(p for p in child.iterdir() if p.is_dir() and os.path.ismount(p)))
        except OSError:
            continue
    return found


def find_drives(roots: Sequence[Path]) -> list[Drive]:
    """Writable drives under the configured roots. A root that is not a system mount root is
    itself a drive when it exists (a fixed export disk, or a plain directory in tests)."""
    candidates: list[Path] = []
    for root in roots:
        if root in SYSTEM_ROOTS:
            candidates.extend(_mounts_under(root))
        else:
            candidates.append(root)
    drives = []
    for path in candidates:
        if not _writable_dir(path):
            continue
        try:
            free = shutil.disk_usage(path).free
        except OSError:
            continue
        drives.append(Drive(path, path.name or str(path), free))
    return drives
