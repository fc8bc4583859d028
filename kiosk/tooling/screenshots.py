"""Render every screen, in every language and both orientations, to PNG (offscreen)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.app.composition import KioskApp, build_app
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.content.models import Question
from kiosk.core.errors import KioskError
from kiosk.core.records import AnswerValue
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.screenshot_loop import loop_tour
from kiosk.tooling.screenshot_staff import keyed_config, staff_tour
from kiosk.ui.keyboard.layouts import Action
from kiosk.ui.speech import SilentSpeaker
from kiosk.visit.flow import Step

# (width, height, visible width in mm): one 32-inch panel, portrait and landscape.
ORIENTATIONS = ((1080, 1920, 398.0), (1920, 1080, 708.0))
WEEKLY = "weekly-climate-diplomacy"


def _tour(
    driver: KioskDriver, language: str, easy: bool = False
) -> list[tuple[str, Callable[[], None]]]:
    """Steps that bring the kiosk to each screen worth a picture, named after the screen."""

    def countdown() -> None:
        driver.kiosk.idle.start_countdown()
        driver.settle()

    def enter() -> None:
        if driver.kiosk.session.step != Step.ATTRACT:
            driver.walk_away()
        if easy:
            driver.tap(driver.window.attract.easy)
            driver.switch_language(language)
        else:
            driver.pick_language(language)

    def keep_going_then(value: AnswerValue) -> Callable[[], None]:
        def step() -> None:
            driver.confirm_start_over(False)
            driver.give(value)

        return step

    reason = "너무 많은 재정 부담이 걱정됩니다." if language == "ko" else "I worry about the cost."
    steps = [
        ("attract", driver.settle),
        ("home", enter),
        ("question-likert-briefing", lambda: driver.open_form(WEEKLY)),
        ("question-free-text", lambda: driver.give(2)),
        ("question-single-choice", lambda: driver.give(reason)),
        ("question-multi-choice", lambda: driver.give("finance")),
        ("question-validation", driver.next),
        ("question-yes-no", lambda: driver.give(("tv", "government"))),
        ("restart-confirm", driver.start_over),
        ("question-nps", keep_going_then(True)),
        ("thanks", lambda: driver.give(8)),
        ("thanks-rated", lambda: driver.rate_visit(5)),
        ("idle-countdown", countdown),
        ("opinion-free-text", lambda: _opinion(driver, language, enter)),
    ]
    if easy:
        # Easy mode's doubled text gives the briefing a screen of its own, then the question.
        at = [name for name, _ in steps].index("question-likert-briefing")
        steps[at : at + 1] = [
            ("briefing", steps[at][1]),
            ("question-likert", driver.start_questions),
        ]
        # Easy mode starts when the visitor leaves the attract screen.
        return [(f"easy-{name}", action) for name, action in steps[1:]]
    return steps


def _keyboard_tour(driver: KioskDriver, language: str) -> list[tuple[str, Callable[[], None]]]:
    """The on-screen keyboard in each of its layouts, over the opinion text box."""
    keyboard = driver.window.keyboard

    def open_keyboard() -> None:
        answer = driver.window.question.answer
        assert answer is not None
        driver.tap(answer.editor)  # type: ignore[attr-defined]
        driver.type_on_keyboard(" 감사합니다" if language == "ko" else " Thanks")

    def tap(action: Action) -> Callable[[], None]:
        return lambda: driver.tap(keyboard.action_button(action))

    def other_language() -> None:
        tap(Action.SHIFT)()
        tap(Action.LANGUAGE)()

    first, second = ("ko", "en") if language == "ko" else ("en", "ko")
    return [
        (f"keyboard-{first}", open_keyboard),
        (f"keyboard-{first}-shift", tap(Action.SHIFT)),
        (f"keyboard-{second}", other_language),
        ("keyboard-symbols", tap(Action.SYMBOLS)),
        ("keyboard-symbols-shift", tap(Action.SHIFT)),
    ]


def _opinion(driver: KioskDriver, language: str, enter: Callable[[], None]) -> None:
    enter()
    driver.open_form("open-opinion")
    driver.give("culture")
    driver.type_text(
        "청년 교류 프로그램을 지역 도시에서도 열어 주세요. 광화문까지 오기 어려운 학생이 많습니다."
        if language == "ko"
        else "Please hold youth exchange programmes outside Seoul too."
    )


# The pictures show the optional QR code to the phone forms, at this address unless one is set.
EXAMPLE_PHONE_FORM_URL = "https://kiosk-hub.mofa.go.kr/w"


def with_phone_forms(config: KioskConfig) -> KioskConfig:
    """The config with a phone_form_url: the configured one, else the example address."""
    if config.feedback.phone_form_url is not None:
        return config
    feedback = config.feedback.model_copy(update={"phone_form_url": EXAMPLE_PHONE_FORM_URL})
    return config.model_copy(update={"feedback": feedback})


def render_all(config: KioskConfig, out: Path) -> list[Path]:
    """Write docs/screenshots/<w>x<h>-<lang>-<nn>-<screen>.png; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    config = with_phone_forms(config)
    written: list[Path] = []
    for width, height, width_mm in ORIENTATIONS:
        display = DisplaySettings(
            width_px=width, height_px=height, width_mm=width_mm, fullscreen=False
        )
        for language in config.visit.languages:
            with tempfile.TemporaryDirectory() as data_dir:
                shaped = config.with_data_dir(Path(data_dir)).model_copy(
                    update={"display": display}
                )
                kiosk = build_app(shaped, clock=_pictures_clock, speaker=SilentSpeaker())
                prefix = f"{width}x{height}-{language}"
                try:
                    steps = _visitor_steps(KioskDriver(kiosk), language)
                    written += _render_steps(kiosk, out, prefix, steps)
                finally:
                    kiosk.close()
                keyed = keyed_config(shaped, Path(data_dir) / "keys")
                kiosk = build_app(keyed, clock=_pictures_clock, speaker=SilentSpeaker())
                try:
                    first = len(steps) + 1
                    extra = staff_tour(kiosk, language)
                    written += _render_steps(kiosk, out, prefix, extra, first)
                finally:
                    kiosk.close()
    return written


