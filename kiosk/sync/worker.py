"""The sync worker: its own thread, database engine and HTTP session; the UI only gets values."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiosk.config.settings import KioskConfig
from kiosk.content import ContentPack
from kiosk.core.errors import KioskError
from kiosk.storage import open_database
from kiosk.storage.snapshots import SnapshotStore
from kiosk.sync.engine import StepResult, SyncEngine, SyncState, SyncStatus
from kiosk.sync.setup import SyncPlan, build_engine

log = logging.getLogger(__name__)
StatusSink = Callable[[SyncStatus], None]
ContentSink = Callable[[ContentPack], None]
# (feed, results): the FeedbackService's last-good-copy files the pulls write.
LoopStores = tuple[SnapshotStore, SnapshotStore]
STATUS_REFRESH_S = 0.25


@dataclass(frozen=True, slots=True)
class SyncNowResult:
    """The answer to "sync now": started, or a no-op and why."""

    started: bool
    message: str


class SyncWorker:
    """Uploads in a plain thread: one send at a time, backoff between failures, clean stop.

    Statuses and content packs leave the thread through the sinks, which the Qt bridge turns into
    queued signals; nothing here touches a widget or the UI thread's database engine.
    """

    def __init__(
        self,
        config: KioskConfig,
        plan: SyncPlan,
        on_status: StatusSink,
        on_content: ContentSink,
        monotonic: Callable[[], float] = time.monotonic,
        loop_stores: LoopStores | None = None,
        on_loop: Callable[[], None] | None = None,
    ) -> None:
        self._config = config
        self._loop_stores = loop_stores
        self._on_loop = on_loop
        self._plan = plan
        self._on_status = on_status
        self._on_content = on_content
        self._monotonic = monotonic
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._force = threading.Event()
        self._sending = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self.content_version: str | None = None

    @property
    def sending(self) -> bool:
        return self._sending.is_set()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def sync_now(self) -> SyncNowResult:
        """Ask for an immediate pass; while a send runs this is a no-op that says so."""
        if self._stopping.is_set():
            return SyncNowResult(False, "sync is stopping")
        if self._sending.is_set():
            return SyncNowResult(False, "a send is already running; nothing more to do")
        self._force.set()
        self._wake.set()
        return SyncNowResult(True, "sync started")

    def stop(self, timeout_s: float | None = None) -> bool:
        """Stop after the current request (bounded by the timeouts); True when the thread joined.

        A request cut short is safe: its batch id is on disk and the next start resends it.
        """
        self._stopping.set()
        self._wake.set()
        if not self._thread.is_alive():
            return True
        s = self._config.sync
        self._thread.join(
            timeout_s if timeout_s is not None else s.connect_timeout_s + s.read_timeout_s + 5
        )
        if self._thread.is_alive():
            log.warning("sync worker still in a request at shutdown; its batch will be resent")
            return False
        return True

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            database = open_database(self._config.db_path, self._config.storage.backups_kept)
        except Exception as exc:
            log.error("sync worker cannot open the database: %s", exc)
            self._on_status(SyncStatus("stopped", f"sync stopped: {exc}"))
            return
        engine = build_engine(self._config, database, self._plan)
        try:
            self._loop(engine)
        except Exception:
            log.exception("sync worker failed; collecting goes on, sync restarts with the kiosk")
            self._on_status(engine.status("stopped", "sync stopped after an unexpected error"))
        finally:
            engine.close()
            database.close()

    def _loop(self, engine: SyncEngine) -> None:
        s = self._config.sync
        now = self._monotonic()
        next_content = next_heartbeat = next_pull = now  # all right after start
        uploaded = False  # a batch went up since the last feed/results pull
        last = engine.status("idle", f"sync on: {self._plan.backend_url}")
        refreshed = self._monotonic()
        self._on_status(last)
        while not self._stopping.is_set():
            force = self._force.is_set()
            self._force.clear()
            self._sending.set()
            # The counts of the last status: no queries just to say "sending".
            self._on_status(dataclasses.replace(last, state="sending", message="sending"))
            try:
                result = engine.step(force=force)
            except KioskError as exc:
                # A known condition (disk full, database locked, keyring unreadable): say so,
                # keep the thread, try again after the backoff cap.
                log.error("sync step failed: %s", exc)
                result = StepResult(
                    "blocked",
                    until=datetime.now(UTC) + timedelta(seconds=s.backoff_cap_s),
                    reason=str(exc),
                )
            finally:
                self._sending.clear()
            if result.kind in ("sent", "empty"):
                # The server took a batch (or nothing is left): a later refusal may quarantine
                # again. Until then a second refusal is held as a server problem, so a broken
                # server strands at most one batch's responses.
                engine.begin_pass()
            if result.kind in ("split", "quarantined"):
                continue  # the rest of the batch leaves at once, in smaller batches
            if result.kind == "sent":
                uploaded = True
                if self._monotonic() - refreshed >= STATUS_REFRESH_S:
                    # Counts for staff a few times a second, not per batch (they cost queries).
                    last, refreshed = engine.status("sending", "sending"), self._monotonic()
                if self._stopping.is_set():
                    break
                continue  # drain the queue batch after batch
            wait = s.interval_s
            if result.kind == "empty":
                status = engine.status("idle", "all responses sent")
            else:
                assert result.until is not None
                wait = max(0.0, (result.until - datetime.now(UTC)).total_seconds())
                state: SyncState = "blocked" if result.kind == "blocked" else "waiting"
                status = engine.status(state, f"{result.reason}; retrying by itself")
            self._on_status(status)
            last = status
            # Content and heartbeat between uploads, once the queue is drained or backing off:
            # responses first.
            now = self._monotonic()
            if now >= next_content:
                next_content = now + s.content_interval_s
                if self._check_content(engine):
                    last = engine.status(status.state, status.message)
                    self._on_status(last)
            if now >= next_heartbeat:
                next_heartbeat = now + s.heartbeat_interval_s
                engine.heartbeat(self._config.data_dir, self.content_version)
            # Feed and results after an upload (the totals now hold it) and on the content interval.
            if self._loop_stores is not None and (uploaded or now >= next_pull):
                uploaded, next_pull = False, now + s.content_interval_s
                self._pull_loop(engine, self._loop_stores)
            wait = min(
                wait,
                max(0.0, next_content - now),
                max(0.0, next_heartbeat - now),
                max(0.0, next_pull - now) if self._loop_stores is not None else wait,
            )
            if wait > 0 and self._wake.wait(wait):
                self._wake.clear()
        self._on_status(engine.status("stopped", "sync stopped"))

    def _pull_loop(self, engine: SyncEngine, stores: LoopStores) -> None:
        try:
            changed = engine.pull_loop(*stores)
        except KioskError as exc:  # the copy could not be kept (disk full...): the old one stays
            log.error("feed/results pull failed: %s", exc)
            return
        if changed and self._on_loop is not None:
            self._on_loop()

    def _check_content(self, engine: SyncEngine) -> bool:
        """True when something changed: a new pack handed over, or a pack refused."""
        found = engine.check_content(
            self._config.data_dir,
            self._config.visit.languages,
            self._config.content.accepted_signing_keys,
        )
        if found.pack is not None:
            self.content_version = found.pack.version
            self._on_content(found.pack)
        return found.pack is not None or found.problem is not None
