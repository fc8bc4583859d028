"""The staff PIN pad: big digits, dots for what was typed, the lock shown as a countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from kiosk.core.records import PIN_MAX
from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.staff.widgets import StaffPage, stacked
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

# The widest a PIN key gets (landscape would otherwise stretch three keys across 1920 px).
KEY_MAX_MM = 62
KEY_GAP_MM = 4
KEY_HEIGHT_MM = 26


class StaffPinScreen(StaffPage):
    """Collects digits locally and emits them once on OK; never shows or keeps them after.

    The prompt reads at the top; the pad sits low, within reach, its keys capped in width so a
    landscape panel does not stretch them into bars."""

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        self._digits = ""
        self.prompt = make_label("title")
        self.dots = make_label("hero", name="pinDots")
        self.notice = make_label("error", name="pinNotice")
        # Close to the pad (all of it low on a portrait panel), so eyes need not jump.
        for label in (self.prompt, self.dots, self.notice):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.reach.addWidget(label)
        pad = QWidget()
        pad.setObjectName("pinPad")
        pad.setFixedWidth(3 * theme.mm(KEY_MAX_MM) + 2 * theme.mm(KEY_GAP_MM))
        grid = QGridLayout(pad)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.mm(KEY_GAP_MM))
        self.digits: dict[str, QPushButton] = {}
        self.erase = make_button(name="pin_clear")
        self.ok = make_button("primary", name="pin_ok")
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "ok"]
        for index, key in enumerate(keys):
            if key == "clear":
                button = self.erase
            elif key == "ok":
                button = self.ok
            else:
                button = make_button(name=f"pin_{key}")
                button.setText(key)
                button.setProperty("big", True)
                button.clicked.connect(lambda _=False, d=key: self._press(d))
                self.digits[key] = button
            button.setMinimumHeight(theme.mm(KEY_HEIGHT_MM))
            button.setMaximumWidth(theme.mm(KEY_MAX_MM))
            grid.addWidget(button, index // 3, index % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.cancel = make_button(name="pin_cancel")
        grid.addWidget(self.cancel, 4, 0, 1, 3)
        self.erase.clicked.connect(self._clear)
        self.ok.clicked.connect(self._submit)
        self.cancel.clicked.connect(self._cancel)
        self.reach.addWidget(pad, 0, Qt.AlignmentFlag.AlignHCenter)
        self._show_dots()

    def _press(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX:
            self._digits += digit
            self._show_dots()

    def _clear(self) -> None:
        self._digits = ""
        self._show_dots()

    def _submit(self) -> None:
        pin, self._digits = self._digits, ""
        self._show_dots()
        if pin:
            self.pin_entered.emit(pin)

    def _cancel(self) -> None:
        self._clear()
        self.cancelled.emit()

    def _show_dots(self) -> None:
        self.dots.setText("●" * len(self._digits) or "—")

    def clear(self) -> None:
        self._clear()
        self.notice.setText("")

    def show_view(self, view: StaffView) -> None:
        self.prompt.setText(both(f"staff.pin.{view.pin_purpose}"))
        notice = view.pin_notice
        self.notice.setText(both(notice.key, **dict(notice.values)) if notice else "")
        self.notice.setProperty("role", "error" if notice and notice.error else "")
        locked = bool(view.locked_seconds)
        for button in (*self.digits.values(), self.ok, self.erase):
            button.setEnabled(not locked)
        if locked:
            self._clear()
        self.erase.setText(stacked("staff.pin.clear"))
        self.ok.setText(stacked("staff.pin.ok"))
        self.cancel.setText(both("staff.pin.cancel"))
