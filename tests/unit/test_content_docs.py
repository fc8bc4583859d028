"""docs/content.md's complete example form is valid for the real loader and uses every feature."""

from __future__ import annotations

from pathlib import Path

from kiosk.content.loader import load_pack
from kiosk.content.models import SCALES
from tests.docs_examples import example_form_yaml


def test_the_documented_example_form_loads_and_shows_every_feature(tmp_path: Path) -> None:
    (tmp_path / "example-form.yaml").write_text(example_form_yaml(), encoding="utf-8")
    pack = load_pack(tmp_path)  # the kiosk's own loader: raises ContentError naming each problem
    form = pack.form("example-form")
    assert form is not None
    types = {question.type for question in form.questions}
    assert types == {"single_choice", "multi_choice", "yes_no", "free_text"} | set(SCALES)
    assert form.briefing is not None and form.briefing.source and form.briefing.as_of
    assert any(not question.required for question in form.questions)
    conditions = [question.show_if for question in form.questions if question.show_if]
    assert {"equals", "includes"} <= {
        test
        for condition in conditions
        for test in ("equals", "any_of", "includes")
        if getattr(condition, test) is not None
    }
    assert any(option.briefing for q in form.questions for option in q.options or [])


def test_a_broken_copy_of_the_example_is_refused_with_its_place(tmp_path: Path) -> None:
    from kiosk.core.errors import ContentError

    broken = example_form_yaml().replace("type: nps", "type: stars")
    (tmp_path / "example-form.yaml").write_text(broken, encoding="utf-8")
    try:
        load_pack(tmp_path)
    except ContentError as exc:
        assert any("example-form.yaml" in p and "questions" in p for p in exc.problems), (
            exc.problems
        )
    else:
        raise AssertionError("an unknown question type was accepted")
