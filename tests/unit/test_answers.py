"""The answer rules the kiosk and the hub's web forms share (kiosk.content.answers): each problem
code, normalised values, and which questions skip rules show and count."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.content.answers import (
    PROBLEM_CODES,
    Problem,
    check_value,
    countable_questions,
    normalised_answer,
    problems,
    shown_answers,
    visible_questions,
)
from kiosk.content.models import Form, Question
from kiosk.visit.view import ValidationMessage, problem_with


def _text(word: str) -> dict[str, str]:
    return {"ko": f"{word} (ko)", "en": word}


def _question(qid: str, kind: str, **extra: Any) -> Question:
    if kind in ("single_choice", "multi_choice"):
        extra.setdefault("options", [{"id": o, "text": _text(o)} for o in ("tv", "radio", "web")])
    if kind == "likert":
        extra.setdefault("labels", {"low": _text("low"), "high": _text("high")})
    return Question.model_validate({"id": qid, "type": kind, "text": _text(qid), **extra})


def _form(*questions: Question) -> Form:
    return Form.model_validate(
        {"id": "f", "version": 1, "kind": "survey", "title": _text("f"),
         "questions": [q.model_dump() for q in questions]}
    )  # fmt: skip


SOURCES = _question("sources", "multi_choice", min_picks=2, max_picks=2)
OPINION = _question("opinion", "free_text", max_length=10)
OPTIONAL = _question("note", "free_text", required=False)
AID = _question("aid", "likert")
# Asked only of those who disagree (1 or 2), and of those asked why, the ones who answered yes.
WHY_NOT = _question("why_not", "yes_no", show_if={"question": "aid", "any_of": [1, 2]})
DETAIL = _question("detail", "free_text", show_if={"question": "why_not", "equals": True})
SKIP_FORM = _form(AID, WHY_NOT, DETAIL, OPINION)


@pytest.mark.parametrize("empty", [None, "", "   ", ()])
def test_an_empty_answer_to_a_required_question_is_required(empty: Any) -> None:
    assert check_value(OPINION, empty) == Problem("required")
    assert check_value(SOURCES, empty) == Problem("required")


def test_an_empty_answer_to_an_optional_question_is_no_problem() -> None:
    assert check_value(OPTIONAL, None) is None
    assert check_value(OPTIONAL, "  ") is None


def test_too_few_and_too_many_picks_name_the_limit() -> None:
    assert check_value(SOURCES, ("tv",)) == Problem("too_few", (("min", 2),))
    assert check_value(SOURCES, ("tv", "radio", "web")) == Problem("too_many", (("max", 2),))
    assert check_value(SOURCES, ("tv", "radio")) is None


def test_too_long_text_names_the_limit_in_code_points() -> None:
    assert check_value(OPINION, "가" * 11) == Problem("too_long", (("limit", 10),))
    assert check_value(OPINION, "가" * 10) is None


def test_every_problem_code_is_a_kiosk_text_key() -> None:
    wrong = [(OPINION, None), (SOURCES, ("tv",)), (SOURCES, ("tv", "radio", "web")),
             (OPINION, "x" * 11)]  # fmt: skip
    found = {check_value(q, v) for q, v in wrong}
    assert {p.code for p in found if p} == set(PROBLEM_CODES)
    assert problem_with(SOURCES, ("tv",)) == ValidationMessage("error.too_few", (("min", 2),))
    assert problem_with(OPINION, "fine") is None


def test_normalised_answers_are_deduplicated_composed_and_in_range() -> None:
    assert normalised_answer(SOURCES, ["tv", "tv", "web"]) == ("tv", "web")
    assert normalised_answer(OPINION, "\u1112\u1161\u11ab") == "한"
    assert normalised_answer(AID, 5) == 5
    for question, wrong in [(AID, 6), (AID, True), (SOURCES, ("tv", "nope")), (WHY_NOT, "yes")]:
        with pytest.raises(ValueError, match=repr(question.id)):
            normalised_answer(question, wrong)


def test_a_bad_text_value_is_not_repeated_in_the_error() -> None:
    with pytest.raises(ValueError) as caught:
        normalised_answer(AID, "secret 010-1234-5678")
    assert "secret" not in str(caught.value)


def _ids(questions: list[Question]) -> list[str]:
    return [q.id for q in questions]


def test_skip_rules_show_a_question_only_when_its_earlier_answer_holds() -> None:
    assert _ids(visible_questions(SKIP_FORM, {})) == ["aid", "opinion"]
    assert _ids(visible_questions(SKIP_FORM, {"aid": 4})) == ["aid", "opinion"]
    assert _ids(visible_questions(SKIP_FORM, {"aid": 2})) == ["aid", "why_not", "opinion"]
    shown = visible_questions(SKIP_FORM, {"aid": 2, "why_not": True})
    assert _ids(shown) == ["aid", "why_not", "detail", "opinion"]


def test_an_answer_left_on_a_skipped_question_turns_nothing_on() -> None:
    left_behind = {"aid": 5, "why_not": True, "detail": "stale"}
    assert _ids(visible_questions(SKIP_FORM, left_behind)) == ["aid", "opinion"]
    assert shown_answers(SKIP_FORM, {**left_behind, "opinion": "ok"}) == {"aid": 5, "opinion": "ok"}


def test_the_count_includes_questions_still_possible_and_only_falls() -> None:
    assert _ids(countable_questions(SKIP_FORM, {})) == ["aid", "why_not", "detail", "opinion"]
    assert _ids(countable_questions(SKIP_FORM, {"aid": 2})) == [
        "aid", "why_not", "detail", "opinion"
    ]  # fmt: skip
    assert _ids(countable_questions(SKIP_FORM, {"aid": 2, "why_not": False})) == [
        "aid", "why_not", "opinion"
    ]  # fmt: skip
    assert _ids(countable_questions(SKIP_FORM, {"aid": 4})) == ["aid", "opinion"]


def test_problems_are_those_of_shown_questions_in_question_order() -> None:
    assert problems(SKIP_FORM, {}) == {"aid": Problem("required"), "opinion": Problem("required")}
    found = problems(SKIP_FORM, {"aid": 1, "opinion": "x" * 11})
    assert list(found) == ["why_not", "opinion"]
    assert found["opinion"] == Problem("too_long", (("limit", 10),))
    # A skipped question's answer is not looked at, however wrong.
    assert problems(SKIP_FORM, {"aid": 5, "detail": "x" * 5000, "opinion": "ok"}) == {}
