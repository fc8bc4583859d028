"""Decide whether sync can run (backend URL, token) and build its parts for one thread."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.config.settings import KioskConfig
from kiosk.storage import Database
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient
from kiosk.sync.engine import Limits, SyncEngine

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

ENROLLED_URL = "enrolled_backend_url"


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """Where to sync and with what token, or why sync is off. The token never goes in a log."""

    backend_url: str | None
    token: str | None = None
    off_reason: str | None = None

    @property
    def enabled(self) -> bool:
        return self.off_reason is None

    def __repr__(self) -> str:  # dataclass's repr would print the token
        return f"SyncPlan(backend_url={self.backend_url!r}, off_reason={self.off_reason!r})"


def configured_keyring(config: KioskConfig) -> KeyringBackend:
    from kiosk.sync.credentials import keyring_for  # keyring loads only when sync is set up

    return keyring_for(config.sync.keyring, config.keyring_path)


def plan_sync(
    config: KioskConfig, database: Database, keyring: KeyringBackend | None = None
) -> SyncPlan:
    """The backend URL (config first, else the one `kiosk enroll` recorded) and its token."""
    url = config.sync.backend_url or Outbox(database).facts().get(ENROLLED_URL)
    if url is None:
        return SyncPlan(None, off_reason="sync is off: no backend URL (config [sync] backend_url)")
    from kiosk.sync.credentials import load_token

    token = load_token(keyring or configured_keyring(config), url)
    if token is None:
        return SyncPlan(
            url, off_reason=f"sync is off: no device token for {url}; run `kiosk enroll`"
        )
    return SyncPlan(url, token)


def limits_of(config: KioskConfig) -> Limits:
    s = config.sync
    return Limits(s.batch_max_count, s.batch_max_bytes, s.backoff_base_s, s.backoff_cap_s)


def build_engine(config: KioskConfig, database: Database, plan: SyncPlan) -> SyncEngine:
    """A client and an engine on `database` (which must belong to the calling thread)."""
    assert plan.backend_url is not None and plan.token is not None
    client = BackendClient(
        plan.backend_url,
        database.device_id,
        plan.token,
        config.sync.connect_timeout_s,
        config.sync.read_timeout_s,
        config.ca_bundle_path,
        user_agent=f"gwanghwamoon-kiosk/{__version__}",
    )
    return SyncEngine(Outbox(database), client, limits_of(config), random.SystemRandom().random)
