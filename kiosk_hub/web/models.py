"""The web part's tables: answers to proposals and topics, their timelines, console sessions,
sign-in attempts, the audit log, receipt look-ups (rate limiting) and uploaded content packs.

They live in the hub's metadata (one Alembic history); migrations 0002_web and 0003_packs create
them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from kiosk_hub.db.models import Base

# What became of an opinion or proposal, in the order a case usually moves through them.
STATES = (
    "received",
    "under_review",
    "answered",
    "adopted",
    "partly_adopted",
    "not_adopted",
    "implemented",
)
# The kiosk feed knows four statuses (kiosk.feedback.feed.STATUSES): each state maps to one.
FEED_STATUS = {
    "received": "received",
    "under_review": "under_review",
    "answered": "under_review",
    "adopted": "reflected",
    "partly_adopted": "reflected",
    "implemented": "reflected",
    "not_adopted": "not_adopted",
}


class CaseRow(Base):
    """The ministry's answer to one proposal (a response) or to a whole opinion topic.

    `published` puts it in the feed the kiosks pull ("you said, we did"); the receipt pages show
    it whether published or not once it has an answer.
    """

    __tablename__ = "web_cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # also the feed entry id
    response_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    topic: Mapped[str | None] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(32))
    title_ko: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    answer_ko: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CaseEventRow(Base):
    """One entry of a case's timeline (a state change, a planned date, a step taken)."""

    __tablename__ = "web_case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("web_cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(32))
    note_ko: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")


class WebSessionRow(Base):
    """A signed-in console session: only the SHA-256 of the cookie value is stored."""

    __tablename__ = "web_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttemptRow(Base):
    """A sign-in attempt (the account name as typed, whether it worked): lockout counts these."""

    __tablename__ = "web_login_attempts"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)


class AuditRow(Base):
    """Every console action: who, what, on what, when (no passwords, no free text of visitors)."""

    __tablename__ = "web_audit"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class ReceiptLookupRow(Base):
    """A receipt page request, by a keyed hash of the client address: guessing is rate-limited."""

    __tablename__ = "web_receipt_lookups"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    found: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_web_receipt_lookups_client_at", "client", "at"),)


PACK_STATES = ("draft", "published", "withdrawn")
ALL_KIOSKS = "*"  # the target of a pack published to every kiosk


class PackRow(Base):
    """A content pack uploaded in the console: its form files, what the kiosk's loader found
    wrong with them, and once published the Ed25519 signature over them (the bytes it covers
    kept beside it)."""

    __tablename__ = "web_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32))  # the digest of its files (packs.pack_etag)
    title: Mapped[str] = mapped_column(Text)
    archive_name: Mapped[str] = mapped_column(Text, default="")
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    files: Mapped[list[dict[str, str]]] = mapped_column(JSONB)  # [{"name", "text"}] by name
    problems: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    signed_bytes: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[str | None] = mapped_column(Text)
    published_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("state IN ('draft', 'published', 'withdrawn')", name="ck_web_packs_state"),
    )


class PackAssignmentRow(Base):
    """A published pack for one kiosk (its device id) or for all of them (ALL_KIOSKS)."""

    __tablename__ = "web_pack_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("web_packs.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("pack_id", "target", name="uq_web_pack_assignments_pack_target"),
        Index("ix_web_pack_assignments_target", "target"),
    )
