"""Responses as wire documents, built by SQLite's JSON functions in one query per batch."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from sqlalchemy.orm import Session

from kiosk.protocol.payload import sealed_text

# One row per response: its document with keys in sorted order; answers in their asked order
# (the inner ORDER BY feeds json_group_array in that order). Ids come as one JSON array (given twice).
# The optional fields (receipt, consent, flags, simulated) are merged in with json_patch, whose null values
# remove the key, and only for responses that have one (most have none): a response without them
# has exactly the document (and hash) it had before they existed. The sealed contact blob comes as its own column, base64-encoded in Python (SQLite has
# no base64), only for the few responses that have one.
DOCUMENTS_SQL = """
SELECT id, CASE WHEN extras IS NULL THEN base ELSE json_patch(base, extras) END, sealed
FROM (
    SELECT r.id AS id, json_object(
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
    ) AS base, CASE WHEN r.receipt IS NULL AND c.response_id IS NULL AND f.kinds IS NULL
                        AND NOT r.simulated
        THEN NULL
        ELSE json_object(
            'consent', CASE WHEN c.response_id IS NULL THEN NULL
                ELSE json_object('at', c.at, 'choices', json(c.choices_json),
                                 'text_version', c.text_version) END,
            'flags', json(f.kinds),
            'receipt', r.receipt,
            'simulated', CASE WHEN r.simulated THEN json('true') ELSE NULL END
        ) END AS extras, s.ciphertext AS sealed
    FROM responses AS r
    LEFT JOIN consent_receipts AS c ON c.response_id = r.id
    LEFT JOIN contacts AS s ON s.response_id = r.id
    LEFT JOIN (
        SELECT response_id, json_group_array(kind) AS kinds
        FROM (SELECT response_id, kind FROM flags
              WHERE response_id IN (SELECT value FROM json_each(?))
              ORDER BY response_id, kind)
        GROUP BY response_id
    ) AS f ON f.response_id = r.id
    WHERE r.id IN (SELECT value FROM json_each(?))
)
"""


def response_documents(source: Session | sqlite3.Cursor, ids: Sequence[str]) -> dict[str, bytes]:
    """The wire document of each response (docs/sync-protocol.md, "Response"), UTF-8 JSON.

    Built in SQL because Python objects per answer cost more than the upload itself at
    thousands of responses; tests/sync checks every field against
    kiosk.protocol.payload.response_document, the schema's Python statement.
    """
    if not ids:
        return {}
    listed = json.dumps(list(ids))  # bound twice: the flags' subquery and the outer WHERE
    if isinstance(source, sqlite3.Cursor):  # the sync worker's hot path: no per-row wrapping
        rows = source.execute(DOCUMENTS_SQL, (listed, listed)).fetchall()
    else:
        rows = list(source.connection().exec_driver_sql(DOCUMENTS_SQL, (listed, listed)))
    documents: dict[str, bytes] = {}
    for response_id, document, sealed in rows:
        if sealed is not None:
            parsed = json.loads(document)
            parsed["contact_sealed"] = sealed_text(bytes(sealed))
            document = json.dumps(parsed, ensure_ascii=False, separators=(",", ":"))
        documents[response_id] = document.encode("utf-8")
    return documents
