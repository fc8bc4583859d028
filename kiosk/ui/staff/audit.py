"""The audit log as staff read it: newest first, one sentence per entry in Korean with English
under it, a page at a time (big page buttons within reach instead of a thin scroll bar)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.staff.audit_sentences import entry_sentence
from kiosk.ui.staff.widgets import StaffPage, keep_place
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

# Entries per page: a portrait panel has room for twice as many.
PAGE_SIZE = {False: 14, True: 7}


class StaffAuditScreen(StaffPage):
    """A read-only list; nothing on it can be changed from the kiosk."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        self._sentences: list[tuple[str, str]] = []
        self._page = 0
        self.empty = make_label("muted", name="auditEmpty")
        self.reading.addWidget(self.empty)
        self.rows: list[tuple[QLabel, QLabel]] = []
        for index in range(max(PAGE_SIZE.values())):
            korean = make_label(name=f"audit_{index}_ko")
            english = make_label("muted", name=f"audit_{index}_en")
            entry = QVBoxLayout()
            entry.setSpacing(0)
            entry.addWidget(korean)
            entry.addWidget(english)
            self.reading.addLayout(entry)
            self.rows.append((korean, english))
        self.reading.addStretch(1)
        pager = QHBoxLayout()
        pager.setSpacing(theme.mm(4))
        self.previous = make_button(name="auditPrevious")
        self.following = make_button(name="auditNext")
        self.where = make_label("muted", name="auditPage")
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for button in (self.previous, self.following):
            keep_place(button)
        pager.addWidget(self.previous)
        pager.addWidget(self.where, 1)
        pager.addWidget(self.following)
        self.reach.addLayout(pager)
        self.previous.clicked.connect(lambda: self._turn(self._page - 1))
        self.following.clicked.connect(lambda: self._turn(self._page + 1))
        self._fill()

    def show_view(self, view: StaffView) -> None:
        self._sentences = [
            (entry_sentence(entry, "ko"), entry_sentence(entry, "en")) for entry in view.audit
        ]
        self._page = 0
        self._fill()

    def clear(self) -> None:
        self._sentences, self._page = [], 0
        self._fill()

    @property
    def page_size(self) -> int:
        return PAGE_SIZE[self.landscape]

    def orientation_changed(self, landscape: bool) -> None:
        self._page = 0
        self._fill()

    def _turn(self, page: int) -> None:
        self._page = page
        self._fill()

    def _pages(self) -> int:
        return max(1, -(-len(self._sentences) // self.page_size))

    def _fill(self) -> None:
        pages = self._pages()
        self._page = max(0, min(self._page, pages - 1))
        size = self.page_size
        shown = self._sentences[self._page * size : (self._page + 1) * size]
        for index, (korean, english) in enumerate(self.rows):
            ko, en = shown[index] if index < len(shown) else ("", "")
            korean.setText(ko)
            english.setText(en)
            korean.setVisible(bool(ko))
            english.setVisible(bool(en))
        self.empty.setText(both("staff.audit.empty"))
        self.empty.setVisible(not self._sentences)
        self.previous.setText(both("staff.prev"))
        self.following.setText(both("staff.next"))
        self.previous.setVisible(self._page > 0)
        self.following.setVisible(self._page < pages - 1)
        self.where.setText(both("staff.audit.page", page=self._page + 1, pages=pages))

    def lines(self) -> list[str]:
        """Every entry's sentences, newest first (Korean, then English), for tests."""
        return [f"{ko}  /  {en}" for ko, en in self._sentences]
