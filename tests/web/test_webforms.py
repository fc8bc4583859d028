"""The kiosk's forms on one's own phone: same pack, the kiosk's own checks (kiosk.content.answers,
tested in tests/unit/test_answers.py), skip rules, masking, a receipt code, the channel "web", and
counted in results (real hub over HTTP)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from kiosk.content import load_pack
from kiosk_hub.db.models import ResponseRow
from kiosk_hub.web import webforms
from tests.conftest import SAMPLE_CONTENT
from tests.hub.fixtures import HubBackend
from tests.web.support import OPINION, TOKEN, WEEKLY, signed_in

PACK = load_pack(SAMPLE_CONTENT)


def post_weekly(hub: HubBackend, **fields: object) -> requests.Response:
    form = {"q_priority": "finance", "q_sources": ["tv", "social"], "q_join_briefing": "yes",
            "q_support_aid": "2", **fields}  # fmt: skip
    return requests.post(f"{hub.url}/w/{WEEKLY}?lang=en", data=form, timeout=10)


def test_a_phone_answer_is_stored_with_channel_receipt_and_counts_in_results(
    web_hub: HubBackend,
) -> None:
    index = requests.get(f"{web_hub.url}/w?lang=en", timeout=10)
    assert index.status_code == 200 and f'href="/w/{WEEKLY}?lang=en"' in index.text
    page = requests.get(f"{web_hub.url}/w/{WEEKLY}?lang=ko", timeout=10)
    assert page.status_code == 200 and 'name="q_support_aid"' in page.text
    assert "<fieldset" in page.text and "<legend>" in page.text
    english = requests.get(f"{web_hub.url}/w/{WEEKLY}?lang=en", timeout=10).text
    assert "Only if you answered 1, 2 to “Korea should increase" in english  # the skip rule

    done = post_weekly(web_hub, q_why_not="전화 010-1234-5678 로 연락 주세요")
    assert done.status_code == 200, done.text[-500:]
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', done.text)
    assert code is not None
    assert "masked" in done.text
    with web_hub.store.sessions() as session:
        document = session.scalar(
            select(ResponseRow.document).where(ResponseRow.device_id == "web")
        )
    assert document is not None
    assert document["channel"] == "web" and document["receipt"] == code.group(1).replace("-", "")
    answers = {a["question_id"]: a["value"] for a in document["answers"]}
    assert answers["sources"] == ["tv", "social"] and answers["join_briefing"] is True
    assert "010-1234-5678" not in answers["why_not"]  # the kiosk's masking
    assert document["form_hash"] == next(f for f in PACK.forms if f.id == WEEKLY).definition_hash

    receipt = requests.get(f"{web_hub.url}/r/{code.group(1)}?lang=en", timeout=10)
    assert receipt.status_code == 200 and "Received" in receipt.text
    results = requests.get(
        f"{web_hub.url}/v1/devices/kiosk-a/results",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()
    assert results["forms"][WEEKLY]["questions"]["priority"]["counts"] == {"finance": 1}


def test_skip_rules_drop_answers_to_skipped_questions(web_hub: HubBackend) -> None:
    assert post_weekly(web_hub, q_support_aid="5", q_why_not="should be dropped").status_code == 200
    with web_hub.store.sessions() as session:
        document = session.scalar(
            select(ResponseRow.document).where(ResponseRow.device_id == "web")
        )
    assert document is not None
    assert "why_not" not in {a["question_id"] for a in document["answers"]}


def test_problems_are_named_and_the_answers_kept(web_hub: HubBackend) -> None:
    refused = post_weekly(
        web_hub, q_priority="", q_sources=["tv", "social", "people", "government"]
    )
    assert refused.status_code == 400
    assert 'role="alert"' in refused.text
    assert "Please answer this question." in refused.text and "Pick at most 3." in refused.text
    assert 'value="tv" checked' in refused.text and 'value="2" checked' in refused.text
    with web_hub.store.sessions() as session:
        assert session.scalar(select(ResponseRow.id).where(ResponseRow.device_id == "web")) is None


def test_web_responses_show_in_the_console_per_kiosk(web_hub: HubBackend) -> None:
    post_weekly(web_hub)
    viewer, _ = signed_in(web_hub, "viewer")
    overview = viewer.get(f"{web_hub.url}/console?lang=en", timeout=10).text
    assert "Web (own phone)" in overview


def test_itemised_consent_seals_only_the_agreed_contact(
    web_hub: HubBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.privacy.sealing import generate_key_files, load_private_key_pem, open_sealed

    keys = generate_key_files(tmp_path / "keys")
    monkeypatch.setenv(webforms.PUBLIC_KEY_ENV, str(keys.public_path))
    url = f"{web_hub.url}/w/{OPINION}?lang=en"
    page = requests.get(url, timeout=10).text
    assert 'name="consent_email"' in page and 'name="consent_phone"' in page
    base = {"q_topic": "climate", "q_opinion": "설명회를 열어 주세요"}
    wrong = requests.post(url, data={**base, "consent_email": "yes", "contact_email": "kim@"},
                          timeout=10)  # fmt: skip
    assert wrong.status_code == 400 and "This does not look right" in wrong.text
    done = requests.post(
        url,
        data={**base, "consent_email": "yes", "contact_email": "kim@example.go.kr",
              "consent_phone": "no", "contact_phone": "010-1234-5678"},
        timeout=10,
    )  # fmt: skip
    assert done.status_code == 200
    with web_hub.store.sessions() as session:
        stored = session.scalar(select(ResponseRow.document).where(ResponseRow.device_id == "web"))
    assert stored is not None
    assert stored["consent"]["choices"] == {"email": True, "phone": False}
    assert "kim@example" not in json.dumps(stored) and "1234-5678" not in json.dumps(stored)
    private = load_private_key_pem(keys.private_path.read_bytes())
    opened = open_sealed(private, base64.b64decode(stored["contact_sealed"]))
    assert json.loads(opened) == {"email": "kim@example.go.kr"}  # the refused phone is not kept


def test_without_the_ministry_key_no_contact_is_asked(web_hub: HubBackend) -> None:
    page = requests.get(f"{web_hub.url}/w/{OPINION}?lang=en", timeout=10).text
    assert 'name="consent_email"' not in page


def test_nul_characters_never_reach_the_database(web_hub: HubBackend) -> None:
    done = requests.post(
        f"{web_hub.url}/w/{OPINION}",
        data={"q_topic": "peace", "q_opinion": "평화\x00 교육"},
        timeout=10,
    )
    assert done.status_code == 200
    with web_hub.store.sessions() as session:
        stored = session.scalar(select(ResponseRow.document).where(ResponseRow.device_id == "web"))
    assert stored is not None and stored["answers"][1]["value"] == "평화 교육"
    analyst, _ = signed_in(web_hub, "analyst")
    search = analyst.get(f"{web_hub.url}/console/opinions", params={"q": "a\x00b"}, timeout=10)
    assert search.status_code == 400 and "NUL" in search.text
    unknown = requests.get(f"{web_hub.url}/r/ABCD-EFGH", timeout=10)
    nul = requests.get(f"{web_hub.url}/r/AB%00CD-EFGH", timeout=10)
    assert nul.status_code == 404 and nul.text == unknown.text
