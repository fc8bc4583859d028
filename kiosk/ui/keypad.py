"""Keypad operation: arrows move the focus, Enter presses, Backspace goes back, a key toggles easy mode.

In a text box with the on-screen keyboard up, the arrows move over the keys instead and Enter
types the highlighted one, so free text needs nothing but the keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.ui.keyboard.layouts import Action, Key
from kiosk.ui.keyboard.widget import KeyButton, OnScreenKeyboard, is_text_field

_PREVIOUS = {Qt.Key.Key_Up, Qt.Key.Key_Left}
_NEXT = {Qt.Key.Key_Down, Qt.Key.Key_Right}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_MOVES = {
    Qt.Key.Key_Up: (-1, 0),
    Qt.Key.Key_Down: (1, 0),
    Qt.Key.Key_Left: (0, -1),
    Qt.Key.Key_Right: (0, 1),
}


def parse_key(name: str) -> int:
    """The Qt key code of a config key name such as 'F1'."""
    sequence = QKeySequence.fromString(name)
    if sequence.isEmpty():
        raise ValueError(f"{name!r} is not a key name")
    return int(sequence[0].key().value)  # type: ignore[index]


class KeypadNavigator(QObject):
    """An application event filter for the window's keys; arrows and Enter only in easy mode."""

    toggle_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        toggle_key: str,
        back: Callable[[], QAbstractButton | None],
        keyboard: OnScreenKeyboard | None = None,
        forward: Callable[[], QAbstractButton | None] = lambda: None,
    ) -> None:
        super().__init__()
        self._window = window
        self._keyboard = keyboard
        self._forward = forward
        self._pressing = False
        self._toggle_key = parse_key(toggle_key)
        self._back = back
        self.active = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if watched is not self._window and not self._window.isAncestorOf(watched):
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key == self._toggle_key:
            self.toggle_requested.emit()
            return True
        if not self.active:
            return False
        focus = QApplication.focusWidget()
        typing = is_text_field(focus)
        keyboard = self._keyboard
        if typing and keyboard is not None and keyboard.isVisible() and not self._pressing:
            # The keyboard's own key events (its Backspace) pass through untouched.
            self._pressing = True
            try:
                return self._on_keyboard(keyboard, Qt.Key(key))
            finally:
                self._pressing = False
        if key in _PREVIOUS | _NEXT and not typing:
            self.move_focus(forward=key in _NEXT)
            return True
        if key in _ENTER and isinstance(focus, QAbstractButton) and focus.isEnabled():
            focus.click()
            return True
        if key == Qt.Key.Key_Backspace and not typing:
            back = self._back()
            if back is not None and back.isVisible() and back.isEnabled():
                back.click()
            return True
        return False

    def _on_keyboard(self, keyboard: OnScreenKeyboard, key: Qt.Key) -> bool:
        """Arrows walk the on-screen keys, Enter types the highlighted one, Backspace deletes."""
        if key in _MOVES:
            keyboard.move_cursor(*_MOVES[key])
            return True
        if key in _ENTER:
            field = keyboard.target
            done = keyboard.key_cursor is not None and self._cursor_action(keyboard) == Action.DONE
            keyboard.press_cursor()
            if done and field is not None:
                # Out of the box, on to the screen's way forward ("next"), else what follows.
                forward = self._forward()
                if forward is not None and forward.isVisible() and forward.isEnabled():
                    forward.setFocus(Qt.FocusReason.TabFocusReason)
                else:
                    self.move_focus(forward=True, start=field)
            return True
        if key == Qt.Key.Key_Backspace:
            keyboard.press(Key(action=Action.BACKSPACE))
            return True
        return False

    @staticmethod
    def _cursor_action(keyboard: OnScreenKeyboard) -> Action | None:
        assert keyboard.key_cursor is not None
        row, column = keyboard.key_cursor
        return keyboard.rows[row][column].key.action

    def move_focus(self, forward: bool, start: QWidget | None = None) -> None:
        """Focus the next (or previous) control of the window, wrapping around."""
        start = start or QApplication.focusWidget()
        if start is None or not self._window.isAncestorOf(start):
            start = self._window
        widget: QWidget | None = start
        for _ in range(500):  # the focus chain is a ring; this only bounds a broken one
            assert widget is not None
            widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if widget is None or widget is start:
                return
            if self._focusable(widget):
                widget.setFocus(
                    Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
                )
                return

    def _focusable(self, widget: QWidget) -> bool:
        return (
            self._window.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and not isinstance(widget, KeyButton)
        )
