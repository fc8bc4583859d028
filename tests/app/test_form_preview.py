"""`kiosk screenshots --form ID`: one form's screens, in each language, for content authors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.cli.main import main
from kiosk.tooling import screenshots  # noqa: F401  (Qt's multimedia warns once at import: not in a test)
from tests.docs_examples import example_form_yaml


@pytest.mark.slow
def test_one_forms_screens_are_rendered_from_the_authors_content(
    tmp_path: Path, qtbot: object, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "example-form.yaml").write_text(example_form_yaml(), encoding="utf-8")
    out = tmp_path / "shots"
    argv = ["screenshots", "--form", "example-form", "--content", str(content), "--out", str(out)]
    assert main(argv) == 0
    names = sorted(path.name for path in out.glob("*.png"))
    # The sample answers say "yes" and pick the first topics (climate, culture): every
    # conditional question of the example appears.
    questions = [
        "heard_of",
        "where_heard",
        "topics",
        "culture_detail",
        "useful",
        "kiosk_rating",
        "recommend",
    ]
    for language in ("ko", "en"):
        expected = [
            f"{language}-01-home.png",
            # the example's short briefing shares the first question's screen
            *(f"{language}-{n:02d}-question-{q}.png" for n, q in enumerate(questions, start=2)),
            f"{language}-09-thanks.png",
        ]
        assert [name for name in names if name.startswith(language)] == expected
    image = QImage(str(out / "en-02-question-heard_of.png"))
    assert (image.width(), image.height()) == (1080, 1920)
    assert f"wrote 18 screenshots to {out}" in capsys.readouterr().out


def test_an_unknown_form_is_named_with_the_forms_there(
    tmp_path: Path, qtbot: object, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["screenshots", "--form", "no-such-form", "--out", str(tmp_path / "shots")]
    assert main(argv) != 0
    error = capsys.readouterr().err
    assert "no form 'no-such-form'" in error and "weekly-climate-diplomacy" in error
