"""The attract screen: invites a passer-by, alternating Korean and English cheaply."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.feedback.live_results import Highlight
from kiosk.i18n.texts import text
from kiosk.ui.loop_texts import highlight_text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label
from kiosk.visit.flow import SessionView


class AttractScreen(QWidget):
    """Touch anywhere to start; the wording alternates between languages every few seconds."""

    started = Signal()
    easy_mode_requested = Signal()

    def __init__(self, theme: Theme, languages: tuple[str, ...] = ("ko", "en")) -> None:
        super().__init__()
        self._languages = languages
        self._shown = 0
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin * 2, margin, margin * 2)
        self.ministry = make_label("muted")
        self.name = make_label("title")
        self.headline = make_label("hero")
        self.body = make_label()
        self.touch = make_label("title", name="touchPrompt")
        # Issue 7: one headline result or feed news at a time, rotated with the languages.
        self.highlight = make_label("title", name="attractHighlight")
        self._highlights: tuple[Highlight, ...] = ()
        self._highlight_index = 0
        for label in (
            self.ministry,
            self.name,
            self.headline,
            self.body,
            self.touch,
            self.highlight,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.ministry)
        layout.addWidget(self.name)
        layout.addStretch(2)
        layout.addWidget(self.headline)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addWidget(self.highlight)
        layout.addStretch(2)
        layout.addWidget(self.touch)
        layout.addStretch(1)
        # Low on the screen, within reach from a wheelchair.
        self.easy = make_button("primary", name="easyModeButton")
        self.easy.setMinimumHeight(theme.mm(30))
        self.easy.clicked.connect(self.easy_mode_requested)
        layout.addWidget(self.easy)
        self._rotation = QTimer(self)
        self._rotation.setInterval(4000)
        self._rotation.timeout.connect(self._rotate)
        self._show_language(languages[0])

    def show_view(self, view: SessionView) -> None:
        if view.highlights != self._highlights:
            self._highlights, self._highlight_index = view.highlights, 0
        self._shown = 0
        self._show_language(self._languages[0])

    def showEvent(self, event: object) -> None:
        self._rotation.start()

    def hideEvent(self, event: object) -> None:
        self._rotation.stop()

    def _rotate(self) -> None:
        self._shown = (self._shown + 1) % len(self._languages)
        if self._shown == 0 and self._highlights:
            self._highlight_index = (self._highlight_index + 1) % len(self._highlights)
        self._show_language(self._languages[self._shown])

    def _show_language(self, language: str) -> None:
        self.ministry.setText(text("app.ministry", language))
        self.name.setText(text("app.name", language))
        self.headline.setText(text("attract.headline", language))
        self.body.setText(text("attract.body", language))
        self.touch.setText(text("attract.touch", language))
        self.easy.setText(text("easy.attract_button", language))
        shown = self._highlights[self._highlight_index] if self._highlights else None
        self.highlight.setText(highlight_text(shown, language) if shown else "")
        self.highlight.setVisible(shown is not None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.started.emit()
