"""Staff accounts of the hub: names, roles, scrypt password hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk_hub.db.models import UserRow

SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, maxmem=64 * 2**20, dklen=32, **SCRYPT)
    encode = base64.b64encode
    return f"scrypt${SCRYPT['n']}${encode(salt).decode()}${encode(digest).decode()}"


def check_password(stored: str, password: str) -> bool:
    scheme, n, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    given = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=8, p=1,
        maxmem=64 * 2**20, dklen=32,
    )  # fmt: skip
    return hmac.compare_digest(given, base64.b64decode(digest))


def create_user(
    session: Session, name: str, password: str, role: str = "staff", email: str | None = None
) -> None:
    """A new account; a clear error for a short password or a taken name."""
    if len(password) < 12:
        raise ValueError("password: at least 12 characters")
    if session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None:
        raise ValueError(f"user {name!r} exists already")
    session.add(
        UserRow(
            name=name,
            email=email,
            role=role,
            password_hash=hash_password(password),
            created_at=datetime.now(UTC),
        )
    )
