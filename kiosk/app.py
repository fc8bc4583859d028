"""The composition root: builds the store, content, session and window, and wires them."""

from __future__ import annotations

import dataclasses
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.content import ContentPack
from kiosk.errors import DatabaseLocationError
from kiosk.session import VisitorSession
from kiosk.storage import Database, Repository, open_database
from kiosk.storage.outbox import Outbox
from kiosk.sync.bridge import SyncBridge
from kiosk.sync.engine import SyncStatus
from kiosk.sync.runtime import start_sync, startup_pack
from kiosk.sync.worker import SyncNowResult
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.main_window import MainWindow
from kiosk.ui.theme import Theme, application_font

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
EXIT_RESTART = 70


def _utc_now() -> datetime:
    return datetime.now(UTC)


def qt_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication of the process (made if needed)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or [sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    return app


# Harmless notes from Qt's offscreen plugin that would otherwise flood the simulate/screenshot output.
_QUIET = ("This plugin does not support propagateSizeHints",)
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Send Qt's own messages to the log (the command line's choice; tests keep pytest-qt's)."""

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if not message.startswith(_QUIET):
            logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


@dataclass
class KioskApp:
    """Everything a running kiosk is made of, for the CLI, tests and tools to hold."""

    config: KioskConfig
    database: Database
    repository: Repository
    content: ContentPack
    session: VisitorSession
    window: MainWindow
    idle: IdleMonitor
    lockdown: Lockdown
    theme: Theme
    sync: SyncBridge | None = None  # issue 3: read-only status and "sync now" for staff screens

    def sync_status(self) -> SyncStatus:
        """The latest status of the sync worker (an immutable value); with sync off, the queue
        counts are read now, since no worker refreshes them."""
        assert self.sync is not None
        if self.sync.worker is not None:
            return self.sync.latest
        summary = Outbox(self.database).summary()
        return dataclasses.replace(
            self.sync.latest,
            queued=summary.queued,
            sending=summary.sending,
            sent=summary.sent,
            quarantined=summary.quarantined,
            oldest_unsent_at=summary.oldest_unsent_at,
        )

    def sync_now(self) -> SyncNowResult:
        """Ask for an immediate upload; a no-op that says so while one runs."""
        assert self.sync is not None
        return self.sync.sync_now()

    def show(self, windowed: bool = False) -> None:
        display = self.config.display
        if windowed or not display.fullscreen:
            self.window.resize(display.width_px, display.height_px)
            self.window.show()
        else:
            self.window.showFullScreen()

    def close(self) -> None:
        """Tear down (tests and tools); the kiosk itself never closes on a visitor's request."""
        if self.sync is not None:
            self.sync.stop()  # joins the worker thread before its database goes away
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.lockdown)
        self.window.allow_close = True
        self.window.close()
        self.window.deleteLater()
        self.database.close()


def prepare_data_dir(config: KioskConfig) -> None:
    """Create the configured data directory on first start; a failure names the path."""
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseLocationError(
            f"{config.data_dir}: cannot create the data directory ({exc.strerror})"
        ) from None


def build_app(
    config: KioskConfig,
    clock: Clock = _utc_now,
    idle_ms: int | None = None,
    tick_ms: int = 1000,
    sync_keyring: KeyringBackend | None = None,
) -> KioskApp:
    """Build a kiosk from its config: a fresh object graph every call (tests make one each)."""
    qt = qt_application()
    theme = Theme.for_screen(config.display.width_px, config.display.width_mm)
    qt.setFont(application_font(theme))
    qt.setStyleSheet(theme.style_sheet())
    languages = tuple(config.visit.languages)
    prepare_data_dir(config)
    content = startup_pack(config, languages)
    database = open_database(config.db_path, config.storage.backups_kept)
    repository = Repository(database, clock)
    session = VisitorSession(content, repository.save_response, languages, clock)
    window = MainWindow(theme, languages)
    _wire(session, window)
    idle = IdleMonitor(
        session,
        idle_ms=idle_ms if idle_ms is not None else config.visit.idle_timeout_s * 1000,
        countdown_s=config.visit.idle_countdown_s,
        thanks_ms=config.visit.thanks_s * 1000,
        tick_ms=tick_ms,
    )
    sync = start_sync(config, database, session, sync_keyring)
    lockdown = Lockdown()
    qt.installEventFilter(lockdown)
    window.resize(config.display.width_px, config.display.height_px)
    log.info(
        "kiosk ready: device %s, content %s, database %s",
        database.device_id,
        content.version,
        database.path,
    )
    return KioskApp(
        config, database, repository, content, session, window, idle, lockdown, theme, sync
    )


def _wire(session: VisitorSession, window: MainWindow) -> None:
    """Screens emit intents; the session changes state; the window renders the new view."""
    window.attract.started.connect(session.start)
    window.language.language_chosen.connect(session.choose_language)
    window.home.form_chosen.connect(session.open_form)
    window.briefing.start_requested.connect(session.begin_questions)
    window.briefing.back_requested.connect(session.back)
    window.question.answered.connect(session.answer)
    window.question.next_requested.connect(session.next)
    window.question.back_requested.connect(session.back)
    window.thanks.another_requested.connect(session.another)
    window.thanks.finish_requested.connect(session.finish)
    window.idle_overlay.continue_requested.connect(lambda: session.idle_countdown(None))
    for screen in (window.home, window.briefing, window.question):
        screen.top.restart_requested.connect(lambda: session.reset("visitor started over"))
        screen.top.language_switched.connect(session.switch_language)
    session.subscribe(window.show_view)


def install_crash_handler(kiosk: KioskApp) -> None:
    """A bug: log it with its traceback, show the calm out-of-order page, exit for a restart."""

    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.critical(
            "unexpected error, restarting:\n%s",
            "".join(traceback.format_exception(kind, error, tb)),
        )
        kiosk.window.show_fatal()
        QTimer.singleShot(3000, lambda: QApplication.exit(EXIT_RESTART))

    sys.excepthook = handle
