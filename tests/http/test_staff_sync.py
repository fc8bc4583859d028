"""The staff screens meet the sync worker: the dashboard shows the worker's state and quarantine
reasons, and "sync now" starts a send or says one runs (the real app, a reference backend on
loopback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.staff.controller import Page
from kiosk.storage.outbox import Outbox
from kiosk.storage.staff import StaffStore
from kiosk.sync.credentials import MemoryKeyring
from kiosk_hub.reference.server import Faults, ReferenceBackend
from tests.conftest import FakeClock

from ..staff_support import PIN, StaffHands, seed, staff_config_for
from .conftest import sync_config, wait_until

MakeKiosk = Callable[..., KioskApp]


@pytest.mark.slow
def test_dashboard_shows_sync_state_and_quarantine_reasons_and_sync_now_is_audited(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    # Long intervals: after its first (empty) pass the worker waits, so only "sync now" sends.
    slow = sync_config(
        config, backend.url, interval_s=60, content_interval_s=60, heartbeat_interval_s=60
    )
    kiosk = make_kiosk(staff_config_for(slow, tmp_path / "usb"), sync_keyring=keyring_with_token)
    StaffStore(kiosk.database, clock).set_pin(PIN)
    assert kiosk.sync is not None and kiosk.sync.worker is not None
    assert kiosk.feedback is not None
    results = kiosk.feedback.results_store  # pulled last in a pass, just before the wait
    wait_until(lambda: results.load() is not None, 10, "the worker's first pass")
    seed(kiosk, 4)
    queued = Outbox(kiosk.database).summary().queued
    assert queued >= 3
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.DASHBOARD)
    line = hands.area.dashboard.sync
    # Counted now, though the worker last looked before these responses existed.
    assert f"{queued} queued · 0 quarantined · last success -" in line.text()
    assert "not configured" not in line.text()

    backend.faults = Faults(conflict_share=1.0, latency_s=1.0)
    hands.go(Page.ACTIONS)
    hands.tap(hands.area.actions_screen.sync)
    assert "Sync started" in hands.area.actions_screen.notice.text()
    wait_until(lambda: kiosk.sync.worker.sending, 5, "the send to start")  # type: ignore[union-attr]
    hands.tap(hands.area.actions_screen.sync)
    notice = hands.area.actions_screen.notice.text()
    assert "already running" in notice and "이미 전송 중" in notice

    hands.go(Page.DASHBOARD)
    assert "Why responses were quarantined" not in line.text()
    # No navigation: the worker's queued status signal refreshes the line.
    wait_until(
        lambda: f"0 queued · {queued} quarantined" in line.text(), 10, "the dashboard to update"
    )
    text = line.text()
    assert "격리된 응답의 사유" in text and "Why responses were quarantined" in text
    # One line per response, in the server's words (a reason is data, not a kiosk text).
    assert text.count("forced by fault injection") == queued
    assert "open-opinion" in text
    assert "last success -" not in text  # the batch was delivered, verdicts and all

    requested = [e for e in kiosk.repository.audit_entries(50) if e.action == "sync.requested"]
    assert [(e.detail["started"], e.detail["configured"]) for e in reversed(requested)] == [
        (True, True),
        (False, True),
    ]


def test_staff_requeue_quarantined_responses_from_the_actions_page_and_they_are_delivered(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    slow = sync_config(
        config, backend.url, interval_s=60, content_interval_s=60, heartbeat_interval_s=60
    )
    kiosk = make_kiosk(staff_config_for(slow, tmp_path / "usb"), sync_keyring=keyring_with_token)
    StaffStore(kiosk.database, clock).set_pin(PIN)
    assert kiosk.feedback is not None and kiosk.sync is not None
    results = kiosk.feedback.results_store
    wait_until(lambda: results.load() is not None, 10, "the worker's first pass")
    seed(kiosk, 3)
    outbox = Outbox(kiosk.database)
    # Quarantined by an earlier, wrong server (as the audit found): 400 for every batch.
    batch = outbox.create_batch("5b3c8a43-2a43-4f5e-9a8e-0f2d6c1b7e11", outbox.candidates(10), 1)
    assert batch is not None
    outbox.quarantine_named(batch.id, [r.id for r in batch.responses], "HTTP 400: wrong server")
    assert outbox.summary().quarantined == 3
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)

    hands.tap(hands.area.actions_screen.requeue)

    notice = hands.area.actions_screen.notice.text()
    assert "3 quarantined responses are queued again" in notice and "3건" in notice
    wait_until(lambda: outbox.summary().sent == 3, 10, "the requeued responses to be delivered")
    assert outbox.summary().quarantined == 0
    assert backend.store.report()["distinct_response_ids"] == 3
    requeued = [e for e in kiosk.repository.audit_entries(50) if e.action == "sync.requeued"]
    assert [e.detail["responses"] for e in requeued] == [3]
