"""Privacy rules of the visit without widgets: rating debounce, masking at submit, the daily purge,
and the `kiosk keys` / `kiosk purge` commands."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app.composition import KioskApp
from kiosk.app.retention_timer import RetentionTimer
from kiosk.config.settings import KioskConfig
from kiosk.content import load_pack
from kiosk.core.records import ResponseDraft
from kiosk.privacy.contact import normalise_email, normalise_phone
from kiosk.visit.flow import SessionView, Step, VisitorSession
from tests.conftest import NOW, REPO, SAMPLE_CONTENT, FakeClock


def exit_survey_session(clock: FakeClock, debounce_ms: int) -> tuple[VisitorSession, list[int]]:
    saved: list[ResponseDraft] = []
    session = VisitorSession(
        load_pack(SAMPLE_CONTENT), saved.append, clock=clock, rating_debounce_ms=debounce_ms
    )
    session.start()
    session.choose_language("ko")
    session.open_form("visit-satisfaction")
    renders: list[int] = []
    session.subscribe(lambda view: renders.append(view.visit))
    return session, renders


def test_repeated_taps_on_the_same_rating_within_the_interval_count_once() -> None:
    clock = FakeClock(NOW)
    session, renders = exit_survey_session(clock, 700)
    before = len(renders)
    session.answer(4)
    session.answer(4)  # the same star again at once: ignored
    clock.now += timedelta(milliseconds=300)
    session.answer(4)  # still inside the interval since the last tap
    assert len(renders) == before + 1
    session.answer(5)  # a different value is a change of mind, taken at once
    assert len(renders) == before + 2 and session.view.answer == 5
    clock.now += timedelta(seconds=2)
    session.answer(5)
    assert len(renders) == before + 3


def test_every_free_text_is_masked_and_cut_at_submit_even_without_the_notice() -> None:
    saved: list[ResponseDraft] = []
    session = VisitorSession(load_pack(SAMPLE_CONTENT), saved.append, clock=FakeClock(NOW))
    session.start()
    session.choose_language("en")
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    session.answer("call 010-1234-5678 \u200b")
    session.submit()  # straight to submit, as an idle keep or a double tap could
    (draft,) = saved
    assert dict((a.question_id, a.value) for a in draft.answers)["opinion"] == "call [전화번호]"
    assert draft.text_limits == (("opinion", 1000),)


def test_contact_entries_are_checked_and_normalised() -> None:
    assert normalise_email(" Hong.Gildong@Example.co.kr ") == "Hong.Gildong@Example.co.kr"
    assert normalise_email("ｈｏｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "hong@example.com"
    for bad in ("hong@", "hong@example", "a..b@example.com", "홍@example.com", "hong example.com"):
        assert normalise_email(bad) is None, bad
    for spelled in ("010-1234-5678", "01012345678", "+82 10 1234 5678", "010.1234.5678"):
        assert normalise_phone(spelled) == "010-1234-5678", spelled
    assert normalise_phone("011-123-4567") == "011-123-4567"
    for bad in ("02-123-4567", "1234", "010-1234-567", "+1 415 555 0132"):
        assert normalise_phone(bad) is None, bad


def test_the_running_kiosk_purges_once_a_day_after_the_hour_and_only_between_visitors(
    kiosk: KioskApp, clock: FakeClock
) -> None:
    settings = kiosk.config.privacy.model_copy(update={"purge_hour": 3})
    timer = RetentionTimer(kiosk.repository, kiosk.session, settings, clock, zone=UTC)
    clock.now = datetime(2026, 12, 1, 2, 59, tzinfo=UTC)
    assert not timer.check()
    clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    kiosk.session.start()
    assert not timer.check()  # someone is at the kiosk
    kiosk.session.reset("test")
    assert timer.check()
    clock.now += timedelta(hours=5)
    assert not timer.check()  # once a day
    clock.now = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)
    assert timer.check()  # the kiosk was off at 03:00: the purge happens later that day
    actions = [entry.action for entry in kiosk.repository.audit_entries()]
    assert actions.count("purge_contacts") == 2 and actions.count("purge_responses") == 2
    assert kiosk.retention is not None  # the app runs its own


@pytest.mark.slow
def test_keys_generate_and_purge_dry_run_from_the_command_line(
    tmp_path: Path, config: KioskConfig
) -> None:
    def kiosk_command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    made = kiosk_command("keys", "generate", "--out", str(tmp_path / "keys"))
    assert made.returncode == 0, made.stderr
    assert "public_key_file" in made.stdout and "ONLY with the ministry's backend" in made.stdout
    assert "PRIVATE KEY" not in made.stdout
    assert (tmp_path / "keys" / "contact-key.private.pem").exists()
    again = kiosk_command("keys", "generate", "--out", str(tmp_path / "keys"))
    assert again.returncode == 1 and "already exists" in again.stderr
    data = tmp_path / "data"
    data.mkdir()
    dry = kiosk_command("purge", "--dry-run", "--data-dir", str(data))
    assert dry.returncode == 0, dry.stderr
    assert "would remove 0 contact record(s)" in dry.stdout
    assert "would remove 0 acknowledged response(s)" in dry.stdout


def test_session_view_never_carries_typed_contact_details() -> None:
    names = set(SessionView.__dataclass_fields__)
    assert not names & {"contact", "contact_values", "email", "phone"}
    assert Step.CONSENT in Step and Step.CONTACT in Step


def test_a_bad_consent_text_refuses_the_pack_and_names_the_file_and_field(tmp_path: Path) -> None:
    import shutil

    from kiosk.content import validate_paths

    pack = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, pack)
    consent = pack / "consent.yaml"
    original = consent.read_text(encoding="utf-8")
    consent.write_text(original.replace("{days}일이", "며칠이"), encoding="utf-8")
    forms, problems = validate_paths([pack])
    assert len(forms) == 4  # the forms themselves are fine
    assert len(problems) == 1
    assert problems[0].startswith(f"{consent}: (top level)") and "{days}" in problems[0]
    assert "missing in ko" in problems[0]
    consent.write_text(original.replace('  en: "Purpose', '  fr: "Purpose'), encoding="utf-8")
    problems = validate_paths([pack])[1]
    assert len(problems) == 1
    assert problems[0].startswith(f"{consent}: purpose: ") and "missing text in en" in problems[0]


def test_the_key_setting_is_checked_and_names_the_file(tmp_path: Path) -> None:
    import pytest
    from pydantic import ValidationError

    from kiosk.config.settings import PrivacySettings, load_config
    from kiosk.core.errors import ConfigError
    from kiosk.visit.consent import contact_offer_from

    with pytest.raises(ValidationError, match="not both"):
        PrivacySettings(public_key_file=Path("a.pem"), public_key_pem="x")
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[privacy]\npublic_key_file = "missing.pem"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"privacy.public_key_file: cannot read .*missing.pem"):
        contact_offer_from(load_config(toml))
    toml.write_text('[privacy]\npublic_key_pem = "not a key"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"privacy\.public_key_pem: not a PEM public key"):
        contact_offer_from(load_config(toml))
    assert contact_offer_from(load_config()) is None  # the bundled config ships no key
