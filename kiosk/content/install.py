"""Content packs from a USB stick: find them, validate, preview the change, install for restarts."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.config.settings import KioskConfig
from kiosk.content.loader import FORM_SUFFIXES, load_pack
from kiosk.content.models import ContentPack
from kiosk.content.signing import SIGNATURE_FILE, load_public_keys, verify_directory
from kiosk.core.errors import ContentError

# A pack on a stick is a folder of this name at the top of the drive.
PACK_FOLDER = "kiosk-content"
INSTALLED = "content"


def active_content_dir(config: KioskConfig) -> Path:
    """The pack the kiosk runs: the last one installed from a stick, else the configured one."""
    installed = config.data_dir / INSTALLED
    return installed if installed.is_dir() else config.content_dir


def find_packs(mounts: Sequence[Path]) -> list[Path]:
    """Pack folders at the top of the mounted drives."""
    return [m / PACK_FOLDER for m in mounts if (m / PACK_FOLDER).is_dir()]


@dataclass(frozen=True)
class PackPreview:
    """What installing a pack would change, form by form."""

    source: Path
    pack: ContentPack
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def preview_pack(
    source: Path,
    current: ContentPack,
    languages: Sequence[str],
    signing_keys: Sequence[str] = (),
) -> PackPreview:
    """Validate the pack at `source` (ContentError lists every problem) and compare it.

    With the hub's `signing_keys` (content.signing_public_key, then any
    content.previous_signing_public_keys), the folder's `pack.sig` must verify against one of
    them first: an altered or unsigned pack is refused before it is even parsed.
    """
    if signing_keys:
        verify_directory(load_public_keys(signing_keys), source)
    pack = load_pack(source, languages)
    old = {f.id: f for f in current.forms}
    new = {f.id: f for f in pack.forms}
    added = tuple(sorted(set(new) - set(old)))
    removed = tuple(sorted(set(old) - set(new)))
    both = sorted(set(old) & set(new))
    changed = tuple(i for i in both if old[i].definition_hash != new[i].definition_hash)
    unchanged = tuple(i for i in both if i not in changed)
    return PackPreview(source, pack, added, changed, removed, unchanged)


def install_pack(preview: PackPreview, config: KioskConfig) -> Path:
    """Copy the pack's form files into the data directory, replacing the previous one whole."""
    target = config.data_dir / INSTALLED
    staging = config.data_dir / f".{INSTALLED}.new"
    old = config.data_dir / f".{INSTALLED}.old"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    for path in sorted(preview.source.iterdir()):
        if (path.suffix in FORM_SUFFIXES or path.name == SIGNATURE_FILE) and path.is_file():
            shutil.copy2(path, staging / path.name)
    keys = config.content.accepted_signing_keys
    if keys:  # the stick may have changed since the preview: check what was copied
        try:
            verify_directory(load_public_keys(keys), staging, preview.source)
        except ContentError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    if target.exists():
        target.rename(old)
    staging.rename(target)
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
    return target
