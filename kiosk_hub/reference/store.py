"""The reference backend's own SQLite store: responses de-duplicated by id and content hash."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    seq INTEGER PRIMARY KEY,            -- not the response id: de-duplication is the code's job,
    id TEXT NOT NULL,                   -- so the report can prove it rather than a constraint
    device_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    document TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_responses_id ON responses (id);
CREATE TABLE IF NOT EXISTS deliveries (
    seq INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    responses INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    conflicts INTEGER NOT NULL,
    rejected INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- conflict | rejected
    response_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
-- The ministry side: contact details opened with its private key (plaintext belongs here, and
-- only here); `problem` says why a sealed blob stayed closed. The document keeps the sealed blob.
CREATE TABLE IF NOT EXISTS contacts (
    response_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    plaintext TEXT,
    problem TEXT,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS heartbeats (
    seq INTEGER PRIMARY KEY,
    device_id TEXT NOT NULL,
    at TEXT NOT NULL,
    document TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class OpenedContact:
    """Sealed contact details as the backend opened them: the plaintext, or why not."""

    plaintext: str | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One response of a batch as the server judged it before storing."""

    id: str
    content_hash: str
    document: str
    problem: str | None = None
    forced_conflict: bool = False
    contact: OpenedContact | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class BackendStore:
    """One connection behind a lock: batches are applied one at a time, each in one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def receive_batch(
        self, device_id: str, batch_id: str, incoming: list[Incoming]
    ) -> list[tuple[str, str, str | None]]:
        """Verdicts per response, committed before they are returned."""
        verdicts: list[tuple[str, str, str | None]] = []
        counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0}
        at = _now()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for item in incoming:
                    verdict, reason = self._judge(device_id, batch_id, item, at)
                    counts[verdict] += 1
                    verdicts.append((item.id, verdict, reason))
                self._db.execute(
                    "INSERT INTO deliveries (batch_id, device_id, received_at, responses, accepted,"
                    " duplicates, conflicts, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        batch_id,
                        device_id,
                        at,
                        len(incoming),
                        counts["accepted"],
                        counts["duplicate"],
                        counts["conflict"],
                        counts["rejected"],
                    ),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return verdicts

    def _judge(
        self, device_id: str, batch_id: str, item: Incoming, at: str
    ) -> tuple[str, str | None]:
        if item.problem is not None:
            self._problem("rejected", item.id, batch_id, item.problem, at)
            return "rejected", item.problem
        stored = self._db.execute(
            "SELECT content_hash FROM responses WHERE id = ? LIMIT 1", (item.id,)
        ).fetchone()
        if item.forced_conflict and stored is None:
            reason = "the server holds other content for this id (forced by fault injection)"
            self._problem("conflict", item.id, batch_id, reason, at)
            return "conflict", reason
        if stored is None:
            self._db.execute(
                "INSERT INTO responses (id, device_id, content_hash, batch_id, document,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                (item.id, device_id, item.content_hash, batch_id, item.document, at),
            )
            if item.contact is not None:
                self._db.execute(
                    "INSERT INTO contacts (response_id, device_id, plaintext, problem, received_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (item.id, device_id, item.contact.plaintext, item.contact.problem, at),
                )
            return "accepted", None
        if stored[0] == item.content_hash:
            return "duplicate", None
        reason = f"the server holds other content for this id (sha256 {stored[0][:12]}…)"
        self._problem("conflict", item.id, batch_id, reason, at)
        return "conflict", reason

    def _problem(self, kind: str, response_id: str, batch_id: str, reason: str, at: str) -> None:
        self._db.execute(
            "INSERT INTO problems (kind, response_id, batch_id, reason, at) VALUES (?, ?, ?, ?, ?)",
            (kind, response_id, batch_id, reason, at),
        )

    def record_heartbeat(self, device_id: str, document: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO heartbeats (device_id, at, document) VALUES (?, ?, ?)",
                (device_id, _now(), json.dumps(document, sort_keys=True)),
            )

    def accepted_complete(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(device id, form id, {question id: value}) of every stored complete response: what
        the live-results totals count (multi-choice answers come back as tuples)."""
        with self._lock:
            rows = self._db.execute("SELECT device_id, document FROM responses ORDER BY seq")
            documents = [(device, json.loads(text)) for device, text in rows]
        return [
            (
                device,
                str(document["form_id"]),
                {
                    a["question_id"]: tuple(a["value"])
                    if isinstance(a["value"], list)
                    else a["value"]
                    for a in document["answers"]
                },
            )
            for device, document in documents
            if document.get("status") == "complete"
        ]

    def stored_ids(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT id FROM responses ORDER BY seq")]

    def content_hashes(self) -> dict[str, str]:
        """Response id to the SHA-256 of its canonical JSON, for every response stored."""
        with self._lock:
            return dict(self._db.execute("SELECT id, content_hash FROM responses").fetchall())

    def document(self, response_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT document FROM responses WHERE id = ? LIMIT 1", (response_id,)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def contact(self, response_id: str) -> OpenedContact | None:
        """The contact details received with a response, as opened (None: none came)."""
        with self._lock:
            row = self._db.execute(
                "SELECT plaintext, problem FROM contacts WHERE response_id = ?", (response_id,)
            ).fetchone()
        return None if row is None else OpenedContact(row[0], row[1])

    def report(self) -> dict[str, Any]:
        """What arrived: the figures `kiosk reference-backend report` prints."""

        def one(sql: str) -> Any:
            return self._db.execute(sql).fetchone()[0]

        with self._lock:
            last = self._db.execute(
                "SELECT device_id, at, document FROM heartbeats ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            return {
                "responses_stored": one("SELECT count(*) FROM responses"),
                "distinct_response_ids": one("SELECT count(DISTINCT id) FROM responses"),
                "batches_received": one("SELECT count(DISTINCT batch_id) FROM deliveries"),
                "batch_deliveries": one("SELECT count(*) FROM deliveries"),
                "duplicate_deliveries_absorbed": one(
                    "SELECT coalesce(sum(duplicates), 0) FROM deliveries"
                ),
                "conflicts": one("SELECT count(*) FROM problems WHERE kind = 'conflict'"),
                "rejected": one("SELECT count(*) FROM problems WHERE kind = 'rejected'"),
                "contacts_received": one("SELECT count(*) FROM contacts"),
                "contacts_decrypted": one(
                    "SELECT count(*) FROM contacts WHERE plaintext IS NOT NULL"
                ),
                "receipts_received": one(
                    "SELECT count(*) FROM responses"
                    " WHERE json_extract(document, '$.receipt') IS NOT NULL"
                ),
                "flagged_responses": one(
                    "SELECT count(*) FROM responses"
                    " WHERE json_extract(document, '$.flags') IS NOT NULL"
                ),
                "simulated_responses": one(
                    "SELECT count(*) FROM responses"
                    " WHERE json_extract(document, '$.simulated') IS NOT NULL"
                ),
                "heartbeats": one("SELECT count(*) FROM heartbeats"),
                "last_heartbeat": None
                if last is None
                else {"device_id": last[0], "at": last[1], **json.loads(last[2])},
            }


def read_report(path: Path) -> dict[str, Any]:
    """The report of a store file, without serving (the file must exist)."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no reference backend database here")
    store = BackendStore(path)
    try:
        return store.report()
    finally:
        store.close()
