"""Responses as wire documents, built by SQLite's JSON functions in one query per batch."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

# One row per response: its document with keys in sorted order; answers in their asked order
# (the inner ORDER BY feeds json_group_array in that order). Ids come as one JSON array.
DOCUMENTS_SQL = """
SELECT r.id, json_object(
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
)
FROM responses AS r
WHERE r.id IN (SELECT value FROM json_each(?))
"""


def response_documents(session: Session, ids: Sequence[str]) -> dict[str, bytes]:
    """The wire document of each response (docs/sync-protocol.md, "Response"), UTF-8 JSON.

    Built in SQL because Python objects per answer cost more than the upload itself at
    thousands of responses; tests/sync checks every field against
    kiosk.sync.payload.response_document, the schema's Python statement.
    """
    if not ids:
        return {}
    rows = session.connection().exec_driver_sql(DOCUMENTS_SQL, (json.dumps(list(ids)),))
    return {response_id: document.encode("utf-8") for response_id, document in rows}
