"""Answering on one's own phone: the kiosk's forms as web forms, with the kiosk's rules.

The served content pack is loaded with the kiosk's own loader (kiosk.content.load_pack). All the
questions of a form are on one page; a question with a skip rule (`show_if`) says when it
applies, and on submission its answer counts only when the rule holds, as on the kiosk. The checks
are the kiosk's (kiosk.visit.view.check_value and problem_with, which the hub may not import;
tests/web/test_webforms.py checks both agree), free text goes through the kiosk's masking
(kiosk.privacy.masking.prepare_free_text), and the response is stored with the kiosk's fields,
a receipt code, the channel "web" and the device id "web".
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk.content import ContentPack, Form, Question
from kiosk.core.records import AnswerValue
from kiosk.feedback.receipts import new_receipt_code
from kiosk.privacy.masking import prepare_free_text
from kiosk.protocol.payload import canonical_json
from kiosk_hub.db.models import DeviceRow, ResponseRow

WEB_DEVICE = "web"
CHANNEL = "web"


def offered_forms(pack: ContentPack, now: datetime) -> list[Form]:
    """The forms a kiosk shows now (active window), in the kiosk's order."""
    return sorted((f for f in pack.forms if f.is_active(now)), key=lambda f: (f.order, f.id))


def _value(question: Question, fields: dict[str, list[str]]) -> AnswerValue | None:
    """The posted answer of one question, typed; None when unanswered or not a valid value."""
    given = [v for v in fields.get(f"q_{question.id}", []) if v != ""]
    if not given:
        return None
    kind = question.type
    if kind == "multi_choice":
        picked = tuple(dict.fromkeys(given))
        return picked if all(question.option(v) for v in picked) else None
    raw = given[-1]
    if kind == "single_choice":
        return raw if question.option(raw) else None
    if kind == "yes_no":
        return {"yes": True, "no": False}.get(raw)
    if question.scale:
        try:
            number = int(raw)
        except ValueError:
            return None
        low, high = question.scale
        return number if low <= number <= high else None
    return raw  # free text, cleaned and masked by `answers_from`


def problem(question: Question, value: AnswerValue | None) -> tuple[str, dict[str, int]] | None:
    """Why the answer cannot be accepted (the kiosk's problem_with), as a text key and values."""
    empty = value is None or value == () or (isinstance(value, str) and not value.strip())
    if empty:
        return ("required", {}) if question.required else None
    if question.type == "multi_choice" and isinstance(value, tuple):
        low, high = question.picks
        if len(value) < low:
            return "too_few", {"min": low}
        if len(value) > high:
            return "too_many", {"max": high}
    if question.type == "free_text" and isinstance(value, str) and len(value) > question.max_length:
        return "too_long", {"limit": question.max_length}
    return None


@dataclass
class Outcome:
    answers: dict[str, AnswerValue]
    problems: dict[str, tuple[str, dict[str, int]]]
    masked: bool


def answers_from(form: Form, fields: dict[str, list[str]]) -> Outcome:
    """The answers of a posted form in question order, with skip rules applied and text masked."""
    answers: dict[str, AnswerValue] = {}
    problems: dict[str, tuple[str, dict[str, int]]] = {}
    masked = False
    for question in form.questions:
        if question.show_if is not None and not question.show_if.holds(
            answers.get(question.show_if.question)
        ):
            continue  # skipped, as the kiosk skips it: an answer given anyway is dropped
        value = _value(question, fields)
        if question.type == "free_text" and isinstance(value, str):
            if len(value) > question.max_length:
                problems[question.id] = ("too_long", {"limit": question.max_length})
                continue
            redaction = prepare_free_text(value, question.max_length)
            masked = masked or bool(redaction.kinds)
            value = redaction.text or None
        found = problem(question, value)
        if found is not None:
            problems[question.id] = found
        elif value is not None:
            answers[question.id] = value
    return Outcome(answers, problems, masked)


def store_web_response(
    session: Session,
    pack: ContentPack,
    form: Form,
    answers: dict[str, AnswerValue],
    language: str,
    started_at: datetime,
    flags: list[str],
) -> str:
    """Store one web response like a kiosk's (same document fields); its receipt code."""
    now = datetime.now(UTC)
    started = min(max(started_at, now - timedelta(hours=12)), now)
    code = new_receipt_code()
    document: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "form_id": form.id,
        "form_version": form.version,
        "form_hash": form.definition_hash,
        "content_version": pack.version,
        "language": language,
        "status": "complete",
        "started_at": started.isoformat(timespec="microseconds"),
        "submitted_at": now.isoformat(timespec="microseconds"),
        "device_id": WEB_DEVICE,
        "answers": [
            {"question_id": qid, "value": list(v) if isinstance(v, tuple) else v}
            for qid, v in answers.items()
        ],
        "receipt": code,
        "channel": CHANNEL,
    }
    if flags:
        document["flags"] = sorted(flags)
    session.execute(
        insert(DeviceRow)
        .values(id=WEB_DEVICE, name="Web (own phone)", first_seen_at=now)
        .on_conflict_do_nothing()
    )
    session.add(
        ResponseRow(
            id=document["id"],
            device_id=WEB_DEVICE,
            batch_id=document["id"],
            content_hash=hashlib.sha256(canonical_json(document)).hexdigest(),
            form_id=form.id,
            status="complete",
            simulated=False,
            document=document,
            received_at=now,
            submitted_at=now,
        )
    )
    session.flush()
    return code
