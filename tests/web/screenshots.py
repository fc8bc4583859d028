"""Screenshots of every console page, the receipt page and the phone forms, in Debian's chromium.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.web.screenshots docs/screenshots/hub

A throwaway PostgreSQL cluster and a hub on loopback, filled with made-up responses from three
kiosks and the web over several weeks, then photographed page by page (full page height).
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from kiosk.feedback.receipts import format_code, new_receipt_code
from kiosk_hub.db.models import AlertRow, DeviceRow
from kiosk_hub.web.cases import CaseInput, save_case
from tests.conftest import SAMPLE_CONTENT
from tests.hub.fixtures import HubBackend, retitled, running_hub, sample_zip
from tests.web.browser import chromium
from tests.web.support import (
    OPINION,
    PASSWORD,
    PROPOSAL,
    TOKEN,
    WEEKLY,
    add_accounts,
    document,
    store,
)

OPINIONS = {
    "climate": ["기후 재원 설명회를 지역에서도 열어 주세요", "탄소시장 협상 결과를 쉽게 알려 주세요",
                "기후 외교 청년 참여 프로그램이 필요합니다"],
    "peace": ["평화 교육을 학교에서 더 해 주세요", "이산가족 상봉 소식을 자주 알려 주세요"],
    "consular": ["해외 안전 정보 앱에 외국어 안내를 늘려 주세요", "영사 콜센터 대기 시간이 깁니다"],
    "culture": ["한국 문화 교류 행사를 지방에서도 열어 주세요", "청년 교류 프로그램을 늘려 주세요"],
}  # fmt: skip
CONSOLE = ["", "/results", "/opinions", "/keywords", "/cases", "/fleet", "/packs", "/quarterly",
           "/export", "/qr", "/users", "/audit"]  # fmt: skip


def seed(hub: HubBackend) -> str:
    """Made-up responses over eight weeks; the receipt code of an answered proposal."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    kiosks = ["kiosk-lobby", "kiosk-busan", "kiosk-london"]
    items = []
    for day in range(56):
        at = now - timedelta(days=day, hours=rng.randint(0, 6))
        for _ in range(rng.randint(1, 4) + (3 if day < 7 else 0)):
            device = rng.choice(kiosks)
            topic = rng.choice(list(OPINIONS))
            items.append(document(OPINION, {"topic": topic, "opinion": rng.choice(OPINIONS[topic])},
                                  device=device, at=at, receipt=new_receipt_code()))  # fmt: skip
            items.append(document(WEEKLY, {"support_aid": rng.randint(1, 5),
                                           "priority": rng.choice(["finance", "renewables"]),
                                           "sources": ["tv", "social"], "join_briefing": True,
                                           "recommend": rng.randint(3, 10)},
                                  device=device, at=at))  # fmt: skip
            items.append(document("visit-satisfaction", {"satisfaction": rng.randint(2, 5)},
                                  device=device, at=at - timedelta(days=60 * (day % 3))))  # fmt: skip
    for n in range(6):  # a term that rises this week
        items.append(document(OPINION, {"topic": "consular", "opinion": "비자 면제 국가를 늘려 주세요"},
                              device=kiosks[n % 3], at=now - timedelta(hours=n)))  # fmt: skip
    code = new_receipt_code()
    answered = document(PROPOSAL, {"title": "지역 청년 공공외교단", "proposal": "부산과 광주에도 "
                        "청년 공공외교단을 만들어 주세요"}, receipt=code, at=now - timedelta(days=20))  # fmt: skip
    store(hub, *items, answered)
    with hub.store.sessions() as session:
        for name, device in zip(
            ["로비 키오스크", "부산 센터", "London cultural centre"], kiosks, strict=True
        ):
            session.merge(DeviceRow(id=device, name=name, first_seen_at=now - timedelta(days=60),
                                    last_heartbeat_at=now - timedelta(minutes=2 if device != "kiosk-london" else 300),
                                    app_version="0.1.0", content_version="3f2a9c1b07de", queue_depth=0,
                                    oldest_unsent_age_s=None, last_upload_at=now - timedelta(minutes=5)))  # fmt: skip
        session.add(AlertRow(device_id="kiosk-london", kind="silent", raised_at=now - timedelta(hours=4),
                             message="no heartbeat for 5 hours"))  # fmt: skip
        save_case(session, CaseInput(
            id="youth-regions", response_id=answered["id"], topic=None, state="under_review",
            title_ko="지역 청년 공공외교단", title_en="Youth public diplomacy teams in the regions",
            answer_ko="", answer_en="", progress=20, published=False,
            note_ko="공공외교총괄과로 전달", note_en="Passed to the Public Diplomacy Division",
        ), now=now - timedelta(days=14))  # fmt: skip
        save_case(session, CaseInput(
            id="youth-regions", response_id=answered["id"], topic=None, state="partly_adopted",
            title_ko="지역 청년 공공외교단", title_en="Youth public diplomacy teams in the regions",
            answer_ko="2027년에 부산에서 먼저 시범 운영하고, 결과를 보고 광주로 넓힙니다.",
            answer_en="A pilot runs in Busan in 2027; Gwangju follows if it works.",
            progress=40, published=True, note_ko="2027년 예산 반영", note_en="In the 2027 budget",
        ), now=now - timedelta(days=3))  # fmt: skip
        save_case(session, CaseInput(
            id="topic-climate", response_id=None, topic="climate", state="answered",
            title_ko="기후 재원 설명회", title_en="A briefing on climate finance",
            answer_ko="12월 중 서울과 부산에서 설명회를 엽니다.",
            answer_en="Briefings in Seoul and Busan in December.", progress=60, published=True,
        ), now=now - timedelta(days=1))  # fmt: skip
        session.commit()
    return code


