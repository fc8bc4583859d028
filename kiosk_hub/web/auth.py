"""Console accounts: sign-in with lockout, sessions in the database, CSRF tokens, roles, audit.

The session cookie holds 32 random bytes; the database keeps only their SHA-256, so a copy of it
signs nobody in. Every form that changes something carries the session's CSRF token, compared in
constant time. After LOCK_AFTER failed attempts within LOCK_WINDOW an account is refused (even
with the right password) until the window has passed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk_hub.db.models import UserRow
from kiosk_hub.users import check_password
from kiosk_hub.web.models import AuditRow, LoginAttemptRow, WebSessionRow

ROLES = ("viewer", "analyst", "editor", "admin")
# The hub's command line knew "staff" before the console had roles: it reads as a viewer.
ALIASES = {"staff": "viewer"}
SESSION_COOKIE = "hub_session"
SESSION_LIFETIME = timedelta(hours=8)
LOCK_AFTER = 5
LOCK_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Staff:
    """The signed-in account of a request."""

    id: int
    name: str
    role: str
    csrf: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def role_of(stored: str) -> str:
    role = ALIASES.get(stored, stored)
    return role if role in ROLES else "viewer"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def locked(session: Session, name: str, now: datetime) -> bool:
    """Too many failures since the last success within the window."""
    since = now - LOCK_WINDOW
    last_ok = session.scalar(
        select(func.max(LoginAttemptRow.at)).where(
            LoginAttemptRow.name == name, LoginAttemptRow.ok.is_(True)
        )
    )
    if last_ok is not None and last_ok > since:
        since = last_ok
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttemptRow)
        .where(
            LoginAttemptRow.name == name,
            LoginAttemptRow.ok.is_(False),
            LoginAttemptRow.at > since,
        )
    )
    return int(failures or 0) >= LOCK_AFTER


class SignInError(Exception):
    """Wrong name or password, or a locked account (the message says which, never which part)."""


def sign_in(session: Session, name: str, password: str) -> str:
    """A new session cookie value for a right name and password; the caller commits."""
    now = datetime.now(UTC)
    name = name.strip()[:200]
    if locked(session, name, now):
        session.add(LoginAttemptRow(name=name, at=now, ok=False))
        audit(session, name, "sign-in refused (locked)")
        raise SignInError("locked")
    user = session.scalar(select(UserRow).where(UserRow.name == name))
    ok = user is not None and check_password(user.password_hash, password)
    session.add(LoginAttemptRow(name=name, at=now, ok=ok))
    if not ok or user is None:
        audit(session, name, "sign-in failed")
        raise SignInError("wrong")
    token = secrets.token_urlsafe(32)
    session.add(
        WebSessionRow(
            token_sha256=_digest(token),
            user_id=user.id,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    audit(session, name, "sign-in")
    return token


def staff_for(session: Session, token: str | None) -> Staff | None:
    if not token:
        return None
    row = session.execute(
        select(WebSessionRow, UserRow)
        .join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_sha256 == _digest(token))
    ).first()
    if row is None or row[0].expires_at < datetime.now(UTC):
        return None
    web_session, user = row
    return Staff(user.id, user.name, role_of(user.role), web_session.csrf)


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_sha256 == _digest(token)))


def csrf_ok(staff: Staff, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(staff.csrf, given)


def audit(session: Session, user: str, action: str, target: str = "", **detail: Any) -> None:
    session.add(
        AuditRow(at=datetime.now(UTC), user_name=user, action=action, target=target, detail=detail)
    )
