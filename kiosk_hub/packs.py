"""Content packs uploaded in the console: validated by the kiosk's own loader, signed on publish,
published to chosen kiosks or to all, withdrawn; and which pack a given kiosk is served.

A kiosk gets the newest published pack assigned to its device id, else the newest published for
all kiosks, else (None here) the hub's `--content` folder. Withdrawing a pack therefore reverts each
kiosk to what it would have had without it. The hub's own pages (phone forms, results, exports)
read the forms of the newest pack published to all kiosks, else the folder (`current_forms`).

Rotating the hub's signing key (docs/hub-operations.md): `resign` signs every published pack
again with the new key. A pack's ETag as served covers its signature too (`served_etag`), so a
kiosk holding a pack under the old signature pulls it again.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Select, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from kiosk.content.loader import FORM_SUFFIXES, load_pack
from kiosk.content.models import ContentPack
from kiosk.content.signing import SIGNATURE_FILE, pack_message, sign_pack
from kiosk.core.errors import ContentError
from kiosk_hub.content import etag_of
from kiosk_hub.pack_archive import ArchiveLimits, read_archive
from kiosk_hub.web.models import ALL_KIOSKS, PackAssignmentRow, PackRow

MAX_TITLE = 200


class PackError(ValueError):
    """An action on a pack that cannot be done; the message says why."""


@dataclass(frozen=True)
class Problem:
    """One thing the kiosk's loader (or the upload) found wrong: file, place in it, message."""

    file: str
    place: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "place": self.place, "message": self.message}


def pack_etag(files: list[dict[str, str]]) -> str:
    """The digest of a pack's files (its `version`); unsigned, the ETag it is served with."""
    return etag_of(files)


def served_etag(files: list[dict[str, str]], signature: str | None) -> str:
    """The ETag of a pack as served: over its files and, when signed, its signature, so that a
    pack signed again (a new key) is a change the kiosks pull. The same files with the same
    signature give the same ETag, from the `--content` folder or a published pack alike."""
    if signature is None:
        return pack_etag(files)
    return etag_of({"files": files, "signature": signature})


def _strip_common_folder(found: dict[str, bytes]) -> dict[str, bytes]:
    """A zip of a folder holds `folder/…`: the pack is what is inside it."""
    tops = {name.split("/", 1)[0] for name in found}
    if len(tops) == 1 and all("/" in name for name in found):
        return {name.split("/", 1)[1]: data for name, data in found.items()}
    return found


def pack_files(found: dict[str, bytes]) -> tuple[list[dict[str, str]], list[Problem]]:
    """The form files of an unpacked archive and what is wrong with its layout or encoding."""
    files: list[dict[str, str]] = []
    problems: list[Problem] = []
    for name, data in sorted(_strip_common_folder(found).items()):
        if name == SIGNATURE_FILE or name.endswith("/"):
            continue  # a USB pack's old signature: the hub signs again on publish
        if "/" in name:
            problems.append(
                Problem(name, "", "a pack is one folder of form files; sub-folders are not read")
            )
            continue
        if PurePosixPath(name).suffix not in FORM_SUFFIXES:
            problems.append(Problem(name, "", "not a form file (expected *.yaml or *.yml)"))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, f"byte {exc.start}", "not UTF-8 text"))
            continue
        if "\x00" in text:  # PostgreSQL cannot store it, and no form needs it
            problems.append(Problem(name, f"character {text.index(chr(0))}", "a NUL character"))
            continue
        files.append({"name": name, "text": text})
    if not files and not problems:
        problems.append(Problem("", "", "no form files (*.yaml) in the archive"))
    return files, problems


def _problem_of(line: str, folder: str) -> Problem:
    """One loader message (`<path>[ (line…)]: <place>: <message>`) as file, place and message."""
    rest = line.removeprefix(folder).lstrip("/")
    if line == rest:  # the folder itself ("no form files in this directory")
        return Problem("", "", line.split(": ", 1)[-1])
    head, _, tail = rest.partition(":")
    file, _, where = head.partition(" (")
    if where:
        return Problem(file, where.rstrip(")"), tail.strip())
    place, sep, message = tail.strip().partition(": ")
    if not sep or " " in place.strip():
        return Problem(file, "", tail.strip())
    return Problem(file, place, message)


def validate_files(files: list[dict[str, str]]) -> tuple[ContentPack | None, list[Problem]]:
    """Run the kiosk's own loader over the files, in a throwaway folder; the pack or the problems."""
    with tempfile.TemporaryDirectory(prefix="hub-pack-") as folder:
        for item in files:
            (Path(folder) / item["name"]).write_text(item["text"], encoding="utf-8")
        try:
            return load_pack(Path(folder)), []
        except ContentError as exc:
            return None, [_problem_of(line, folder) for line in exc.problems]


def upload(
    session: Session,
    data: bytes,
    archive_name: str,
    title: str,
    uploaded_by: str,
    limits: ArchiveLimits | None = None,
) -> PackRow:
    """Store an uploaded archive as a draft with every problem found; ArchiveError if refused."""
    files, problems = pack_files(read_archive(data, limits))
    if files:
        problems += validate_files(files)[1]
    title = title.strip()[:MAX_TITLE] or PurePosixPath(archive_name).stem[:MAX_TITLE] or "pack"
    row = PackRow(
        version=pack_etag(files).strip('"')[:12],
        title=title,
        archive_name=archive_name[:MAX_TITLE],
        uploaded_by=uploaded_by,
        uploaded_at=datetime.now(UTC),
        state="draft",
        files=files,
        problems=[p.as_dict() for p in problems],
    )
    session.add(row)
    session.flush()
    return row


