"""Privacy at rest: the data directory 0700 and every file in it 0600, whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import load_pack
from kiosk.storage import Repository, open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.export import ExportRequest, run_export
from kiosk.storage.queries import StaffQueries
from tests.conftest import REPO, SAMPLE_CONTENT


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The Debian default umask, under which files are created world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_private(root: Path) -> None:
    loose = {
        name: oct(mode)
        for name, mode in modes(root).items()
        if mode != (0o700 if (root / name).is_dir() else 0o600)
    }
    assert loose == {}, f"readable by other accounts under {root}: {loose}"


def test_the_store_its_wal_and_shm_and_its_directory_are_private_under_umask_022(
    tmp_path: Path, loose_umask: None
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    database = open_database(data / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(5, seed=1))
    with database.engine.connect():  # the -wal and -shm files exist while a connection is open
        assert {p.name for p in data.iterdir()} >= {"kiosk.sqlite3-wal", "kiosk.sqlite3-shm"}
        assert_private(data)
    out = tmp_path / "usb"
    out.mkdir()
    forms = load_pack(SAMPLE_CONTENT).forms
    request = ExportRequest("csv", out / "export")
    result = run_export(Repository(database), StaffQueries(database), forms, request)
    database.close()
    assert_private(result.out_dir)


def test_an_older_install_made_world_readable_is_tightened_at_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "kiosk.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("create table t (x)")
    raw.close()
    os.chmod(data, 0o755)
    os.chmod(path, 0o644)
    open_database(path).close()
    assert_private(data)


def test_every_file_the_commands_write_is_private_under_umask_022(tmp_path: Path) -> None:
    data, usb = tmp_path / "kiosk", tmp_path / "usb"
    usb.mkdir()

    def kiosk(*args: str, stdin: str = "") -> None:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            cwd=REPO,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=lambda: os.umask(0o022),
        )
        assert done.returncode == 0, done.stderr

    kiosk("set-pin", "--data-dir", str(data), "--create", stdin="482913\n")
    kiosk("simulate", "--visitors", "3", "--data-dir", str(data))
    kiosk("export", "--format", "jsonl", "--out", str(usb / "export"), "--data-dir", str(data))
    assert_private(data)
    assert (usb / "export" / "manifest.json").is_file()
    assert_private(usb / "export")
