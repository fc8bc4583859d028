"""The audit log in sentences, Korean and English: one builder per action the kiosk records.

"2026-11-27 14:03 직원이 CSV로 120건을 내보냈습니다" / "Staff exported 120 responses as CSV".
An action this version does not know (written by a newer version) still reads as a sentence."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.core.records import KST, AuditEntry
from kiosk.i18n.texts import TEXTS, text

Detail = Mapping[str, Any]
Builder = Callable[[Detail, str, str], str]
FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "jsonl": "JSON Lines"}
LIST_SEPARATOR = ", "


def _listed(values: Any) -> str:
    if isinstance(values, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in values) or "-"
    return str(values) if values not in (None, "") else "-"


def _format(detail: Detail) -> str:
    name = str(detail.get("format", "?"))
    return FORMAT_NAMES.get(name, name)


def _purpose(detail: Detail, language: str) -> str:
    purpose = str(detail.get("purpose", "login"))
    key = f"audit.purpose.{purpose}"
    if key in TEXTS:
        return text(key, language)
    return text("audit.purpose.other", language, purpose=purpose)


def _time(value: Any) -> str:
    """An ISO time from the detail, shown as Korea time to the minute; anything else as given."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(KST)
    return moment.strftime("%Y-%m-%d %H:%M")


def _pin_accepted(detail: Detail, language: str, actor: str) -> str:
    return text("audit.pin.accepted", language, actor=actor, purpose=_purpose(detail, language))


def _pin_rejected(detail: Detail, language: str, actor: str) -> str:
    until = detail.get("locked_until")
    locked = text("audit.pin.locked", language, until=_time(until)) if until else ""
    return text(
        "audit.pin.rejected",
        language,
        actor=actor,
        purpose=_purpose(detail, language),
        failed=detail.get("failed_count", "?"),
        locked=locked,
    )


def _pin_changed(detail: Detail, language: str, actor: str) -> str:
    return text("audit.pin.changed", language, actor=actor)


def _logout(detail: Detail, language: str, actor: str) -> str:
    reason = str(detail.get("reason", ""))
    key = f"audit.reason.{reason}"
    shown = (
        text(key, language)
        if key in TEXTS
        else text("audit.reason.other", language, reason=reason)
        if reason
        else ""
    )
    return text("audit.logout", language, actor=actor, reason=shown)


def _export(detail: Detail, language: str, actor: str) -> str:
    return text(
        "audit.export",
        language,
        actor=actor,
        format=_format(detail),
        responses=detail.get("responses", "?"),
    )


def _export_failed(detail: Detail, language: str, actor: str) -> str:
    return text(
        "audit.export.failed",
        language,
        actor=actor,
        format=_format(detail),
        reason=detail.get("reason") or "?",
    )


def _sync_requested(detail: Detail, language: str, actor: str) -> str:
    if not detail.get("configured", True):
        return text("audit.sync.off", language, actor=actor)
    if detail.get("started", True):
        return text("audit.sync.started", language, actor=actor)
    message = detail.get("message")
    return text("audit.sync.busy", language, actor=actor, message=f": {message}" if message else "")


def _content_rejected(detail: Detail, language: str, actor: str) -> str:
    return text(
        "audit.content.rejected",
        language,
        actor=actor,
        problems=detail.get("problems", "?"),
        source=detail.get("source", "?"),
    )


def _content_imported(detail: Detail, language: str, actor: str) -> str:
    return text(
        "audit.content.imported",
        language,
        actor=actor,
        version=detail.get("version", "?"),
        added=_listed(detail.get("added")),
        changed=_listed(detail.get("changed")),
        removed=_listed(detail.get("removed")),
    )


def _out_of_service(detail: Detail, language: str, actor: str) -> str:
    key = "audit.out_of_service.on" if detail.get("on") else "audit.out_of_service.off"
    return text(key, language, actor=actor)


def _quit(detail: Detail, language: str, actor: str) -> str:
    return text("audit.quit", language, actor=actor)


def _purge(kind: str) -> Builder:
    def build(detail: Detail, language: str, actor: str) -> str:
        before = detail.get("before")
        return text(
            f"audit.{kind}",
            language,
            actor=actor,
            count=detail.get("count", "?"),
            before=_time(before) if before else "?",
        )

    return build


# Every action the kiosk writes (a test finds each record_audit/_audit call in the code).
BUILDERS: dict[str, Builder] = {
    "pin.accepted": _pin_accepted,
    "pin.rejected": _pin_rejected,
    "pin.changed": _pin_changed,
    "logout": _logout,
    "export": _export,
    "export.failed": _export_failed,
    "sync.requested": _sync_requested,
    "content.rejected": _content_rejected,
    "content.imported": _content_imported,
    "out_of_service": _out_of_service,
    "quit": _quit,
    "purge_contacts": _purge("purge_contacts"),
    "purge_responses": _purge("purge_responses"),
}


def actor_text(actor: str, language: str) -> str:
    key = f"audit.actor.{actor}"
    return text(key, language) if key in TEXTS else actor


def sentence(action: str, detail: Detail, actor: str, language: str) -> str:
    """What happened, as one sentence without the time."""
    who = actor_text(actor, language)
    builder = BUILDERS.get(action)
    if builder is None:
        shown = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True) if detail else ""
        return text(
            "audit.unknown", language, actor=who, action=action, detail=f" {shown}" if shown else ""
        )
    return builder(detail, language, who)


def entry_sentence(entry: AuditEntry, language: str) -> str:
    """'2026-11-27 14:03 직원이 CSV로 120건을 내보냈습니다' (the time in Korea, to the minute)."""
    stamp = entry.at.astimezone(KST).strftime("%Y-%m-%d %H:%M")
    return f"{stamp} {sentence(entry.action, entry.detail, entry.actor, language)}"
