"""Device tokens of the reference backend: each token serves exactly one device id.

A token listed with its device id serves that device only; a token listed alone is bound to the
first device id that presents it. With no token configured at all (tests, demos), any token is
accepted and bound the same way. Bindings are kept in the store, so a restart keeps them; only a
SHA-256 of each token is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
import threading
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS device_tokens (
    token_sha256 TEXT PRIMARY KEY,
    device_id TEXT NOT NULL UNIQUE
);
"""
ENV_VAR = "KIOSK_REFERENCE_TOKEN"


class Access(Enum):
    """The answer to a token presented for a device."""

    GRANTED = "granted"
    UNKNOWN = "unknown"  # 401: no such token
    OTHER_DEVICE = "other device"  # 403: the token belongs to another device id


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_token_file(path: Path) -> dict[str, str | None]:
    """Tokens from a file: one per line, `TOKEN` (bound at first use) or `DEVICE_ID TOKEN`;
    blank lines and `#` comments skipped. Errors name the file and the line."""
    tokens: dict[str, str | None] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) > 2:
            raise ValueError(f"{path}:{number}: expected `TOKEN` or `DEVICE_ID TOKEN`")
        device, token = (None, words[0]) if len(words) == 1 else (words[0], words[1])
        if len(token) < 16:
            raise ValueError(f"{path}:{number}: a token needs 16 or more characters")
        tokens[token] = device
    return tokens


class TokenBindings:
    """Which token serves which device id; thread-safe, on the backend store's file."""

    def __init__(self, db_path: Path, tokens: Mapping[str, str | None] | None) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)
        self._open = not tokens  # no token configured: any token, bound at first use
        self._known: dict[str, str | None] = {}
        for token, device in (tokens or {}).items():
            self.allow(token, device)

    def allow(self, token: str, device_id: str | None = None) -> None:
        """Accept `token`, for `device_id` only, or for the first device id that presents it."""
        self._open = False
        digest = _digest(token)
        self._known[digest] = device_id
        if device_id is not None:
            with self._lock:
                self._db.execute(
                    "INSERT OR REPLACE INTO device_tokens (token_sha256, device_id) VALUES (?, ?)",
                    (digest, device_id),
                )

    def check(self, token: str, device_id: str) -> Access:
        digest = _digest(token)
        if not self._open and not any(hmac.compare_digest(digest, k) for k in self._known):
            return Access.UNKNOWN
        with self._lock:
            row = self._db.execute(
                "SELECT device_id FROM device_tokens WHERE token_sha256 = ?", (digest,)
            ).fetchone()
            if row is not None:
                return Access.GRANTED if row[0] == device_id else Access.OTHER_DEVICE
            taken = self._db.execute(
                "SELECT 1 FROM device_tokens WHERE device_id = ?", (device_id,)
            ).fetchone()
            if taken is not None:
                return Access.OTHER_DEVICE  # this device already has its own token
            self._db.execute(
                "INSERT INTO device_tokens (token_sha256, device_id) VALUES (?, ?)",
                (digest, device_id),
            )
        return Access.GRANTED

    def close(self) -> None:
        with self._lock:
            self._db.close()
