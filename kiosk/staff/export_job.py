"""Run an export off the UI thread and report progress through queued signals."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from kiosk.core.errors import KioskError
from kiosk.storage.export import ExportResult, Progress

log = logging.getLogger(__name__)


class ExportJob(QThread):
    """One export on its own thread. Signals cross to the UI thread as queued, immutable values:
    progressed(done, total), succeeded(ExportResult) or failed(message)."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Progress], ExportResult]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit)
        except KioskError as exc:
            log.warning("export failed: %s", exc)
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the kiosk up, tell staff, log the traceback
            log.exception("export crashed")
            self.failed.emit(f"unexpected error: {exc}")
        else:
            self.succeeded.emit(result)
