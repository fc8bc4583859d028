"""`kiosk config migrate PATH`: bring a config written for an older kiosk up to date.

Sections renamed since are renamed in the file, line by line, so comments and layout stay. The
file is rewritten only when something was renamed and the result is a valid config; the old file is
kept beside it (PATH.bak, readable by its owner only). Running it again changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from kiosk.config.settings import KioskConfig, format_validation_error, read_config_file
from kiosk.core.errors import ConfigError

# Old section name -> its name today, with the release note that says why.
RENAMED_SECTIONS: Final[dict[str, str]] = {
    "maintenance": "staff",  # the staff area was called "maintenance" until the layer clean-up
}


@dataclass(frozen=True)
class Migration:
    """What `migrate_file` did: the sections renamed (old, new) and where the old file was kept."""

    path: Path
    renamed: tuple[tuple[str, str], ...]
    backup: Path | None

    @property
    def message(self) -> str:
        if not self.renamed:
            return f"{self.path}: up to date, nothing to migrate"
        names = ", ".join(f"[{old}] -> [{new}]" for old, new in self.renamed)
        return f"{self.path}: renamed {names}; the old file is kept as {self.backup}"


def old_sections(raw: dict[str, Any]) -> list[str]:
    """The renamed sections a parsed config still uses under their old names."""
    return [name for name in RENAMED_SECTIONS if name in raw]


def migration_hint(source: str, raw: dict[str, Any]) -> str | None:
    """The line a config error ends with when the config uses an old section name."""
    found = old_sections(raw)
    if not found:
        return None
    names = ", ".join(f"[{old}] is now [{RENAMED_SECTIONS[old]}]" for old in found)
    return f"{source}: {names}: run `kiosk config migrate {source}` to update the file"


def _header(name: str) -> re.Pattern[str]:
    """A table header of the section or of one of its sub-tables: [name], [name.x], [[name...]]."""
    return re.compile(rf"^(\s*\[\[?\s*){re.escape(name)}(\s*[.\]])")


def _root_key(name: str) -> re.Pattern[str]:
    """The section given at the top level as a dotted key or an inline table: name.x = / name = {"""
    return re.compile(rf"^(\s*){re.escape(name)}(\s*[.=])")


def migrated_text(text: str, raw: dict[str, Any], source: str) -> tuple[str, list[str]]:
    """The text with every old section renamed, and the old names found."""
    found = old_sections(raw)
    for old in found:
        if RENAMED_SECTIONS[old] in raw:
            new = RENAMED_SECTIONS[old]
            raise ConfigError(
                f"{source}: has both [{old}] and [{new}]: move the keys of [{old}] into [{new}] "
                f"by hand and delete [{old}]"
            )
    if not found:
        return text, []
    lines = text.splitlines(keepends=True)
    at_root = True
    for index, line in enumerate(lines):
        if re.match(r"^\s*\[", line):
            at_root = False
        for old in found:
            new = RENAMED_SECTIONS[old]
            line = _header(old).sub(rf"\g<1>{new}\g<2>", line, count=1)
            if at_root:
                line = _root_key(old).sub(rf"\g<1>{new}\g<2>", line, count=1)
        lines[index] = line
    result = "".join(lines)
    expected = {RENAMED_SECTIONS.get(key, key): value for key, value in raw.items()}
    if tomllib.loads(result) != expected:  # a spelling the line rules do not know (quoted keys)
        names = ", ".join(f"[{old}] to [{RENAMED_SECTIONS[old]}]" for old in found)
        raise ConfigError(f"{source}: cannot rename {names} safely: rename it by hand")
    return result, found


def _keep_backup(path: Path, data: bytes) -> Path:
    """A copy of the old file readable by its owner only; an earlier backup is never replaced."""
    candidates = [path.with_name(f"{path.name}.bak")]
    candidates += [path.with_name(f"{path.name}.bak.{n}") for n in range(2, 100)]
    for candidate in candidates:
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as backup:
            backup.write(data)
            backup.flush()
            os.fsync(backup.fileno())
        return candidate
    raise ConfigError(f"{path}: too many backups beside it ({path.name}.bak*): remove old ones")


def _replace(path: Path, text: str) -> None:
    """Write the new text in place of the old file at once, with the old file's mode and owner."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as new:
            new.write(text)
            new.flush()
            os.fsync(new.fileno())
        shutil.copymode(path, temporary)
        status = path.stat()
        if os.geteuid() == 0:
            os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def migrate_file(path: Path) -> Migration:
    """Rename the old sections of the config at `path` (see the module's docstring)."""
    source = str(path)
    text, raw = read_config_file(path)
    result, found = migrated_text(text, raw, source)
    if not found:
        return Migration(path, (), None)
    try:
        KioskConfig.model_validate(tomllib.loads(result))
    except ValidationError as exc:
        problems = format_validation_error(source, exc)
        problems.append(
            f"{source}: not migrated: the renamed config would still be invalid; fix the lines "
            "above and run it again"
        )
        raise ConfigError("\n".join(problems)) from None
    backup = _keep_backup(path, text.encode("utf-8"))
    _replace(path, result)
    return Migration(path, tuple((old, RENAMED_SECTIONS[old]) for old in found), backup)
