"""Content packs uploaded to the hub: validated by the kiosk's own loader, signed on publish, served
to the kiosks they were published to (else to all, else the --content folder), withdrawn."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.orm import Session

from kiosk.content.signing import pack_message, verify_pack
from kiosk_hub import devices, packs
from kiosk_hub.db import make_engine, session_factory
from kiosk_hub.pack_archive import ArchiveError
from kiosk_hub.web.models import ALL_KIOSKS, PackRow
from tests.conftest import SAMPLE_CONTENT
from tests.hub.conftest import TOKEN
from tests.hub.fixtures import HubBackend, retitled, sample_zip


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url, pool_size=1)
    with session_factory(engine)() as opened:
        yield opened
    engine.dispose()


def test_an_upload_is_a_draft_validated_by_the_kiosk_loader(session: Session) -> None:
    pack = packs.upload(session, sample_zip(**{"open-opinion.yaml": retitled("New")}),
                        "spring.zip", "", "editor")  # fmt: skip
    assert pack.state == "draft" and pack.problems == [] and pack.title == "spring"
    assert [f["name"] for f in pack.files] == sorted(p.name for p in SAMPLE_CONTENT.glob("*.yaml"))
    assert len(pack.version) == 12 and pack.signature is None
    assert packs.validate_files(pack.files)[0] is not None


def test_problems_name_the_file_the_place_and_what_is_wrong(session: Session) -> None:
    broken = retitled("x").replace("kind: opinion", "kind: opinion\ncolour: red", 1)
    pack = packs.upload(
        session,
        sample_zip(**{"open-opinion.yaml": broken, "notes.txt": "hi", "bad.yaml": "id: [oops",
                      "latin1.yaml": b"id: \xe9", "nul.yaml": "id\x00: x"}),
        "broken.zip", "Broken", "editor",
    )  # fmt: skip
    found = {(p["file"], p["place"]): p["message"] for p in pack.problems}
    assert found[("open-opinion.yaml", "colour")] == "unknown key"
    assert found[("notes.txt", "")] == "not a form file (expected *.yaml or *.yml)"
    assert found[("latin1.yaml", "byte 4")] == "not UTF-8 text"
    assert found[("nul.yaml", "character 2")] == "a NUL character"
    assert found[("bad.yaml", "line 1, column 10")].startswith("not valid YAML")
    with pytest.raises(packs.PackError, match="problems"):
        packs.publish(session, pack, [ALL_KIOSKS], Ed25519PrivateKey.generate(), "editor")


def test_a_hostile_archive_is_refused_before_anything_is_stored(session: Session) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/cron.d/evil.yaml", "x")
    with pytest.raises(ArchiveError, match=r"\.\./\.\./etc/cron.d/evil.yaml"):
        packs.upload(session, buffer.getvalue(), "evil.zip", "", "editor")


def test_publish_signs_once_and_the_signature_verifies_for_the_kiosk(session: Session) -> None:
    key = Ed25519PrivateKey.generate()
    pack = packs.upload(session, sample_zip(), "p.zip", "", "editor")
    with pytest.raises(packs.PackError, match="no content-signing key"):
        packs.publish(session, pack, [ALL_KIOSKS], None, "editor")
    with pytest.raises(packs.PackError, match="at least one kiosk"):
        packs.publish(session, pack, [], key, "editor")
    packs.publish(session, pack, ["kiosk-a"], key, "editor")
    pairs = [(f["name"], f["text"]) for f in pack.files]
    verify_pack([key.public_key()], pairs, pack.signature)
    assert pack.signed_bytes == pack_message(pairs)
    first = pack.signature
    packs.publish(session, pack, ["kiosk-b", "kiosk-a"], key, "admin")
    assert pack.signature == first and packs.targets_of(session, pack.id) == ["kiosk-a", "kiosk-b"]


def test_two_editors_publishing_to_the_same_kiosk_at_once_both_succeed(database_url: str) -> None:
    key = Ed25519PrivateKey.generate()
    engine = make_engine(database_url, pool_size=3)
    sessions = session_factory(engine)
    with sessions() as setup:
        pack_id = packs.upload(setup, sample_zip(), "p.zip", "", "editor").id
        packs.publish(setup, setup.get_one(PackRow, pack_id), ["kiosk-z"], key, "editor")
        setup.commit()
    first, second = sessions(), sessions()
    errors: list[BaseException] = []

    def publish_second() -> None:
        try:
            packs.publish(second, second.get_one(PackRow, pack_id), ["kiosk-a"], key, "bob")
            second.commit()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    racer = threading.Thread(target=publish_second, daemon=True)
    try:
        packs.publish(first, first.get_one(PackRow, pack_id), ["kiosk-a"], key, "ann")
        racer.start()
        waiting = 0
        with sessions() as watcher:  # the second insert waits on the first's uncommitted row
            deadline = time.monotonic() + 30
            while not waiting and racer.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
                waiting = watcher.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"
                    )
                )
                watcher.rollback()  # pg_stat_activity is read once per transaction
        assert waiting == 1, f"the second publish did not wait for the first: {errors}"
        first.commit()
        racer.join(timeout=30)
        assert not racer.is_alive() and errors == []
        with sessions() as check:
            assert packs.targets_of(check, pack_id) == ["kiosk-a", "kiosk-z"]
            assert check.get_one(PackRow, pack_id).published_by == "bob"
    finally:
        first.close()  # a failed test must not leave the second publish waiting
        if racer.ident is not None:
            racer.join(timeout=30)
        second.close()
        engine.dispose()


def test_a_kiosk_gets_its_own_pack_else_the_all_kiosks_pack_and_withdrawal_reverts(
    session: Session,
) -> None:
    key = Ed25519PrivateKey.generate()
    for_all = packs.upload(
        session, sample_zip(**{"open-opinion.yaml": retitled("All")}), "a.zip", "", "e"
    )
    for_a = packs.upload(
        session, sample_zip(**{"open-opinion.yaml": retitled("A")}), "b.zip", "", "e"
    )
    assert packs.served_pack(session, "kiosk-a") is None  # drafts are served to nobody
    packs.publish(session, for_all, [ALL_KIOSKS], key, "editor")
    packs.publish(session, for_a, ["kiosk-a"], key, "editor")
    assert packs.served_pack(session, "kiosk-a") is for_a
    assert packs.served_pack(session, "kiosk-b") is for_all
    packs.withdraw(session, for_a)
    assert for_a.state == "withdrawn" and packs.targets_of(session, for_a.id) == []
    assert packs.served_pack(session, "kiosk-a") is for_all
    packs.withdraw(session, for_all)
    assert packs.served_pack(session, "kiosk-a") is None
    with pytest.raises(packs.PackError, match="withdrawn"):
        packs.publish(session, for_a, ["kiosk-a"], key, "editor")


def get_content(
    hub: HubBackend, device: str, token: str, etag: str | None = None
) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    if etag:
        headers["If-None-Match"] = etag
    return requests.get(f"{hub.url}/v1/devices/{device}/content", headers=headers, timeout=10)


def test_the_content_route_serves_the_published_pack_with_etag_and_reverts_on_withdrawal(
    hub: HubBackend, served_content: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    hub.settings.signing_key = key
    other_token = "hub-test-token-other-kiosk"
    with hub.store.sessions() as session:
        devices.issue_token(session, "second kiosk", other_token)
        session.commit()
    folder = get_content(hub, "dev-1", TOKEN)
    assert folder.status_code == 200
    assert get_content(hub, "dev-1", TOKEN, folder.headers["ETag"]).status_code == 304

    with hub.store.sessions() as session:
        pack = packs.upload(session, sample_zip(**{"open-opinion.yaml": retitled("Spring")}),
                            "spring.zip", "Spring", "editor")  # fmt: skip
        packs.publish(session, pack, ["dev-1"], key, "editor")
        session.commit()
        pack_id = pack.id
    served = get_content(hub, "dev-1", TOKEN, folder.headers["ETag"])
    assert served.status_code == 200
    body = served.json()
    assert body["etag"] == served.headers["ETag"] != folder.headers["ETag"]
    assert any("Spring" in f["text"] for f in body["files"])
    verify_pack(
        [key.public_key()], [(f["name"], f["text"]) for f in body["files"]], body["signature"]
    )
    assert get_content(hub, "dev-1", TOKEN, served.headers["ETag"]).status_code == 304
    # Another kiosk still gets the folder.
    assert get_content(hub, "dev-2", other_token).headers["ETag"] == folder.headers["ETag"]

    with hub.store.sessions() as session:
        withdrawn = session.get(PackRow, pack_id)
        assert withdrawn is not None
        packs.withdraw(session, withdrawn)
        session.commit()
    reverted = get_content(hub, "dev-1", TOKEN, served.headers["ETag"])
    assert reverted.status_code == 200 and reverted.headers["ETag"] == folder.headers["ETag"]
