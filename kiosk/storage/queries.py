"""Read-only queries for staff: counts for the dashboard, export columns, the audit log in order."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kiosk.core.records import KST, Answer, AnswerValue, AuditEntry, StoredResponse
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import AnswerRow, AuditRow, ResponseRow
from kiosk.storage.repository import decode_value

# Korea keeps no daylight saving time; a fixed offset needs no tz database on the kiosk.
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


@functools.lru_cache(maxsize=4096)
def _decode_repeated(text: str) -> AnswerValue:
    return decode_value(text)


def _decode(text: str) -> AnswerValue:
    """decode_value, remembering choice, scale and yes/no values (they repeat across thousands of
    responses); written answers (JSON strings) are decoded each time and never cached."""
    return decode_value(text) if text.startswith('"') else _decode_repeated(text)


_RESPONSE_COLUMNS = (
    "select r.id, r.form_id, r.form_version, r.form_hash, r.content_version, r.language,"
    " r.status, r.started_at, r.submitted_at, r.device_id, o.state, r.receipt,"
    " exists (select 1 from contacts c where c.response_id = r.id)"
    " from responses r left join outbox o on o.response_id = r.id"
)


def _stored_time(moment: datetime) -> str:
    """A bound as the store writes times (see models.UtcDateTime), so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


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

    def iter_responses(
        self, where: ResponseFilter = ResponseFilter(), chunk: int = 2000
    ) -> Iterator[StoredResponse]:
        """Responses in submission order for exports: the same values as
        Repository.iter_responses, read through the plain sqlite3 cursor (no ORM objects or
        result processing: an export of 100,000 responses should spend its time writing), in
        keyset-paged chunks so memory stays flat."""
        clauses: list[str] = []
        params: list[object] = []
        if where.form_ids:
            clauses.append(f"r.form_id in ({', '.join('?' * len(where.form_ids))})")
            params.extend(where.form_ids)
        for bound, sign in ((where.since, ">="), (where.until, "<")):
            if bound is not None:
                clauses.append(f"r.submitted_at {sign} ?")
                params.append(_stored_time(bound))
        last: tuple[str, str] | None = None
        while True:
            page = list(clauses)
            page_params: list[object] = list(params)
            if last is not None:
                # The plain `>=` lets SQLite walk the submitted_at index from the last page
                # instead of sorting every row again for each page.
                page.append("r.submitted_at >= ? and (r.submitted_at > ? or r.id > ?)")
                page_params.extend((last[0], last[0], last[1]))
            filters = f"where {' and '.join(page)}" if page else ""
            with storage_errors(self._db.path), self._db.engine.connect() as connection:
                raw = connection.connection.driver_connection
                assert raw is not None
                rows = raw.execute(
                    f"{_RESPONSE_COLUMNS} {filters} order by r.submitted_at, r.id limit ?",
                    (*page_params, chunk),
                ).fetchall()
                ids = [row[0] for row in rows]
                given: dict[str, list[Answer]] = {rid: [] for rid in ids}
                flagged: dict[str, list[str]] = {}
                if ids:
                    found = raw.execute(
                        "select response_id, question_id, value_json from answers"
                        f" where response_id in ({', '.join('?' * len(ids))})"
                        " order by response_id, position",
                        ids,
                    ).fetchall()
                    for rid, qid, value in found:
                        given[rid].append(Answer(qid, _decode(value)))
                    for rid, kind in raw.execute(
                        "select response_id, kind from flags"
                        f" where response_id in ({', '.join('?' * len(ids))}) order by kind",
                        ids,
                    ):
                        flagged.setdefault(rid, []).append(kind)
            for (
                rid,
                form,
                version,
                digest,
                content,
                lang,
                status,
                start,
                end,
                dev,
                state,
                receipt,
                has_contact,
            ) in rows:
                yield StoredResponse(
                    id=rid,
                    form_id=form,
                    form_version=version,
                    form_hash=digest,
                    content_version=content,
                    language=lang,
                    status=status,
                    started_at=datetime.fromisoformat(start),
                    submitted_at=datetime.fromisoformat(end),
                    device_id=dev,
                    sync_state=state or "unknown",
                    answers=tuple(given[rid]),
                    has_contact=bool(has_contact),
                    flags=tuple(flagged.get(rid, ())),
                    receipt=receipt,
                )
            if len(rows) < chunk:
                return
            last = (rows[-1][8], rows[-1][0])

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
