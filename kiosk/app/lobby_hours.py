"""Lobby hours: outside the configured opening hours the panel sleeps (a blank, black screen) and
wakes on a touch. Only the picture sleeps: the retention purge, uploads and content updates go on,
since the session stays at the attract screen underneath."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta, tzinfo

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPalette, QTouchEvent
from PySide6.QtWidgets import QWidget

from kiosk.config.settings import DAYS, LobbyHoursSettings
from kiosk.core.records import KST
from kiosk.visit.flow import Step, VisitorSession

log = logging.getLogger(__name__)
CHECK_MS = 30_000


class BlankScreen(QWidget):
    """Black over the whole window; a touch (or click) anywhere wakes the kiosk."""

    touched = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lobbyBlank")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.hide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()
        self.touched.emit()

    def touchEvent(self, event: QTouchEvent) -> None:
        event.accept()
        self.touched.emit()


def _clock_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


class LobbyHours(QObject):
    """Checks every half minute whether the lobby is open; sleeps and wakes the panel."""

    def __init__(
        self,
        window: QWidget,
        session: VisitorSession,
        settings: LobbyHoursSettings,
        clock: Callable[[], datetime],
        check_ms: int = CHECK_MS,
        zone: tzinfo = KST,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._settings = settings
        self._clock = clock
        self._zone = zone
        self._awake_until: datetime | None = None
        self._asleep = False
        self.blank = BlankScreen(window)
        self.blank.touched.connect(self.wake)
        self._timer = QTimer(self, interval=check_ms)
        self._timer.timeout.connect(self.check)

    @property
    def asleep(self) -> bool:
        return self._asleep

    def start(self) -> None:
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self._zone)
        if DAYS[local.weekday()] not in self._settings.days:
            return False
        opens, closes = _clock_time(self._settings.open), _clock_time(self._settings.close)
        now = local.time()
        if opens <= closes:
            return opens <= now < closes
        return now >= opens or now < closes  # open across midnight

    def check(self) -> None:
        now = self._clock()
        if self.is_open(now):
            if self.asleep:
                log.info("lobby open: the panel wakes")
                self.blank.hide()
                self._asleep = False
            self._awake_until = None
            return
        if self.asleep:
            self.blank.setGeometry(self._window.rect())  # the window may have been resized
            return
        if self._session.step != Step.ATTRACT:
            return  # never blank a visitor's screen
        if self._awake_until is not None and now < self._awake_until:
            return
        log.info("lobby closed: the panel sleeps (purge and sync go on)")
        self.blank.setGeometry(self._window.rect())
        self.blank.show()
        self.blank.raise_()
        self._asleep = True

    def wake(self) -> None:
        """A touch outside opening hours: show the kiosk for `wake_s`, then sleep again."""
        self.blank.hide()
        self._asleep = False
        self._awake_until = self._clock() + timedelta(seconds=self._settings.wake_s)
        log.info("panel woken by a touch outside opening hours")
