"""The staff area of the window: a navigation bar over one page per staff screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import both
from kiosk.staff.views import Page, StaffView
from kiosk.ui.staff.actions import StaffActionsScreen
from kiosk.ui.staff.audit import StaffAuditScreen
from kiosk.ui.staff.dashboard import StaffDashboardScreen
from kiosk.ui.staff.export import StaffExportScreen
from kiosk.ui.staff.pin import StaffPinScreen
from kiosk.ui.staff.results import StaffResultsScreen
from kiosk.ui.staff.widgets import StaffPage, mark_checked
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

NAV = (Page.DASHBOARD, Page.RESULTS, Page.EXPORT, Page.ACTIONS, Page.AUDIT)


class StaffArea(QWidget):
    """Pages are public so the composition root can wire their signals to the controller.

    The title reads at the top; the navigation bar sits at the bottom, within reach; each page
    keeps its controls below the highest point a seated person can reach (StaffPage)."""

    page_requested = Signal(str)
    logout_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        self._reach_share = 1.0
        self.setStyleSheet(staff_style(theme))
        layout = QVBoxLayout(self)
        margin = theme.margin_px // 2
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.mm(4))
        self.header = make_label("title")
        self.header.setText(both("staff.title"))
        self.nav = QWidget()
        nav_layout = QHBoxLayout(self.nav)
        nav_layout.setContentsMargins(0, 0, 0, 0)
        nav_layout.setSpacing(theme.mm(3))
        self.nav_buttons: dict[Page, QPushButton] = {}
        for page in NAV:
            button = make_button(name=f"nav_{page}", checkable=True)
            button.setText(both(f"staff.nav.{page}").replace("  /  ", "\n"))
            button.clicked.connect(lambda _=False, p=page: self.page_requested.emit(str(p)))
            nav_layout.addWidget(button)
            self.nav_buttons[page] = button
        self.logout = make_button(name="nav_logout")  # the page shown is the one filled button
        self.logout.setText(both("staff.nav.logout").replace("  /  ", "\n"))
        self.logout.clicked.connect(self.logout_requested)
        nav_layout.addWidget(self.logout)
        self.pin = StaffPinScreen(theme)
        self.dashboard = StaffDashboardScreen(theme)
        self.results = StaffResultsScreen(theme)
        self.export = StaffExportScreen(theme)
        self.actions_screen = StaffActionsScreen(theme)
        self.audit = StaffAuditScreen(theme)
        self.pages: dict[Page, StaffPage] = {
            Page.PIN: self.pin,
            Page.DASHBOARD: self.dashboard,
            Page.RESULTS: self.results,
            Page.EXPORT: self.export,
            Page.ACTIONS: self.actions_screen,
            Page.AUDIT: self.audit,
        }
        self.stack = QStackedWidget()
        for widget in self.pages.values():
            self.stack.addWidget(widget)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.nav)

    def clear(self) -> None:
        """Staff left: every page forgets what it showed (results, audit, choices)."""
        for key, button in self.nav_buttons.items():
            button.setChecked(False)
            mark_checked(button, both(f"staff.nav.{key}").replace("  /  ", "\n"))
        for widget in self.pages.values():
            widget.clear()  # type: ignore[attr-defined]

    def show_view(self, view: StaffView) -> None:
        page = self.pages.get(view.page)
        if page is None:
            return
        self._reach_share = view.reach_share
        self.nav.setVisible(view.page != Page.PIN)
        for key, button in self.nav_buttons.items():
            button.setChecked(key == view.page)
            mark_checked(button, both(f"staff.nav.{key}").replace("  /  ", "\n"))
        page.show_view(view)  # type: ignore[attr-defined]
        self.stack.setCurrentWidget(page)
        self._place_reach()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_reach()

    def _place_reach(self) -> None:
        """Tell every page where, in its own coordinates, the reach band begins."""
        height = self.height()
        reach_top = round(height * (1 - self._reach_share))  # this area fills the window
        landscape = self.width() > height
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        above = margins.top() + self.header.sizeHint().height() + layout.spacing()
        for page in self.pages.values():
            page.set_reach_top(reach_top - above, landscape)


STAFF_TEXT_MM, STAFF_TITLE_MM, STAFF_SMALL_MM = 7.0, 9.0, 6.0


def staff_style(theme: Theme) -> str:
    """What the staff area adds to the application's style: text at the staff sizes (the staff
    area is exempt from the visitors' 12 mm rule and holds more per page), scroll bars a finger
    can hold and disabled buttons whose text still reads (the theme's muted colour, dashed edge).
    An ancestor's style sheet wins over the application's, so these sizes hold inside the area."""
    p = theme.palette
    bar = theme.mm(16)
    return f"""
    QWidget {{ font-size: {theme.mm(STAFF_TEXT_MM)}px; }}
    QLabel[role="title"] {{ font-size: {theme.mm(STAFF_TITLE_MM)}px; font-weight: bold; }}
    QLabel[role="muted"] {{ font-size: {theme.mm(STAFF_SMALL_MM)}px; }}
    QScrollBar:vertical {{ width: {bar}px; background: {p.surface}; border: 2px solid {p.border}; }}
    QScrollBar::handle:vertical {{ background: {p.muted}; min-height: {bar}px;
        border-radius: {theme.mm(2)}px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
    QPushButton[chosen="true"] {{ background: {p.selected}; color: {p.on_selected};
        border-color: {p.selected}; font-weight: bold; }}
    QPushButton:disabled {{ color: {p.muted}; background: {p.surface}; border-style: dashed;
        border-color: {p.muted}; }}
    """
