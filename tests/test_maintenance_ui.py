"""The staff maintenance area driven through the real window: the hidden gesture, the PIN pad and
its lock (across a restart), the dashboard against the database, exports to a "USB" directory,
results, actions, the audit log and auto-logout."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.app import KioskApp
from kiosk.config import KioskConfig
from kiosk.driver import KioskDriver
from kiosk.maintenance import Page
from kiosk.records import Answer, ResponseDraft
from kiosk.session import Step
from kiosk.simulate import run_visitors
from kiosk.storage.queries import KST
from kiosk.storage.staff import StaffStore

from .conftest import SAMPLE_CONTENT, FakeClock

PIN = "482913"
MakeKiosk = Callable[..., KioskApp]


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    stick = tmp_path / "usb"
    stick.mkdir()
    return stick


@pytest.fixture
def staff_config(config: KioskConfig, usb: Path) -> KioskConfig:
    """Five taps on the top-right corner; the "USB stick" is a plain directory (export root)."""
    maintenance = config.maintenance.model_copy(update={"gesture": "taps", "export_roots": [usb]})
    return config.model_copy(update={"maintenance": maintenance})


@pytest.fixture
def staff_kiosk(make_kiosk: MakeKiosk, staff_config: KioskConfig, clock: FakeClock) -> KioskApp:
    kiosk = make_kiosk(staff_config)
    StaffStore(kiosk.database, clock).set_pin(PIN)
    return kiosk


class StaffHands:
    """A staff member's hands on the kiosk: the gesture, the PIN pad, the staff pages."""

    def __init__(self, kiosk: KioskApp) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.area = kiosk.window.maintenance
        assert kiosk.maintenance is not None
        self.controller = kiosk.maintenance

    def tap(self, widget: QWidget) -> None:
        KioskDriver(self.kiosk).tap(widget)

    def corner_taps(self, count: int = 5) -> None:
        screen = (
            self.window.out_of_service
            if self.kiosk.session.step == Step.OUT_OF_SERVICE
            else self.window.attract
        )
        corner = QPoint(screen.width() - 5, 5)
        for _ in range(count):
            QTest.mouseClick(screen, Qt.MouseButton.LeftButton, pos=corner)
        KioskDriver.settle()

    def type_pin(self, pin: str) -> None:
        for digit in pin:
            self.tap(self.area.pin.digits[digit])
        self.tap(self.area.pin.ok)

    def log_in(self, pin: str = PIN) -> None:
        self.corner_taps()
        self.type_pin(pin)

    def go(self, page: Page) -> None:
        self.tap(self.area.nav_buttons[page])

    @property
    def page(self) -> Page:
        return self.controller.view.page


OPINIONS = [
    "해외 여행객 안전 안내를 강화해 주세요 😊",
    "Keep the lobby open on Saturdays.",
    "청년 외교",
]


def seed(kiosk: KioskApp, count: int, days_ago: int = 0, first: int = 0) -> None:
    """Opinions written through the real repository (faster than driving the UI for each)."""
    now = kiosk.repository._clock() - timedelta(days=days_ago)
    for n in range(first, first + count):
        answers = [Answer("topic", ("consular", "other", "economy")[n % 3])]
        if n % 4:
            answers.append(Answer("opinion", f"{OPINIONS[n % 3]} #{n}"))
        kiosk.repository.save_response(
            ResponseDraft(
                id=str(uuid.UUID(int=n + 1)),
                form_id="open-opinion",
                form_version=1,
                form_hash="h" * 64,
                content_version=kiosk.content.version,
                language=("ko", "en")[n % 2],
                status="complete" if n % 5 else "abandoned",
                started_at=now - timedelta(minutes=n + 2),
                submitted_at=now - timedelta(minutes=n),
                answers=tuple(answers),
            )
        )


def audit_actions(kiosk: KioskApp) -> list[str]:
    return [e.action for e in reversed(kiosk.repository.audit_entries(500))]


