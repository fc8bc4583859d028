"""Helpers of the web tests: accounts, stored responses, a signed-in HTTP session."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from kiosk.feedback.receipts import new_receipt_code
from kiosk_hub import ingest
from kiosk_hub.users import create_user
from tests.hub.fixtures import HubBackend

TOKEN = "web-test-token-8e2d6a4c1f3b"
PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "editor", "admin")
T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
OPINION = "open-opinion"
PROPOSAL = "proposal-youth-public-diplomacy"
WEEKLY = "weekly-climate-diplomacy"


def add_accounts(hub: HubBackend) -> None:
    with hub.store.sessions() as session:
        for role in ROLES:
            create_user(session, role, PASSWORD, role)
        session.commit()


def document(
    form_id: str,
    answers: dict[str, Any],
    device: str = "kiosk-lobby",
    receipt: str | None = None,
    at: datetime = T0,
    **extra: Any,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "form_id": form_id,
        "form_version": 1,
        "form_hash": "ab" * 32,
        "content_version": "c1",
        "language": "ko",
        "status": "complete",
        "started_at": at.isoformat(timespec="microseconds"),
        "submitted_at": (at + timedelta(minutes=1)).isoformat(timespec="microseconds"),
        "device_id": device,
        "answers": [{"question_id": k, "value": v} for k, v in answers.items()],
        **extra,
    }
    if receipt is not None:
        found["receipt"] = receipt
    return found


def store(hub: HubBackend, *documents: dict[str, Any]) -> None:
    """Through the hub's own ingest (the same path as POST .../batches)."""
    by_device: dict[str, list[dict[str, Any]]] = {}
    for item in documents:
        by_device.setdefault(item["device_id"], []).append(item)
    with hub.store.sessions() as session:
        for device, items in by_device.items():
            verdicts = ingest.receive_batch(session, device, str(uuid.uuid4()), items)
            assert {v for _, v, _ in verdicts} == {"accepted"}, verdicts
        session.commit()


def proposal(hub: HubBackend, title: str = "청년 교류 확대") -> tuple[dict[str, Any], str]:
    code = new_receipt_code()
    item = document(
        PROPOSAL, {"title": title, "proposal": "지방 청년도 참여하게 해 주세요"}, receipt=code
    )
    store(hub, item)
    return item, code


def signed_in(hub: HubBackend, role: str) -> tuple[requests.Session, str]:
    """A requests session signed in as the account of `role`, and its CSRF token."""
    http = requests.Session()
    answer = http.post(
        f"{hub.url}/console/login", data={"name": role, "password": PASSWORD}, timeout=10
    )
    assert answer.status_code == 200 and answer.url.endswith("/console"), answer.text[:300]
    return http, csrf_of(answer.text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)
