"""Geometry checks shared by the accessibility tests: clipped text, controls out of reach."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.ui.keyboard.widget import KeyButton

CONTROLS = (QAbstractButton, QPlainTextEdit, QLineEdit)


def showing(window: QWidget) -> list[QWidget]:
    """Every widget of the window that is on screen now."""
    return [w for w in window.findChildren(QWidget) if w.isVisible() and w.width() > 0]


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def scrolls(widget: QWidget, window: QWidget) -> bool:
    """Whether the widget sits inside a scroll area, where running past the bottom is fine."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, QPlainTextEdit):
            return True
        parent = parent.parentWidget()
    return False


def needed_size(widget: QWidget) -> tuple[int, int]:
    """The width and height the widget's text needs at its current width."""
    if isinstance(widget, KeyButton):
        metrics = widget.fontMetrics()
        return metrics.horizontalAdvance(widget.text()), metrics.height()
    if isinstance(widget, QLabel) and widget.wordWrap():
        return widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
    if widget.hasHeightForWidth():
        return widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
    hint = widget.sizeHint()
    return hint.width(), hint.height()


def clipped_texts(window: QWidget) -> list[str]:
    """Every text on screen that does not fit its widget or runs off the window."""
    problems = []
    bounds = window.rect()
    for widget in showing(window):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.text():
            continue
        name = f"{type(widget).__name__} {widget.objectName()!r} {widget.text()[:30]!r}"
        need_w, need_h = needed_size(widget)
        if need_w > widget.width() + 1 or need_h > widget.height() + 1:
            problems.append(f"{name}: needs {need_w}x{need_h}, has {widget.size().toTuple()}")
        rect = rect_in(widget, window)
        off = rect.left() < 0 or rect.right() > bounds.right()
        off = off or (not scrolls(widget, window) and rect.bottom() > bounds.bottom())
        if off:
            problems.append(f"{name}: at {rect.getRect()} runs off the window")
    return problems


def controls_above(window: QWidget, top: int) -> list[str]:
    """Every control on screen whose top edge is above the y coordinate `top`."""
    return [
        f"{type(w).__name__} {w.objectName()!r} at y={rect_in(w, window).top()}"
        for w in showing(window)
        if isinstance(w, CONTROLS) and rect_in(w, window).top() < top
    ]