def seed_packs(hub: HubBackend) -> tuple[int, int]:
    """Three uploaded packs (withdrawn, published, one with problems): the ids of the last two."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk_hub import packs
    from kiosk_hub.web.models import ALL_KIOSKS

    hub.settings.signing_key = Ed25519PrivateKey.generate()  # made-up
    autumn = retitled("Share your view on foreign policy (autumn)")
    spring = retitled("Spring 2027: your view on foreign policy")
    broken = spring.replace("kind: opinion", "kind: opinion\ncolour: blue", 1).replace(
        "type: single_choice", "type: single_choise", 1
    )
    with hub.store.sessions() as session:
        old = packs.upload(session, sample_zip(**{"open-opinion.yaml": autumn}),
                           "autumn-2026.zip", "가을 2026", "editor")  # fmt: skip
        packs.publish(session, old, [ALL_KIOSKS], hub.settings.signing_key, "editor")
        packs.withdraw(session, old)
        good = packs.upload(session, sample_zip(**{"open-opinion.yaml": spring}),
                            "spring-2027.zip", "봄 2027", "editor")  # fmt: skip
        packs.publish(session, good, ["kiosk-lobby", "kiosk-busan"], hub.settings.signing_key,
                      "editor")  # fmt: skip
        bad = packs.upload(session, sample_zip(**{"open-opinion.yaml": broken, "notes.txt": "x"}),
                           "spring-2027-draft.zip", "봄 2027 (초안)", "editor")  # fmt: skip
        session.commit()
        return good.id, bad.id


def shoot(browser: object, url: str, target: Path, width: int) -> None:
    browser.set_window_size(width, 600)  # type: ignore[attr-defined]
    browser.get(url)  # type: ignore[attr-defined]
    height = browser.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    browser.set_window_size(width, min(max(int(height) + 120, 600), 6000))  # type: ignore[attr-defined]
    browser.get(url)  # type: ignore[attr-defined]
    browser.save_screenshot(str(target))  # type: ignore[attr-defined]


def main(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    made: list[Path] = []
    content = Path(tempfile.mkdtemp(prefix="hub-shots-")) / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    from kiosk.privacy.sealing import generate_key_files
    from kiosk_hub.web.webforms import PUBLIC_KEY_ENV

    keys = generate_key_files(content.parent / "keys")  # made-up: shows the consent part
    os.environ[PUBLIC_KEY_ENV] = str(keys.public_path)
    with running_hub(content, TOKEN) as hub:
        add_accounts(hub)
        code = seed(hub)
        good, bad = seed_packs(hub)
        with chromium(1280, 900) as browser:
            browser.get(f"{hub.url}/console/login?lang=ko")
            shoot(browser, f"{hub.url}/console/login?lang=ko", out / "console-login-ko.png", 1280)
            made.append(out / "console-login-ko.png")
            browser.find_element(By.ID, "name").send_keys("admin")
            browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
            for path in CONSOLE:
                for lang in ("ko", "en") if path in ("", "/cases", "/packs") else ("ko",):
                    name = f"console-{path.strip('/') or 'overview'}-{lang}.png"
                    shoot(browser, f"{hub.url}/console{path}?lang={lang}", out / name, 1280)
                    made.append(out / name)
            shoot(browser, f"{hub.url}/console/cases/edit?id=youth-regions&lang=ko",
                  out / "console-answer-ko.png", 1280)  # fmt: skip
            made.append(out / "console-answer-ko.png")
            for name, path in {
                "console-pack-ko.png": f"/console/packs/{good}?lang=ko",
                "console-pack-problems-en.png": f"/console/packs/{bad}?lang=en",
                "console-pack-preview-ko.png": f"/console/packs/{good}/preview/{OPINION}?lang=ko",
            }.items():
                shoot(browser, f"{hub.url}{path}", out / name, 1280)
                made.append(out / name)
        with chromium(390, 844) as phone:
            for lang in ("ko", "en"):
                pages = {
                    f"receipt-{lang}.png": f"/r/{format_code(code)}?lang={lang}",
                    f"web-form-{lang}.png": f"/w/{WEEKLY}?lang={lang}",
                }
                if lang == "ko":
                    pages["web-opinion-consent-ko.png"] = f"/w/{OPINION}?lang=ko"
                    pages["receipt-unknown-ko.png"] = "/r/ABCD-EFGH?lang=ko"
                    pages["web-index-ko.png"] = "/w?lang=ko"
                for name, path in pages.items():
                    shoot(phone, f"{hub.url}{path}", out / name, 390)
                    made.append(out / name)
    shutil.rmtree(content.parent, ignore_errors=True)
    return made


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/hub")):
        print(path)
