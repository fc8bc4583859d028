"""Keywords with the real Korean analyser (kiwipiepy and its packaged model), the fallback, and
the console page over a real hub."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk_hub.web import keywords
from tests.hub.fixtures import HubBackend
from tests.web.support import OPINION, document, signed_in, store

MONDAY = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)  # 12:00 in Seoul, a Monday


def test_kiwi_finds_nouns_without_particles_or_verbs() -> None:
    found = keywords.nouns(["탄소중립 설명회를 열어 주세요", "청년 교류 프로그램을 지방에서도"])
    assert keywords.analyser_name() == "kiwipiepy"
    assert found[0] == ["탄소", "중립", "설명회"]
    assert found[1] == ["청년", "교류", "프로그램", "지방"]


def test_the_fallback_cuts_particles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keywords, "_kiwi", False)  # as if kiwipiepy were not installed
    assert keywords.analyser_name() == "fallback"
    assert keywords.nouns(["설명회를 청년과 climate"]) == [["설명회", "청년", "climate"]]


def test_nouns_by_topic_and_week_and_rising_terms() -> None:
    weeks = [keywords.week_of(MONDAY + timedelta(weeks=n)) for n in range(3)]
    items = [
        (MONDAY, "climate", "기후 재원 설명회"),
        (MONDAY + timedelta(weeks=1), "climate", "기후 재원"),
        (MONDAY + timedelta(weeks=2), "peace", "평화 교육 평화 교육 교육"),
        (MONDAY + timedelta(weeks=2), "climate", "기후 설명회"),
    ]
    analysis = keywords.analyse(items, weeks)
    assert analysis.texts == 4
    assert dict(analysis.by_topic["climate"]) == {"기후": 3, "재원": 2, "설명회": 2}
    assert dict(analysis.by_week[weeks[0]]) == {"기후": 1, "재원": 1, "설명회": 1}
    rising = {r.term: r for r in analysis.rising}
    assert set(rising) == {"교육", "평화"}  # 기후 is steady, 설명회 came once before
    assert (rising["교육"].latest, rising["교육"].before, rising["교육"].ratio) == (3, 0.0, 4.0)


def test_the_keyword_page_shows_this_weeks_nouns(web_hub: HubBackend) -> None:
    now = datetime.now(UTC) - timedelta(minutes=5)
    store(
        web_hub,
        document(OPINION, {"topic": "climate", "opinion": "기후 설명회를 열어 주세요"}, at=now),
        document(OPINION, {"topic": "climate", "opinion": "기후 재원이 궁금합니다"}, at=now),
    )
    analyst, _ = signed_in(web_hub, "analyst")
    page = analyst.get(f"{web_hub.url}/console/keywords?lang=en", timeout=30)
    assert page.status_code == 200
    assert "kiwipiepy · texts analysed: 2" in page.text
    assert "기후 (2)" in page.text and "설명회 (1)" in page.text
    assert '<td>기후</td><td class="num">2</td>' in page.text  # rising: new this week
