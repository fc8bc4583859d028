"""The hub's own guarantees beyond the shared protocol suite: the database decides uniqueness,
simulated responses stay out of results, every input is bounded, no stack trace leaves."""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import select, text

from kiosk_hub import ingest
from kiosk_hub.db import make_engine, session_factory
from kiosk_hub.db.models import DeviceTokenRow, ProblemRow, ResponseRow
from tests.hub.conftest import TOKEN
from tests.hub.fixtures import HubBackend

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
WEEKLY = "weekly-climate-diplomacy"


def response(device: str, support: int = 4, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "form_id": WEEKLY,
        "form_version": 1,
        "form_hash": "ab" * 32,
        "content_version": "c1",
        "language": "ko",
        "status": "complete",
        "started_at": T0.isoformat(timespec="microseconds"),
        "submitted_at": (T0 + timedelta(minutes=1)).isoformat(timespec="microseconds"),
        "device_id": device,
        "answers": [{"question_id": "support_aid", "value": support}],
        **extra,
    }


def post(hub: HubBackend, device: str, body: bytes, **headers: str) -> requests.Response:
    return requests.post(
        f"{hub.url}/v1/devices/{device}/batches",
        data=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", **headers},
        timeout=10,
    )


def batch(*responses: dict[str, Any]) -> bytes:
    return json.dumps(
        {"batch_id": str(uuid.uuid4()), "responses": list(responses), "schema_version": 1}
    ).encode()


def test_two_processes_storing_the_same_responses_at_once_store_each_once(
    database_url: str,
) -> None:
    """Two sessions (as two app processes would) race on 300 shared ids: the key decides."""
    documents = [response("dev-1") for _ in range(300)]
    engines = [make_engine(database_url, pool_size=1) for _ in range(2)]
    verdicts: list[list[tuple[str, str, str | None]]] = [[], []]
    start = threading.Barrier(2)

    def deliver(index: int) -> None:
        with session_factory(engines[index])() as session:
            start.wait()
            verdicts[index] = ingest.receive_batch(
                session,
                "dev-1",
                str(uuid.uuid4()),
                list(reversed(documents)) if index else documents,
            )
            session.commit()

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    accepted = [v for run in verdicts for _, v, _ in run if v == "accepted"]
    duplicates = [v for run in verdicts for _, v, _ in run if v == "duplicate"]
    assert (len(accepted), len(duplicates)) == (300, 300)
    with session_factory(engines[0])() as session:
        assert session.scalar(text("SELECT count(*) FROM responses")) == 300
    for engine in engines:
        engine.dispose()


def test_other_content_under_a_known_id_is_a_recorded_conflict_and_the_first_stays(
    hub: HubBackend,
) -> None:
    first = response("dev-1", support=5)
    assert post(hub, "dev-1", batch(first)).json()["verdicts"][0]["verdict"] == "accepted"
    again = post(hub, "dev-1", batch(first)).json()["verdicts"][0]
    assert again == {"response_id": first["id"], "verdict": "duplicate", "reason": None}
    changed = {**first, "answers": [{"question_id": "support_aid", "value": 1}]}
    twice = response("dev-1")
    verdicts = post(hub, "dev-1", batch(changed, twice, twice)).json()["verdicts"]
    assert [v["verdict"] for v in verdicts] == ["conflict", "accepted", "duplicate"]
    assert "other content for this id" in verdicts[0]["reason"]
    assert hub.store.document(first["id"]) == first
    with hub.store.sessions() as session:
        problems = session.scalars(select(ProblemRow)).all()
        assert [(p.kind, p.response_id) for p in problems] == [("conflict", first["id"])]
    report = hub.store.report()
    assert (report["responses_stored"], report["conflicts"]) == (2, 1)
    assert report["duplicate_deliveries_absorbed"] == 2