def test_five_corner_taps_open_the_pin_pad_and_start_no_visit(staff_kiosk: KioskApp) -> None:
    hands = StaffHands(staff_kiosk)
    hands.corner_taps(4)
    assert hands.page == Page.CLOSED and staff_kiosk.session.step == Step.ATTRACT
    hands.corner_taps(1)
    assert hands.page == Page.PIN
    assert staff_kiosk.window.stack.currentWidget() is hands.area
    assert hands.area.pin.isVisible() and staff_kiosk.session.step == Step.ATTRACT
    hands.tap(hands.area.pin.cancel)
    assert hands.page == Page.CLOSED and staff_kiosk.window.attract.isVisible()
    # An ordinary touch anywhere else still starts a visit.
    KioskDriver(staff_kiosk).touch_attract()
    assert staff_kiosk.session.step == Step.LANGUAGE


def test_a_long_press_opens_the_pad_and_a_short_corner_tap_starts_a_visit(
    make_kiosk: MakeKiosk, config: KioskConfig, qtbot: object
) -> None:
    settings = config.maintenance.model_copy(update={"gesture": "hold", "hold_s": 0.5})
    kiosk = make_kiosk(config.model_copy(update={"maintenance": settings}))
    hands = StaffHands(kiosk)
    attract = kiosk.window.attract
    corner = QPoint(attract.width() - 5, 5)
    assert kiosk.gesture is not None
    QTest.mousePress(attract, Qt.MouseButton.LeftButton, pos=corner)
    with qtbot.waitSignal(kiosk.gesture.recognised, timeout=3000):  # type: ignore[attr-defined]
        pass
    QTest.mouseRelease(attract, Qt.MouseButton.LeftButton, pos=corner)
    KioskDriver.settle()
    assert hands.page == Page.PIN and kiosk.session.step == Step.ATTRACT
    hands.tap(hands.area.pin.cancel)
    QTest.mouseClick(attract, Qt.MouseButton.LeftButton, pos=corner)
    KioskDriver.settle()
    assert hands.page == Page.CLOSED and kiosk.session.step == Step.LANGUAGE


