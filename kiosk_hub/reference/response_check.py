"""The reference backend's check of a response document (docs/sync-protocol.md, "A response"),
and the opening of its sealed contact details with the ministry's private key."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.privacy.sealing import SealError, open_sealed
from kiosk.protocol.payload import OPTIONAL_FIELDS, RESPONSE_FIELDS
from kiosk_hub.reference.store import OpenedContact

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def check_response(document: Any, device_id: str) -> str | None:
    """Why a response document is unacceptable, or None: the schema of docs/sync-protocol.md."""
    if not isinstance(document, dict):
        return "a response must be a JSON object"
    fields = set(document)
    missing = sorted(set(RESPONSE_FIELDS) - fields)
    extra = sorted(fields - set(RESPONSE_FIELDS) - set(OPTIONAL_FIELDS))
    if missing or extra:
        return f"fields: missing {missing}, unknown {extra}"
    text = ("id", "form_id", "form_hash", "content_version", "language", "device_id")
    for key in text:
        if not isinstance(document[key], str) or not document[key]:
            return f"{key}: expected a non-empty string"
    if not UUID.match(document["id"]):
        return "id: expected a lower-case UUID"
    if document["device_id"] != device_id:
        return "device_id: does not match the device in the URL"
    version = document["form_version"]
    if type(version) is not int or version < 1:  # JSON true is not a version
        return "form_version: expected an integer >= 1"
    if document["status"] not in ("complete", "abandoned"):
        return "status: expected 'complete' or 'abandoned'"
    try:
        started = datetime.fromisoformat(document["started_at"])
        submitted = datetime.fromisoformat(document["submitted_at"])
    except (TypeError, ValueError):
        return "started_at/submitted_at: expected ISO 8601 timestamps"
    if started.tzinfo is None or submitted.tzinfo is None:
        return "started_at/submitted_at: expected a UTC offset"
    if submitted < started:
        return "submitted_at: earlier than started_at"
    answers = document["answers"]
    if not isinstance(answers, list):
        return "answers: expected a list"
    seen: set[str] = set()
    for index, answer in enumerate(answers):
        if not isinstance(answer, dict) or set(answer) != {"question_id", "value"}:
            return f"answers[{index}]: expected {{question_id, value}}"
        qid, value = answer["question_id"], answer["value"]
        if not isinstance(qid, str) or qid in seen:
            return f"answers[{index}].question_id: missing or given twice"
        seen.add(qid)
        if not (
            isinstance(value, str | int | bool)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            return f"answers[{index}].value: expected text, a number, true/false or a list of ids"
    return _optional_problem(document)


def _optional_problem(document: dict[str, Any]) -> str | None:
    """The optional fields (receipt, consent, contact_sealed, flags, simulated), when present."""
    receipt = document.get("receipt", "-")
    if not isinstance(receipt, str) or not receipt:
        return "receipt: expected a non-empty string"
    if "consent" in document:
        consent = document["consent"]
        if not isinstance(consent, dict) or set(consent) != {"at", "choices", "text_version"}:
            return "consent: expected {at, choices, text_version}"
        if not isinstance(consent["text_version"], str) or not consent["text_version"]:
            return "consent.text_version: expected a non-empty string"
        choices = consent["choices"]
        if not isinstance(choices, dict) or not all(
            isinstance(choice, bool) for choice in choices.values()
        ):
            return "consent.choices: expected an object of item: true/false"
        try:
            at = datetime.fromisoformat(consent["at"])
        except (TypeError, ValueError):
            return "consent.at: expected an ISO 8601 timestamp"
        if at.tzinfo is None:
            return "consent.at: expected a UTC offset"
    if "contact_sealed" in document and sealed_bytes(document["contact_sealed"]) is None:
        return "contact_sealed: expected base64 text"
    flags = document.get("flags", ["-"])
    if (
        not isinstance(flags, list)
        or not flags
        or not all(isinstance(kind, str) and kind for kind in flags)
        or len(set(flags)) != len(flags)
    ):
        return "flags: expected a non-empty list of distinct flag names"
    if "simulated" in document and document["simulated"] is not True:
        return "simulated: expected true (leave it out for a visitor's response)"
    return None


def sealed_bytes(text: Any) -> bytes | None:
    """The sealed blob of a `contact_sealed` value, or None when it is not valid base64."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def open_contact(private_key: X25519PrivateKey | None, document: Any) -> OpenedContact | None:
    """The contact details of a valid response, opened with the ministry's private key.

    None when the response carries none; without a key the blob is kept unopened (the document
    holds it), and a blob that does not open is recorded with the reason, never dropped.
    """
    if not isinstance(document, dict) or "contact_sealed" not in document:
        return None
    blob = sealed_bytes(document["contact_sealed"])
    if blob is None:
        return None
    if private_key is None:
        return OpenedContact(None, "no private key given to the backend (--contact-key)")
    try:
        plaintext = open_sealed(private_key, blob)
    except SealError as exc:
        return OpenedContact(None, f"does not open with the private key: {exc}")
    try:
        return OpenedContact(plaintext.decode("utf-8"), None)
    except UnicodeDecodeError:
        return OpenedContact(None, "opened, but the plaintext is not UTF-8")
