"""Opening sealed contact details on the hub, for one session, with the ministry's private key.

The hub stores contact details only sealed (inside each response document). The private key is
supplied to the command that needs it (from a file or standard input), held in memory for that
run, and never written to the database, a log or a file by the hub; the opened details go to the
caller (standard output), never back into the database.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.privacy.sealing import SealError, open_sealed
from kiosk_hub.db.models import ResponseRow


def open_contacts(
    session: Session, private_key: X25519PrivateKey, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Each stored response with sealed contact details: opened, or why it would not open."""
    query = (
        select(ResponseRow.id, ResponseRow.received_at, ResponseRow.document["contact_sealed"])
        .where(ResponseRow.document.has_key("contact_sealed"))
        .order_by(ResponseRow.seq)
    )
    if since is not None:
        query = query.where(ResponseRow.received_at >= since)
    for response_id, received_at, sealed in session.execute(query):
        entry: dict[str, Any] = {"response_id": response_id, "received_at": received_at.isoformat()}
        try:
            blob = base64.b64decode(str(sealed), validate=True)
            entry["contact"] = _json(open_sealed(private_key, blob))
        except (binascii.Error, ValueError, SealError) as exc:
            entry["problem"] = str(exc) if isinstance(exc, SealError) else "not base64"
        yield entry


def _json(plaintext: bytes) -> Any:
    import json

    return json.loads(plaintext.decode("utf-8"))
