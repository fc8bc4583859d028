"""The Qt side of the sync worker: queued signals carrying immutable values to the UI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.content import ContentPack
from kiosk.sync.engine import SyncStatus
from kiosk.sync.worker import SyncNowResult, SyncWorker


class SyncBridge(QObject):
    """Lives in the UI thread; the worker thread posts to it, Qt delivers in the UI thread."""

    status_changed = Signal(object)  # SyncStatus
    content_received = Signal(object)  # ContentPack
    loop_refreshed = Signal()  # a new feed or results copy is on disk
    _status_posted = Signal(object)
    _content_posted = Signal(object)
    _loop_posted = Signal()

    def __init__(self, initial: SyncStatus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = initial
        self.worker: SyncWorker | None = None
        # Explicitly queued: the emitting thread is the worker's, the slots run in this one's.
        self._status_posted.connect(self._deliver_status, Qt.ConnectionType.QueuedConnection)
        self._content_posted.connect(self._deliver_content, Qt.ConnectionType.QueuedConnection)
        self._loop_posted.connect(self._deliver_loop, Qt.ConnectionType.QueuedConnection)
        self._stopped = False

    @property
    def latest(self) -> SyncStatus:
        return self._latest

    # Called from the worker thread.
    def post_status(self, status: SyncStatus) -> None:
        self._status_posted.emit(status)

    def post_content(self, pack: ContentPack) -> None:
        self._content_posted.emit(pack)

    def post_loop_refreshed(self) -> None:
        self._loop_posted.emit()

    # Run in the UI thread: cheap on purpose (a frame is 16 ms).
    def _deliver_status(self, status: SyncStatus) -> None:
        self._latest = status
        self.status_changed.emit(status)

    def _deliver_content(self, pack: ContentPack) -> None:
        if not self._stopped:
            self.content_received.emit(pack)

    def _deliver_loop(self) -> None:
        # Posted just before a stop, delivered after the kiosk closed: its screens are gone.
        if not self._stopped:
            self.loop_refreshed.emit()

    def sync_now(self) -> SyncNowResult:
        if self.worker is None:
            return SyncNowResult(False, self._latest.message)
        return self.worker.sync_now()

    def stop(self) -> bool:
        self._stopped = True
        return True if self.worker is None else self.worker.stop()
