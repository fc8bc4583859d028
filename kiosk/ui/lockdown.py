"""Keep visitors inside the kiosk: swallow the shortcuts that close or leave a window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

_CTRL_KEYS = {Qt.Key.Key_Q, Qt.Key.Key_W}


def is_escape_shortcut(event: QKeyEvent) -> bool:
    """Alt+F4, Esc, Ctrl+Q and Ctrl+W: the keys a visitor might try to get out with."""
    key = event.key()
    modifiers = event.modifiers()
    if key == Qt.Key.Key_Escape:
        return True
    if key == Qt.Key.Key_F4 and modifiers & Qt.KeyboardModifier.AltModifier:
        return True
    return key in _CTRL_KEYS and bool(modifiers & Qt.KeyboardModifier.ControlModifier)


class Lockdown(QObject):
    """An application-wide event filter; the window manager's own shortcuts are the OS's job."""

    # The events it looks at (the kiosk's event gate passes it no others).
    KINDS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease)

    def __init__(self) -> None:
        super().__init__()
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.KeyRelease):
            assert isinstance(event, QKeyEvent)
            if is_escape_shortcut(event):
                if kind == QEvent.Type.KeyPress:
                    self.swallowed += 1
                event.accept()
                return True
        return False
