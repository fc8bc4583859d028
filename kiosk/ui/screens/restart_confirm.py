"""'Start over?': asked once, over the question on screen, when answers would be dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.i18n.texts import text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label, overlay_card
from kiosk.visit.flow import SessionView


class RestartConfirm(QWidget):
    """Covers the window: start over (answers dropped) or keep going, two buttons of one size."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("restartConfirm")
        # Low on the screen, where the hand that tapped "start over" can reach the answer.
        inner = overlay_card(self, theme, theme.mm(6), above=2, below=1)
        self.title = make_label("title", name="restartTitle")
        self.body = make_label(name="restartBody")
        for label in (self.title, self.body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.mm(6))
        self.keep = make_button("primary", name="keepGoingButton")
        self.restart = make_button(name="confirmRestartButton")
        buttons.addWidget(self.restart, 1)
        buttons.addWidget(self.keep, 1)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addLayout(buttons)
        self.keep.clicked.connect(self.cancelled)
        self.restart.clicked.connect(self.confirmed)
        self.hide()

    def show_view(self, view: SessionView) -> None:
        if not view.confirm_restart:
            self.hide()
            return
        language = view.language
        self.title.setText(text("restart.title", language))
        self.body.setText(text("restart.body", language))
        self.keep.setText(text("restart.keep", language))
        self.restart.setText(text("restart.confirm", language))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
