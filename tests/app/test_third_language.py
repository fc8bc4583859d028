"""A third language is a catalog and a content translation: no code changes.

The `zz` catalog here is written by the test (every English text prefixed with "[zz] ", the
placeholders kept), compiled with Babel as `make i18n-compile` does, and offered through the
config's `visit.languages` and `visit.catalog_dir`, exactly as a Japanese catalog would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.config.settings import load_config
from kiosk.i18n import texts
from kiosk.tooling.catalogs import po_path
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step

FORM = """\
id: lobby-check
version: 1
kind: survey
title: {ko: "로비 설문", en: "Lobby survey", zz: "ZZ lobby survey"}
questions:
  - id: liked
    type: yes_no
    text: {ko: "좋았나요?", en: "Did you like it?", zz: "ZZ did you like it?"}
"""


@pytest.fixture
def restore_texts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """use_catalogs() adds to the process-wide table: give it back as it was."""
    monkeypatch.setattr(texts, "TEXTS", {key: dict(entry) for key, entry in texts.TEXTS.items()})
    yield


def write_zz_catalog(directory: Path) -> None:
    with po_path("en").open("rb") as handle:
        english = read_po(handle)
    catalog = Catalog(locale="en", domain="kiosk", fuzzy=False)  # Babel knows no "zz" locale
    for message in english:
        if message.id:
            catalog.add(message.id, f"[zz] {message.string}")
    target = directory / "zz" / "LC_MESSAGES" / "kiosk.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)


def test_a_third_language_needs_only_a_catalog_and_content(
    tmp_path: Path, make_kiosk: Callable[..., object], restore_texts: None
) -> None:
    write_zz_catalog(tmp_path / "catalogs")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "lobby-check.yaml").write_text(FORM, encoding="utf-8")
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(
        '[device]\ndata_dir = "data"\n'
        '[visit]\nlanguages = ["ko", "en", "zz"]\ncatalog_dir = "catalogs"\n'
        '[content]\ndir = "content"\n',
        encoding="utf-8",
    )
    kiosk = make_kiosk(load_config(config_file))
    driver = KioskDriver(kiosk)  # type: ignore[arg-type]
    window = driver.window

    assert set(window.attract.buttons) == {"ko", "en", "zz"}  # the visit starts in a language
    assert window.attract.buttons["zz"].text().startswith("[zz] ")
    driver.pick_language("zz")
    driver.expect(Step.HOME)
    assert window.home.title.text() == "[zz] Choose how to take part"
    tile = window.home.tiles["lobby-check"].text()
    assert "[zz] Survey" in tile and "ZZ lobby survey" in tile
    driver.open_form("lobby-check")
    driver.expect(Step.QUESTION)
    assert window.question.prompt.text() == "ZZ did you like it?"
    assert window.question.progress_text.text() == "[zz] Question 1 of 1"


def test_a_language_without_a_catalog_stops_the_kiosk_with_its_name(
    tmp_path: Path, make_kiosk: Callable[..., object], restore_texts: None
) -> None:
    config_file = tmp_path / "kiosk.toml"
    config_file.write_text(
        '[device]\ndata_dir = "data"\n[visit]\nlanguages = ["ko", "en", "ja"]\n', encoding="utf-8"
    )
    from kiosk.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"visit\.languages: no catalog for ja"):
        make_kiosk(load_config(config_file))
