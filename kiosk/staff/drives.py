"""Find removable drives to export to: mount points under /media and /run/media (or a test root)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
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


def mounting_tool() -> str | None:
    """udisks2's command line: mounts and powers off sticks for an unprivileged user, no desktop."""
    return shutil.which("udisksctl")


def _device_of(mount_point: Path) -> str | None:
    """The block device mounted at `mount_point` (from /proc/self/mounts)."""
    try:
        lines = Path("/proc/self/mounts").read_text("utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) > 2 and fields[1].replace("\\040", " ") == str(mount_point):
            return fields[0]
    return None


def mount_sticks(tool: str | None = None) -> list[Path]:
    """Mount every removable partition not mounted yet, through udisks2 (no file manager needed);
    the mount points (under /media/kiosk) it reports."""
    tool = tool or mounting_tool()
    if tool is None:
        return []
    try:
        listing = subprocess.run(
            ["lsblk", "--json", "-o", "PATH,RM,HOTPLUG,FSTYPE,MOUNTPOINT,TYPE"],
            capture_output=True, text=True, timeout=10, check=True,
        )  # fmt: skip
        devices = json.loads(listing.stdout).get("blockdevices", [])
    except (OSError, subprocess.SubprocessError, ValueError):
        return []
    mounted: list[Path] = []
    for device in _flatten(devices):
        removable = device.get("rm") in (True, "1") or device.get("hotplug") in (True, "1")
        if not removable or not device.get("fstype") or device.get("mountpoint"):
            continue
        answer = subprocess.run(
            [tool, "mount", "--block-device", str(device["path"]), "--no-user-interaction"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        found = re.search(r" at (.+?)\.?$", answer.stdout.strip())
        if answer.returncode == 0 and found:
            mounted.append(Path(found.group(1)))
    return mounted


def _flatten(devices: list[dict[str, object]]) -> list[dict[str, object]]:
    flat: list[dict[str, object]] = []
    for device in devices:
        flat.append(device)
        children = device.get("children")
        if isinstance(children, list):
            flat.extend(_flatten(children))
    return flat


def release_stick(mount_point: Path, tool: str | None = None) -> bool:
    """After an export: flush, unmount and power off the stick holding `mount_point`, so staff can
    pull it out. True when it is safe to remove; False when it is not a stick udisks2 manages (a
    fixed export disk, a test directory) or it could not be unmounted."""
    tool = tool or mounting_tool()
    root = mount_point
    while not os.path.ismount(root) and root != root.parent:
        root = root.parent
    device = _device_of(root)
    if tool is None or device is None or not device.startswith("/dev/") or root == Path("/"):
        return False
    os.sync()
    answer = subprocess.run(
        [tool, "unmount", "--block-device", device, "--no-user-interaction"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if answer.returncode != 0:
        return False
    subprocess.run(
        [tool, "power-off", "--block-device", device, "--no-user-interaction"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return True
