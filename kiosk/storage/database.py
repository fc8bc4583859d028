"""Open the SQLite store: check the location, back up, migrate, and set durable pragmas."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.core.errors import (
    CorruptDatabaseError,
    DatabaseLocationError,
    DiskFullError,
    StorageError,
)
from kiosk.storage.models import MetaRow
from kiosk.storage.private import private_file, tighten, tighten_all

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
# The newest migration. Kept here so a normal start need not import Alembic (half a second);
# a test checks it against the migration scripts.
HEAD_REVISION = "0006"
# SQLite's page cache per pooled connection, in KiB (PRAGMA cache_size takes it negated). It fills
# with the pages read and then stays at this size: the kiosk's resident memory grows by up to this
# much per connection as the store grows, then stops. SQLite's default is 2000 KiB; 1 MiB keeps a
# submit's pages (the tails of a few tables and indexes) many times over, and the OS file cache
# serves the rest of a staff report's scan.
PAGE_CACHE_KIB = 1024
MIGRATIONS = Path(__file__).parent / "migrations"


def head_revision() -> str:
    """The newest migration this code knows, read from the migration scripts themselves."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The schema revision stamped in the database (None for a new, empty file)."""
    exists = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    ).first()
    if exists is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")  # a bound on memory, see above
    # Deleted rows (purged contact details) are overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def translate_error(error: Exception, path: Path) -> StorageError:
    """Map SQLite's messages to the typed errors the screens know how to explain."""
    text = str(error).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError(f"{path}: the disk is full; the answer was not saved")
    if "not a database" in text or "malformed" in text:
        return CorruptDatabaseError(f"{path}: not a readable SQLite database ({error})")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseLocationError(f"{path}: cannot write the database here ({error})")
    return StorageError(f"{path}: {error}")


