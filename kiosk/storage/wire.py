"""Responses as wire documents, built by SQLite's JSON functions in one query per batch."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

# One row per response: its document with keys in sorted order; answers in their asked order
# (the inner ORDER BY feeds json_group_array in that order). Ids come as one JSON array.
# The optional fields (receipt, consent, flags) are merged in with json_patch, whose null values
# remove the key: a response without them has exactly the document (and hash) it had before they
# existed. The sealed contact blob comes as its own column, base64-encoded in Python (SQLite has
# no base64), only for the few responses that have one.
DOCUMENTS_SQL = """
SELECT r.id, json_patch(json_object(
    'answers', (
        SELECT json_group_array(json_object('question_id', a.question_id,
                                            'value', json(a.value_json)))
        FROM (SELECT question_id, value_json FROM answers
              WHERE response_id = r.id ORDER BY position) AS a
    ),
    'content_version', r.content_version,
    'device_id', r.device_id,
    'form_hash', r.form_hash,
    'form_id', r.form_id,
    'form_version', r.form_version,
    'id', r.id,
    'language', r.language,
    'started_at', r.started_at,
    'status', r.status,
    'submitted_at', r.submitted_at
), json_object(
    'consent', (
        SELECT json_object('at', c.at, 'choices', json(c.choices_json),
                           'text_version', c.text_version)
        FROM consent_receipts AS c WHERE c.response_id = r.id
    ),
    'flags', (
        SELECT json_group_array(f.kind)
        FROM (SELECT kind FROM flags WHERE response_id = r.id ORDER BY kind) AS f
        HAVING count(*) > 0
    ),
    'receipt', r.receipt
)), (SELECT s.ciphertext FROM contacts AS s WHERE s.response_id = r.id)
FROM responses AS r
WHERE r.id IN (SELECT value FROM json_each(?))
"""


def sealed_text(ciphertext: bytes) -> str:
    """The wire form of sealed contact details: standard base64 with padding."""
    return base64.b64encode(ciphertext).decode("ascii")


def response_documents(session: Session, ids: Sequence[str]) -> dict[str, bytes]:
    """The wire document of each response (docs/sync-protocol.md, "Response"), UTF-8 JSON.

    Built in SQL because Python objects per answer cost more than the upload itself at
    thousands of responses; tests/sync checks every field against
    kiosk.sync.payload.response_document, the schema's Python statement.
    """
    if not ids:
        return {}
    rows = session.connection().exec_driver_sql(DOCUMENTS_SQL, (json.dumps(list(ids)),))
    documents: dict[str, bytes] = {}
    for response_id, document, sealed in rows:
        if sealed is not None:
            parsed = json.loads(document)
            parsed["contact_sealed"] = sealed_text(bytes(sealed))
            document = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
        documents[response_id] = document.encode("utf-8")
    return documents
