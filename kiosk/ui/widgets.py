"""Small building blocks shared by the screens: labelled widgets with a theme role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QIcon,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from kiosk.i18n.texts import text
from kiosk.ui.icons import icon_pixmap, themed_icon
from kiosk.ui.theme import GAP_MM, Space, Theme

if TYPE_CHECKING:  # the attract screen paints before the visit's modules are imported
    from kiosk.visit.view import SessionView

# An icon is drawn at this share of its button's font size (the theme's ICON_MM over BODY).
ICON_TO_FONT = 1.0


def take_widgets(layout: QLayout) -> list[QWidget]:
    """Empty `layout`, returning its widgets (and those of layouts nested in it) in order; the
    widgets are neither hidden nor deleted. The layout's own items (stretches, spacers, the item
    wrapping each widget, nested layouts) are deleted: PySide does not take ownership of what
    takeAt() returns, so an item only dropped is never freed (a leak at each refill)."""
    widgets: list[QWidget] = []
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widgets.append(widget)
        elif inner is not None:
            widgets.extend(take_widgets(inner))
        # The item only: a widget item does not delete its widget; a nested layout is empty now.
        Shiboken.delete(inner if inner is not None else item)
    return widgets


def page_layout(page: QWidget, theme: Theme, spacing_mm: float = Space.M) -> QVBoxLayout:
    """The column every visit page is laid out in, with the theme's margins."""
    layout = QVBoxLayout(page)
    margin = theme.margin_px
    layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
    layout.setSpacing(theme.mm(spacing_mm))
    return layout


class ReadingZone(QWidget):
    """The part of a page above the reach line (120 cm): only what is read goes here.

    On a portrait panel its height reaches down to the reach line, so everything laid out after
    it (answers, buttons, scroll bars) is within reach; on a landscape panel, where the whole
    panel is within reach, it is only as tall as its text.
    """

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("readingZone")
        self._theme = theme
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(theme.mm(Space.S))
        self._watched: QWidget | None = None
        self._pending = False

    def _deferred_reserve(self) -> None:
        self._pending = False
        self._reserve()

    def reserved_px(self) -> int:
        """The height that brings this zone's bottom edge down to the reach line."""
        window = self.window()
        if window is self or self._theme.reach_share >= 1.0:
            return 0
        reach_top = round(window.height() * (1 - self._theme.reach_share))
        top = self.mapTo(window, QPoint(0, 0)).y()
        return max(0, reach_top - top)

    def _reserve(self) -> None:
        """An explicit minimum height down to the reach line (layouts always honour it).

        Never more than the window has to spare: a header or banner appearing above takes its
        room from this zone's reserve, never by making the window grow.
        """
        # The text's own height is the layout's business (height for width); this is a floor.
        height = self.reserved_px()
        window = self.window()
        outer = window.layout() if window is not self else None
        if outer is not None:
            spare = window.height() - outer.totalMinimumSize().height()
            height = min(height, max(0, self.minimumHeight() + spare))
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched and window is not self:
            window.installEventFilter(self)
            self._watched = window
        self._reserve()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._reserve()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The zone's place in the window moves when a header or banner above it comes or goes.
        # Only the page on show cares (every visit page has a zone); a page coming on show
        # reserves its room in showEvent.
        if (
            watched is self._watched
            and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest)
            and self.isVisible()
        ):
            self._reserve()  # now, before the window lays out: give back what is not there
            if not self._pending and self.isVisible():
                self._pending = True  # and once laid out, from where it now sits
                QTimer.singleShot(0, self, self._deferred_reserve)
        return False


