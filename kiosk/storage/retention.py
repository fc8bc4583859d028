"""Retention: delete sealed contact details and acknowledged responses once their time is up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import BatchRow, ContactRow, OutboxRow, ResponseRow


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed (or, in a dry run, would remove)."""

    contacts: int
    responses: int
    contacts_before: datetime
    responses_before: datetime
    dry_run: bool


def purge_expired(
    database: Database, now: datetime, contact_days: int, sent_days: int, dry_run: bool = False
) -> PurgeReport:
    """Delete contacts older than contact_days and responses acknowledged over sent_days ago."""
    contacts_before = now - timedelta(days=contact_days)
    responses_before = now - timedelta(days=sent_days)
    with storage_errors(database.path), database.sessions() as session, session.begin():
        contact_ids = _ids(
            session, select(ContactRow.response_id).where(ContactRow.created_at < contacts_before)
        )
        response_ids = _ids(session, _acknowledged_before(responses_before))
        if not dry_run:
            for chunk in _chunks(contact_ids):
                session.execute(delete(ContactRow).where(ContactRow.response_id.in_(chunk)))
            # Answers, outbox, consent receipts, flags and contacts go with them (ON DELETE CASCADE).
            for chunk in _chunks(response_ids):
                session.execute(delete(ResponseRow).where(ResponseRow.id.in_(chunk)))
    if not dry_run and (contact_ids or response_ids):
        # Move the deletions out of the WAL into the (securely zeroed) main file at once.
        with storage_errors(database.path), database.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return PurgeReport(
        contacts=len(contact_ids),
        responses=len(response_ids),
        contacts_before=contacts_before,
        responses_before=responses_before,
        dry_run=dry_run,
    )


def _acknowledged_before(before: datetime) -> object:
    """Responses the backend acknowledged before `before`.

    The acknowledgement time is the settled_at of the batch whose verdict made the row `sent`
    (revision 0003); the outbox's updated_at stands in only for a row without such a batch (rows
    marked sent before batches were recorded), since anything later that touches the row would
    move updated_at and with it the response's end of life.
    """
    acknowledged = func.coalesce(BatchRow.settled_at, OutboxRow.updated_at)
    return (
        select(OutboxRow.response_id)
        .join(
            BatchRow,
            (BatchRow.id == OutboxRow.batch_id) & (BatchRow.state == "settled"),
            isouter=True,
        )
        .where(OutboxRow.state == "sent", acknowledged < before)
    )


def _ids(session: Session, query: object) -> list[str]:
    return list(session.scalars(query))  # type: ignore[call-overload]


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
