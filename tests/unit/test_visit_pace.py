"""The pace of a visit without widgets: starting from the attract screen, one-tap answers, the
question count, a shared briefing, starting over, the thank-you countdown and the visit rating."""

from __future__ import annotations

import itertools

import pytest

from kiosk.content import ContentPack, load_pack
from kiosk.content.answers import countable_questions
from kiosk.core.records import AnswerValue, ResponseDraft
from kiosk.i18n.texts import text
from kiosk.visit.flow import Step, VisitorSession
from kiosk.visit.view import SHARED_BRIEFING_CHARS, auto_advances
from tests.conftest import SAMPLE_CONTENT, FakeClock

WEEKLY = "weekly-climate-diplomacy"


@pytest.fixture
def pack() -> ContentPack:
    return load_pack(SAMPLE_CONTENT)


@pytest.fixture
def saved() -> list[ResponseDraft]:
    return []


@pytest.fixture
def session(pack: ContentPack, saved: list[ResponseDraft]) -> VisitorSession:
    return VisitorSession(pack, saved.append, ("ko", "en"), FakeClock())


def test_a_language_on_the_attract_screen_starts_the_visit_in_it(session: VisitorSession) -> None:
    session.choose_language("en")
    assert (session.step, session.view.language) == (Step.HOME, "en")
    session.reset("done")
    session.start()  # a touch anywhere else: the first language
    assert (session.step, session.view.language) == (Step.HOME, "ko")
    session.back()  # home is the first screen of a visit: back goes nowhere
    assert session.step == Step.HOME
    session.reset("done")
    with pytest.raises(ValueError, match="not offered"):
        session.start("fr")
    assert "language" not in {step.value for step in Step}


def test_one_tap_answers_are_single_choice_yes_no_and_scales_without_topic_briefings(
    pack: ContentPack,
) -> None:
    weekly, opinion = pack.form(WEEKLY), pack.form("open-opinion")
    assert weekly is not None and opinion is not None
    assert {q.id: auto_advances(q) for q in weekly.questions} == {
        "support_aid": True,  # likert
        "why_not": False,  # free text
        "priority": True,  # single choice
        "sources": False,  # multiple choice
        "join_briefing": True,  # yes/no
        "recommend": True,  # nps
    }
    topic = opinion.questions[0]
    assert topic.type == "single_choice" and any(o.briefing for o in topic.options or [])
    assert not auto_advances(topic)  # the visitor may want to read about the topic first


# Every way through the weekly survey, each question answered or (if optional) skipped.
WEEKLY_CHOICES: dict[str, tuple[AnswerValue | None, ...]] = {
    "support_aid": (1, 2, 3, 4, 5),
    "why_not": ("too costly", None),
    "priority": ("renewables", "finance"),
    "sources": (("tv",), ("tv", "social", "people")),
    "join_briefing": (True, False),
    "recommend": (None, 0, 10),
}


def walk(session: VisitorSession, plan: dict[str, AnswerValue | None]) -> list[tuple[int, int]]:
    """Answer the weekly survey from the plan; the (position, total) shown on each question."""
    session.start("ko")
    session.open_form(WEEKLY)
    shown = []
    while session.step == Step.QUESTION:
        view = session.view
        assert view.question is not None
        shown.append((view.position, view.total))
        value = plan[view.question.id]
        if value is not None:
            session.answer(value)
        session.next()
    assert session.step == Step.THANKS
    session.reset("done")
    return shown


def test_the_question_count_never_grows_going_forward_and_ends_on_the_last_question(
    session: VisitorSession,
) -> None:
    paths = [
        dict(zip(WEEKLY_CHOICES, c, strict=True))
        for c in itertools.product(*WEEKLY_CHOICES.values())
    ]
    totals_seen = set()
    for plan in paths:
        shown = walk(session, plan)
        positions = [position for position, _ in shown]
        totals = [total for _, total in shown]
        assert positions == list(range(1, len(shown) + 1)), plan
        assert all(later <= earlier for earlier, later in itertools.pairwise(totals)), plan
        assert totals[-1] == len(shown), plan  # "5 of 5" on the last question, never "5 of 6"
        totals_seen.add(tuple(totals))
    # Before the first answer both ways are possible (6); agreeing drops the follow-up (5).
    assert totals_seen == {(6, 5, 5, 5, 5), (6, 6, 6, 6, 6, 6)}


