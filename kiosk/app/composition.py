"""The composition root: builds the store, content, session and window, and wires them."""

from __future__ import annotations

import dataclasses
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from kiosk.app.integrity_timer import IntegrityTimer
from kiosk.app.lobby_hours import LobbyHours
from kiosk.app.retention_timer import RetentionTimer
from kiosk.app.staff_wiring import StaffActivity
from kiosk.app.staff_wiring import wire as wire_staff
from kiosk.app.sync_runtime import start_sync, startup_pack
from kiosk.config.settings import KioskConfig
from kiosk.content import ContentPack
from kiosk.core.errors import DatabaseLocationError
from kiosk.i18n.texts import use_catalogs
from kiosk.staff.controller import StaffController, restore_service_state
from kiosk.staff.dashboard import REASONS_SHOWN, sync_facts
from kiosk.staff.views import SyncFacts
from kiosk.storage import Database, Repository, open_database
from kiosk.storage.abuse import AbuseRules
from kiosk.storage.outbox import Outbox
from kiosk.storage.queries import StaffQueries
from kiosk.storage.staff import StaffStore
from kiosk.sync.bridge import SyncBridge
from kiosk.sync.engine import SyncStatus
from kiosk.sync.worker import SyncNowResult
from kiosk.ui.easy_mode import EasyMode
from kiosk.ui.event_gate import install_filter, remove_filter
from kiosk.ui.gesture import HiddenGesture
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.main_window import MainWindow
from kiosk.ui.speech import ProbedSpeaker, QtSpeaker, Speaker
from kiosk.ui.theme import Theme, apply_theme
from kiosk.visit.consent import contact_offer_from
from kiosk.visit.flow import Step, VisitorSession
from kiosk.visit.loop import FeedbackService

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
    easy: EasyMode | None = None
    retention: RetentionTimer | None = None
    integrity: IntegrityTimer | None = None  # the daily quick_check at the attract screen
    feedback: FeedbackService | None = None  # its feed and results stores take sync's pulls
    staff: StaffController | None = None
    staff_activity: StaffActivity | None = None
    gesture: HiddenGesture | None = None
    sync: SyncBridge | None = None  # read-only status and "sync now" for staff screens
    hours: LobbyHours | None = None  # sleeps the panel outside opening hours
    closed: bool = False

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
        from kiosk.app.launch import show_window

        show_window(self.window, self.config, windowed)

    def close(self) -> None:
        """Tear down (tests and tools); the kiosk itself never closes on a visitor's request.
        Closing twice is harmless (a test may close a kiosk to restart it)."""
        if self.closed:
            return
        self.closed = True
        if self.sync is not None:
            self.sync.stop()  # joins the worker thread before its database goes away
        self.idle.stop()
        if self.easy is not None:
            self.easy.close()
        if self.retention is not None:
            self.retention.stop()
        if self.hours is not None:
            self.hours.stop()
        if self.integrity is not None:
            self.integrity.stop()
        if self.staff is not None:
            self.staff.stop()
        if self.staff_activity is not None:
            self.staff_activity.remove()
        remove_filter(self.lockdown)
        self.window.allow_close = True
        self.window.close()
        self.window.deleteLater()
        self.database.close()


def prepare_data_dir(config: KioskConfig) -> None:
    """Create the configured data directory on first start; a failure names the path."""
    from kiosk.storage.private import private_dir

    try:
        private_dir(config.data_dir)
    except OSError as exc:
        raise DatabaseLocationError(
            f"{config.data_dir}: cannot create the data directory ({exc.strerror})"
        ) from None