def _pictures_clock() -> datetime:
    return datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def _visitor_steps(driver: KioskDriver, language: str) -> list[tuple[str, Callable[[], None]]]:
    steps = [
        *_tour(driver, language),
        *_keyboard_tour(driver, language),
        *loop_tour(driver, language),
        *_tour(driver, language, easy=True),
        *_keyboard_tour(driver, language)[:1],
    ]
    steps[-1] = ("easy-" + steps[-1][0], steps[-1][1])
    # The opinion sent: easy mode's thanks with its doubled receipt.
    steps.append(("easy-thanks-receipt", driver.next))
    return steps


def _render_steps(
    kiosk: KioskApp,
    out: Path,
    prefix: str,
    steps: list[tuple[str, Callable[[], None]]],
    first: int = 1,
) -> list[Path]:
    kiosk.show(windowed=True)
    written = []
    for number, (name, action) in enumerate(steps, start=first):
        action()
        QApplication.processEvents()
        path = out / f"{prefix}-{number:02d}-{name}.png"
        kiosk.window.grab().save(str(path))
        written.append(path)
    if kiosk.session.step != Step.ATTRACT:
        KioskDriver(kiosk).walk_away()
    return written


# -- one form's screens, for content authors (`kiosk screenshots --form ID`) --------------------
SAMPLE_TEXT = {
    "ko": "지역에서도 참여할 수 있는 프로그램이 있으면 좋겠습니다.",
    "en": "I would like programmes people outside Seoul can join too.",
}


def sample_answer(question: Question, language: str) -> AnswerValue:
    """A valid answer to any question, so that the preview walks the whole form."""
    options = [option.id for option in question.options or []]
    if question.type == "single_choice":
        return options[0]
    if question.type == "multi_choice":
        low, high = question.picks
        return tuple(options[: max(low, min(high, 2))])
    if question.type == "yes_no":
        return True
    if question.scale is not None:
        low, high = question.scale
        return (low + high + 1) // 2
    return SAMPLE_TEXT.get(language, SAMPLE_TEXT["en"])[: question.max_length]


def render_form(config: KioskConfig, form_id: str, out: Path) -> list[Path]:
    """Write <lang>-<nn>-<screen>.png for one form: home, briefing, each question shown, the end.

    Every question is answered with a valid sample answer (the first option, or the first two of
    a multi-choice; the middle of a scale; yes; a sample sentence), so conditional questions appear as those answers make them.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in config.visit.languages:
        with tempfile.TemporaryDirectory() as data_dir:
            kiosk = build_app(
                config.with_data_dir(Path(data_dir)), clock=_pictures_clock, speaker=SilentSpeaker()
            )
            try:
                if kiosk.session.content.form(form_id) is None:
                    known = ", ".join(f.id for f in kiosk.session.content.forms) or "none"
                    raise KioskError(
                        f"no form {form_id!r} in {config.content_dir} (forms there: {known})"
                    )
                written += _walk_form(kiosk, form_id, language, out)
            finally:
                kiosk.close()
    return written


def _walk_form(kiosk: KioskApp, form_id: str, language: str, out: Path) -> list[Path]:
    driver, session = KioskDriver(kiosk), kiosk.session
    kiosk.show(windowed=True)
    written: list[Path] = []

    def shot(name: str) -> None:
        QApplication.processEvents()
        path = out / f"{language}-{len(written) + 1:02d}-{name}.png"
        kiosk.window.grab().save(str(path))
        written.append(path)

    driver.pick_language(language)
    shot("home")
    if form_id in kiosk.window.home.tiles:
        driver.open_form(form_id)
    else:  # not on the home screen now (end of visit, or outside its dates): opened directly
        session.open_form(form_id)
        driver.settle()
    if session.step == Step.BRIEFING:
        shot("briefing")
        driver.start_questions()
    seen = 0
    while session.step == Step.QUESTION and seen < 500:  # a bound, in case a form never ends
        question = session.view.question
        assert question is not None
        seen += 1
        shot(f"question-{question.id}")
        driver.give(sample_answer(question, language))  # one tap goes on by itself
    shot(session.step.name.lower().replace("_", "-"))
    driver.walk_away()
    return written
