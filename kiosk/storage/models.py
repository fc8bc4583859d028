"""SQLAlchemy 2 typed models of the store. These rows never leave kiosk.storage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def stamp(value: datetime) -> str:
    """The stored text of an aware datetime: fixed-width UTC ISO, so text order is time order
    (the ORM's UtcDateTime and the plain-SQL submit path both write it through here)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes stored as fixed-width ISO text, so text order is time order."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else stamp(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class MetaRow(Base):
    """Small facts about this install (the random device id)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ResponseRow(Base):
    """One visit to one form."""

    __tablename__ = "responses"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[int] = mapped_column(Integer)
    form_hash: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    receipt: Mapped[str | None] = mapped_column(String(16), nullable=True, unique=True, index=True)
    # Made by `kiosk simulate`, not by a visitor: kept apart in exports and on the server.
    simulated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="response", order_by="AnswerRow.position", cascade="all, delete-orphan"
    )


class AnswerRow(Base):
    """One answer, its value as JSON text."""

    __tablename__ = "answers"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    value_json: Mapped[str] = mapped_column(Text)
    response: Mapped[ResponseRow] = relationship(back_populates="answers")


class OutboxRow(Base):
    """The upload state of a response (see docs/sync-protocol.md once sync lands)."""

    __tablename__ = "outbox"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Revision 0003: when a retry may happen, and when staff attention was first needed.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    quarantined_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class BatchRow(Base):
    """An upload batch, persisted before its first try so every retry sends the same id (0003)."""

    __tablename__ = "sync_batches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16), index=True)
    response_count: Mapped[int] = mapped_column(Integer)
    payload_bytes: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SyncStateRow(Base):
    """Facts of the sync worker: last success, last error, content ETag, enrolled backend (0003)."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def put_setting[Row: (MetaRow, SyncStateRow)](
    session: Session, row_type: type[Row], key: str, value: str | None
) -> None:
    """Set (or, with None, remove) one key of a key/value table in the session's transaction."""
    row = session.get(row_type, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(row_type(key=key, value=value))
    else:
        row.value = value


class AuditRow(Base):
    """A staff or system action worth keeping a record of (revision 0002)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    detail_json: Mapped[str] = mapped_column(Text, default="{}")


class ContactRow(Base):
    """Contact details sealed to the ministry's public key (revision 0004); never plaintext."""

    __tablename__ = "contacts"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ConsentReceiptRow(Base):
    """The consent the visitor gave or refused, item by item (revision 0004)."""

    __tablename__ = "consent_receipts"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    text_version: Mapped[str] = mapped_column(String(64))
    choices_json: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class FlagRow(Base):
    """A reason for staff to look at a response (revision 0004); flags never hide anything."""

    __tablename__ = "flags"
    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
