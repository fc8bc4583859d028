"""Outbox queries for the sync worker: batches persisted before sending, verdicts applied after."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.records import Answer
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import AnswerRow, BatchRow, OutboxRow, ResponseRow, SyncStateRow
from kiosk.storage.repository import StoredResponse, decode_value

Clock = Callable[[], datetime]
Verdict = Literal["accepted", "duplicate", "conflict", "rejected"]
UNSENT = ("queued", "sending")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """A batch whose id is on disk: every (re)try of it sends this id and these responses."""

    id: str
    responses: tuple[StoredResponse, ...]
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


class Outbox:
    """The sync worker's view of the store; one instance per thread, on that thread's Database."""

    def __init__(self, database: Database, clock: Clock = _utc_now) -> None:
        self._db = database
        self._clock = clock

    def _session(self) -> Session:
        return self._db.sessions()

    @staticmethod
    def _load(session: Session, ids: Sequence[str]) -> dict[str, StoredResponse]:
        """Responses with their answers in two plain queries (the ORM's row objects cost more
        than the upload itself at thousands of responses)."""
        if not ids:
            return {}
        r = ResponseRow
        answers: dict[str, list[Answer]] = {i: [] for i in ids}
        for response_id, question_id, value_json in session.execute(
            select(AnswerRow.response_id, AnswerRow.question_id, AnswerRow.value_json)
            .where(AnswerRow.response_id.in_(ids))
            .order_by(AnswerRow.response_id, AnswerRow.position)
        ):
            answers[response_id].append(Answer(question_id, decode_value(value_json)))
        rows = session.execute(
            select(
                r.id,
                r.form_id,
                r.form_version,
                r.form_hash,
                r.content_version,
                r.language,
                r.status,
                r.started_at,
                r.submitted_at,
                r.device_id,
                OutboxRow.state,
            )
            .join(OutboxRow, OutboxRow.response_id == r.id)
            .where(r.id.in_(ids))
        ).all()
        return {row[0]: StoredResponse(*row, answers=tuple(answers[row[0]])) for row in rows}

    # -- forming batches -------------------------------------------------------------------
    def open_batch(self) -> PendingBatch | None:
        """The batch left unsettled by a failure, a crash or a reboot, to be resent as it was."""
        with storage_errors(self._db.path), self._session() as session:
            batch = session.scalar(
                select(BatchRow).where(BatchRow.state == "open").order_by(BatchRow.created_at)
            )
            if batch is None:
                return None
            ids = session.scalars(
                select(OutboxRow.response_id)
                .join(ResponseRow, ResponseRow.id == OutboxRow.response_id)
                .where(OutboxRow.batch_id == batch.id, OutboxRow.state.in_(UNSENT))
                .order_by(ResponseRow.submitted_at, ResponseRow.id)
            ).all()
            found = self._load(session, ids)
            return PendingBatch(
                batch.id,
                tuple(found[i] for i in ids),
                batch.attempts,
                batch.payload_bytes,
                batch.next_attempt_at,
            )

    def candidates(self, limit: int) -> list[StoredResponse]:
        """Queued responses in no batch, oldest first."""
        with storage_errors(self._db.path), self._session() as session:
            ids = session.scalars(
                select(OutboxRow.response_id)
                .join(ResponseRow, ResponseRow.id == OutboxRow.response_id)
                .where(OutboxRow.state == "queued", OutboxRow.batch_id.is_(None))
                .order_by(ResponseRow.submitted_at, ResponseRow.id)
                .limit(limit)
            ).all()
            found = self._load(session, ids)
            return [found[i] for i in ids]

    def create_batch(
        self, batch_id: str, responses: list[StoredResponse], payload_bytes: int
    ) -> PendingBatch:
        """Persist the batch id and its members in one transaction, before the first try."""
        now = self._clock()
        ids = [r.id for r in responses]
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.add(
                BatchRow(
                    id=batch_id,
                    created_at=now,
                    state="open",
                    response_count=len(ids),
                    payload_bytes=payload_bytes,
                    attempts=0,
                )
            )
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.response_id.in_(ids), OutboxRow.state == "queued")
                .values(batch_id=batch_id, updated_at=now)
            )
        return PendingBatch(batch_id, tuple(responses), 0, payload_bytes, None)

    # -- the life of a try -----------------------------------------------------------------
    def mark_sending(self, batch_id: str) -> None:
        """Written before the request (ODK's pessimistic rule): a crash leaves `sending` behind."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(attempts=BatchRow.attempts + 1, next_attempt_at=None)
            )
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT))
                .values(state="sending", updated_at=now, next_attempt_at=None)
            )

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
        `facts` (e.g. the time of this success) are written in the same transaction."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            members = session.scalars(
                select(OutboxRow.response_id).where(
                    OutboxRow.batch_id == batch_id, OutboxRow.state.in_(UNSENT)
                )
            ).all()
            done = [i for i in members if verdicts.get(i, (None,))[0] in ("accepted", "duplicate")]
            refused = [
                i for i in members if verdicts.get(i, (None,))[0] in ("conflict", "rejected")
            ]
            missing = [i for i in members if i not in verdicts]
            for chunk in _chunks(done):
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.response_id.in_(chunk))
                    .values(state="sent", last_error=None, next_attempt_at=None, updated_at=now)
                )
            for response_id in refused:
                verdict, reason = verdicts[response_id]
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.response_id == response_id)
                    .values(
                        state="quarantined",
                        quarantined_at=now,
                        last_error=f"{verdict}: {reason or 'no reason given'}",
                        next_attempt_at=None,
                        updated_at=now,
                    )
                )
            for chunk in _chunks(missing):
                # The server skipped them: a new batch will carry them (it de-duplicates).
                session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.response_id.in_(chunk))
                    .values(
                        state="queued",
                        batch_id=None,
                        attempts=OutboxRow.attempts + 1,
                        last_error="the server gave no verdict for this response",
                        next_attempt_at=None,
                        updated_at=now,
                    )
                )
            session.execute(
                update(BatchRow)
                .where(BatchRow.id == batch_id)
                .values(state="settled", settled_at=now, next_attempt_at=None)
            )
            self._record(session, facts)
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

    # -- reading ---------------------------------------------------------------------------
    def next_attempt_at(self) -> datetime | None:
        """When the open batch may be retried (None: now, or no open batch)."""
        with storage_errors(self._db.path), self._session() as session:
            return session.scalar(
                select(BatchRow.next_attempt_at).where(BatchRow.state == "open").limit(1)
            )

    def summary(self) -> OutboxSummary:
        with storage_errors(self._db.path), self._session() as session:
            counts = dict(
                session.execute(
                    select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
                ).all()
            )
            oldest = session.scalar(
                select(func.min(ResponseRow.submitted_at))
                .join(OutboxRow, OutboxRow.response_id == ResponseRow.id)
                .where(OutboxRow.state.in_(UNSENT))
            )
        return OutboxSummary(
            queued=counts.get("queued", 0),
            sending=counts.get("sending", 0),
            sent=counts.get("sent", 0),
            quarantined=counts.get("quarantined", 0),
            # func.min bypasses the column type, so the ISO text is parsed here.
            oldest_unsent_at=None if oldest is None else datetime.fromisoformat(str(oldest)),
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
            row = session.get(SyncStateRow, key)
            if value is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(SyncStateRow(key=key, value=value))
            else:
                row.value = value


def _chunks(items: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    """SQLite caps the parameters of one statement; stay well under it."""
    return [items[i : i + size] for i in range(0, len(items), size)]
