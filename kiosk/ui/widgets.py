"""Small building blocks shared by the screens: labelled widgets with a theme role."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.session import SessionView
from kiosk.texts import text


def make_label(role: str = "", wrap: bool = True, name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    if name:
        label.setObjectName(name)
    return label


def make_button(role: str = "", name: str = "", checkable: bool = False) -> QPushButton:
    button = QPushButton()
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    return button


class TopBar(QWidget):
    """The strip above every visit screen: start over, and switch language."""

    restart_requested = Signal()
    language_switched = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.restart = make_button(name="restartButton")
        self.language = make_button(name="languageButton")
        layout.addWidget(self.restart)
        layout.addStretch(1)
        layout.addWidget(self.language)
        self.restart.clicked.connect(self.restart_requested)
        self.language.clicked.connect(self._switch)
        self._other = "en"

    def show_view(self, view: SessionView) -> None:
        self.restart.setText(text("nav.restart", view.language))
        others = [lang for lang in view.languages if lang != view.language]
        self._other = others[0] if others else view.language
        self.language.setText(text("nav.other_language", view.language))

    def _switch(self) -> None:
        self.language_switched.emit(self._other)
