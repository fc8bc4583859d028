"""The staff area of the window: a navigation bar over one page per staff screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
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
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

NAV = (Page.DASHBOARD, Page.RESULTS, Page.EXPORT, Page.ACTIONS, Page.AUDIT)


class StaffArea(QWidget):
    """Pages are public so the composition root can wire their signals to the controller."""

    page_requested = Signal(str)
    logout_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        margin = theme.margin_px // 2
        layout.setContentsMargins(margin, margin, margin, margin)
        self.header = make_label("title")
        self.header.setText(both("staff.title"))
        self.nav = QWidget()
        nav_layout = QHBoxLayout(self.nav)
        nav_layout.setContentsMargins(0, 0, 0, 0)
        self.nav_buttons: dict[Page, QPushButton] = {}
        for page in NAV:
            button = make_button(name=f"nav_{page}", checkable=True)
            button.setText(both(f"staff.nav.{page}").replace("  /  ", "\n"))
            button.clicked.connect(lambda _=False, p=page: self.page_requested.emit(str(p)))
            nav_layout.addWidget(button)
            self.nav_buttons[page] = button
        self.logout = make_button("primary", name="nav_logout")
        self.logout.setText(both("staff.nav.logout").replace("  /  ", "\n"))
        self.logout.clicked.connect(self.logout_requested)
        nav_layout.addWidget(self.logout)
        self.pin = StaffPinScreen(theme)
        self.dashboard = StaffDashboardScreen(theme)
        self.results = StaffResultsScreen(theme)
        self.export = StaffExportScreen(theme)
        self.actions_screen = StaffActionsScreen(theme)
        self.audit = StaffAuditScreen(theme)
        self.pages: dict[Page, QWidget] = {
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
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

    def clear(self) -> None:
        """Staff left: every page forgets what it showed (results, audit, choices)."""
        for button in self.nav_buttons.values():
            button.setChecked(False)
        for widget in self.pages.values():
            widget.clear()  # type: ignore[attr-defined]

    def show_view(self, view: StaffView) -> None:
        page = self.pages.get(view.page)
        if page is None:
            return
        self.nav.setVisible(view.page != Page.PIN)
        for key, button in self.nav_buttons.items():
            button.setChecked(key == view.page)
        page.show_view(view)  # type: ignore[attr-defined]
        self.stack.setCurrentWidget(page)
