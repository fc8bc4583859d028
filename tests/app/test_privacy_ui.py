"""Privacy through the real kiosk UI: masking notice, clean text, consent, sealed contact details.

Everything is driven offscreen like a visitor; the database file, its WAL and a log file written at
DEBUG level are then searched byte by byte for the plaintext.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.privacy.sealing import generate_key_files, load_private_key_pem, open_sealed
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.simulate import run_visitors
from kiosk.visit.flow import Step
from tests.conftest import FakeClock

EMAIL = "gildong.hong@example.com"
PHONE = "010-2345-6789"


@pytest.fixture
def private_key_and_config(
    config: KioskConfig, tmp_path: Path
) -> tuple[X25519PrivateKey, KioskConfig]:
    """The bundled config with a freshly generated ministry key (the private half stays here)."""
    pair = generate_key_files(tmp_path / "keys")
    privacy = config.privacy.model_copy(update={"public_key_file": pair.public_path})
    keyed = config.model_copy(update={"privacy": privacy})
    return load_private_key_pem(pair.private_path.read_bytes()), keyed


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Every log record of the test, at DEBUG, in a real file (as `kiosk run` writes them)."""
    path = tmp_path / "kiosk.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


def store_bytes(kiosk: KioskApp) -> bytes:
    """The database file and its WAL, as someone who carries the machine away would read them."""
    path = kiosk.database.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def spellings(value: str) -> list[bytes]:
    """The plaintext as it could have been written: UTF-8, UTF-16, digits only, JSON-escaped."""
    digits = "".join(c for c in value if c.isdigit())
    forms = {value, digits, json.dumps(value)}
    found = [form.encode("utf-8") for form in forms if len(form) >= 8]
    found += [value.encode("utf-16-le"), value.encode("utf-16-be")]
    return found


def open_opinion(driver: KioskDriver, language: str, text: str) -> None:
    driver.pick_language(language)
    driver.open_form("open-opinion")
    driver.give("consular")
    driver.give(text)


@pytest.mark.parametrize(("language", "kind_word"), [("ko", "전화번호"), ("en", "a phone number")])
def test_masked_text_is_shown_with_a_reason_before_it_is_stored(
    kiosk: KioskApp, driver: KioskDriver, clock: FakeClock, language: str, kind_word: str
) -> None:
    open_opinion(driver, language, f"답변은 {PHONE} 로 주세요")
    question = kiosk.window.question
    assert kiosk.session.step == Step.QUESTION  # held back once, to show what was masked
    assert question.answer is not None
    assert question.answer.editor.toPlainText() == "답변은 [전화번호] 로 주세요"  # type: ignore[attr-defined]
    assert question.privacy_notice.isVisible()
    assert kind_word in question.privacy_notice.text()
    driver.next()  # a double tap: ignored, the notice stays
    assert kiosk.session.step == Step.QUESTION and question.privacy_notice.isVisible()
    clock.now += timedelta(seconds=2)
    driver.next()
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "답변은 [전화번호] 로 주세요"
    assert b"2345" not in store_bytes(kiosk)


def test_editing_after_the_notice_hides_it_and_text_without_personal_data_goes_straight_on(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    open_opinion(driver, "en", f"mail me at {EMAIL}")
    notice = kiosk.window.question.privacy_notice
    assert notice.isVisible() and "an email address" in notice.text()
    driver.type_text(" thanks")
    assert not notice.isVisible()
    driver.next()
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "mail me at [이메일] thanks"


def test_nfd_bidi_and_zero_width_input_is_stored_clean_and_counted_as_stored(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    nfd = unicodedata.normalize("NFD", "안녕하세요")
    typed = f"\u202e{nfd}\u200b 😊\u2066 평화\u2069\u200d"
    driver.pick_language("ko")
    driver.open_form("proposal-youth-public-diplomacy")
    driver.answer(typed)
    counter = kiosk.window.question.answer.counter  # type: ignore[union-attr]
    assert counter.text().startswith("10 / 80")  # "안녕하세요 😊 평화" in code points
    driver.next()
    driver.answer("가" * 79 + "\u200b\u200b\u200b" + "나")  # 80 after cleaning: accepted
    driver.next()
    assert driver.question_id == "age_group"
    driver.next()
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("title") == "안녕하세요 😊 평화"
    assert stored.answer("proposal") == "가" * 79 + "나"


def test_consent_screen_asks_each_item_with_nothing_ticked_and_refusing_stores_only_that(
    make_kiosk: Callable[..., KioskApp],
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],
) -> None:
    _, keyed = private_key_and_config
    kiosk = make_kiosk(keyed)
    driver = KioskDriver(kiosk)
    open_opinion(driver, "ko", "주말에도 열어 주세요")
    assert kiosk.session.step == Step.CONSENT
    screen = kiosk.window.consent
    assert "365일" in screen.retention.text()
    assert "달라지는 것은 없습니다" in screen.refusal.text()
    assert not any(button.isChecked() for button in screen.buttons.values())
    yes, no = screen.buttons[("email", True)], screen.buttons[("email", False)]
    assert yes.size() == no.size() and screen.no_thanks.size() == screen.next.size()
    assert list(kiosk.repository.iter_responses()) == []  # saved with the consent, at once
    driver.confirm_consent()
    assert screen.message.isVisible() and kiosk.session.step == Step.CONSENT
    driver.refuse_contact()
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "주말에도 열어 주세요" and not stored.has_contact
    receipt = kiosk.repository.consent_receipt(stored.id)
    assert receipt is not None and receipt.text_version == kiosk.content.consent.version  # type: ignore[union-attr]
    assert dict(receipt.choices) == {"email": False, "phone": False}
    with contextlib.closing(sqlite3.connect(kiosk.database.path)) as connection:
        assert connection.execute("SELECT count(*) FROM contacts").fetchone() == (0,)


def test_agreeing_stores_ciphertext_only_which_the_private_key_opens(
    make_kiosk: Callable[..., KioskApp],
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],
    log_file: Path,
) -> None:
    private_key, keyed = private_key_and_config
    kiosk = make_kiosk(keyed)
    driver = KioskDriver(kiosk)
    open_opinion(driver, "en", "Please reply about visas.")
    driver.consent("email", True)
    driver.consent("phone", True)
    driver.confirm_consent()
    assert kiosk.session.step == Step.CONTACT
    driver.type_contact("email", "not-an-address")
    driver.send_contact()
    assert kiosk.window.contact.message.text().startswith("That email address")
    kiosk.window.contact.fields["email"].clear()
    driver.type_contact("email", EMAIL)
    driver.type_contact("phone", "+82 10 2345 6789")
    driver.send_contact()
    assert kiosk.session.step == Step.THANKS
    assert all(not field.text() for field in kiosk.window.contact.fields.values())
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.has_contact
    receipt = kiosk.repository.consent_receipt(stored.id)
    assert receipt is not None and dict(receipt.choices) == {"email": True, "phone": True}
    blob = kiosk.repository.contact_ciphertext(stored.id)
    assert blob is not None
    # What exports read (StoredResponse) says only whether details were given, never the blob.
    exported = dataclasses.asdict(stored)
    assert exported["has_contact"] is True
    assert not any(isinstance(value, bytes) for value in exported.values())
    assert json.loads(open_sealed(private_key, blob)) == {"email": EMAIL, "phone": PHONE}
    while_open = store_bytes(kiosk)  # the WAL still holds the latest pages here
    assert kiosk.database.path.with_name(kiosk.database.path.name + "-wal").stat().st_size > 0
    kiosk.database.close()  # the last connection checkpoints the WAL into the main file
    data = while_open + store_bytes(kiosk) + log_file.read_bytes()
    for plaintext in (EMAIL, PHONE, "+82 10 2345 6789"):
        for form in spellings(plaintext):
            assert form not in data, f"{form!r} found in the store or the log"
    assert blob in data


