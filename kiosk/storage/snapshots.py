"""Last good copies of documents pulled from the backend (feed, results), as atomic JSON files."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.core.errors import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """A document as last pulled: its JSON body, when it was fetched, and the server's ETag."""

    body: Any
    fetched_at: datetime
    etag: str | None = None


class SnapshotStore:
    """One JSON file in the data directory; a write replaces it whole or not at all."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> Snapshot | None:
        """The last copy, or None if there is none (an unreadable file is logged and ignored)."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            stamp = datetime.fromisoformat(raw["fetched_at"])
            if stamp.tzinfo is None:
                raise ValueError("fetched_at has no time zone")
            return Snapshot(raw["body"], stamp, raw.get("etag"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("%s: ignoring an unreadable copy (%s)", self.path, exc)
            return None

    def save(self, snapshot: Snapshot) -> None:
        """Write to a temporary file, flush it to disk, then rename over the old copy."""
        document = {
            "fetched_at": snapshot.fetched_at.isoformat(),
            "etag": snapshot.etag,
            "body": snapshot.body,
        }
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)  # makes the rename itself durable
            finally:
                os.close(directory)
        except OSError as exc:
            raise StorageError(f"{self.path}: cannot write ({exc.strerror or exc})") from exc
