"""What voice guidance says: a screen's texts in reading order, and a control when it has focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QWidget,
)

from kiosk.i18n.texts import text
from kiosk.ui.keyboard.widget import KeyButton, is_text_field
from kiosk.ui.widgets import TopBar


def describe(widget: QWidget, language: str) -> str:
    """The words for a control: its name, what it holds, whether it is selected."""
    if isinstance(widget, QPlainTextEdit | QLineEdit) and is_text_field(widget):
        content = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
        shown = content or widget.placeholderText()
        return f"{text('easy.text_field', language)}. {shown}".strip()
    name = widget.accessibleName()
    if not name and isinstance(widget, QAbstractButton | QLabel):
        name = widget.text()
    name = " ".join(name.split())  # line breaks in tiles read as pauses, not as words
    if isinstance(widget, QAbstractButton) and widget.isCheckable() and widget.isChecked():
        name = f"{name}, {text('easy.selected', language)}"
    return name


def _in_reading_order(widget: QWidget) -> list[QWidget]:
    """The widgets of a screen in the order of its layouts: top to bottom, left to right."""
    found: list[QWidget] = []

    def walk_layout(layout: QLayout) -> None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            child, inner = item.widget(), item.layout()
            if child is not None:
                walk_widget(child)
            elif inner is not None:
                walk_layout(inner)

    def walk_widget(child: QWidget) -> None:
        # Widgets just added to a shown screen are shown a moment later: only an explicit
        # hide() keeps a widget out of the reading.
        hidden = child.isHidden() and child.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide
        )
        if hidden or isinstance(child, TopBar | KeyButton):
            return
        found.append(child)
        content, layout = child.widget() if isinstance(child, QScrollArea) else None, child.layout()
        if content is not None:
            walk_widget(content)
        elif layout is not None:
            walk_layout(layout)

    top = widget.layout()
    if top is not None:
        walk_layout(top)
    return found


def screen_texts(page: QWidget, language: str) -> list[str]:
    """Everything a screen shows, in reading order: title, question, options, buttons."""
    texts = []
    for widget in _in_reading_order(page):
        if isinstance(widget, QLabel | QAbstractButton) or is_text_field(widget):
            said = describe(widget, language)
            if said:
                texts.append(said)
    return texts


def _in_scroll_area(widget: QWidget, page: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def first_control(page: QWidget) -> QWidget | None:
    """Where keypad focus starts on a screen: the answer chosen (back on an answered question),
    else the first answer, else the main button."""
    controls = [
        w
        for w in _in_reading_order(page)
        if w.isEnabled() and (isinstance(w, QAbstractButton) or is_text_field(w))
    ]
    answers = [w for w in controls if _in_scroll_area(w, page)]
    chosen = [w for w in answers if isinstance(w, QAbstractButton) and w.isChecked()]
    if chosen or answers:
        return (chosen or answers)[0]
    for widget in controls:
        if widget.property("role") == "primary":
            return widget
    return controls[0] if controls else None
