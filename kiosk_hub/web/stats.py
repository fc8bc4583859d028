"""What the console reads: counts per form, day and kiosk; free text with filters; exports.

Simulated responses are never read here (they are stored and counted only by the report).
Days are days in Seoul.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Date, String, and_, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kiosk.content import ContentPack, Form
from kiosk.core.errors import ContentError
from kiosk_hub import packs
from kiosk_hub.api.app import hub_state
from kiosk_hub.db.models import ResponseRow

SEOUL_DAY = cast(func.timezone("Asia/Seoul", ResponseRow.submitted_at), Date)


def real() -> ColumnElement[bool]:
    return and_(ResponseRow.simulated.is_(False), ResponseRow.status == "complete")


def current_pack(request: Request, session: Session) -> ContentPack | None:
    """The forms every page reads: the newest pack published to all kiosks, else the folder."""
    state = hub_state(request)
    try:
        return packs.current_forms(session, state.settings.content_dir, state.loaded_packs)
    except ContentError:
        return None


def form_titles(pack: ContentPack | None) -> dict[str, dict[str, str]]:
    return {f.id: dict(f.title) for f in pack.forms} if pack else {}


@dataclass(frozen=True)
class Counts:
    by_form: list[tuple[str, int]]
    by_day: list[tuple[date, int]]
    by_kiosk: list[tuple[str, str, int]]  # device id, name, count
    total: int


def counts(session: Session, days: int, form: str | None, today: date) -> Counts:
    since = today - timedelta(days=days - 1)
    where = [real(), since <= SEOUL_DAY]
    if form:
        where.append(ResponseRow.form_id == form)
    by_form = session.execute(
        select(ResponseRow.form_id, func.count())
        .where(*where)
        .group_by(ResponseRow.form_id)
        .order_by(func.count().desc())
    ).all()
    per_day = dict(
        session.execute(select(SEOUL_DAY, func.count()).where(*where).group_by(SEOUL_DAY)).all()
    )
    by_day = [(since + timedelta(days=i), int(per_day.get(since + timedelta(days=i), 0)))
              for i in range(days)]  # fmt: skip
    from kiosk_hub.db.models import DeviceRow

    by_kiosk = session.execute(
        select(ResponseRow.device_id, func.coalesce(DeviceRow.name, ResponseRow.device_id), func.count())
        .outerjoin(DeviceRow, DeviceRow.id == ResponseRow.device_id)
        .where(*where)
        .group_by(ResponseRow.device_id, DeviceRow.name)
        .order_by(func.count().desc())
    ).all()  # fmt: skip
    return Counts(
        [(f, int(n)) for f, n in by_form],
        by_day,
        [(d, str(name), int(n)) for d, name, n in by_kiosk],
        sum(int(n) for _, n in by_form),
    )


@dataclass(frozen=True)
class TextFilters:
    form: str = ""
    topic: str = ""
    kiosk: str = ""
    flag: str = ""  # "" any, "flagged" any flag, or one flag name
    since: date | None = None
    until: date | None = None
    search: str = ""

    def as_query(self) -> dict[str, str]:
        return {
            "form": self.form,
            "topic": self.topic,
            "kiosk": self.kiosk,
            "flag": self.flag,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "q": self.search,
        }


@dataclass(frozen=True)
class TextItem:
    response_id: str
    form_id: str
    device_id: str
    submitted_at: datetime
    topic: str | None
    texts: list[tuple[str, str]]  # question id, text
    flags: list[str]
    receipt: str | None


def free_text_questions(pack: ContentPack | None) -> dict[str, list[str]]:
    """Form id -> the ids of its free-text questions."""
    if pack is None:
        return {}
    return {
        f.id: [q.id for q in f.questions if q.type == "free_text"]
        for f in pack.forms
        if any(q.type == "free_text" for q in f.questions)
    }


def free_texts(
    session: Session, pack: ContentPack | None, filters: TextFilters, limit: int = 200
) -> list[TextItem]:
    """Responses with written text, newest first, filtered; the search matches the written text
    (Korean included: a substring match on the answers, case-insensitive for Latin letters)."""
    questions = free_text_questions(pack)
    forms = [filters.form] if filters.form else list(questions)
    statement = select(
        ResponseRow.id, ResponseRow.form_id, ResponseRow.device_id, ResponseRow.submitted_at,
        ResponseRow.document,
    ).where(real(), ResponseRow.form_id.in_(forms))  # fmt: skip
    if filters.kiosk:
        statement = statement.where(ResponseRow.device_id == filters.kiosk)
    if filters.since:
        statement = statement.where(filters.since <= SEOUL_DAY)
    if filters.until:
        statement = statement.where(filters.until >= SEOUL_DAY)
    if filters.flag == "flagged":
        statement = statement.where(ResponseRow.document.has_key("flags"))
    elif filters.flag:
        statement = statement.where(ResponseRow.document["flags"].contains([filters.flag]))
    if filters.topic:
        statement = statement.where(
            ResponseRow.document["answers"].contains(
                [{"question_id": "topic", "value": filters.topic}]
            )
        )
    if filters.search.strip():
        needle = (
            filters.search.strip().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        )
        statement = statement.where(
            cast(ResponseRow.document["answers"], String).ilike(f"%{needle}%")
        )
    rows = session.execute(statement.order_by(ResponseRow.submitted_at.desc()).limit(limit))
    items = []
    for rid, form_id, device_id, submitted_at, document in rows:
        answers = {a["question_id"]: a["value"] for a in document.get("answers", [])}
        texts = [
            (q, answers[q])
            for q in questions.get(form_id, [])
            if isinstance(answers.get(q), str) and answers[q].strip()
        ]
        if not texts:
            continue
        topic = answers.get("topic")
        items.append(
            TextItem(
                rid, form_id, device_id, submitted_at,
                topic if isinstance(topic, str) else None, texts,
                list(document.get("flags", [])), document.get("receipt"),
            )
        )  # fmt: skip
    return items


def topics(pack: ContentPack | None) -> dict[str, dict[str, str]]:
    """Topic option id -> its text, from every form's `topic` question."""
    found: dict[str, dict[str, str]] = {}
    for form in pack.forms if pack else ():
        for question in form.questions:
            if question.id == "topic" and question.options:
                found.update({o.id: dict(o.text) for o in question.options})
    return found


