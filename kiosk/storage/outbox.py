"""Outbox queries for the sync worker: batches persisted before sending, verdicts applied after."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ScalarSelect, func, literal_column, select, update
from sqlalchemy.orm import Session

from kiosk.storage.database import (
    Database,
    read_transaction,
    storage_errors,
    write_transaction,
)
from kiosk.storage.models import (
    BatchRow,
    OutboxRow,
    ResponseRow,
    SyncStateRow,
    put_setting,
    stamp,
)
from kiosk.storage.wire import response_documents

Clock = Callable[[], datetime]
Verdict = Literal["accepted", "duplicate", "conflict", "rejected"]
UNSENT = ("queued", "sending")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A response on its way out: its id and its JSON document (UTF-8)."""

    id: str
    document: bytes


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """A batch whose id is on disk: every (re)try of it sends this id and these responses."""

    id: str
    responses: tuple[Outgoing, ...]
    attempts: int
    payload_bytes: int
    next_attempt_at: datetime | None


@dataclass(frozen=True, slots=True)
class Settlement:
    """What a server verdict did to one batch."""

    sent: int
    duplicates: int
    quarantined: int
    requeued: int


@dataclass(frozen=True, slots=True)
class OutboxSummary:
    """Counts per state and the age facts staff and the heartbeat need."""

    queued: int
    sending: int
    sent: int
    quarantined: int
    oldest_unsent_at: datetime | None

    @property
    def unsent(self) -> int:
        return self.queued + self.sending


@dataclass(frozen=True, slots=True)
class QuarantinedResponse:
    """A response the server refused; kept for staff with the reason."""

    response_id: str
    form_id: str
    submitted_at: datetime
    reason: str
    quarantined_at: datetime | None


