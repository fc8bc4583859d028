"""'Are you still there?': a countdown over whatever screen is showing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.i18n.texts import text
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import make_button, make_label, overlay_card
from kiosk.visit.flow import SessionView


class IdleOverlay(QWidget):
    """Covers the window; any touch on it (or the button) continues the visit."""

    continue_requested = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleOverlay")
        # Low on the panel, so its button is within reach on a portrait panel too.
        inner = overlay_card(self, theme, theme.mm(Space.M))
        self.title = make_label("title")
        self.body = make_label(name="idleBody")
        self.button = make_button("primary", name="continueButton", icon="next")
        for label in (self.title, self.body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addWidget(self.button)
        self.button.clicked.connect(self.continue_requested)
        self.hide()

    def show_view(self, view: SessionView) -> None:
        seconds = view.idle_seconds_left
        if seconds is None:
            self.hide()
            return
        self.title.setText(text("idle.title", view.language))
        self.body.setText(text("idle.body", view.language, seconds=seconds))
        self.button.setText(text("idle.continue", view.language))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def mouseReleaseEvent(self, event: object) -> None:
        self.continue_requested.emit()
