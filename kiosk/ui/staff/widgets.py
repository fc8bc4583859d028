"""Small widgets the staff screens share: a touch-sized date range picker, a grid of toggle
buttons, a page split into a reading part and a part within reach, and a layout sweeper."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import both, text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label, take_widgets

# Preset name -> days back from today (None: every date).
PRESETS: dict[str, int | None] = {"today": 0, "week": 6, "month": 29, "all": None}
STEPS = (-7, -1, 1, 7)
WEEKDAYS_KO = "월화수목금토일"
CHECK = "✓"


def stacked(key: str, **values: object) -> str:
    """Korean over English on two lines: fits a narrow button where "ko  /  en" would not."""
    return f"{text(key, 'ko', **values)}\n{text(key, 'en', **values)}"


def day_text(day: date) -> str:
    return f"{day.isoformat()} ({WEEKDAYS_KO[day.weekday()]})"


class DateRangePicker(QWidget):
    """From and to dates (inclusive, Korean time) with big buttons: presets for today, the last
    7 and 30 days and all dates, and -7/-1/+1/+7 day steps for each end (no spin arrows, no
    calendar popup). Stepping an end leaves the presets for a chosen range."""

    def __init__(self, theme: Theme, prefix: str = "range") -> None:
        super().__init__()
        self._today = date.today()
        self._first = self._today - timedelta(days=6)
        self._last = self._today
        self._all = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        gap = theme.mm(3)
        layout.setSpacing(gap)
        self.label = make_label("muted")
        self.label.setText(both("staff.results.range"))
        layout.addWidget(self.label)
        presets = QHBoxLayout()
        presets.setSpacing(gap)
        # Not checkable: the preset shown is a state of the page, not a choice a visitor left
        # behind (nothing in the window stays "checked" between visits).
        self.presets: dict[str, QPushButton] = {}
        for key in PRESETS:
            button = make_button(name=f"{prefix}_{key}")
            button.clicked.connect(lambda _=False, k=key: self.choose(k))
            presets.addWidget(button)
            self.presets[key] = button
        layout.addLayout(presets)
        self.steps: dict[tuple[str, int], QPushButton] = {}
        self.days: dict[str, QLabel] = {}
        for end in ("first", "last"):
            row = QHBoxLayout()
            row.setSpacing(gap)
            name = make_label(wrap=False)
            name.setText(stacked(f"staff.range.{end}"))
            row.addWidget(name)
            day = make_label(wrap=False, name=f"{prefix}_{end}_day")
            day.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.days[end] = day
            for step in STEPS:
                if step == STEPS[len(STEPS) // 2]:  # the day between the backward and forward steps
                    row.addWidget(day, 1)
                button = make_button(name=f"{prefix}_{end}_{step:+d}")
                button.setText(f"{'−' if step < 0 else '+'}{abs(step)}")
                button.setMinimumWidth(theme.mm(20))
                button.setAccessibleName(text("staff.range.step", "en", days=step))
                button.clicked.connect(lambda _=False, e=end, s=step: self.step(e, s))
                self.steps[(end, step)] = button
                row.addWidget(button)
            layout.addLayout(row)
        self._show()

    # -- what staff do -----------------------------------------------------------------------
    def choose(self, preset: str) -> None:
        back = PRESETS[preset]
        self._all = back is None
        # Under "all", a step starts from the last 7 days.
        days = PRESETS["week"] if back is None else back
        self._first, self._last = self._today - timedelta(days=days or 0), self._today
        self._show()

    def step(self, end: str, days: int) -> None:
        self._all = False
        if end == "first":
            self._first = min(self._first + timedelta(days=days), self._today)
            self._last = max(self._last, self._first)
        else:
            self._last = min(self._last + timedelta(days=days), self._today)
            self._first = min(self._first, self._last)
        self._show()

    # -- what the screen sets and reads ------------------------------------------------------
    def set_today(self, today: date) -> None:
        """The kiosk's date in Korea (the controller's clock, not this machine's): a preset keeps
        ending today, a range chosen day by day never reaches past it."""
        if today == self._today:
            return
        preset = self.preset()
        self._today = today
        back = PRESETS.get(preset or "")
        if preset == "all":
            self._first, self._last = today - timedelta(days=6), today
        elif back is not None:
            self._first, self._last = today - timedelta(days=back), today
        else:
            self._last = min(self._last, today)
            self._first = min(self._first, self._last)
        self._show()

    def set_range(self, first: date | None, last: date | None) -> None:
        self._all = first is None and last is None
        if not self._all:
            self._first = first or last or self._today
            self._last = last or first or self._today
            self._first, self._last = sorted((self._first, self._last))
        self._show()

    def value(self) -> tuple[date | None, date | None]:
        return (None, None) if self._all else (self._first, self._last)

    def preset(self) -> str | None:
        """The preset the range matches, or None for a range chosen day by day."""
        if self._all:
            return "all"
        if self._last != self._today:
            return None
        for key, back in PRESETS.items():
            if back is not None and self._first == self._today - timedelta(days=back):
                return key
        return None

    def _show(self) -> None:
        chosen = self.preset()
        for key, button in self.presets.items():
            show_chosen(button, key == chosen, stacked(f"staff.range.{key}"))
        if self._all:
            for end in ("first", "last"):
                self.days[end].setText(stacked("staff.range.every"))
        else:
            self.days["first"].setText(day_text(self._first))
            self.days["last"].setText(day_text(self._last))
        for (end, step), button in self.steps.items():
            current = self._first if end == "first" else self._last
            button.setEnabled(self._all or step < 0 or current < self._today)


class ToggleRow(QWidget):
    """Checkable buttons keyed by id, in a grid of `columns`; exclusive or not."""

    toggled = Signal()

    def __init__(self, theme: Theme, exclusive: bool, prefix: str, columns: int = 0) -> None:
        super().__init__()
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(theme.mm(3))
        self._columns = columns  # 0: everything on one row
        self._exclusive = exclusive
        self._prefix = prefix
        self._group = QButtonGroup(self)
        self._group.setExclusive(exclusive)
        self.buttons: dict[str, QPushButton] = {}
        self._labels: dict[str, str] = {}

    def set_columns(self, columns: int) -> None:
        if columns != self._columns:
            self._columns = columns
            self._place()

    def _place(self) -> None:
        for index, button in enumerate(self.buttons.values()):
            self._layout.removeWidget(button)
            if self._columns:
                self._layout.addWidget(button, index // self._columns, index % self._columns)
            else:
                self._layout.addWidget(button, 0, index)
        for column in range(max(self._columns, len(self.buttons))):
            self._layout.setColumnStretch(column, 1 if column < (self._columns or 99) else 0)

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """(id, text) pairs; the checked ids survive when still offered."""
        checked = set(self.checked())
        if list(self._labels.items()) == items:
            return
        for button in self.buttons.values():
            self._group.removeButton(button)
            self._layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.buttons = {}
        self._labels = dict(items)
        for key, label in items:
            button = make_button(name=f"{self._prefix}_{key}", checkable=True)
            button.setChecked(key in checked)
            mark_checked(button, label)
            button.toggled.connect(lambda _=False, b=button, t=label: mark_checked(b, t))
            button.toggled.connect(self.toggled)
            self._group.addButton(button)
            self.buttons[key] = button
        self._place()
        if self._exclusive and self.buttons and not self.checked():
            next(iter(self.buttons.values())).setChecked(True)

    def checked(self) -> list[str]:
        return [key for key, button in self.buttons.items() if button.isChecked()]


class StaffPage(QWidget):
    """A staff page in two parts: `reading` on top, `reach` at the bottom. In a portrait window
    the reading part is held at least as tall as the band above the highest point a seated person
    can reach (set_reach_top), so every control of the reach part sits below it."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(theme.mm(3))
        self.reading_box = QWidget()
        box = QVBoxLayout(self.reading_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.reading = QVBoxLayout()
        self.reading.setContentsMargins(0, 0, 0, 0)
        self.reading.setSpacing(theme.mm(3))
        box.addLayout(self.reading)
        box.addStretch(1)  # what is read stays at the top; the room left is the reading box's
        self.reach_box = QWidget()
        self.reach: QBoxLayout = QVBoxLayout(self.reach_box)
        self.reach.setContentsMargins(0, 0, 0, 0)
        self.reach.setSpacing(theme.mm(3))
        outer.addWidget(self.reading_box, 1)
        outer.addWidget(self.reach_box, 0)
        self._outer = outer
        self.landscape = False

    def grow_reach(self) -> None:
        """The reach part takes all the height left (a page whose list scrolls within reach)."""
        self._outer.setStretch(0, 0)
        self._outer.setStretch(1, 1)

    def set_reach_top(self, top: int, landscape: bool) -> None:
        """`top`: the highest y (in this page's coordinates) a control may start at."""
        self.reading_box.setMinimumHeight(max(0, top))
        if landscape != self.landscape:
            self.landscape = landscape
            self.orientation_changed(landscape)

    def orientation_changed(self, landscape: bool) -> None:
        """Pages that arrange themselves differently in landscape override this."""


def mark_checked(button: QPushButton, label: str) -> None:
    """A chosen button says so with a check mark too, not by its colour alone."""
    button.setText(f"{CHECK} {label}" if button.isChecked() else label)


def show_chosen(button: QPushButton, chosen: bool, label: str) -> None:
    """A plain button drawn as chosen (the `chosen` style of the staff area) with a check mark."""
    button.setText(f"{CHECK} {label}" if chosen else label)
    if button.property("chosen") != chosen:
        button.setProperty("chosen", chosen)
        button.style().unpolish(button)
        button.style().polish(button)


def keep_place(widget: QWidget) -> None:
    """Hiding the widget leaves its room empty, so the buttons around it do not jump."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete everything in a layout, nested layouts included."""
    for widget in take_widgets(layout):
        widget.hide()  # gone from the screen now, not at the next turn of the event loop
        widget.deleteLater()
