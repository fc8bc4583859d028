"""Thank-you: shown only after the response is committed to the store."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n.texts import text
from kiosk.ui.receipt_panel import ReceiptPanel
from kiosk.ui.results_panel import ResultsPanel
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label
from kiosk.visit.flow import SessionView


class ThanksScreen(QWidget):
    """Says what happens next; offers another topic or finishing."""

    another_requested = Signal()
    finish_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.mm(8))
        self.title = make_label("hero")
        self.body = make_label()
        for label in (self.title, self.body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.another = make_button(name="anotherButton")
        self.finish = make_button("primary", name="finishButton")
        self.receipt = ReceiptPanel(theme)
        self.results = ResultsPanel(theme)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.receipt)
        layout.addWidget(self.results, 20)  # when shown, the results take the free height
        layout.addStretch(2)
        layout.addWidget(self.another)
        layout.addWidget(self.finish)
        layout.addStretch(1)
        self.another.clicked.connect(self.another_requested)
        self.finish.clicked.connect(self.finish_requested)

    def show_view(self, view: SessionView) -> None:
        language = view.language
        self.title.setText(text("thanks.title", language))
        kind = view.finished_kind or "survey"
        self.body.setText(text(f"thanks.{kind}", language))
        self.another.setText(text("thanks.another", language))
        self.finish.setText(text("thanks.finish", language))
        self.receipt.show_receipt(view.receipt, language)
        self.results.show_results(view.results, language)
