"""Answer widgets, one per question type; each shows a value and emits `changed` with a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QGridLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.records import AnswerValue
from kiosk.i18n.texts import localized, text
from kiosk.privacy.masking import counted_length
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import make_button, make_label

if TYPE_CHECKING:
    from kiosk.content.models import Question


class AnswerWidget(QWidget):
    """Base of the answer widgets: built for one question, in one language."""

    changed = Signal(object)

    def __init__(self, question: Question, language: str, theme: Theme) -> None:
        super().__init__()
        self.question = question
        self.language = language
        self.theme = theme

    def show_value(self, value: AnswerValue | None) -> None:
        raise NotImplementedError


class ChoiceAnswer(AnswerWidget):
    """Single or multiple choice: one full-width toggle button per option."""

    def __init__(self, question: Question, language: str, theme: Theme) -> None:
        super().__init__(question, language, theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.mm(Space.S))
        self.multi = question.type == "multi_choice"
        self.buttons: dict[str, QPushButton] = {}
        # An empty box (several may be chosen) or ring (one) that becomes a check mark.
        mark = "box" if self.multi else "ring"
        for option in question.options or []:
            button = make_button("option", name=f"option_{option.id}", checkable=True, icon=mark)
            button.setMinimumHeight(theme.answer_px)
            button.setText(localized(option.text, language))
            button.clicked.connect(lambda _=False, oid=option.id: self._clicked(oid))
            layout.addWidget(button)
            self.buttons[option.id] = button

    def _clicked(self, option_id: str) -> None:
        if self.multi:
            picked = tuple(oid for oid, b in self.buttons.items() if b.isChecked())
            self.changed.emit(picked)
        else:
            for oid, button in self.buttons.items():
                button.setChecked(oid == option_id)
            self.changed.emit(option_id)

    def show_value(self, value: AnswerValue | None) -> None:
        chosen = set(value) if isinstance(value, tuple) else {value}
        for oid, button in self.buttons.items():
            button.setChecked(oid in chosen)


class ScaleAnswer(AnswerWidget):
    """Likert (1-5), rating (1-5) or NPS (0-10): a row of numbered buttons with labelled ends."""

    def __init__(self, question: Question, language: str, theme: Theme) -> None:
        super().__init__(question, language, theme)
        assert question.scale is not None
        low, high = question.scale
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.mm(Space.S))
        row = QGridLayout()
        row.setSpacing(theme.mm(Space.S))
        self.buttons: dict[int, QPushButton] = {}
        values = list(range(low, high + 1))
        self._row = row
        self._columns = 0
        for value in values:
            button = make_button(name=f"scale_{value}", checkable=True)
            button.corner_check = True
            button.setText(str(value))
            # Voice guidance says the number with its meaning: "1, strongly disagree".
            button.setAccessibleName(scale_point_name(question, value, language))
            button.setProperty("big", "true")
            button.setMinimumHeight(theme.answer_px)
            button.clicked.connect(lambda _=False, v=value: self._clicked(v))
            self.buttons[value] = button
        self._arrange(6)
        layout.addLayout(row)
        if question.labels:
            ends = QHBoxLayout()
            self.low_label = make_label("muted")
            self.high_label = make_label("muted")
            self.low_label.setText(f"{low} = {localized(question.labels.low, language)}")
            self.high_label.setText(f"{high} = {localized(question.labels.high, language)}")
            self.high_label.setAlignment(Qt.AlignmentFlag.AlignRight)
            ends.addWidget(self.low_label, 1)
            ends.addWidget(self.high_label, 1)
            layout.addLayout(ends)

    def _arrange(self, columns: int) -> None:
        """Buttons in rows of `columns`, balanced (an 11-point scale: 6 and 5, not 10 and 1)."""
        count = len(self.buttons)
        rows = -(-count // max(1, min(columns, count)))
        columns = -(-count // rows)
        if columns == self._columns:
            return
        self._columns = columns
        for index, button in enumerate(self.buttons.values()):
            self._row.removeWidget(button)
            self._row.addWidget(button, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # As many in a row as fit at their size now (easy mode doubles it).
        widest = max(b.minimumSizeHint().width() for b in self.buttons.values())
        gap = self._row.horizontalSpacing()
        # The room the pane shows, not this widget's width (too many columns would force it wider).
        pane = self.parentWidget()
        while pane is not None and not isinstance(pane, QAbstractScrollArea):
            pane = pane.parentWidget()
        width = pane.viewport().width() if pane is not None else event.size().width()
        self._arrange(max(1, min(6, (width + gap) // (widest + gap))))

    def _clicked(self, value: int) -> None:
        self.show_value(value)
        self.changed.emit(value)

    def show_value(self, value: AnswerValue | None) -> None:
        for v, button in self.buttons.items():
            button.setChecked(v == value)


def scale_point_name(question: Question, value: int, language: str) -> str:
    """A scale point as said aloud: the number and what it means, where the form or the kind of
    scale says (a Likert scale's middle points have standard words)."""
    assert question.scale is not None
    low, high = question.scale
    meaning = ""
    if question.labels and value == low:
        meaning = localized(question.labels.low, language)
    elif question.labels and value == high:
        meaning = localized(question.labels.high, language)
    elif question.type == "likert" and (low, high) == (1, 5):
        meaning = text(f"scale.likert_{value}", language)
    return f"{value}, {meaning}" if meaning else str(value)


class YesNoAnswer(AnswerWidget):
    """Two big buttons."""

    def __init__(self, question: Question, language: str, theme: Theme) -> None:
        super().__init__(question, language, theme)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.mm(Space.L))
        self.buttons: dict[bool, QPushButton] = {}
        for value, key, name in ((True, "answer.yes", "yes"), (False, "answer.no", "no")):
            button = make_button(name=f"answer_{name}", checkable=True, icon="ring")
            button.setText(text(key, language))
            button.setProperty("big", "true")
            button.setMinimumHeight(theme.answer_px)
            button.clicked.connect(lambda _=False, v=value: self._clicked(v))
            layout.addWidget(button, 1)  # a pair: the same size
            self.buttons[value] = button
        self._spacing = layout.spacing()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A layout splits an odd width 455 + 454: a pair is the same size to the pixel.
        super().resizeEvent(event)
        half = max(0, (self.width() - self._spacing) // 2)
        for button in self.buttons.values():
            button.setFixedWidth(half)

    def _clicked(self, value: bool) -> None:
        self.show_value(value)
        self.changed.emit(value)

    def show_value(self, value: AnswerValue | None) -> None:
        for v, button in self.buttons.items():
            button.setChecked(value is v)


class FreeTextAnswer(AnswerWidget):
    """A text box with a live character counter (code points, as stored)."""

    def __init__(self, question: Question, language: str, theme: Theme) -> None:
        super().__init__(question, language, theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("freeText")
        self.editor.setPlaceholderText(text("question.placeholder", language))
        self.editor.setMinimumHeight(theme.mm(50) if question.max_length > 100 else theme.mm(30))
        self.editor.setTabChangesFocus(True)
        self.counter = make_label("muted", name="counter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.counter)
        self.editor.textChanged.connect(self._edited)
        self._update_counter()

    def _edited(self) -> None:
        self._update_counter()
        value = self.editor.toPlainText()
        self.changed.emit(value if value.strip() else None)

    def _update_counter(self) -> None:
        # Counted as stored (privacy.counted_length); the syllable still being composed on the
        # on-screen keyboard counts as typed.
        preedit = self.editor.textCursor().block().layout().preeditAreaText()
        used = counted_length(self.editor.toPlainText()) + len(preedit)
        limit = self.question.max_length
        self.counter.setText(text("question.counter", self.language, used=used, limit=limit))
        self.counter.setProperty("role", "error" if used > limit else "muted")
        self.counter.style().polish(self.counter)

    def show_value(self, value: AnswerValue | None) -> None:
        wanted = value if isinstance(value, str) else ""
        current = self.editor.toPlainText()
        if current != wanted:
            # The session hands back NFC or masked text: keep the cursor as far from the end as
            # it was, so typing goes on where it was (setPlainText would put it at the start).
            from_end = len(current) - self.editor.textCursor().position()
            self.editor.setPlainText(wanted)
            cursor = self.editor.textCursor()
            cursor.setPosition(max(0, len(wanted) - from_end))
            self.editor.setTextCursor(cursor)


def answer_widget(question: Question, language: str, theme: Theme) -> AnswerWidget:
    """The widget for a question's type."""
    if question.type in ("single_choice", "multi_choice"):
        return ChoiceAnswer(question, language, theme)
    if question.scale is not None:
        return ScaleAnswer(question, language, theme)
    if question.type == "yes_no":
        return YesNoAnswer(question, language, theme)
    return FreeTextAnswer(question, language, theme)
