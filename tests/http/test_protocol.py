"""The client's rules (stripe-python's): exact backoff schedule, outcomes classified, TLS always on."""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.core.errors import ConfigError
from kiosk.core.urls import check_backend_url
from kiosk.protocol.payload import batch_body, canonical_json
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.sync.backoff import backoff_delay, parse_retry_after, retry_delay
from kiosk.sync.client import BackendClient, Blocked, Delivered, Invalid, RetryLater
from kiosk.sync.credentials import CredentialsError, FileKeyring, MemoryKeyring
from kiosk_hub.reference.server import Faults, ReferenceBackend

from .conftest import TOKEN, sync_config, wait_until

BOTH_SERVERS = True  # every test with a `backend` runs against the reference backend and the hub


def test_backoff_doubles_up_to_the_cap_with_half_of_it_jittered() -> None:
    schedule = [backoff_delay(n, 2.0, 60.0, lambda: 0.0) for n in range(1, 8)]
    assert schedule == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    highest = [backoff_delay(n, 2.0, 60.0, lambda: 0.999) for n in range(1, 8)]
    assert highest == pytest.approx([2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0], rel=1e-3)
    assert backoff_delay(500, 2.0, 60.0, lambda: 0.5) == 45.0  # no overflow far out
    with pytest.raises(ValueError, match="attempt counts from 1"):
        backoff_delay(0, 2.0, 60.0, lambda: 0.0)


def test_retry_after_is_honoured_but_bounded() -> None:
    assert retry_delay(1, 2.0, 60.0, lambda: 0.0, retry_after_s=30) == 30
    assert retry_delay(6, 2.0, 60.0, lambda: 0.0, retry_after_s=5) == 30  # backoff is longer
    assert retry_delay(1, 2.0, 60.0, lambda: 0.0, retry_after_s=10**9) == 3600
    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Fri, 27 Nov 2026 03:00:30 GMT", now) == 30
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def client_for(
    backend: ReferenceBackend, token: str = TOKEN, device: str = "dev-1"
) -> BackendClient:
    return BackendClient(backend.url, device, token, 2.0, 5.0)


def one_batch(device: str = "dev-1") -> tuple[str, bytes]:
    draft = synthetic_drafts(1)[0]
    document = {
        "id": draft.id,
        "form_id": draft.form_id,
        "form_version": 1,
        "form_hash": draft.form_hash,
        "content_version": "x",
        "language": "en",
        "status": "complete",
        "started_at": draft.started_at.isoformat(),
        "submitted_at": draft.submitted_at.isoformat(),
        "device_id": device,
        "answers": [{"question_id": "q", "value": 3}],
    }
    batch_id = str(uuid.uuid4())
    return batch_id, batch_body(batch_id, [canonical_json(document)])


def test_each_answer_of_the_server_is_classified(backend: ReferenceBackend) -> None:
    batch_id, body = one_batch()
    client = client_for(backend)
    backend.faults = Faults(error_share=1.0)
    assert isinstance(client.post_batch(batch_id, body), RetryLater)
    backend.faults = Faults(throttle_share=1.0, retry_after_s=7)
    throttled = client.post_batch(batch_id, body)
    assert isinstance(throttled, RetryLater) and throttled.retry_after_s == 7
    backend.faults = Faults(drop_before_share=1.0)
    dropped = client.post_batch(batch_id, body)
    assert isinstance(dropped, RetryLater) and "connection failed" in dropped.reason
    backend.faults = Faults()
    wrong = client_for(backend, token="not-the-token-of-this-device")
    blocked = wrong.post_batch(batch_id, body)
    assert isinstance(blocked, Blocked) and "kiosk enroll" in blocked.reason
    malformed = body.replace(batch_id.encode(), b"not-a-uuid")
    refused = client.post_batch("not-a-uuid", malformed)
    assert isinstance(refused, Invalid) and "batch_id: expected a lower-case UUID" in refused.reason
    delivered = client.post_batch(batch_id, body)
    assert isinstance(delivered, Delivered) and delivered.verdicts[0][1] == "accepted"
    again = client.post_batch(batch_id, body)
    assert isinstance(again, Delivered) and again.verdicts[0][1] == "duplicate"
    for c in (client, wrong):
        c.close()


