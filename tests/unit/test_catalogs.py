"""The gettext catalogs: complete in every language, compiled, in step with the code."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.core.errors import ConfigError
from kiosk.i18n import texts
from kiosk.i18n.texts import DOMAIN, LOCALE_DIR, TEXTS, read_mo, text
from kiosk.tooling.catalogs import (
    import_dict,
    po_path,
    read_text_dict,
    save_po,
    update_catalogs,
    used_keys,
)

BUNDLED = ("ko", "en")


def po_messages(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_message_in_every_language_with_the_same_placeholders() -> None:
    catalogs = {lang: po_messages(po_path(lang)) for lang in BUNDLED}
    keys = set(catalogs["ko"])
    assert len(keys) > 150
    problems = []
    for lang, messages in catalogs.items():
        problems += [f"{lang}: {key}: missing" for key in sorted(keys - set(messages))]
        problems += [f"{lang}: {key}: not in ko" for key in sorted(set(messages) - keys)]
        problems += [f"{lang}: {key}: empty" for key, value in messages.items() if not value]
    for key in sorted(keys):
        shapes = {lang: fields(catalogs[lang].get(key, "")) for lang in BUNDLED}
        if len({frozenset(shape) for shape in shapes.values()}) != 1:
            problems.append(f"{key}: placeholders differ: {shapes}")
    assert problems == []


def test_compiled_catalogs_are_those_of_the_sources() -> None:
    """A .po edited without `make i18n-compile` fails here (the .mo files are what runs)."""
    for lang in BUNDLED:
        compiled = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        assert read_mo(compiled.read_bytes()) == po_messages(po_path(lang)), lang


def test_the_code_uses_exactly_the_catalogued_keys() -> None:
    """Babel's extraction finds every key in the code; a key built at run time is declared."""
    used = used_keys()
    assert sorted(used - set(TEXTS)) == [], "used in the code, missing from the catalogs"
    assert sorted(set(TEXTS) - used) == [], "catalogued but never used (or not declared)"


def test_texts_keeps_its_api() -> None:
    assert text("idle.body", "ko", seconds=5).startswith("5초")
    assert text("idle.body", "en", seconds=5) == (
        "In 5 seconds the kiosk starts over and clears what you entered."
    )
    assert text("nav.back", "xx") == "Back"  # a language without the message falls back to English
    assert texts.both("nav.back") == "이전  /  Back"
    assert TEXTS["answer.yes"] == {"ko": "예", "en": "Yes"}


def test_a_damaged_catalog_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"broken\.mo: not a gettext \.mo file"):
        read_mo(b"not a catalog at all, just text", "broken.mo")
    with pytest.raises(ConfigError, match=r"visit\.languages: no catalog for zz"):
        texts.use_catalogs(["ko", "en", "zz"], None)
    with pytest.raises(ConfigError, match="is not a directory"):
        texts.use_catalogs(["ko", "en"], tmp_path / "nowhere")


def test_the_converter_merges_an_old_texts_dict_into_the_catalogs(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    for lang in BUNDLED:
        target = po_path(lang, locale)
        target.parent.mkdir(parents=True)
        target.write_bytes(po_path(lang).read_bytes())
    old = tmp_path / "texts.py"
    old.write_text(
        '"""An older texts.py."""\n\nfrom typing import Any\n\n'
        "TEXTS: dict[str, dict[str, str]] = {\n"
        '    "nav.back": {"ko": "뒤로", "en": "Back"},\n'
        '    "visit.new_thing": {"ko": "새 문구 {n}개", "en": "{n} new words"},\n'
        "}\n\n\ndef text(key: str, language: str, **values: Any) -> str:\n    return key\n",
        encoding="utf-8",
    )
    summary = import_dict(read_text_dict(old), locale)
    assert summary == {"en": (1, 0), "ko": (1, 1)}
    ko, en = po_messages(po_path("ko", locale)), po_messages(po_path("en", locale))
    assert ko["nav.back"] == "뒤로" and en["nav.back"] == "Back"
    assert ko["visit.new_thing"] == "새 문구 {n}개" and en["visit.new_thing"] == "{n} new words"
    assert len(ko) == len(po_messages(po_path("ko"))) + 1  # nothing else lost or added
    bad = tmp_path / "bad.py"
    bad.write_text("TEXTS = {'a': {'ko': 1}}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad\.py: 'a': expected"):
        read_text_dict(bad)


def test_update_follows_the_code_and_leaves_a_current_catalog_byte_for_byte(
    tmp_path: Path,
) -> None:
    locale = tmp_path / "locale"
    for lang in BUNDLED:
        target = po_path(lang, locale)
        target.parent.mkdir(parents=True)
        target.write_bytes(po_path(lang).read_bytes())
    with po_path("en", locale).open("rb") as handle:
        english = read_po(handle)
    english.delete("nav.back")  # the code uses it: comes back, untranslated
    english.add("gone.key", "Nobody uses me")  # the code does not: dropped
    save_po(english, po_path("en", locale))
    before = po_path("ko", locale).read_bytes()

    changes = update_catalogs(locale)

    assert changes == {"en": (["nav.back"], ["gone.key"]), "ko": ([], [])}
    assert po_path("ko", locale).read_bytes() == before
    updated = po_messages(po_path("en", locale))
    assert updated["nav.back"] == "" and "gone.key" not in updated
    assert set(updated) == set(po_messages(po_path("en")))
