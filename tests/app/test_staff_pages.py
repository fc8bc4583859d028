"""The staff pages through the real window: dashboard figures against the database, results,
exports to a "USB" directory read back, out of service, content from USB, the audit log."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.core.records import KST
from kiosk.staff.controller import Page
from kiosk.tooling.simulate import run_visitors
from kiosk.ui.staff.widgets import DateRangePicker
from kiosk.ui.theme import Theme
from kiosk.visit.flow import Step
from tests.conftest import SAMPLE_CONTENT
from tests.staff_support import (
    MakeKiosk,
    StaffHands,
    audit_actions,
    seed,
)


@pytest.mark.slow
def test_dashboard_figures_match_the_database(staff_kiosk: KioskApp) -> None:
    report = run_visitors(staff_kiosk, 8, seed=4, walk_away_share=0.4)
    seed(staff_kiosk, 5)  # today (Friday 2026-11-27, noon in Seoul)
    seed(staff_kiosk, 2, days_ago=2, first=100)  # Wednesday: this week, not today
    seed(staff_kiosk, 3, days_ago=10, first=200)  # the week before
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    # Day and week boundaries are midnight in Seoul (UTC+9), Monday for the week.
    since = {"today": "2026-11-26T15:00:00", "week": "2026-11-22T15:00:00", "total": ""}
    with contextlib.closing(sqlite3.connect(staff_kiosk.config.db_path)) as raw:
        expected = {
            key: dict(
                raw.execute(
                    "select form_id, count(*) from responses where submitted_at >= ? group by 1",
                    (bound,),
                )
            )
            for key, bound in since.items()
        }
    cells = hands.area.dashboard.cells
    assert expected["today"]["open-opinion"] < expected["week"]["open-opinion"]
    assert expected["week"]["open-opinion"] < expected["total"]["open-opinion"]
    for key, per_form in expected.items():
        for form_id, count in per_form.items():
            assert cells[(form_id, key)].text() == str(count)
    # The share of abandoned visits counts visits (8 simulated), not responses.
    abandoned = report.outcomes["abandoned_kept"] + report.outcomes["left"]
    assert abandoned > 0
    assert f"({abandoned} of 8)" in hands.area.dashboard.abandoned.text()
    assert "Sync is not configured" in hands.area.dashboard.sync.text()
    assert staff_kiosk.content.version in hands.area.dashboard.versions.text()


@pytest.mark.slow
def test_export_of_each_format_from_the_screen_to_the_usb_stick_reads_back(
    staff_kiosk: KioskApp, usb: Path, qtbot: object
) -> None:
    run_visitors(staff_kiosk, 3, seed=9)
    seed(staff_kiosk, 12)
    stored = list(staff_kiosk.repository.iter_responses())
    korean = {a.value for r in stored for a in r.answers if isinstance(a.value, str)}
    korean = {t for t in korean if any("\uac00" <= c <= "\ud7a3" for c in t)}
    assert korean
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.EXPORT)
    screen = hands.area.export
    for fmt in ("csv", "xlsx", "jsonl"):
        hands.tap(screen.formats.buttons[fmt])
        hands.tap(screen.drives.buttons[str(usb)])
        hands.tap(screen.start)
        qtbot.waitUntil(lambda: not hands.controller.view.exporting, timeout=20000)  # type: ignore[attr-defined]
        assert "Done:" in screen.notice.text()
        assert screen.progress.maximum() == len(stored) == screen.progress.value()
        (folder,) = list(usb.glob(f"kiosk-export-*-{fmt}"))
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        assert manifest["responses"] == len(stored)
        for entry in manifest["files"]:
            body = (folder / entry["name"]).read_bytes()
            assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        found: set[str] = set()
        if fmt == "csv":
            for path in folder.glob("responses-*.csv"):
                raw = path.read_bytes()
                assert raw.startswith(b"\xef\xbb\xbf")
                for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))):
                    found.update(row)
        elif fmt == "xlsx":
            book = openpyxl.load_workbook(folder / "responses.xlsx", read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    found.update(v for v in row if isinstance(v, str))
            book.close()
        else:
            for line in (folder / "responses.jsonl").read_text("utf-8").splitlines():
                found.update(
                    a["value"] for a in json.loads(line)["answers"] if isinstance(a["value"], str)
                )
        assert korean <= found
        export = next(e for e in staff_kiosk.repository.audit_entries() if e.action == "export")
        assert export.detail["responses"] == len(stored) and export.detail["format"] == fmt


def test_a_stick_pulled_out_before_the_export_gives_a_clear_message(
    staff_kiosk: KioskApp, usb: Path, qtbot: object
) -> None:
    seed(staff_kiosk, 3)
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.EXPORT)
    screen = hands.area.export
    hands.tap(screen.drives.buttons[str(usb)])
    shutil.rmtree(usb)  # the stick is pulled out while staff look at the screen
    hands.tap(screen.start)
    qtbot.waitUntil(lambda: not hands.controller.view.exporting, timeout=20000)  # type: ignore[attr-defined]
    assert "was the drive removed" in screen.notice.text()
    assert not usb.exists()  # no folder was made where the stick used to be
    assert audit_actions(staff_kiosk)[-1] == "export.failed"


def test_results_count_answers_and_page_through_written_ones(staff_kiosk: KioskApp) -> None:
    seed(staff_kiosk, 24)
    seed(staff_kiosk, 3, days_ago=10, first=100)
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.RESULTS)
    screen = hands.area.results
    hands.tap(screen.forms.buttons["open-opinion"])
    assert "27 responses" in screen.summary.text()
    hands.tap(screen.range.presets["week"])  # the clock's today is Friday 2026-11-27
    assert screen.range.value() == (date(2026, 11, 21), date(2026, 11, 27))
    hands.tap(screen.range.steps[("first", 7)])  # a week later: today only
    assert screen.range.preset() == "today"
    hands.tap(screen.apply)
    assert hands.controller.view.results_range == (date(2026, 11, 27), date(2026, 11, 27))
    stored = [
        r
        for r in staff_kiosk.repository.iter_responses(["open-opinion"])
        if r.submitted_at.astimezone(KST).date() == date(2026, 11, 27)
    ]
    assert len(stored) == 24
    assert stored and f"{len(stored)} responses" in screen.summary.text()
    view = hands.controller.view.results
    assert view is not None
    topic = next(q for q in view.questions if q.question_id == "topic")
    for bar in topic.bars:
        expected = sum(1 for r in stored if r.answer("topic") == bar.key)
        assert bar.count == expected
        assert bar.percent == pytest.approx(100 * expected / topic.answered)
    card = screen.bar_cards["topic"]
    shown = dict(zip((label.text() for label in card.labels), card.figures, strict=True))
    for bar in topic.bars:
        name = bar.label_ko if bar.label_ko == bar.label_en else f"{bar.label_ko} / {bar.label_en}"
        assert shown[name] == f"{bar.count} ({bar.percent:.1f}%)"
    written = sorted(
        (r for r in stored if r.answer("opinion")), key=lambda r: r.submitted_at, reverse=True
    )
    assert screen.shown_texts("opinion") == [r.answer("opinion") for r in written[:5]]
    assert len(written) == 18
    previous, where, following = screen.text_nav["opinion"]
    assert where.text().endswith("Page 1 of 4") and not previous.isEnabled()
    hands.tap(following)
    assert screen.shown_texts("opinion") == [r.answer("opinion") for r in written[5:10]]
    assert screen.text_nav["opinion"][1].text().endswith("Page 2 of 4")


def test_out_of_service_shows_a_notice_in_both_languages_and_survives_a_restart(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, staff_kiosk: KioskApp
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    hands.tap(hands.area.actions_screen.service)
    hands.tap(hands.area.logout)
    window = staff_kiosk.window
    assert window.stack.currentWidget() is window.out_of_service
    texts = " ".join(label.text() for label in window.out_of_service.labels)
    assert "잠시 이용을 멈춥니다" in texts and "Temporarily unavailable" in texts
    QTest.mouseClick(window.out_of_service, Qt.MouseButton.LeftButton, pos=QPoint(200, 400))
    assert staff_kiosk.session.step == Step.OUT_OF_SERVICE  # a visitor's touch does nothing
    staff_kiosk.close()

    restarted = make_kiosk(staff_config)
    assert restarted.session.step == Step.OUT_OF_SERVICE
    hands = StaffHands(restarted)
    hands.log_in()  # staff still get in through the notice
    hands.go(Page.ACTIONS)
    hands.tap(hands.area.actions_screen.service)
    hands.tap(hands.area.logout)
    assert restarted.window.stack.currentWidget() is restarted.window.attract
    on_off = [
        e.detail["on"] for e in restarted.repository.audit_entries() if e.action == "out_of_service"
    ]
    assert on_off == [False, True]


def test_content_pack_from_usb_is_validated_previewed_then_applied_at_the_attract_screen(
    staff_kiosk: KioskApp, usb: Path, make_kiosk: MakeKiosk, staff_config: KioskConfig
) -> None:
    pack = usb / "kiosk-content"
    pack.mkdir()
    (pack / "bad.yaml").write_text("id: Bad Id\nversion: 0\n", "utf-8")
    before = staff_kiosk.session.content.version
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    actions = hands.area.actions_screen
    hands.tap(actions.import_pack)
    assert "was not imported" in actions.notice.text() and "bad.yaml" in actions.notice.text()
    assert not actions.apply_pack.isVisible() and staff_kiosk.session.content.version == before
    shutil.rmtree(pack)
    shutil.copytree(SAMPLE_CONTENT, pack)
    (pack / "proposal-call.yaml").unlink()
    opinion = pack / "open-opinion.yaml"
    opinion.write_text(opinion.read_text("utf-8").replace("version: 1", "version: 2", 1), "utf-8")
    hands.tap(actions.import_pack)
    assert "changed open-opinion" in actions.notice.text()
    assert "removed proposal-youth-public-diplomacy" in actions.notice.text()
    assert actions.apply_pack.isVisible()
    hands.tap(actions.apply_pack)
    assert staff_kiosk.session.content.form("open-opinion").version == 2  # type: ignore[union-attr]
    assert staff_kiosk.session.content.form("proposal-youth-public-diplomacy") is None
    imported = [e for e in staff_kiosk.repository.audit_entries() if e.action == "content.imported"]
    assert imported[0].detail["removed"] == ["proposal-youth-public-diplomacy"]
    staff_kiosk.close()
    assert make_kiosk(staff_config).content.form("open-opinion").version == 2  # type: ignore[union-attr]


def test_sync_now_says_not_configured_and_the_audit_screen_lists_actions(
    staff_kiosk: KioskApp,
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    hands.tap(hands.area.actions_screen.sync)
    assert "Sync is not configured" in hands.area.actions_screen.notice.text()
    hands.go(Page.AUDIT)
    lines = hands.area.audit.lines()
    assert "지금 전송을 눌렀으나 동기화가 설정되어 있지 않습니다" in lines[0]
    assert "Staff pressed Sync now, but sync is not configured" in lines[0]
    assert lines[1].startswith("2026-11-27 12:00 직원이 로그인하려고 PIN을 맞게 입력했습니다")
    assert hands.area.audit.rows[1][1].text().endswith("Staff entered the right PIN to log in")


def test_the_date_picker_counts_from_the_kiosks_today_and_never_runs_past_it(qtbot: QtBot) -> None:
    picker = DateRangePicker(Theme.for_screen(1080, 398.0))
    qtbot.addWidget(picker)  # closed and deleted by Qt after the test, not by the collector
    picker.set_today(date(2026, 11, 27))
    assert picker.value() == (None, None) and picker.preset() == "all"
    picker.choose("month")
    assert picker.value() == (date(2026, 10, 29), date(2026, 11, 27))
    assert picker.presets["month"].property("chosen") and picker.presets["month"].text()[0] == "✓"
    picker.step("last", 1)  # not past today
    assert picker.value() == (date(2026, 10, 29), date(2026, 11, 27))
    assert not picker.steps[("last", 1)].isEnabled()
    picker.step("last", -7)
    picker.step("first", 7)
    picker.step("first", 7)
    picker.step("first", 7)
    picker.step("first", 7)  # the start pushes the end along, still not past today
    assert picker.value() == (date(2026, 11, 26), date(2026, 11, 26))
    assert picker.preset() is None
    assert not any(b.property("chosen") for b in picker.presets.values())
    assert picker.days["first"].text() == "2026-11-26 (목)"
    picker.set_today(date(2026, 11, 28))  # midnight passed: a chosen range stays as it was
    assert picker.value() == (date(2026, 11, 26), date(2026, 11, 26))
    picker.choose("today")
    picker.set_today(date(2026, 11, 29))  # a preset follows the day
    assert picker.value() == (date(2026, 11, 29), date(2026, 11, 29))
    picker.choose("all")
    picker.step("first", -1)  # from "all", a step starts from the last 7 days
    assert picker.value() == (date(2026, 11, 22), date(2026, 11, 29))
