"""The SQLite store: durable pragmas, migrations with backups, one transaction per response,
and clear errors for a bad location, a corrupt file or a full disk."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.core.errors import CorruptDatabaseError, DatabaseLocationError, DiskFullError
from kiosk.core.records import Answer, ResponseDraft
from kiosk.storage import Repository, open_database
from kiosk.storage.database import HEAD_REVISION, head_revision, make_engine, upgrade

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def draft(form_id: str = "weekly", status: str = "complete", **changes: object) -> ResponseDraft:
    base = ResponseDraft(
        id=str(uuid.uuid4()),
        form_id=form_id,
        form_version=1,
        form_hash="ab" * 32,
        content_version="c0ffee",
        language="ko",
        status=status,  # type: ignore[arg-type]
        started_at=T0,
        submitted_at=T0 + timedelta(minutes=1),
        answers=(
            Answer("q1", "평화"),
            Answer("q2", ("a", "b")),
            Answer("q3", 4),
            Answer("q4", True),
        ),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_the_head_constant_matches_the_migration_scripts() -> None:
    assert head_revision() == HEAD_REVISION


def test_new_database_is_at_head_in_wal_with_full_sync_and_a_device_id(tmp_path: Path) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    try:
        assert database.revision() == head_revision()
        uuid.UUID(database.device_id)
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.close()
    again = open_database(tmp_path / "k.sqlite3")
    assert again.device_id == database.device_id  # made once, at first start
    again.close()


def test_response_answers_and_outbox_entry_are_written_together_and_read_back_frozen(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    written = draft()
    repository.save_response(written)
    stored = repository.response(written.id)
    assert stored is not None
    assert stored.answers == written.answers
    assert stored.answer("q2") == ("a", "b")
    assert stored.submitted_at == written.submitted_at
    assert stored.device_id == database.device_id
    assert stored.sync_state == "queued"
    with pytest.raises(dataclasses.FrozenInstanceError):
        stored.status = "abandoned"  # type: ignore[misc]
    database.close()
    with contextlib.closing(sqlite3.connect(tmp_path / "k.sqlite3")) as raw:
        assert raw.execute("select count(*) from answers").fetchone() == (4,)
        assert raw.execute("select state from outbox").fetchone() == ("queued",)
        assert raw.execute("select value_json from answers where question_id='q1'").fetchone() == (
            '"평화"',
        )


def test_a_failing_write_leaves_no_partial_response(tmp_path: Path) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    first = draft()
    repository.save_response(first)
    with pytest.raises(Exception, match="UNIQUE"):
        repository.save_response(draft(id=first.id, answers=(Answer("zz", 1),)))
    assert [r.id for r in repository.iter_responses()] == [first.id]
    assert repository.response(first.id).answers == first.answers  # type: ignore[union-attr]
    database.close()


def test_full_disk_gives_disk_full_error_and_keeps_what_was_stored(tmp_path: Path) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    kept = draft()
    repository.save_response(kept)

    def cap_pages(connection: object, _record: object) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        connection.execute(f"PRAGMA max_page_count={pages}")  # type: ignore[attr-defined]

    database.engine.dispose()
    event.listen(database.engine, "connect", cap_pages)
    big = draft(answers=tuple(Answer(f"q{i}", "가" * 4000) for i in range(40)))
    with pytest.raises(DiskFullError, match="disk is full"):
        repository.save_response(big)
    assert [r.id for r in repository.iter_responses()] == [kept.id]
    database.close()


def test_missing_or_read_only_directory_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(DatabaseLocationError, match=str(tmp_path / "absent")):
        open_database(tmp_path / "absent" / "k.sqlite3")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            # root ignores permission bits: make the directory unusable another way.
            locked.chmod(0o700)
            (locked / "k.sqlite3").mkdir()
            with pytest.raises(DatabaseLocationError, match="not a file"):
                open_database(locked / "k.sqlite3")
        else:
            with pytest.raises(
                DatabaseLocationError, match=f"{locked}: the data directory is not writable"
            ):
                open_database(locked / "k.sqlite3")
    finally:
        locked.chmod(0o700)


def test_corrupt_file_is_refused_with_the_path_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    path.write_bytes(b"this is not a database at all" * 10)
    with pytest.raises(CorruptDatabaseError, match=str(path)):
        open_database(path)
    assert path.read_bytes().startswith(b"this is not")


def test_upgrade_from_previous_revision_backs_up_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    engine = make_engine(path)
    upgrade(engine, path, backups_kept=3, target="0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "insert into responses values ('r1','weekly',1,'h','c','ko','complete',"
            "'2026-11-27T03:00:00.000000+00:00','2026-11-27T03:01:00.000000+00:00','dev')"
        )
        connection.exec_driver_sql(
            "insert into outbox values ('r1','queued',0,null,null,'2026-11-27T03:01:00.000000+00:00')"
        )
    engine.dispose()
    database = open_database(path)
    try:
        assert database.revision() == head_revision() != "0001"
        backups = list(tmp_path.glob("k.sqlite3.bak-0001-*"))
        assert len(backups) == 1
        with contextlib.closing(sqlite3.connect(backups[0])) as old:
            assert old.execute("select id from responses").fetchall() == [("r1",)]
            assert old.execute("select version_num from alembic_version").fetchone() == ("0001",)
        repository = Repository(database)
        assert [r.id for r in repository.iter_responses()] == ["r1"]
        repository.record_audit("system", "test", count=1)
        assert repository.audit_entries()[0].detail == {"count": 1}
    finally:
        database.close()


def test_streaming_read_pages_through_every_response_in_order(tmp_path: Path) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    ids = []
    for minute in range(23):
        written = draft(
            submitted_at=T0 + timedelta(minutes=minute), form_id="a" if minute % 2 else "b"
        )
        repository.save_response(written)
        ids.append(written.id)
    assert [r.id for r in repository.iter_responses(chunk=5)] == ids
    assert len(list(repository.iter_responses(form_ids=["a"], chunk=4))) == 11
    since = list(repository.iter_responses(since=T0 + timedelta(minutes=20)))
    assert [r.id for r in since] == ids[20:]
    counts = {(c.form_id, c.status): c.count for c in repository.counts()}
    assert counts == {("a", "complete"): 11, ("b", "complete"): 12}
    database.close()


def test_visit_outcomes_are_counted_per_day_without_any_content(tmp_path: Path) -> None:
    now = [T0]
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database, clock=lambda: now[0])
    for outcome in ("completed", "completed", "left"):
        repository.count_visit(outcome)
    now[0] = T0 + timedelta(days=2)
    repository.count_visit("abandoned_kept")
    repository.count_visit("completed")
    assert repository.visit_counts() == {"completed": 3, "left": 1, "abandoned_kept": 1}
    assert repository.visit_counts(since=now[0].date()) == {"abandoned_kept": 1, "completed": 1}
    database.close()
