"""The hidden staff gesture on the attract (and out-of-service) screen: a long press on one corner,
or several quick taps on it. Ordinary touches pass through and start a visit as before."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

from kiosk.config.settings import StaffSettings

PRESS, RELEASE = QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease


class HiddenGesture(QObject):
    """An event filter for the screens it watches; emits `recognised` when staff do the gesture.

    hold: a press on the corner starts a timer; if it fires before the release the gesture is
    recognised and that release is swallowed (so no visit starts); a short tap starts a visit.
    taps: touches on the corner never start a visit (the corner is a few millimetres square);
    the configured number of them within the window is the gesture."""

    recognised = Signal()

    def __init__(
        self,
        settings: StaffSettings,
        corner_px: int,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._corner_px = corner_px
        self._monotonic = monotonic
        self._taps: list[float] = []
        self._swallow_release = False
        self._hold = QTimer(self, singleShot=True, interval=round(settings.hold_s * 1000))
        self._hold.timeout.connect(self._held)

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def in_corner(self, widget: QWidget, point: QPoint) -> bool:
        size, corner = self._corner_px, self._settings.corner
        x_ok = point.x() >= widget.width() - size if "right" in corner else point.x() < size
        y_ok = point.y() >= widget.height() - size if "bottom" in corner else point.y() < size
        return x_ok and y_ok

    def _held(self) -> None:
        self._swallow_release = True
        self.recognised.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (PRESS, RELEASE) or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QMouseEvent)
        corner = self.in_corner(watched, event.position().toPoint())
        if self._settings.gesture == "hold":
            if kind == PRESS:
                self._swallow_release = False
                if corner:
                    self._hold.start()
                return False
            self._hold.stop()
            swallow, self._swallow_release = self._swallow_release, False
            return swallow
        if not corner:
            return False
        if kind == PRESS:
            now = self._monotonic()
            window = self._settings.taps_window_s
            self._taps = [t for t in self._taps if now - t <= window] + [now]
            if len(self._taps) >= self._settings.taps:
                self._taps = []
                self.recognised.emit()
        return True
