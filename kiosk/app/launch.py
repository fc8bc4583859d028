"""Start the kiosk for real: paint the attract screen first, then open the store and content.

The attract screen needs only Qt, the config and the theme: the window is built with it alone
(MainWindow's attract_only). Building the other screens, loading the content pack and opening
SQLite (with SQLAlchemy) take longer than painting, so they happen in the next turn of the event
loop, while the passer-by already sees the kiosk. Until then a touch does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.config.settings import KioskConfig
from kiosk.core.errors import CorruptDatabaseError, KioskError
from kiosk.i18n.texts import use_catalogs
from kiosk.ui.main_window import MainWindow
from kiosk.ui.theme import apply_theme

if TYPE_CHECKING:
    from kiosk.app.composition import KioskApp

log = logging.getLogger(__name__)
EXIT_CONFIG = 2


@dataclass
class Launch:
    """The window shown at once, and the kiosk once it is ready (None before)."""

    window: MainWindow
    kiosk: KioskApp | None = None
    on_ready: list[Callable[[KioskApp], None]] = field(default_factory=list)
    exit_timer: QTimer | None = None  # set when start-up failed and the process is about to exit
    damaged: str | None = None  # the store failed its integrity check: out of service


def launch(
    qt: QApplication, config: KioskConfig, windowed: bool = False, warm_speech: bool = True
) -> Launch:
    """Show the attract screen now; build the rest right after the first paint."""
    use_catalogs(config.visit.languages, config.catalog_dir)
    theme = apply_theme(
        qt, config.display.width_px, config.display.width_mm, config.low_position_share
    )
    window = MainWindow(theme, tuple(config.visit.languages), attract_only=True)
    started = Launch(window)
    show_window(window, config, windowed)
    window.attract.installEventFilter(
        _AfterFirstPaint(window.attract, lambda: _finish(started, config, warm_speech))
    )
    return started


def show_window(window: MainWindow, config: KioskConfig, windowed: bool) -> None:
    """Full screen with no frame at all: no title bar, so no close or minimise button (Qt draws
    its own decorations on Wayland when the compositor, cage for one, does not), and the whole
    output whatever size the config gives the panel."""
    if windowed or not config.display.fullscreen:
        window.fix_to_panel(config.display.width_px, config.display.height_px)
        window.show()
        return
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        # A kiosk compositor may not size a full-screen window itself (cage 0.1.4 leaves it at
        # its size hint): ask for the whole output, and follow the output when it changes.
        follow_output(window, screen.geometry())
        screen.geometryChanged.connect(lambda geometry: follow_output(window, geometry))
    window.showFullScreen()


def follow_output(window: MainWindow, geometry: QRect) -> None:
    """Full screen: the output is the panel, and the window is held at its size."""
    window.fix_to_panel(geometry.width(), geometry.height())
    window.setGeometry(geometry)


def launch_out_of_service(
    qt: QApplication, config: KioskConfig, windowed: bool = False
) -> MainWindow:
    """Only the out-of-service notice, touching no store or content: what systemd starts when the
    kiosk failed too often in a row (kiosk-fallback.service), instead of a restart loop."""
    theme = apply_theme(qt, config.display.width_px, config.display.width_mm)
    window = MainWindow(theme, tuple(config.visit.languages))
    window.stack.setCurrentWidget(window.out_of_service)
    show_window(window, config, windowed)
    log.error("the kiosk failed to start too often: showing the out-of-service notice only")
    return window


class _AfterFirstPaint(QObject):
    """Runs a callback once, in the event loop turn after the watched widget's first paint."""

    def __init__(self, watched: QObject, callback: Callable[[], None]) -> None:
        super().__init__(watched)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
        return False


def _finish(started: Launch, config: KioskConfig, warm_speech: bool) -> None:
    from kiosk.app.composition import build_app, install_crash_handler

    started.window.complete()  # the other screens, also the notices shown if the next step fails
    try:
        kiosk = build_app(config, window=started.window)
    except CorruptDatabaseError as exc:
        # A damaged store: no visitors, the notice stays up (no exit: a restart would find the
        # same file), and the message says where the readable copy is.
        for line in str(exc).splitlines():
            log.error("cannot take visitors: %s", line)
            print(f"kiosk: {line}", flush=True)
        started.damaged = str(exc)
        started.window.idle_overlay.hide()
        started.window.stack.setCurrentWidget(started.window.out_of_service)
        return
    except KioskError as exc:
        # Known conditions (invalid content, unusable database): say what, where, then stop.
        for line in str(exc).splitlines():
            log.error("cannot start: %s", line)
            print(f"kiosk: {line}", flush=True)
        started.window.show_fatal()
        started.exit_timer = QTimer(started.window, singleShot=True, interval=3000)
        started.exit_timer.timeout.connect(lambda: QApplication.exit(EXIT_CONFIG))
        started.exit_timer.start()
        return
    install_crash_handler(kiosk)
    if warm_speech and kiosk.easy is not None:
        _ = kiosk.easy.speaker  # starts the speech engine's probe now, not at the first 쉬운 모드
    started.kiosk = kiosk
    for callback in started.on_ready:
        callback(kiosk)