# The hot path of an upload (a batch formed, a batch settled) in plain SQL: see write_transaction.
_NEW_BATCH = (
    "INSERT INTO sync_batches (id, created_at, state, response_count, payload_bytes, attempts)"
    " VALUES (?, ?, 'open', ?, ?, 1)"
)
_CLAIM = (
    "UPDATE outbox SET batch_id = ?, state = 'sending', updated_at = ?"
    " WHERE response_id IN (SELECT value FROM json_each(?))"
    " AND state = 'queued' AND batch_id IS NULL"
)
_OPEN_BATCH = (
    "SELECT id, attempts, payload_bytes, next_attempt_at FROM sync_batches WHERE state = 'open'"
    " ORDER BY created_at, rowid LIMIT 1"
)
_CANDIDATES = (
    "SELECT response_id FROM outbox"
    " WHERE state = 'queued' AND batch_id IS NULL ORDER BY rowid LIMIT ?"
)
_MEMBERS = "SELECT response_id FROM outbox WHERE batch_id = ? AND state IN ('queued', 'sending')"
_SENT = (
    "UPDATE outbox SET state = 'sent', last_error = NULL, next_attempt_at = NULL, updated_at = ?"
)
_SENT_BATCH = _SENT + " WHERE batch_id = ? AND state IN ('queued', 'sending')"
_SENT_EACH = _SENT + " WHERE response_id IN (SELECT value FROM json_each(?))"
_QUARANTINE_ONE = (
    "UPDATE outbox SET state = 'quarantined', quarantined_at = ?, last_error = ?,"
    " next_attempt_at = NULL, updated_at = ? WHERE response_id = ?"
)
_REQUEUE_EACH = (
    "UPDATE outbox SET state = 'queued', batch_id = NULL, attempts = attempts + 1,"
    " last_error = 'the server gave no verdict for this response', next_attempt_at = NULL,"
    " updated_at = ? WHERE response_id IN (SELECT value FROM json_each(?))"
)
_TRY_BATCH = "UPDATE sync_batches SET attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?"
_TRY_MEMBERS = (
    "UPDATE outbox SET state = 'sending', updated_at = ?, next_attempt_at = NULL"
    " WHERE batch_id = ? AND state IN ('queued', 'sending')"
)
_SETTLED = (
    "UPDATE sync_batches SET state = 'settled', settled_at = ?, next_attempt_at = NULL WHERE id = ?"
)
_PUT_FACT = (
    "INSERT INTO sync_state (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


class _MemberTakenError(Exception):
    """A batch member changed between the read and the claim: roll the batch back."""


class Outbox:
    """The sync worker's view of the store; one instance per thread, on that thread's Database."""

    def __init__(self, database: Database, clock: Clock = _utc_now) -> None:
        self._db = database
        self._clock = clock

    def _session(self) -> Session:
        return self._db.sessions()

    # -- forming batches -------------------------------------------------------------------
    def open_batch(self) -> PendingBatch | None:
        """The oldest unsettled batch (left by a failure, a crash or a reboot), to be sent again
        as it was written."""
        with storage_errors(self._db.path), read_transaction(self._db) as cursor:
            batch = cursor.execute(_OPEN_BATCH).fetchone()
            if batch is None:
                return None
            batch_id, attempts, payload_bytes, next_attempt_at = batch
            ids = [row[0] for row in cursor.execute(_MEMBERS + " ORDER BY rowid", (batch_id,))]
            found = response_documents(cursor, ids)
        return PendingBatch(
            batch_id,
            tuple(Outgoing(i, found[i]) for i in ids),
            attempts,
            payload_bytes,
            None if next_attempt_at is None else datetime.fromisoformat(next_attempt_at),
        )

    def candidates(self, limit: int) -> list[Outgoing]:
        """Queued responses in no batch, oldest first.

        "Oldest" is the order of writing: Repository.save_response writes the outbox row in the
        submission's own transaction, so rowid order is submission order, and the state index
        (whose entries end in the rowid) hands rows out already sorted: no sort of the queue.
        """
        with storage_errors(self._db.path), read_transaction(self._db) as cursor:
            ids = [row[0] for row in cursor.execute(_CANDIDATES, (limit,))]
            found = response_documents(cursor, ids)
        return [Outgoing(i, found[i]) for i in ids]

    def create_batch(
        self, batch_id: str, responses: list[Outgoing], payload_bytes: int
    ) -> PendingBatch | None:
        """Persist the batch id and its members durably in one transaction, before the first
        try; the members are written `sending` at once (mark_sending precedes each retry).
        None, and nothing written, when a member is no longer queued outside a batch."""
        now = stamp(self._clock())
        ids = json.dumps([r.id for r in responses])
        try:
            with storage_errors(self._db.path), write_transaction(self._db) as cursor:
                cursor.execute(_NEW_BATCH, (batch_id, now, len(responses), payload_bytes))
                cursor.execute(_CLAIM, (batch_id, now, ids))
                if cursor.rowcount != len(responses):
                    raise _MemberTakenError
        except _MemberTakenError:
            return None  # rolled back
        return PendingBatch(batch_id, tuple(responses), 1, payload_bytes, None)

    # -- the life of a try -----------------------------------------------------------------
    def mark_sending(self, batch_id: str) -> None:
        """Written before the request (ODK's pessimistic rule): a crash leaves `sending` behind.
        Not waited to disk: if lost, the rows are still `queued` in this open batch, which is
        resent as it is either way."""
        now = stamp(self._clock())
        with storage_errors(self._db.path), write_transaction(self._db, durable=False) as cursor:
            cursor.execute(_TRY_BATCH, (batch_id,))
            cursor.execute(_TRY_MEMBERS, (now, batch_id))

    def retry_later(self, batch_id: str, error: str, next_attempt_at: datetime) -> None:
        """Back to `queued` with one more attempt; the batch stays open and keeps its id."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(last_error=error, next_attempt_at=next_attempt_at)
            )
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT))
                .values(
                    state="queued",
                    attempts=OutboxRow.attempts + 1,
                    last_error=error,
                    next_attempt_at=next_attempt_at,
                    updated_at=now,
                )
            )

    def settle(
        self,
        batch_id: str,
        verdicts: Mapping[str, tuple[Verdict, str | None]],
        **facts: str | None,
    ) -> Settlement:
        """Apply the server's verdicts: `sent` only now; conflicts and rejections quarantined.
        `facts` (e.g. the time of this success) are written in the same transaction, which
        does not wait for the disk (see `write_transaction`)."""
        now = stamp(self._clock())
        with (
            storage_errors(self._db.path),
            write_transaction(self._db, durable=False) as cursor,
        ):
            members = [row[0] for row in cursor.execute(_MEMBERS, (batch_id,))]
            done = [i for i in members if verdicts.get(i, (None,))[0] in ("accepted", "duplicate")]
            refused = [
                i for i in members if verdicts.get(i, (None,))[0] in ("conflict", "rejected")
            ]
            missing = [i for i in members if i not in verdicts]
            if len(done) == len(members):  # the usual case: one statement for the batch
                cursor.execute(_SENT_BATCH, (now, batch_id))
            else:
                cursor.execute(_SENT_EACH, (now, json.dumps(done)))
            cursor.executemany(
                _QUARANTINE_ONE,
                [
                    (now, f"{verdicts[i][0]}: {verdicts[i][1] or 'no reason given'}", now, i)
                    for i in refused
                ],
            )
            if missing:
                # The server skipped them: a new batch will carry them (it de-duplicates).
                cursor.execute(_REQUEUE_EACH, (now, json.dumps(missing)))
            cursor.execute(_SETTLED, (now, batch_id))
            for key, value in facts.items():
                if value is None:
                    cursor.execute("DELETE FROM sync_state WHERE key = ?", (key,))
                else:
                    cursor.execute(_PUT_FACT, (key, value))
        duplicates = sum(1 for i in done if verdicts[i][0] == "duplicate")
        return Settlement(len(done), duplicates, len(refused), len(missing))

    def quarantine_batch(self, batch_id: str, reason: str) -> int:
        """The server refused the whole request for good: keep every response, for staff."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT))
                .values(
                    state="quarantined",
                    last_error=reason,
                    quarantined_at=now,
                    next_attempt_at=None,
                    updated_at=now,
                )
            )
            count = int(getattr(result, "rowcount", 0))
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(state="refused", last_error=reason, settled_at=now)
            )
        return count

    def release_batch(self, batch_id: str, reason: str) -> int:
        """Close a batch the server would not take as a whole (413, or a 400 to bisect): its
        responses go back to the queue, in no batch, to leave again in smaller batches."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            result = session.execute(
                update(OutboxRow)
                .where(OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT))
                .values(
                    state="queued",
                    batch_id=None,
                    attempts=OutboxRow.attempts + 1,
                    last_error=reason,
                    next_attempt_at=None,
                    updated_at=now,
                )
            )
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(state="split", last_error=reason, settled_at=now, next_attempt_at=None)
            )
        return int(getattr(result, "rowcount", 0))

    def quarantine_named(self, batch_id: str, response_ids: Sequence[str], reason: str) -> int:
        """The server refused the batch naming these responses: quarantine only those members,
        put the others back in the queue; the number quarantined."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            result = session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.batch_id == batch_id,
                    OutboxRow.state.in_(UNSENT),
                    OutboxRow.response_id.in_(_each(response_ids)),
                )
                .values(
                    state="quarantined",
                    last_error=reason,
                    quarantined_at=now,
                    next_attempt_at=None,
                    updated_at=now,
                )
            )
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT))
                .values(state="queued", batch_id=None, next_attempt_at=None, updated_at=now)
            )
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(state="refused", last_error=reason, settled_at=now)
            )
        return int(getattr(result, "rowcount", 0))

    def requeue_quarantined(self, response_ids: Sequence[str] | None = None) -> int:
        """Staff put quarantined responses (all, or these) back in the queue; the number moved.
        They leave in a new batch with their own ids, so the server de-duplicates as ever."""
        now = self._clock()
        statement = update(OutboxRow).where(OutboxRow.state == "quarantined")
        if response_ids is not None:
            statement = statement.where(OutboxRow.response_id.in_(_each(response_ids)))
        with storage_errors(self._db.path), self._session() as session, session.begin():
            result = session.execute(
                statement.values(
                    state="queued",
                    batch_id=None,
                    quarantined_at=None,
                    last_error=None,
                    next_attempt_at=None,
                    updated_at=now,
                )
            )
        return int(getattr(result, "rowcount", 0))

    # -- reading ---------------------------------------------------------------------------
    def next_attempt_at(self) -> datetime | None:
        """When the open batch may be retried (None: now, or no open batch)."""
        with storage_errors(self._db.path), self._session() as session:
            return session.scalar(
                select(BatchRow.next_attempt_at)
                .where(BatchRow.state == "open")
                .order_by(BatchRow.created_at, literal_column("sync_batches.rowid"))
                .limit(1)
            )

    def summary(self) -> OutboxSummary:
        with storage_errors(self._db.path), self._session() as session:
            counts = dict(
                session.execute(
                    select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
                ).all()
            )
            # The first unsent row by rowid is the oldest submission (see `candidates`): two
            # index lookups instead of a scan of the whole queue.
            firsts = [
                session.scalar(
                    select(ResponseRow.submitted_at)
                    .join(OutboxRow, OutboxRow.response_id == ResponseRow.id)
                    .where(OutboxRow.state == state)
                    .order_by(literal_column("outbox.rowid"))
                    .limit(1)
                )
                for state in UNSENT
            ]
            oldest = min((f for f in firsts if f is not None), default=None)
        return OutboxSummary(
            queued=counts.get("queued", 0),
            sending=counts.get("sending", 0),
            sent=counts.get("sent", 0),
            quarantined=counts.get("quarantined", 0),
            oldest_unsent_at=oldest,
        )

    def quarantined(self, limit: int = 200) -> list[QuarantinedResponse]:
        with storage_errors(self._db.path), self._session() as session:
            rows = session.execute(
                select(OutboxRow, ResponseRow.form_id, ResponseRow.submitted_at)
                .join(ResponseRow, ResponseRow.id == OutboxRow.response_id)
                .where(OutboxRow.state == "quarantined")
                .order_by(ResponseRow.submitted_at, ResponseRow.id)
                .limit(limit)
            ).all()
            return [
                QuarantinedResponse(
                    row.response_id, form_id, submitted, row.last_error or "", row.quarantined_at
                )
                for row, form_id, submitted in rows
            ]

    def facts(self) -> dict[str, str]:
        """Every sync fact (last success, last error, content ETag...)."""
        with storage_errors(self._db.path), self._session() as session:
            return {row.key: row.value for row in session.scalars(select(SyncStateRow)).all()}

    def record(self, **facts: str | None) -> None:
        """Set sync facts; None removes one."""
        with storage_errors(self._db.path), self._session() as session, session.begin():
            self._record(session, facts)

    @staticmethod
    def _record(session: Session, facts: Mapping[str, str | None]) -> None:
        for key, value in facts.items():
            put_setting(session, SyncStateRow, key, value)


def _each(ids: Sequence[str]) -> ScalarSelect[Any]:
    """`IN (SELECT value FROM json_each(?))`: one parameter for any number of ids, so the
    statement is compiled once and SQLite's cap on parameters never applies."""
    return (
        select(literal_column("value"))
        .select_from(func.json_each(json.dumps(list(ids))))
        .scalar_subquery()
    )
