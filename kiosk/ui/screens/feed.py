""" "You said, we did": what became of citizens' suggestions, from the last copy pulled."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import ScrollPane, TopBar, Zones, make_button, make_label
from kiosk.visit.flow import SessionView

if TYPE_CHECKING:  # the feed's pydantic models are not needed to draw it
    from kiosk.feedback.feed import FeedItem, FeedView


def format_age(age: timedelta, language: str) -> str:
    """How old the copy is, in the coarsest unit that is still honest."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return text("feed.updated_now", language)
    if minutes < 60:
        amount = text("age.minutes", language, n=minutes)
    elif minutes < 48 * 60:
        amount = text("age.hours", language, n=minutes // 60)
    else:
        amount = text("age.days", language, n=minutes // (24 * 60))
    return text("feed.updated", language, age=amount)


class FeedScreen(QWidget):
    """A list of cards: status, date, title, text, progress, reason, and the topic's briefing."""

    back_requested = Signal()
    briefing_requested = Signal(object)  # a content Briefing

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        zones = Zones(self, theme, spacing_mm=Space.M)
        self.top = TopBar(theme)
        self.title = make_label("title")
        self.age = make_label("muted", name="feedAge")
        self.note = make_label("error", name="feedNote")
        self._scroll = ScrollPane(theme)
        self.back = make_button(name="backButton", icon="back")
        for widget in (self.title, self.age, self.note):
            zones.reading.addWidget(widget)
        zones.reading.addStretch(1)
        # The cards carry buttons, so the list starts within reach.
        zones.action.addWidget(self._scroll, 1)
        zones.bottom.addWidget(self.back)
        zones.bottom.addWidget(self.top)
        self.back.clicked.connect(self.back_requested)
        self.cards: dict[str, QFrame] = {}
        self.briefing_buttons: dict[str, QPushButton] = {}

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        language = view.language
        self._scroll.set_language(language)
        self.title.setText(text("feed.title", language))
        self.back.setText(text("nav.back", language))
        feed = view.feed
        if feed is None:
            return
        self._show_age(feed, language)
        self.cards, self.briefing_buttons = {}, {}
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self._theme.mm(Space.M))
        if not feed.items:
            empty = make_label("muted")
            empty.setText(text("feed.empty", language))
            column.addWidget(empty)
        for item in feed.items:
            card = self._card(item, language)
            self.cards[item.entry.id] = card
            column.addWidget(card)
        column.addStretch(1)
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self._scroll.setWidget(content)
        self._scroll.verticalScrollBar().setValue(0)

    def _show_age(self, feed: FeedView, language: str) -> None:
        self.age.setText("" if feed.age is None else format_age(feed.age, language))
        self.age.setVisible(feed.age is not None)
        note = text("feed.stale", language) if feed.stale else ""
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _card(self, item: FeedItem, language: str) -> QFrame:
        entry, theme = item.entry, self._theme
        card = QFrame()
        card.setProperty("role", "card")
        card.setObjectName(f"feed_{entry.id}")
        layout = QVBoxLayout(card)
        pad = theme.mm(Space.M)
        layout.setContentsMargins(pad, pad, pad, pad)
        head = make_label("notice", name="feedStatus")
        status = text(f"feed.status.{entry.status}", language)
        head.setText(f"{status}  ·  {entry.date.isoformat()}")
        title = make_label("lead", name="feedTitle")
        title.setText(localized(entry.title, language))
        body = make_label()
        body.setText(localized(entry.text, language))
        for label in (head, title, body):
            layout.addWidget(label)
        if entry.reason:
            reason = make_label(name="feedReason")
            reason.setText(text("feed.reason", language, reason=localized(entry.reason, language)))
            layout.addWidget(reason)
        progress_row = QHBoxLayout()
        bar = QProgressBar()
        bar.setRange(0, 100)
        bar.setValue(entry.progress)
        bar.setTextVisible(False)
        figure = make_label("muted", wrap=False)
        figure.setText(text("feed.progress", language, percent=entry.progress))
        progress_row.addWidget(bar, 1)
        progress_row.addWidget(figure)
        layout.addLayout(progress_row)
        if item.briefing is not None:
            button = make_button("link", name=f"feedBriefing_{entry.id}", icon="briefing")
            button.setText(text("feed.briefing", language))
            briefing = item.briefing
            button.clicked.connect(lambda _=False, b=briefing: self.briefing_requested.emit(b))
            self.briefing_buttons[entry.id] = button
            layout.addWidget(button)
        return card
