"""USB export without a desktop: after the export the stick is flushed, unmounted and powered
off through udisks2, and staff read that they can remove it.

Faked: udisksd itself (test machines have no system D-Bus), replaced by a stand-in `udisksctl`
script that does what udisksd would (umount); the mount is a real tmpfs mounted by the test (root).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.i18n.texts import TEXTS
from kiosk.staff.drives import find_drives, release_stick

STAND_IN = """#!/bin/sh
echo "$@" >> {log}
case "$1" in
  unmount) umount "$3" && echo "Unmounted $3." ;;
  power-off) exit 0 ;;
  *) exit 1 ;;
esac
"""


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "media" / "STICK"
    mount_point.mkdir(parents=True)
    # A block device is what udisks2 manages; a loop device over a file stands in for the stick.
    image = tmp_path / "stick.img"
    image.write_bytes(b"\0" * 4 * 1024 * 1024)
    loop = subprocess.run(
        ["losetup", "--find", "--show", str(image)], capture_output=True, text=True
    )
    if loop.returncode != 0:  # containers without loop devices: a tmpfs named like a device
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "/dev/fake-stick",
                        str(mount_point)], check=True)  # fmt: skip
        device = None
    else:
        device = loop.stdout.strip()
        subprocess.run(["mkfs.ext4", "-q", device], check=True)
        subprocess.run(["mount", device, str(mount_point)], check=True)
    yield mount_point
    if os.path.ismount(mount_point):
        subprocess.run(["umount", str(mount_point)], check=False)
    if device:
        subprocess.run(["losetup", "-d", device], check=False)


def test_a_stick_is_released_after_the_export_and_staff_are_told(
    stick: Path, tmp_path: Path
) -> None:
    log = tmp_path / "udisksctl.log"
    tool = tmp_path / "udisksctl"
    tool.write_text(STAND_IN.format(log=log), "utf-8")
    tool.chmod(0o755)
    assert [d.path for d in find_drives([stick])] == [stick]
    export = stick / "kiosk-export-lobby-1"
    export.mkdir()
    (export / "responses.csv").write_text("id\n", "utf-8")
    assert release_stick(export, str(tool)) is True
    assert not os.path.ismount(stick)
    calls = log.read_text("utf-8").splitlines()
    assert calls[0].startswith("unmount --block-device /dev/") and calls[1].startswith("power-off")
    assert "USB" in TEXTS["staff.export.done_remove"]["ko"]
    assert "remove the stick" in TEXTS["staff.export.done_remove"]["en"]


def test_a_plain_directory_is_not_released(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    assert release_stick(folder, "/bin/false") is False