class Zones:
    """A visit page in three parts: reading (above the reach line), action, and the bottom row.

    Landscape pages put reading and action side by side, so the answers use the panel's width.
    """

    def __init__(self, page: QWidget, theme: Theme, spacing_mm: float = Space.M) -> None:
        self.outer = page_layout(page, theme, spacing_mm)
        self.zone = ReadingZone(theme)
        self.reading = self.zone.column
        self.split = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.split.setSpacing(theme.mm(spacing_mm))
        action_box = QWidget()
        self.action = QVBoxLayout(action_box)
        self.action.setContentsMargins(0, 0, 0, 0)
        self.action.setSpacing(theme.mm(spacing_mm))
        self.split.addWidget(self.zone, 0)
        self.split.addWidget(action_box, 1)
        self.outer.addLayout(self.split, 1)
        self.bottom = QVBoxLayout()
        self.bottom.setSpacing(theme.mm(spacing_mm))
        self.outer.addLayout(self.bottom)
        self._page = page
        self._beside_answers: list[tuple[QWidget, int]] = []
        self._arranged: list[Callable[[bool], None]] = []
        self._filter = _SideBySide(self)
        page.installEventFilter(self._filter)

    def beside_answers(self, widget: QWidget) -> None:
        """A widget of the reading column that moves to the top of the action column when the
        two sit side by side: read with the answers, it leaves them the height they need."""
        self._beside_answers.append((widget, self.reading.indexOf(widget)))

    def when_arranged(self, callback: Callable[[bool], None]) -> None:
        """Call `callback(wide)` whenever the columns change between stacked and side by side."""
        self._arranged.append(callback)

    def arrange(self, width: int, height: int) -> None:
        wide = width > height * 1.2
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.split.direction() != direction:
            self.split.setDirection(direction)
            self.split.setStretch(0, 1 if wide else 0)
            self.split.setStretch(1, 1)
            for order, (widget, index) in enumerate(self._beside_answers):
                self.reading.removeWidget(widget)
                self.action.removeWidget(widget)
                if wide:
                    self.action.insertWidget(order, widget)
                else:
                    self.reading.insertWidget(index, widget)
            for callback in self._arranged:
                callback(wide)


class _SideBySide(QObject):
    def __init__(self, zones: Zones) -> None:
        super().__init__(zones._page)
        self._zones = zones

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            # The panel's orientation, not the page's: a keyboard makes a portrait page wide.
            size = watched.window().size()  # type: ignore[attr-defined]
            self._zones.arrange(size.width(), size.height())
        return False


class ScrollPane(QScrollArea):
    """A scroll area for fingers: kinetic drag scrolling, a wide bar, and a 'more below' cue.

    Its scroll bar runs only along the part of the pane within reach (at most 120 cm above the
    floor): a pane that starts high on a portrait panel is read at the top and scrolled low.
    """

    def __init__(self, theme: Theme, content: QWidget | None = None) -> None:
        super().__init__()
        self._theme = theme
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if content is not None:
            self.setWidget(content)
        # A finger drags the content; the touch screen delivers touch events to the viewport.
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.bar = QScrollBar(Qt.Orientation.Vertical, self)
        self.bar.setObjectName("reachScrollBar")
        self.bar.hide()
        inner = self.verticalScrollBar()
        self._placing = False
        inner.rangeChanged.connect(lambda _low, _high: self._place())
        inner.valueChanged.connect(self.bar.setValue)
        self.bar.valueChanged.connect(inner.setValue)
        self.more = make_label("more", wrap=False, name="moreBelow")
        self.more.setParent(self)
        self.more.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.more.setAutoFillBackground(True)
        self.more.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.more.hide()
        inner.valueChanged.connect(lambda _value: self._place())

    def set_language(self, language: str) -> None:
        self.more.setText(f"▼ {text('scroll.more', language)}")
        self._place()

    def _reach_top(self) -> int:
        """The first row of this pane within reach, in the pane's coordinates."""
        window = self.window()
        if self._theme.reach_share >= 1.0 or window is self:
            return 0
        reach_y = round(window.height() * (1 - self._theme.reach_share))
        return max(0, reach_y - self.mapTo(window, QPoint(0, 0)).y())

    def _place(self) -> None:
        """Follow the hidden built-in bar: range, steps, value; then put the bar within reach."""
        if self._placing:
            return  # new margins re-range the built-in bar: settled by the loop below
        self._placing = True
        try:
            inner, width = self.verticalScrollBar(), self.bar.sizeHint().width()
            for _ in range(3):
                scrolls = inner.maximum() > inner.minimum()
                below = scrolls and inner.value() < inner.maximum() and bool(self.more.text())
                # The cue gets its own strip under the content, so it never hides any of it.
                cue = self.more.sizeHint().height() if below else 0
                side = width + self._theme.mm(GAP_MM) if scrolls else 0
                self.setViewportMargins(0, 0, side, cue)
                if scrolls == (inner.maximum() > inner.minimum()):
                    break
            self.bar.setRange(inner.minimum(), inner.maximum())
            self.bar.setPageStep(inner.pageStep())
            self.bar.setSingleStep(inner.singleStep())
            self.bar.setValue(inner.value())
        finally:
            self._placing = False
        top = self._reach_top()
        # A pane entirely above the reach line scrolls by dragging, with its 'more below' cue.
        reachable = self.height() - top >= 3 * width
        self.bar.setGeometry(self.width() - width, top, width, max(0, self.height() - top))
        self.bar.setVisible(scrolls and reachable)
        self._update_cue()

    def _update_cue(self) -> None:
        bar = self.verticalScrollBar()
        below = bar.maximum() > 0 and bar.value() < bar.maximum()
        self.more.setVisible(below and bool(self.more.text()))
        viewport = self.viewport().geometry()
        height = self.more.sizeHint().height()
        self.more.setGeometry(viewport.left(), viewport.bottom() + 1, viewport.width(), height)
        self.more.raise_()

    def minimumSizeHint(self) -> QSize:
        # A pane can be as short as one touch target: its content scrolls, the screen must not.
        return QSize(self._theme.touch_px, self._theme.touch_px)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def moveEvent(self, event: QMoveEvent) -> None:
        super().moveEvent(event)
        self._place()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:
            self._place()  # easy mode widens the bar


