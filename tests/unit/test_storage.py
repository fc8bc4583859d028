"""The SQLite store: durable pragmas, migrations with backups, one transaction per response,
and clear errors for a bad location, a corrupt file or a full disk."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event

from kiosk.core.errors import (
    CorruptDatabaseError,
    DatabaseLocationError,
    DiskFullError,
    StorageError,
)
from kiosk.core.records import Answer, ConsentReceipt, ResponseDraft
from kiosk.storage import Repository, open_database
from kiosk.storage.abuse import BURST, TOO_FAST, AbuseRules
from kiosk.storage.database import (
    HEAD_REVISION,
    PAGE_CACHE_KIB,
    Database,
    head_revision,
    make_engine,
    upgrade,
)
from kiosk.storage.models import (
    AnswerRow,
    ConsentReceiptRow,
    ContactRow,
    FlagRow,
    OutboxRow,
    ResponseRow,
)
from kiosk.storage.outbox import Outbox, Settlement
from kiosk.storage.repository import encode_value
from tests.conftest import REPO

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
            # The page cache is bounded explicitly (negative: KiB, not pages).
            cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            assert cache == -PAGE_CACHE_KIB
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


# -- the lean submit path (kiosk.storage.submit) against the ORM models it replaced -----------


def orm_save(database: Database, draft: ResponseDraft, now: datetime, simulated: bool) -> None:
    """The submit as the ORM wrote it before the plain-SQL path (the reference for its rows)."""
    with database.sessions() as session, session.begin():
        session.add(
            ResponseRow(
                id=draft.id,
                form_id=draft.form_id,
                form_version=draft.form_version,
                form_hash=draft.form_hash,
                content_version=draft.content_version,
                language=draft.language,
                status=draft.status,
                started_at=draft.started_at,
                submitted_at=draft.submitted_at,
                device_id=database.device_id,
                receipt=draft.receipt,
                simulated=simulated,
                answers=[
                    AnswerRow(
                        question_id=a.question_id, position=i, value_json=encode_value(a.value)
                    )
                    for i, a in enumerate(draft.answers)
                ],
            )
        )
        session.flush()
        session.add(OutboxRow(response_id=draft.id, state="queued", attempts=0, updated_at=now))
        assert draft.consent is not None and draft.contact_ciphertext is not None
        session.add(
            ConsentReceiptRow(
                response_id=draft.id,
                text_version=draft.consent.text_version,
                choices_json=json.dumps(dict(draft.consent.choices), sort_keys=True),
                at=draft.consent.at,
            )
        )
        session.add(
            ContactRow(
                response_id=draft.id,
                ciphertext=draft.contact_ciphertext,
                created_at=draft.submitted_at,
            )
        )
        for kind in (BURST, TOO_FAST):
            session.add(FlagRow(response_id=draft.id, kind=kind, at=draft.submitted_at))


SUBMIT_TABLES = ("responses", "answers", "outbox", "consent_receipts", "contacts", "flags")


def table_rows(path: Path, device_id: str) -> dict[str, list[tuple[object, ...]]]:
    with contextlib.closing(sqlite3.connect(path)) as raw:
        return {
            table: sorted(
                tuple("DEVICE" if value == device_id else value for value in row)
                for row in raw.execute(f"SELECT * FROM {table}")
            )
            for table in SUBMIT_TABLES
        }


def test_the_plain_sql_submit_writes_exactly_the_rows_the_orm_models_wrote(tmp_path: Path) -> None:
    now = datetime(2026, 11, 27, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=9)))
    written = draft(
        answers=(
            Answer("q1", "외교 " * 30),  # NFC Hangul, long enough to be typed too fast
            Answer("q2", ("a", "b")),
            Answer("q3", 4),
            Answer("q4", True),
            Answer("q5", None),
        ),
        text_limits=(("q1", 500),),
        consent=ConsentReceipt("v2", (("contact", True), ("analytics", False)), T0),
        contact_ciphertext=b"\x00sealed\xff",
        receipt="K7-ABCD",
        started_at=T0 + timedelta(seconds=55),  # 90 characters in 5 s
    )
    for name in ("lean", "orm"):
        (tmp_path / name).mkdir()
    lean = open_database(tmp_path / "lean" / "k.sqlite3")
    orm = open_database(tmp_path / "orm" / "k.sqlite3")
    repository = Repository(lean, clock=lambda: now, abuse=AbuseRules(burst_count=1))
    repository.simulated = True
    stored = repository.save_response(written)
    orm_save(orm, written, now, simulated=True)
    lean.close()
    orm.close()
    assert stored.flags == (BURST, TOO_FAST) and stored.has_contact and stored.simulated
    assert stored.receipt == "K7-ABCD" and stored.answers == written.answers
    lean_rows = table_rows(tmp_path / "lean" / "k.sqlite3", lean.device_id)
    assert lean_rows == table_rows(tmp_path / "orm" / "k.sqlite3", orm.device_id)
    assert all(lean_rows[table] for table in SUBMIT_TABLES)  # every table was written
    assert lean_rows["outbox"][0][-3] == "2026-11-27T03:00:00.123456+00:00"  # UTC, fixed width


def test_a_failure_inside_the_submit_rolls_back_every_row_and_the_next_submit_works(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    # The same question twice: the second answer row breaks the primary key after the response
    # and the first answer were inserted in the same transaction.
    broken = draft(
        answers=(Answer("q1", "a"), Answer("q1", "b")),
        consent=ConsentReceipt("v1", (("contact", True),), T0),
    )
    with pytest.raises(StorageError, match=rf"{tmp_path / 'k.sqlite3'}: UNIQUE"):
        repository.save_response(broken)
    with contextlib.closing(sqlite3.connect(tmp_path / "k.sqlite3")) as raw:
        for table in SUBMIT_TABLES:
            assert raw.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    with pytest.raises(ValueError, match="not NFC"):
        repository.save_response(
            draft(answers=(Answer("q1", "\u1100\u1161"),), text_limits=(("q1", 10),))
        )
    kept = draft()
    repository.save_response(kept)  # no transaction was left open on the pooled connection
    assert [r.id for r in repository.iter_responses()] == [kept.id]
    database.close()


def test_a_submit_takes_the_write_lock_and_commits_on_a_full_sync_connection(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    statements: list[str] = []
    pooled = database.engine.raw_connection()
    try:
        connection = pooled.driver_connection
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        connection.set_trace_callback(statements.append)
    finally:
        pooled.close()
    Repository(database).save_response(draft())
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert sum(s.startswith("INSERT INTO") for s in statements) >= 3
    database.close()


POWER_CUT_WRITER = """
import sys, uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from kiosk.core.records import Answer, ResponseDraft
from kiosk.storage import Repository, open_database
from kiosk.storage.abuse import AbuseRules
repository = Repository(open_database(Path(sys.argv[1])), abuse=AbuseRules(burst_window_s=0))
at = datetime(2026, 11, 27, tzinfo=UTC)
for n in range(100_000):
    rid = str(uuid.uuid4())
    repository.save_response(ResponseDraft(
        rid, "weekly", 1, "ab" * 32, "c", "ko", "complete", at, at + timedelta(seconds=n),
        (Answer("q1", "평화"), Answer("q2", n))))
    print(rid, flush=True)  # only after save_response returned: the visitor was thanked
