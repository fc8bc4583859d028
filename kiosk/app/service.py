"""Talking to systemd (Type=notify, WatchdogSec=): READY once the attract screen is painted,
WATCHDOG from a timer in the Qt event loop, so a frozen UI stops the pings and gets restarted.

The protocol is one datagram per message on the AF_UNIX socket named by $NOTIFY_SOCKET
(sd_notify(3)); a name starting with '@' is in the abstract namespace. No library needed.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from kiosk.app.launch import Launch

log = logging.getLogger(__name__)
# Test hook: freeze the event loop this many seconds after READY (the watchdog test's frozen UI).
FREEZE_ENV = "KIOSK_TEST_FREEZE_AFTER_S"


def notify(message: str, address: str | None = None) -> bool:
    """Send one sd_notify message; False when there is no socket (not under systemd)."""
    address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    target = "\0" + address[1:] if address.startswith("@") else address
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(target)
            sock.sendall(message.encode("utf-8"))
    except OSError as exc:
        log.warning("cannot notify systemd at %s: %s", address, exc)
        return False
    return True


def watchdog_interval_ms() -> int | None:
    """Half the watchdog period systemd asks for (WATCHDOG_USEC), or None when it asks none.
    WATCHDOG_PID names the service's main process: cage, our parent, in kiosk.service."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid not in (str(os.getpid()), str(os.getppid()))):
        return None
    try:
        period = int(usec)
    except ValueError:
        return None
    return max(1, period // 2000) if period > 0 else None


class ServiceNotifier(QObject):
    """READY=1 after the first paint of the attract screen; WATCHDOG=1 every half period."""

    def __init__(self, parent: QObject, address: str, interval_ms: int | None) -> None:
        super().__init__(parent)
        self.address = address
        self.ready_sent = False
        self.pings = 0
        self.timer: QTimer | None = None
        if interval_ms is not None:
            self.timer = QTimer(self, interval=interval_ms)
            self.timer.timeout.connect(self._ping)
            self.timer.start()
        self._freeze_after = os.environ.get(FREEZE_ENV)
        if self._freeze_after:
            log.warning("%s is set: the event loop will freeze (watchdog test)", FREEZE_ENV)

    @classmethod
    def from_environment(cls, qt: QApplication) -> ServiceNotifier | None:
        address = os.environ.get("NOTIFY_SOCKET")
        if not address:
            return None
        return cls(qt, address, watchdog_interval_ms())

    def watch(self, started: Launch) -> None:
        """Say READY once the attract screen has been painted (it may already be)."""
        started.window.attract.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.ready_sent:
            watched.removeEventFilter(self)
            self.ready_sent = True
            QTimer.singleShot(0, self._ready)
        return False

    def _ready(self) -> None:
        notify("READY=1\nSTATUS=attract screen on show", self.address)
        log.info("told systemd the kiosk is ready (attract screen painted)")
        if self._freeze_after:
            QTimer.singleShot(int(float(self._freeze_after) * 1000), self._freeze)

    def _ping(self) -> None:
        self.pings += 1
        notify("WATCHDOG=1", self.address)

    def _freeze(self) -> None:
        log.warning("freezing the event loop now (%s)", FREEZE_ENV)
        while True:
            time.sleep(3600)