class IconLabel(QLabel):
    """A picture from the icon set, drawn in the text colour at a multiple of the text size.

    It follows the style: easy mode's larger text and high-contrast colours redraw it.
    """

    def __init__(self, name: str, scale: float = 1.5) -> None:
        super().__init__()
        self._name, self._scale = name, scale
        self._key: tuple[object, ...] = ()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_icon_name(self, name: str) -> None:
        self._name = name
        self._redraw()

    def _redraw(self) -> None:
        size = max(1, round(self.fontInfo().pixelSize() * self._scale))
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        key = (self._name, size, colour)
        if key != self._key and self._name:
            self._key = key
            self.setPixmap(icon_pixmap(self._name, colour, size))
            self.setFixedSize(size, size)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.PaletteChange,
        ):
            self._redraw()


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
        self._icon_name = ""
        self._checked_icon = False
        self._icon_scale = 1.0
        self._heights: dict[tuple[object, ...], int] = {}
        self._frames: dict[tuple[object, ...], int] = {}
        self._icon_key: tuple[object, ...] = ()
        self._wrap_stale = False  # a font or style change arrived while hidden
        # Minimum, not Fixed: a layout caps a Fixed widget at its one-line height.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.corner_check = False
        self.toggled.connect(lambda _on: self.updateGeometry())  # a chosen answer's outline

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

    def set_icon_name(
        self, name: str, check_when_checked: bool = False, scale: float = 1.0
    ) -> None:
        """Show a kiosk icon before the text, in the text's colour, scaled with the text.

        With `check_when_checked` a check mark takes the icon's place while the button is checked,
        so a chosen answer is marked by a shape, not by colour alone.
        """
        if (name, check_when_checked, scale) == (
            self._icon_name,
            self._checked_icon,
            self._icon_scale,
        ):
            return  # a refilled button keeps its drawing
        had_icon = bool(self._icon_name)
        self._icon_name, self._checked_icon = name, check_when_checked
        self._icon_scale = scale
        self._icon_key = ()
        if not name and had_icon:
            self.setIcon(QIcon())
            self.updateGeometry()
        self._refresh_icon()

    def _refresh_icon(self) -> None:
        if not self._icon_name:
            return
        size = max(1, round(self.fontInfo().pixelSize() * ICON_TO_FONT * self._icon_scale))
        colour = self.palette().color(QPalette.ColorRole.ButtonText).name()
        key = (self._icon_name, colour, size, self._checked_icon)
        if key == self._icon_key:
            return
        self._icon_key = key
        ratio = max(1, round(self.devicePixelRatioF()))
        checked = colour if self._checked_icon else ""
        self.setIcon(themed_icon(self._icon_name, colour, size * ratio, checked))
        self.setIconSize(QSize(size, size))
        self.updateGeometry()

    def _icon_extent(self) -> QSize:
        if self.icon().isNull():
            return QSize(0, 0)
        size = self.iconSize()
        return QSize(size.width() + self.fontMetrics().horizontalAdvance(" "), size.height())

    def _size_for(self, lines: list[str]) -> QSize:
        """The button's size around these lines: the style adds padding, border and min-height."""
        metrics = self.fontMetrics()
        icon = self._icon_extent()
        content = QSize(
            max((metrics.horizontalAdvance(line) for line in lines), default=0) + icon.width(),
            max(metrics.lineSpacing() * max(len(lines), 1), icon.height()),
        )
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, content, self
        )

    def _text_width(self, width: int) -> int:
        # The padding, border and icon around the text: remembered per state, like the heights.
        key = (self._icon_key, self.isChecked(), self.hasFocus())
        frame = self._frames.get(key)
        if frame is None:
            frame = self._frames[key] = self._size_for([""]).width()
        return width - frame

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
        # Layouts ask this many times per pass: remembered per state until the style changes.
        # The font is not in the key: a font or style change clears what is remembered.
        key = (width, self._full, self._icon_key, self.isChecked(), self.hasFocus())
        found = self._heights.get(key)
        if found is None:
            found = self._size_for(self._lines(self._text_width(width))).height()
            if len(self._heights) > 64:
                self._heights.clear()
            self._heights[key] = found
        # At least the height asked for with setMinimumHeight (answers are taller than buttons).
        return max(found, self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rewrap(event.size().width())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.corner_check and self.isChecked():
            # A check mark in the corner, for buttons too narrow to give it room beside the text.
            size = round(self.fontInfo().pixelSize() * 0.7)
            colour = self.palette().color(QPalette.ColorRole.ButtonText).name()
            inset = round(size * 0.35)
            painter = QPainter(self)
            painter.drawPixmap(
                self.width() - size - inset, inset, icon_pixmap("check", colour, size)
            )
            painter.end()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.updateGeometry()  # the focus frame is thicker than the border

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.PaletteChange,
        ):
            self._heights.clear()
            self._frames.clear()
            self._refresh_icon()
            if self.isVisible():
                self._rewrap(self.width())
            else:  # hidden (a page not on show): rewrapped once, when shown (startup: -70 ms)
                self._wrap_stale = True
            self.updateGeometry()  # the same words take another size in another font

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._wrap_stale:
            self._wrap_stale = False
            self._rewrap(self.width())


