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
    """KRDS colour primitives of the standard ("light") set that the kiosk uses, by KRDS name.

    Values from KRDS 1.1.0 (github.com/KRDS-uiux/krds-uiux, resources/css/token/krds_tokens.css,
    `--krds-color-light-*`); tests/unit/test_krds_tokens.py holds the published table.
    """

    GRAY_0 = "#FFFFFF"
    GRAY_5 = "#F4F5F6"
    GRAY_50 = "#6D7882"
    GRAY_60 = "#58616A"
    GRAY_70 = "#464C53"
    GRAY_90 = "#1E2124"
    PRIMARY_5 = "#ECF2FE"
    PRIMARY_60 = "#0B50D0"
    PRIMARY_70 = "#083891"
    SECONDARY_70 = "#063A74"
    SECONDARY_80 = "#052B57"
    DANGER_60 = "#BD2C0F"
    ALPHA_BLACK_75 = "#000000BF"  # CSS order: RRGGBBAA


class KrdsHighContrast:
    """KRDS colour primitives of the high-contrast set (`--krds-color-high-contrast-*`, KRDS
    1.1.0) that easy mode uses; its secondary scale differs from the standard set's."""

    GRAY_0 = "#FFFFFF"
    GRAY_5 = "#F4F5F6"
    GRAY_10 = "#E6E8EA"
    GRAY_20 = "#CDD1D5"
    GRAY_30 = "#B1B8BE"
    GRAY_100 = "#000000"
    PRIMARY_20 = "#B1CEFB"
    PRIMARY_30 = "#86AFF9"
    PRIMARY_95 = "#020F27"
    SECONDARY_20 = "#ABD8E3"
    DANGER_20 = "#F7AFA1"
    WARNING_20 = "#FFC95C"
    ALPHA_BLACK_75 = "#000000BF"


@dataclass(frozen=True)
class Palette:
    """Colours of one theme, by role; every text pair is checked for contrast by tests.

    The roles follow KRDS's semantic tokens (in brackets) where the kiosk has one.
    """

    background: str = Krds.GRAY_5  # [background-gray-subtler]
    surface: str = Krds.GRAY_0  # [surface-white]
    header: str = Krds.SECONDARY_80
    on_header: str = Krds.GRAY_0  # [text-basic-inverse]
    text: str = Krds.GRAY_90  # [text-basic]
    muted: str = Krds.GRAY_70  # [text-subtle]
    placeholder: str = Krds.GRAY_60
    # [button-primary-fill] is primary-50, under 4.5:1 under white text at 12 mm: one step darker.
    primary: str = Krds.PRIMARY_60  # [text-primary]
    primary_pressed: str = Krds.PRIMARY_70
    on_primary: str = Krds.GRAY_0
    # A chosen answer: tinted surface, thick outline and a check mark; never the call to action.
    selected: str = Krds.PRIMARY_5  # [surface-primary-subtler]
    selected_border: str = Krds.PRIMARY_70
    on_selected: str = Krds.GRAY_90
    border: str = Krds.GRAY_50
    error: str = Krds.DANGER_60  # [text-danger]
    focus: str = Krds.SECONDARY_70  # [border-secondary]
    notice: str = Krds.SECONDARY_70
    overlay: str = Krds.ALPHA_BLACK_75


# KRDS high-contrast set (easy mode): light on black, every text pair at least 7:1 (tests check).
HIGH_CONTRAST = Palette(
    background=KrdsHighContrast.GRAY_100,  # [background-white]
    surface=KrdsHighContrast.GRAY_100,  # [surface-white]
    header=KrdsHighContrast.GRAY_100,
    on_header=KrdsHighContrast.GRAY_5,
    text=KrdsHighContrast.GRAY_5,  # [text-basic]
    muted=KrdsHighContrast.GRAY_20,  # [text-subtle]
    placeholder=KrdsHighContrast.GRAY_30,
    # [button-primary-fill] (primary-50) is 4.6:1 under white text, short of 7:1: the call to
    # action is filled with [text-primary] and lettered in black instead.
    primary=KrdsHighContrast.PRIMARY_20,
    primary_pressed=KrdsHighContrast.PRIMARY_30,  # [link-default]
    on_primary=KrdsHighContrast.GRAY_100,
    selected=KrdsHighContrast.PRIMARY_95,  # [surface-primary-subtler]
    selected_border=KrdsHighContrast.PRIMARY_20,
    on_selected=KrdsHighContrast.GRAY_5,
    border=KrdsHighContrast.GRAY_10,  # [border-gray-darker]
    error=KrdsHighContrast.DANGER_20,  # [text-danger]
    focus=KrdsHighContrast.WARNING_20,  # [text-warning]: unlike any fill or outline
    notice=KrdsHighContrast.SECONDARY_20,  # [text-secondary]
    overlay=KrdsHighContrast.ALPHA_BLACK_75,
)


def qss_colour(colour: str) -> str:
    """A KRDS colour for a Qt style sheet: CSS's #RRGGBBAA becomes rgba() (Qt reads #AARRGGBB)."""
    if len(colour) == 9:
        red, green, blue, alpha = (int(colour[i : i + 2], 16) for i in (1, 3, 5, 7))
        return f"rgba({red}, {green}, {blue}, {alpha})"
    return colour


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
    # The question on a question screen: the one thing every visitor must read.
    QUESTION = 17.0


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
# The QR code to the phone forms, quiet zone included: a phone reads it from a step away.
PHONE_QR_MM = 45.0


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
    def question_px(self) -> int:
        """Larger than the lead in normal mode; easy mode doubles the lead instead, as twice the
        question size leaves a landscape panel no room for a long question."""
        return self.mm(Type.LEAD if self.easy_mode else Type.QUESTION)

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
        QPushButton:disabled {{ color: {p.muted}; border-style: dashed; }}
        QPushButton[big="true"] {{ font-size: {self.title_px}px; }}
        QPushButton:checked {{
            background: {p.selected}; color: {p.on_selected}; border: {chosen}px solid
            {p.selected_border}; padding: {chosen_pad_v}px {chosen_pad_h}px; font-weight: bold;
        }}
        QPushButton[role="tile"] {{ text-align: left; padding: {self.mm(Space.M)}px; }}
        QPushButton[role="option"] {{ text-align: left; font-size: {self.lead_px}px; }}
        QLabel[role="question"] {{ font-size: {self.question_px}px; font-weight: bold; }}
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
        QWidget#idleOverlay {{ background: {qss_colour(p.overlay)}; }}
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


def application_font(theme: Theme, family: str | None = None) -> QFont:
    """The bundled face first; Nanum for any syllable the bundled (KS X 1001) subset lacks."""
    font = QFont()
    family = family or korean_font_family()
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
        # Registered once per application; asking the database for every family is slow.
        family = qt.property("kioskFontFamily")
        if not family:
            family = load_fonts() or korean_font_family() or ""
            qt.setProperty("kioskFontFamily", family)
        qt.setFont(application_font(theme, family or None))
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
