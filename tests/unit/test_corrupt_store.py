"""A damaged store is noticed: nothing is written into it, the file is kept, what is readable is
copied aside, and the commands and the kiosk say so."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.errors import CorruptDatabaseError
from kiosk.storage import open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.database import check_integrity, salvage
from tests.conftest import REPO

PAGE = 4096


def damaged_store(directory: Path, responses: int = 400) -> tuple[Path, int]:
    """A real store, closed, with random bytes over two pages in the middle (the audit's case)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "kiosk.sqlite3"
    database = open_database(path)
    save_many(database, synthetic_drafts(responses, seed=9))
    database.close()
    size = path.stat().st_size
    pages = size // PAGE
    assert pages > 20
    noise = random.Random(15).randbytes(2 * PAGE)
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * PAGE)
        handle.write(noise)
    return path, responses


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_integrity_tells_a_damaged_store_from_a_sound_one(tmp_path: Path) -> None:
    sound = tmp_path / "sound" / "kiosk.sqlite3"
    sound.parent.mkdir()
    open_database(sound).close()
    assert check_integrity(sound).ok and check_integrity(tmp_path / "missing.sqlite3").ok
    path, _ = damaged_store(tmp_path / "bad")
    report = check_integrity(path)
    assert not report.ok and report.problems and report.summary() != "ok"


def test_opening_a_damaged_store_refuses_writes_keeps_it_and_copies_the_readable_rows_aside(
    tmp_path: Path,
) -> None:
    path, written = damaged_store(tmp_path / "data")
    before = digest(path)

    with pytest.raises(CorruptDatabaseError, match="damaged") as raised:
        open_database(path)

    assert digest(path) == before  # kept exactly as it was
    copies = sorted(path.parent.glob("kiosk.sqlite3.recovered-*"))
    assert len(copies) == 1 and copies[0].name in str(raised.value)
    assert "docs/maintenance.md" in str(raised.value)
    with sqlite3.connect(copies[0]) as raw:
        kept = raw.execute("select count(*) from responses").fetchone()[0]
        device = raw.execute("select value from meta where key = 'device_id'").fetchone()
    raw.close()
    assert written // 2 < kept <= written and device is not None
    with pytest.raises(CorruptDatabaseError):
        open_database(path)
    assert len(list(path.parent.glob("kiosk.sqlite3.recovered-*"))) == 1  # one copy per state


def test_salvage_of_a_sound_store_copies_every_row(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    database = open_database(path)
    save_many(database, synthetic_drafts(30, seed=2))
    database.close()
    report = salvage(path)
    assert report.unreadable == () and "responses" in report.tables
    with sqlite3.connect(report.target) as raw:
        assert raw.execute("select count(*) from responses").fetchone()[0] == 30
    raw.close()


def test_status_simulate_and_export_on_a_damaged_store_fail_and_write_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "kiosk"
    path, _ = damaged_store(data)
    before = digest(path)

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args, "--data-dir", str(data)],
            cwd=REPO,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=300,
        )

    for args in (
        ("status",),
        ("simulate", "--visitors", "3"),
        ("export", "--format", "csv", "--out", str(tmp_path / "usb")),
    ):
        done = kiosk(*args)
        assert done.returncode != 0, (args, done.stdout)
        # simulate refuses a real kiosk's directory before it even opens the store
        refused = args[0] == "simulate" and "refuses a real kiosk" in done.stderr
        assert "damaged" in done.stderr or refused, (args, done.stderr)
        assert digest(path) == before, args
    assert not (tmp_path / "usb").exists()
