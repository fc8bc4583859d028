"""The on-screen keyboard: a panel of the main window that types into the focused text field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QResizeEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import text
from kiosk.ui.keyboard.hangul import Edit, HangulComposer
from kiosk.ui.keyboard.layouts import LANGUAGE_LAYERS, LAYERS, Action, Key
from kiosk.ui.theme import GAP_MM, Theme
from kiosk.visit.flow import SessionView

# The smallest key edge the accessibility guideline accepts; keys are drawn a little larger.
MIN_KEY_MM = 15.0
KEY_HEIGHT_MM = 17.0
# On a wide (landscape) panel keys stop growing at this width; the rows are centred.
KEY_MAX_WIDTH_MM = 30.0
# Just over the criteria's 2 mm between targets: four rows of large keys must fit under a question.
KEY_GAP_MM = GAP_MM * 0.75
TEXT_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit)


def is_text_field(widget: QWidget | None) -> bool:
    """Whether the keyboard should open for this widget (editable text only)."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


class KeyButton(QPushButton):
    """One key; it never takes focus, so the text field keeps its cursor while typing."""

    def __init__(self, key: Key) -> None:
        super().__init__()
        self.key = key
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setProperty("role", "key")
        # Width comes from the row's stretch factors, not from the label.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        if key.action == Action.BACKSPACE:
            self.setAutoRepeat(True)
        self.setObjectName(f"key_{key.action}" if key.action else "key")


