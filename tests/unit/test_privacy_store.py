"""Sealed contact details, consent receipts, abuse flags and retention in the real SQLite store."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.core.records import ConsentReceipt
from kiosk.privacy.sealing import (
    SealError,
    generate_key_files,
    load_private_key_pem,
    load_public_key_pem,
    open_sealed,
    seal,
)
from kiosk.storage import Repository, open_database
from kiosk.storage.abuse import BURST, DUPLICATE_TEXT, TOO_FAST, AbuseRules
from kiosk.storage.database import HEAD_REVISION, make_engine, upgrade
from tests.conftest import FakeClock
from tests.factories import T0, opinion_draft

draft = opinion_draft


@pytest.fixture
def store(tmp_path: Path) -> tuple[Repository, FakeClock]:
    clock = FakeClock(T0)
    database = open_database(tmp_path / "kiosk.sqlite3")
    yield Repository(database, clock, AbuseRules(burst_count=1000)), clock
    database.close()


def test_sealed_box_opens_only_with_the_matching_private_key() -> None:
    private = X25519PrivateKey.generate()
    blob = seal(private.public_key(), b'{"email": "a@b.kr"}')
    assert b"a@b.kr" not in blob
    assert open_sealed(private, blob) == b'{"email": "a@b.kr"}'
    assert seal(private.public_key(), b"x") != seal(private.public_key(), b"x")  # fresh each time
    with pytest.raises(SealError, match="not sealed to this key"):
        open_sealed(X25519PrivateKey.generate(), blob)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(SealError, match="altered"):
        open_sealed(private, tampered)
    with pytest.raises(SealError, match="header"):
        open_sealed(private, b"nonsense")


def test_generated_key_files_work_together_and_are_never_overwritten(tmp_path: Path) -> None:
    pair = generate_key_files(tmp_path / "keys")
    assert pair.private_path.stat().st_mode & 0o077 == 0
    public = load_public_key_pem(pair.public_path.read_bytes(), str(pair.public_path))
    private = load_private_key_pem(pair.private_path.read_bytes())
    assert open_sealed(private, seal(public, b"010-1234-5678")) == b"010-1234-5678"
    with pytest.raises(FileExistsError, match="already exists"):
        generate_key_files(tmp_path / "keys")


def test_response_keeps_consent_receipt_and_only_the_ciphertext(
    store: tuple[Repository, FakeClock], tmp_path: Path
) -> None:
    repository, _ = store
    private = X25519PrivateKey.generate()
    blob = seal(private.public_key(), b"visitor@example.com")
    receipt = ConsentReceipt("v1", (("email", True), ("phone", False)), T0)
    saved = repository.save_response(draft(consent=receipt, contact_ciphertext=blob))
    assert saved.has_contact
    stored = repository.response(saved.id)
    assert stored is not None and stored.has_contact
    assert not hasattr(stored, "contact_ciphertext")
    assert repository.consent_receipt(saved.id) == receipt
    assert open_sealed(private, repository.contact_ciphertext(saved.id) or b"") == (
        b"visitor@example.com"
    )
    refused = repository.save_response(
        draft(consent=ConsentReceipt("v1", (("email", False), ("phone", False)), T0))
    )
    assert repository.contact_ciphertext(refused.id) is None
    has_contact = {r.id: r.has_contact for r in repository.iter_responses()}
    assert has_contact == {saved.id: True, refused.id: False}


def test_the_store_refuses_text_over_its_limit_or_not_normalised(
    store: tuple[Repository, FakeClock],
) -> None:
    repository, _ = store
    with pytest.raises(ValueError, match="'opinion' has 1001 code points, limit 1000"):
        repository.save_response(draft(text="가" * 1001))
    with pytest.raises(ValueError, match="not NFC"):
        repository.save_response(draft(text="\u1100\u1161"))  # 가 as two jamo
    assert list(repository.iter_responses()) == []
    repository.save_response(draft(text="가" * 1000))


def test_identical_text_bursts_and_impossible_typing_are_flagged_never_dropped(
    tmp_path: Path,
) -> None:
    clock = FakeClock(T0)
    database = open_database(tmp_path / "kiosk.sqlite3")
    try:
        rules = AbuseRules(
            duplicate_text_window_s=600, burst_window_s=60, burst_count=3, max_chars_per_second=10
        )
        repository = Repository(database, clock, rules)
        first = repository.save_response(draft(T0))
        again = repository.save_response(draft(T0 + timedelta(minutes=5)))
        later = repository.save_response(draft(T0 + timedelta(minutes=30)))
        assert first.flags == () and later.flags == ()
        assert again.flags == (DUPLICATE_TEXT,)
        burst = [
            repository.save_response(draft(T0 + timedelta(hours=2, seconds=i), text=f"글 {i}"))
            for i in range(3)
        ]
        assert [r.flags for r in burst] == [(), (), (BURST,)]
        long_text = "빠르게 쓴 아주 긴 글입니다. " * 10
        fast = draft(
            T0 + timedelta(hours=5), text=long_text, started_at=T0 + timedelta(hours=5, seconds=-3)
        )
        assert repository.save_response(fast).flags == (TOO_FAST,)
        stored = {r.id: r.flags for r in repository.iter_responses()}
        assert len(stored) == 7 and stored[again.id] == (DUPLICATE_TEXT,)
    finally:
        database.close()


def test_purge_with_a_fake_clock_deletes_on_schedule_and_audits_counts(
    store: tuple[Repository, FakeClock], tmp_path: Path
) -> None:
    repository, clock = store
    blob = seal(X25519PrivateKey.generate().public_key(), b"x")
    old_contact = repository.save_response(draft(T0, contact_ciphertext=blob))
    new_contact = repository.save_response(
        draft(T0 + timedelta(days=20), text="다른 의견", contact_ciphertext=blob)
    )
    sent_old = repository.save_response(draft(T0, text="보낸 의견"))
    queued_old = repository.save_response(draft(T0, text="아직 안 보낸 의견"))
    path = tmp_path / "kiosk.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "UPDATE outbox SET state='sent', updated_at=? WHERE response_id=?",
            ((T0 + timedelta(days=1)).isoformat(timespec="microseconds"), sent_old.id),
        )
    clock.now = T0 + timedelta(days=30)
    nothing = repository.purge(contact_days=30, sent_days=90)
    assert (nothing.contacts, nothing.responses) == (0, 0)
    clock.now = T0 + timedelta(days=30, seconds=1)
    dry = repository.purge(contact_days=30, sent_days=90, dry_run=True)
    assert (dry.contacts, dry.responses) == (1, 0)
    assert repository.contact_ciphertext(old_contact.id) is not None
    done = repository.purge(contact_days=30, sent_days=90)
    assert (done.contacts, done.responses) == (1, 0)
    assert repository.contact_ciphertext(old_contact.id) is None
    assert repository.contact_ciphertext(new_contact.id) is not None
    assert repository.response(old_contact.id) is not None  # the opinion itself stays
    clock.now = T0 + timedelta(days=91, seconds=1)
    swept = repository.purge(contact_days=30, sent_days=90)
    assert (swept.contacts, swept.responses) == (1, 1)
    assert repository.response(sent_old.id) is None
    assert repository.response(queued_old.id) is not None  # never acknowledged: kept
    audits = [(e.action, e.detail["count"]) for e in repository.audit_entries()]
    assert audits[:2] == [("purge_responses", 1), ("purge_contacts", 1)]
    assert audits.count(("purge_contacts", 0)) == 1 and len(audits) == 6  # dry run audits nothing


def test_upgrade_from_0002_adds_the_privacy_tables_and_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    engine = make_engine(path)
    upgrade(engine, path, 3, target="0002")
    engine.dispose()
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "INSERT INTO responses VALUES ('r1','f',1,'h','c','ko','complete',"
            "'2026-11-27T03:00:00.000000+00:00','2026-11-27T03:00:00.000000+00:00','d')"
        )
    database = open_database(path)
    try:
        assert database.revision() == HEAD_REVISION
        repository = Repository(database)
        kept = repository.response("r1")
        assert kept is not None and not kept.has_contact and kept.flags == ()
    finally:
        database.close()


def test_sealed_blobs_carry_a_version_field_and_the_old_format_still_opens() -> None:
    from kiosk.privacy.sealing import MAGIC_V1, MAGIC_V2, seal_v1

    private = X25519PrivateKey.generate()
    current = seal(private.public_key(), b'{"phone": "010-1234-5678"}')
    assert current[:3] == MAGIC_V2 and len(current) == 3 + 32 + 26 + 16  # HPKE enc | ct | tag
    old = seal_v1(private.public_key(), b'{"email": "a@b.kr"}')
    assert old[:3] == MAGIC_V1
    assert open_sealed(private, old) == b'{"email": "a@b.kr"}'
    assert open_sealed(private, current) == b'{"phone": "010-1234-5678"}'
    with pytest.raises(SealError, match="header"):
        open_sealed(private, MAGIC_V2 + b"short")
