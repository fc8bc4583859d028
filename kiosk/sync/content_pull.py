"""Content packs from the backend: download, validate with the loader, keep, and hand over."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.content import ContentPack, load_pack
from kiosk.content.signing import load_public_keys, verify_pack
from kiosk.core.errors import ContentError
from kiosk.sync.client import (
    BackendClient,
    Blocked,
    ContentFiles,
    NotModified,
    Refused,
    RetryLater,
    WrongServer,
)

log = logging.getLogger(__name__)
PACKS_DIR = "content-packs"
CURRENT = "current"


@dataclass(frozen=True, slots=True)
class ContentCheck:
    """What a content check found: a new valid pack, nothing new, or why not."""

    pack: ContentPack | None = None
    etag: str | None = None
    problem: str | None = None


def received_content_dir(data_dir: Path) -> Path | None:
    """The last pack received from the backend, if any (it survives restarts)."""
    current = data_dir / PACKS_DIR / CURRENT
    return current if current.is_dir() else None


def _safe_name(name: str) -> bool:
    return (
        bool(name)
        and Path(name).name == name
        and not name.startswith(".")
        and name.endswith((".yaml", ".yml"))
    )


def install_pack(
    data_dir: Path, files: Sequence[tuple[str, str]], languages: Sequence[str]
) -> ContentPack:
    """Validate the files as a pack in a staging directory; only a valid pack replaces `current`."""
    packs = data_dir / PACKS_DIR
    packs.mkdir(parents=True, exist_ok=True)
    bad = [name for name, _ in files if not _safe_name(name)]
    if bad:
        raise ContentError([f"content pack: {name!r}: not a plain form file name" for name in bad])
    staging = Path(tempfile.mkdtemp(dir=packs, prefix=".staging-"))
    try:
        for name, text in files:
            (staging / name).write_text(text, encoding="utf-8")
        pack = load_pack(staging, languages)
        current = packs / CURRENT
        previous = packs / ".previous"
        shutil.rmtree(previous, ignore_errors=True)
        if current.exists():
            current.rename(previous)
        staging.rename(current)
        shutil.rmtree(previous, ignore_errors=True)
        return pack
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_content(
    client: BackendClient,
    data_dir: Path,
    etag: str | None,
    languages: Sequence[str],
    signing_keys: Sequence[str] = (),
) -> ContentCheck:
    """One conditional GET; a refused pack leaves the running one untouched.

    With the hub's `signing_keys` (content.signing_public_key, then any
    content.previous_signing_public_keys), a pack whose signature verifies against none of them
    is refused before anything is written.
    """
    outcome = client.get_content(etag)
    if isinstance(outcome, NotModified):
        return ContentCheck(etag=etag)
    if isinstance(outcome, RetryLater | WrongServer | Refused | Blocked):
        return ContentCheck(etag=etag, problem=f"content check failed: {outcome.reason}")
    assert isinstance(outcome, ContentFiles)
    try:
        if signing_keys:
            verify_pack(load_public_keys(signing_keys), outcome.files, outcome.signature)
        pack = install_pack(data_dir, outcome.files, languages)
    except ContentError as exc:
        # The staging paths mean nothing to staff; keep the file names and the problems.
        problems = [p.replace(str(data_dir), "") for p in exc.problems]
        log.error(
            "content pack %s refused, the running one stays:\n%s", outcome.etag, "\n".join(problems)
        )
        return ContentCheck(
            etag=etag, problem=f"content pack {outcome.etag} refused: {'; '.join(problems[:3])}"
        )
    log.info("content pack %s (version %s) received", outcome.etag, pack.version)
    return ContentCheck(pack=pack, etag=outcome.etag)
