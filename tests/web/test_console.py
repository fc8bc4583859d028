"""The staff console over real HTTP on a real hub: sign-in, roles, CSRF, lockout, audit, the
pages, answering a proposal (receipt page and kiosk feed change), exports."""

from __future__ import annotations

import csv
import io

import requests
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.feedback.feed import parse_feed
from kiosk.feedback.receipts import format_code, new_receipt_code
from kiosk_hub.web.auth import LOCK_AFTER
from kiosk_hub.web.models import AuditRow
from tests.hub.fixtures import HubBackend
from tests.web.support import (
    OPINION,
    PASSWORD,
    TOKEN,
    WEEKLY,
    csrf_of,
    document,
    proposal,
    signed_in,
    store,
)

PAGES = ["", "/results", "/opinions", "/keywords", "/cases", "/fleet", "/packs", "/quarterly", "/export",
         "/qr", "/users", "/audit"]  # fmt: skip


def test_pages_need_a_session_and_the_right_role(web_hub: HubBackend) -> None:
    anonymous = requests.get(f"{web_hub.url}/console/fleet", timeout=10, allow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/login")
    viewer, _ = signed_in(web_hub, "viewer")
    assert viewer.get(f"{web_hub.url}/console/fleet", timeout=10).status_code == 200
    assert viewer.get(f"{web_hub.url}/console/opinions", timeout=10).status_code == 403
    assert viewer.get(f"{web_hub.url}/console/export.csv?form=x", timeout=10).status_code == 403
    admin, _ = signed_in(web_hub, "admin")
    for path in PAGES:
        for lang in ("ko", "en"):
            page = admin.get(f"{web_hub.url}/console{path}?lang={lang}", timeout=10)
            assert page.status_code == 200, (path, page.text[:300])
            assert f'<html lang="{lang}">' in page.text and "<main" in page.text


def test_wrong_passwords_lock_the_account_even_for_the_right_one(web_hub: HubBackend) -> None:
    url = f"{web_hub.url}/console/login"
    for _ in range(LOCK_AFTER):
        wrong = requests.post(url, data={"name": "editor", "password": "nope"}, timeout=10)
        assert wrong.status_code == 401
    locked = requests.post(url, data={"name": "editor", "password": PASSWORD}, timeout=10)
    assert locked.status_code == 401 and "15분간 잠겼습니다" in locked.text
    other, _ = signed_in(web_hub, "analyst")  # other accounts are not affected
    assert other.get(f"{web_hub.url}/console/opinions", timeout=10).status_code == 200


def test_a_post_without_the_session_csrf_token_is_refused(web_hub: HubBackend) -> None:
    editor, csrf = signed_in(web_hub, "editor")
    item, _ = proposal(web_hub)
    form = {"id": "p-1", "response_id": item["id"], "state": "under_review", "title_ko": "가",
            "title_en": "A", "progress": "10"}  # fmt: skip
    refused = editor.post(f"{web_hub.url}/console/cases", data={**form, "csrf": "x"}, timeout=10)
    assert refused.status_code == 403
    done = editor.post(f"{web_hub.url}/console/cases", data={**form, "csrf": csrf}, timeout=10)
    assert done.status_code == 200 and "p-1" in done.text


def test_answering_a_proposal_changes_its_receipt_page_and_the_kiosk_feed(
    web_hub: HubBackend,
) -> None:
    item, code = proposal(web_hub)
    receipt = f"{web_hub.url}/r/{format_code(code)}?lang=en"
    assert "Received" in requests.get(receipt, timeout=10).text
    editor, _ = signed_in(web_hub, "editor")
    opinions = editor.get(f"{web_hub.url}/console/opinions?q=지방", timeout=10)
    assert "지방 청년도" in opinions.text and f"response={item['id']}" in opinions.text
    edit = editor.get(f"{web_hub.url}/console/cases/edit?response={item['id']}", timeout=10)
    form = {
        "csrf": csrf_of(edit.text), "id": "youth-regions", "response_id": item["id"],
        "state": "partly_adopted", "title_ko": "지역 청년 교류", "title_en": "Regional youth exchange",
        "answer_ko": "부산과 광주에서 먼저 엽니다.", "answer_en": "Busan and Gwangju come first.",
        "progress": "30", "published": "on", "note_en": "Planned for March 2027",
    }  # fmt: skip
    saved = editor.post(f"{web_hub.url}/console/cases?lang=en", data=form, timeout=10)
    assert saved.status_code == 200 and "Planned for March 2027" in saved.text
    page = requests.get(receipt, timeout=10).text
    assert "Partly adopted" in page and "Busan and Gwangju come first." in page
    assert "Planned for March 2027" in page
    feed = requests.get(
        f"{web_hub.url}/v1/devices/dev-1/feed",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert feed.status_code == 200
    parsed = parse_feed(feed.json(), "hub feed")  # the kiosk's own validation
    entry = next(e for e in parsed.entries if e.id == "youth-regions")
    assert (entry.status, entry.progress, entry.text["en"]) == (
        "reflected", 30, "Busan and Gwangju come first.",
    )  # fmt: skip
    with web_hub.store.sessions() as session:
        actions = [
            r.action
            for r in session.scalars(select(AuditRow).where(AuditRow.user_name == "editor"))
        ]
    assert "sign-in" in actions and "answer saved" in actions and "get /console/opinions" in actions


def test_a_not_adopted_answer_needs_its_reason_in_both_languages(web_hub: HubBackend) -> None:
    item, _ = proposal(web_hub)
    editor, csrf = signed_in(web_hub, "editor")
    form = {"csrf": csrf, "id": "p-2", "response_id": item["id"], "state": "not_adopted",
            "title_ko": "가", "title_en": "A", "answer_ko": "이유", "progress": "100"}  # fmt: skip
    refused = editor.post(f"{web_hub.url}/console/cases", data=form, timeout=10)
    assert refused.status_code == 400 and "reason in Korean and English" in refused.text
    assert ">이유</textarea>" in refused.text  # what was typed is kept for correction


def test_overview_filters_and_korean_search(web_hub: HubBackend) -> None:
    store(
        web_hub,
        document(OPINION, {"topic": "climate", "opinion": "탄소중립 설명회를 열어 주세요"}),
        document(OPINION, {"topic": "peace", "opinion": "평화 교육"}, device="kiosk-busan"),
        document(OPINION, {"topic": "peace", "opinion": "flagged"}, flags=["burst"]),
        document(WEEKLY, {"support_aid": 4}),
    )
    analyst, _ = signed_in(web_hub, "analyst")
    base = f"{web_hub.url}/console/opinions"
    assert "탄소중립" in analyst.get(base, params={"q": "탄소"}, timeout=10).text
    peace = analyst.get(base, params={"topic": "peace"}, timeout=10).text
    assert "평화 교육" in peace and "탄소중립" not in peace
    busan = analyst.get(base, params={"kiosk": "kiosk-busan"}, timeout=10).text
    assert "평화 교육" in busan and "flagged</p>" not in busan
    flagged = analyst.get(base, params={"flag": "flagged"}, timeout=10).text
    assert "flagged</p>" in flagged and "평화 교육" not in flagged
    none = analyst.get(base, params={"since": "2027-01-01"}, timeout=10).text
    assert 'id="count">0' in none
    overview = analyst.get(f"{web_hub.url}/console?days=92", timeout=10).text
    assert 'id="total">4<' in overview


def test_exports_have_question_text_headers_a_bom_and_no_contact(web_hub: HubBackend) -> None:
    code = new_receipt_code()
    store(web_hub, document(OPINION, {"topic": "climate", "opinion": "=1+1 기후"}, receipt=code,
                            contact_sealed="c2VhbGVk"))  # fmt: skip
    analyst, _ = signed_in(web_hub, "analyst")
    got = analyst.get(f"{web_hub.url}/console/export.csv?form={OPINION}", timeout=10)
    assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["어떤 주제에 대한 의견인가요?", "의견을 자유롭게 적어 주세요."]
    assert rows[1][-2:] == ["기후·환경", "'=1+1 기후"]  # option text; no formula
    assert "c2VhbGVk" not in got.text
    xlsx = analyst.get(f"{web_hub.url}/console/export.xlsx?form={OPINION}&lang=en", timeout=10)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][-1] == "Write your opinion."
    assert [c.value for c in sheet[2]][-2] == "Climate and environment"


def test_an_admin_adds_an_account_that_can_sign_in(web_hub: HubBackend) -> None:
    admin, csrf = signed_in(web_hub, "admin")
    answer = admin.post(
        f"{web_hub.url}/console/users",
        data={"csrf": csrf, "name": "kim", "role": "analyst", "password": "a long first password"},
        timeout=10,
    )
    assert answer.status_code == 200 and "kim" in answer.text
    kim = requests.post(
        f"{web_hub.url}/console/login",
        data={"name": "kim", "password": "a long first password"},
        timeout=10,
    )
    assert kim.url.endswith("/console") and "kim (analyst)" in kim.text


def test_an_account_made_on_the_command_line_signs_in_with_its_role(web_hub: HubBackend) -> None:
    from tests.hub.test_cli import hub_cli

    made = hub_cli(
        "create-user", "--name", "lee", "--role", "editor",
        url=web_hub.database_url, stdin="a long enough password\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    answer = requests.post(
        f"{web_hub.url}/console/login",
        data={"name": "lee", "password": "a long enough password"},
        timeout=10,
    )
    assert answer.url.endswith("/console") and "lee (editor)" in answer.text


def test_the_qr_page_encodes_the_phone_form_addresses(web_hub: HubBackend) -> None:
    import qrcode
    import qrcode.image.svg

    viewer, _ = signed_in(web_hub, "viewer")
    page = viewer.get(f"{web_hub.url}/console/qr?lang=en", timeout=10).text
    for url in (f"{web_hub.url}/w", f"{web_hub.url}/w/{WEEKLY}"):
        assert f'href="{url}"' in page
        # the module matrix of exactly this address (qrcode renders the same data identically)
        expected = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
        assert expected.to_string(encoding="unicode") in page
