"""Reading the hub's store: the report, stored documents, the live-results totals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kiosk.protocol.results import results_document
from kiosk_hub.db.models import DeliveryRow, HeartbeatRow, ProblemRow, ResponseRow


def results(session: Session, device_id: str, public_forms: list[str]) -> dict[str, Any]:
    """GET .../results from the stored complete responses; simulated ones never count."""
    rows = session.execute(
        select(ResponseRow.device_id, ResponseRow.form_id, ResponseRow.document["answers"])
        .where(
            ResponseRow.status == "complete",
            ResponseRow.simulated.is_(False),
            ResponseRow.form_id.in_(public_forms),
        )
        .order_by(ResponseRow.seq)
    )
    accepted = [
        (
            device,
            form,
            {
                a["question_id"]: tuple(a["value"]) if isinstance(a["value"], list) else a["value"]
                for a in answers
            },
        )
        for device, form, answers in rows
    ]
    return results_document(device_id, public_forms, accepted)


def report(session: Session) -> dict[str, Any]:
    """What arrived: the keys of `kiosk-hub reference-backend report`, plus the hub's own."""

    def one(sql: str) -> Any:
        return session.execute(text(sql)).scalar_one()

    last = session.execute(
        select(HeartbeatRow.device_id, HeartbeatRow.at, HeartbeatRow.document)
        .order_by(HeartbeatRow.seq.desc())
        .limit(1)
    ).first()
    stored = one("SELECT count(*) FROM responses")
    return {
        "responses_stored": stored,
        "distinct_response_ids": one("SELECT count(DISTINCT id) FROM responses"),
        "batches_received": session.scalar(select(func.count(func.distinct(DeliveryRow.batch_id)))),
        "batch_deliveries": session.scalar(select(func.count()).select_from(DeliveryRow)),
        "duplicate_deliveries_absorbed": one("SELECT coalesce(sum(duplicates), 0) FROM deliveries"),
        "conflicts": session.scalar(
            select(func.count()).select_from(ProblemRow).where(ProblemRow.kind == "conflict")
        ),
        "rejected": session.scalar(
            select(func.count()).select_from(ProblemRow).where(ProblemRow.kind == "rejected")
        ),
        "contacts_received": one(
            "SELECT count(*) FROM responses WHERE document ? 'contact_sealed'"
        ),
        "contacts_decrypted": 0,  # the hub never stores opened contact details
        "receipts_received": one("SELECT count(*) FROM responses WHERE document ? 'receipt'"),
        "flagged_responses": one("SELECT count(*) FROM responses WHERE document ? 'flags'"),
        "heartbeats": session.scalar(select(func.count()).select_from(HeartbeatRow)),
        "last_heartbeat": None
        if last is None
        else {"device_id": last[0], "at": last[1].isoformat(), **last[2]},
        "simulated_responses": one("SELECT count(*) FROM responses WHERE simulated"),
    }


def document(session: Session, response_id: str) -> dict[str, Any] | None:
    found = session.scalar(select(ResponseRow.document).where(ResponseRow.id == response_id))
    return None if found is None else dict(found)


def content_hashes(session: Session) -> dict[str, str]:
    return dict(session.execute(select(ResponseRow.id, ResponseRow.content_hash)).all())


def stored_ids(session: Session) -> list[str]:
    return list(session.scalars(select(ResponseRow.id).order_by(ResponseRow.seq)))