def make_button(
    role: str = "", name: str = "", checkable: bool = False, icon: str = "", icon_scale: float = 1.0
) -> WrappingButton:
    button = WrappingButton()
    if icon:
        button.set_icon_name(icon, check_when_checked=checkable, scale=icon_scale)
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if role:
        button.setProperty("role", role)
    if name:
        button.setObjectName(name)
    return button


class TopBar(QWidget):
    """The visit's own controls (start over, language, easy mode), low on every visit screen.

    Named for where it used to be; it now sits at the bottom, within reach, three equal buttons.
    """

    restart_requested = Signal()
    language_switched = Signal(str)
    easy_mode_toggled = Signal(bool)

    def __init__(self, theme: Theme | None = None) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if theme is not None:
            layout.setSpacing(theme.mm(Space.M))
        self.restart = make_button(name="restartButton", icon="home")
        self.language = make_button(name="languageButton", icon="language")
        self.easy = make_button(name="easyModeButton", checkable=True, icon="easy")
        for button in (self.restart, self.language, self.easy):
            layout.addWidget(button, 1)
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


def overlay_card(
    overlay: QWidget, theme: Theme, spacing_px: int, above: int = 1, below: int = 0
) -> QVBoxLayout:
    """Lay `overlay` out as a veil over the window with one card low on it, within reach of the
    hand that tapped (stretch `above` and `below` the card); the card's own layout, to fill."""
    overlay.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    outer = QVBoxLayout(overlay)
    margin = theme.margin_px
    outer.setContentsMargins(margin, margin, margin, margin)
    card = QFrame()
    card.setProperty("role", "card")
    inner = QVBoxLayout(card)
    inner.setContentsMargins(margin, margin, margin, margin)
    inner.setSpacing(spacing_px)
    outer.addStretch(above)
    outer.addWidget(card)
    if below:
        outer.addStretch(below)
    return inner
