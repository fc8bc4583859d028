"""Developer tool for the gettext catalogs of kiosk/i18n/locale (needs Babel, a dev dependency).

    python -m kiosk.tooling.catalogs import-dict FILE   # merge a TEXTS-style dict into the .po files
    python -m kiosk.tooling.catalogs update             # catalogs follow the keys the code uses
    python -m kiosk.tooling.catalogs keys               # the message keys the code uses, one a line

`import-dict` reads FILE without running it: the first assignment `TEXTS = {key: {lang: text}}`
(or a bare dict literal, the whole file) found in it. Each text lands in that language's catalog
(`msgid` = the key, `msgstr` = the text), replacing an older text for the same key; a language
with no catalog yet gets one. It then lists the keys that extraction does not find in the code
(used through a variable): declare those with N_() in kiosk/i18n/runtime_keys.py, then run
`make i18n` (extract, update, compile) and commit the .po and .mo files. `make i18n-import
FROM=FILE` does the import and the compile. The everyday commands are in the Makefile's i18n block.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from kiosk.i18n.texts import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
# The calls whose first argument is a message key: text(key, lang), both(key), N_(key).
KEYWORDS: dict[str, None] = {"text": None, "both": None, "N_": None}


def read_text_dict(path: Path) -> dict[str, dict[str, str]]:
    """The `TEXTS = {...}` literal of a Python file (or the file as one dict literal)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    node: ast.expr | None = None
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id == "TEXTS" for t in targets):
                node = statement.value
                break
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Dict):
            node = statement.value
            break
    if node is None:
        raise SystemExit(f"{path}: no TEXTS = {{...}} assignment and no dict literal found")
    try:
        value: dict[str, dict[str, str]] = ast.literal_eval(node)
    except ValueError as exc:
        raise SystemExit(f"{path}: TEXTS is not a plain literal: {exc}") from None
    problems = [
        f"{path}: {key!r}: expected {{language: text}}"
        for key, entry in value.items()
        if not isinstance(key, str)
        or not isinstance(entry, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in entry.items())
    ]
    if problems:
        raise SystemExit("\n".join(problems))
    return value


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_po(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="gwanghwamoon-kiosk", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def save_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, sort_output=True)


def import_dict(
    texts: Mapping[str, Mapping[str, str]], locale_dir: Path = LOCALE_DIR
) -> dict[str, tuple[int, int]]:
    """Merge the texts into the catalogs; per language the count of (added, changed) messages."""
    languages = sorted({lang for entry in texts.values() for lang in entry})
    summary: dict[str, tuple[int, int]] = {}
    for language in languages:
        path = po_path(language, locale_dir)
        catalog = load_po(path, language)
        added = changed = 0
        for key, entry in texts.items():
            if language not in entry:
                continue
            old = catalog.get(key)
            if old is None:
                catalog.add(key, entry[language])
                added += 1
            elif old.string != entry[language] or old.fuzzy:
                old.string = entry[language]
                old.flags.discard("fuzzy")
                changed += 1
        save_po(catalog, path)
        summary[language] = (added, changed)
    return summary


def used_keys(source_dir: Path = ROOT / "kiosk") -> set[str]:
    """Every message key Babel's extractor finds in the code (as `make i18n-extract` does)."""
    mapping = configparser.ConfigParser()
    mapping.read(ROOT / "babel.cfg", encoding="utf-8")  # sections like "python: **.py"
    method_map = [
        (pattern.strip(), method.strip())
        for method, _, pattern in (section.partition(":") for section in mapping.sections())
    ]
    keys: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        source_dir, method_map, keywords=KEYWORDS
    ):
        if isinstance(message, str):
            keys.add(message)
    return keys


def update_catalogs(locale_dir: Path = LOCALE_DIR) -> dict[str, tuple[list[str], list[str]]]:
    """Add the keys the code uses to every catalog (untranslated) and drop the keys it no longer
    uses; per language the keys (added, dropped). A catalog with nothing to change is not
    rewritten, so its header (and so its compiled .mo) stays byte for byte the same."""
    keys = used_keys()
    changes: dict[str, tuple[list[str], list[str]]] = {}
    for path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = path.parents[1].name
        catalog = load_po(path, language)
        have = {message.id for message in catalog if isinstance(message.id, str) and message.id}
        added, dropped = sorted(keys - have), sorted(have - keys)
        for key in added:
            catalog.add(key, "")
        for key in dropped:
            catalog.delete(key)
        if added or dropped:
            save_po(catalog, path)
        changes[language] = (added, dropped)
    return changes


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.tooling.catalogs")
    commands = parser.add_subparsers(dest="command", required=True)
    merge = commands.add_parser("import-dict", help="merge a TEXTS-style dict into the catalogs")
    merge.add_argument("file", type=Path)
    commands.add_parser("keys", help="print the message keys the code uses")
    commands.add_parser("update", help="add used keys to the catalogs, drop unused ones")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "keys":
        print("\n".join(sorted(used_keys())))
        return 0
    if args.command == "update":
        for language, (added, dropped) in update_catalogs().items():
            print(f"{language}: {len(added)} added (to translate), {len(dropped)} dropped")
            for key in added:
                print(f"  + {key}")
            for key in dropped:
                print(f"  - {key}")
        return 0
    texts = read_text_dict(args.file)
    for language, (count_added, count_changed) in import_dict(texts).items():
        where = po_path(language).relative_to(ROOT)
        print(f"{where}: {count_added} added, {count_changed} changed")
    undeclared = sorted(set(texts) - used_keys())
    if undeclared:
        print(
            "Not found by extraction (built at run time or unused): declare them with N_() in "
            "kiosk/i18n/runtime_keys.py, or `make i18n` drops them:\n  " + "\n  ".join(undeclared)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
