"""Home: the forms on offer now, as big tiles with an icon for their kind."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.icons import FORM_ICONS
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import (
    ScrollPane,
    TopBar,
    WrappingButton,
    Zones,
    make_button,
    make_label,
    take_widgets,
)
from kiosk.visit.flow import SessionView


class HomeScreen(QWidget):
    """Pick a survey, an opinion form or a call for proposals."""

    form_chosen = Signal(str)
    feed_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        zones = Zones(self, theme, spacing_mm=Space.M)
        self.top = TopBar(theme)
        self.title = make_label("title")
        self.intro = make_label("lead", name="homeIntro")
        self.empty = make_label("muted")
        zones.reading.addWidget(self.title)
        zones.reading.addWidget(self.intro)
        zones.reading.addWidget(self.empty)
        zones.reading.addStretch(1)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(theme.mm(Space.M))
        self._scroll = ScrollPane(theme, self._list)
        zones.action.addWidget(self._scroll, 1)
        self.tiles: dict[str, WrappingButton] = {}
        self.feed_tile = make_button(
            "tile", name="feedTile", icon="feed", icon_scale=1.6
        )  # "you said, we did"
        self.feed_tile.clicked.connect(self.feed_requested)
        zones.bottom.addWidget(self.top)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        self._scroll.set_language(view.language)
        self.title.setText(text("home.title", view.language))
        self.intro.setText(text("attract.body", view.language))
        self.empty.setText(text("home.empty", view.language))
        self.empty.setVisible(not view.forms)
        wanted = [form.id for form in view.forms]
        if wanted != list(self.tiles):
            self._lay_out_tiles(view)
        for form in view.forms:
            shown = self.tiles[form.id]
            shown.set_icon_name(FORM_ICONS.get(form.kind, ""), scale=1.6)
            kind = text(f"kind.{form.kind}", view.language)
            lines = [f"{kind} · {localized(form.title, view.language)}"]
            if form.summary:
                lines.append(localized(form.summary, view.language))
            shown.setText("\n".join(lines))
        self._scroll.verticalScrollBar().setValue(0)
        self.feed_tile.setText(
            f"{text('feed.tile', view.language)}\n{text('feed.tile_summary', view.language)}"
        )
        self.feed_tile.setVisible(view.has_feed)

    def _lay_out_tiles(self, view: SessionView) -> None:
        """One tile per form on offer, in order: a form still offered keeps its tile (each visit
        shows the same forms, refilled), one no longer offered loses it."""
        offered = {form.id for form in view.forms}
        for form_id, gone in self.tiles.items():
            if form_id not in offered:
                gone.hide()  # else it shows at its old place until the event loop deletes it
                gone.deleteLater()
        kept = {form_id: tile for form_id, tile in self.tiles.items() if form_id in offered}
        take_widgets(self._list_layout)  # put back below, in the forms' order
        self.tiles = {}
        for form in view.forms:
            tile = kept.get(form.id)
            if tile is None:
                tile = make_button("tile", name=f"form_{form.id}", icon_scale=1.6)
                tile.setMinimumHeight(self._theme.big_touch_px)
                tile.clicked.connect(lambda _=False, fid=form.id: self.form_chosen.emit(fid))
            self.tiles[form.id] = tile
            self._list_layout.addWidget(tile)
        self._list_layout.addWidget(self.feed_tile)  # last in the list: it scrolls with the forms
        self._list_layout.addStretch(1)
