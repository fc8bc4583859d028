"""The daily retention purge of a running kiosk, run between visitors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QObject, QTimer

from kiosk.config.settings import PrivacySettings
from kiosk.core.errors import StorageError
from kiosk.storage import Repository
from kiosk.visit.flow import Step, VisitorSession

log = logging.getLogger(__name__)
CHECK_MS = 10 * 60 * 1000


class RetentionTimer(QObject):
    """Once a day, at or after the configured hour and only at the attract screen, purges."""

    def __init__(
        self,
        repository: Repository,
        session: VisitorSession,
        settings: PrivacySettings,
        clock: Callable[[], datetime],
        check_ms: int = CHECK_MS,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__()
        self._repository = repository
        self._session = session
        self._settings = settings
        self._clock = clock
        self._zone = zone
        self.last_purge: date | None = None
        self._timer = QTimer(self, interval=check_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> bool:
        """Purge if today's purge is due and nobody is using the kiosk; True if it ran."""
        local = self._clock().astimezone(self._zone)
        due = local.hour >= self._settings.purge_hour and self.last_purge != local.date()
        if not due or self._session.step != Step.ATTRACT:
            return False
        started = time.perf_counter()
        try:
            report = self._repository.purge(
                self._settings.contact_retention_days, self._settings.sent_retention_days
            )
        except StorageError as exc:
            log.error("retention purge failed, will retry: %s", exc)
            return False
        self.last_purge = local.date()
        log.info(
            "retention purge: %d contact record(s), %d acknowledged response(s) removed in %.0f ms",
            report.contacts,
            report.responses,
            (time.perf_counter() - started) * 1000,
        )
        return True
