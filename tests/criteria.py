"""The barrier-free kiosk criteria measured on live widgets, in millimetres and centimetres.

Shared by the accessibility tests of any screen: build a `Panel` from the kiosk's config, bring a
screen up, then ask `measure(window, panel)` for the figures (or the `*_problems` helpers for a
list of what fails). Nothing here knows about a particular screen.

- reach: every control (button, text box, slider, scroll bar) entirely at or below `REACH_CM`
  from the floor, from the panel's bottom edge height and its physical size;
- targets: every control at least `TARGET_MM` on its short side and `GAP_MM` from the next;
- contrast: every text against the background it is drawn on, both read from the rendered
  window (so style sheets, states such as checked or disabled, and cards all count).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from kiosk.config.settings import KioskConfig
from kiosk.ui.theme import contrast_ratio

REACH_CM = 120.0
TARGET_MM = 15.0
GAP_MM = 2.0
MIN_CONTRAST = 4.5
# Sliders cover scroll bars too.
CONTROLS = (QAbstractButton, QPlainTextEdit, QLineEdit, QAbstractSlider)
TEXTS = (QLabel, QAbstractButton)
# Pixels kept off a button's edge when reading its colours (its border and focus ring).
EDGE_PX = 6


@dataclass(frozen=True)
class Panel:
    """The physical panel the window fills: pixels, visible width and its bottom edge's height."""

    width_px: int
    height_px: int
    width_mm: float
    bottom_cm: float

    @classmethod
    def of(cls, config: KioskConfig) -> Panel:
        display = config.display
        return cls(
            display.width_px,
            display.height_px,
            display.width_mm,
            config.accessibility.panel_bottom_cm,
        )

    @property
    def px_per_mm(self) -> float:
        return self.width_px / self.width_mm

    def mm(self, pixels: float) -> float:
        return pixels / self.px_per_mm

    def floor_cm(self, y_px: float) -> float:
        """Height above the floor of window row `y_px` (0 = the panel's top edge)."""
        return self.bottom_cm + self.mm(self.height_px - y_px) / 10


