"""Signed content packs: the hub signs, the kiosk installs only what verifies against its key,
from the network or from a USB stick, and says so to staff when a pack is refused."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.core.keys import public_key_text
from kiosk.staff.controller import Page
from kiosk.storage import Database, open_database
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient
from kiosk.sync.content_pull import received_content_dir
from kiosk.sync.engine import Limits, SyncEngine
from kiosk_hub.reference.server import ReferenceBackend
from tests.conftest import SAMPLE_CONTENT
from tests.hub.conftest import TOKEN
from tests.hub.fixtures import running_hub
from tests.staff_support import StaffHands, staff_config_for, staff_kiosk_for

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = ["ko", "en"]


def content_engine(url: str, data: Path, device: str) -> tuple[SyncEngine, Database]:
    database = open_database(data / "kiosk.sqlite3")
    client = BackendClient(url, device, TOKEN, 2.0, 5.0)
    limits = Limits(10, 1_000_000, 0.01, 0.1)
    return SyncEngine(Outbox(database), client, limits, random.random), database


def test_a_pack_from_the_hub_is_installed_only_when_its_signature_verifies(
    tmp_path: Path, served_content: Path
) -> None:
    hub_key, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    public = public_key_text(hub_key.public_key())
    data = tmp_path / "kiosk"
    data.mkdir()
    with running_hub(served_content, TOKEN) as hub:
        hub.settings.signing_key = stranger  # signed, but not by this kiosk's hub
        engine, database = content_engine(hub.url, data, "dev-1")
        refused = engine.check_content(data, LANGUAGES, [public])
        assert refused.pack is None and received_content_dir(data) is None
        assert refused.problem is not None
        assert "signature does not verify against the configured key(s)" in refused.problem
        assert "content.signing_public_key" in refused.problem

        hub.settings.signing_key = hub_key
        accepted = engine.check_content(data, LANGUAGES, [public])
        assert accepted.pack is not None and accepted.problem is None
        installed = received_content_dir(data)
        assert installed is not None
        assert sorted(p.name for p in installed.iterdir()) == sorted(
            p.name for p in served_content.glob("*.yaml")
        )
        engine.close()
        database.close()

    # The reference backend signs nothing: a kiosk holding a key refuses its packs.
    reference = ReferenceBackend(tmp_path / "ref.sqlite3", served_content, token=TOKEN).start()
    try:
        other = tmp_path / "other"
        other.mkdir()
        engine, database = content_engine(reference.url, other, "dev-2")
        unsigned = engine.check_content(other, LANGUAGES, [public])
        assert unsigned.problem is not None and "not signed" in unsigned.problem
        assert received_content_dir(other) is None
        assert engine.check_content(other, LANGUAGES, ()).pack is not None  # no key: as before
        engine.close()
        database.close()
    finally:
        reference.stop()


def test_a_usb_pack_is_installed_when_signed_and_a_tampered_one_is_refused_on_the_staff_screen(
    tmp_path: Path,
    usb: Path,
    config: KioskConfig,
    make_kiosk: Callable[..., KioskApp],
    clock: object,
) -> None:
    key_file = tmp_path / "hub-signing.pem"
    made = subprocess.run(
        [sys.executable, "-m", "kiosk_hub", "signing-key", "--out", str(key_file)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    public = made.stdout.strip()
    assert key_file.stat().st_mode & 0o777 == 0o600
    pack = usb / "kiosk-content"
    shutil.copytree(SAMPLE_CONTENT, pack)
    opinion = pack / "open-opinion.yaml"
    opinion.write_text(opinion.read_text("utf-8").replace("version: 1", "version: 2", 1), "utf-8")
    signed = subprocess.run(
        [sys.executable, "-m", "kiosk_hub", "sign-pack", str(pack), "--signing-key", str(key_file)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    assert (pack / "pack.sig").is_file()

    content = config.content.model_copy(update={"signing_public_key": public})
    keyed = staff_config_for(config.model_copy(update={"content": content}), usb)
    kiosk = staff_kiosk_for(make_kiosk, keyed, clock)  # type: ignore[arg-type]
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    actions = hands.area.actions_screen

    # Altered after signing (one comment line added): refused, and staff are told why.
    before = kiosk.session.content.version
    original = opinion.read_text("utf-8")
    opinion.write_text(original + "# one line more\n", "utf-8")
    hands.tap(actions.import_pack)
    notice = actions.notice.text()
    assert "was not imported" in notice and "signature does not verify" in notice
    assert str(pack / "pack.sig") in notice  # the stick's file, not the kiosk's staging copy
    assert not actions.apply_pack.isVisible()
    assert kiosk.session.content.version == before
    rejected = [e for e in kiosk.repository.audit_entries() if e.action == "content.rejected"]
    assert len(rejected) == 1

    opinion.write_text(original, "utf-8")  # as signed
    hands.tap(actions.import_pack)
    assert "changed open-opinion" in actions.notice.text()
    hands.tap(actions.apply_pack)
    assert (keyed.data_dir / "content" / "pack.sig").is_file()  # installed, signature kept
    assert [e.action for e in kiosk.repository.audit_entries()].count("content.imported") == 1
