"""The only door to the store: writes in one transaction, reads as frozen dataclasses."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Integer, String, cast, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from kiosk.core.records import (
    Answer,
    AnswerValue,
    AuditEntry,
    ConsentReceipt,
    ResponseDraft,
    StoredResponse,
)
from kiosk.feedback.live_results import UPLOADED_STATES, Tally, value_keys
from kiosk.storage.abuse import AbuseRules
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import (
    AnswerRow,
    AuditRow,
    ConsentReceiptRow,
    ContactRow,
    FlagRow,
    MetaRow,
    OutboxRow,
    ResponseRow,
    stamp,
)
from kiosk.storage.retention import PurgeReport, purge_expired
from kiosk.storage.submit import write_submission

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
class FormCount:
    """How many responses of one form have one status."""

    form_id: str
    status: str
    count: int


def _to_record(
    row: ResponseRow, sync_state: str, has_contact: bool = False, flags: tuple[str, ...] = ()
) -> StoredResponse:
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
        has_contact=has_contact,
        flags=flags,
        receipt=row.receipt,
        simulated=bool(row.simulated),
    )


def _extras(session: Session, ids: list[str]) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """Which of these responses have contact details, and their flags."""
    if not ids:
        return set(), {}
    with_contact = set(
        session.scalars(select(ContactRow.response_id).where(ContactRow.response_id.in_(ids)))
    )
    flags: dict[str, list[str]] = {}
    for response_id, kind in session.execute(
        select(FlagRow.response_id, FlagRow.kind)
        .where(FlagRow.response_id.in_(ids))
        .order_by(FlagRow.kind)
    ):
        flags.setdefault(response_id, []).append(kind)
    return with_contact, {key: tuple(kinds) for key, kinds in flags.items()}


def _check_texts(draft: ResponseDraft) -> dict[str, str]:
    """The store's own guard on free text: NFC and within the limit in code points."""
    limits = dict(draft.text_limits)
    encoded: dict[str, str] = {}
    for answer in draft.answers:
        limit = limits.get(answer.question_id)
        if limit is None:
            continue
        value = answer.value
        if not isinstance(value, str):
            raise ValueError(f"answer to {answer.question_id!r} must be text")
        if not unicodedata.is_normalized("NFC", value):
            raise ValueError(f"answer to {answer.question_id!r} is not NFC-normalised")
        if len(value) > limit:
            raise ValueError(
                f"answer to {answer.question_id!r} has {len(value)} code points, limit {limit}"
            )
        encoded[answer.question_id] = encode_value(value)
    return encoded


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

    def __init__(
        self, database: Database, clock: Clock = _utc_now, abuse: AbuseRules | None = None
    ) -> None:
        self._db = database
        self._clock = clock
        self._abuse = abuse or AbuseRules()
        # Set by `kiosk simulate`: every response saved through this repository is marked.
        self.simulated = False

    @property
    def device_id(self) -> str:
        return self._db.device_id

    def _session(self) -> Session:
        return self._db.sessions()

    def save_response(self, draft: ResponseDraft) -> StoredResponse:
        """Write the response, its answers, outbox entry, consent, sealed contact and flags at once
        (one plain-SQL write transaction: kiosk.storage.submit), durable before it returns."""
        free_texts = _check_texts(draft)
        answers_json = [
            free_texts[a.question_id] if a.question_id in free_texts else encode_value(a.value)
            for a in draft.answers
        ]
        with storage_errors(self._db.path):
            flags = write_submission(
                self._db,
                draft,
                answers_json,
                free_texts,
                stamp(self._clock()),
                self.simulated,
                self._abuse,
            )
        return StoredResponse(
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
            sync_state="queued",
            answers=draft.answers,
            has_contact=draft.contact_ciphertext is not None,
            flags=tuple(sorted(flags)),
            receipt=draft.receipt,
            simulated=self.simulated,
        )

    def contact_ciphertext(self, response_id: str) -> bytes | None:
        """The sealed contact details of a response, for the sync payload only (never exports)."""
        with storage_errors(self._db.path), self._session() as session:
            return session.scalar(
                select(ContactRow.ciphertext).where(ContactRow.response_id == response_id)
            )

    def privacy_counts(self) -> dict[str, int]:
        """Sealed contact records, consent receipts and flagged responses, for `kiosk status`."""
        with storage_errors(self._db.path), self._session() as session:
            return {
                "sealed_contacts": session.scalar(select(func.count()).select_from(ContactRow))
                or 0,
                "consent_receipts": session.scalar(
                    select(func.count()).select_from(ConsentReceiptRow)
                )
                or 0,
                "flagged_responses": session.scalar(
                    select(func.count(func.distinct(FlagRow.response_id)))
                )
                or 0,
            }

    def consent_receipt(self, response_id: str) -> ConsentReceipt | None:
        with storage_errors(self._db.path), self._session() as session:
            row = session.get(ConsentReceiptRow, response_id)
            if row is None:
                return None
            choices = json.loads(row.choices_json)
            return ConsentReceipt(row.text_version, tuple(sorted(choices.items())), row.at)

    def purge(
        self, contact_days: int, sent_days: int, dry_run: bool = False, actor: str = "system"
    ) -> PurgeReport:
        """Apply the retention policy now; a real purge writes one audit entry per kind."""
        report = purge_expired(self._db, self._clock(), contact_days, sent_days, dry_run)
        if not dry_run:
            self.record_audit(
                actor,
                "purge_contacts",
                count=report.contacts,
                before=report.contacts_before.isoformat(),
            )
            self.record_audit(
                actor,
                "purge_responses",
                count=report.responses,
                before=report.responses_before.isoformat(),
            )
        return report

    def response(self, response_id: str) -> StoredResponse | None:
        with storage_errors(self._db.path), self._session() as session:
            found = session.execute(
                select(ResponseRow, OutboxRow.state)
                .join(OutboxRow, OutboxRow.response_id == ResponseRow.id, isouter=True)
                .options(selectinload(ResponseRow.answers))
                .where(ResponseRow.id == response_id)
            ).first()
            if found is None:
                return None
            with_contact, flags = _extras(session, [response_id])
            return _to_record(
                found[0],
                found[1] or "unknown",
                response_id in with_contact,
                flags.get(response_id, ()),
            )

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
                with_contact, flags = _extras(session, [row.id for row, _ in rows])
                records = [
                    _to_record(
                        row, state or "unknown", row.id in with_contact, flags.get(row.id, ())
                    )
                    for row, state in rows
                ]
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

    def count_visit(self, outcome: str) -> None:
        """Add one visit to today's (UTC) anonymous counter for its outcome."""
        key = f"visits:{self._clock().astimezone(UTC).date().isoformat()}:{outcome}"
        upsert = sqlite_insert(MetaRow).values(key=key, value="1")
        upsert = upsert.on_conflict_do_update(
            index_elements=[MetaRow.key],
            set_={"value": cast(cast(MetaRow.value, Integer) + 1, String)},
        )
        with storage_errors(self._db.path), self._session() as session, session.begin():
            session.execute(upsert)

    def visit_counts(self, since: date | None = None) -> dict[str, int]:
        """Visits by outcome, from the UTC day `since` on (all days when None)."""
        with storage_errors(self._db.path), self._session() as session:
            rows = session.execute(
                select(MetaRow.key, MetaRow.value).where(MetaRow.key.like("visits:%"))
            ).all()
        counts: dict[str, int] = {}
        for key, value in rows:
            _, day, outcome = key.split(":", 2)
            if since is None or date.fromisoformat(day) >= since:
                counts[outcome] = counts.get(outcome, 0) + int(value)
        return counts

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
