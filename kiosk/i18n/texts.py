"""Every visitor-facing string of the kiosk's own (forms bring their own), read from gettext catalogs.

One catalog per language, kiosk/i18n/locale/LANG/LC_MESSAGES/kiosk.po, managed with Babel
(`make i18n`); its msgid is a key such as "attract.headline", its msgstr the text. The compiled
.mo files are committed beside them and are what this module reads, with the standard library
only. A further language is a further catalog (bundled here, or in the directory named by the
config's `visit.catalog_dir`) plus the forms' translations: no code changes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.core.errors import ConfigError

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().with_name("locale")
_MO_MAGIC = 0x950412DE


def N_(key: str) -> str:
    """Marks a key that code builds at run time (f"kind.{kind}") so that extraction finds it."""
    return key


def read_mo(data: bytes, source: str = "catalog") -> dict[str, str]:
    """The messages of a compiled gettext catalog (.mo), without its header."""
    if len(data) < 20:
        raise ConfigError(f"{source}: not a gettext .mo file (too short)")
    for order in ("<", ">"):
        if struct.unpack(f"{order}I", data[:4])[0] == _MO_MAGIC:
            break
    else:
        raise ConfigError(f"{source}: not a gettext .mo file (bad magic number)")
    _revision, count, ids_at, strs_at = struct.unpack(f"{order}4I", data[4:20])
    messages: dict[str, str] = {}
    try:
        for index in range(count):
            id_len, id_at = struct.unpack_from(f"{order}2I", data, ids_at + 8 * index)
            str_len, str_at = struct.unpack_from(f"{order}2I", data, strs_at + 8 * index)
            key = data[id_at : id_at + id_len].decode("utf-8")
            if key:  # the empty msgid is the catalog's header
                messages[key] = data[str_at : str_at + str_len].decode("utf-8")
    except (struct.error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{source}: damaged gettext .mo file ({exc})") from None
    return messages


def catalog_file(directory: Path, language: str) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalogs(directory: Path) -> dict[str, dict[str, str]]:
    """Language -> {key: text} for every compiled catalog under `directory`."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
        language = path.parents[1].name
        found[language] = read_mo(path.read_bytes(), str(path))
    return found


def _by_key(catalogs: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for language, messages in catalogs.items():
        for key, value in messages.items():
            table.setdefault(key, {})[language] = value
    return table


# key -> {language: text}, from the bundled catalogs; use_catalogs() adds languages.
TEXTS: dict[str, dict[str, str]] = _by_key(read_catalogs(LOCALE_DIR))


def languages() -> set[str]:
    """The languages that have a catalog loaded."""
    return {language for entry in TEXTS.values() for language in entry}


def use_catalogs(wanted: Iterable[str], extra_dir: Path | None = None) -> None:
    """Load the catalogs of `extra_dir` too, then check that every wanted language has one."""
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise ConfigError(f"visit.catalog_dir: {extra_dir} is not a directory")
        for language, messages in read_catalogs(extra_dir).items():
            for key, value in messages.items():
                TEXTS.setdefault(key, {})[language] = value
    have = languages()
    missing = [language for language in wanted if language not in have]
    if missing:
        where = f"{LOCALE_DIR}" + (f" or {extra_dir}" if extra_dir is not None else "")
        raise ConfigError(
            f"visit.languages: no catalog for {', '.join(missing)} "
            f"(looked for LANG/LC_MESSAGES/{DOMAIN}.mo in {where})"
        )


def text(key: str, language: str, **values: Any) -> str:
    """The string for `key` in `language` (English if that language lacks it), formatted."""
    entry = TEXTS[key]
    template = entry.get(language) or entry["en"]
    return template.format(**values) if values else template


def both(key: str, **values: Any) -> str:
    """Korean and English on one line, for the staff screens (staff may read either)."""
    return f"{text(key, 'ko', **values)}  /  {text(key, 'en', **values)}"


def localized(value: dict[str, str] | None, language: str) -> str:
    """A content text in the visitor's language, falling back to Korean, then English."""
    if not value:
        return ""
    return value.get(language) or value.get("ko") or value.get("en") or ""
