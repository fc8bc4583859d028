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

import base64
import hashlib
import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk.content import ContentPack, Form, Question
from kiosk.core.records import AnswerValue
from kiosk.feedback.receipts import new_receipt_code
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
# The checks are the kiosk's normalisers (kiosk.visit.consent), which the hub may not import;
# tests/web/test_webforms.py checks both agree on a list of inputs.

_EMAIL = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$",
    re.ASCII,
)
_MOBILE = re.compile(r"^(?:\+82|0082|0)?(?:(10)(\d{4})|(1[16789])(\d{3,4}))(\d{4})$", re.ASCII)
PUBLIC_KEY_ENV = "KIOSK_HUB_CONTACT_PUBLIC_KEY"
RETENTION_ENV = "KIOSK_HUB_CONTACT_RETENTION_DAYS"


def normalise_email(value: str) -> str | None:
    address = unicodedata.normalize("NFKC", value).strip()
    return address if _EMAIL.match(address) and ".." not in address else None


def normalise_phone(value: str) -> str | None:
    digits = re.sub(r"[\s().-]", "", unicodedata.normalize("NFKC", value))
    match = _MOBILE.match(digits)
    if match is None:
        return None
    prefix, middle = match[1] or match[3], match[2] or match[4]
    return f"0{prefix}-{middle}-{match[5]}"


NORMALISERS = {"email": normalise_email, "phone": normalise_phone}


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
        plain = json.dumps(contact.details, ensure_ascii=False, sort_keys=True).encode("utf-8")
        found["contact_sealed"] = base64.b64encode(seal(key, plain)).decode("ascii")
    return found
