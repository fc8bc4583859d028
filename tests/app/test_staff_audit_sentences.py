"""The audit log in sentences: every action any code writes has its own sentence builder, in Korean
and English, checked against the details exactly as the code records them."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.core.records import AuditEntry
from kiosk.ui.staff.audit_sentences import BUILDERS, entry_sentence, sentence
from tests.conftest import REPO

# One example per action, with the details the code records (see the calls found below).
EXAMPLES: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "sync.requeued",
        "staff",
        {"responses": 3},
        "직원이 보류된 응답 3건을 다시 전송 대기열에 넣었습니다",
        "Staff put 3 quarantined responses back in the upload queue",
    ),
    (
        "pin.accepted",
        "staff",
        {"purpose": "login"},
        "직원이 로그인하려고 PIN을 맞게 입력했습니다",
        "Staff entered the right PIN to log in",
    ),
    (
        "pin.rejected",
        "staff",
        {"purpose": "quit", "failed_count": 5, "locked_until": "2026-11-27T05:33:00+00:00"},
        "직원이 바탕화면으로 나가려고 틀린 PIN을 입력했습니다 (5번째), 2026-11-27 14:33까지 잠금",
        "Staff entered a wrong PIN to quit to the desktop (attempt 5), locked until "
        "2026-11-27 14:33",
    ),
    (
        "pin.changed",
        "cli",
        {},
        "관리자가 명령줄에서 PIN을 바꾸었습니다",
        "An administrator at the command line changed the PIN",
    ),
    (
        "logout",
        "staff",
        {"reason": "auto-logout"},
        "직원이 나갔습니다 (한동안 손대지 않아 자동으로)",
        "Staff left the staff area (automatically, after no touch for a while)",
    ),
    (
        "export",
        "staff",
        {"format": "csv", "responses": 120, "files": {"responses-a.csv": 120}},
        "직원이 CSV로 120건을 내보냈습니다",
        "Staff exported 120 responses as CSV",
    ),
    (
        "export.failed",
        "staff",
        {"format": "xlsx", "reason": "the drive is full"},
        "직원이 XLSX로 내보내려 했으나 실패했습니다: the drive is full",
        "Staff tried to export as XLSX, which failed: the drive is full",
    ),
    (
        "sync.requested",
        "staff",
        {"configured": False},
        "직원이 지금 전송을 눌렀으나 동기화가 설정되어 있지 않습니다",
        "Staff pressed Sync now, but sync is not configured",
    ),
    (
        "content.rejected",
        "staff",
        {"source": "/media/usb/kiosk-content", "problems": 2},
        "직원이 가져오려던 콘텐츠에 문제 2건이 있어 적용하지 않았습니다 (/media/usb/kiosk-content)",
        "Staff tried to import content with 2 problems; it was refused (/media/usb/kiosk-content)",
    ),
    (
        "content.imported",
        "staff",
        {"version": "abc123", "added": ["a"], "changed": [], "removed": ["b", "c"]},
        "직원이 abc123 버전 콘텐츠를 적용했습니다 (추가 a, 변경 -, 삭제 b, c)",
        "Staff applied content abc123 (added a, changed -, removed b, c)",
    ),
    (
        "out_of_service",
        "staff",
        {"on": True},
        "직원이 키오스크 운영을 중지했습니다",
        "Staff put the kiosk out of service",
    ),
    (
        "quit",
        "staff",
        {},
        "직원이 키오스크를 끄고 바탕화면으로 나갔습니다",
        "Staff quit the kiosk to the desktop",
    ),
    (
        "purge_contacts",
        "system",
        {"count": 3, "before": "2025-11-27T03:00:00+00:00"},
        "키오스크가 자동으로 2025-11-27 12:00 이전의 연락처 3건을 보관 기간이 지나 지웠습니다",
        "The kiosk deleted 3 contact details older than 2025-11-27 12:00 (retention)",
    ),
    (
        "purge_responses",
        "system",
        {"count": 0, "before": "2026-08-29T03:00:00+00:00"},
        "키오스크가 자동으로 2026-08-29 12:00 이전에 전송을 마친 응답 0건을 보관 기간이 지나 "
        "지웠습니다",
        "The kiosk deleted 0 sent responses older than 2026-08-29 12:00 (retention)",
    ),
]


def recorded_actions() -> dict[str, list[str]]:
    """Every audit action written anywhere in the code: the string given to record_audit(actor,
    action, ...) or to an `_audit(action, ...)` helper, with where it is written. The helpers'
    own bodies, which pass their parameter on, are not writers."""
    found: dict[str, list[str]] = {}
    for package in ("kiosk", "kiosk_hub"):
        for path in sorted((REPO / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), str(path))
            helpers = {
                id(call)
                for function in ast.walk(tree)
                if isinstance(function, ast.FunctionDef) and function.name == "_audit"
                for call in ast.walk(function)
            }
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                    continue
                position = {"record_audit": 1, "_audit": 0}.get(node.func.attr)
                if position is None or len(node.args) <= position or id(node) in helpers:
                    continue
                argument = node.args[position]
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                assert isinstance(argument, ast.Constant) and isinstance(argument.value, str), (
                    f"{where}: the audit action must be a literal string so it has a sentence"
                )
                found.setdefault(argument.value, []).append(where)
    return found


def test_every_action_written_anywhere_has_a_sentence_builder_and_an_example() -> None:
    found = recorded_actions()
    assert {"export", "pin.accepted", "purge_contacts"} <= set(found)  # the scan finds calls
    missing = {action: where for action, where in found.items() if action not in BUILDERS}
    assert not missing, f"audit actions without a sentence: {missing}"
    assert set(found) <= {example[0] for example in EXAMPLES}
    assert set(BUILDERS) == set(found), "a builder for an action nothing writes any more"


@pytest.mark.parametrize(("action", "actor", "detail", "korean", "english"), EXAMPLES)
def test_each_action_reads_as_a_sentence_in_korean_and_english(
    action: str, actor: str, detail: dict[str, Any], korean: str, english: str
) -> None:
    assert sentence(action, detail, actor, "ko") == korean
    assert sentence(action, detail, actor, "en") == english
    assert "{" not in korean + english and "json" not in (korean + english).lower()


def test_an_entry_starts_with_its_time_in_korea() -> None:
    entry = AuditEntry(
        datetime(2026, 11, 27, 5, 3, 41, tzinfo=UTC),
        "staff",
        "export",
        {"format": "csv", "responses": 120},
    )
    assert entry_sentence(entry, "ko") == "2026-11-27 14:03 직원이 CSV로 120건을 내보냈습니다"
    assert entry_sentence(entry, "en") == "2026-11-27 14:03 Staff exported 120 responses as CSV"


def test_variants_of_one_action_each_have_their_own_words() -> None:
    assert sentence("out_of_service", {"on": False}, "staff", "en") == (
        "Staff put the kiosk back in service"
    )
    assert sentence("sync.requested", {"configured": True, "started": True}, "staff", "ko") == (
        "직원이 지금 전송을 시작했습니다"
    )
    busy = {"configured": True, "started": False, "message": "already sending"}
    assert sentence("sync.requested", busy, "staff", "en") == (
        "Staff pressed Sync now while a send was already running: already sending"
    )
    assert sentence("logout", {"reason": "staff logged out"}, "staff", "en") == (
        "Staff left the staff area"
    )
    assert (
        sentence("logout", {"reason": "screenshots"}, "staff", "ko")
        == "직원이 나갔습니다 (screenshots)"
    )


def test_an_action_from_a_newer_version_still_reads_and_keeps_its_details() -> None:
    shown = sentence("camera.cleaned", {"by": "kim"}, "staff", "en")
    assert shown == 'Staff did something this version cannot describe: camera.cleaned {"by": "kim"}'
    assert sentence("x", {}, "robot", "ko").startswith("robot 알 수 없는 작업")
