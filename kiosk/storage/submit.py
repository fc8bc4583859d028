"""The durable submit: one visitor's response in one plain-SQL write transaction.

The ORM's unit of work cost more than the commit itself (7-74x a raw sqlite3 insert in
bench/durable_submit.py), so the hot path is a handful of prepared INSERTs on the pooled sqlite3
connection in one `write_transaction` (`BEGIN IMMEDIATE`: the write lock taken up front, so the
abuse counts read in the transaction cannot go stale before the insert). The rows are exactly what the ORM models
(`kiosk.storage.models`) would write; tests/unit/test_storage.py compares the two field by field.
"""

from __future__ import annotations

import json

from kiosk.core.records import ResponseDraft
from kiosk.storage.abuse import AbuseRules, flags_for
from kiosk.storage.database import Database, write_transaction
from kiosk.storage.models import stamp

_RESPONSE = (
    "INSERT INTO responses (id, form_id, form_version, form_hash, content_version, language,"
    " status, started_at, submitted_at, device_id, receipt, simulated)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ANSWER = "INSERT INTO answers (response_id, question_id, position, value_json) VALUES (?, ?, ?, ?)"
_OUTBOX = "INSERT INTO outbox (response_id, state, attempts, updated_at) VALUES (?, 'queued', 0, ?)"
_CONSENT = (
    "INSERT INTO consent_receipts (response_id, text_version, choices_json, at) VALUES (?, ?, ?, ?)"
)
_CONTACT = "INSERT INTO contacts (response_id, ciphertext, created_at) VALUES (?, ?, ?)"
_FLAG = "INSERT INTO flags (response_id, kind, at) VALUES (?, ?, ?)"


def write_submission(
    database: Database,
    draft: ResponseDraft,
    answers_json: list[str],
    free_texts: dict[str, str],
    updated_at: str,
    simulated: bool,
    abuse: AbuseRules,
) -> list[str]:
    """Write the response, its answers, outbox entry, consent, sealed contact and flags in one
    transaction, committed (WAL, synchronous=FULL) before returning; returns the flags. Any error
    rolls the whole transaction back. Callers wrap it in `storage_errors`."""
    # Every value is encoded before the write lock is taken: the lock is held only for SQL.
    submitted = stamp(draft.submitted_at)
    response = (
        draft.id,
        draft.form_id,
        draft.form_version,
        draft.form_hash,
        draft.content_version,
        draft.language,
        draft.status,
        stamp(draft.started_at),
        submitted,
        database.device_id,
        draft.receipt,
        1 if simulated else 0,
    )
    answers = [
        (draft.id, answer.question_id, position, value_json)
        for position, (answer, value_json) in enumerate(
            zip(draft.answers, answers_json, strict=True)
        )
    ]
    consent = draft.consent
    with write_transaction(database) as cursor:
        flags = flags_for(cursor, draft, free_texts, abuse)
        cursor.execute(_RESPONSE, response)
        cursor.executemany(_ANSWER, answers)
        cursor.execute(_OUTBOX, (draft.id, updated_at))
        if consent is not None:
            choices = json.dumps(dict(consent.choices), sort_keys=True)
            cursor.execute(_CONSENT, (draft.id, consent.text_version, choices, stamp(consent.at)))
        if draft.contact_ciphertext is not None:
            cursor.execute(_CONTACT, (draft.id, draft.contact_ciphertext, submitted))
        cursor.executemany(_FLAG, [(draft.id, kind, submitted) for kind in flags])
    return flags
