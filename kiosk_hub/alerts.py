"""Alerts about kiosks: silent too long, a queue that ages, visit ratings turning sharply negative.

`check_alerts` raises what is true now and clears what stopped being true; one open alert per
kiosk and kind is guaranteed by a partial unique index, so any number of hub processes may run
the check at once. `mail_alerts` claims unmailed alerts with one UPDATE … RETURNING (so only one
process mails each) and sends them by SMTP.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from kiosk_hub.db.models import AlertRow, DeviceRow, ResponseRow

SILENT = "silent"
QUEUE_AGEING = "queue_ageing"
RATINGS_NEGATIVE = "ratings_negative"


@dataclass(frozen=True)
class AlertRules:
    """When a kiosk needs a person. The rating rule is the feedback-terminal vendors' habit:
    at least `min_ratings` visit ratings within `rating_window`, half or more of them unhappy
    (at most `unhappy_at_most` on the 1 to 5 scale)."""

    silent_after: timedelta = timedelta(minutes=30)
    queue_age_limit_s: float = 2 * 3600
    rating_window: timedelta = timedelta(minutes=15)
    min_ratings: int = 4
    unhappy_share: float = 0.5
    unhappy_at_most: int = 2
    rating_questions: tuple[tuple[str, str], ...] = (("visit-satisfaction", "satisfaction"),)


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert as staff see it."""

    id: int
    device_id: str
    kind: str
    message: str
    raised_at: datetime
    mailed_at: datetime | None
    cleared_at: datetime | None


def _conditions(session: Session, rules: AlertRules, now: datetime) -> dict[tuple[str, str], str]:
    """(device id, kind) -> message, for every condition true now."""
    found: dict[tuple[str, str], str] = {}
    for device in session.scalars(select(DeviceRow)):
        seen = device.last_heartbeat_at or device.last_upload_at or device.first_seen_at
        if now - seen > rules.silent_after:
            minutes = int((now - seen).total_seconds() // 60)
            found[(device.id, SILENT)] = (
                f"kiosk {device.name} ({device.id}) silent for {minutes} min"
            )
        age = device.oldest_unsent_age_s
        if age is not None and age > rules.queue_age_limit_s:
            found[(device.id, QUEUE_AGEING)] = (
                f"kiosk {device.name} ({device.id}): oldest unsent response is "
                f"{age / 3600:.1f} h old ({device.queue_depth} queued)"
            )
    for device_id, total, unhappy in _ratings(session, rules, now):
        if total >= rules.min_ratings and unhappy >= rules.unhappy_share * total:
            minutes = int(rules.rating_window.total_seconds() // 60)
            found[(device_id, RATINGS_NEGATIVE)] = (
                f"kiosk {device_id}: {unhappy} of the last {total} visit ratings within "
                f"{minutes} min were unhappy"
            )
    return found


def _ratings(session: Session, rules: AlertRules, now: datetime) -> Iterable[tuple[str, int, int]]:
    """(device id, ratings, unhappy ratings) within the window, real visitors only."""
    counts: dict[str, list[int]] = {}
    rows = session.execute(
        select(ResponseRow.device_id, ResponseRow.form_id, ResponseRow.document["answers"]).where(
            ResponseRow.submitted_at > now - rules.rating_window,
            ResponseRow.submitted_at <= now,
            ResponseRow.simulated.is_(False),
            ResponseRow.form_id.in_({form for form, _ in rules.rating_questions}),
        )
    )
    wanted = set(rules.rating_questions)
    for device_id, form_id, answers in rows:
        for answer in answers:
            value = answer.get("value")
            if (form_id, answer.get("question_id")) in wanted and type(value) is int:
                tally = counts.setdefault(device_id, [0, 0])
                tally[0] += 1
                tally[1] += value <= rules.unhappy_at_most
    return [(device, total, unhappy) for device, (total, unhappy) in counts.items()]


def check_alerts(session: Session, rules: AlertRules, now: datetime | None = None) -> int:
    """Raise new alerts and clear ended ones; how many were raised. The caller commits."""
    now = now or datetime.now(UTC)
    true_now = _conditions(session, rules, now)
    raised = 0
    for (device_id, kind), message in sorted(true_now.items()):
        result = session.execute(
            insert(AlertRow)
            .values(device_id=device_id, kind=kind, message=message, raised_at=now)
            .on_conflict_do_nothing(
                index_elements=["device_id", "kind"], index_where=AlertRow.cleared_at.is_(None)
            )
            .returning(AlertRow.id)
        )
        raised += len(result.all())
    for alert in session.scalars(select(AlertRow).where(AlertRow.cleared_at.is_(None))):
        if (alert.device_id, alert.kind) not in true_now:
            alert.cleared_at = now
    return raised


def list_alerts(session: Session, open_only: bool = True) -> list[Alert]:
    """Alerts, newest first: what the console shows."""
    query = select(AlertRow).order_by(AlertRow.raised_at.desc(), AlertRow.id.desc())
    if open_only:
        query = query.where(AlertRow.cleared_at.is_(None))
    return [
        Alert(a.id, a.device_id, a.kind, a.message, a.raised_at, a.mailed_at, a.cleared_at)
        for a in session.scalars(query)
    ]


@dataclass(frozen=True)
class Mailer:
    """Where alert e-mails go. TLS (STARTTLS) is used whenever the server offers it."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    timeout_s: float = 10.0

    def send(self, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            smtp.send_message(message)


def mail_alerts(session: Session, mailer: Mailer, now: datetime | None = None) -> int:
    """Mail every open alert not mailed yet, one message each; how many were sent.

    An alert is claimed and committed before its mail goes out; if sending fails the claim is
    undone, so the next check tries again.
    """
    now = now or datetime.now(UTC)
    claimed = session.execute(
        update(AlertRow)
        .where(AlertRow.mailed_at.is_(None), AlertRow.cleared_at.is_(None))
        .values(mailed_at=now)
        .returning(AlertRow.id, AlertRow.kind, AlertRow.message)
    ).all()
    session.commit()
    sent = 0
    for alert_id, kind, message in claimed:
        try:
            mailer.send(f"[kiosk hub] {kind.replace('_', ' ')}", message + "\n")
            sent += 1
        except (OSError, smtplib.SMTPException):
            session.execute(update(AlertRow).where(AlertRow.id == alert_id).values(mailed_at=None))
            session.commit()
    return sent
