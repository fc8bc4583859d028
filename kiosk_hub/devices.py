"""Kiosks and their enrolment tokens: issue, revoke, authenticate; health from heartbeats.

A token is 32 random bytes (URL-safe text); the hub keeps only its SHA-256, so a copy of the
database opens no kiosk's channel. A token is bound to the first device id that uses it: one
token cannot speak for two kiosks.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk_hub.db.models import DeviceRow, DeviceTokenRow, HeartbeatRow


class AuthError(Exception):
    """The bearer token is missing, unknown, revoked, or bound to another kiosk."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, device_name: str, token: str | None = None) -> str:
    """A new enrolment token for `device_name` (stored hashed); the caller shows it once."""
    name = device_name.strip()
    if not name or len(name) > 200:
        raise ValueError("device name: expected 1 to 200 characters")
    token = token or secrets.token_urlsafe(32)
    session.add(
        DeviceTokenRow(
            device_name=name, token_sha256=token_digest(token), issued_at=datetime.now(UTC)
        )
    )
    session.flush()
    return token


def revoke_tokens(session: Session, device: str) -> int:
    """Revoke every live token issued for a device name or bound to a device id; how many."""
    result = session.execute(
        update(DeviceTokenRow)
        .where(
            (DeviceTokenRow.device_name == device) | (DeviceTokenRow.device_id == device),
            DeviceTokenRow.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def authenticate(session: Session, authorization: str | None, device_id: str) -> str:
    """The device name behind a valid `Authorization: Bearer` for this device id.

    The lookup is by SHA-256 of the token (an index), and the stored digest is compared again in
    constant time, so the time taken says nothing about how much of a token was right.
    """
    scheme, _, token = (authorization or "").partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise AuthError(401, "missing or wrong device token")
    digest = token_digest(token.strip())
    row = session.scalars(
        select(DeviceTokenRow).where(DeviceTokenRow.token_sha256 == digest).with_for_update()
    ).first()
    if row is None or not hmac.compare_digest(row.token_sha256, digest):
        raise AuthError(401, "missing or wrong device token")
    if row.revoked_at is not None:
        raise AuthError(401, "this device token was revoked: enrol the kiosk again")
    if row.device_id is None:
        row.device_id = device_id
        session.execute(
            insert(DeviceRow)
            .values(id=device_id, name=row.device_name, first_seen_at=datetime.now(UTC))
            .on_conflict_do_nothing()
        )
    elif row.device_id != device_id:
        raise AuthError(403, "this device token belongs to another kiosk")
    return row.device_name


def record_heartbeat(session: Session, device_id: str, document: dict[str, Any]) -> None:
    """Keep the heartbeat and the kiosk's latest health figures."""
    now = datetime.now(UTC)
    session.add(HeartbeatRow(device_id=device_id, at=now, document=document))
    device = session.get(DeviceRow, device_id)
    if device is None:
        return
    device.last_heartbeat_at = now
    device.app_version = _text(document.get("app_version"))
    device.content_version = _text(document.get("content_version"))
    device.queue_depth = _count(document.get("queue_depth"))
    device.quarantined = _count(document.get("quarantined"))
    age = document.get("oldest_unsent_age_s")
    device.oldest_unsent_age_s = (
        float(age)
        if isinstance(age, int | float) and not isinstance(age, bool) and 0 <= age < 1e12
        else None
    )


def without_nul(value: Any) -> Any:
    """The document with U+0000 written out as the text \\u0000 (JSONB cannot hold it)."""
    if isinstance(value, str):
        return value.replace("\x00", "\\u0000")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def _text(value: Any) -> str | None:
    return value[:64] if isinstance(value, str) else None


def _count(value: Any) -> int | None:
    """A queue count as stored (a PostgreSQL integer); anything else is kept only in the document."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31:
        return value
    return None


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """What the console shows for one kiosk."""

    id: str
    name: str
    last_heartbeat_at: datetime | None
    app_version: str | None
    content_version: str | None
    queue_depth: int | None
    oldest_unsent_age_s: float | None
    last_upload_at: datetime | None


def device_statuses(session: Session) -> list[DeviceStatus]:
    rows = session.scalars(select(DeviceRow).order_by(DeviceRow.name, DeviceRow.id))
    return [
        DeviceStatus(
            r.id,
            r.name,
            r.last_heartbeat_at,
            r.app_version,
            r.content_version,
            r.queue_depth,
            r.oldest_unsent_age_s,
            r.last_upload_at,
        )
        for r in rows
    ]
