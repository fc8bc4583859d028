"""The attract screen: says in a second what the kiosk is for, rotates cards, starts a visit.

The cards rotate every few seconds, each in Korean and English at once: the invitation, then one
headline result per public survey and "you said, we did" news (only real news from the backend:
the session hands over nothing else). A language button starts the visit in that language; a touch
anywhere else starts it in the first language. How to turn on voice guidance with the keypad is
always on screen, in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import text
from kiosk.ui.loop_texts import highlight_text
from kiosk.ui.phone_form_card import PhoneFormCard
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

if TYPE_CHECKING:  # the window paints this screen before the visit's modules are imported
    from kiosk.feedback.live_results import Highlight
    from kiosk.visit.view import SessionView

NATIVE_NAMES = {"ko": "한국어", "en": "English", "ja": "日本語", "zh": "中文"}
CARD_MS = 5000
FADE_MS = 500


@dataclass(frozen=True)
class Card:
    """One card of the rotation: a kind line and a main line, each in every language shown."""

    kind_key: str
    lines: tuple[tuple[str, str], ...]  # (language, words)


class AttractScreen(QWidget):
    """Language buttons and easy mode low on the screen; the rest of it is for passers-by."""

    started = Signal()
    language_chosen = Signal(str)
    easy_mode_requested = Signal()

    def __init__(self, theme: Theme, languages: tuple[str, ...] = ("ko", "en")) -> None:
        super().__init__()
        self._languages = languages
        self._shown_languages = tuple(lang for lang in ("ko", "en") if lang in languages)
        self._voice_key = "F1"
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.mm(5))
        self.ministry = make_label("muted", name="attractMinistry")
        self.name = make_label("title", name="attractName")
        # What the kiosk is for, in both languages at once: readable in a second, never rotated.
        self.purpose = make_label("hero", name="attractPurpose")
        self.purpose_en = make_label("title", name="attractPurposeEn")
        self.card = QFrame()
        self.card.setObjectName("attractCard")
        self.card.setProperty("role", "card")
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(margin, margin, margin, margin)
        card_layout.setSpacing(theme.mm(3))
        self.card_kind = make_label("muted", name="attractCardKind")
        self.card_main = make_label("title", name="attractCardMain")
        self.card_second = make_label(name="attractCardSecond")
        for widget in (self.card_kind, self.card_main, self.card_second):
            card_layout.addWidget(widget)
        self.dots = make_label("muted", wrap=False, name="attractDots")
        self.voice = make_label(name="voiceGuidance")
        for label in (
            self.ministry,
            self.name,
            self.purpose,
            self.purpose_en,
            self.card_kind,
            self.card_main,
            self.card_second,
            self.dots,
            self.voice,
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._fade = QGraphicsOpacityEffect(self.card)
        self._fade.setOpacity(1.0)
        self.card.setGraphicsEffect(self._fade)
        self._animation = QPropertyAnimation(self._fade, b"opacity", self)
        self._animation.setDuration(FADE_MS)
        self._animation.setStartValue(0.15)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.OutCubic)
        layout.addWidget(self.ministry)
        layout.addWidget(self.name)
        layout.addStretch(1)
        layout.addWidget(self.purpose)
        layout.addWidget(self.purpose_en)
        layout.addStretch(1)
        # The rotating card, and beside it the forms on one's own phone (read, never touched).
        # Side by side on a landscape panel (short of height), one under the other on a portrait
        # one (short of width); see resizeEvent.
        self.phone = PhoneFormCard(theme)
        self._cards_row = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._cards_row.setSpacing(theme.mm(5))
        rotation = QVBoxLayout()  # the card and its dots
        rotation.setSpacing(theme.mm(5))
        rotation.addWidget(self.card)
        rotation.addWidget(self.dots)
        self._cards_row.addLayout(rotation, 1)
        self._cards_row.addWidget(self.phone, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addLayout(self._cards_row)
        layout.addStretch(1)
        layout.addWidget(self.voice)
        # Low on the screen, within reach from a wheelchair: one button per language, easy mode.
        row = QHBoxLayout()
        row.setSpacing(theme.mm(6))
        self.buttons: dict[str, QPushButton] = {}
        for language in languages:
            # A pair alike, neither the one primary action: the visitor's language is not ranked.
            button = make_button(name=f"language_{language}")
            button.setText(text("attract.start_in", language, name=NATIVE_NAMES.get(language, "")))
            button.setMinimumHeight(theme.mm(30))
            button.clicked.connect(lambda _=False, lang=language: self.language_chosen.emit(lang))
            row.addWidget(button, 1)
            self.buttons[language] = button
        layout.addLayout(row)
        self.easy = make_button(name="easyModeButton")
        self.easy.setMinimumHeight(theme.mm(25))
        self.easy.clicked.connect(self.easy_mode_requested)
        layout.addWidget(self.easy)
        self._cards: tuple[Card, ...] = (self._invitation(),)
        self._highlights: tuple[Highlight, ...] = ()
        self.card_index = 0
        self._rotation = QTimer(self)
        self._rotation.setInterval(CARD_MS)
        self._rotation.timeout.connect(lambda: self.rotate())
        self._show_fixed()
        self._show_card()

    @property
    def cards(self) -> tuple[Card, ...]:
        return self._cards

    def set_phone_form_url(self, base: str | None) -> None:
        """The hub's mobile forms (config `phone_form_url`): a QR code of their list; None: none."""
        self.phone.set_base(base)
        self.phone.show_link(None, self._shown_languages)

    def set_voice_key(self, key: str) -> None:
        """The keypad key that turns on easy mode and voice guidance, named on screen."""
        self._voice_key = key
        self._show_fixed()

    def show_view(self, view: SessionView) -> None:
        if view.highlights != self._highlights or len(self._cards) != 1 + len(view.highlights):
            self._highlights = view.highlights
            self._cards = (self._invitation(), *(self._card(h) for h in view.highlights))
        self.card_index = 0
        self._show_fixed()
        self._show_card()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = self.window().size()  # the panel's orientation
        wide = size.width() > size.height() * 1.2
        self._cards_row.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )

    def showEvent(self, event: object) -> None:
        self._rotation.start()

    def hideEvent(self, event: object) -> None:
        self._rotation.stop()
        self._animation.stop()
        self._fade.setOpacity(1.0)

    def rotate(self, fade: bool = True) -> None:
        """The next card, faded in (pictures take it without the fade)."""
        self.card_index = (self.card_index + 1) % len(self._cards)
        self._show_card()
        if fade and len(self._cards) > 1 and self.isVisible():
            self._animation.stop()
            self._animation.start()

    # -- drawing -------------------------------------------------------------------------------
    def _both(self, key: str, **values: object) -> tuple[tuple[str, str], ...]:
        return tuple((lang, text(key, lang, **values)) for lang in self._shown_languages)

    def _invitation(self) -> Card:
        return Card("attract.card_invitation", self._both("attract.body"))

    def _card(self, highlight: Highlight) -> Card:
        kind = "attract.card_feed" if highlight.kind == "feed" else "attract.card_result"
        lines = tuple((lang, highlight_text(highlight, lang)) for lang in self._shown_languages)
        return Card(kind, lines)

    def _show_fixed(self) -> None:
        first, *others = self._shown_languages
        self.ministry.setText(text("app.ministry", first))
        self.name.setText(text("app.name", first))
        self.purpose.setText(text("attract.headline", first))
        self.purpose_en.setText("\n".join(text("attract.headline", lang) for lang in others))
        self.voice.setText(
            "\n".join(
                text("attract.voice", lang, keypad_key=self._voice_key) for lang in (first, *others)
            )
        )
        self.easy.setText("\n".join(text("easy.attract_button", lang) for lang in (first, *others)))

    def _show_card(self) -> None:
        card = self._cards[self.card_index]
        self.card_kind.setText(" · ".join(text(card.kind_key, lang) for lang, _ in card.lines))
        words = [words for _, words in card.lines]
        self.card_main.setText(words[0] if words else "")
        self.card_second.setText("\n".join(words[1:]))
        self.card_second.setVisible(len(words) > 1)
        marks = ("●" if i == self.card_index else "○" for i in range(len(self._cards)))
        self.dots.setText(" ".join(marks))
        self.dots.setVisible(len(self._cards) > 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.started.emit()