def test_the_count_is_the_questions_that_can_still_be_shown(pack: ContentPack) -> None:
    weekly = pack.form(WEEKLY)
    assert weekly is not None
    ids = [q.id for q in countable_questions(weekly, {})]
    assert ids == [q.id for q in weekly.questions]  # "why not" may still come
    assert "why_not" not in [q.id for q in countable_questions(weekly, {"support_aid": 4})]
    assert "why_not" in [q.id for q in countable_questions(weekly, {"support_aid": 2})]


def test_a_short_briefing_shares_the_first_question_and_a_long_one_has_its_own_screen(
    pack: ContentPack, saved: list[ResponseDraft]
) -> None:
    session = VisitorSession(pack, saved.append, ("ko", "en"), FakeClock())
    session.start("en")
    session.open_form(WEEKLY)
    assert session.step == Step.QUESTION and session.view.briefing_shared
    session.answer(4)
    session.next()
    assert not session.view.briefing_shared  # only with the first question
    session.back()
    assert session.view.briefing_shared
    session.back()
    assert session.step == Step.HOME  # no separate briefing screen to go back through
    weekly = pack.form(WEEKLY)
    assert weekly is not None and weekly.briefing is not None
    long_body = {"ko": "가" * (SHARED_BRIEFING_CHARS + 1), "en": "a"}
    long = weekly.model_copy(
        update={"briefing": weekly.briefing.model_copy(update={"body": long_body})}
    )
    forms = tuple(long if f.id == WEEKLY else f for f in pack.forms)
    session = VisitorSession(
        pack.model_copy(update={"forms": forms}), saved.append, ("ko", "en"), FakeClock()
    )
    session.start("en")
    session.open_form(WEEKLY)
    assert session.step == Step.BRIEFING
    session.begin_questions()
    assert session.step == Step.QUESTION and not session.view.briefing_shared


def test_start_over_asks_once_and_only_when_answers_would_be_lost(
    session: VisitorSession, saved: list[ResponseDraft]
) -> None:
    session.start("ko")
    session.request_restart()  # nothing to lose at home: at once
    assert session.step == Step.ATTRACT
    session.start("ko")
    session.open_form(WEEKLY)
    session.request_restart()  # on a question, still nothing answered
    assert session.step == Step.ATTRACT
    session.start("ko")
    session.open_form(WEEKLY)
    session.answer(4)
    session.next()
    renders: list[bool] = []
    session.subscribe(lambda view: renders.append(view.confirm_restart))
    session.request_restart()
    session.request_restart()  # a second tap while asked: asked once, not twice
    assert renders == [False, True]
    assert session.step == Step.QUESTION
    session.cancel_restart()
    assert not session.view.confirm_restart and session.has_answers
    assert session.view.question is not None and session.view.question.id == "priority"
    session.request_restart()
    session.confirm_restart()
    assert session.step == Step.ATTRACT and not session.has_answers
    assert saved == []  # starting over keeps nothing


def test_the_thank_you_countdown_shows_only_on_the_thank_you_screen(
    session: VisitorSession,
) -> None:
    session.start("en")
    session.thanks_countdown(9)
    assert session.view.thanks_seconds_left is None
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    session.answer("Thanks")
    session.next()
    session.thanks_countdown(9)
    assert session.view.thanks_seconds_left == 9
    session.another()
    assert session.view.thanks_seconds_left is None


def test_a_validation_message_says_what_to_do(session: VisitorSession) -> None:
    session.start("en")
    session.open_form(WEEKLY)
    session.answer(4)
    session.next()
    session.answer("finance")
    session.next()
    session.answer(("tv", "social", "government", "people"))
    session.next()
    message = session.view.message
    assert message is not None
    said = text(message.key, "en", **dict(message.values))
    assert said == "Choose up to 3: tap a chosen answer to remove it."
    session.answer(())
    session.next()
    message = session.view.message
    assert message is not None
    assert text(message.key, "en", **dict(message.values)) == "Choose or write an answer to go on."


def test_in_easy_mode_the_briefing_keeps_a_screen_of_its_own(session: VisitorSession) -> None:
    session.start("en")
    session.set_easy_mode(True)  # doubled text: briefing and question do not share a screen
    session.open_form(WEEKLY)
    assert session.step == Step.BRIEFING
    session.begin_questions()
    assert session.step == Step.QUESTION and not session.view.briefing_shared
    session.back()
    assert session.step == Step.BRIEFING
