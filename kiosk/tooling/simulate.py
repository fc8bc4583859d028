"""Synthetic visitors through the real UI: the install smoke test, soak driver and data source."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent

from kiosk.app.composition import KioskApp
from kiosk.content.models import Question
from kiosk.core.errors import KioskError
from kiosk.core.records import AnswerValue
from kiosk.tooling.driver import DriverError, KioskDriver
from kiosk.visit.flow import Step, VisitorSession

SENTENCES = {
    "ko": [
        "청년들이 참여할 수 있는 공공외교 프로그램이 더 많아졌으면 좋겠습니다.",
        "재외국민 안전 정보를 문자로 빨리 알려 주세요.",
        "기후 협력은 우리 기업에도 기회가 됩니다.",
        "외교 정책 설명회를 주말에도 열어 주세요.",
        "한반도 평화를 위한 대화가 계속되기를 바랍니다.",
        "광화문 1번가 같은 소통 공간이 지역에도 생기면 좋겠어요.",
    ],
    "en": [
        "More exchange programmes for students would help.",
        "Please publish consular safety alerts in English as well.",
        "Climate finance should be transparent and measurable.",
        "I would like regular public briefings on trade policy.",
        "Thank you for asking visitors what they think.",
    ],
}


SAVE_FAILED = "error.save_failed"


class SimulationError(KioskError):
    """The simulation had to stop (a response could not be saved); what was saved stays."""


def _stop_if_not_saved(session: VisitorSession, report: SimulationReport) -> None:
    """A failed save leaves the visitor on the same screen with a message: pressing on would loop
    for ever on a read-only or full disk, so stop and say why."""
    message = session.view.message
    if message is not None and message.key == SAVE_FAILED:
        raise SimulationError(
            f"visitor {report.visitors}: a response could not be saved (read-only or full disk? "
            f"see the log); stopped after {report.visitors - 1} complete visitor(s)"
        )


def release_deleted_widgets() -> None:
    """Free the widgets deleted with deleteLater(): without an event loop nothing else does, and
    each visit would keep its answer widgets (and what was typed into them) alive."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@dataclass
class SimulationReport:
    """What the simulated visitors did, for comparison with what the store holds."""

    visitors: int = 0
    responses: Counter[str] = field(default_factory=Counter)
    walked_away: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    contacts_given: int = 0
    # The plaintext contact details typed, so a test can prove they are stored nowhere; never
    # printed (as_dict leaves them out).
    typed_contacts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "visitors": self.visitors,
            "walked_away": self.walked_away,
            "visits_by_outcome": dict(sorted(self.outcomes.items())),
            "responses_by_status": dict(sorted(self.responses.items())),
            "responses": sum(self.responses.values()),
            "contacts_given": self.contacts_given,
        }


def random_answer(question: Question, rng: random.Random, language: str) -> AnswerValue:
    """A valid answer to any question type."""
    if question.type == "single_choice":
        return rng.choice([o.id for o in question.options or []])
    if question.type == "multi_choice":
        low, high = question.picks
        count = rng.randint(max(low, 1), high)
        return tuple(rng.sample([o.id for o in question.options or []], count))
    if question.scale is not None:
        return rng.randint(*question.scale)
    if question.type == "yes_no":
        return rng.random() < 0.5
    return rng.choice(SENTENCES[language] if language in SENTENCES else SENTENCES["en"])[
        : question.max_length
    ]


def _answer_consent(driver: KioskDriver, rng: random.Random, report: SimulationReport) -> None:
    """Half refuse; the others agree to one or both items and type made-up details."""
    session = driver.kiosk.session
    items = [item for item, _ in session.view.consent_choices]
    if rng.random() < 0.5:
        driver.refuse_contact()
        _stop_if_not_saved(session, report)
        return
    agreed = {item: rng.random() < 0.7 for item in items}
    if not any(agreed.values()):
        agreed[items[0]] = True
    for item in items:
        driver.consent(item, agreed[item])
    driver.confirm_consent()
    number = rng.randrange(10_000_000)
    details = {
        "email": f"visitor{number}@example.org",
        "phone": f"010-{number // 10_000:04d}-{number % 10_000:04d}",
    }
    for item in items:
        if agreed[item]:
            driver.type_contact(item, details[item])
            report.typed_contacts.append(details[item])
    driver.send_contact()
    _stop_if_not_saved(session, report)
    report.contacts_given += 1


def run_visitors(
    kiosk: KioskApp,
    visitors: int,
    seed: int = 0,
    walk_away_share: float = 0.15,
    on_visitor: Callable[[int], None] | None = None,
    pace_ms: int = 0,
    hurry: bool = False,
) -> SimulationReport:
    """Drive `visitors` synthetic visits; some walk away mid-form. `on_visitor(n)` is called
    before each visitor, after the previous one's widgets were freed (soak sampling); `pace_ms`
    lets the event loop run that long after each tap (KioskDriver.pace_ms); `hurry` fires one-tap
    confirmations at once (KioskDriver.hurry)."""
    rng = random.Random(seed)
    driver = KioskDriver(kiosk, pace_ms=pace_ms, hurry=hurry)
    session = kiosk.session
    report = SimulationReport()
    languages = tuple(kiosk.config.visit.languages)
    for _ in range(visitors):
        release_deleted_widgets()
        if on_visitor is not None:
            on_visitor(report.visitors)
        report.visitors += 1
        language = rng.choice(languages)
        driver.pick_language(language)
        forms = session.view.forms
        if not forms:
            driver.walk_away()
            report.outcomes["left"] += 1
            continue
        form = rng.choice(forms)
        driver.open_form(form.id)
        if session.step == Step.BRIEFING:
            driver.start_questions()
        walks_after = rng.randint(1, 3) if rng.random() < walk_away_share else None
        answered = 0
        while session.step == Step.QUESTION:
            view = session.view
            assert view.question is not None
            if walks_after is not None and answered >= walks_after:
                break
            if view.question.required or rng.random() < 0.7:
                try:
                    driver.give(random_answer(view.question, rng, language))
                except DriverError:
                    _stop_if_not_saved(session, report)  # a failed save keeps the question
                    raise
            else:
                driver.next()
            _stop_if_not_saved(session, report)
            answered += 1
        if session.step == Step.QUESTION:
            report.walked_away += 1
            kept = form.keep_abandoned and session.has_answers
            driver.walk_away()
            if kept:
                report.responses["abandoned"] += 1
            report.outcomes["abandoned_kept" if kept else "left"] += 1
            continue
        if session.step == Step.CONSENT:
            _answer_consent(driver, rng, report)
        report.responses["complete"] += 1
        report.outcomes["completed"] += 1
        rating = session.view.visit_rating
        if rating is not None and session.view.visit_rated is None and rng.random() < 0.6:
            assert rating.scale is not None
            driver.rate_visit(rng.randint(*rating.scale))  # the one-tap visit rating
            _stop_if_not_saved(session, report)
            report.responses["complete"] += 1
        driver.finish()
    release_deleted_widgets()
    return report
