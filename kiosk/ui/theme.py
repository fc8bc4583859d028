"""Design tokens and the style sheet: KRDS colours, spacing, radii and type in millimetres.

Every size a visitor screen uses is declared here once, in millimetres on the configured panel, and
turned into pixels by `Theme.mm`; screens ask the theme and never write a pixel size of their own.
The colours are the KRDS (Korean government design system) primitives, with its high-contrast set
for easy mode; the type scale starts at 12 mm, the barrier-free kiosk criteria's smallest text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

# The bundled typeface (KRDS's standard, OFL), then what Debian's fonts-nanum provides.
BRAND_FAMILY = "Pretendard GOV"
KOREAN_FAMILIES = ("NanumBarunGothic", "NanumGothic", "Noto Sans CJK KR", "Noto Sans KR")
FONT_FILES = ("PretendardGOV-Regular.woff", "PretendardGOV-Bold.woff")


def assets_dir() -> Path:
    """kiosk/assets, also inside an installed wheel (declared as package data)."""
    return Path(str(files("kiosk") / "assets"))


class Krds:
    """KRDS colour primitives used by the kiosk (the ones it needs, by their KRDS names)."""

    GRAY_0 = "#FFFFFF"
    GRAY_5 = "#F4F5F6"
    GRAY_10 = "#E6E8EA"
    GRAY_50 = "#6D7882"
    GRAY_60 = "#58616A"
    GRAY_70 = "#464C53"
    GRAY_90 = "#1E2124"
    GRAY_100 = "#000000"
    PRIMARY_5 = "#ECF2FE"
    PRIMARY_10 = "#D8E5FD"
    PRIMARY_20 = "#B1CEFB"
    PRIMARY_60 = "#0B50D0"
    PRIMARY_70 = "#083891"
    SECONDARY_70 = "#063A74"
    SECONDARY_80 = "#052B57"
    DANGER_60 = "#BD2C0F"
    WARNING_20 = "#FFE0A3"
    POINT_YELLOW = "#FFD400"
    HC_BLUE = "#9BC0FF"
    HC_CYAN = "#7FE8FF"
    HC_RED = "#FF9E9E"
    HC_GREEN = "#7CFFA8"


@dataclass(frozen=True)
class Palette:
    """Colours of one theme, by role; every text pair is checked for contrast by tests."""

    background: str = Krds.GRAY_5
    surface: str = Krds.GRAY_0
    header: str = Krds.SECONDARY_80
    on_header: str = Krds.GRAY_0
    text: str = Krds.GRAY_90
    muted: str = Krds.GRAY_70
    placeholder: str = Krds.GRAY_60
    primary: str = Krds.PRIMARY_60
    primary_pressed: str = Krds.PRIMARY_70
    on_primary: str = Krds.GRAY_0
    # A chosen answer: tinted surface, thick outline and a check mark; never the call to action.
    selected: str = Krds.PRIMARY_5
    selected_border: str = Krds.PRIMARY_70
    on_selected: str = Krds.GRAY_90
    border: str = Krds.GRAY_50
    error: str = Krds.DANGER_60
    focus: str = Krds.SECONDARY_70
    notice: str = Krds.SECONDARY_70
    overlay: str = "rgba(5, 20, 45, 200)"


# KRDS high-contrast set (easy mode): light on black, every text pair at least 7:1 (tests check).
HIGH_CONTRAST = Palette(
    background=Krds.GRAY_100,
    surface=Krds.GRAY_100,
    header=Krds.GRAY_100,
    on_header=Krds.GRAY_0,
    text=Krds.GRAY_0,
    muted=Krds.GRAY_0,
    placeholder=Krds.GRAY_10,
    primary=Krds.POINT_YELLOW,
    primary_pressed=Krds.WARNING_20,
    on_primary=Krds.GRAY_100,
    selected=Krds.GRAY_100,
    selected_border=Krds.HC_CYAN,
    on_selected=Krds.GRAY_0,
    border=Krds.GRAY_0,
    error=Krds.HC_RED,
    focus=Krds.HC_GREEN,
    notice=Krds.HC_BLUE,
    overlay="rgba(0, 0, 0, 235)",
)


class Space:
    """KRDS spacing scale (its 4-8-16-… steps), in millimetres on a kiosk panel."""

    XS = 1.5
    S = 3.0
    M = 5.0
    L = 8.0
    XL = 12.0
    XXL = 16.0


class Radius:
    """KRDS corner radii, in millimetres."""

    S = 1.5
    M = 3.0
    L = 5.0


class Type:
    """Type scale in millimetres of font size: nothing a visitor reads is under 12 mm."""

    MIN = 12.0  # the criteria's smallest text on a panel over 28 cm diagonal
    BODY = 12.0
    LEAD = 13.5
    TITLE = 15.0
    HERO = 19.0
    HEADER = 12.0


# Touch: targets at least 15 mm on the short side, 2 mm apart; the kiosk keeps a margin over both.
TARGET_MM = 20.0
BIG_TARGET_MM = 26.0
ANSWER_MM = 28.0
GAP_MM = Space.S
ICON_MM = 9.0
BORDER_MM = 0.8
SELECTED_BORDER_MM = 1.6
FOCUS_MM = 1.6
SCROLL_BAR_MM = 16.0


@dataclass(frozen=True)
class Theme:
    """Sizes in pixels derived from millimetres on the configured panel.

    `reach_share` is the lower share of the panel within reach (at most 120 cm above the floor):
    screens lay out what is read above it and what is touched within it.
    """

    px_per_mm: float
    palette: Palette = Palette()
    scale: float = 1.0
    reach_share: float = 1.0

    @classmethod
    def for_screen(cls, width_px: int, width_mm: float, reach_share: float = 1.0) -> Theme:
        return cls(px_per_mm=width_px / width_mm, reach_share=reach_share)

    @property
    def easy_mode(self) -> bool:
        return self.scale > 1.0

    def easy(self, scale: float = 2.0) -> Theme:
        """The easy-mode theme: everything scaled (200% by default) in high contrast."""
        return replace(self, palette=HIGH_CONTRAST, scale=scale)

    def mm(self, millimetres: float) -> int:
        # Rounded before scaling, so easy mode's sizes are exactly twice the normal ones.
        return round(round(millimetres * self.px_per_mm) * self.scale)

    @property
    def text_px(self) -> int:
        return self.mm(Type.BODY)

    @property
    def small_px(self) -> int:
        """Secondary text: the same size as body text (it is never smaller than 12 mm)."""
        return self.mm(Type.MIN)

    @property
    def lead_px(self) -> int:
        return self.mm(Type.LEAD)

    @property
    def title_px(self) -> int:
        return self.mm(Type.TITLE)

    @property
    def hero_px(self) -> int:
        return self.mm(Type.HERO)

    @property
    def touch_px(self) -> int:
        """Minimum height of a touch target."""
        return self.mm(TARGET_MM)

    @property
    def big_touch_px(self) -> int:
        return self.mm(BIG_TARGET_MM)

    @property
    def answer_px(self) -> int:
        """Height of an answer button: the biggest targets, as they are what a visit is for."""
        return self.mm(ANSWER_MM)

    @property
    def icon_px(self) -> int:
        return self.mm(ICON_MM)

    @property
    def gap_px(self) -> int:
        return self.mm(GAP_MM)

    @property
    def margin_px(self) -> int:
        return self.mm(Space.L)

    def style_sheet(self) -> str:
        p = self.palette
        border, chosen, focus = self.mm(BORDER_MM), self.mm(SELECTED_BORDER_MM), self.mm(FOCUS_MM)
        pad_v, pad_h = self.mm(Space.S), self.mm(Space.M)
        # A chosen answer keeps its padding box: the thicker outline eats into the padding.
        chosen_pad_v, chosen_pad_h = pad_v - (chosen - border), pad_h - (chosen - border)
        bar = self.mm(SCROLL_BAR_MM)
        return f"""
        QWidget {{ background: {p.background}; color: {p.text}; font-size: {self.text_px}px; }}
        QLabel {{ background: transparent; }}
        QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; }}
        QLabel[role="lead"] {{ font-size: {self.lead_px}px; }}
        QLabel[role="hero"] {{ font-size: {self.hero_px}px; font-weight: bold; color: {p.primary}; }}
        QLabel[role="muted"] {{ color: {p.muted}; font-size: {self.small_px}px; }}
        QLabel[role="error"] {{ color: {p.error}; font-weight: bold; }}
        QLabel[role="notice"] {{ color: {p.notice}; font-weight: bold; }}
        QLabel[role="more"] {{ color: {p.notice}; font-weight: bold; }}
        QWidget#ministryHeader {{ background: {p.header}; border-bottom: {border}px solid {p.border}; }}
        QLabel#ministryName {{ color: {p.on_header}; font-weight: bold; }}
        QPushButton {{
            background: {p.surface}; color: {p.text}; border: {border}px solid {p.border};
            border-radius: {self.mm(Radius.M)}px; padding: {pad_v}px {pad_h}px;
            min-height: {self.touch_px}px; font-size: {self.text_px}px;
        }}
        QPushButton:pressed {{ background: {p.selected}; }}
        QPushButton:focus {{ outline: none; }}
        QPushButton[role="primary"] {{
            background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
            font-weight: bold;
        }}
        QPushButton[role="primary"]:pressed {{ background: {p.primary_pressed}; }}
        QPushButton[big="true"] {{ font-size: {self.title_px}px; }}
        QPushButton:checked {{
            background: {p.selected}; color: {p.on_selected}; border: {chosen}px solid
            {p.selected_border}; padding: {chosen_pad_v}px {chosen_pad_h}px; font-weight: bold;
        }}
        QPushButton[role="tile"] {{ text-align: left; padding: {self.mm(Space.M)}px; }}
        QPushButton[role="option"] {{ text-align: left; font-size: {self.lead_px}px; }}
        QLabel[role="question"] {{ font-size: {self.lead_px}px; font-weight: bold; }}
        QPushButton[role="link"] {{ border: {border}px solid {p.border}; background: {p.surface};
            color: {p.notice}; text-decoration: underline; }}
        QPushButton[role="bar"] {{ font-size: {self.text_px}px; }}
        QPlainTextEdit, QLineEdit {{
            background: {p.surface}; color: {p.text}; border: {border}px solid {p.border};
            placeholder-text-color: {p.placeholder};
            border-radius: {self.mm(Radius.S)}px; padding: {self.mm(Space.S)}px;
        }}
        QLineEdit {{ min-height: {self.touch_px}px; }}
        QPlainTextEdit:focus, QLineEdit:focus {{ border: {focus}px solid {p.focus}; }}
        QProgressBar {{ background: {p.surface}; border: {border}px solid {p.border};
            border-radius: {self.mm(Radius.S)}px; max-height: {self.mm(Space.S)}px; }}
        QProgressBar::chunk {{ background: {p.primary}; }}
        QScrollArea {{ border: none; }}
        QScrollBar:vertical {{ background: {p.surface}; width: {bar}px; border: {border}px solid
            {p.border}; border-radius: {self.mm(Radius.S)}px; margin: 0; }}
        QScrollBar::handle:vertical {{ background: {p.muted}; min-height: {bar}px;
            border-radius: {self.mm(Radius.S)}px; margin: {self.mm(Space.XS)}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
        QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
        QFrame[role="card"] {{ background: {p.surface}; border: {border}px solid {p.border};
            border-radius: {self.mm(Radius.L)}px; }}
        QWidget#idleOverlay {{ background: {p.overlay}; }}
        """


def load_fonts() -> str | None:
    """Register the bundled Pretendard GOV faces; its family name, or None if none loaded."""
    loaded = None
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(assets_dir() / "fonts" / name))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        loaded = loaded or (families[0] if families else None)
    return loaded


def korean_font_family() -> str | None:
    """The first installed family that has Korean glyphs, or None (Hangul would show as boxes)."""
    installed = set(QFontDatabase.families())
    for family in (BRAND_FAMILY, *KOREAN_FAMILIES):
        if family in installed:
            return family
    for family in QFontDatabase.families(QFontDatabase.WritingSystem.Korean):
        return family
    return None


def application_font(theme: Theme) -> QFont:
    """The bundled face first; Nanum for any syllable the bundled (KS X 1001) subset lacks."""
    font = QFont()
    family = korean_font_family()
    if family:
        font.setFamilies(list(dict.fromkeys([family, *KOREAN_FAMILIES])))
    font.setPixelSize(theme.text_px)
    return font


def apply_theme(
    qt: QApplication, width_px: int, width_mm: float, reach_share: float = 1.0
) -> Theme:
    """The theme for the panel, applied to the whole application (once: re-polishing is costly)."""
    theme = Theme.for_screen(width_px, width_mm, reach_share)
    sheet = theme.style_sheet()
    if qt.styleSheet() != sheet:
        if BRAND_FAMILY not in QFontDatabase.families():
            load_fonts()
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
