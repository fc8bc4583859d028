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

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
# The newest migration. Kept here so a normal start need not import Alembic (half a second);
# a test checks it against the migration scripts.
HEAD_REVISION = "0006"
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
    target = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
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
