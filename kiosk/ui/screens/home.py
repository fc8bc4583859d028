"""Home: the forms on offer now, as big tiles."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TopBar, make_button, make_label, page_layout
from kiosk.visit.flow import SessionView


class HomeScreen(QWidget):
    """Pick a survey, an opinion form or a call for proposals."""

    form_chosen = Signal(str)
    feed_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        layout = page_layout(self, theme, spacing_mm=6)
        self.top = TopBar()
        self.title = make_label("title")
        self.empty = make_label("muted")
        layout.addWidget(self.top)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(theme.mm(6))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._list)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll = scroll
        layout.addWidget(scroll, 1)
        self.tiles: dict[str, QPushButton] = {}
        self.feed_tile = make_button("tile", name="feedTile")  # "you said, we did"
        self.feed_tile.setMinimumHeight(theme.mm(30))
        self.feed_tile.clicked.connect(self.feed_requested)
        layout.addWidget(self.feed_tile)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        self.title.setText(text("home.title", view.language))
        self.empty.setText(text("home.empty", view.language))
        self.empty.setVisible(not view.forms)
        for tile in self.tiles.values():
            tile.hide()  # else it shows at its old place until the event loop deletes it
            tile.deleteLater()
        self.tiles = {}
        while self._list_layout.count():
            self._list_layout.takeAt(0)
        for form in view.forms:
            tile = make_button("tile", name=f"form_{form.id}")
            kind = text(f"kind.{form.kind}", view.language)
            lines = [f"[{kind}]  {localized(form.title, view.language)}"]
            if form.summary:
                lines.append(localized(form.summary, view.language))
            tile.setText("\n".join(lines))
            tile.setMinimumHeight(self._theme.mm(38))
            tile.clicked.connect(lambda _=False, fid=form.id: self.form_chosen.emit(fid))
            self.tiles[form.id] = tile
            self._list_layout.addWidget(tile)
        self._list_layout.addStretch(1)
        self._scroll.verticalScrollBar().setValue(0)
        self.feed_tile.setText(
            f"{text('feed.tile', view.language)}\n{text('feed.tile_summary', view.language)}"
        )
        self.feed_tile.setVisible(view.has_feed)
