"""Rotating the hub's content-signing key without taking a kiosk offline (docs/hub-operations.md):
kiosks accept the new key and the old one meanwhile, `kiosk-hub packs resign` signs what is
published again, the ETag changes so kiosks pull it, and a kiosk that missed the new key keeps
the pack it has."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import select

from kiosk.config.settings import ContentSettings
from kiosk.content import load_pack
from kiosk.content.install import preview_pack
from kiosk.content.signing import SIGNATURE_FILE, directory_files, sign_pack, verify_pack
from kiosk.core.errors import ContentError
from kiosk.core.keys import public_key_text
from kiosk.storage import Database, open_database
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient
from kiosk.sync.content_pull import received_content_dir
from kiosk.sync.engine import Limits, SyncEngine
from kiosk_hub import packs
from kiosk_hub.settings import DATABASE_URL_ENV
from kiosk_hub.web.models import ALL_KIOSKS, AuditRow, PackRow
from tests.conftest import SAMPLE_CONTENT
from tests.hub.conftest import TOKEN
from tests.hub.fixtures import HubBackend, retitled, sample_zip

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ["ko", "en"]
REFUSED = "signature does not verify against the configured key(s)"


def key_file(tmp_path: Path, name: str) -> tuple[Ed25519PrivateKey, Path]:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / f"{name}.pem"
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    path.chmod(0o600)
    return key, path


def resign(url: str, key: Path) -> subprocess.CompletedProcess[str]:
    """`kiosk-hub packs resign` from a shell, the database URL in the environment."""
    env = {**os.environ, DATABASE_URL_ENV: url}
    return subprocess.run(
        [sys.executable, "-m", "kiosk_hub", "packs", "resign", "--signing-key", str(key)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class Kiosk:
    """A kiosk's content pull: its own data directory and store, the real sync engine over HTTP,
    and the keys its config accepts (`content.accepted_signing_keys`)."""

    def __init__(self, hub: HubBackend, data: Path, device: str, current: str, *previous: str):
        data.mkdir()
        self.data = data
        self.keys = ContentSettings.model_validate(
            {"signing_public_key": current, "previous_signing_public_keys": list(previous)}
        ).accepted_signing_keys
        self.database: Database = open_database(data / "kiosk.sqlite3")
        client = BackendClient(hub.url, device, TOKEN, 2.0, 5.0)
        limits = Limits(10, 1_000_000, 0.01, 0.1)
        self.engine = SyncEngine(Outbox(self.database), client, limits, random.random)

    def pull(self) -> tuple[bool, str | None]:
        """(a new pack was installed, the problem if one was refused)."""
        found = self.engine.check_content(self.data, LANGUAGES, self.keys)
        return found.pack is not None, found.problem

    def titles(self) -> str:
        installed = received_content_dir(self.data)
        assert installed is not None
        return (installed / "open-opinion.yaml").read_text("utf-8")

    def close(self) -> None:
        self.engine.close()
        self.database.close()


def publish(hub: HubBackend, key: Ed25519PrivateKey, title: str, targets: list[str]) -> int:
    with hub.store.sessions() as session:
        pack = packs.upload(
            session, sample_zip(**{"open-opinion.yaml": retitled(title)}), "p.zip", title, "ed"
        )
        packs.publish(session, pack, targets, key, "editor")
        session.commit()
        return pack.id


def test_a_rotation_keeps_every_kiosk_served_and_one_without_the_new_key_keeps_its_pack(
    hub: HubBackend, tmp_path: Path
) -> None:
    old, _ = key_file(tmp_path, "old")
    new, new_file = key_file(tmp_path, "new")
    old_public, new_public = public_key_text(old.public_key()), public_key_text(new.public_key())
    hub.settings.signing_key = old
    publish(hub, old, "Spring", [ALL_KIOSKS])

    # Step 2: the kiosks are given the new key as current and the old one as previous; one missed it.
    rotating = Kiosk(hub, tmp_path / "rotating", "dev-1", new_public, old_public)
    missed = Kiosk(hub, tmp_path / "missed", "dev-1", old_public)
    only_new = Kiosk(hub, tmp_path / "only-new", "dev-1", new_public)
    try:
        assert rotating.pull() == (True, None)  # signed with the old key: a previous key verifies
        assert "Spring" in rotating.titles()
        assert missed.pull() == (True, None)
        # Without the old key listed as previous, the same old-signed pack is refused.
        installed, problem = only_new.pull()
        assert not installed and problem is not None and REFUSED in problem
        assert received_content_dir(only_new.data) is None
        assert rotating.pull() == (False, None)  # 304: nothing new

        # Step 3: the hub restarts with the new key and re-signs what is published.
        hub.settings.signing_key = new
        done = resign(hub.database_url, new_file)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("1 pack(s) re-signed") and new_public in done.stdout

        # The ETag changed with the signature: the rotating kiosk pulls the re-signed pack.
        assert rotating.pull() == (True, None)
        assert "Spring" in rotating.titles()
        assert rotating.pull() == (False, None)
        assert only_new.pull() == (True, None)  # and the kiosk with only the new key now takes it

        # The kiosk that missed the new key refuses the re-signed pack and keeps its own.
        before = missed.titles()
        installed, problem = missed.pull()
        assert not installed and problem is not None
        assert REFUSED in problem and "content.signing_public_key" in problem
        assert missed.titles() == before and "Spring" in before
        # It keeps asking (its ETag is the old one) and keeps refusing, until it is given the key.
        assert missed.pull()[1] is not None

        # A pack published after the restart is signed with the new key; re-signing again then
        # finds nothing to do, and the kiosks see no change.
        publish(hub, new, "Summer", [ALL_KIOSKS])
        assert rotating.pull() == (True, None) and "Summer" in rotating.titles()
        done_again = resign(hub.database_url, new_file)
        assert done_again.returncode == 0, done_again.stderr
        assert done_again.stdout.startswith("0 pack(s) re-signed")
        assert rotating.pull() == (False, None)  # nothing re-signed: the same ETag, 304
    finally:
        for kiosk in (rotating, missed, only_new):
            kiosk.close()


def test_resign_signs_every_published_pack_once_and_leaves_drafts_and_withdrawn_packs(
    hub: HubBackend, tmp_path: Path
) -> None:
    old, _ = key_file(tmp_path, "old")
    new, new_file = key_file(tmp_path, "new")
    for_all = publish(hub, old, "All", [ALL_KIOSKS])
    for_one = publish(hub, old, "One", ["dev-1", "dev-2"])
    gone = publish(hub, old, "Gone", ["dev-3"])
    with hub.store.sessions() as session:
        packs.withdraw(session, session.get_one(PackRow, gone))
        draft = packs.upload(session, sample_zip(), "d.zip", "Draft", "ed").id
        session.commit()
        before = {row.id: row.signature for row in session.scalars(select(PackRow))}

    url = "/v1/devices/dev-1/content"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    served = requests.get(hub.url + url, headers=headers, timeout=10)
    assert served.status_code == 200

    first = resign(hub.database_url, new_file)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("2 pack(s) re-signed")
    second = resign(hub.database_url, new_file)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("0 pack(s) re-signed")

    with hub.store.sessions() as session:
        rows = {row.id: row for row in session.scalars(select(PackRow))}
        for pack_id in (for_all, for_one):
            row = rows[pack_id]
            assert row.signature != before[pack_id]
            pairs = [(f["name"], f["text"]) for f in row.files]
            verify_pack([new.public_key()], pairs, row.signature)
            with pytest.raises(ContentError):
                verify_pack([old.public_key()], pairs, row.signature)
        assert rows[gone].signature == before[gone]  # withdrawn: served to nobody, left alone
        assert rows[draft].signature is None  # a draft is signed when published
        audited = session.scalars(
            select(AuditRow).where(AuditRow.action == "pack re-signed").order_by(AuditRow.target)
        ).all()
        assert sorted(int(a.target) for a in audited) == sorted([for_all, for_one])
        assert all(a.user_name.startswith("cli:") for a in audited)
        assert {a.detail["key"] for a in audited} == {public_key_text(new.public_key())}

    # The same pack, a new signature: a new ETag, and the old one no longer answers 304.
    again = requests.get(
        hub.url + url, headers={**headers, "If-None-Match": served.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 200 and again.headers["ETag"] != served.headers["ETag"]
    assert again.json()["files"] == served.json()["files"]
    assert again.json()["signature"] != served.json()["signature"]

    # A key file that is not a key: exit 2 naming the file, nothing changed.
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a key\n", "utf-8")
    refused = resign(hub.database_url, bogus)
    assert refused.returncode == 2 and str(bogus) in refused.stderr


def test_the_folder_served_under_a_new_key_has_a_new_etag(hub: HubBackend, tmp_path: Path) -> None:
    """With no pack published the kiosks get the `--content` folder, signed per request: after
    the hub restarts with the new key, its ETag changes too, so the kiosks pull it again."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    url = f"{hub.url}/v1/devices/dev-1/content"
    hub.settings.signing_key = Ed25519PrivateKey.generate()
    old = requests.get(url, headers=headers, timeout=10)
    assert (
        requests.get(
            url, headers={**headers, "If-None-Match": old.headers["ETag"]}, timeout=10
        ).status_code
        == 304
    )
    hub.settings.signing_key = Ed25519PrivateKey.generate()
    new = requests.get(url, headers={**headers, "If-None-Match": old.headers["ETag"]}, timeout=10)
    assert new.status_code == 200 and new.headers["ETag"] != old.headers["ETag"]
    assert new.json()["files"] == old.json()["files"]


def test_a_usb_pack_signed_with_the_previous_key_is_accepted_during_a_rotation(
    tmp_path: Path,
) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    old_public, new_public = public_key_text(old.public_key()), public_key_text(new.public_key())
    pack = Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "kiosk-content"))
    (pack / SIGNATURE_FILE).write_text(sign_pack(old, directory_files(pack)), "ascii")
    current = load_pack(SAMPLE_CONTENT, LANGUAGES)
    assert preview_pack(pack, current, LANGUAGES, (new_public, old_public)).pack is not None
    with pytest.raises(ContentError) as refused:
        preview_pack(pack, current, LANGUAGES, (new_public,))
    assert str(pack / SIGNATURE_FILE) in refused.value.problems[0]
    assert REFUSED in refused.value.problems[0]
