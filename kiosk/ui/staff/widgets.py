"""Small widgets the staff screens share: a date range picker and a row of toggle buttons."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import both
from kiosk.ui.widgets import make_button, make_label


class DateRangePicker(QWidget):
    """From and to dates (inclusive, Korean time), or all dates."""

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = make_label(wrap=False)
        self.label.setText(both("staff.results.range"))
        # Unchecked (the default) means all dates.
        self.choose_dates = make_button(name="chooseDates", checkable=True)
        self.choose_dates.setText(both("staff.results.choose_dates"))
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.first.setObjectName("firstDate")
        self.last.setObjectName("lastDate")
        today = QDate.currentDate()
        self.first.setDate(today.addDays(-7))
        self.last.setDate(today)
        for widget in (self.label, self.choose_dates, self.first, self.last):
            layout.addWidget(widget)
        self.choose_dates.toggled.connect(self._follow)
        self._follow(False)

    def _follow(self, chosen: bool) -> None:
        self.first.setEnabled(chosen)
        self.last.setEnabled(chosen)

    def set_range(self, first: date | None, last: date | None) -> None:
        self.choose_dates.setChecked(first is not None or last is not None)
        if first is not None:
            self.first.setDate(QDate(first.year, first.month, first.day))
        if last is not None:
            self.last.setDate(QDate(last.year, last.month, last.day))

    def value(self) -> tuple[date | None, date | None]:
        if not self.choose_dates.isChecked():
            return None, None
        first, last = self.first.date().toPython(), self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return (first, last) if first <= last else (last, first)


class ToggleRow(QWidget):
    """Checkable buttons keyed by id; exclusive or not."""

    toggled = Signal()

    def __init__(self, exclusive: bool, prefix: str, vertical: bool = False) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._exclusive = exclusive
        self._prefix = prefix
        self._group = QButtonGroup(self)
        self._group.setExclusive(exclusive)
        self.buttons: dict[str, QPushButton] = {}

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """(id, text) pairs; the checked ids survive when still offered."""
        checked = set(self.checked())
        if [(k, b.text()) for k, b in self.buttons.items()] == items:
            return
        for button in self.buttons.values():
            self._group.removeButton(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        for key, label in items:
            button = make_button(name=f"{self._prefix}_{key}", checkable=True)
            button.setText(label)
            button.setChecked(key in checked)
            button.toggled.connect(self.toggled)
            self._group.addButton(button)
            self._layout.addWidget(button)
            self.buttons[key] = button
        if self._exclusive and self.buttons and not self.checked():
            next(iter(self.buttons.values())).setChecked(True)

    def checked(self) -> list[str]:
        return [key for key, button in self.buttons.items() if button.isChecked()]


def clear_layout(layout: QLayout) -> None:
    """Remove and delete everything in a layout, nested layouts included."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widget.hide()  # gone from the screen now, not at the next turn of the event loop
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)