# Exports -------------------------------------------------------------------------------


def _shown(value: Any, options: dict[str, str]) -> Any:
    if isinstance(value, list):
        return "; ".join(str(options.get(str(v), v)) for v in value)
    if isinstance(value, str):
        return options.get(value, value)
    return value


def export_rows(
    session: Session, form: Form, language: str = "ko"
) -> tuple[list[str], list[list[Any]]]:
    """A header of fixed columns and question texts, and one row per complete response.

    No contact details, consent receipts or sealed data: only what the visitor answered."""
    header = ["response_id", "submitted_at", "kiosk", "language", "flags"]
    header += [q.text.get(language, q.id) for q in form.questions]
    options = {
        q.id: {o.id: o.text.get(language, o.id) for o in q.options or []} for q in form.questions
    }
    rows = []
    for rid, device, submitted_at, document in session.execute(
        select(ResponseRow.id, ResponseRow.device_id, ResponseRow.submitted_at, ResponseRow.document)
        .where(real(), ResponseRow.form_id == form.id)
        .order_by(ResponseRow.submitted_at)
    ):  # fmt: skip
        answers = {a["question_id"]: a["value"] for a in document.get("answers", [])}
        rows.append(
            [rid, submitted_at.isoformat(), device, document.get("language", ""),
             " ".join(document.get("flags", []))]
            + [_shown(answers.get(q.id, ""), options[q.id]) for q in form.questions]
        )  # fmt: skip
    return header, rows


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula starts with an apostrophe instead."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel opens Korean text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_safe_cell(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