class OnScreenKeyboard(QWidget):
    """Korean 2-beolsik, English QWERTY and symbols; Hangul is composed as preedit.

    Besides touch, a physical keypad reaches every key: arrows move a highlighted key (the
    cursor), Enter presses it. `key_highlighted` names the key under the cursor and `typed` says
    what a key press typed, for voice guidance."""

    shown = Signal(bool)
    key_highlighted = Signal(str)
    typed = Signal(str)

    def __init__(self, theme: Theme, window: QWidget) -> None:
        super().__init__()
        self.setObjectName("onScreenKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._window = window
        self._composer = HangulComposer()
        self._target: QWidget | None = None
        self._language = "ko"
        self._view_key: tuple[object, ...] = ()
        self.layer = "ko"
        self._previous_language_layer = "ko"
        self.shifted = False
        self._layout = QVBoxLayout(self)
        self.rows: list[list[KeyButton]] = []
        # Each layer's keys, built once: (its page, its rows of keys).
        self._pages: dict[str, tuple[QWidget, list[list[KeyButton]]]] = {}
        self.key_cursor: tuple[int, int] | None = None  # (row, column) of the keypad's key
        self.apply_theme(theme)
        self._build()
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    # -- appearance --------------------------------------------------------------------------
    def apply_theme(self, theme: Theme) -> None:
        """Key size and colours for the theme (easy mode doubles them)."""
        self._theme = theme
        p = theme.palette
        gap = theme.mm(KEY_GAP_MM)
        self._gap = gap
        self._layout.setContentsMargins(gap, gap, gap, gap)
        self._layout.setSpacing(gap)
        # Large text needs taller keys, but not twice as tall: the text box must stay in view.
        height = max(round(KEY_HEIGHT_MM * theme.px_per_mm), round(theme.text_px * 1.2))
        self._key_height = height
        # A widget style sheet, so the keys look the same whatever the application's sheet says.
        self.setStyleSheet(
            f"""
            QWidget#onScreenKeyboard {{ background: {p.background};
                border-top: 3px solid {p.border}; }}
            QPushButton[role="key"] {{ min-height: {height}px; max-height: {height}px;
                padding: 0px; border-radius: {theme.mm(2)}px; font-size: {theme.text_px}px;
                background: {p.surface}; color: {p.text}; border: 3px solid {p.border}; }}
            QPushButton[role="key"][special="true"] {{ font-size: {theme.small_px}px; }}
            QPushButton[role="key"][active="true"] {{ background: {p.selected};
                color: {p.on_selected}; border-color: {p.selected}; }}
            QPushButton[role="key"]:pressed {{ background: {p.primary}; color: {p.on_primary};
                border: 5px solid {p.focus}; }}
            QPushButton[role="key"][cursor="true"] {{ border: {theme.mm(1.5)}px solid {p.focus}; }}
            """
        )
        for page, rows in self._pages.values():
            page_layout = page.layout()
            if page_layout is not None:
                page_layout.setSpacing(gap)
                for index in range(page_layout.count()):
                    item = page_layout.itemAt(index)
                    row_layout = item.layout() if item is not None else None
                    if row_layout is not None:
                        row_layout.setSpacing(gap)
            for row in rows:
                for button in row:
                    button.setFixedHeight(height)

    def _cap_width(self) -> None:
        """Side margins that keep every key at most KEY_MAX_WIDTH_MM wide."""
        units = max((sum(key.width for key in row) for row in LAYERS[self.layer].rows), default=1)
        widest = round(units * KEY_MAX_WIDTH_MM * self._theme.px_per_mm * self._theme.scale)
        side = max(self._gap, (self.width() - widest) // 2)
        margins = self._layout.contentsMargins()
        if margins.left() != side:
            self._layout.setContentsMargins(side, self._gap, side, self._gap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._cap_width()

    def _build(self) -> None:
        """Show the key buttons of the current layer, created the first time it is shown and
        kept: a layer switch (every Korean or English visit) shows another page of keys."""
        built = self._pages.get(self.layer)
        if built is None:
            page = QWidget()
            page.setObjectName("keyboardLayer")
            column = QVBoxLayout(page)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(self._gap)
            rows: list[list[KeyButton]] = []
            for row_keys in LAYERS[self.layer].rows:
                row_layout = QHBoxLayout()
                row_layout.setSpacing(self._gap)
                row: list[KeyButton] = []
                for key in row_keys:
                    button = KeyButton(key)
                    button.setFixedHeight(self._key_height)
                    button.setProperty("special", key.action is not None)
                    button.pressed.connect(lambda b=button: self.press(b.key))
                    row_layout.addWidget(button, round(key.width * 10))
                    row.append(button)
                column.addLayout(row_layout)
                rows.append(row)
            self._layout.addWidget(page)
            built = self._pages[self.layer] = (page, rows)
        for layer, (page, rows) in self._pages.items():
            if layer != self.layer:
                for row in rows:
                    for button in row:
                        button.setDown(False)  # a key held through the switch is let go
                page.hide()
        page, self.rows = built
        page.show()
        self._cap_width()
        self._label()

    def _label(self) -> None:
        """Key labels for the layer, shift state and visitor language."""
        layer = LAYERS[self.layer]
        rows = layer.shifted_rows if self.shifted else layer.rows
        lang = self._language
        for row, keys in zip(self.rows, rows, strict=True):
            for button, key in zip(row, keys, strict=True):
                button.key = key
                if key.action is None:
                    button.setText(key.char.replace("&", "&&"))  # a lone & is a Qt mnemonic
                    continue
                if key.action == Action.SYMBOLS:
                    label = text(f"keyboard.back_to_{self._language_layer}", lang)
                    if self.layer != "symbols":
                        label = text("keyboard.symbols", lang)
                else:
                    label = text(f"keyboard.{key.action}", lang)
                button.setText(label)
                active = key.action == Action.SHIFT and self.shifted
                if button.property("active") != active:
                    button.setProperty("active", active)
                    button.style().polish(button)

    @property
    def _language_layer(self) -> str:
        """The language whose letters the visitor returns to from the symbols."""
        return self._previous_language_layer if self.layer == "symbols" else self.layer

    # -- what the visitor sees -----------------------------------------------------------------
    def show_view(self, view: SessionView) -> None:
        """A new screen or visit drops any half-typed syllable and starts in the visit's language."""
        key = (view.visit, view.step, view.question.id if view.question else None, view.language)
        if key == self._view_key:
            return
        self._view_key = key
        self._language = view.language
        self._composer.reset()
        self.clear_cursor()  # and no key of a kept layer stays highlighted
        self._set_layer("ko" if view.language == "ko" else "en", shifted=False)

    @property
    def target(self) -> QWidget | None:
        return self._target

    @property
    def preedit(self) -> str:
        return self._composer.preedit

    def button_for(self, char: str) -> KeyButton | None:
        """The key that types `char` on the layer shown now, if any."""
        for row in self.rows:
            for button in row:
                if button.key.action is None and button.key.char == char:
                    return button
        return None

    def action_button(self, action: Action) -> KeyButton:
        for row in self.rows:
            for button in row:
                if button.key.action == action:
                    return button
        raise KeyError(action)

    # -- typing ------------------------------------------------------------------------------
    # -- the keypad's cursor -------------------------------------------------------------------
    def move_cursor(self, rows: int, columns: int) -> None:
        """Move the highlighted key (first press: the first key), wrapping at the edges; an up or
        down move lands on the key nearest below or above."""
        if not self.rows:
            return
        if self.key_cursor is None:
            self._set_cursor(0, 0)
            return
        row, column = self.key_cursor
        if columns:
            row_keys = self.rows[row]
            self._set_cursor(row, (column + columns) % len(row_keys))
            return
        here = self.rows[row][column]
        centre = here.geometry().center().x()
        target = (row + rows) % len(self.rows)
        keys = self.rows[target]
        nearest = min(range(len(keys)), key=lambda i: abs(keys[i].geometry().center().x() - centre))
        self._set_cursor(target, nearest)

    def press_cursor(self) -> None:
        """Press the highlighted key, as a tap would."""
        if self.key_cursor is None:
            self.move_cursor(0, 0)
            return
        row, column = self.key_cursor
        self.press(self.rows[row][column].key)

    def clear_cursor(self) -> None:
        self._set_cursor(None)

    def _set_cursor(self, row: int | None, column: int = 0) -> None:
        old = self.key_cursor
        self.key_cursor = None if row is None else (row, column)
        for place in (old, self.key_cursor):
            if (
                place is not None
                and place[0] < len(self.rows)
                and place[1] < len(self.rows[place[0]])
            ):
                button = self.rows[place[0]][place[1]]
                button.setProperty("cursor", place == self.key_cursor)
                button.style().polish(button)
        if self.key_cursor is not None:
            self.key_highlighted.emit(
                self.key_name(self.rows[self.key_cursor[0]][self.key_cursor[1]])
            )

    def key_name(self, button: KeyButton) -> str:
        """A key as said aloud: its character, or what an action key is called."""
        key = button.key
        if key.action is None:
            return key.char
        return button.text().replace("&&", "&")

    def _keep_cursor(self) -> None:
        """After a layer or shift change, the cursor stays where it was, within the new keys."""
        if self.key_cursor is None:
            return
        row = min(self.key_cursor[0], len(self.rows) - 1)
        column = min(self.key_cursor[1], len(self.rows[row]) - 1)
        self.key_cursor = (row, column)
        button = self.rows[row][column]
        button.setProperty("cursor", True)
        button.style().polish(button)

    def press(self, key: Key) -> None:
        """What a tap on `key` (or Enter on the highlighted key) does."""
        self._press(key)
        self._keep_cursor()

    def _press(self, key: Key) -> None:
        action = key.action
        if action is None:
            self._type(key.char)
            self.typed.emit(self._composer.preedit or key.char)
            if self.shifted:
                self._set_layer(self.layer, shifted=False)
        elif action == Action.SPACE:
            self._type(" ")
            self.typed.emit(text("easy.typed_space", self._language))
        elif action == Action.BACKSPACE:
            self._send(self._composer.backspace())
            self.typed.emit(text("easy.deleted", self._language))
        elif action == Action.SHIFT:
            self._set_layer(self.layer, shifted=not self.shifted)
        elif action == Action.LANGUAGE:
            self._send(Edit(self._composer.commit(), ""))
            current = LANGUAGE_LAYERS.index(self._language_layer)
            self._set_layer(LANGUAGE_LAYERS[(current + 1) % len(LANGUAGE_LAYERS)], shifted=False)
        elif action == Action.SYMBOLS:
            self._send(Edit(self._composer.commit(), ""))
            if self.layer == "symbols":
                self._set_layer(self._previous_language_layer, shifted=False)
            else:
                self._previous_language_layer = self.layer
                self._set_layer("symbols", shifted=False)
        elif action == Action.DONE:
            self.done()

    def done(self) -> None:
        """Commit what is composed and put the keyboard away."""
        target = self._target
        self.commit()
        if target is not None:
            target.clearFocus()
        self._detach()

    def commit(self) -> None:
        """Turn the preedit into text in the field (a focus change or 'done' does this)."""
        if self._composer.preedit:
            self._send(Edit(self._composer.commit(), ""))

    def _type(self, char: str) -> None:
        self._send(self._composer.press(char))

    def _set_layer(self, layer: str, shifted: bool) -> None:
        rebuild = layer != self.layer or not self.rows
        if rebuild and self.key_cursor is not None:
            # The highlight stays with the place, not with a key of the layer put away.
            row, column = self.key_cursor
            if row < len(self.rows) and column < len(self.rows[row]):
                button = self.rows[row][column]
                button.setProperty("cursor", False)
                button.style().polish(button)
        self.layer, self.shifted = layer, shifted
        if rebuild:
            self._build()
        else:
            self._label()

    def _send(self, edit: Edit) -> None:
        """Apply one key's effect to the target as input-method events any Qt text field takes."""
        target = self._target
        if target is None:
            self._composer.reset()
            return
        for _ in range(edit.delete_before):
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    target, QKeyEvent(kind, Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier)
                )
        if edit.commit or edit.preedit or not edit.delete_before:
            underline = QTextCharFormat()
            underline.setFontUnderline(True)
            length = len(edit.preedit)
            attributes = [
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat, 0, length, underline
                ),
                QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, length, 1),
            ]
            event = QInputMethodEvent(edit.preedit, attributes)
            event.setCommitString(edit.commit)
            QApplication.sendEvent(target, event)

    # -- following the focus -------------------------------------------------------------------
    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is not None and old is self._target:
            if old.isVisible() and new is not None:
                self.commit()
            else:
                # The field or its window is going away (a reset, a new screen, shutdown):
                # nothing more is typed into it.
                self._composer.reset()
        if is_text_field(new) and new is not None and self._window.isAncestorOf(new):
            self._attach(new)
        elif new is not None or (old is self._target and old is not None):
            self._detach()

    def _attach(self, field: QWidget) -> None:
        self._target = field
        if not self.isVisible():
            # First, so that others make room before the window lays the keys out.
            self.shown.emit(True)
            self.show()
        # After the window's layout made room for the keyboard, bring the field into view.
        QTimer.singleShot(0, lambda: self._reveal(field))

    def _detach(self) -> None:
        self._composer.reset()
        self._target = None
        self.clear_cursor()
        if self.isVisible():
            self.hide()
            self.shown.emit(False)

    def _reveal(self, field: QWidget) -> None:
        if self._target is not field:
            return
        parent = field.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(field, 0, 0)
                return
            parent = parent.parentWidget()
