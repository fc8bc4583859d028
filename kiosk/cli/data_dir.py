"""Which data directory a command may use: a typo must never start a new kiosk, and the
simulation tools must never write into a real one."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from kiosk.config.settings import INSTALLED_DATA_DIR, KioskConfig
from kiosk.core.errors import KioskError

HOW_TO_CREATE = (
    "On a kiosk PC, `sudo packaging/install.sh` creates {installed}; for development, "
    "`make run` (or `kiosk run --data-dir var --create`) creates ./var"
)


class DataDirError(KioskError):
    """The data directory is missing or is not one this command may use."""


def _how_to_create() -> str:
    return HOW_TO_CREATE.format(installed=INSTALLED_DATA_DIR)


def check_store(config: KioskConfig, create: bool) -> None:
    """Allow a command to open (and so maybe create) the store at config.db_path.

    A store is created only in the data directory of a fresh install (it exists and is empty:
    the installer made it) or with --create (which makes the directory, never its parents).
    Anything else, a missing directory above all, is named and refused."""
    data_dir = config.data_dir
    if config.db_path.exists():
        return
    if create:
        if not data_dir.parent.is_dir():
            raise DataDirError(
                f"{data_dir.parent}: no such directory; --create makes only the data directory "
                "itself, not its parents"
            )
        try:
            data_dir.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise DataDirError(f"{data_dir}: cannot create ({exc.strerror})") from None
        return
    if not data_dir.exists():
        raise DataDirError(
            f"{data_dir}: no such data directory, so there is no kiosk here. "
            f"{_how_to_create()}. If you meant a new kiosk here, add --create."
        )
    if not data_dir.is_dir():
        raise DataDirError(f"{data_dir}: not a directory")
    if any(data_dir.iterdir()):
        raise DataDirError(
            f"{data_dir}: holds no kiosk store ({config.storage.db_file}) but other files; "
            "check --data-dir, or add --create to start a new kiosk here"
        )


def simulation_dir(config: KioskConfig, given: Path | None, tool: str, create: bool) -> Path:
    """The directory `simulate` or `screenshots` may write: a fresh temporary one when none is
    given; a given one must not be the configured data directory, nor hold visitor responses the
    tools did not make, nor an enrolled device token."""
    if given is None:
        return Path(tempfile.mkdtemp(prefix=f"kiosk-{tool}-"))
    chosen = given.resolve()
    if chosen == config.data_dir:
        raise DataDirError(
            f"{chosen}: this is the kiosk's own data directory; {tool} never writes there "
            "(leave out --data-dir to use a fresh temporary directory)"
        )
    if not chosen.exists():
        if not create:
            raise DataDirError(
                f"{chosen}: no such directory; add --create to make it, or leave out --data-dir "
                "to use a fresh temporary directory"
            )
        if not chosen.parent.is_dir():
            raise DataDirError(f"{chosen.parent}: no such directory (--create makes one level)")
        chosen.mkdir(mode=0o700)
        return chosen
    keyring = config.with_data_dir(chosen).keyring_path
    if keyring.exists():
        raise DataDirError(
            f"{chosen}: holds an enrolled device token ({keyring}); {tool} refuses a real kiosk's "
            "directory"
        )
    real = real_responses(chosen / config.storage.db_file)
    if real:
        raise DataDirError(
            f"{chosen}: holds {real} visitor response(s) that {tool} did not make; it refuses a "
            "real kiosk's directory"
        )
    return chosen


def real_responses(db_path: Path) -> int:
    """How many stored responses are not marked simulated (read-only; 0 when there is no store)."""
    if not db_path.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as connection:
            columns = {row[1] for row in connection.execute("PRAGMA table_info(responses)")}
            if not columns:
                return 0
            if "simulated" not in columns:  # a store from before the mark: all are real
                return int(connection.execute("SELECT count(*) FROM responses").fetchone()[0])
            query = "SELECT count(*) FROM responses WHERE simulated = 0"
            return int(connection.execute(query).fetchone()[0])
    except sqlite3.Error as exc:
        raise DataDirError(f"{db_path}: cannot read the store to check it ({exc})") from None