def publish(
    session: Session,
    pack: PackRow,
    targets: Iterable[str],
    key: Ed25519PrivateKey | None,
    published_by: str,
) -> None:
    """Sign the pack (once) and assign it to the device ids given, or to ALL_KIOSKS."""
    chosen = sorted(set(targets))
    if pack.problems:
        raise PackError(f"pack {pack.id}: has {len(pack.problems)} problems; fix and upload again")
    if pack.state == "withdrawn":
        raise PackError(f"pack {pack.id}: withdrawn; upload it again to publish it")
    if not chosen:
        raise PackError("choose at least one kiosk, or all kiosks")
    if key is None:
        raise PackError(
            "the hub has no content-signing key (kiosk-hub serve --signing-key FILE): "
            "kiosks install only signed packs"
        )
    if pack.signature is None:
        pairs = [(f["name"], f["text"]) for f in pack.files]
        pack.signed_bytes = pack_message(pairs)
        pack.signature = sign_pack(key, pairs)
    # Two editors publishing the same pack to the same kiosk at once: the second insert waits for
    # the first and then adds nothing, so both see the pack published (no unique-key error).
    session.execute(
        pg_insert(PackAssignmentRow)
        .values([{"pack_id": pack.id, "target": target[:64]} for target in chosen])
        .on_conflict_do_nothing(constraint="uq_web_pack_assignments_pack_target")
    )
    pack.state = "published"
    pack.published_by = published_by
    pack.published_at = datetime.now(UTC)
    session.flush()


def _signed_by(key: Ed25519PrivateKey, pack: PackRow) -> bool:
    if pack.signature is None:
        return False
    try:
        raw = base64.b64decode(pack.signature, validate=True)
        key.public_key().verify(raw, pack_message([(f["name"], f["text"]) for f in pack.files]))
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True


def resign(session: Session, key: Ed25519PrivateKey) -> list[PackRow]:
    """Sign every published pack whose signature does not verify against `key` again with it;
    the packs re-signed (none when all already were: running it again changes nothing).

    The rows are locked (`FOR UPDATE`) until the caller commits, so a publish or a withdrawal
    running meanwhile waits, and all packs change in the caller's one transaction. Drafts are
    signed when published and withdrawn packs are served to nobody: neither is touched.
    """
    rows = session.scalars(
        select(PackRow).where(PackRow.state == "published").order_by(PackRow.id).with_for_update()
    )
    changed = []
    for pack in rows:
        if _signed_by(key, pack):
            continue
        pairs = [(f["name"], f["text"]) for f in pack.files]
        pack.signed_bytes = pack_message(pairs)
        pack.signature = sign_pack(key, pairs)
        changed.append(pack)
    session.flush()
    return changed


def withdraw(session: Session, pack: PackRow) -> None:
    """No kiosk is served this pack any more: each gets what it would have had without it."""
    session.execute(delete(PackAssignmentRow).where(PackAssignmentRow.pack_id == pack.id))
    pack.state = "withdrawn"
    session.flush()


def targets_of(session: Session, pack_id: int) -> list[str]:
    return list(
        session.scalars(
            select(PackAssignmentRow.target)
            .where(PackAssignmentRow.pack_id == pack_id)
            .order_by(PackAssignmentRow.target)
        )
    )


def _served(device_id: str) -> Select[PackRow]:
    own_first = case((PackAssignmentRow.target == device_id, 0), else_=1)
    return (
        select(PackRow)
        .join(PackAssignmentRow, PackAssignmentRow.pack_id == PackRow.id)
        .where(
            PackRow.state == "published",
            PackAssignmentRow.target.in_([device_id, ALL_KIOSKS]),
        )
        .order_by(own_first, PackRow.id.desc())
        .limit(1)
    )


def served_pack(session: Session, device_id: str) -> PackRow | None:
    """The pack a kiosk is served: its own newest published, else all kiosks' newest, else None."""
    return session.scalar(_served(device_id))


class LoadedPacks:
    """Published packs as the kiosk's loader reads them, kept by pack id so that a request does
    not parse a pack again (a pack's files never change after upload). One per app process."""

    def __init__(self, size: int = 8) -> None:
        self._size = size
        self._loaded: OrderedDict[int, ContentPack | None] = OrderedDict()

    def get(self, session: Session, pack_id: int) -> ContentPack | None:
        """The pack loaded; None when its files no longer load (e.g. the loader became stricter)."""
        if pack_id in self._loaded:
            self._loaded.move_to_end(pack_id)
            return self._loaded[pack_id]
        row = session.get(PackRow, pack_id)
        pack = validate_files(row.files)[0] if row is not None else None
        self._loaded[pack_id] = pack
        while len(self._loaded) > self._size:
            self._loaded.popitem(last=False)
        return pack


def current_forms(
    session: Session, folder: Path, loaded: LoadedPacks, device_id: str = ALL_KIOSKS
) -> ContentPack:
    """The forms the hub's pages use: the newest pack published to all kiosks (or the pack a
    given kiosk is served), else the `--content` folder; ContentError when the folder is used
    and does not load."""
    pack_id = session.scalar(_served(device_id).with_only_columns(PackRow.id))
    pack = loaded.get(session, pack_id) if pack_id is not None else None
    return pack if pack is not None else load_pack(folder)