def describe(widget: QWidget) -> str:
    shown = widget.text() if isinstance(widget, TEXTS) else ""  # type: ignore[union-attr]
    return f"{type(widget).__name__} {widget.objectName()!r} {shown[:30]!r}"


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of the widget on screen: clipped by every ancestor (a scroll area's viewport)."""
    rect = window_rect(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(window_rect(parent, window))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def on_screen(window: QWidget, kinds: tuple[type, ...]) -> list[QWidget]:
    """Widgets of these kinds that are visible now and not scrolled entirely out of view."""
    return [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds) and w.isVisible() and not visible_rect(w, window).isEmpty()
    ]


def reach_problems(window: QWidget, panel: Panel, limit_cm: float = REACH_CM) -> list[str]:
    """Every control whose visible top edge is higher than `limit_cm` above the floor."""
    problems = []
    for widget in on_screen(window, CONTROLS):
        top = panel.floor_cm(visible_rect(widget, window).top())
        if top > limit_cm + 1e-6:
            problems.append(f"{describe(widget)}: top at {top:.1f} cm")
    return problems


def gap_px(a: QRect, b: QRect) -> int:
    """The distance between two rectangles (0 when they touch or overlap)."""
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return max(dx, dy)


def _nested(a: QWidget, b: QWidget) -> bool:
    return a.isAncestorOf(b) or b.isAncestorOf(a)


def target_problems(
    window: QWidget, panel: Panel, min_mm: float = TARGET_MM, gap_mm: float = GAP_MM
) -> list[str]:
    """Controls smaller than `min_mm` on their short side, or closer than `gap_mm` to another."""
    controls = on_screen(window, CONTROLS)
    problems = []
    for widget in controls:
        short = panel.mm(min(widget.width(), widget.height()))
        if short < min_mm - 1e-6:
            problems.append(f"{describe(widget)}: {short:.1f} mm on its short side")
    for a, b in combinations(controls, 2):
        if _nested(a, b):
            continue
        # What is on screen: a control half scrolled out of a pane is not under the one below it.
        gap = panel.mm(gap_px(visible_rect(a, window), visible_rect(b, window)))
        if gap < gap_mm - 1e-6:
            problems.append(f"{describe(a)} and {describe(b)}: {gap:.1f} mm apart")
    return problems


def _colours(image: QImage, rect: QRect) -> Counter[int]:
    """How often each ARGB colour occurs inside `rect` of a 32-bit image."""
    bits = image.constBits()
    words = memoryview(bits).cast("I")  # type: ignore[arg-type]
    per_row = image.bytesPerLine() // 4
    counts: Counter[int] = Counter()
    for y in range(rect.top(), rect.bottom() + 1):
        start = y * per_row
        counts.update(words[start + rect.left() : start + rect.right() + 1])
    return counts


def _hex(argb: int) -> str:
    return f"#{argb & 0xFFFFFF:06X}"


def text_contrast(image: QImage, rect: QRect) -> tuple[float, str, str] | None:
    """(ratio, text colour, background) inside `rect`: the background is the commonest colour,
    the text the colour that differs most from it (the fully covered pixels of the glyphs)."""
    counts = _colours(image, rect)
    if len(counts) < 2:
        return None
    background = _hex(counts.most_common(1)[0][0])
    ratio, foreground = max(
        (contrast_ratio(_hex(colour), background), _hex(colour)) for colour in counts
    )
    return ratio, foreground, background


def _text_rect(widget: QWidget, window: QWidget) -> QRect:
    rect = visible_rect(widget, window)
    if isinstance(widget, QAbstractButton):
        rect = rect.adjusted(EDGE_PX, EDGE_PX, -EDGE_PX, -EDGE_PX)
    return rect


@dataclass
class Figures:
    """What one screen measures: the smallest target, the highest control, the lowest contrast."""

    smallest_target_mm: float = float("inf")
    smallest_target: str = ""
    highest_control_cm: float = 0.0
    highest_control: str = ""
    lowest_contrast: float = float("inf")
    lowest_contrast_text: str = ""
    problems: list[str] = field(default_factory=list)

    def merge(self, other: Figures, where: str) -> None:
        if other.smallest_target_mm < self.smallest_target_mm:
            self.smallest_target_mm = other.smallest_target_mm
            self.smallest_target = f"{where}: {other.smallest_target}"
        if other.highest_control_cm > self.highest_control_cm:
            self.highest_control_cm = other.highest_control_cm
            self.highest_control = f"{where}: {other.highest_control}"
        if other.lowest_contrast < self.lowest_contrast:
            self.lowest_contrast = other.lowest_contrast
            self.lowest_contrast_text = f"{where}: {other.lowest_contrast_text}"
        self.problems += [f"{where}: {problem}" for problem in other.problems]


def contrast_problems(
    window: QWidget, image: QImage, minimum: float = MIN_CONTRAST
) -> tuple[list[tuple[float, str]], list[str]]:
    """Every text's measured contrast, and the texts below `minimum`."""
    measured = []
    problems = []
    for widget in on_screen(window, TEXTS):
        if not widget.text().strip():  # type: ignore[attr-defined]
            continue
        rect = _text_rect(widget, window)
        if rect.isEmpty():
            continue
        found = text_contrast(image, rect)
        if found is None and rect.height() < widget.fontMetrics().height():
            continue  # scrolled almost out of its pane: too little of it shows to hold a glyph
        if found is None:
            problems.append(f"{describe(widget)}: no text drawn")
            continue
        ratio, foreground, background = found
        shown = f"{describe(widget)} {foreground} on {background}"
        measured.append((ratio, shown))
        if ratio < minimum:
            problems.append(f"{shown}: contrast {ratio:.2f}")
    return measured, problems


def measure(window: QWidget, panel: Panel) -> Figures:
    """All three criteria on the window as it is now."""
    figures = Figures()
    for widget in on_screen(window, CONTROLS):
        short = panel.mm(min(widget.width(), widget.height()))
        if short < figures.smallest_target_mm:
            figures.smallest_target_mm, figures.smallest_target = short, describe(widget)
        top = panel.floor_cm(visible_rect(widget, window).top())
        if top > figures.highest_control_cm:
            figures.highest_control_cm, figures.highest_control = top, describe(widget)
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    measured, contrast = contrast_problems(window, image)
    for ratio, shown in measured:
        if ratio < figures.lowest_contrast:
            figures.lowest_contrast, figures.lowest_contrast_text = ratio, shown
    figures.problems = reach_problems(window, panel) + target_problems(window, panel) + contrast
    return figures
