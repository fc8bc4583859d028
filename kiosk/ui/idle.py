"""The idle monitor: any touch or key restarts the clock; silence shows a countdown, then resets.

The thank-you screen counts down visibly on its own (the session shows the seconds left); easy
mode gives it, and the receipt on it, more time."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

from kiosk.ui.event_gate import install_filter, remove_filter
from kiosk.visit.flow import SessionView, Step, VisitorSession

ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
}
# Easy-mode visitors read, listen and scan the receipt more slowly: their thank-you screen (with
# the receipt) stays this many times longer.
EASY_THANKS_FACTOR = 2


class IdleMonitor(QObject):
    """Drives VisitorSession.idle_countdown / idle_expired from Qt timers."""

    def __init__(
        self,
        session: VisitorSession,
        idle_ms: int,
        countdown_s: int,
        thanks_s: int,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__()
        self._session = session
        self._countdown_s = countdown_s
        self._thanks_s = thanks_s
        self._left: int | None = None
        self._thanks_left: int | None = None
        self._easy = False
        self._idle = QTimer(self, singleShot=True, interval=idle_ms)
        self._idle.timeout.connect(self.start_countdown)
        self._thanks = QTimer(self, interval=tick_ms)
        self._thanks.timeout.connect(self.thanks_tick)
        self._tick = QTimer(self, interval=tick_ms)
        self._tick.timeout.connect(self.tick)
        self._step = session.step
        install_filter(self, ACTIVITY)
        session.subscribe(self._follow)

    @property
    def counting_down(self) -> bool:
        return self._left is not None

    @property
    def thanks_seconds(self) -> int:
        """How long the thank-you screen stays for this visitor."""
        return self._thanks_s * (EASY_THANKS_FACTOR if self._easy else 1)

    def _follow(self, view: SessionView) -> None:
        easy_changed = view.easy_mode != self._easy
        self._easy = view.easy_mode
        if view.step != self._step or (easy_changed and view.step == Step.THANKS):
            self._step = view.step
            self._restart()

    def _restart(self) -> None:
        self._idle.stop()
        self._thanks.stop()
        self._thanks_left = None
        if self._step == Step.THANKS:
            self.more_time()
        elif self._step not in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            self._idle.start()

    def more_time(self) -> None:
        """The thank-you countdown starts again from its full length ('more time', or a touch)."""
        if self._session.step != Step.THANKS:
            return
        self._thanks_left = self.thanks_seconds
        self._thanks.start()
        self._session.thanks_countdown(self._thanks_left)

    def thanks_tick(self) -> None:
        """One second of the thank-you countdown; at zero the kiosk starts over."""
        if self._thanks_left is None:
            return
        self._thanks_left -= 1
        if self._thanks_left > 0:
            self._session.thanks_countdown(self._thanks_left)
            return
        self._thanks_left = None
        self._thanks.stop()
        self._session.reset("thanks shown long enough")

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
        remove_filter(self)
