"""The briefing: a few sentences of background before the questions, with source and date."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TopBar, make_button, make_label, page_layout
from kiosk.visit.flow import SessionView


class BriefingScreen(QWidget):
    """Read, then start (or go back)."""

    start_requested = Signal()
    back_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = page_layout(self, theme, spacing_mm=6)
        self.top = TopBar()
        self.form_title = make_label("muted")
        self.title = make_label("title")
        self.body = make_label()
        self.source = make_label("muted")
        body_box = QWidget()
        body_layout = QVBoxLayout(body_box)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.body)
        body_layout.addWidget(self.source)
        body_layout.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(body_box)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav = QHBoxLayout()
        self.back = make_button(name="backButton")
        self.start = make_button("primary", name="startButton")
        nav.addWidget(self.back, 1)
        nav.addWidget(self.start, 2)
        for widget in (self.top, self.form_title, self.title):
            layout.addWidget(widget)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(nav)
        self.back.clicked.connect(self.back_requested)
        self.start.clicked.connect(self.start_requested)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        language = view.language
        briefing = view.form.briefing if view.form else None
        self.form_title.setText(localized(view.form.title, language) if view.form else "")
        self.title.setText(localized(briefing.title, language) if briefing else "")
        self.body.setText(localized(briefing.body, language) if briefing else "")
        notes = []
        if briefing and briefing.source:
            notes.append(
                text("briefing.source", language, source=localized(briefing.source, language))
            )
        if briefing and briefing.as_of:
            notes.append(text("briefing.as_of", language, date=briefing.as_of.isoformat()))
        self.source.setText(" · ".join(notes))
        self.back.setText(text("nav.back", language))
        self.start.setText(text("nav.start", language))
        self._scroll.verticalScrollBar().setValue(0)
