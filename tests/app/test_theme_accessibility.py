"""The themes against the kiosk accessibility guideline: contrast and text size, computed from the
theme's colours and from the fonts the real widgets end up with on every screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from kiosk.app.composition import KioskApp
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.screenshots import _keyboard_tour, _tour
from kiosk.ui.speech import SilentSpeaker
from kiosk.ui.theme import HIGH_CONTRAST, Palette, Theme, contrast_ratio
from tests.layout_checks import showing

# Every foreground/background pair the style sheets draw text or a control edge with.
TEXT_PAIRS = [
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("primary", "background"),  # the hero line
    ("primary", "surface"),  # link buttons
    ("on_primary", "primary"),
    ("on_selected", "selected"),
    ("error", "background"),
    ("error", "surface"),
    ("placeholder", "surface"),  # text boxes are drawn on the surface colour
    ("notice", "background"),
    ("notice", "surface"),  # link buttons' text
    ("on_header", "header"),
    ("on_primary", "primary_pressed"),
]
CONTROL_PAIRS = [("border", "background"), ("border", "surface"), ("focus", "background")]
MIN_TEXT_MM = 12.0  # the criteria's smallest text on a panel over 28 cm diagonal


@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_default_palette_text_contrast_is_at_least_4_5(foreground: str, background: str) -> None:
    palette = Palette()
    ratio = contrast_ratio(getattr(palette, foreground), getattr(palette, background))
    assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"


@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS + CONTROL_PAIRS)
def test_high_contrast_palette_passes_7_to_1_for_text_and_controls(
    foreground: str, background: str
) -> None:
    ratio = contrast_ratio(getattr(HIGH_CONTRAST, foreground), getattr(HIGH_CONTRAST, background))
    assert ratio >= 7.0, f"{foreground} on {background}: {ratio:.2f}"


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_easy_theme_doubles_every_size_and_switches_palette() -> None:
    theme = Theme.for_screen(1080, 398.0)
    easy = theme.easy()
    assert easy.palette == HIGH_CONTRAST
    assert (easy.text_px, easy.small_px) == (2 * theme.text_px, 2 * theme.small_px)


@pytest.mark.parametrize(
    ("width", "height", "width_mm"), [(1080, 1920, 398.0), (1920, 1080, 708.0)]
)
@pytest.mark.slow
def test_every_text_on_every_normal_screen_is_at_least_12_mm(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    width: int,
    height: int,
    width_mm: float,
) -> None:
    display = DisplaySettings(width_px=width, height_px=height, width_mm=width_mm)
    kiosk = make_kiosk(config.model_copy(update={"display": display}), speaker=SilentSpeaker())
    driver = KioskDriver(kiosk)
    px_per_mm = width / width_mm
    seen = 0
    for name, action in [*_tour(driver, "ko"), *_keyboard_tour(driver, "ko")]:
        action()
        QApplication.processEvents()
        for widget in showing(kiosk.window):
            if isinstance(widget, QLabel | QAbstractButton) and widget.text().strip():
                seen += 1
                size_mm = QFontInfo(widget.font()).pixelSize() / px_per_mm
                assert size_mm >= MIN_TEXT_MM, f"{name}: {widget.text()[:20]!r} is {size_mm:.1f} mm"
    assert seen > 200
