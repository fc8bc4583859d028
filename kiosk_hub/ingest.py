"""A batch into the database, exactly once: the primary key decides, not a read-then-write.

New responses go in with one `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`; every id the
insert did not return was already there (stored by an earlier delivery, or by another process a
moment ago), so its stored content hash decides between `duplicate` and `conflict`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk.protocol.payload import canonical_json
from kiosk_hub.db.models import DeliveryRow, DeviceRow, ProblemRow, ResponseRow
from kiosk_hub.reference.response_check import check_response

Verdict = tuple[str, str, str | None]  # response id, verdict, reason
MAX_REJECTED_ID = 200  # a refused response's id is kept at most this long


def judge(document: Any, device_id: str, maybe_nul: bool = True) -> str | None:
    """Why a response document is refused, or None (the checks of docs/sync-protocol.md).

    The optional `simulated` marker (true for responses a kiosk's simulator made) is checked
    here and left out of the remaining checks, which the reference backend shares.
    """
    if maybe_nul and has_nul(document):
        return "text contains a NUL character (\\u0000), which the hub cannot store"
    if isinstance(document, dict) and "simulated" in document:
        if not isinstance(document["simulated"], bool):
            return "simulated: expected true or false"
        document = {k: v for k, v in document.items() if k != "simulated"}
    return check_response(document, device_id)


def has_nul(document: Any) -> bool:
    """Whether any key or text holds U+0000 (PostgreSQL text and JSONB cannot store it)."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _storable(text: str) -> str:
    return text.replace("\x00", "\\u0000")


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    document: Any
    encoded: bytes  # canonical JSON
    content_hash: str
    problem: str | None


def receive_batch(
    session: Session, device_id: str, batch_id: str, responses: list[Any]
) -> list[Verdict]:
    """Store a batch's new responses and return a verdict per response; the caller commits."""
    now = datetime.now(UTC)
    items: list[_Item] = []
    for document in responses:
        raw_id = document.get("id") if isinstance(document, dict) else None
        encoded = canonical_json(document)
        items.append(
            _Item(
                id=str(raw_id)[:MAX_REJECTED_ID] if raw_id is not None else "",
                document=document,
                encoded=encoded,
                content_hash=hashlib.sha256(encoded).hexdigest(),
                problem=judge(document, device_id, b"\\u0000" in encoded),
            )
        )
    # The same id twice in one batch: the first one is judged, the others against it.
    first: dict[str, _Item] = {}
    for item in items:
        if item.problem is None:
            first.setdefault(item.id, item)
    inserted: set[str] = set()
    if first:
        # Sorted by id: concurrent inserts of overlapping batches take their row locks in one
        # order, so they wait for each other instead of deadlocking.
        new = sorted(first.values(), key=lambda i: i.id)
        columns = {
            "ids": [i.id for i in new],
            "hashes": [i.content_hash for i in new],
            "forms": [i.document["form_id"] for i in new],
            "statuses": [i.document["status"] for i in new],
            "simulated": [i.document.get("simulated") is True for i in new],
            "documents": [i.encoded.decode("utf-8") for i in new],
            "submitted": [datetime.fromisoformat(i.document["submitted_at"]) for i in new],
        }
        # One statement of fixed text whatever the batch size (arrays, not 5,000 parameters):
        # the database parses it once, and ON CONFLICT leaves known ids to the checks below.
        inserted = set(
            session.scalars(
                text(
                    "INSERT INTO responses (id, device_id, batch_id, content_hash, form_id, status,"
                    " simulated, document, received_at, submitted_at)"
                    " SELECT r.id, :device, :batch, r.hash, r.form, r.status, r.simulated,"
                    " r.document::jsonb, :now, r.submitted"
                    " FROM unnest(CAST(:ids AS varchar[]), CAST(:hashes AS varchar[]),"
                    " CAST(:forms AS varchar[]), CAST(:statuses AS varchar[]),"
                    " CAST(:simulated AS boolean[]), CAST(:documents AS text[]),"
                    " CAST(:submitted AS timestamptz[]))"
                    " AS r(id, hash, form, status, simulated, document, submitted)"
                    " ON CONFLICT (id) DO NOTHING RETURNING id"
                ),
                {"device": device_id, "batch": batch_id, "now": now, **columns},
            )
        )
    known = [i for i in first if i not in inserted]
    stored: dict[str, str] = {}
    if known:
        stored = dict(
            session.execute(
                select(ResponseRow.id, ResponseRow.content_hash).where(ResponseRow.id.in_(known))
            ).all()
        )
    held = {**stored, **{i: first[i].content_hash for i in inserted}}
    verdicts: list[Verdict] = []
    problems: list[dict[str, Any]] = []
    counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0}
    answered: set[str] = set()
    for item in items:
        verdict, reason = _verdict(item, item.id in inserted and item.id not in answered, held)
        answered.add(item.id)
        counts[verdict] += 1
        verdicts.append((item.id, verdict, reason))
        if verdict in ("conflict", "rejected"):
            problems.append(
                {
                    "kind": verdict,
                    "response_id": _storable(item.id),
                    "device_id": device_id,
                    "batch_id": batch_id,
                    "content_hash": item.content_hash,
                    "reason": _storable(reason or ""),
                    "at": now,
                }
            )
    if problems:
        session.execute(insert(ProblemRow), problems)
    session.add(
        DeliveryRow(
            batch_id=batch_id,
            device_id=device_id,
            received_at=now,
            responses=len(items),
            accepted=counts["accepted"],
            duplicates=counts["duplicate"],
            conflicts=counts["conflict"],
            rejected=counts["rejected"],
        )
    )
    session.execute(update(DeviceRow).where(DeviceRow.id == device_id).values(last_upload_at=now))
    return verdicts


def _verdict(item: _Item, new: bool, held: dict[str, str]) -> tuple[str, str | None]:
    if item.problem is not None:
        return "rejected", item.problem
    if new:
        return "accepted", None
    stored = held[item.id]
    if stored == item.content_hash:
        return "duplicate", None
    return "conflict", f"the server holds other content for this id (sha256 {stored[:12]}…)"
