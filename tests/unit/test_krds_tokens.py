"""Every colour of both palettes is a published KRDS token, under the name the theme gives it."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.ui.theme import HIGH_CONTRAST, Krds, KrdsHighContrast, Palette, qss_colour

# KRDS 1.1.0 (github.com/KRDS-uiux/krds-uiux, commit d6bb184c "v1.1.0", 2026-01-12),
# resources/css/token/krds_tokens.css: the primitives the kiosk uses, copied as published.
KRDS_LIGHT = {
    "gray-0": "#ffffff",  # --krds-color-light-gray-0
    "gray-5": "#f4f5f6",
    "gray-50": "#6d7882",
    "gray-60": "#58616a",
    "gray-70": "#464c53",
    "gray-90": "#1e2124",
    "primary-5": "#ecf2fe",
    "primary-60": "#0b50d0",
    "primary-70": "#083891",
    "secondary-70": "#063a74",
    "secondary-80": "#052b57",
    "danger-60": "#bd2c0f",
    "alpha-black75": "#000000bf",
}
KRDS_HIGH_CONTRAST = {
    "gray-0": "#ffffff",  # --krds-color-high-contrast-gray-0
    "gray-5": "#f4f5f6",
    "gray-10": "#e6e8ea",
    "gray-20": "#cdd1d5",
    "gray-30": "#b1b8be",
    "gray-100": "#000000",
    "primary-20": "#b1cefb",
    "primary-30": "#86aff9",
    "primary-95": "#020f27",
    "secondary-20": "#abd8e3",  # the high-contrast set's own secondary scale
    "danger-20": "#f7afa1",
    "warning-20": "#ffc95c",
    "alpha-black75": "#000000bf",
}


def constants(tokens: type) -> dict[str, str]:
    """The theme's token class as {KRDS name: value}: GRAY_5 -> gray-5, ALPHA_BLACK_75 ->
    alpha-black75."""
    found = {}
    for attr, value in vars(tokens).items():
        if attr.isupper():
            name = attr.lower().replace("_", "-")
            found[name.replace("black-", "black")] = value.lower()
    return found


@pytest.mark.parametrize(
    ("tokens", "published"),
    [(Krds, KRDS_LIGHT), (KrdsHighContrast, KRDS_HIGH_CONTRAST)],
    ids=["standard", "high-contrast"],
)
def test_each_theme_token_has_its_published_krds_value(
    tokens: type, published: dict[str, str]
) -> None:
    assert constants(tokens) == published


@pytest.mark.parametrize(
    ("palette", "published"),
    [(Palette(), KRDS_LIGHT), (HIGH_CONTRAST, KRDS_HIGH_CONTRAST)],
    ids=["normal", "easy"],
)
def test_every_palette_colour_is_a_token_of_its_krds_set(
    palette: Palette, published: dict[str, str]
) -> None:
    values = set(published.values())
    strays = {
        role: colour
        for role, colour in dataclasses.asdict(palette).items()
        if colour.lower() not in values
    }
    assert not strays, f"not KRDS tokens of this set: {strays}"


def test_a_krds_colour_with_alpha_reaches_qt_in_rgba_order() -> None:
    assert qss_colour("#000000BF") == "rgba(0, 0, 0, 191)"
    assert qss_colour("#0B50D0") == "#0B50D0"
