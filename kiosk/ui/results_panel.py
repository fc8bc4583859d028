"""A public survey's results so far: one block per question, a bar and a figure per choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from kiosk.feedback.live_results import FormResults
from kiosk.i18n.texts import localized, text
from kiosk.ui.bars import BarCard, BarRow
from kiosk.ui.loop_texts import row_label
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


class ResultsPanel(QScrollArea):
    """Large, plain figures; hidden when there is nothing that may be shown."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        self.setObjectName("resultsPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content: QWidget | None = None
        self._shown: tuple[FormResults | None, str] | None = None
        self.figures: dict[tuple[str, int], str] = {}  # (question, row) -> text shown, for tests
        self.hide()

    def show_results(self, results: FormResults | None, language: str) -> None:
        # The thank-you screen redraws every second of its countdown: the same figures in the
        # same language keep their cards.
        if self._shown is not None and self._shown == (results, language):
            return
        self._shown = (results, language)
        self.figures = {}
        if self._content is not None:
            self._content.deleteLater()
            self._content = None
        if results is None or not results.questions:
            self.hide()
            return
        theme = self._theme
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.mm(5))
        heading = make_label("title", name="resultsTitle")
        heading.setText(text("results.title", language))
        count = make_label("muted", name="resultsCount")
        count.setText(text("results.responses", language, count=results.responses))
        layout.addWidget(heading)
        layout.addWidget(count)
        for question in results.questions:
            rows = [
                BarRow(
                    row_label(row, language),
                    row.percent,
                    text("results.row", language, percent=row.percent, count=row.count),
                )
                for row in question.rows
            ]
            card = BarCard(theme, localized(dict(question.text), language), rows)
            for index, shown in enumerate(card.figures):
                self.figures[(question.question_id, index)] = shown
            layout.addWidget(card)
        layout.addStretch(1)
        self._content = content
        self.setWidget(content)
        self.verticalScrollBar().setValue(0)
        self.show()
