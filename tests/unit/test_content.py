"""Content packs: the sample pack is valid, and every kind of mistake is reported precisely."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.content import load_pack, validate_paths
from kiosk.core.errors import ContentError
from tests.conftest import SAMPLE_CONTENT

GOOD = """
id: tiny
version: 1
kind: survey
title: {ko: "작은 설문", en: "Tiny survey"}
questions:
  - id: q1
    type: yes_no
    text: {ko: "좋아요?", en: "Good?"}
"""


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_sample_pack_has_every_kind_and_question_type() -> None:
    pack = load_pack(SAMPLE_CONTENT)
    assert {f.kind for f in pack.forms} == {"survey", "opinion", "proposal_call"}
    types = {q.type for f in pack.forms for q in f.questions}
    assert types == {
        "single_choice",
        "multi_choice",
        "likert",
        "rating",
        "nps",
        "yes_no",
        "free_text",
    }
    assert pack.exit_form(datetime(2026, 11, 27, tzinfo=UTC)) is not None
    assert any(f.briefing for f in pack.forms)


def test_call_for_proposals_is_offered_only_inside_its_window() -> None:
    pack = load_pack(SAMPLE_CONTENT)
    inside = [f.id for f in pack.home_forms(datetime(2026, 12, 1, tzinfo=UTC))]
    after = [f.id for f in pack.home_forms(datetime(2027, 2, 1, tzinfo=UTC))]
    assert "proposal-youth-public-diplomacy" in inside
    assert "proposal-youth-public-diplomacy" not in after
    assert "visit-satisfaction" not in inside  # offered at the end of a visit, not on home


def test_wrong_type_missing_korean_and_bad_show_if_are_all_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """
        id: bad
        version: 1
        kind: survey
        title: {en: "No Korean"}
        questions:
          - id: q1
            type: slider
            text: {ko: "가", en: "A"}
          - id: q2
            type: yes_no
            text: {ko: "나", en: "B"}
            show_if: {question: q3, equals: true}
          - id: q3
            type: yes_no
            text: {ko: "다", en: "C"}
        """,
    )
    forms, problems = validate_paths([path])
    text = "\n".join(problems)
    assert forms == []
    assert f"{path}: title: Value error, missing text in ko" in text
    assert f"{path}: questions[0].type: Input should be 'single_choice'" in text
    # The show_if is checked too, even though the file has other errors.
    assert f"{path}: questions[1].show_if.question: names 'q3', which is a later question" in text


def test_cli_validate_exits_non_zero_and_prints_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(
        tmp_path, "bad.yaml", GOOD.replace("yes_no", "slider").replace('ko: "작은 설문", ', "")
    )
    assert main(["content", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "questions[0].type" in out and "title" in out and "missing text in ko" in out
    assert main(["content", "validate", str(SAMPLE_CONTENT)]) == 0
    assert "OK: 4 form(s)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("id: a\nid: b", "key 'id' given twice"),
        ("id: [unclosed", "not valid YAML"),
        ("- just\n- a list", "expected a mapping"),
    ],
)
def test_yaml_mistakes_name_the_file(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, "broken.yaml", body)
    _, problems = validate_paths([path])
    assert problems and all(p.startswith(str(path)) for p in problems)
    assert expected in problems[0]


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "id: x\nversion: 1\ntitle: {ko: [\n")
    _, problems = validate_paths([path])
    assert "(line " in problems[0]


@pytest.mark.parametrize(
    ("question_yaml", "expected"),
    [
        ("show_if: {question: q1, equals: maybe}", "compare with true or false"),
        ("show_if: {question: nope, equals: true}", "which is no question of this form"),
        ("show_if: {question: q1, equals: true, any_of: [true]}", "exactly one of"),
        (
            "options: [{id: a, text: {ko: 가, en: a}}, {id: b, text: {ko: 나, en: b}}]",
            "options are only for choice questions",
        ),
        ("max_length: 0", "greater than or equal to 1"),
        ("colour: red", "unknown key"),
    ],
)
def test_question_level_mistakes(tmp_path: Path, question_yaml: str, expected: str) -> None:
    body = (
        GOOD
        + f"""  - id: q2
    type: free_text
    text: {{ko: "왜요?", en: "Why?"}}
    {question_yaml}
"""
    )
    _, problems = validate_paths([write(tmp_path, "form.yaml", body)])
    assert any(expected in p and "questions[1]" in p for p in problems), problems


def test_duplicate_form_ids_across_files_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(ContentError) as error:
        load_pack(tmp_path)
    assert "form id 'tiny' is also used by" in str(error.value)


def test_window_needs_time_zone_and_order(tmp_path: Path) -> None:
    body = GOOD + "active: {starts: 2026-12-01T00:00:00, ends: 2026-11-01T00:00:00+09:00}\n"
    _, problems = validate_paths([write(tmp_path, "w.yaml", body)])
    assert any("active" in p and "time zone" in p for p in problems)


def test_definition_hash_changes_with_any_text_and_pack_version_follows(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    first = load_pack(tmp_path)
    write(tmp_path, "a.yaml", GOOD.replace("좋아요?", "좋나요?"))
    second = load_pack(tmp_path)
    assert first.forms[0].definition_hash != second.forms[0].definition_hash
    assert first.version != second.version
