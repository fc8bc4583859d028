"""Receipt codes: random, readable, unique, stored with the response; the QR reads back to the URL."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.app.composition import KioskApp
from kiosk.content import load_pack
from kiosk.core.records import ResponseDraft
from kiosk.feedback.receipts import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    new_receipt_code,
    parse_code,
    receipt_for,
)
from kiosk.storage import Repository, open_database
from kiosk.storage.database import HEAD_REVISION, make_engine, upgrade
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.qr import QUIET_ZONE, Matrix, QrCodeWidget, module_px, qr_matrix
from kiosk.visit.flow import Step, VisitorSession
from tests.conftest import SAMPLE_CONTENT, FakeClock

from .test_visit_ui import PLANS, follow_plan

CONFUSABLE = set("01OIL")


def test_codes_are_unique_across_100000_and_use_only_the_readable_alphabet() -> None:
    codes = [new_receipt_code() for _ in range(100_000)]
    assert len(set(codes)) == len(codes)
    used = set("".join(codes))
    assert used <= set(ALPHABET)
    assert not used & CONFUSABLE
    assert not set(ALPHABET) & CONFUSABLE
    assert {len(code) for code in codes} == {CODE_LENGTH}
    # Every character of the alphabet turns up: the generator is not stuck on a subset.
    assert used == set(ALPHABET)


def test_a_code_is_shown_in_two_groups_and_typed_back_in_any_case() -> None:
    assert format_code("ABCD2345") == "ABCD-2345"
    assert parse_code("abcd-2345") == "ABCD2345"
    assert parse_code("ABCD 2345") == "ABCD2345"
    assert parse_code("ABCD-0345") is None  # 0 is never issued
    assert parse_code("ABC") is None
    receipt = receipt_for("ABCD2345", "https://example.go.kr/r/{code}")
    assert (receipt.shown, receipt.url) == ("ABCD-2345", "https://example.go.kr/r/ABCD-2345")


def _submit_opinion(driver: KioskDriver, language: str = "en") -> None:
    driver.pick_language(language)
    driver.open_form("open-opinion")
    driver.give("climate")
    driver.type_text("More support for climate adaptation, please.")
    driver.next()
    driver.expect(Step.THANKS)


def test_an_opinion_gets_a_receipt_that_is_stored_shown_and_in_the_qr(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    _submit_opinion(driver)
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.receipt is not None and parse_code(stored.receipt) == stored.receipt
    panel = kiosk.window.thanks.receipt
    assert panel.isVisible()
    assert panel.code.text() == format_code(stored.receipt)
    expected = kiosk.config.feedback.receipt_url.format(code=format_code(stored.receipt))
    assert panel.qr.data == expected
    assert stored.receipt not in str(stored.answers)  # not derived from what was written


def test_a_survey_gets_no_receipt_and_the_panel_stays_hidden(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form("weekly-climate-diplomacy")
    follow_plan(driver, PLANS["weekly-climate-diplomacy"]["ko"])
    driver.expect(Step.THANKS)
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.receipt is None
    assert not kiosk.window.thanks.receipt.isVisible()


def test_two_visitors_get_different_receipts_and_the_second_thanks_shows_its_own(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    _submit_opinion(driver)
    first = kiosk.window.thanks.receipt.code.text()
    driver.walk_away()
    _submit_opinion(driver, "ko")
    second = kiosk.window.thanks.receipt.code.text()
    codes = {r.receipt for r in kiosk.repository.iter_responses()}
    assert first != second
    assert {format_code(c) for c in codes if c} == {first, second}


def test_the_receipt_column_arrives_by_migration_and_old_rows_keep_none(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    engine = make_engine(path)
    upgrade(engine, path, backups_kept=3, target="0002")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "insert into responses values ('r1','weekly',1,'h','c','ko','complete',"
            "'2026-11-27T03:00:00.000000+00:00','2026-11-27T03:01:00.000000+00:00','dev')"
        )
    engine.dispose()
    database = open_database(path)
    try:
        assert database.revision() == HEAD_REVISION
        assert Repository(database).response("r1").receipt is None  # type: ignore[union-attr]
        with contextlib.closing(sqlite3.connect(path)) as raw:
            indexes = raw.execute("PRAGMA index_list('responses')").fetchall()
        assert any(name == "ix_responses_receipt" and unique for _, name, unique, *_ in indexes)
    finally:
        database.close()


# -- the QR code reads back -------------------------------------------------------------------


def read_modules(image: QImage) -> Matrix:
    """Sample a rendered QR back into its module grid, knowing nothing but the picture.

    Finds the dark bounding box, measures one module from the top-left finder pattern (7 modules
    wide by the standard), checks the quiet zone is white, and reads each module's centre pixel.
    """
    width, height = image.width(), image.height()

    def dark(x: int, y: int) -> bool:
        return QColor(image.pixel(x, y)).lightness() < 128

    darks = [(x, y) for y in range(height) for x in range(width) if dark(x, y)]
    assert darks, "nothing dark in the image"
    left, top = min(x for x, _ in darks), min(y for _, y in darks)
    right, bottom = max(x for x, _ in darks), max(y for _, y in darks)
    run = 0
    while dark(left + run, top):
        run += 1
    assert run % 7 == 0, f"finder pattern is {run} px wide, not a multiple of 7"
    unit = run // 7
    size = (right - left + 1) // unit
    assert (right - left + 1) == size * unit == (bottom - top + 1), "modules are not whole pixels"
    quiet = QUIET_ZONE * unit
    assert left >= quiet and top >= quiet
    assert width - 1 - right >= quiet and height - 1 - bottom >= quiet
    return tuple(
        tuple(dark(left + c * unit + unit // 2, top + r * unit + unit // 2) for c in range(size))
        for r in range(size)
    )


@pytest.mark.parametrize("side", [330, 600])
def test_the_rendered_qr_reads_back_to_the_matrix_of_the_receipt_url(
    qtbot: object, side: int
) -> None:
    url = receipt_for(
        new_receipt_code(), "https://www.mofa.go.kr/www/participation/receipt/{code}"
    ).url
    widget = QrCodeWidget()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.set_data(url)
    widget.resize(side, side)
    picture = widget.grab().toImage()  # what the screen shows, painted by paintEvent
    assert read_modules(picture) == qr_matrix(url)
    assert read_modules(widget.render_image(side)) == qr_matrix(url)
    assert read_modules(picture) != qr_matrix(url.replace("receipt", "receipts"))


def test_the_qr_on_the_thanks_screen_reads_back_to_the_configured_url(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    _submit_opinion(driver)
    qr = kiosk.window.thanks.receipt.qr
    (stored,) = list(kiosk.repository.iter_responses())
    url = kiosk.config.feedback.receipt_url.format(code=format_code(stored.receipt or ""))
    assert read_modules(qr.grab().toImage()) == qr_matrix(url)
    # At least 5 whole pixels a module at kiosk size: crisp for a phone camera.
    assert module_px(len(qr_matrix(url)), min(qr.width(), qr.height())) >= 5


# -- the bare session ---------------------------------------------------------------------------


def test_the_session_puts_a_fresh_code_in_each_opinion_draft_and_none_elsewhere() -> None:
    saved: list[ResponseDraft] = []
    session = VisitorSession(load_pack(SAMPLE_CONTENT), saved.append, ("ko", "en"), FakeClock())
    for _ in range(2):
        session.start()
        session.choose_language("en")
        session.open_form("open-opinion")
        session.answer("peace")
        session.next()
        session.answer("Keep talking.")
        session.next()
        assert session.view.receipt is not None
        assert session.view.receipt.code == saved[-1].receipt
        session.reset("next visitor")
        assert session.view.receipt is None
    session.start()
    session.choose_language("en")
    session.open_form("weekly-climate-diplomacy")
    session.begin_questions()
    session.answer(4)
    session.idle_expired()  # kept as abandoned: no receipt for a visitor who walked away
    codes = [draft.receipt for draft in saved]
    assert saved[-1].status == "abandoned" and codes[-1] is None
    assert all(parse_code(c or "") for c in codes[:2]) and codes[0] != codes[1]
