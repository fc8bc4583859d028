"""Live results of a public survey: hidden below k, shown at k, each response counted once, and
updated by the visitor's own answer."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.content import load_pack
from kiosk.core.errors import ContentError
from kiosk.core.records import Answer, AnswerValue, ResponseDraft
from kiosk.feedback.live_results import Tally, combine, results_view
from kiosk.storage.snapshots import Snapshot
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.loop_texts import highlight_text
from kiosk.visit.flow import Step
from kiosk_hub.reference.loop_documents import results_document
from tests.conftest import NOW, SAMPLE_CONTENT

from .test_visit_ui import PLANS, follow_plan

WEEKLY = "weekly-climate-diplomacy"


def answers(support: int, priority: str = "finance", **more: AnswerValue) -> dict[str, AnswerValue]:
    return {"support_aid": support, "priority": priority, "join_briefing": True, **more}


# -- the pure parts ---------------------------------------------------------------------------


def test_results_are_hidden_below_k_and_shown_at_k(kiosk: KioskApp) -> None:
    form = kiosk.content.form(WEEKLY)
    assert form is not None and form.public
    nineteen = Tally.of([answers(5)] * 19)
    assert results_view(form, nineteen, k=20) is None
    shown = results_view(form, Tally.of([answers(5)] * 19 + [answers(4, "technology")]), k=20)
    assert shown is not None and shown.responses == 20
    support = next(q for q in shown.questions if q.question_id == "support_aid")
    assert [(r.label["en"].split(" ")[0], r.count, r.percent) for r in support.rows[:2]] == [
        ("5", 19, 95),
        ("4", 1, 5),
    ]
    # Free text is never counted; a question answered by fewer than k stays hidden.
    assert {q.question_id for q in shown.questions} == {"support_aid", "priority", "join_briefing"}


def test_an_optional_question_answered_fewer_than_k_times_is_not_shown(kiosk: KioskApp) -> None:
    form = kiosk.content.form(WEEKLY)
    assert form is not None
    tally = Tally.of([answers(3, recommend=9)] * 4 + [answers(3)] * 16)
    shown = results_view(form, tally, k=20)
    assert shown is not None
    assert "recommend" not in {q.question_id for q in shown.questions}


def test_combining_never_counts_an_uploaded_response_twice() -> None:
    others = [answers(1)] * 30
    sent = [answers(5)] * 8  # uploaded and counted by the backend
    queued = [answers(5)] * 3  # not uploaded yet
    backend = Tally.of(others + sent)
    backend_device = Tally.of(sent)
    combined = combine(Tally.of(sent), Tally.of(queued), backend, backend_device)
    assert combined == Tally.of(others + sent + queued)
    assert combined.count("support_aid", "5") == 11  # not 19


def test_a_backend_behind_the_last_upload_and_a_lost_acknowledgement_still_count_once() -> None:
    others = [answers(2)] * 5
    counted = [answers(5)] * 4
    sent_after_snapshot = [answers(4)] * 2  # state sent, backend snapshot older
    sending_received = [answers(3)]  # request reached the server, acknowledgement lost
    backend = Tally.of(others + counted + sending_received)
    device = Tally.of(counted + sending_received)
    uploaded = Tally.of(counted + sent_after_snapshot + sending_received)
    combined = combine(uploaded, Tally(), backend, device)
    assert combined == Tally.of(others + counted + sent_after_snapshot + sending_received)


RESPONSE = st.fixed_dictionaries(
    {"support_aid": st.integers(1, 5), "priority": st.sampled_from(["finance", "technology"])}
)


@settings(max_examples=60, deadline=None)
@given(
    others=st.lists(RESPONSE, max_size=15),
    mine=st.lists(
        st.tuples(RESPONSE, st.sampled_from(["queued", "sending", "sent", "quarantined"])),
        max_size=15,
    ),
    in_snapshot=st.lists(st.booleans(), min_size=15, max_size=15),
    purged=st.lists(st.booleans(), min_size=15, max_size=15),
)
def test_combined_totals_never_exceed_the_truth_and_match_it_without_purges(
    others: list[dict[str, AnswerValue]],
    mine: list[tuple[dict[str, AnswerValue], str]],
    in_snapshot: list[bool],
    purged: list[bool],
) -> None:
    uploaded_states = {"sent", "sending"}
    # The backend's snapshot holds a `sent` response if it was taken after the upload (and always
    # if this kiosk has since purged the row), and a `sending` one only if the request got through.
    counted = [
        a
        for i, (a, s) in enumerate(mine)
        if (s == "sent" and (in_snapshot[i] or purged[i])) or (s == "sending" and in_snapshot[i])
    ]
    kept = [(a, s) for i, (a, s) in enumerate(mine) if not (s == "sent" and purged[i])]
    combined = combine(
        Tally.of(a for a, s in kept if s in uploaded_states),
        Tally.of(a for a, s in kept if s not in uploaded_states),
        Tally.of(others + counted),
        Tally.of(counted),
    )
    truth = Tally.of(others + [a for a, _ in mine])
    for question_id, key in truth.cells() | combined.cells():
        assert combined.count(question_id, key) <= truth.count(question_id, key)
    assert combined.responses <= truth.responses
    if len(kept) == len(mine):
        assert combined == truth


def test_the_reference_backend_document_splits_out_the_asking_device() -> None:
    accepted = [("dev-a", WEEKLY, answers(5))] * 3 + [("dev-b", WEEKLY, answers(1))] * 2
    document = results_document("dev-a", [WEEKLY], accepted)
    form = document["forms"][WEEKLY]
    assert (form["responses"], form["device_responses"]) == (5, 3)
    support = form["questions"]["support_aid"]
    assert support["counts"] == {"5": 3, "1": 2} and support["device_counts"] == {"5": 3}


# -- the store and the real kiosk ---------------------------------------------------------------


@pytest.fixture
def k5_config(config: KioskConfig) -> KioskConfig:
    feedback = config.feedback.model_copy(update={"results_min_responses": 5})
    return config.model_copy(update={"feedback": feedback})


def store(kiosk: KioskApp, given: Mapping[str, AnswerValue], count: int = 1) -> list[str]:
    form = kiosk.content.form(WEEKLY)
    assert form is not None
    ids = []
    for _ in range(count):
        draft = ResponseDraft(
            id=str(uuid.uuid4()),
            form_id=WEEKLY,
            form_version=form.version,
            form_hash=form.definition_hash,
            content_version=kiosk.content.version,
            language="ko",
            status="complete",
            started_at=NOW - timedelta(minutes=2),
            submitted_at=NOW - timedelta(minutes=1),
            answers=tuple(Answer(q, v) for q, v in given.items()),
        )
        kiosk.repository.save_response(draft)
        ids.append(draft.id)
    return ids


def mark(kiosk: KioskApp, ids: list[str], state: str) -> None:
    """What the sync worker does on acknowledgement (the real code is in kiosk.sync)."""
    with contextlib.closing(sqlite3.connect(kiosk.database.path)) as raw, raw:
        raw.executemany("update outbox set state=? where response_id=?", [(state, i) for i in ids])


def answer_weekly(driver: KioskDriver) -> None:
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    follow_plan(driver, PLANS[WEEKLY]["en"])  # support_aid 5, priority finance
    driver.expect(Step.THANKS)


def test_the_store_splits_counts_by_upload_state(make_kiosk: Callable[..., KioskApp]) -> None:
    kiosk = make_kiosk()
    sent = store(kiosk, answers(5, sources=("tv", "social")), 2)
    store(kiosk, answers(4, sources=("tv",)), 3)
    mark(kiosk, sent, "sent")
    uploaded, pending = kiosk.repository.answer_tallies(WEEKLY)
    assert (uploaded.responses, pending.responses) == (2, 3)
    assert uploaded.counts["support_aid"] == {"5": 2}
    assert pending.counts["sources"] == {"tv": 3}
    assert uploaded.counts["sources"] == {"tv": 2, "social": 2}
    assert uploaded.counts["join_briefing"] == {"true": 2}


def test_results_appear_only_when_the_visitors_answer_reaches_k(
    make_kiosk: Callable[..., KioskApp], k5_config: KioskConfig
) -> None:
    kiosk = make_kiosk(k5_config)
    driver = KioskDriver(kiosk)
    store(kiosk, answers(1), 3)
    answer_weekly(driver)  # 4 of 5
    assert not kiosk.window.thanks.results.isVisible()
    driver.walk_away()
    answer_weekly(driver)  # 5 of 5: shown, and counting this visitor's own answer
    panel = kiosk.window.thanks.results
    assert panel.isVisible()
    assert kiosk.session.view.results is not None
    assert kiosk.session.view.results.responses == 5
    support = next(
        q for q in kiosk.session.view.results.questions if q.question_id == "support_aid"
    )
    assert {r.label["en"].split(" ")[0]: r.count for r in support.rows if r.count} == {
        "1": 3,
        "5": 2,
    }
    assert panel.figures[("support_aid", 0)] == "40% (2)"  # the top row is 5 · Strongly agree


def test_results_combine_the_backend_totals_without_counting_uploaded_answers_twice(
    make_kiosk: Callable[..., KioskApp], k5_config: KioskConfig
) -> None:
    kiosk = make_kiosk(k5_config)
    driver = KioskDriver(kiosk)
    sent = store(kiosk, answers(1), 2)
    mark(kiosk, sent, "sent")
    accepted = [(kiosk.database.device_id, WEEKLY, answers(1))] * 2
    accepted += [("other-kiosk", WEEKLY, answers(3))] * 10
    document = results_document(kiosk.database.device_id, [WEEKLY], accepted)
    assert kiosk.feedback is not None
    kiosk.feedback.results_store.save(Snapshot(document, NOW))
    answer_weekly(driver)
    results = kiosk.session.view.results
    assert results is not None and results.responses == 13  # 10 others + 2 sent + this visitor
    support = next(q for q in results.questions if q.question_id == "support_aid")
    counts = {r.label["en"].split(" ")[0]: r.count for r in support.rows if r.count}
    assert counts == {"1": 2, "3": 10, "5": 1}


def test_the_attract_screen_rotates_a_headline_result_only_at_k(
    make_kiosk: Callable[..., KioskApp], k5_config: KioskConfig
) -> None:
    kiosk = make_kiosk(k5_config)
    driver = KioskDriver(kiosk)
    store(kiosk, answers(4), 3)
    kiosk.session.refresh_highlights()
    assert all(h.kind != "result" for h in kiosk.session.view.highlights)
    store(kiosk, answers(4), 2)
    answer_weekly(driver)
    driver.walk_away()  # back at attract: the highlights are recomputed
    results = [h for h in kiosk.session.view.highlights if h.kind == "result"]
    assert len(results) == 1
    assert "Climate finance: 100% · 6 responses" in highlight_text(results[0], "en")
    attract = kiosk.window.attract
    attract.rotate()  # the invitation first, then the result's card
    assert attract.card_main.isVisible()
    assert attract.card_main.text() == highlight_text(results[0], "ko")
    assert attract.card_second.text() == highlight_text(results[0], "en")


def test_only_a_survey_may_be_public(tmp_path: Path) -> None:
    source = (SAMPLE_CONTENT / "open-opinion.yaml").read_text(encoding="utf-8")
    (tmp_path / "open-opinion.yaml").write_text(source + "public: true\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_pack(tmp_path)
    assert "open-opinion.yaml" in str(caught.value)
    assert "only a survey can be public" in str(caught.value)
