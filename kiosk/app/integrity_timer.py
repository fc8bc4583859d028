"""The daily integrity check of a running kiosk, run between visitors at the attract screen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.storage.database import IntegrityReport, check_integrity, salvage_once
from kiosk.visit.flow import Step, VisitorSession

log = logging.getLogger(__name__)
CHECK_MS = 10 * 60 * 1000


class IntegrityTimer(QObject):
    """Once a day, only at the attract screen, runs SQLite's quick_check on the store. On failure
    the kiosk stops taking visitors (the out-of-service notice), the damaged file stays as it is,
    what is readable is copied aside, and `damaged` carries the problem to the staff screens."""

    damaged = Signal(str)

    def __init__(
        self,
        db_path: Path,
        session: VisitorSession,
        clock: Callable[[], datetime],
        check_ms: int = CHECK_MS,
        check: Callable[[Path], IntegrityReport] = check_integrity,
    ) -> None:
        super().__init__()
        self._path = db_path
        self._session = session
        self._clock = clock
        self._check = check
        self.last_check: date | None = None
        self.problem: str | None = None
        self._timer = QTimer(self, interval=check_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> bool:
        """Check if today's check is due and nobody is using the kiosk; True if it ran."""
        today = self._clock().date()
        if self.last_check == today or self._session.step != Step.ATTRACT:
            return False
        self.last_check = today
        report = self._check(self._path)
        if report.ok:
            return True
        self.problem = report.summary()
        log.error("the database %s is damaged (quick_check: %s)", self._path, self.problem)
        self._session.set_out_of_service(True)
        salvage_once(self._path)
        self.damaged.emit(self.problem)
        return True
