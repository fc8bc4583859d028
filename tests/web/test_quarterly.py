"""The quarterly satisfaction report: figures per quarter, page and XLSX (real hub)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from tests.hub.fixtures import HubBackend
from tests.web.support import WEEKLY, document, signed_in, store

VISIT = "visit-satisfaction"


def test_ratings_and_nps_by_quarter_on_the_page_and_in_xlsx(web_hub: HubBackend) -> None:
    october = datetime(2026, 9, 30, 16, 0, tzinfo=UTC)  # 1 October in Seoul: the fourth quarter
    september = datetime(2026, 9, 30, 14, 0, tzinfo=UTC)  # 23:00 on 30 September in Seoul
    store(
        web_hub,
        document(VISIT, {"satisfaction": 5}, at=september),
        document(VISIT, {"satisfaction": 2}, at=september),
        document(VISIT, {"satisfaction": 4}, at=october),
        document(VISIT, {"satisfaction": 5}, at=october),
        document(VISIT, {"satisfaction": 1}, at=october),
        document(WEEKLY, {"support_aid": 4, "recommend": 10}, at=october),
        document(WEEKLY, {"support_aid": 2, "recommend": 3}, at=october),
        document(VISIT, {"satisfaction": 1}, at=october, simulated=True),
    )
    analyst, _ = signed_in(web_hub, "analyst")
    page = analyst.get(f"{web_hub.url}/console/quarterly?lang=en", timeout=10).text
    assert "2026-Q3" in page and "2026-Q4" in page
    workbook = analyst.get(f"{web_hub.url}/console/quarterly.xlsx?lang=en", timeout=10)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Quarter", "Form", "Question", "Type", "Answers", "Mean",
                       "Share of 4-5 (%)", "NPS"]  # fmt: skip
    by_key = {(r[0], r[3]): r for r in rows[1:]}
    # the simulated 1 is left out; the first quarter holds the two answers of 30 September
    assert by_key[("2026-Q3", "rating")][4:7] == [2, 3.5, 50.0]
    assert by_key[("2026-Q4", "rating")][4:7] == [3, 3.33, 66.7]
    assert by_key[("2026-Q4", "nps")][4:] == [2, 6.5, None, 0.0]  # one promoter, one detractor
    assert by_key[("2026-Q4", "likert")][4:7] == [2, 3.0, 50.0]
