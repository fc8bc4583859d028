"""The staff PIN pad: big digits, dots for what was typed, the lock shown as a countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.records import PIN_MAX
from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label


class StaffPinScreen(QWidget):
    """Collects digits locally and emits them once on OK; never shows or keeps them after."""

    pin_entered = Signal(str)
    cancelled = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._digits = ""
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(theme.mm(5))
        self.prompt = make_label("title")
        self.dots = make_label("hero", name="pinDots")
        self.notice = make_label("error", name="pinNotice")
        for label in (self.prompt, self.dots, self.notice):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        grid = QGridLayout()
        grid.setSpacing(theme.mm(4))
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
                button.clicked.connect(lambda _=False, d=key: self._press(d))
                self.digits[key] = button
            button.setMinimumHeight(theme.mm(26))
            grid.addWidget(button, index // 3, index % 3)
        self.erase.clicked.connect(self._clear)
        self.ok.clicked.connect(self._submit)
        layout.addLayout(grid)
        self.cancel = make_button(name="pin_cancel")
        self.cancel.clicked.connect(self._cancel)
        layout.addWidget(self.cancel)
        layout.addStretch(1)
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
        self.erase.setText(both("staff.pin.clear"))
        self.ok.setText(both("staff.pin.ok"))
        self.cancel.setText(both("staff.pin.cancel"))
