"""The hub's settings: everything the app factory needs, given explicitly (no globals)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config.settings import BUNDLED_CONFIG

DATABASE_URL_ENV = "KIOSK_HUB_DATABASE_URL"


def database_url_from(given: str | None) -> str:
    """The --database-url value, else $KIOSK_HUB_DATABASE_URL; a clear error without either."""
    url = given or os.environ.get(DATABASE_URL_ENV)
    if not url:
        raise ValueError(f"no database: give --database-url URL or set {DATABASE_URL_ENV}")
    return url


@dataclass(frozen=True)
class Limits:
    """Bounds on every input, so that no request can exhaust the process."""

    max_body_bytes: int = 32_000_000  # as sent (gzip or not)
    max_inflated_bytes: int = 64_000_000  # after gunzip
    max_json_depth: int = 16  # a batch is 5 levels deep at most
    max_batch: int = 5000
    max_heartbeat_bytes: int = 64_000
    request_timeout_s: float = 60.0  # a whole request, reading included


@dataclass
class HubSettings:
    """What one hub process needs. Mutable fields may change while it runs (tests, reloads)."""

    database_url: str
    content_dir: Path = field(default_factory=lambda: BUNDLED_CONFIG.parent / "content")
    feed_path: Path | None = None  # None: the bundled sample feed
    limits: Limits = field(default_factory=Limits)
    pool_size: int = 10
    signing_key: Ed25519PrivateKey | None = None  # signs every content pack served


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The hub's Ed25519 content-signing key (PKCS#8 PEM); ValueError naming what is wrong."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the signing key ({exc.strerror})") from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: not a PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: expected an Ed25519 key")
    return key
