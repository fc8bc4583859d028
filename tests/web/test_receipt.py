"""The receipt page on a real hub (PostgreSQL, uvicorn on loopback): states, answers, timeline,
nothing personal, both languages, and unknown codes and guessing answered alike."""

from __future__ import annotations

import requests

from kiosk.feedback.receipts import format_code, new_receipt_code
from kiosk_hub.web import cases
from kiosk_hub.web.cases import CaseInput, save_case
from tests.hub.fixtures import HubBackend
from tests.web.support import OPINION, document, proposal, store


def answer(hub: HubBackend, **given: object) -> None:
    values: dict[str, object] = {
        "id": "case-1", "response_id": None, "topic": None, "state": "under_review",
        "title_ko": "청년 교류", "title_en": "Youth exchange", "answer_ko": "", "answer_en": "",
        "progress": 0, "published": False,
    }  # fmt: skip
    values.update(given)
    with hub.store.sessions() as session:
        save_case(session, CaseInput(**values))  # type: ignore[arg-type]
        session.commit()


def test_a_stored_proposal_shows_received_then_its_answer_and_timeline(web_hub: HubBackend) -> None:
    item, code = proposal(web_hub)
    page = requests.get(f"{web_hub.url}/r/{format_code(code)}?lang=en", timeout=10)
    assert page.status_code == 200
    assert "Received" in page.text and format_code(code) in page.text
    assert "지방 청년도" not in page.text and "청년 교류 확대" not in page.text  # nothing written

    answer(web_hub, response_id=item["id"], state="adopted", progress=60,
           answer_ko="2027년 사업에 반영합니다.", answer_en="It goes into the 2027 programme.",
           note_en="Reviewed by the division")  # fmt: skip
    english = requests.get(f"{web_hub.url}/r/{code.lower()}?lang=en", timeout=10)
    assert english.status_code == 200
    assert 'id="receipt-state" class="badge adopted">Adopted<' in english.text
    assert "It goes into the 2027 programme." in english.text
    assert "Reviewed by the division" in english.text and 'value="60"' in english.text
    korean = requests.get(f"{web_hub.url}/r/{format_code(code)}?lang=ko", timeout=10)
    assert '<html lang="ko">' in korean.text and "채택" in korean.text
    assert "2027년 사업에 반영합니다." in korean.text


def test_an_opinion_follows_the_answer_to_its_topic(web_hub: HubBackend) -> None:
    code = new_receipt_code()
    store(web_hub, document(OPINION, {"topic": "climate", "opinion": "설명회"}, receipt=code))
    answer(web_hub, id="topic-climate", topic="climate", state="answered", published=True,
           answer_ko="설명회를 엽니다.", answer_en="A briefing will be held.")  # fmt: skip
    page = requests.get(f"{web_hub.url}/r/{format_code(code)}?lang=en", timeout=10)
    assert "Answered" in page.text and "A briefing will be held." in page.text
    assert "You said, we did" in page.text  # published: the feed item shows too


def test_unknown_malformed_and_rate_limited_codes_get_the_same_answer(web_hub: HubBackend) -> None:
    _, code = proposal(web_hub)
    unknown = requests.get(f"{web_hub.url}/r/ABCD-EFGH", timeout=10)
    malformed = requests.get(f"{web_hub.url}/r/%3Cscript%3E", timeout=10)
    assert unknown.status_code == malformed.status_code == 404
    assert unknown.text == malformed.text
    with requests.Session() as http:
        for _ in range(cases.LOOKUP_LIMIT):
            http.get(f"{web_hub.url}/r/ZZZZ-ZZZZ", timeout=10)
        limited = http.get(f"{web_hub.url}/r/{format_code(code)}", timeout=10)
    assert limited.status_code == 404 and limited.text == unknown.text  # even a real code


def test_simulated_responses_have_no_receipt_page(web_hub: HubBackend) -> None:
    code = new_receipt_code()
    store(web_hub, document(OPINION, {"topic": "peace", "opinion": "x"}, receipt=code,
                            simulated=True))  # fmt: skip
    assert requests.get(f"{web_hub.url}/r/{code}", timeout=10).status_code == 404


def test_the_lookup_form_leads_to_the_page(web_hub: HubBackend) -> None:
    _, code = proposal(web_hub)
    page = requests.get(f"{web_hub.url}/r", params={"code": code.lower()}, timeout=10)
    assert page.status_code == 200 and format_code(code) in page.text
    assert page.url.endswith(f"/r/{format_code(code)}")