def test_the_wire_format_is_gzip_json_with_bearer_auth(backend: ReferenceBackend) -> None:
    batch_id, body = one_batch()
    url = f"{backend.url}/v1/devices/dev-1/batches"
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    plain = requests.post(url, data=gzip.compress(body), headers=headers, timeout=5)
    assert plain.status_code == 401
    headers["Authorization"] = f"Bearer {TOKEN}"
    answer = requests.post(url, data=gzip.compress(body), headers=headers, timeout=5)
    assert answer.status_code == 200
    assert answer.json() == {
        "batch_id": batch_id,
        "verdicts": [{"response_id": json.loads(body)["responses"][0]["id"],
                      "verdict": "accepted", "reason": None}],
    }  # fmt: skip
    content = requests.get(f"{backend.url}/v1/devices/dev-1/content", headers=headers, timeout=5)
    etag = content.headers["ETag"]
    assert {f["name"] for f in content.json()["files"]} >= {"open-opinion.yaml"}
    unchanged = requests.get(
        f"{backend.url}/v1/devices/dev-1/content",
        headers={**headers, "If-None-Match": etag},
        timeout=5,
    )
    assert unchanged.status_code == 304


def test_tls_is_always_verified_and_plain_http_only_reaches_loopback(tmp_path: Path) -> None:
    default = BackendClient("https://backend.example", "d", TOKEN, 1, 1)
    assert default._http.verify is True
    bundle = tmp_path / "ca.pem"
    private = BackendClient("https://backend.example", "d", TOKEN, 1, 1, ca_bundle=bundle)
    assert private._http.verify == str(bundle)
    with pytest.raises(ValueError, match="only allowed to a loopback host"):
        check_backend_url("http://backend.example")
    path = tmp_path / "kiosk.toml"
    path.write_text('[sync]\nbackend_url = "http://10.0.0.5:8400"\n', encoding="utf-8")
    from kiosk.config.settings import load_config

    with pytest.raises(ConfigError, match=r"sync.backend_url: .*use https"):
        load_config(path)
    for client in (default, private):
        client.close()


def test_a_keyring_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    keyring = FileKeyring(tmp_path / "credentials" / "keyring.json")
    keyring.set_password("svc", "url", TOKEN)
    assert keyring.get_password("svc", "url") == TOKEN
    keyring.path.chmod(0o644)
    with pytest.raises(CredentialsError, match="readable by others") as error:
        keyring.get_password("svc", "url")
    assert TOKEN not in str(error.value)


@pytest.mark.slow
def test_the_token_never_appears_in_logs_or_files(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    log_file = tmp_path / "everything.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)  # urllib3 logs every request line at DEBUG
    backend.faults = Faults(error_share=0.2, drop_after_share=0.2, throttle_share=0.1,
                            retry_after_s=0, seed=9)  # fmt: skip
    try:
        kiosk = make_kiosk(
            sync_config(config, backend.url, batch_max_count=20), sync_keyring=keyring_with_token
        )
        save_many(kiosk.database, synthetic_drafts(200))
        wait_until(lambda: kiosk.sync_status().sent == 200, 20, "the upload")
        wait_until(lambda: backend.store.report()["heartbeats"] > 0, 5, "a heartbeat")
        status = repr(kiosk.sync_status()) + repr(kiosk.sync)
        kiosk.close()
    finally:
        root.removeHandler(handler)
        handler.close()
    assert "POST /v1/devices/" in caplog.text  # the log did see the requests
    assert TOKEN not in caplog.text and TOKEN not in status
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert log_file in written and len(written) > 5
    assert [p for p in written if TOKEN.encode() in p.read_bytes()] == []


def test_the_stored_documents_are_the_schema_of_every_response(tmp_path: Path) -> None:
    """Outbox builds documents in SQL for speed; they must be exactly payload.response_document."""
    from kiosk.core.records import Answer
    from kiosk.protocol.payload import response_document
    from kiosk.storage import Repository, open_database
    from kiosk.storage.outbox import Outbox

    database = open_database(tmp_path / "kiosk.sqlite3")
    tricky = synthetic_drafts(2, seed=99)
    odd = [
        dataclasses.replace(
            tricky[0],
            answers=(
                Answer("text", '따옴표 " 역슬래시 \\ 줄\n바꿈\t탭 \u0007 é 😀'),
                Answer("many", ("a", "b")),
                Answer("none", ()),
                Answer("yes", True),
                Answer("zero", 0),
            ),
        ),
        dataclasses.replace(tricky[1], answers=()),
    ]
    save_many(database, [*synthetic_drafts(50, seed=98), *odd])
    repository = Repository(database)
    outgoing = Outbox(database).candidates(100)
    assert len(outgoing) == 52
    for item in outgoing:
        stored = repository.response(item.id)
        assert stored is not None
        assert json.loads(item.document) == response_document(stored)
    database.close()
