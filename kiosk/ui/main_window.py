"""The kiosk window: a page stack that shows the screen for the session's step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.maintenance_view import MaintenanceView, Page
from kiosk.session import SessionView, Step
from kiosk.texts import text
from kiosk.ui.maintenance_area import MaintenanceArea
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.briefing import BriefingScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.idle_overlay import IdleOverlay
from kiosk.ui.screens.language import LanguageScreen
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.thanks import ThanksScreen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


class FatalScreen(QWidget):
    """The calm 'out of order' page shown before the process exits for a restart."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for key, role in (("fatal.title", "title"), ("fatal.body", "")):
            for language in ("ko", "en"):
                label = make_label(role)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setText(text(key, language))
                layout.addWidget(label)
        layout.addStretch(1)


class MainWindow(QWidget):
    """Maps each Step to a page; the screens are public so the composition root can wire them."""

    def __init__(self, theme: Theme, languages: tuple[str, ...]) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setWindowTitle("Gwanghwamoon 1st Street kiosk")
        self.allow_close = False
        self.attract = AttractScreen(theme, languages)
        self.language = LanguageScreen(theme, languages)
        self.home = HomeScreen(theme)
        self.briefing = BriefingScreen(theme)
        self.question = QuestionScreen(theme)
        self.thanks = ThanksScreen(theme)
        self.fatal = FatalScreen(theme)
        self.pages: dict[Step, QWidget] = {
            Step.ATTRACT: self.attract,
            Step.LANGUAGE: self.language,
            Step.HOME: self.home,
            Step.BRIEFING: self.briefing,
            Step.QUESTION: self.question,
            Step.THANKS: self.thanks,
        }
        # Staff screens (issue 4): the notice is a Step of the visit, the staff area is not.
        self.out_of_service = OutOfServiceScreen(theme, languages)
        self.pages[Step.OUT_OF_SERVICE] = self.out_of_service
        self.maintenance = MaintenanceArea(theme)
        self.maintenance_open = False
        self._last_view: SessionView | None = None
        self.stack = QStackedWidget()
        for page in (*self.pages.values(), self.fatal, self.maintenance):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.idle_overlay = IdleOverlay(theme, self)
        self.step = Step.ATTRACT

    def show_view(self, view: SessionView) -> None:
        self._last_view = view
        if self.maintenance_open:
            return  # drawn when staff leave
        page = self.pages[view.step]
        if view.step != self.step and self.step == Step.QUESTION:
            self.question.show_view(view)  # drops the answer widget of the visit that just ended
        page.show_view(view)  # type: ignore[attr-defined]
        self.stack.setCurrentWidget(page)
        self.step = view.step
        self.idle_overlay.show_view(view)

    def show_maintenance(self, view: MaintenanceView) -> None:
        """Staff pages over the visitor screens; closing them redraws the visit's current view."""
        self.maintenance_open = view.page != Page.CLOSED
        if self.maintenance_open:
            self.idle_overlay.hide()
            self.maintenance.show_view(view)
            self.stack.setCurrentWidget(self.maintenance)
        else:
            self.maintenance.clear()
            if self._last_view is not None:
                self.show_view(self._last_view)

    def show_fatal(self) -> None:
        self.idle_overlay.hide()
        self.stack.setCurrentWidget(self.fatal)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.idle_overlay.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()
