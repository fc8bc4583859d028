"""Small building blocks shared by the screens: labelled widgets with a theme role."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import text
from kiosk.ui.theme import Theme
from kiosk.visit.flow import SessionView


def page_layout(page: QWidget, theme: Theme, spacing_mm: float = 5) -> QVBoxLayout:
    """The column every visit page is laid out in: side margins, a thinner one under the top bar."""
    layout = QVBoxLayout(page)
    margin = theme.margin_px
    layout.setContentsMargins(margin, margin // 2, margin, margin)
    layout.setSpacing(theme.mm(spacing_mm))
    return layout


def make_label(role: str = "", wrap: bool = True, name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    if name:
        label.setObjectName(name)
    return label


class WrappingButton(QPushButton):
    """A push button whose text wraps at spaces to fit its width, so large text reflows."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""
        # Minimum, not Fixed: a layout caps a Fixed widget at its one-line height.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        """The text as given; what is drawn may have line breaks added."""
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._rewrap(self.width())

    def _lines(self, width: int) -> list[str]:
        """Greedy word wrap of each given line to `width` pixels of text."""
        metrics = self.fontMetrics()
        lines: list[str] = []
        for given in self._full.split("\n"):
            line = ""
            for word in given.split(" "):
                candidate = f"{line} {word}" if line else word
                if line and metrics.horizontalAdvance(candidate) > width:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        return lines

    def _size_for(self, lines: list[str]) -> QSize:
        """The button's size around these lines: the style adds padding, border and min-height."""
        metrics = self.fontMetrics()
        content = QSize(
            max((metrics.horizontalAdvance(line) for line in lines), default=0),
            metrics.lineSpacing() * max(len(lines), 1),
        )
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, content, self
        )

    def _text_width(self, width: int) -> int:
        return width - self._size_for([""]).width()

    def _rewrap(self, width: int) -> None:
        wrapped = "\n".join(self._lines(self._text_width(width))) if width > 0 else self._full
        if wrapped != super().text():
            super().setText(wrapped)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._size_for(self._full.split("\n"))

    def minimumSizeHint(self) -> QSize:
        words = self._full.replace("\n", " ").split(" ")
        widest_word = max(words, key=self.fontMetrics().horizontalAdvance, default="")
        return self._size_for([widest_word])

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._size_for(self._lines(self._text_width(width))).height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rewrap(event.size().width())

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.updateGeometry()  # the focus frame is thicker than the border

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rewrap(self.width())
            self.updateGeometry()  # the same words take another size in another font


def make_button(role: str = "", name: str = "", checkable: bool = False) -> QPushButton:
    button = WrappingButton()
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    return button


class TopBar(QWidget):
    """The strip above every visit screen: start over, and switch language."""

    restart_requested = Signal()
    language_switched = Signal(str)
    easy_mode_toggled = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.restart = make_button(name="restartButton")
        self.language = make_button(name="languageButton")
        self.easy = make_button(name="easyModeButton", checkable=True)
        layout.addWidget(self.restart)
        layout.addStretch(1)
        layout.addWidget(self.easy)
        layout.addWidget(self.language)
        self.easy.clicked.connect(self.easy_mode_toggled)
        self.restart.clicked.connect(self.restart_requested)
        self.language.clicked.connect(self._switch)
        self._other = "en"

    def show_view(self, view: SessionView) -> None:
        self.restart.setText(text("nav.restart", view.language))
        others = [lang for lang in view.languages if lang != view.language]
        self._other = others[0] if others else view.language
        self.language.setText(text("nav.other_language", view.language))
        self.easy.setText(text("easy.button", view.language))
        self.easy.setChecked(view.easy_mode)

    def _switch(self) -> None:
        self.language_switched.emit(self._other)