def build_app(
    config: KioskConfig,
    clock: Clock = _utc_now,
    idle_ms: int | None = None,
    tick_ms: int = 1000,
    window: MainWindow | None = None,
    speaker: Speaker | None = None,
    quit_app: Callable[[], None] | None = None,
    sync_keyring: KeyringBackend | None = None,
) -> KioskApp:
    """Build a kiosk from its config: a fresh object graph every call (tests make one each)."""
    qt = qt_application()
    use_catalogs(config.visit.languages, config.catalog_dir)
    theme = apply_theme(
        qt, config.display.width_px, config.display.width_mm, config.low_position_share
    )
    languages = tuple(config.visit.languages)
    prepare_data_dir(config)
    content = startup_pack(config, languages)
    database = open_database(config.db_path, config.storage.backups_kept)
    privacy = config.privacy
    abuse = AbuseRules(
        duplicate_text_window_s=privacy.duplicate_text_window_s,
        burst_window_s=privacy.burst_window_s,
        burst_count=privacy.burst_count,
        max_chars_per_second=privacy.max_chars_per_second,
    )
    repository = Repository(database, clock, abuse)
    feedback = _feedback(config, repository, clock)
    offer = contact_offer_from(config)
    if offer is None:
        log.info("no ministry public key in [privacy]: the contact-details step is skipped")
    session = VisitorSession(
        content,
        repository.save_response,
        languages,
        clock,
        feedback,
        contact_offer=offer,
        rating_debounce_ms=privacy.rating_debounce_ms,
        on_visit_end=repository.count_visit,
    )
    window = window or MainWindow(theme, languages)
    window.complete()  # a window launch painted with its attract screen alone
    window.set_phone_form_url(config.feedback.phone_form_url)
    _wire(session, window)
    _wire_feedback(session, window)
    session.refresh_highlights()
    # Before the idle monitor, so that its filter (run first) still sees keypad presses.
    easy = _easy_mode(config, session, window, theme, speaker)
    idle = IdleMonitor(
        session,
        idle_ms=idle_ms if idle_ms is not None else config.visit.idle_timeout_s * 1000,
        countdown_s=config.visit.idle_countdown_s,
        thanks_s=config.visit.thanks_s,
        tick_ms=tick_ms,
    )
    window.thanks.more_time_requested.connect(idle.more_time)
    sync = start_sync(
        config,
        database,
        session,
        sync_keyring,
        loop_stores=(feedback.feed_store, feedback.results_store),
    )
    lockdown = Lockdown()
    install_filter(lockdown, Lockdown.KINDS)
    if not window.isFullScreen():  # a full-screen window keeps the output's size
        window.fix_to_panel(config.display.width_px, config.display.height_px)
    log.info(
        "kiosk ready: device %s, content %s, database %s",
        database.device_id,
        content.version,
        database.path,
    )
    retention = RetentionTimer(repository, session, privacy, clock)
    retention.start()
    integrity = IntegrityTimer(config.db_path, session, clock)
    integrity.start()
    kiosk = KioskApp(
        config,
        database,
        repository,
        content,
        session,
        window,
        idle,
        lockdown,
        theme,
        easy=easy,
        retention=retention,
        integrity=integrity,
        feedback=feedback,
        sync=sync,
    )
    _build_staff(kiosk, clock, quit_app or (lambda: QApplication.exit(0)))
    if config.hours.enabled:
        kiosk.hours = LobbyHours(window, session, config.hours, clock)
        kiosk.hours.start()
    return kiosk


def _easy_mode(
    config: KioskConfig,
    session: VisitorSession,
    window: MainWindow,
    theme: Theme,
    speaker: Speaker | None,
) -> EasyMode:
    """Easy mode follows the session's flag; its button, toggle and keypad key set the flag."""
    access = config.accessibility

    def make_speaker() -> Speaker:
        if speaker is not None:
            return speaker
        return ProbedSpeaker(
            lambda: QtSpeaker(
                access.speech_engine, access.voices, access.speech_volume, access.speech_rate
            ),
            access.speech_engine,
            access.speech_volume,
            access.speech_rate,
        )

    easy = EasyMode(window, theme, access, config.low_position_share, make_speaker)

    def turn_on_and_start() -> None:
        # Started first: the attract screen is never drawn at easy mode's doubled size.
        session.start()
        session.set_easy_mode(True)

    def toggle() -> None:
        if session.step == Step.ATTRACT:
            turn_on_and_start()
        else:
            session.set_easy_mode(not session.view.easy_mode)

    window.attract.easy_mode_requested.connect(turn_on_and_start)
    window.attract.set_voice_key(access.easy_mode_key)
    easy.toggle_requested.connect(toggle)
    for screen in (window.home, window.briefing, window.question):
        screen.top.easy_mode_toggled.connect(session.set_easy_mode)
    session.subscribe(easy.follow_mode, first=True)
    session.subscribe(easy.show_view)
    return easy