@contextlib.contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn SQLite failures inside the block into typed StorageErrors naming the file."""
    try:
        yield
    except (OperationalError, DatabaseError) as exc:
        raise translate_error(exc.orig or exc, path) from exc
    except sqlite3.Error as exc:
        raise translate_error(exc, path) from exc


def _check_location(path: Path) -> None:
    directory = path.parent
    if not directory.exists():
        raise DatabaseLocationError(f"{directory}: the data directory does not exist")
    if not directory.is_dir():
        raise DatabaseLocationError(f"{directory}: the data directory path is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DatabaseLocationError(f"{directory}: the data directory is not writable")
    if path.exists():
        if not path.is_file():
            raise DatabaseLocationError(f"{path}: the database path is not a file")
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise CorruptDatabaseError(f"{path}: not a SQLite database (unexpected file header)")


def _backup(path: Path, revision: str, keep: int) -> Path:
    """Copy the live database (through SQLite's backup API, safe with WAL) before migrating it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = private_file(path.with_name(f"{path.name}.bak-{revision}-{stamp}"))
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    backups = sorted(path.parent.glob(f"{path.name}.bak-*"), key=lambda p: p.stat().st_mtime)
    for old in backups[:-keep]:
        old.unlink()
    log.info("backed up %s to %s before migrating", path, target.name)
    return target


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """What SQLite's quick_check says of a store file: `ok`, or the first problems it names."""

    path: Path
    ok: bool
    problems: tuple[str, ...]
    checked_at: datetime

    def summary(self) -> str:
        return "ok" if self.ok else "; ".join(self.problems[:3])


@dataclass(frozen=True, slots=True)
class SalvageReport:
    """What could be read out of a damaged store into a new file beside it."""

    source: Path
    target: Path
    rows: int
    tables: tuple[str, ...]
    unreadable: tuple[str, ...]  # tables (or parts of them) that could not be read


def check_integrity(path: Path, max_problems: int = 10) -> IntegrityReport:
    """PRAGMA quick_check on `path`, read-only (a missing or empty file is fine: nothing to
    damage). `kiosk doctor`, `kiosk status`, every open and the kiosk's daily check use it."""
    path = Path(path)
    now = datetime.now(UTC)
    if not path.exists() or path.stat().st_size == 0:
        return IntegrityReport(path, True, (), now)
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as raw:
            rows = raw.execute(f"PRAGMA quick_check({int(max_problems)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return IntegrityReport(path, False, (str(exc),), now)
    problems = tuple(str(row[0]) for row in rows)
    ok = problems == ("ok",)
    return IntegrityReport(path, ok, () if ok else problems, now)


def salvage(path: Path, target: Path | None = None) -> SalvageReport:
    """Copy every row SQLite can still read from a damaged store into a new file (0600), table by
    table; the damaged file itself is never changed. Rows past a damaged page are reached by a
    second scan from the other end."""
    path = Path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = target or path.with_name(f"{path.name}.recovered-{stamp}")
    private_file(target)
    tables: list[str] = []
    unreadable: list[str] = []
    rows = 0
    uri = f"{path.resolve().as_uri()}?mode=ro"
    with (
        contextlib.closing(sqlite3.connect(uri, uri=True)) as source,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        try:
            schema = source.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                " AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            return SalvageReport(path, target, 0, (), (f"schema: {exc}",))
        for kind, name, sql in schema:
            try:
                copy.execute(sql)
            except sqlite3.DatabaseError as exc:
                unreadable.append(f"{name}: schema ({exc})")
                continue
            if kind != "table":
                continue
            copied = _copy_rows(source, copy, name, unreadable)
            rows += copied
            tables.append(name)
        copy.commit()
    return SalvageReport(path, target, rows, tuple(tables), tuple(unreadable))


def _copy_rows(
    source: sqlite3.Connection, copy: sqlite3.Connection, table: str, unreadable: list[str]
) -> int:
    quoted = '"' + table.replace('"', '""') + '"'
    copied = 0
    for order in ("ASC", "DESC"):
        try:
            cursor = source.execute(f"SELECT * FROM {quoted} ORDER BY rowid {order}")
            for row in cursor:
                marks = ", ".join("?" * len(row))
                result = copy.execute(f"INSERT OR IGNORE INTO {quoted} VALUES ({marks})", row)
                copied += result.rowcount
            break  # the whole table was read in one scan
        except sqlite3.DatabaseError as exc:
            if order == "DESC":
                unreadable.append(f"{table}: {exc}")
        except sqlite3.Error as exc:  # a WITHOUT ROWID table: one plain scan
            unreadable.append(f"{table}: {exc}")
            break
    return copied


def salvage_once(path: Path) -> SalvageReport | None:
    """Salvage a damaged store unless this very state of it was already copied aside (the copy's
    name carries the damaged file's size and time), so each open does not add a copy."""
    info = path.stat()
    target = path.with_name(f"{path.name}.recovered-{info.st_size}-{info.st_mtime_ns}")
    if target.exists():
        return None
    try:
        report = salvage(path, target)
    except (sqlite3.Error, OSError) as exc:
        log.error("could not copy what is readable out of %s: %s", path, exc)
        return None
    log.error(
        "copied %d readable row(s) of damaged %s to %s (unreadable: %s)",
        report.rows,
        path,
        target.name,
        "; ".join(report.unreadable) or "nothing",
    )
    return report


def require_intact(path: Path) -> None:
    """Raise CorruptDatabaseError (after copying what is readable aside) when quick_check fails:
    nothing may be written into a damaged store, and it is kept as it is for recovery."""
    report = check_integrity(path)
    if report.ok:
        return
    salvage_once(path)
    copies = sorted(p.name for p in path.parent.glob(f"{path.name}.recovered-*"))
    where = ", ".join(copies) or "no copy (it could not be made)"
    raise CorruptDatabaseError(
        f"{path}: the database is damaged (quick_check: {report.summary()}); the kiosk takes no "
        f"visitors and writes nothing into it. The file is kept as it is; what could be read is "
        f"in {where}. Recovery: docs/maintenance.md, 'A damaged database'."
    )


@dataclass(frozen=True)
class Database:
    """An opened, migrated store: its engine, session factory and install facts."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    device_id: str

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return current_revision(connection)

    def close(self) -> None:
        self.engine.dispose()


@contextlib.contextmanager
def write_transaction(database: Database, durable: bool = True) -> Iterator[sqlite3.Cursor]:
    """A cursor on the pooled sqlite3 connection inside `BEGIN IMMEDIATE` (the write lock taken
    up front, so what is read in it cannot go stale before the writes), committed on leaving the
    block and rolled back on any error. The hot paths (a submit, a batch formed or settled) use
    it with plain SQL: the ORM's unit of work cost more than the commit itself.

    `durable=False` commits without waiting for the disk (WAL, synchronous=NORMAL, then FULL
    again): only for a write that may be lost in a power cut without harm (a batch settlement:
    the batch is sent again and the server answers `duplicate`); the next durable commit
    flushes it. Callers wrap it in `storage_errors`."""
    pooled = database.engine.raw_connection()
    try:
        connection: sqlite3.Connection = pooled.driver_connection  # type: ignore[assignment]
        if not durable:
            connection.execute("PRAGMA synchronous=NORMAL")
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            cursor.close()
            if not durable:
                connection.execute("PRAGMA synchronous=FULL")
    finally:
        pooled.close()  # back to the pool


@contextlib.contextmanager
def read_transaction(database: Database) -> Iterator[sqlite3.Cursor]:
    """A cursor on the pooled sqlite3 connection in a read transaction: every statement in the
    block reads the same snapshot (WAL readers never wait for the writer). For the sync worker's
    hot reads, in plain SQL; callers wrap it in `storage_errors`."""
    pooled = database.engine.raw_connection()
    try:
        connection: sqlite3.Connection = pooled.driver_connection  # type: ignore[assignment]
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN")
            yield cursor
        finally:
            cursor.close()
            connection.rollback()
    finally:
        pooled.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def upgrade(engine: Engine, path: Path, backups_kept: int, target: str = "head") -> None:
    """Bring the schema to `target`, backing up a non-empty database first."""
    with engine.connect() as connection:
        current = current_revision(connection)
    wanted = HEAD_REVISION if target == "head" else target
    if current == wanted:
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    if current is not None:
        _backup(path, current, backups_kept)
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    log.info("database %s migrated from %s to %s", path, current or "empty", wanted)


def open_database(path: Path, backups_kept: int = 3) -> Database:
    """Open (creating if needed) and migrate the store at `path`; errors name the path."""
    path = Path(path)
    _check_location(path)
    require_intact(path)
    tighten(path.parent)
    private_file(path)  # before SQLite: its -wal and -shm files are made with this file's mode
    tighten_all(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))
    engine = make_engine(path)
    try:
        with storage_errors(path):
            upgrade(engine, path, backups_kept)
            sessions = sessionmaker(engine, expire_on_commit=False)
            with sessions.begin() as session:
                row = session.scalar(select(MetaRow).where(MetaRow.key == "device_id"))
                if row is None:
                    row = MetaRow(key="device_id", value=str(uuid.uuid4()))
                    session.add(row)
                device_id = row.value
    except BaseException:
        engine.dispose()
        raise
    return Database(path=path, engine=engine, sessions=sessions, device_id=device_id)
