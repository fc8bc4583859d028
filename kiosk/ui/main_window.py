"""The kiosk window: a page stack that shows the screen for the session's step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import text
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import make_label
from kiosk.visit.view import Step

if TYPE_CHECKING:
    from kiosk.staff.views import StaffView
    from kiosk.ui.briefing_overlay import BriefingOverlay
    from kiosk.ui.keyboard.widget import OnScreenKeyboard
    from kiosk.ui.screens.briefing import BriefingScreen
    from kiosk.ui.screens.consent import ConsentScreen
    from kiosk.ui.screens.contact import ContactScreen
    from kiosk.ui.screens.feed import FeedScreen
    from kiosk.ui.screens.home import HomeScreen
    from kiosk.ui.screens.idle_overlay import IdleOverlay
    from kiosk.ui.screens.out_of_service import OutOfServiceScreen
    from kiosk.ui.screens.question import QuestionScreen
    from kiosk.ui.screens.restart_confirm import RestartConfirm
    from kiosk.ui.screens.thanks import ThanksScreen
    from kiosk.ui.staff.area import StaffArea
    from kiosk.visit.view import SessionView


class MinistryHeader(QWidget):
    """The strip over every visit screen naming who runs the kiosk (a name, not an emblem)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("ministryHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        pad = theme.mm(Space.S)
        layout.setContentsMargins(theme.margin_px, pad, theme.margin_px, pad)
        self.name = make_label(wrap=True, name="ministryName")
        layout.addWidget(self.name, 1)

    def show_language(self, language: str, short: bool = False) -> None:
        """The ministry and the forum; only the ministry where the text is large (easy mode)."""
        name = text("app.ministry_name", language)
        self.name.setText(name if short else f"{name}  ·  {text('app.name', language)}")


class PageStack(QStackedWidget):
    """A page stack that asks only for the room the page on show needs.

    QStackedWidget's minimum size is the largest of all its pages, so one tall page (the contact
    form in easy mode) would make every screen, and the window, grow past the panel.
    """

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


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
    """Maps each Step to a page; the screens are public so the composition root can wire them.

    Built in two phases, so that a passer-by sees the kiosk as soon as possible: the window with
    the attract screen alone (`attract_only=True`, what `kiosk run` paints first), then every
    other page, the keyboard and the overlays in `complete()`, which also imports their modules.
    Without `attract_only` the window is complete at once.
    """

    home: HomeScreen
    briefing: BriefingScreen
    question: QuestionScreen
    thanks: ThanksScreen
    consent: ConsentScreen
    contact: ContactScreen
    fatal: FatalScreen
    feed: FeedScreen
    out_of_service: OutOfServiceScreen
    staff_area: StaffArea
    keyboard: OnScreenKeyboard
    idle_overlay: IdleOverlay
    restart_confirm: RestartConfirm
    topic_briefing: BriefingOverlay

    def __init__(
        self, theme: Theme, languages: tuple[str, ...], *, attract_only: bool = False
    ) -> None:
        super().__init__()
        self.setObjectName("kioskWindow")
        self.setWindowTitle("Gwanghwamoon 1st Street kiosk")
        self.allow_close = False
        self._theme = theme
        self._languages = languages
        self.is_complete = False
        self.attract = AttractScreen(theme, languages)
        self.pages: dict[Step, QWidget] = {Step.ATTRACT: self.attract}
        self.staff_open = False
        self._last_view: SessionView | None = None
        self.stack = PageStack()
        self.stack.addWidget(self.attract)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self.header = MinistryHeader(theme)
        self.header.show_language(languages[0])
        self.header.hide()  # the attract screen names the ministry itself
        self._layout.addWidget(self.header)
        self._layout.addWidget(self.stack, 1)
        self.step = Step.ATTRACT
        self._language = languages[0]
        if not attract_only:
            self.complete()

    def complete(self) -> None:
        """Build every page but the attract screen, the keyboard and the overlays (once)."""
        if self.is_complete:
            return
        from kiosk.ui.briefing_overlay import BriefingOverlay
        from kiosk.ui.keyboard.widget import OnScreenKeyboard
        from kiosk.ui.screens.briefing import BriefingScreen
        from kiosk.ui.screens.consent import ConsentScreen
        from kiosk.ui.screens.contact import ContactScreen
        from kiosk.ui.screens.feed import FeedScreen
        from kiosk.ui.screens.home import HomeScreen
        from kiosk.ui.screens.idle_overlay import IdleOverlay
        from kiosk.ui.screens.out_of_service import OutOfServiceScreen
        from kiosk.ui.screens.question import QuestionScreen
        from kiosk.ui.screens.restart_confirm import RestartConfirm
        from kiosk.ui.screens.thanks import ThanksScreen
        from kiosk.ui.staff.area import StaffArea

        theme, languages = self._theme, self._languages
        self.home = HomeScreen(theme)
        self.briefing = BriefingScreen(theme)
        self.question = QuestionScreen(theme)
        self.thanks = ThanksScreen(theme)
        self.consent = ConsentScreen(theme)
        self.contact = ContactScreen(theme)
        self.fatal = FatalScreen(theme)
        self.feed = FeedScreen(theme)
        self.pages.update(
            {
                Step.HOME: self.home,
                Step.BRIEFING: self.briefing,
                Step.QUESTION: self.question,
                Step.THANKS: self.thanks,
                Step.CONSENT: self.consent,
                Step.CONTACT: self.contact,
                Step.FEED: self.feed,
            }
        )
        # Staff screens: the notice is a Step of the visit, the staff area is not.
        self.out_of_service = OutOfServiceScreen(theme, languages)
        self.pages[Step.OUT_OF_SERVICE] = self.out_of_service
        self.staff_area = StaffArea(theme)
        for page in self.pages.values():
            if self.stack.indexOf(page) < 0:
                self.stack.addWidget(page)
        self.stack.addWidget(self.fatal)
        self.stack.addWidget(self.staff_area)
        # Below the page, so the question and its text box stay in view while typing.
        self.keyboard = OnScreenKeyboard(theme, self)
        self._layout.addWidget(self.keyboard)
        self.idle_overlay = IdleOverlay(theme, self)
        self.restart_confirm = RestartConfirm(theme, self)
        self.topic_briefing = BriefingOverlay(theme, self)  # opened over question or feed
        self.question.topic_briefing_requested.connect(self._show_topic_briefing)
        self.feed.briefing_requested.connect(self._show_topic_briefing)
        self.is_complete = True
        for overlay in (self.idle_overlay, self.restart_confirm, self.topic_briefing):
            overlay.setGeometry(self.rect())

    def fix_to_panel(self, width_px: int, height_px: int) -> None:
        """Hold the window at the configured panel's size: a page that asks for more room than
        the panel has is then squeezed (and the criteria test sees it), not drawn off the glass."""
        self.setFixedSize(width_px, height_px)

    def set_phone_form_url(self, base: str | None) -> None:
        """QR codes of the hub's mobile forms on the attract and question screens (None: none)."""
        self.attract.set_phone_form_url(base)
        self.question.set_phone_form_url(base)

    def show_view(self, view: SessionView) -> None:
        self._last_view = view
        if self.staff_open:
            return  # drawn when staff leave
        page = self.pages[view.step]
        self.keyboard.show_view(view)
        if view.step != self.step and self.step == Step.QUESTION:
            self.question.show_view(view)  # drops the answer widget of the visit that just ended
        if view.step != self.step and self.step == Step.CONTACT:
            self.contact.show_view(view)  # empties the contact fields the visitor just left
        if view.step != self.step or view.language != self._language:
            self.topic_briefing.hide()
        self._language = view.language
        self.header.show_language(view.language, short=view.easy_mode)
        page.show_view(view)  # type: ignore[attr-defined]
        changed = view.step != self.step
        self.stack.setCurrentWidget(page)
        # After the page changed: the header over the old (attract) page could overfill it.
        self.header.setVisible(view.step not in (Step.ATTRACT, Step.OUT_OF_SERVICE))
        self.step = view.step
        if changed and not view.easy_mode:
            self._drop_button_focus()
        self.restart_confirm.show_view(view)
        self.idle_overlay.show_view(view)

    def _drop_button_focus(self) -> None:
        """Touch visitors see no focus frame on whatever button Qt focused first on a new page;
        keypad users (easy mode) keep it, since it shows where they are."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and self.isAncestorOf(focused):
            focused.clearFocus()

    def _show_topic_briefing(self, briefing: object) -> None:
        self.topic_briefing.show_briefing(briefing, self._language)  # type: ignore[arg-type]
        self.idle_overlay.raise_()

    def show_staff(self, view: StaffView) -> None:
        """Staff pages over the visitor screens; closing them redraws the visit's current view."""
        from kiosk.staff.views import Page

        self.staff_open = view.page != Page.CLOSED
        if self.staff_open:
            self.idle_overlay.hide()
            self.restart_confirm.hide()
            self.header.hide()
            self.staff_area.show_view(view)
            self.stack.setCurrentWidget(self.staff_area)
        else:
            self.staff_area.clear()
            if self._last_view is not None:
                self.show_view(self._last_view)

    def show_fatal(self) -> None:
        self.idle_overlay.hide()
        self.header.hide()
        self.stack.setCurrentWidget(self.fatal)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.is_complete:
            return
        self.idle_overlay.setGeometry(self.rect())
        self.restart_confirm.setGeometry(self.rect())
        self.topic_briefing.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()
