"""The [accessibility] config section: the low-position share and its checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config.settings import load_config
from kiosk.core.errors import ConfigError


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_low_position_share_comes_from_mounting_height_and_panel_size(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[accessibility]\npanel_bottom_cm = 70\n"))
    panel_height_mm = 1920 * 398.0 / 1080  # from [display]: a 708 mm tall portrait panel
    assert config.low_position_share == pytest.approx(500 / panel_height_mm)
    landscape = write(tmp_path, "[display]\nwidth_px = 1920\nheight_px = 1080\nwidth_mm = 708.0\n")
    assert load_config(landscape).low_position_share == 1.0  # 75 + 39.8 cm stays below 120


def test_a_panel_mounted_too_high_for_easy_mode_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[accessibility]\npanel_bottom_cm = 100\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message
    assert (
        "accessibility.panel_bottom_cm = 100.0 leaves only 28% of the screen below 120" in message
    )


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('easy_mode_key = "Escape"', "accessibility.easy_mode_key"),
        ("text_scale = 5", "accessibility.text_scale"),
        ("speech_volume = 2", "accessibility.speech_volume"),
        ("speach_engine = 'mock'", "accessibility.speach_engine: unknown key"),
    ],
)
def test_bad_accessibility_values_name_the_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, f"[accessibility]\n{body}\n"))
    assert key in str(error.value)


def test_voices_are_a_table_of_language_to_voice_name(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, '[accessibility.voices]\nko = "Korean Female"\nen = "English (America)"\n')
    )
    assert config.accessibility.voices == {"ko": "Korean Female", "en": "English (America)"}
