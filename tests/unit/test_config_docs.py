"""docs/configuration.md is the models in words; the bundled config is checked by the same models."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kiosk.config.docs import default_text, range_text, render, type_name
from kiosk.config.settings import BUNDLED_CONFIG, KioskConfig, VisitSettings, load_config

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_the_configuration_page_is_generated_from_the_models() -> None:
    """Fails when a setting changed without `make docs` (or the page was edited by hand)."""
    assert DOC.read_text(encoding="utf-8") == render(), "run `make docs` and commit the page"


def test_every_setting_is_described_with_type_default_and_range() -> None:
    page = render()
    for name, section in KioskConfig.model_fields.items():
        if name == "source":
            continue
        model = section.annotation
        assert isinstance(model, type)
        for key, field in model.model_fields.items():  # type: ignore[attr-defined]
            assert field.description, f"{name}.{key} has no description"
            assert f"| `{name}.{key}` |" in page
    idle = VisitSettings.model_fields["idle_timeout_s"]
    assert (type_name(idle.annotation), default_text(idle), range_text(idle)) == (
        "integer",
        "`60`",
        "10–900",
    )
    catalog_dir = VisitSettings.model_fields["catalog_dir"]
    assert (type_name(catalog_dir.annotation), default_text(catalog_dir)) == (
        "path (optional)",
        "none",
    )


def test_the_bundled_config_validates_and_uses_only_documented_keys() -> None:
    config = load_config(BUNDLED_CONFIG)  # the same models; raises ConfigError if invalid
    assert isinstance(config, KioskConfig)
    raw = tomllib.loads(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    page = DOC.read_text(encoding="utf-8")
    keys = [f"{section}.{key}" for section, table in raw.items() for key in table]
    assert keys, "the bundled config sets nothing"
    assert [key for key in keys if f"| `{key}` |" not in page] == []