"""


def test_every_acknowledged_submit_survives_the_process_being_killed(tmp_path: Path) -> None:
    store = tmp_path / "k.sqlite3"
    open_database(store).close()
    with subprocess.Popen(
        [sys.executable, "-c", POWER_CUT_WRITER, str(store)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    ) as writer:  # fmt: skip
        assert writer.stdout is not None
        acknowledged = [writer.stdout.readline().strip() for _ in range(200)]
        writer.send_signal(signal.SIGKILL)  # mid-write, like a kiosk losing power
        writer.wait(timeout=10)
        acknowledged += [line.strip() for line in writer.stdout if line.strip()]
    assert writer.returncode == -signal.SIGKILL
    assert all(acknowledged) and len(acknowledged) >= 200
    with contextlib.closing(sqlite3.connect(store)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in raw.execute("SELECT id FROM responses")}
        assert set(acknowledged) <= stored
        # Nothing half-written: every response has both answers and its outbox entry.
        assert raw.execute("SELECT count(*) FROM answers").fetchone() == (2 * len(stored),)
        assert raw.execute("SELECT count(*) FROM outbox").fetchone() == (len(stored),)


def test_a_batch_is_claimed_durably_and_settled_in_one_relaxed_transaction(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "k.sqlite3")
    repository = Repository(database)
    drafts = [draft() for _ in range(3)]
    for written in drafts:
        repository.save_response(written)
    outbox = Outbox(database)
    statements: list[str] = []
    pooled = database.engine.raw_connection()
    try:
        pooled.driver_connection.set_trace_callback(statements.append)
    finally:
        pooled.close()
    chosen = outbox.candidates(10)
    assert [c.id for c in chosen] == [d.id for d in drafts]
    statements.clear()
    batch = outbox.create_batch("batch-1", chosen[:2], 100)
    assert batch is not None and [r.id for r in batch.responses] == [d.id for d in drafts[:2]]
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert not any("synchronous" in s for s in statements)  # waited to disk (FULL)
    # A member already in a batch: nothing of the second batch is written.
    assert outbox.create_batch("batch-2", chosen[1:], 100) is None
    statements.clear()
    settled = outbox.settle(
        "batch-1",
        {drafts[0].id: ("accepted", None), drafts[1].id: ("conflict", "other content")},
        last_success_at="2026-11-27T03:00:00+00:00",
    )
    assert settled == Settlement(sent=1, duplicates=0, quarantined=1, requeued=0)
    assert statements[0] == "PRAGMA synchronous=NORMAL"
    assert statements[1] == "BEGIN IMMEDIATE" and statements[-2] == "COMMIT"
    assert statements[-1] == "PRAGMA synchronous=FULL"
    assert sum(s == "COMMIT" for s in statements) == 1
    assert outbox.facts()["last_success_at"] == "2026-11-27T03:00:00+00:00"
    states = {r.id: r.sync_state for r in repository.iter_responses()}
    assert states == {drafts[0].id: "sent", drafts[1].id: "quarantined", drafts[2].id: "queued"}
    with contextlib.closing(sqlite3.connect(tmp_path / "k.sqlite3")) as raw:
        assert raw.execute("SELECT id, state FROM sync_batches").fetchall() == [
            ("batch-1", "settled")
        ]
        assert raw.execute(
            "SELECT last_error FROM outbox WHERE state = 'quarantined'"
        ).fetchone() == ("conflict: other content",)
    database.close()
