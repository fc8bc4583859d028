"""Answers to proposals and topics: the receipt page's facts and the feed the kiosks pull.

A receipt code leads to one stored response; what the page shows is the case answering that
response itself (a proposal), else the case answering the response's topic (an opinion), else
just "received". Nothing the visitor wrote is shown back: the page carries no personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.feedback.receipts import parse_code
from kiosk_hub.db.models import ResponseRow
from kiosk_hub.web.models import (
    FEED_STATUS,
    STATES,
    CaseEventRow,
    CaseRow,
    ReceiptLookupRow,
)

LOOKUP_WINDOW = timedelta(minutes=10)
LOOKUP_LIMIT = 20  # receipt pages per client address and window, found or not
CASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Timeline:
    at: datetime
    state: str
    note: dict[str, str]


@dataclass(frozen=True)
class ReceiptView:
    """What the receipt page shows for one code."""

    code: str
    form_id: str
    submitted_at: datetime
    state: str
    title: dict[str, str] | None
    answer: dict[str, str] | None
    progress: int
    timeline: list[Timeline]
    feed_item: dict[str, Any] | None


def client_key(address: str, secret: str) -> str:
    """A keyed hash of the client address: the lookups table keeps no IP address."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def over_limit(session: Session, client: str, now: datetime) -> bool:
    since = now - LOOKUP_WINDOW
    count = session.scalar(
        select(func.count())
        .select_from(ReceiptLookupRow)
        .where(ReceiptLookupRow.client == client, ReceiptLookupRow.at >= since)
    )
    return int(count or 0) >= LOOKUP_LIMIT


def record_lookup(session: Session, client: str, found: bool, now: datetime) -> None:
    session.add(ReceiptLookupRow(client=client, at=now, found=found))
    # Old look-ups are only needed for the window: drop them as we go.
    session.execute(delete(ReceiptLookupRow).where(ReceiptLookupRow.at < now - 2 * LOOKUP_WINDOW))


def _topic_of(document: dict[str, Any]) -> str | None:
    for answer in document.get("answers", []):
        if answer.get("question_id") == "topic" and isinstance(answer.get("value"), str):
            return str(answer["value"])
    return None


def case_for_response(session: Session, response_id: str, topic: str | None) -> CaseRow | None:
    own = session.scalar(select(CaseRow).where(CaseRow.response_id == response_id))
    if own is not None or topic is None:
        return own
    return session.scalar(select(CaseRow).where(CaseRow.topic == topic))


def receipt_view(session: Session, typed: str) -> ReceiptView | None:
    """The receipt page for a code as typed, or None when no stored response carries it."""
    code = parse_code(typed)
    if code is None:
        return None
    row = session.execute(
        select(ResponseRow.id, ResponseRow.form_id, ResponseRow.submitted_at, ResponseRow.document)
        .where(ResponseRow.document["receipt"].astext == code, ResponseRow.simulated.is_(False))
        .limit(1)
    ).first()
    if row is None:
        return None
    response_id, form_id, submitted_at, document = row
    case = case_for_response(session, response_id, _topic_of(document))
    if case is None:
        return ReceiptView(code, form_id, submitted_at, "received", None, None, 0, [], None)
    events = session.scalars(
        select(CaseEventRow).where(CaseEventRow.case_id == case.id).order_by(CaseEventRow.at)
    )
    return ReceiptView(
        code=code,
        form_id=form_id,
        submitted_at=submitted_at,
        state=case.state,
        title={"ko": case.title_ko, "en": case.title_en},
        answer={"ko": case.answer_ko, "en": case.answer_en}
        if case.answer_ko or case.answer_en
        else None,
        progress=case.progress,
        timeline=[Timeline(e.at, e.state, {"ko": e.note_ko, "en": e.note_en}) for e in events],
        feed_item=feed_entry(case) if case.published else None,
    )


@dataclass(frozen=True)
class CaseInput:
    """What an editor submits for a case; checked by `problems()`."""

    id: str
    response_id: str | None
    topic: str | None
    state: str
    title_ko: str
    title_en: str
    answer_ko: str
    answer_en: str
    progress: int
    published: bool
    note_ko: str = ""
    note_en: str = ""

    def problems(self) -> list[str]:
        found = []
        if not CASE_ID.match(self.id):
            found.append("id: lower-case letters, digits and dashes, at most 64")
        if (self.response_id is None) == (self.topic is None):
            found.append("answer either one proposal (response id) or one topic")
        if self.state not in STATES:
            found.append(f"state: one of {', '.join(STATES)}")
        if not self.title_ko.strip() or not self.title_en.strip():
            found.append("title: Korean and English are both required")
        if not 0 <= self.progress <= 100:
            found.append("progress: 0 to 100")
        if self.state == "not_adopted" and not (self.answer_ko.strip() and self.answer_en.strip()):
            found.append("a not adopted answer needs its reason in Korean and English")
        if self.published and not (self.answer_ko.strip() and self.answer_en.strip()):
            found.append("publishing needs the answer in Korean and English")
        return found


def save_case(session: Session, given: CaseInput, now: datetime | None = None) -> CaseRow:
    """Create or update a case; a state change or a note adds a timeline entry."""
    problems = given.problems()
    if problems:
        raise ValueError("; ".join(problems))
    now = now or datetime.now(UTC)
    case = session.get(CaseRow, given.id)
    changed = case is None or case.state != given.state
    if case is None:
        case = CaseRow(id=given.id, response_id=given.response_id, topic=given.topic)
        session.add(case)
    case.state = given.state
    case.title_ko, case.title_en = given.title_ko.strip(), given.title_en.strip()
    case.answer_ko, case.answer_en = given.answer_ko.strip(), given.answer_en.strip()
    case.progress = given.progress
    case.published = given.published
    case.updated_at = now
    session.flush()  # the case row before its timeline entry (no ORM relationship orders them)
    if changed or given.note_ko.strip() or given.note_en.strip():
        session.add(
            CaseEventRow(
                case_id=given.id,
                at=now,
                state=given.state,
                note_ko=given.note_ko.strip(),
                note_en=given.note_en.strip(),
            )
        )
    session.flush()
    return case


def feed_entry(case: CaseRow) -> dict[str, Any]:
    """The case as an entry of the kiosk feed (kiosk.feedback.feed.FeedEntry)."""
    status = FEED_STATUS[case.state]
    entry: dict[str, Any] = {
        "id": case.id,
        "title": {"ko": case.title_ko, "en": case.title_en},
        "text": {"ko": case.answer_ko, "en": case.answer_en},
        "status": status,
        "progress": case.progress,
        "date": case.updated_at.date().isoformat(),
    }
    if case.topic is not None:
        entry["topic"] = case.topic
    if status == "not_adopted":
        entry["reason"] = {"ko": case.answer_ko, "en": case.answer_en}
    return entry


def published_feed(session: Session) -> dict[str, Any] | None:
    """The feed the console published (newest first, 50 at most), or None if nothing is."""
    cases = list(
        session.scalars(
            select(CaseRow)
            .where(CaseRow.published.is_(True))
            .order_by(CaseRow.updated_at.desc(), CaseRow.id)
            .limit(50)
        )
    )
    if not cases:
        return None
    return {
        "version": 1,
        "updated": max(c.updated_at for c in cases).isoformat(),
        "entries": [feed_entry(c) for c in cases],
    }