def test_skipping_after_agreeing_keeps_the_receipt_and_no_details(
    make_kiosk: Callable[..., KioskApp],
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],
) -> None:
    kiosk = make_kiosk(private_key_and_config[1])
    driver = KioskDriver(kiosk)
    open_opinion(driver, "ko", "좋은 전시였습니다")
    driver.consent("email", False)
    driver.consent("phone", True)
    driver.confirm_consent()
    assert not kiosk.window.contact.fields["email"].isVisible()
    driver.send_contact()  # nothing typed: asked to type or skip
    assert kiosk.session.step == Step.CONTACT
    driver.skip_contact()
    (stored,) = list(kiosk.repository.iter_responses())
    assert not stored.has_contact
    receipt = kiosk.repository.consent_receipt(stored.id)
    assert receipt is not None and dict(receipt.choices) == {"email": False, "phone": True}


def test_walking_away_at_the_consent_step_keeps_the_opinion_without_consent(
    make_kiosk: Callable[..., KioskApp],
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],
) -> None:
    kiosk = make_kiosk(private_key_and_config[1])
    driver = KioskDriver(kiosk)
    open_opinion(driver, "ko", "안내 표지판을 늘려 주세요")
    driver.consent("email", True)
    driver.consent("phone", False)
    driver.confirm_consent()
    driver.type_contact("email", EMAIL)
    driver.walk_away()
    assert kiosk.session.step == Step.ATTRACT
    assert not kiosk.window.contact.fields["email"].text()
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "안내 표지판을 늘려 주세요" and not stored.has_contact
    assert kiosk.repository.consent_receipt(stored.id) is None


def test_without_a_configured_key_the_contact_step_is_skipped_and_logged(
    make_kiosk: Callable[..., KioskApp], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.app.composition"):
        kiosk = make_kiosk()
    assert "contact-details step is skipped" in caplog.text
    driver = KioskDriver(kiosk)
    open_opinion(driver, "ko", "좋아요")
    assert kiosk.session.step == Step.THANKS


@pytest.mark.slow
def test_a_simulated_day_with_contact_details_leaves_no_plaintext_in_store_or_logs(
    make_kiosk: Callable[..., KioskApp],
    private_key_and_config: tuple[X25519PrivateKey, KioskConfig],
    log_file: Path,
) -> None:
    private_key, keyed = private_key_and_config
    kiosk = make_kiosk(keyed)
    report = run_visitors(kiosk, 12, seed=6)
    assert report.contacts_given >= 2 and report.typed_contacts
    sealed = [
        kiosk.repository.contact_ciphertext(r.id)
        for r in kiosk.repository.iter_responses()
        if r.has_contact
    ]
    assert len(sealed) == report.contacts_given
    assert kiosk.repository.privacy_counts()["sealed_contacts"] == report.contacts_given
    opened = [json.loads(open_sealed(private_key, blob or b"")) for blob in sealed]
    assert sorted(v for details in opened for v in details.values()) == sorted(
        report.typed_contacts
    )
    while_open = store_bytes(kiosk)
    kiosk.database.close()
    data = while_open + store_bytes(kiosk) + log_file.read_bytes()
    for plaintext in report.typed_contacts:
        for form in spellings(plaintext):
            assert form not in data, f"{form!r} found in the store or the log"
