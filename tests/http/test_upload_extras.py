"""What privacy and receipts add to a response travels: receipt, consent, sealed contact, flags.

Real parts end to end: a visitor drives the offscreen UI, the kiosk's worker or `kiosk sync --once`
uploads over loopback HTTP, and the reference backend opens the sealed contact details with the
ministry's private key in its own SQLite file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.core.records import ConsentReceipt
from kiosk.privacy.sealing import seal
from kiosk.protocol.payload import RESPONSE_FIELDS, batch_body, canonical_json, response_document
from kiosk.storage import Repository, open_database
from kiosk.storage.abuse import DUPLICATE_TEXT, TOO_FAST, AbuseRules
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient, Delivered
from kiosk.sync.credentials import MemoryKeyring, store_token
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from kiosk_hub.reference.server import ReferenceBackend
from tests.app.test_privacy_ui import (  # noqa: F401 (fixtures)
    EMAIL,
    log_file,
    open_opinion,
    private_key_and_config,
    spellings,
    store_bytes,
)
from tests.conftest import SAMPLE_CONTENT, FakeClock
from tests.factories import T0, opinion_draft

from .conftest import TOKEN, EngineFactory, sync_config, wait_until
from .test_crash_and_cli import run_cli, write_config

# This file's opinions: another text and form hash than the privacy tests' own.
draft = functools.partial(opinion_draft, text="여권 발급 안내가 친절했습니다", form_hash="cd" * 32)
MakeKiosk = Callable[..., KioskApp]


def test_an_email_given_in_the_ui_reaches_the_backend_sealed_and_opens_there_only(
    make_kiosk: MakeKiosk,
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],  # noqa: F811
    log_file: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    private_key, keyed = private_key_and_config
    backend = ReferenceBackend(
        tmp_path / "ministry.sqlite3", SAMPLE_CONTENT, TOKEN, contact_key=private_key
    ).start()
    try:
        keyring = MemoryKeyring()
        store_token(keyring, backend.url, TOKEN)
        kiosk = make_kiosk(sync_config(keyed, backend.url), sync_keyring=keyring)
        driver = KioskDriver(kiosk)
        open_opinion(driver, "en", "Please reply about visas.")
        driver.consent("email", True)
        driver.consent("phone", False)
        driver.confirm_consent()
        driver.type_contact("email", EMAIL)
        driver.send_contact()
        assert kiosk.session.step == Step.THANKS
        (stored,) = list(kiosk.repository.iter_responses())
        assert stored.has_contact and stored.receipt

        wait_until(lambda: kiosk.sync_status().sent == 1, 15, "the worker to upload the visit")
        opened = backend.store.contact(stored.id)
        assert opened is not None and opened.problem is None
        assert json.loads(opened.plaintext or "") == {"email": EMAIL}
        document = backend.store.document(stored.id)
        assert document is not None
        assert document["receipt"] == stored.receipt
        consent = kiosk.repository.consent_receipt(stored.id)
        assert consent is not None
        assert document["consent"] == {
            "at": consent.at.isoformat(timespec="microseconds"),
            "choices": {"email": True, "phone": False},
            "text_version": consent.text_version,
        }
        assert EMAIL not in json.dumps(document)  # the document holds the sealed blob only
        report = backend.store.report()
        assert (report["contacts_received"], report["contacts_decrypted"]) == (1, 1)
        assert report["receipts_received"] == 1

        while_open = store_bytes(kiosk)
        kiosk.close()
        kiosk_side = while_open + store_bytes(kiosk) + log_file.read_bytes()
        for form in spellings(EMAIL):
            assert form not in kiosk_side, f"{form!r} found in the kiosk's store or log"
    finally:
        backend.stop()
    # The search above can find it: the ministry's own file (checkpointed at stop) holds it.
    assert EMAIL.encode() in (tmp_path / "ministry.sqlite3").read_bytes()


def test_the_sql_documents_carry_every_extra_and_a_plain_response_keeps_its_old_form(
    tmp_path: Path, backend: ReferenceBackend, make_engine: EngineFactory
) -> None:
    database = open_database(tmp_path / "kiosk.sqlite3")
    try:
        rules = AbuseRules(duplicate_text_window_s=600, max_chars_per_second=1)
        repository = Repository(database, FakeClock(T0), rules)
        blob = seal(X25519PrivateKey.generate().public_key(), b'{"phone": "010-2345-6789"}')
        long_text = "재외국민 안전 안내 문자를 더 일찍, 더 자세하게 보내 주시면 좋겠습니다."
        plain = repository.save_response(draft(T0, text=long_text, receipt=None))
        full = repository.save_response(
            draft(
                T0 + timedelta(minutes=1),
                text=long_text,
                started_at=T0 + timedelta(seconds=55),  # 5 s for the whole text: too fast
                receipt="K7P2QXW4",
                consent=ConsentReceipt("2026-11", (("email", False), ("phone", True)), T0),
                contact_ciphertext=blob,
            )
        )
        assert full.flags == (DUPLICATE_TEXT, TOO_FAST)
        documents = {o.id: json.loads(o.document) for o in Outbox(database).candidates(10)}
        assert set(documents[plain.id]) == set(RESPONSE_FIELDS)  # same bytes, same hash as before
        assert documents[plain.id] == response_document(plain)
        expected = response_document(
            full, repository.consent_receipt(full.id), repository.contact_ciphertext(full.id)
        )
        assert documents[full.id] == expected
        assert expected["flags"] == [DUPLICATE_TEXT, TOO_FAST]
        assert expected["consent"]["choices"] == {"email": False, "phone": True}

        # A backend without the private key keeps the blob unopened and says why.
        make_engine(database).run_pass(lambda _s: None, max_failures=3)
        assert backend.store.document(full.id) == expected
        opened = backend.store.contact(full.id)
        assert opened is not None and opened.plaintext is None
        assert "--contact-key" in (opened.problem or "")
        assert backend.store.contact(plain.id) is None
        report = backend.store.report()
        assert (report["contacts_received"], report["contacts_decrypted"]) == (1, 0)
        assert (report["receipts_received"], report["flagged_responses"]) == (1, 1)
    finally:
        database.close()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("contact_sealed", "not base64!", "contact_sealed: expected base64 text"),
        ("receipt", "", "receipt: expected a non-empty string"),
        ("consent", {"choices": {"email": True}}, "consent: expected {at, choices, text_version}"),
        (
            "consent",
            {"at": "2026-11-27T03:00:00+00:00", "choices": {"email": "yes"}, "text_version": "1"},
            "consent.choices: expected an object of item: true/false",
        ),
        ("flags", [], "flags: expected a non-empty list of distinct flag names"),
        ("contact_plain", "a@b.kr", "unknown ['contact_plain']"),
    ],
)
def test_bad_extras_are_rejected_naming_the_field(
    backend: ReferenceBackend, field: str, value: object, reason: str
) -> None:
    response = draft()
    document = {
        "id": response.id,
        "form_id": response.form_id,
        "form_version": 1,
        "form_hash": response.form_hash,
        "content_version": "x",
        "language": "ko",
        "status": "complete",
        "started_at": response.started_at.isoformat(),
        "submitted_at": response.submitted_at.isoformat(),
        "device_id": "dev-1",
        "answers": [{"question_id": "q", "value": 3}],
        field: value,
    }
    batch_id = str(uuid.uuid4())
    client = BackendClient(backend.url, "dev-1", TOKEN, 2.0, 5.0)
    try:
        answer = client.post_batch(batch_id, batch_body(batch_id, [canonical_json(document)]))
    finally:
        client.close()
    assert isinstance(answer, Delivered)
    ((_, verdict, why),) = answer.verdicts
    assert verdict == "rejected" and reason in (why or "")
    assert backend.store.contact(response.id) is None


def test_a_changed_receipt_for_an_uploaded_id_is_a_conflict_through_sync_once(
    tmp_path: Path,
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "kiosk").mkdir()
    path = tmp_path / "kiosk" / "kiosk.sqlite3"
    database = open_database(path)
    response = Repository(database, FakeClock(T0)).save_response(draft(receipt="K7P2QXW4"))
    database.close()
    config = str(write_config(tmp_path, backend.url))
    code, _, err = run_cli(
        capsys, monkeypatch, "enroll", "--backend", backend.url, "--config", config, stdin=TOKEN
    )
    assert code == 0, err
    code, out, err = run_cli(capsys, monkeypatch, "sync", "--once", "--config", config)
    assert code == 0 and json.loads(out)["sent"] == 1, err
    stored = backend.store.document(response.id)
    assert stored is not None and stored["receipt"] == "K7P2QXW4"

    # A kiosk restored from a backup taken before the acknowledgement, with another code.
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE responses SET receipt = 'M3N8RT6Y'")
        connection.execute("UPDATE outbox SET state = 'queued', batch_id = NULL")
    code, out, err = run_cli(capsys, monkeypatch, "sync", "--once", "--config", config)
    summary = json.loads(out)
    assert summary["quarantined"] == 1, (out, err)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        state, error = connection.execute("SELECT state, last_error FROM outbox").fetchone()
    assert state == "quarantined" and error.startswith("conflict: ")
    report = backend.store.report()
    assert (report["conflicts"], report["responses_stored"]) == (1, 1)
    assert backend.store.document(response.id) == stored  # the first receipt stays


def test_the_reference_backend_report_counts_contacts_and_a_bad_key_file_is_named(
    tmp_path: Path,
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = run_cli(
        capsys, monkeypatch, "reference-backend", "report", "--db", str(backend.store.path)
    )
    assert code == 0
    report = json.loads(out)
    assert (report["contacts_received"], report["contacts_decrypted"]) == (0, 0)
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("-----BEGIN NOTHING-----\n", encoding="utf-8")
    for key in (not_a_key, tmp_path / "missing.pem"):
        args = ("reference-backend", "--db", str(tmp_path / "b.sqlite3"), "--port", "0")
        code, _, err = run_cli(capsys, monkeypatch, *args, "--contact-key", str(key))
        assert code == 2 and f"--contact-key {key}" in err
    assert not (tmp_path / "b.sqlite3").exists()  # refused before anything was made


def test_purge_counts_retention_from_the_acknowledgement_not_the_last_row_update(
    tmp_path: Path,
) -> None:
    clock = FakeClock(T0)
    database = open_database(tmp_path / "kiosk.sqlite3")
    try:
        repository = Repository(database, clock)
        early, late, legacy = (
            repository.save_response(draft(T0, text=f"의견 {n}")) for n in range(3)
        )
        outbox = Outbox(database, clock)
        for response, acknowledged in (
            (early, T0 + timedelta(days=1)),
            (late, T0 + timedelta(days=30)),
        ):
            clock.now = acknowledged
            batch_id = str(uuid.uuid4())
            (outgoing,) = [o for o in outbox.candidates(10) if o.id == response.id]
            assert outbox.create_batch(batch_id, [outgoing], len(outgoing.document)) is not None
            outbox.settle(batch_id, {response.id: ("accepted", None)})

        def stamp(days: int) -> str:
            return (T0 + timedelta(days=days)).isoformat(timespec="microseconds")

        with contextlib.closing(sqlite3.connect(database.path)) as connection, connection:
            # A later write to a row must not move its end of life, nor an earlier one hasten it.
            connection.execute(
                "UPDATE outbox SET updated_at = ? WHERE response_id = ?", (stamp(60), early.id)
            )
            connection.execute(
                "UPDATE outbox SET updated_at = ? WHERE response_id = ?", (stamp(0), late.id)
            )
            # Marked sent with no batch on record: its updated_at is all there is.
            connection.execute(
                "UPDATE outbox SET state = 'sent', updated_at = ? WHERE response_id = ?",
                (stamp(1), legacy.id),
            )
        clock.now = T0 + timedelta(days=91, seconds=1)
        first = repository.purge(contact_days=365, sent_days=90)
        assert first.responses == 2
        assert repository.response(early.id) is None and repository.response(legacy.id) is None
        assert repository.response(late.id) is not None  # acknowledged on day 30: until day 120
        clock.now = T0 + timedelta(days=120, seconds=1)
        assert repository.purge(contact_days=365, sent_days=90).responses == 1
        assert repository.response(late.id) is None
    finally:
        database.close()