def test_five_wrong_pins_lock_the_pad_even_after_a_restart(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, staff_kiosk: KioskApp, clock: FakeClock
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.corner_taps()
    for attempt in range(1, 5):
        hands.type_pin("0000")
        assert "Wrong PIN" in hands.area.pin.notice.text()
        assert f"{5 - attempt} more" in hands.area.pin.notice.text()
    hands.type_pin("0000")
    assert "locked for 30 seconds" in hands.area.pin.notice.text()
    assert not hands.area.pin.ok.isEnabled() and not hands.area.pin.digits["4"].isEnabled()
    # Even the right PIN is refused while locked (the controller is asked directly: the
    # buttons are disabled).
    hands.controller.enter_pin(PIN)
    assert hands.page == Page.PIN
    staff_kiosk.close()

    restarted = make_kiosk(staff_config)
    hands = StaffHands(restarted)
    hands.corner_taps()
    assert "locked for 30 seconds" in hands.area.pin.notice.text()
    assert not hands.area.pin.ok.isEnabled()
    clock.now += timedelta(seconds=31)
    hands.controller.tick()
    assert hands.area.pin.ok.isEnabled()
    hands.type_pin("1111")  # the sixth wrong PIN locks for twice as long
    assert "locked for 60 seconds" in hands.area.pin.notice.text()
    clock.now += timedelta(seconds=61)
    hands.controller.tick()
    hands.type_pin(PIN)
    assert hands.page == Page.DASHBOARD and hands.area.dashboard.isVisible()
    actions = audit_actions(restarted)
    # Six wrong PINs and the right one tried while locked: every attempt is on record.
    assert actions.count("pin.rejected") == 7 and actions[-1] == "pin.accepted"
    with sqlite3.connect(staff_config.db_path) as raw:
        stored = dict(raw.execute("select key, value from meta").fetchall())
        audit_text = " ".join(r[0] for r in raw.execute("select detail_json from audit_log"))
    assert stored["staff.pin_hash"].startswith("scrypt$") and PIN not in stored["staff.pin_hash"]
    assert stored.get("staff.failed_count") is None  # the right PIN cleared the count
    assert PIN not in audit_text and "0000" not in audit_text


def test_dashboard_figures_match_the_database(staff_kiosk: KioskApp) -> None:
    run_visitors(staff_kiosk, 8, seed=4, walk_away_share=0.4)
    seed(staff_kiosk, 5)  # today (Friday 2026-11-27, noon in Seoul)
    seed(staff_kiosk, 2, days_ago=2, first=100)  # Wednesday: this week, not today
    seed(staff_kiosk, 3, days_ago=10, first=200)  # the week before
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    # Day and week boundaries are midnight in Seoul (UTC+9), Monday for the week.
    since = {"today": "2026-11-26T15:00:00", "week": "2026-11-22T15:00:00", "total": ""}
    with sqlite3.connect(staff_kiosk.config.db_path) as raw:
        expected = {
            key: dict(
                raw.execute(
                    "select form_id, count(*) from responses where submitted_at >= ? group by 1",
                    (bound,),
                )
            )
            for key, bound in since.items()
        }
        abandoned = raw.execute(
            "select count(*) from responses where status = 'abandoned'"
        ).fetchone()[0]
    cells = hands.area.dashboard.cells
    assert expected["today"]["open-opinion"] < expected["week"]["open-opinion"]
    assert expected["week"]["open-opinion"] < expected["total"]["open-opinion"]
    for key, per_form in expected.items():
        for form_id, count in per_form.items():
            assert cells[(form_id, key)].text() == str(count)
    total = sum(expected["total"].values())
    assert f"({abandoned} of {total})" in hands.area.dashboard.abandoned.text()
    assert "Sync is not configured" in hands.area.dashboard.sync.text()
    assert staff_kiosk.content.version in hands.area.dashboard.versions.text()


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
    hands.tap(screen.range.choose_dates)
    screen.range.first.setDate(QDate(2026, 11, 27))
    screen.range.last.setDate(QDate(2026, 11, 27))
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
    assert "topic" in screen.charts
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


def test_staff_are_logged_out_after_two_minutes_without_a_touch(
    staff_kiosk: KioskApp, clock: FakeClock
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    clock.now += timedelta(seconds=100)
    hands.go(Page.AUDIT)  # a touch restarts the two minutes
    clock.now += timedelta(seconds=110)
    hands.controller.tick()
    assert hands.page == Page.AUDIT
    clock.now += timedelta(seconds=11)
    hands.controller.tick()
    assert hands.page == Page.CLOSED
    assert staff_kiosk.window.stack.currentWidget() is staff_kiosk.window.attract
    entry = staff_kiosk.repository.audit_entries(1)[0]
    assert entry.action == "logout" and entry.detail == {"reason": "auto-logout"}


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


def test_change_pin_then_quit_needs_the_new_pin_and_a_confirmation(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, clock: FakeClock
) -> None:
    quits: list[bool] = []
    kiosk = make_kiosk(staff_config, quit_app=lambda: quits.append(True))
    StaffStore(kiosk.database, clock).set_pin(PIN)
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    actions = hands.area.actions_screen
    hands.tap(actions.change_pin)
    hands.type_pin(PIN)
    hands.type_pin("13579")
    hands.type_pin("13570")
    assert "differ" in hands.area.pin.notice.text()
    hands.type_pin("13579")
    hands.type_pin("13579")
    assert "PIN is changed" in actions.notice.text()
    hands.tap(actions.quit)
    hands.type_pin(PIN)  # the old PIN no longer works
    assert "Wrong PIN" in hands.area.pin.notice.text()
    hands.type_pin("13579")
    assert actions.confirm.isVisible() and not quits
    hands.tap(actions.quit_no)
    assert not actions.confirm.isVisible() and not quits
    hands.tap(actions.quit)
    hands.type_pin("13579")
    hands.tap(actions.quit_yes)
    assert quits == [True]
    assert audit_actions(kiosk)[-6:] == [
        "pin.accepted",
        "pin.changed",
        "pin.rejected",
        "pin.accepted",
        "pin.accepted",
        "quit",
    ]


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
    assert "sync.requested" in lines[0] and "pin.accepted" in lines[1]


def test_the_export_job_runs_its_work_on_another_thread(qtbot: object) -> None:
    import threading

    from kiosk.export_job import ExportJob

    seen: list[int] = []

    def work(progress: Callable[[int, int], None]) -> object:
        seen.append(threading.get_ident())
        progress(1, 1)
        return "result"

    job = ExportJob(work)  # type: ignore[arg-type]
    with qtbot.waitSignal(job.succeeded, timeout=5000) as done:  # type: ignore[attr-defined]
        job.start()
    job.wait()
    assert done.args == ["result"] and seen and seen[0] != threading.get_ident()