def _build_staff(kiosk: KioskApp, clock: Clock, quit_app: Callable[[], None]) -> None:
    """The hidden gesture, the staff controller and its pages."""
    settings = kiosk.config.staff
    staff = StaffStore(
        kiosk.database,
        clock,
        settings.lockout_after,
        settings.lockout_base_s,
        settings.lockout_max_s,
    )
    restore_service_state(staff, kiosk.session)
    outbox = Outbox(kiosk.database)
    controller = StaffController(
        kiosk.config,
        kiosk.repository,
        StaffQueries(kiosk.database),
        staff,
        kiosk.session,
        clock,
        sync_now=kiosk.sync_now if kiosk.sync is not None else None,
        sync_facts=(lambda: _staff_sync_facts(kiosk, outbox)) if kiosk.sync is not None else None,
        requeue=outbox.requeue_quarantined,
        integrity_problem=_integrity_problem(kiosk),
    )
    if kiosk.sync is not None:
        kiosk.sync.status_changed.connect(controller.sync_changed)
    gesture = HiddenGesture(settings, kiosk.theme.mm(settings.corner_mm))
    gesture.watch(kiosk.window.attract)
    gesture.watch(kiosk.window.out_of_service)
    gesture.recognised.connect(controller.open)
    wire_staff(kiosk.window.staff_area, controller)
    controller.changed.connect(kiosk.window.show_staff)
    controller.quit_confirmed.connect(quit_app)
    activity = StaffActivity(controller)
    activity.install()
    kiosk.staff, kiosk.staff_activity, kiosk.gesture = controller, activity, gesture


def _integrity_problem(kiosk: KioskApp) -> Callable[[], str | None] | None:
    """What the daily integrity check found, for the staff dashboard."""
    integrity = kiosk.integrity
    return None if integrity is None else (lambda: integrity.problem)


def _staff_sync_facts(kiosk: KioskApp, outbox: Outbox) -> SyncFacts:
    """The worker's latest status with the queue counted now: staff may look between two of the
    worker's passes, after visitors added responses (one grouped count, on the dashboard only)."""
    summary = outbox.summary()
    status = dataclasses.replace(
        kiosk.sync_status(),
        queued=summary.queued,
        sending=summary.sending,
        quarantined=summary.quarantined,
    )
    return sync_facts(status, outbox.quarantined(REASONS_SHOWN))


def _wire(session: VisitorSession, window: MainWindow) -> None:
    """Screens emit intents; the session changes state; the window renders the new view."""
    window.attract.started.connect(session.start)
    window.attract.language_chosen.connect(session.choose_language)
    window.home.form_chosen.connect(session.open_form)
    window.briefing.start_requested.connect(session.begin_questions)
    window.briefing.back_requested.connect(session.back)
    window.question.answered.connect(session.answer)
    window.question.next_requested.connect(session.next)
    window.question.back_requested.connect(session.back)
    window.thanks.another_requested.connect(session.another)
    window.consent.choice_made.connect(session.choose_consent)
    window.consent.confirmed.connect(session.confirm_consent)
    window.consent.refused.connect(session.refuse_contact)
    window.consent.back_requested.connect(session.back)
    window.contact.edited.connect(session.enter_contact)
    window.contact.submitted.connect(session.submit_contact)
    window.contact.skipped.connect(session.skip_contact)
    window.contact.back_requested.connect(session.back)
    window.thanks.finish_requested.connect(session.finish)
    window.thanks.rated.connect(session.rate_visit)
    window.restart_confirm.confirmed.connect(session.confirm_restart)
    window.restart_confirm.cancelled.connect(session.cancel_restart)
    window.idle_overlay.continue_requested.connect(lambda: session.idle_countdown(None))
    for screen in (window.home, window.briefing, window.question, window.consent, window.contact):
        screen.top.restart_requested.connect(session.request_restart)
        screen.top.language_switched.connect(session.switch_language)
    session.subscribe(window.show_view)


def _feedback(config: KioskConfig, repository: Repository, clock: Clock) -> FeedbackService:
    """Receipts, live results and the feed; sync fills its two files in the data dir."""
    settings = config.feedback
    return FeedbackService(
        repository,
        config.data_dir,
        clock,
        receipt_url=settings.receipt_url,
        min_responses=settings.results_min_responses,
        stale_after=timedelta(hours=settings.feed_stale_after_h),
    )


def _wire_feedback(session: VisitorSession, window: MainWindow) -> None:
    """The "you said, we did" tile and screen."""
    window.home.feed_requested.connect(session.open_feed)
    window.feed.back_requested.connect(session.close_feed)
    window.feed.top.restart_requested.connect(lambda: session.reset("visitor started over"))
    window.feed.top.language_switched.connect(session.switch_language)


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
