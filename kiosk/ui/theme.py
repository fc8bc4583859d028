"""Colours, sizes in millimetres and the style sheet: one theme object, computed from the screen."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# Families tried in order; fonts-nanum on Debian provides NanumGothic / NanumBarunGothic.
KOREAN_FAMILIES = ("NanumBarunGothic", "NanumGothic", "Noto Sans CJK KR", "Noto Sans KR")


@dataclass(frozen=True)
class Palette:
    """Colours of one theme; contrast is checked by tests, not by eye."""

    background: str = "#F4F6F9"
    surface: str = "#FFFFFF"
    text: str = "#14171C"
    muted: str = "#464C55"
    primary: str = "#0B3D8C"
    on_primary: str = "#FFFFFF"
    selected: str = "#0B3D8C"
    on_selected: str = "#FFFFFF"
    border: str = "#5E6670"
    error: str = "#A8071A"
    focus: str = "#C25E00"
    overlay: str = "rgba(10, 20, 40, 190)"


# Easy mode's palette: light on black, every pair at least 7:1 (WCAG AAA), checked by tests.
HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#FFFFFF",
    primary="#FFE600",
    on_primary="#000000",
    selected="#00E5FF",
    on_selected="#000000",
    border="#FFFFFF",
    error="#FF9E9E",
    focus="#00FF66",
    overlay="rgba(0, 0, 0, 235)",
)


@dataclass(frozen=True)
class Theme:
    """Sizes in pixels derived from millimetres on the configured panel."""

    px_per_mm: float
    palette: Palette = Palette()
    scale: float = 1.0

    @classmethod
    def for_screen(cls, width_px: int, width_mm: float) -> Theme:
        return cls(px_per_mm=width_px / width_mm)

    def easy(self, scale: float = 2.0) -> Theme:
        """The easy-mode theme: everything scaled (200% by default) in high contrast."""
        return replace(self, palette=HIGH_CONTRAST, scale=scale)

    def mm(self, millimetres: float) -> int:
        return round(millimetres * self.px_per_mm * self.scale)

    @property
    def text_px(self) -> int:
        return self.mm(9)

    @property
    def small_px(self) -> int:
        return self.mm(6.5)

    @property
    def title_px(self) -> int:
        return self.mm(14)

    @property
    def hero_px(self) -> int:
        return self.mm(20)

    @property
    def touch_px(self) -> int:
        """Minimum height of a touch target."""
        return self.mm(22)

    @property
    def margin_px(self) -> int:
        return self.mm(12)

    def style_sheet(self) -> str:
        p = self.palette
        return f"""
        QWidget {{ background: {p.background}; color: {p.text}; font-size: {self.text_px}px; }}
        QLabel {{ background: transparent; }}
        QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; }}
        QLabel[role="hero"] {{ font-size: {self.hero_px}px; font-weight: bold; color: {p.primary}; }}
        QLabel[role="muted"] {{ color: {p.muted}; font-size: {self.small_px}px; }}
        QLabel[role="error"] {{ color: {p.error}; font-weight: bold; }}
        QPushButton {{
            background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
            border-radius: {self.mm(3)}px; padding: {self.mm(3)}px {self.mm(6)}px;
            min-height: {self.touch_px}px; font-size: {self.text_px}px;
        }}
        QPushButton:pressed {{ background: {p.primary}; color: {p.on_primary}; }}
        QPushButton:focus {{ border: 5px solid {p.focus}; }}
        QPushButton[role="primary"] {{
            background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
            font-weight: bold;
        }}
        QPushButton[role="primary"]:focus {{ border: 5px solid {p.focus}; }}
        QPushButton[big="true"] {{ font-size: {self.title_px}px; }}
        QPushButton:checked {{
            background: {p.selected}; color: {p.on_selected}; border-color: {p.selected};
            font-weight: bold;
        }}
        QPushButton[role="tile"] {{ text-align: left; padding: {self.mm(6)}px; }}
        QPushButton[role="link"] {{ border: none; background: transparent; color: {p.primary};
            text-decoration: underline; min-height: {self.touch_px}px; }}
        QPlainTextEdit {{
            background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
            border-radius: {self.mm(2)}px; padding: {self.mm(2)}px;
        }}
        QPlainTextEdit:focus {{ border: 5px solid {p.focus}; }}
        QProgressBar {{ background: {p.surface}; border: 2px solid {p.border}; border-radius: 4px;
            max-height: {self.mm(4)}px; }}
        QProgressBar::chunk {{ background: {p.primary}; }}
        QScrollArea {{ border: none; }}
        QFrame[role="card"] {{ background: {p.surface}; border: 3px solid {p.border};
            border-radius: {self.mm(4)}px; }}
        QWidget#idleOverlay {{ background: {p.overlay}; }}
        QLabel[role="notice"] {{ color: {p.primary}; font-weight: bold; }}
        QLineEdit {{
            background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
            border-radius: {self.mm(2)}px; padding: {self.mm(3)}px; min-height: {self.touch_px}px;
        }}
        QLineEdit:focus {{ border: 5px solid {p.focus}; }}
        """


def korean_font_family() -> str | None:
    """The first installed family that has Korean glyphs, or None (Hangul would show as boxes)."""
    installed = set(QFontDatabase.families())
    for family in KOREAN_FAMILIES:
        if family in installed:
            return family
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.Korean):
        return family
    return None


def application_font(theme: Theme) -> QFont:
    font = QFont()
    family = korean_font_family()
    if family:
        font.setFamilies([family, *KOREAN_FAMILIES])
    font.setPixelSize(theme.text_px)
    return font


def apply_theme(qt: QApplication, width_px: int, width_mm: float) -> Theme:
    """The theme for the panel, applied to the whole application (once: re-polishing is costly)."""
    theme = Theme.for_screen(width_px, width_mm)
    sheet = theme.style_sheet()
    if qt.styleSheet() != sheet:
        qt.setFont(application_font(theme))
        qt.setStyleSheet(sheet)
    return theme


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""

    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = []
        for value in (c.redF(), c.greenF(), c.blueF()):
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        r, g, b = channels
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
