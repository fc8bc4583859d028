"""Read-only queries for staff: counts for the dashboard, export columns, the audit log in order."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import AnswerRow, AuditRow, ResponseRow
from kiosk.storage.repository import AuditEntry

# Korea keeps no daylight saving time; a fixed offset needs no tz database on the kiosk.
KST = timezone(timedelta(hours=9), "KST")
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True, slots=True)
class ResponseFilter:
    """Which responses a query or an export covers: forms (empty: all) and [since, until)."""

    form_ids: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query: SelectT) -> SelectT:
        if self.form_ids:
            query = query.where(ResponseRow.form_id.in_(self.form_ids))
        if self.since is not None:
            query = query.where(ResponseRow.submitted_at >= self.since)
        if self.until is not None:
            query = query.where(ResponseRow.submitted_at < self.until)
        return query


class StaffQueries:
    """Aggregates over the store; one short read per call, values out."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def _session(self) -> Session:
        return self._db.sessions()

    def count_responses(self, where: ResponseFilter = ResponseFilter()) -> int:
        with storage_errors(self._db.path), self._session() as session:
            query = where.apply(select(func.count()).select_from(ResponseRow))
            return int(session.scalar(query) or 0)

    def counts_by_form(self, where: ResponseFilter = ResponseFilter()) -> dict[str, dict[str, int]]:
        """form id -> status -> responses."""
        with storage_errors(self._db.path), self._session() as session:
            query = where.apply(
                select(ResponseRow.form_id, ResponseRow.status, func.count()).group_by(
                    ResponseRow.form_id, ResponseRow.status
                )
            )
            rows = session.execute(query).all()
        counts: dict[str, dict[str, int]] = {}
        for form_id, status, count in rows:
            counts.setdefault(form_id, {})[status] = count
        return counts

    def answered_questions(self, where: ResponseFilter = ResponseFilter()) -> dict[str, list[str]]:
        """form id -> every question id answered in the range, in the order forms asked them
        (the union across form versions, so a question added later still gets its column)."""
        with storage_errors(self._db.path), self._session() as session:
            forms = session.scalars(where.apply(select(ResponseRow.form_id).distinct())).all()
            query = where.apply(
                select(ResponseRow.form_id, AnswerRow.question_id, func.min(AnswerRow.position))
                .join(AnswerRow, AnswerRow.response_id == ResponseRow.id)
                .group_by(ResponseRow.form_id, AnswerRow.question_id)
                .order_by(ResponseRow.form_id, func.min(AnswerRow.position), AnswerRow.question_id)
            )
            rows = session.execute(query).all()
        found: dict[str, list[str]] = {form_id: [] for form_id in sorted(forms)}
        for form_id, question_id, _position in rows:
            found[form_id].append(question_id)
        return found

    def iter_audit(self, chunk: int = 500) -> Iterator[AuditEntry]:
        """The whole audit log, oldest first, in chunks."""
        last = 0
        while True:
            with storage_errors(self._db.path), self._session() as session:
                rows = session.scalars(
                    select(AuditRow).where(AuditRow.id > last).order_by(AuditRow.id).limit(chunk)
                ).all()
                entries = [
                    AuditEntry(r.at, r.actor, r.action, json.loads(r.detail_json)) for r in rows
                ]
                last = rows[-1].id if rows else last
            yield from entries
            if len(entries) < chunk:
                return

    def audit_count(self) -> int:
        with storage_errors(self._db.path), self._session() as session:
            return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


def order_columns(asked: Sequence[str], answered: Sequence[str]) -> list[str]:
    """Question columns: the current form's order first, then ids only older versions had."""
    return [*asked, *(qid for qid in answered if qid not in asked)]


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """[start of `first`, end of `last`) in Korean time, as aware datetimes."""
    since = datetime.combine(first, time(), KST) if first else None
    until = datetime.combine(last + timedelta(days=1), time(), KST) if last else None
    return since, until
