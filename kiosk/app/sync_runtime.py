"""Start sync inside a running kiosk (or explain why it is off) and pick the content to start on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiosk.config.settings import KioskConfig
from kiosk.content import ContentPack, load_pack
from kiosk.content.install import active_content_dir
from kiosk.core.errors import ContentError, KioskError
from kiosk.storage import Database
from kiosk.storage.outbox import Outbox
from kiosk.sync.bridge import SyncBridge
from kiosk.sync.content_pull import received_content_dir
from kiosk.sync.engine import SyncState, SyncStatus
from kiosk.sync.setup import SyncPlan, plan_sync
from kiosk.sync.worker import LoopStores, SyncWorker
from kiosk.visit.flow import VisitorSession

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)


def startup_pack(config: KioskConfig, languages: Sequence[str]) -> ContentPack:
    """The newest pack put on this kiosk (received from the backend, or installed by staff from
    a USB stick) if it still loads, else the configured one."""
    installed = active_content_dir(config)
    placed = [d for d in (received_content_dir(config.data_dir), installed) if d is not None]
    placed = [d for d in placed if d != config.content_dir]
    for directory in sorted(placed, key=lambda d: d.stat().st_mtime, reverse=True):
        try:
            return load_pack(directory, languages)
        except ContentError as exc:
            log.error("content pack %s no longer loads, trying the next: %s", directory, exc)
    return load_pack(config.content_dir, languages)


def start_sync(
    config: KioskConfig,
    database: Database,
    session: VisitorSession,
    keyring: KeyringBackend | None = None,
    loop_stores: LoopStores | None = None,
) -> SyncBridge:
    """A bridge for the UI; a running worker behind it when a backend and a token are set."""
    try:
        plan = plan_sync(config, database, keyring)
    except KioskError as exc:  # the keyring's CredentialsError: sync off, collecting goes on
        plan = SyncPlan(None, off_reason=f"sync is off: {exc}")
    summary = Outbox(database).summary()
    state: SyncState = "idle" if plan.enabled else "off"
    message = f"sync on: {plan.backend_url}" if plan.enabled else str(plan.off_reason)
    bridge = SyncBridge(
        SyncStatus(
            state,
            message,
            queued=summary.queued,
            sending=summary.sending,
            sent=summary.sent,
            quarantined=summary.quarantined,
            oldest_unsent_at=summary.oldest_unsent_at,
        )
    )
    if not plan.enabled:
        log.warning("%s; responses are kept and queued", plan.off_reason)
        return bridge
    bridge.content_received.connect(session.replace_content)
    # New feed or totals: recompute the attract rotation in the UI thread.
    bridge.loop_refreshed.connect(session.refresh_highlights)
    worker = SyncWorker(
        config,
        plan,
        bridge.post_status,
        bridge.post_content,
        loop_stores=loop_stores,
        on_loop=bridge.post_loop_refreshed,
    )
    bridge.worker = worker
    worker.start()
    log.info("sync worker started for %s", plan.backend_url)
    return bridge
