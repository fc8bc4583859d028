"""The only door to the store: writes in one transaction, reads as frozen dataclasses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kiosk.feedback.results import UPLOADED_STATES, Tally, value_keys
from kiosk.records import Answer, AnswerValue, ResponseDraft
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import AnswerRow, AuditRow, OutboxRow, ResponseRow

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def encode_value(value: AnswerValue) -> str:
    """JSON text of an answer; multi-choice tuples become lists."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def decode_value(text: str) -> AnswerValue:
    value: AnswerValue | list[str] = json.loads(text)
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response as stored, with its answers and upload state."""

    id: str
    form_id: str
    form_version: int
    form_hash: str
    content_version: str
    language: str
    status: str
    started_at: datetime
    submitted_at: datetime
    device_id: str
    sync_state: str
    answers: tuple[Answer, ...]
    receipt: str | None = None

    def answer(self, question_id: str) -> AnswerValue | None:
        return next((a.value for a in self.answers if a.question_id == question_id), None)


@dataclass(frozen=True, slots=True)
class FormCount:
    """How many responses of one form have one status."""

    form_id: str
    status: str
    count: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def _to_record(row: ResponseRow, sync_state: str) -> StoredResponse:
    return StoredResponse(
        id=row.id,
        form_id=row.form_id,
        form_version=row.form_version,
        form_hash=row.form_hash,
        content_version=row.content_version,
        language=row.language,
        status=row.status,
        started_at=row.started_at,
        submitted_at=row.submitted_at,
        device_id=row.device_id,
        sync_state=sync_state,
        answers=tuple(Answer(a.question_id, decode_value(a.value_json)) for a in row.answers),
        receipt=row.receipt,
    )


class _TallyBuilder:
    """Accumulates grouped answer counts into a Tally."""

    def __init__(self) -> None:
        self.responses = 0
        self.answered: dict[str, int] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def add(self, question_id: str, value: AnswerValue, count: int) -> None:
        self.answered[question_id] = self.answered.get(question_id, 0) + count
        row = self.counts.setdefault(question_id, {})
        for key in value_keys(value):
            row[key] = row.get(key, 0) + count

    def build(self) -> Tally:
        return Tally(self.responses, self.answered, self.counts)


class Repository:
    """Reads and writes responses; one unit of work per call, safe to use from one thread."""

    def __init__(self, database: Database, clock: Clock = _utc_now) -> None:
        self._db = database
        self._clock = clock

    @property
    def device_id(self) -> str:
        return self._db.device_id

    def _session(self) -> Session:
        return self._db.sessions()

    def save_response(self, draft: ResponseDraft) -> StoredResponse:
        """Write the response, its answers and its outbox entry in one durable transaction."""
        row = ResponseRow(
            id=draft.id,
            form_id=draft.form_id,
            form_version=draft.form_version,
            form_hash=draft.form_hash,
            content_version=draft.content_version,
            language=draft.language,
            status=draft.status,
            started_at=draft.started_at,
            submitted_at=draft.submitted_at,
            device_id=self._db.device_id,
            receipt=draft.receipt,
            answers=[
                AnswerRow(question_id=a.question_id, position=i, value_json=encode_value(a.value))
                for i, a in enumerate(draft.answers)
            ],
        )
        outbox = OutboxRow(
            response_id=draft.id, state="queued", attempts=0, updated_at=self._clock()
        )
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.add(row)
            session.flush()
            session.add(outbox)
        return _to_record(row, "queued")

    def response(self, response_id: str) -> StoredResponse | None:
        with storage_errors(self._db.path), self._session() as session:
            found = session.execute(
                select(ResponseRow, OutboxRow.state)
                .join(OutboxRow, OutboxRow.response_id == ResponseRow.id, isouter=True)
                .options(selectinload(ResponseRow.answers))
                .where(ResponseRow.id == response_id)
            ).first()
            return None if found is None else _to_record(found[0], found[1] or "unknown")

    def iter_responses(
        self,
        form_ids: list[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        chunk: int = 500,
    ) -> Iterator[StoredResponse]:
        """Responses in submission order, streamed in chunks so memory stays flat."""
        last: tuple[datetime, str] | None = None
        while True:
            with storage_errors(self._db.path), self._session() as session:
                query = (
                    select(ResponseRow, OutboxRow.state)
                    .join(OutboxRow, OutboxRow.response_id == ResponseRow.id, isouter=True)
                    .options(selectinload(ResponseRow.answers))
                    .order_by(ResponseRow.submitted_at, ResponseRow.id)
                    .limit(chunk)
                )
                if form_ids:
                    query = query.where(ResponseRow.form_id.in_(form_ids))
                if since is not None:
                    query = query.where(ResponseRow.submitted_at >= since)
                if until is not None:
                    query = query.where(ResponseRow.submitted_at < until)
                if last is not None:
                    stamp = ResponseRow.submitted_at
                    query = query.where(
                        (stamp > last[0]) | ((stamp == last[0]) & (ResponseRow.id > last[1]))
                    )
                rows = session.execute(query).all()
                records = [_to_record(row, state or "unknown") for row, state in rows]
            yield from records
            if len(records) < chunk:
                return
            last = (records[-1].submitted_at, records[-1].id)

    def counts(self) -> list[FormCount]:
        """Responses per form and status."""
        with storage_errors(self._db.path), self._session() as session:
            rows = session.execute(
                select(ResponseRow.form_id, ResponseRow.status, func.count())
                .group_by(ResponseRow.form_id, ResponseRow.status)
                .order_by(ResponseRow.form_id, ResponseRow.status)
            ).all()
        return [FormCount(form_id, status, count) for form_id, status, count in rows]

    def answer_tallies(self, form_id: str) -> tuple[Tally, Tally]:
        """Counts of the form's complete responses: (uploaded, not uploaded) by outbox state."""
        uploaded, pending = _TallyBuilder(), _TallyBuilder()
        with storage_errors(self._db.path), self._session() as session:
            states = session.execute(
                select(OutboxRow.state, func.count())
                .join(ResponseRow, OutboxRow.response_id == ResponseRow.id)
                .where(ResponseRow.form_id == form_id, ResponseRow.status == "complete")
                .group_by(OutboxRow.state)
            ).all()
            cells = session.execute(
                select(AnswerRow.question_id, AnswerRow.value_json, OutboxRow.state, func.count())
                .join(ResponseRow, AnswerRow.response_id == ResponseRow.id)
                .join(OutboxRow, OutboxRow.response_id == ResponseRow.id)
                .where(ResponseRow.form_id == form_id, ResponseRow.status == "complete")
                .group_by(AnswerRow.question_id, AnswerRow.value_json, OutboxRow.state)
            ).all()
        for state, count in states:
            (uploaded if state in UPLOADED_STATES else pending).responses += count
        for question_id, value_json, state, count in cells:
            builder = uploaded if state in UPLOADED_STATES else pending
            builder.add(question_id, decode_value(value_json), count)
        return uploaded.build(), pending.build()

    def sync_counts(self) -> dict[str, int]:
        """Outbox entries per upload state."""
        with storage_errors(self._db.path), self._session() as session:
            rows = session.execute(
                select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
            ).all()
        return {state: count for state, count in rows}

    def record_audit(self, actor: str, action: str, **detail: Any) -> None:
        """Append to the audit log (never with secrets or answer text in `detail`)."""
        entry = AuditRow(
            at=self._clock(),
            actor=actor,
            action=action,
            detail_json=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.add(entry)

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        with storage_errors(self._db.path), self._session() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)).all()
            return [AuditEntry(r.at, r.actor, r.action, json.loads(r.detail_json)) for r in rows]
