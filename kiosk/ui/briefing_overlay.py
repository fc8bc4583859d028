"""A topic's briefing over the current screen (from the opinion form or the feed), with its source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import ScrollPane, make_button, make_label

if TYPE_CHECKING:
    from kiosk.content.models import Briefing


def briefing_notes(briefing: Briefing, language: str) -> str:
    """ "Source: … · As of …" for a briefing (empty when it has neither)."""
    notes = []
    if briefing.source:
        notes.append(text("briefing.source", language, source=localized(briefing.source, language)))
    if briefing.as_of:
        notes.append(text("briefing.as_of", language, date=briefing.as_of.isoformat()))
    return " · ".join(notes)


class BriefingOverlay(QWidget):
    """Dims the screen behind a card; closing it returns to exactly where the visitor was."""

    def __init__(self, theme: Theme, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleOverlay")  # the same dimmed backdrop as the idle countdown
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        margin = theme.margin_px
        outer.setContentsMargins(margin, margin * 2, margin, margin * 2)
        card = QFrame()
        card.setProperty("role", "card")
        layout = QVBoxLayout(card)
        pad = theme.mm(8)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(theme.mm(5))
        self.title = make_label("title", name="topicBriefingTitle")
        self.body = make_label("lead", name="topicBriefingBody")
        self.source = make_label("muted", name="topicBriefingSource")
        box = QWidget()
        box.setObjectName("topicBriefingBox")
        box.setStyleSheet("QWidget#topicBriefingBox { background: transparent; }")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.body)
        box_layout.addWidget(self.source)
        box_layout.addStretch(1)
        scroll = ScrollPane(theme, box)
        scroll.viewport().setAutoFillBackground(False)
        scroll.setStyleSheet("QScrollArea { background: transparent; }")
        self._scroll = scroll
        self.close_button = make_button("primary", name="closeBriefingButton", icon="back")
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.close_button)
        outer.addWidget(card)
        self.hide()

    def show_briefing(self, briefing: Briefing, language: str) -> None:
        self.title.setText(localized(briefing.title, language))
        self.body.setText(localized(briefing.body, language))
        self.source.setText(briefing_notes(briefing, language))
        self.close_button.setText(text("feed.close", language))
        self._scroll.set_language(language)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
