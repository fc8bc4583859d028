"""Results per form and question: bar charts (QtCharts) with counts and shares, and written
answers page by page, over a chosen date range."""

from __future__ import annotations

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.records import KST
from kiosk.i18n.texts import both
from kiosk.staff.tallies import QuestionResult
from kiosk.staff.views import StaffView
from kiosk.ui.staff.widgets import DateRangePicker, ToggleRow, clear_layout
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

PAGE_SIZE = 5
CATEGORY_CHARS = 12


def bar_chart(result: QuestionResult, theme: Theme) -> QChartView:
    """One horizontal bar per answer choice, labelled with its count and share."""
    small = QFont()
    small.setPixelSize(theme.small_px)
    bars = QBarSet("")
    bars.setColor(theme.palette.primary)
    bars.setLabelColor(theme.palette.on_primary)
    bars.setLabelFont(small)
    categories = []
    for bar in reversed(result.bars):  # Qt draws the first category at the bottom
        bars.append(bar.count)
        name = (
            bar.label_ko
            if len(bar.label_ko) <= CATEGORY_CHARS
            else bar.label_ko[:CATEGORY_CHARS] + "…"
        )
        categories.append(f"{name} · {bar.percent:.0f}%")
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsInsideEnd)
    chart = QChart()
    chart.addSeries(series)
    chart.legend().hide()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(0, 0, 0, 0))
    axis = QBarCategoryAxis()
    axis.append(categories)
    axis.setLabelsFont(small)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    values = QValueAxis()
    top = max([b.count for b in result.bars] + [1])
    values.setRange(0, top)
    values.setLabelFormat("%d")
    values.setLabelsFont(small)
    if top <= 10:
        values.setTickCount(top + 1)
    else:
        values.applyNiceNumbers()
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(values)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(theme.mm(14) * len(result.bars) + theme.mm(16))  # less elides labels
    view.setObjectName(f"chart_{result.question_id}")
    return view


def bar_lines(result: QuestionResult) -> str:
    """The same figures as text, with both languages' labels in full."""
    lines = []
    for bar in result.bars:
        name = bar.label_ko if bar.label_ko == bar.label_en else f"{bar.label_ko} / {bar.label_en}"
        lines.append(f"{name}: {bar.count} ({bar.percent:.1f}%)")
    return "\n".join(lines)


class StaffResultsScreen(QWidget):
    """Pick a form and dates; every question of the form follows, chart or written answers."""

    results_requested = Signal(str, object, object)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        self._view: StaffView | None = None
        self._pages: dict[str, int] = {}
        self._shown_texts: dict[str, list[str]] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.mm(3))
        self.forms = ToggleRow(exclusive=True, prefix="resultsForm", vertical=True)
        self.range = DateRangePicker()
        self.apply = make_button("primary", name="resultsApply")
        self.apply.setText(both("staff.results.apply"))
        self.summary = make_label("title", name="resultsSummary")
        layout.addWidget(self.forms)
        row = QHBoxLayout()
        row.addWidget(self.range, 1)
        row.addWidget(self.apply)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._body)
        layout.addWidget(scroll, 1)
        self.apply.clicked.connect(self._request)
        self.forms.toggled.connect(self._request_if_changed)
        self.charts: dict[str, QChartView] = {}
        self.text_lists: dict[str, QWidget] = {}
        self.text_nav: dict[str, tuple[QPushButton, QLabel, QPushButton]] = {}

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
        self.summary.setText("")
        clear_layout(self._body_layout)
        self.charts, self.text_lists, self.text_nav = {}, {}, {}

    def show_view(self, view: StaffView) -> None:
        self._view = view
        self.forms.set_items([(f.id, f"{f.title_ko}  ·  {f.title_en}") for f in view.forms])
        results = view.results
        if results is not None and results.form_id in self.forms.buttons:
            self.forms.buttons[results.form_id].setChecked(True)
        first, last = view.results_range
        self.range.set_range(first, last)
        clear_layout(self._body_layout)
        self.charts, self.text_lists = {}, {}
        if results is None or results.responses == 0:
            self.summary.setText(both("staff.results.none"))
            return
        self.summary.setText(
            both("staff.results.summary", responses=results.responses, abandoned=results.abandoned)
        )
        for question in results.questions:
            self._body_layout.addWidget(self._card(question))
        self._body_layout.addStretch(1)

    def _card(self, result: QuestionResult) -> QFrame:
        card = QFrame()
        card.setProperty("role", "card")
        layout = QVBoxLayout(card)
        title = make_label("title")
        title.setText(f"{result.text_ko}\n{result.text_en}")
        layout.addWidget(title)
        info = make_label("muted", name=f"answered_{result.question_id}")
        if result.mean is not None:
            info.setText(
                both("staff.results.answered", answered=result.answered, mean=f"{result.mean:.2f}")
            )
        else:
            info.setText(both("staff.results.answered_plain", answered=result.answered))
        layout.addWidget(info)
        if result.bars:
            chart = bar_chart(result, self._theme)
            self.charts[result.question_id] = chart
            layout.addWidget(chart)
            figures = make_label("muted", name=f"figures_{result.question_id}")
            figures.setText(bar_lines(result))
            layout.addWidget(figures)
        elif result.type == "free_text":
            texts = QWidget()
            self.text_lists[result.question_id] = texts
            self._fill_texts(texts, result)
            layout.addWidget(texts)
        return card

    def _fill_texts(self, box: QWidget, result: QuestionResult) -> None:
        layout = box.layout() or QVBoxLayout(box)
        assert isinstance(layout, QVBoxLayout)
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
        nav = QHBoxLayout()
        previous = make_button(name=f"prev_{result.question_id}")
        following = make_button(name=f"next_{result.question_id}")
        previous.setText(both("staff.prev"))
        following.setText(both("staff.next"))
        previous.setEnabled(page > 0)
        following.setEnabled(page < pages - 1)
        where = make_label("muted", name=f"page_{result.question_id}")
        where.setText(both("staff.results.page", page=page + 1, pages=pages))
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
