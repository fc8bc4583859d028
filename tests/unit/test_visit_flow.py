"""VisitorSession without widgets: transitions, conditions, validation, idle and reset."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.content import load_pack
from kiosk.core.errors import DiskFullError
from kiosk.core.records import ResponseDraft
from kiosk.visit.flow import SessionView, Step, VisitorSession
from tests.conftest import SAMPLE_CONTENT, FakeClock

WEEKLY = "weekly-climate-diplomacy"


class Sink:
    """Collects drafts; can be told to fail like a full disk."""

    def __init__(self) -> None:
        self.saved: list[ResponseDraft] = []
        self.fail = False

    def __call__(self, response: ResponseDraft) -> None:
        if self.fail:
            raise DiskFullError("disk is full")
        self.saved.append(response)


@pytest.fixture
def sink() -> Sink:
    return Sink()


@pytest.fixture
def outcomes() -> list[str]:
    return []


@pytest.fixture
def session(sink: Sink, outcomes: list[str]) -> VisitorSession:
    return VisitorSession(
        load_pack(SAMPLE_CONTENT), sink, ("ko", "en"), FakeClock(), on_visit_end=outcomes.append
    )


def open_weekly(session: VisitorSession) -> None:
    session.start("en")
    session.open_form(WEEKLY)  # its short briefing shares the first question's screen


def test_happy_path_stores_answers_of_visible_questions_only(
    session: VisitorSession, sink: Sink
) -> None:
    open_weekly(session)
    session.answer(1)  # disagree: the "why" question appears
    session.next()
    assert session.view.question.id == "why_not"  # type: ignore[union-attr]
    session.answer("Too expensive")
    session.back()
    session.answer(5)  # now agree: "why" is hidden and its answer must not be stored
    for value in (5, "finance", ("tv", "social"), False, None):
        if value != 5:
            session.answer(value)
        session.next()
    assert session.step == Step.THANKS
    (stored,) = sink.saved
    assert [a.question_id for a in stored.answers] == [
        "support_aid",
        "priority",
        "sources",
        "join_briefing",
    ]
    assert stored.status == "complete" and stored.language == "en"
    assert stored.form_hash == session.content.form(WEEKLY).definition_hash  # type: ignore[union-attr]


def test_required_question_blocks_next_with_a_message(session: VisitorSession) -> None:
    open_weekly(session)
    session.next()
    view = session.view
    assert view.question.id == "support_aid"  # type: ignore[union-attr]
    assert view.message is not None and view.message.key == "error.required"
    session.answer(3)
    assert session.view.message is None


def test_multi_choice_pick_limits_are_enforced(session: VisitorSession) -> None:
    open_weekly(session)
    session.answer(4)
    session.next()
    session.answer("finance")
    session.next()
    session.answer(("tv", "social", "government", "people"))
    session.next()
    assert session.view.message.key == "error.too_many"  # type: ignore[union-attr]
    assert dict(session.view.message.values) == {"max": 3}  # type: ignore[union-attr]


def test_free_text_is_stored_nfc_and_the_limit_counts_code_points(
    session: VisitorSession, sink: Sink
) -> None:
    session.start()
    session.choose_language("ko")
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    decomposed = unicodedata.normalize("NFD", "평화를 바랍니다")
    assert decomposed != "평화를 바랍니다"
    session.answer(decomposed + "가" * 990)  # 998 syllables: within 1,000 only once composed
    session.next()
    assert session.step == Step.THANKS
    assert sink.saved[0].answers[1].value.startswith("평화를 바랍니다")  # type: ignore[union-attr]
    assert len(sink.saved[0].answers[1].value) == 998  # type: ignore[arg-type]


def test_invalid_answer_shapes_are_programming_errors(session: VisitorSession) -> None:
    open_weekly(session)
    with pytest.raises(ValueError, match="not a valid answer"):
        session.answer(9)
    with pytest.raises(ValueError, match="not a valid answer"):
        session.answer("yes")


def test_failed_save_keeps_the_answers_and_says_so(session: VisitorSession, sink: Sink) -> None:
    session.start()
    session.choose_language("ko")
    session.open_form("open-opinion")
    session.answer("climate")
    session.next()
    session.answer("탄소중립")
    sink.fail = True
    session.next()
    assert session.step == Step.QUESTION
    assert session.view.message.key == "error.save_failed"  # type: ignore[union-attr]
    assert session.view.answer == "탄소중립"
    sink.fail = False
    session.next()
    assert session.step == Step.THANKS and len(sink.saved) == 1


def test_idle_expiry_keeps_partial_answers_only_where_the_form_allows(
    session: VisitorSession, sink: Sink
) -> None:
    open_weekly(session)
    session.answer(2)
    session.next()
    session.idle_countdown(5)
    assert session.view.idle_seconds_left == 5
    session.idle_expired()
    assert session.step == Step.ATTRACT and session.view.idle_seconds_left is None
    (abandoned,) = sink.saved
    assert abandoned.status == "abandoned" and [a.question_id for a in abandoned.answers] == [
        "support_aid"
    ]
    session.start()
    session.choose_language("ko")
    session.open_form("open-opinion")  # keep_abandoned is false
    session.answer("peace")
    session.idle_expired()
    assert len(sink.saved) == 1


def test_reset_forgets_everything(session: VisitorSession) -> None:
    open_weekly(session)
    session.answer(4)
    session.reset("test")
    view = session.view
    assert (view.step, view.language, view.form, view.question, view.answer) == (
        Step.ATTRACT,
        "ko",
        None,
        None,
        None,
    )
    assert not session.has_answers


def test_the_thank_you_screen_offers_the_visit_rating_once(
    session: VisitorSession, sink: Sink
) -> None:
    session.start("ko")
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    session.answer("좋아요")
    session.next()
    rating = session.view.visit_rating
    assert session.step == Step.THANKS and rating is not None and rating.id == "satisfaction"
    session.rate_visit(5)  # one tap: saved at once, the screen stays
    assert session.step == Step.THANKS and session.view.visit_rated == 5
    session.rate_visit(2)  # a second tap changes nothing
    session.another()
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    session.answer("또 좋아요")
    session.next()
    assert session.view.visit_rated == 5  # rated once per visit
    session.finish()
    assert session.step == Step.ATTRACT
    assert [d.form_id for d in sink.saved] == ["open-opinion", "visit-satisfaction", "open-opinion"]
    assert [(a.question_id, a.value) for a in sink.saved[1].answers] == [("satisfaction", 5)]
    session.start("en")
    assert session.view.visit_rating is None  # not on the home screen, and a new visit rates anew


def test_new_content_waits_for_the_attract_screen(session: VisitorSession) -> None:
    open_weekly(session)
    smaller = load_pack(SAMPLE_CONTENT).model_copy(update={"forms": ()})
    session.replace_content(smaller)
    assert session.view.form is not None and session.content.form(WEEKLY) is not None
    session.reset("done")
    assert session.content.forms == ()


def test_listeners_get_every_change(session: VisitorSession) -> None:
    seen: list[SessionView] = []
    session.subscribe(seen.append)
    session.start()
    session.choose_language("en")
    assert [(v.step, v.language) for v in seen] == [
        (Step.ATTRACT, "ko"),
        (Step.HOME, "ko"),
        (Step.HOME, "en"),
    ]
    with pytest.raises(ValueError, match="not offered"):
        session.switch_language("fr")


def test_each_started_visit_is_counted_once_by_its_outcome(
    session: VisitorSession, outcomes: list[str]
) -> None:
    session.reset("nobody was here")  # no visit started: nothing to count
    session.start()
    session.choose_language("ko")
    session.reset("walked away at home")
    open_weekly(session)
    session.answer(3)
    session.idle_expired()
    session.start()
    session.choose_language("ko")
    session.open_form("open-opinion")
    session.answer("peace")
    session.next()
    session.answer("의견")
    session.next()
    session.another()
    session.open_form("open-opinion")
    session.idle_expired()  # walked away from a second form after completing one
    assert outcomes == ["left", "abandoned_kept", "completed"]
