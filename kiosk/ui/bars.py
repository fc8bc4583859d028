"""Answer shares drawn as plain bars: one row per choice with its label, a bar and its figure.

The visitor results panel and the staff results page both draw with it, so the two look alike and
neither needs a charting library."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar

from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


@dataclass(frozen=True)
class BarRow:
    """One choice: the label shown, its share (0-100) and the figure printed beside the bar."""

    label: str
    percent: float
    figure: str


class BarCard(QFrame):
    """A card with a bold prompt over one bar row per choice; `figures` keeps what it shows."""

    def __init__(self, theme: Theme, prompt: str, rows: Sequence[BarRow], name: str = "") -> None:
        super().__init__()
        self.setProperty("role", "card")
        if name:
            self.setObjectName(name)
        grid = QGridLayout(self)
        pad = theme.mm(4)
        grid.setContentsMargins(pad, pad, pad, pad)
        grid.setHorizontalSpacing(theme.mm(4))
        self.grid = grid
        self.prompt = make_label()
        self.prompt.setText(prompt)
        self.prompt.setStyleSheet("font-weight: bold;")
        grid.addWidget(self.prompt, 0, 0, 1, 3)
        self.labels: list[QLabel] = []
        self.bars: list[QProgressBar] = []
        self.figures: list[str] = []
        for index, row in enumerate(rows, start=1):
            label = make_label()
            label.setText(row.label)
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(round(row.percent))
            bar.setTextVisible(False)
            bar.setMinimumWidth(theme.mm(40))
            figure = make_label(wrap=False)
            figure.setText(row.figure)
            figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, index, 0)
            grid.addWidget(bar, index, 1)
            grid.addWidget(figure, index, 2)
            self.labels.append(label)
            self.bars.append(bar)
            self.figures.append(row.figure)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.next_row = len(rows) + 1  # where a caller may add lines under the bars
