"""The wire form of a response and its canonical JSON, shared by the kiosk and the reference backend."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from typing import Any

from kiosk.core.records import ConsentReceipt, StoredResponse

SCHEMA_VERSION = 1
RESPONSE_FIELDS = (
    "id",
    "form_id",
    "form_version",
    "form_hash",
    "content_version",
    "language",
    "status",
    "started_at",
    "submitted_at",
    "device_id",
    "answers",
)
# Optional, absent when the response has none (so older documents keep their hash): the receipt
# code, the consent receipt, the sealed contact details (base64) and the abuse flags.
OPTIONAL_FIELDS = ("receipt", "consent", "contact_sealed", "flags")


def sealed_text(ciphertext: bytes) -> str:
    """The wire form of sealed contact details: standard base64 with padding."""
    return base64.b64encode(ciphertext).decode("ascii")


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def response_document(
    response: StoredResponse,
    consent: ConsentReceipt | None = None,
    contact_ciphertext: bytes | None = None,
) -> dict[str, Any]:
    """Every stored field of a response (docs/sync-protocol.md, "Response").

    The consent receipt and the sealed contact details are not on a StoredResponse (exports must
    not carry the ciphertext); pass them from Repository.consent_receipt/contact_ciphertext.
    """
    document = {
        "id": response.id,
        "form_id": response.form_id,
        "form_version": response.form_version,
        "form_hash": response.form_hash,
        "content_version": response.content_version,
        "language": response.language,
        "status": response.status,
        "started_at": _stamp(response.started_at),
        "submitted_at": _stamp(response.submitted_at),
        "device_id": response.device_id,
        "answers": [
            {
                "question_id": a.question_id,
                "value": list(a.value) if isinstance(a.value, tuple) else a.value,
            }
            for a in response.answers
        ],
    }
    if response.receipt is not None:
        document["receipt"] = response.receipt
    if response.flags:
        document["flags"] = sorted(response.flags)
    if consent is not None:
        document["consent"] = {
            "at": _stamp(consent.at),
            "choices": dict(consent.choices),
            "text_version": consent.text_version,
        }
    if contact_ciphertext is not None:
        document["contact_sealed"] = sealed_text(contact_ciphertext)
    return document


def canonical_json(document: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same response always gives the same bytes."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: "same id, same content" is the same hash."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


def batch_body(batch_id: str, encoded: list[bytes]) -> bytes:
    """The JSON body of POST .../batches (before gzip), from canonical response documents.

    Joined as bytes so each response is encoded once; the keys are in sorted order, so the body
    is itself canonical JSON.
    """
    head = canonical_json(batch_id)
    return (
        b'{"batch_id":'
        + head
        + b',"responses":['
        + b",".join(encoded)
        + b'],"schema_version":'
        + str(SCHEMA_VERSION).encode()
        + b"}"
    )


def encode_response(response: StoredResponse) -> bytes:
    return canonical_json(response_document(response))
