"""Results per form and question over a chosen date range: the same bar cards as the visitor
results (counts and shares), and written answers page by page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.records import KST
from kiosk.i18n.texts import both
from kiosk.staff.tallies import QuestionResult
from kiosk.staff.views import StaffView
from kiosk.ui.bars import BarCard, BarRow
from kiosk.ui.staff.widgets import DateRangePicker, StaffPage, ToggleRow, clear_layout
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

PAGE_SIZE = 5


def bar_rows(result: QuestionResult) -> list[BarRow]:
    """One row per answer choice, both languages' labels in full, its count and share."""
    rows = []
    for bar in result.bars:
        name = bar.label_ko if bar.label_ko == bar.label_en else f"{bar.label_ko} / {bar.label_en}"
        rows.append(BarRow(name, bar.percent, f"{bar.count} ({bar.percent:.1f}%)"))
    return rows


class StaffResultsScreen(StaffPage):
    """Pick a form and dates; every question of the form follows, bars or written answers."""

    results_requested = Signal(str, object, object)

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        self._view: StaffView | None = None
        self._pages: dict[str, int] = {}
        self._shown_texts: dict[str, list[str]] = {}
        self.form_title = make_label("title", name="resultsForm")
        self.period = make_label("muted", name="resultsPeriod")
        self.summary = make_label("title", name="resultsSummary")
        for label in (self.form_title, self.period, self.summary):
            self.reading.addWidget(label)
        self.reading.addStretch(1)
        self.forms = ToggleRow(theme, exclusive=True, prefix="resultsForm", columns=2)
        self.range = DateRangePicker(theme, prefix="resultsRange")
        self.apply = make_button("primary", name="resultsApply")
        self.apply.setText(both("staff.results.apply"))
        choose = QVBoxLayout()
        choose.setSpacing(theme.mm(3))
        choose.addWidget(self.forms)
        choose.addWidget(self.range)
        choose.addWidget(self.apply)
        choose.addStretch(1)
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, theme.mm(3), 0)
        self._body_layout.setSpacing(theme.mm(4))
        self.list_area = QScrollArea()
        self.list_area.setObjectName("resultsScroll")
        self.list_area.setWidgetResizable(True)
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_area.setWidget(self._body)
        # A finger drags the list (kinetic); the wide scroll bar is there too.
        QScroller.grabGesture(self.list_area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.columns.setSpacing(theme.mm(5))
        self.columns.addLayout(choose, 0)
        self.columns.addWidget(self.list_area, 1)
        self.reach.addLayout(self.columns, 1)
        self.grow_reach()
        self.apply.clicked.connect(self._request)
        self.forms.toggled.connect(self._request_if_changed)
        self.bar_cards: dict[str, BarCard] = {}
        self.text_lists: dict[str, QWidget] = {}
        self.text_nav: dict[str, tuple[QPushButton, QLabel, QPushButton]] = {}

    def orientation_changed(self, landscape: bool) -> None:
        """Landscape: the choices in a column on the left, the results beside them."""
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.columns.setStretch(0, 2 if landscape else 0)
        self.columns.setStretch(1, 3 if landscape else 1)
        self.forms.set_columns(1 if landscape else 2)
        # Landscape has no height to spare; the ticked form button already names the form.
        self.form_title.setVisible(not landscape)

    def _request(self) -> None:
        chosen = self.forms.checked()
        if chosen:
            first, last = self.range.value()
            self.results_requested.emit(chosen[0], first, last)

    def _request_if_changed(self) -> None:
        view = self._view
        chosen = self.forms.checked()
        if view and chosen and (view.results is None or view.results.form_id != chosen[0]):
            self._request()

    def clear(self) -> None:
        """Forget everything shown (staff left): no answer stays in a widget."""
        self._view = None
        self._pages, self._shown_texts = {}, {}
        self.forms.set_items([])
        self.range.set_range(None, None)
        for label in (self.form_title, self.period, self.summary):
            label.setText("")
        clear_layout(self._body_layout)
        self.bar_cards, self.text_lists, self.text_nav = {}, {}, {}

    def show_view(self, view: StaffView) -> None:
        self._view = view
        self.forms.set_items([(f.id, f"{f.title_ko}\n{f.title_en}") for f in view.forms])
        results = view.results
        if results is not None and results.form_id in self.forms.buttons:
            self.forms.buttons[results.form_id].setChecked(True)
        if view.today is not None:
            self.range.set_today(view.today)
        first, last = view.results_range
        self.range.set_range(first, last)
        chosen = next((f for f in view.forms if results and f.id == results.form_id), None)
        self.form_title.setText(f"{chosen.title_ko}\n{chosen.title_en}" if chosen else "")
        self.period.setText(
            both("staff.results.period", first=first.isoformat(), last=last.isoformat())
            if first and last
            else both("staff.range.every")
        )
        clear_layout(self._body_layout)
        self.bar_cards, self.text_lists = {}, {}
        if results is None or results.responses == 0:
            self.summary.setText(both("staff.results.none"))
            return
        self.summary.setText(
            both("staff.results.summary", responses=results.responses, abandoned=results.abandoned)
        )
        for question in results.questions:
            self._body_layout.addWidget(self._card(question))
        self._body_layout.addStretch(1)
        self.list_area.verticalScrollBar().setValue(0)

    def _answered(self, result: QuestionResult) -> QLabel:
        info = make_label("muted", name=f"answered_{result.question_id}")
        if result.mean is not None:
            info.setText(
                both("staff.results.answered", answered=result.answered, mean=f"{result.mean:.2f}")
            )
        else:
            info.setText(both("staff.results.answered_plain", answered=result.answered))
        return info

    def _card(self, result: QuestionResult) -> QFrame:
        prompt = f"{result.text_ko}\n{result.text_en}"
        if result.bars:
            card = BarCard(self.theme, prompt, bar_rows(result), f"bars_{result.question_id}")
            card.grid.addWidget(self._answered(result), card.next_row, 0, 1, 3)
            self.bar_cards[result.question_id] = card
            return card
        frame = QFrame()
        frame.setProperty("role", "card")
        layout = QVBoxLayout(frame)
        pad = self.theme.mm(4)
        layout.setContentsMargins(pad, pad, pad, pad)
        title = make_label()
        title.setText(prompt)
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self._answered(result))
        if result.type == "free_text":
            texts = QWidget()
            texts.setObjectName(f"texts_{result.question_id}")
            texts.setStyleSheet(
                f"QWidget#texts_{result.question_id} {{ background: transparent; }}"
            )
            self.text_lists[result.question_id] = texts
            self._fill_texts(texts, result)
            layout.addWidget(texts)
        return frame

    def _fill_texts(self, box: QWidget, result: QuestionResult) -> None:
        layout = box.layout() or QVBoxLayout(box)
        assert isinstance(layout, QVBoxLayout)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(self.theme.mm(3))
        clear_layout(layout)
        self._shown_texts[result.question_id] = []
        pages = max(1, -(-len(result.texts) // PAGE_SIZE))
        page = min(self._pages.get(result.question_id, 0), pages - 1)
        for entry in result.texts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
            label = make_label()
            stamp = entry.submitted_at.astimezone(KST).strftime("%Y-%m-%d %H:%M")
            label.setText(f"[{stamp} · {entry.language}]  {entry.text}")
            layout.addWidget(label)
            self._shown_texts[result.question_id].append(entry.text)
        nav = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        nav.setSpacing(self.theme.mm(4))
        previous = make_button(name=f"prev_{result.question_id}")
        following = make_button(name=f"next_{result.question_id}")
        previous.setText(both("staff.prev"))
        following.setText(both("staff.next"))
        previous.setEnabled(page > 0)
        following.setEnabled(page < pages - 1)
        for button in (previous, following):
            button.setVisible(pages > 1)  # one page: nothing to turn
        where = make_label("muted", name=f"page_{result.question_id}")
        where.setText(both("staff.results.page", page=page + 1, pages=pages))
        where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_nav[result.question_id] = (previous, where, following)
        previous.clicked.connect(lambda: self._turn(box, result, page - 1))
        following.clicked.connect(lambda: self._turn(box, result, page + 1))
        nav.addWidget(previous)
        nav.addWidget(where, 1)
        nav.addWidget(following)
        layout.addLayout(nav)

    def _turn(self, box: QWidget, result: QuestionResult, page: int) -> None:
        self._pages[result.question_id] = page
        self._fill_texts(box, result)

    def shown_texts(self, question_id: str) -> list[str]:
        """The written answers on screen for a question (for tests and screenshots)."""
        return list(self._shown_texts.get(question_id, []))
