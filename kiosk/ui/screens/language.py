"""Choose the visit's language: one big button per offered language, each in its own script."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.i18n.texts import text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label
from kiosk.visit.flow import SessionView

NATIVE_NAMES = {"ko": "한국어", "en": "English", "ja": "日本語", "zh": "中文"}


class LanguageScreen(QWidget):
    """한국어 / English."""

    language_chosen = Signal(str)
    back_requested = Signal()

    def __init__(self, theme: Theme, languages: tuple[str, ...]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.mm(8))
        self.prompt = make_label("title")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        layout.addWidget(self.prompt)
        self.buttons: dict[str, QPushButton] = {}
        for language in languages:
            button = make_button("primary", name=f"language_{language}")
            button.setText(NATIVE_NAMES.get(language, language))
            button.setMinimumHeight(theme.mm(35))
            button.setProperty("big", True)  # the one choice on this screen: its words large too
            button.clicked.connect(lambda _=False, lang=language: self.language_chosen.emit(lang))
            self.buttons[language] = button
            layout.addWidget(button)
        layout.addStretch(3)
        self._languages = languages

    def show_view(self, view: SessionView) -> None:
        self.prompt.setText(" / ".join(text("language.prompt", lang) for lang in self._languages))
