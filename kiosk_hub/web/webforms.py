"""Answering on one's own phone: the kiosk's forms as web forms, with the kiosk's rules.

The served content pack is loaded with the kiosk's own loader (kiosk.content.load_pack). All the
questions of a form are on one page; a question with a skip rule (`show_if`) says when it
applies, and on submission its answer counts only when the rule holds, as on the kiosk. The checks
and skip rules are the kiosk's own (kiosk.content.answers), so are the contact details' rules
(kiosk.privacy.contact); free text goes through the kiosk's masking
(kiosk.privacy.masking.prepare_free_text), and the response is stored with the kiosk's fields,
a receipt code, the channel "web" and the device id "web".
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk.content import ContentPack, Form, Question
from kiosk.content.answers import Problem, normalised_answer, problems, shown_answers
from kiosk.core.records import AnswerValue
from kiosk.feedback.receipts import new_receipt_code
from kiosk.privacy.contact import NORMALISERS, contact_document
from kiosk.privacy.masking import prepare_free_text
from kiosk.privacy.sealing import load_public_key_pem, seal
from kiosk.protocol.payload import canonical_json
from kiosk_hub.db.models import DeviceRow, ResponseRow

WEB_DEVICE = "web"
CHANNEL = "web"


def offered_forms(pack: ContentPack, now: datetime) -> list[Form]:
    """The forms a kiosk shows now (active window), in the kiosk's order."""
    return sorted((f for f in pack.forms if f.is_active(now)), key=lambda f: (f.order, f.id))


def _value(question: Question, fields: dict[str, list[str]]) -> AnswerValue | None:
    """The posted answer of one question, typed as the kiosk's screens give it and checked by the
    kiosk's rule (kiosk.content.answers.normalised_answer); None when unanswered or not valid."""
    given = [v for v in fields.get(f"q_{question.id}", []) if v != ""]
    if not given:
        return None
    raw = given[-1]
    typed: AnswerValue | None = raw  # a choice, or free text (cleaned and masked by `answers_from`)
    if question.type == "multi_choice":
        typed = tuple(given)
    elif question.type == "yes_no":
        typed = {"yes": True, "no": False}.get(raw)
    elif question.scale:
        try:
            typed = int(raw)
        except ValueError:
            return None
    if typed is None:
        return None
    try:
        return normalised_answer(question, typed)
    except ValueError:
        return None


@dataclass
class Outcome:
    answers: dict[str, AnswerValue]
    problems: dict[str, Problem]
    masked: bool


def answers_from(form: Form, fields: dict[str, list[str]]) -> Outcome:
    """The answers of a posted form in question order, with skip rules applied and text masked."""
    given: dict[str, AnswerValue] = {}
    masked_ids: set[str] = set()
    for question in form.questions:
        value = _value(question, fields)
        # Text over its limit is refused as it was typed (too_long), not cut short by the masking.
        if (
            question.type == "free_text"
            and isinstance(value, str)
            and len(value) <= question.max_length
        ):
            redaction = prepare_free_text(value, question.max_length)
            if redaction.kinds:
                masked_ids.add(question.id)
            value = redaction.text or None
        if value is not None:
            given[question.id] = value
    found = problems(form, given)
    # An answer given anyway to a skipped question is dropped, as the kiosk never asks it.
    answers = {qid: v for qid, v in shown_answers(form, given).items() if qid not in found}
    return Outcome(answers, found, any(qid in answers for qid in masked_ids))


def store_web_response(
    session: Session,
    pack: ContentPack,
    form: Form,
    answers: dict[str, AnswerValue],
    language: str,
    started_at: datetime,
    flags: list[str],
    extra: dict[str, Any] | None = None,
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
        **(extra or {}),
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


# Itemised consent and contact details ----------------------------------------------------
# The rules (items, valid values, the sealed document) are the kiosk's: kiosk.privacy.contact.

PUBLIC_KEY_ENV = "KIOSK_HUB_CONTACT_PUBLIC_KEY"
RETENTION_ENV = "KIOSK_HUB_CONTACT_RETENTION_DAYS"


def contact_key() -> X25519PublicKey | None:
    """The ministry's public key for contact details ($KIOSK_HUB_CONTACT_PUBLIC_KEY, a PEM
    file); without it the web forms, like a kiosk without one, ask for no contact details."""
    path = os.environ.get(PUBLIC_KEY_ENV)
    if not path:
        return None
    return load_public_key_pem(Path(path).read_bytes(), path)


def retention_days() -> int:
    return int(os.environ.get(RETENTION_ENV, "365"))


@dataclass
class Contact:
    choices: dict[str, bool]  # every item of the consent text: agreed or not
    details: dict[str, str]  # normalised values of the agreed items
    problems: dict[str, str]  # item -> "invalid" | "missing"
    answered: bool  # at least one item was answered (a consent receipt is kept)


def contact_from(pack: ContentPack, fields: dict[str, list[str]]) -> Contact:
    """Each consent item on its own: a yes needs a valid value, a no (or nothing) keeps none."""
    items = list(pack.consent.items) if pack.consent else []
    choices: dict[str, bool] = {}
    details: dict[str, str] = {}
    problems: dict[str, str] = {}
    answered = False
    for item in items:
        said = (fields.get(f"consent_{item}") or [""])[-1]
        answered = answered or said in ("yes", "no")
        choices[item] = said == "yes"
        if said != "yes":
            continue
        typed = (fields.get(f"contact_{item}") or [""])[-1].strip()
        if not typed:
            problems[item] = "missing"
            continue
        normalised = NORMALISERS[item](typed)
        if normalised is None:
            problems[item] = "invalid"
        else:
            details[item] = normalised
    return Contact(choices, details, problems, answered)


def consent_fields(pack: ContentPack, contact: Contact, key: X25519PublicKey) -> dict[str, Any]:
    """The document fields of a consent receipt and the sealed details (nothing in clear)."""
    assert pack.consent is not None
    found: dict[str, Any] = {
        "consent": {
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "choices": dict(contact.choices),
            "text_version": pack.consent.version,
        }
    }
    if contact.details:
        sealed = seal(key, contact_document(contact.details))
        found["contact_sealed"] = base64.b64encode(sealed).decode("ascii")
    return found
