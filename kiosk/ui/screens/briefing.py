"""The briefing: a few sentences of background before the questions, with source and date."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import ScrollPane, TopBar, make_button, make_label, page_layout
from kiosk.visit.flow import SessionView


class BriefingScreen(QWidget):
    """Read, then start (or go back)."""

    start_requested = Signal()
    back_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        # The text starts at the top of the panel, where it is read; the pane's scroll bar runs
        # only along its part within reach, and the buttons sit below it.
        layout = page_layout(self, theme, spacing_mm=Space.M)
        self.top = TopBar(theme)
        self.form_title = make_label("muted")
        self.title = make_label("title")
        self.body = make_label("lead")
        self.source = make_label("muted")
        body_box = QWidget()
        body_layout = QVBoxLayout(body_box)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(theme.mm(Space.M))
        body_layout.addWidget(self.body)
        body_layout.addWidget(self.source)
        body_layout.addStretch(1)
        self._scroll = ScrollPane(theme, body_box)
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(Space.M))
        self.back = make_button(name="backButton", icon="back")
        self.start = make_button("primary", name="startButton", icon="next")
        nav.addWidget(self.back, 1)  # a pair: the same size
        nav.addWidget(self.start, 1)
        for widget in (self.form_title, self.title):
            layout.addWidget(widget)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(nav)
        layout.addWidget(self.top)
        self.back.clicked.connect(self.back_requested)
        self.start.clicked.connect(self.start_requested)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        language = view.language
        self._scroll.set_language(language)
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
