"""The idle monitor: any touch or key restarts the clock; silence shows a countdown, then resets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.visit.flow import SessionView, Step, VisitorSession

ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
}


class IdleMonitor(QObject):
    """Drives VisitorSession.idle_countdown / idle_expired from Qt timers."""

    def __init__(
        self,
        session: VisitorSession,
        idle_ms: int,
        countdown_s: int,
        thanks_ms: int,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__()
        self._session = session
        self._countdown_s = countdown_s
        self._left: int | None = None
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._idle.timeout.connect(self.start_countdown)
        self._thanks = QTimer(self, singleShot=True, interval=thanks_ms)
        self._thanks.timeout.connect(lambda: session.reset("thanks shown long enough"))
        self._tick = QTimer(self, interval=tick_ms)
        self._tick.timeout.connect(self.tick)
        self._step = session.step
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        session.subscribe(self._follow)

    @property
    def counting_down(self) -> bool:
        return self._left is not None

    def _follow(self, view: SessionView) -> None:
        if view.step != self._step:
            self._step = view.step
            self._restart()

    def _restart(self) -> None:
        self._idle.stop()
        self._thanks.stop()
        if self._step == Step.THANKS:
            self._thanks.start()
        elif self._step not in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and watched.isWidgetType():
            self.activity()
        return False

    def activity(self) -> None:
        """A touch or key press: the visitor is here."""
        if self._left is not None:
            self._left = None
            self._tick.stop()
            self._session.idle_countdown(None)
        self._restart()

    def start_countdown(self) -> None:
        if self._session.step in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            return
        self._idle.stop()
        self._thanks.stop()
        self._left = self._countdown_s
        self._session.idle_countdown(self._left)
        self._tick.start()

    def tick(self) -> None:
        if self._left is None:
            return
        self._left -= 1
        if self._left > 0:
            self._session.idle_countdown(self._left)
            return
        self._left = None
        self._tick.stop()
        self._session.idle_expired()

    def stop(self) -> None:
        for timer in (self._idle, self._thanks, self._tick):
            timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
