"""Typed errors for known conditions: each names what was wrong and where."""

from __future__ import annotations


class KioskError(Exception):
    """A known condition that becomes a clear message, not a traceback."""


class ConfigError(KioskError):
    """The device configuration file is missing or invalid."""


class ContentError(KioskError):
    """A content pack (forms) is invalid; `problems` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StorageError(KioskError):
    """The local store cannot be used (location, disk, corruption)."""


class DatabaseLocationError(StorageError):
    """The database directory is missing, read-only or not a directory."""


class DiskFullError(StorageError):
    """The disk holding the database is full; nothing was written."""


class CorruptDatabaseError(StorageError):
    """The database file is not a readable SQLite database."""


class FeedError(KioskError):
    """A document pulled from the backend (feed, results) is malformed; the last good copy stays."""
