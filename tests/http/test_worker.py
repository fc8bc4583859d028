"""The sync worker inside a running kiosk: resumes by itself, stays off the UI thread, stops cleanly."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk.sync.credentials import MemoryKeyring, store_token
from kiosk.sync.engine import SyncStatus
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from kiosk_hub.reference.server import Faults, ReferenceBackend

from .conftest import TOKEN, sync_config, wait_until

BOTH_SERVERS = True  # every test with a `backend` runs against the reference backend and the hub
# About the kiosk's threads, not the server: one server is enough.
REFERENCE_ONLY = (
    "test_the_ui_thread_keeps_handling_timers_and_taps_while_a_slow_server_holds_the_upload",
)

MakeKiosk = Callable[..., KioskApp]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_sync_is_off_with_a_clear_status_without_a_token_and_collecting_goes_on(
    make_kiosk: MakeKiosk, config: KioskConfig, backend: ReferenceBackend
) -> None:
    kiosk = make_kiosk(sync_config(config, backend.url), sync_keyring=MemoryKeyring())
    status = kiosk.sync_status()
    assert status.state == "off"
    assert "no device token" in status.message and "kiosk enroll" in status.message
    assert kiosk.sync is not None and kiosk.sync.worker is None
    assert kiosk.sync_now().started is False
    save_many(kiosk.database, synthetic_drafts(3))
    assert kiosk.sync_status().queued == 3 and kiosk.sync_status().state == "off"


def test_server_down_then_up_sending_resumes_by_itself_within_the_backoff_cap(
    make_kiosk: MakeKiosk, config: KioskConfig, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    keyring = MemoryKeyring()
    store_token(keyring, url, TOKEN)
    cap = 1.0
    cfg = sync_config(config, url, backoff_base_s=0.1, backoff_cap_s=cap)
    kiosk = make_kiosk(cfg, sync_keyring=keyring)
    save_many(kiosk.database, synthetic_drafts(400))
    assert kiosk.sync is not None
    seen: list[SyncStatus] = []
    kiosk.sync.status_changed.connect(seen.append)
    wait_until(
        lambda: sum(s.state == "waiting" for s in seen) >= 5, 15, "five failed tries while down"
    )
    waiting = seen[-1]
    assert waiting.last_error is not None and "connection failed" in waiting.last_error
    assert waiting.queued + waiting.sending == 400 and waiting.sent == 0

    server = ReferenceBackend(tmp_path / "late.sqlite3", tmp_path, TOKEN, port=port).start()
    try:
        up = time.monotonic()
        wait_until(lambda: kiosk.sync_status().sent == 400, cap + 10, "the queue to drain")
        # The next try was at most one capped backoff away (plus the upload itself).
        assert time.monotonic() - up < cap + 3.0
        report = server.store.report()
        assert report["distinct_response_ids"] == report["responses_stored"] == 400
    finally:
        kiosk.close()
        server.stop()


def test_sync_now_during_a_send_is_a_noop_that_says_so_and_close_joins_the_worker(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    backend.faults = Faults(latency_s=0.4)
    kiosk = make_kiosk(
        sync_config(config, backend.url, batch_max_count=50), sync_keyring=keyring_with_token
    )
    save_many(kiosk.database, synthetic_drafts(300))
    assert kiosk.sync is not None and kiosk.sync.worker is not None
    worker = kiosk.sync.worker
    wait_until(lambda: worker.sending, 5, "a send to start")
    answer = kiosk.sync_now()
    assert answer.started is False and "already running" in answer.message
    wait_until(lambda: backend.store.report()["batch_deliveries"] >= 2, 10, "two batches")

    kiosk.close()  # mid-upload
    assert not worker.alive
    # What the worker left (an open batch, perhaps) is resent by the next pass, exactly once.
    from kiosk.storage import open_database

    database = open_database(config.db_path)
    try:
        left = Outbox(database).summary()
        assert left.sent + left.unsent == 300 and left.unsent > 0
    finally:
        database.close()


@pytest.mark.slow
def test_the_ui_thread_keeps_handling_timers_and_taps_while_a_slow_server_holds_the_upload(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    # The server holds the one batch for 3 s. Were the request made on the UI thread, not one
    # timer event and not one tap could be handled until the answer came. (How smoothly the loop
    # ticks meanwhile is a timing: bench/ui_during_sync.py measures it.)
    backend.faults = Faults(latency_s=3.0)
    cfg = sync_config(config, backend.url, batch_max_count=400, read_timeout_s=20.0)
    kiosk = make_kiosk(cfg, sync_keyring=keyring_with_token)
    save_many(kiosk.database, synthetic_drafts(400, seed=5))
    assert kiosk.sync is not None and kiosk.sync.worker is not None
    worker = kiosk.sync.worker
    kiosk.sync_now()
    wait_until(lambda: worker.sending, 10, "the upload to start")

    def held() -> bool:
        return worker.sending and backend.store.report()["batch_deliveries"] == 0

    ticks_while_held: list[bool] = []
    loop = QEventLoop()

    def tick() -> None:
        ticks_while_held.append(held())
        if len(ticks_while_held) >= 20:
            loop.quit()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(15_000, loop.quit)
    loop.exec()
    timer.stop()
    assert ticks_while_held == [True] * 20, "timer events stopped while the server held the batch"

    # A visitor taps through screens while the request is still on the wire.
    driver = KioskDriver(kiosk)
    driver.pick_language("en")
    assert kiosk.session.step == Step.HOME
    assert held(), "the upload was over before the taps: the server did not hold it"

    wait_until(lambda: kiosk.sync_status().sent == 400, 20, "the held batch to be acknowledged")
    assert backend.store.report()["batches_received"] == 1


def test_status_carries_oldest_unsent_age_and_last_success(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    backend.faults = Faults(error_share=1.0)
    kiosk = make_kiosk(sync_config(config, backend.url), sync_keyring=keyring_with_token)
    drafts = synthetic_drafts(5)
    save_many(kiosk.database, drafts)
    wait_until(lambda: kiosk.sync_status().state == "waiting", 5, "a failed try")
    failing = kiosk.sync_status()
    assert failing.oldest_unsent_at == drafts[0].submitted_at
    assert failing.last_error is not None and "503" in failing.last_error
    assert failing.last_success_at is None and failing.next_attempt_at is not None
    backend.faults = Faults()
    wait_until(lambda: kiosk.sync_status().sent == 5, 5, "the retry")
    done = kiosk.sync_status()
    assert done.oldest_unsent_at is None and done.last_success_at is not None
    assert done.last_success_at >= failing.last_error_at - timedelta(seconds=1)  # type: ignore[operator]


def test_every_sync_state_has_a_staff_text_in_korean_and_english() -> None:
    from typing import get_args

    from kiosk.i18n.texts import TEXTS
    from kiosk.sync.engine import SyncState

    states = get_args(SyncState)
    assert len(states) == 6
    for state in states:
        entry = TEXTS[f"sync.state.{state}"]
        assert entry["ko"].strip() and entry["en"].strip() and entry["ko"] != entry["en"]