def test_simulated_responses_are_stored_and_counted_but_kept_out_of_results(
    hub: HubBackend,
) -> None:
    real = [response("dev-1", support=5) for _ in range(3)]
    fake = [response("dev-1", support=1, simulated=True) for _ in range(4)]
    verdicts = post(hub, "dev-1", batch(*real, *fake)).json()["verdicts"]
    assert {v["verdict"] for v in verdicts} == {"accepted"}
    odd = post(hub, "dev-1", batch(response("dev-1", simulated="yes"))).json()["verdicts"][0]
    assert odd["verdict"] == "rejected" and odd["reason"] == "simulated: expected true or false"
    report = hub.store.report()
    assert (report["responses_stored"], report["simulated_responses"]) == (7, 4)
    results = requests.get(
        f"{hub.url}/v1/devices/dev-1/results",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()
    weekly = results["forms"][WEEKLY]
    assert weekly["responses"] == weekly["device_responses"] == 3
    assert weekly["questions"]["support_aid"]["counts"] == {"5": 3}


def test_every_input_is_bounded_and_errors_are_json_without_a_trace(hub: HubBackend) -> None:
    hub.settings.limits = type(hub.settings.limits)(
        max_body_bytes=100_000, max_inflated_bytes=200_000, max_json_depth=8
    )
    bomb = gzip.compress(b"[" + b"0," * 2_000_000 + b"0]")
    assert len(bomb) < 100_000
    inflated = post(hub, "dev-1", bomb, **{"Content-Encoding": "gzip"})
    assert inflated.status_code == 413 and "once decompressed" in inflated.json()["error"]
    big = post(hub, "dev-1", b" " * 100_001)
    assert big.status_code == 413 and "larger than 100000 bytes" in big.json()["error"]
    deep = post(hub, "dev-1", b"[" * 50 + b"]" * 50)
    assert deep.status_code == 400 and "nested more than 8 levels" in deep.json()["error"]
    very_deep = post(hub, "dev-1", b"[" * 100_000 + b"]" * 100_000)
    assert very_deep.status_code in (400, 413)
    nan = post(hub, "dev-1", b'{"batch_id": NaN}')
    assert nan.status_code == 400 and "NaN is not JSON" in nan.json()["error"]
    broken = post(hub, "dev-1", b"\x1f\x8b\x08\x00garbage", **{"Content-Encoding": "gzip"})
    assert broken.status_code == 400 and "not valid gzip" in broken.json()["error"]
    nul = response("dev-1", answers=[{"question_id": "q", "value": "a\x00b"}])
    [verdict] = post(hub, "dev-1", batch(nul)).json()["verdicts"]
    assert verdict["verdict"] == "rejected" and "NUL character" in verdict["reason"]
    brotli = post(hub, "dev-1", b"{}", **{"Content-Encoding": "br"})
    assert brotli.status_code == 415 and "expected gzip or none" in brotli.json()["error"]
    wrong_method = requests.get(f"{hub.url}/v1/devices/dev-1/batches", timeout=5)
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method not allowed"
    assert wrong_method.headers["Content-Type"] == "application/problem+json"
    nowhere = requests.get(f"{hub.url}/v1/devices/dev-1/elsewhere", timeout=5)
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "no such endpoint"
    bad_device = requests.get(f"{hub.url}/v1/devices/a%20b/content", timeout=5)
    assert bad_device.status_code == 404

    # A bug inside the hub (here: the served content directory vanished) is a plain 500.
    hub.content_dir = Path("/nonexistent/content")
    crashed = requests.get(
        f"{hub.url}/v1/devices/dev-1/content",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    assert crashed.status_code == 500
    assert crashed.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "internal error: try again later",
        "error": "internal error: try again later",
    }
    assert "Traceback" not in crashed.text and "nonexistent" not in crashed.text


def test_a_token_is_stored_hashed_and_speaks_for_one_kiosk_only(hub: HubBackend) -> None:
    assert post(hub, "dev-1", batch(response("dev-1"))).status_code == 200
    other = post(hub, "dev-2", batch(response("dev-2")))
    assert other.status_code == 403 and "belongs to another kiosk" in other.json()["error"]
    wrong = post(hub, "dev-1", batch(response("dev-1")), Authorization="Bearer " + "x" * 40)
    assert wrong.status_code == 401
    with hub.store.sessions() as session:
        stored = session.scalars(select(DeviceTokenRow)).one()
        assert stored.device_id == "dev-1" and TOKEN not in stored.token_sha256
        dump = session.execute(text("SELECT * FROM device_tokens")).all()
        assert TOKEN not in repr(dump)
        assert session.scalar(select(ResponseRow.device_id)) == "dev-1"
