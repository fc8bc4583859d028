"""Alerts raised from what kiosks report, cleared when it ends, mailed once to a local SMTP sink."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kiosk_hub import devices, ingest
from kiosk_hub.alerts import (
    QUEUE_AGEING,
    RATINGS_NEGATIVE,
    SILENT,
    AlertRules,
    Mailer,
    check_alerts,
    list_alerts,
    mail_alerts,
)
from kiosk_hub.db import make_engine, session_factory

NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


class Sink:
    """aiosmtpd handler keeping every message received (a real SMTP server on loopback)."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    with socket.socket() as probe:  # aiosmtpd needs a known port to check it came up
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


def rating(device: str, value: int, at: datetime, simulated: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "form_id": "visit-satisfaction",
        "form_version": 1,
        "form_hash": "cd" * 32,
        "content_version": "c1",
        "language": "en",
        "status": "complete",
        "started_at": (at - timedelta(seconds=20)).isoformat(),
        "submitted_at": at.isoformat(),
        "device_id": device,
        "answers": [{"question_id": "satisfaction", "value": value}],
    }
    if simulated:
        document["simulated"] = True
    return document


def test_alerts_are_raised_once_mailed_once_and_cleared(
    database_url: str, smtp_sink: tuple[Sink, int]
) -> None:
    sink, port = smtp_sink
    engine = make_engine(database_url, pool_size=2)
    sessions = session_factory(engine)
    rules = AlertRules()
    with sessions() as session:
        for name, device in (("lobby", "dev-lobby"), ("paris", "dev-paris"), ("ok", "dev-ok")):
            token = devices.issue_token(session, name)
            devices.authenticate(session, f"Bearer {token}", device)
        for device, queue_age in (("dev-lobby", 60.0), ("dev-paris", 3 * 3600.0), ("dev-ok", 0.0)):
            devices.record_heartbeat(
                session, device, {"queue_depth": 7, "oldest_unsent_age_s": queue_age}
            )
        session.commit()
        # Lobby: 2 of 4 unhappy within 15 minutes; simulated visitors never count.
        recent = [rating("dev-lobby", v, NOW - timedelta(minutes=m)) for v, m in
                  ((1, 1), (2, 3), (5, 5), (4, 14))]  # fmt: skip
        fake = [rating("dev-ok", 1, NOW - timedelta(minutes=1), simulated=True) for _ in range(6)]
        old = [rating("dev-ok", 1, NOW - timedelta(minutes=20)) for _ in range(6)]
        happy = [rating("dev-ok", 5, NOW - timedelta(minutes=2)) for _ in range(3)]
        ingest.receive_batch(session, "dev-lobby", str(uuid.uuid4()), recent)
        ingest.receive_batch(session, "dev-ok", str(uuid.uuid4()), fake + old + happy)
        session.commit()

        # An hour later and quiet: every kiosk is silent too.
        later = datetime.now(UTC) + timedelta(hours=1)
        assert check_alerts(session, rules, NOW) == 2
        assert check_alerts(session, rules, NOW) == 0  # still true: not raised again
        session.commit()
        raised = {(a.device_id, a.kind) for a in list_alerts(session)}
        assert raised == {("dev-lobby", RATINGS_NEGATIVE), ("dev-paris", QUEUE_AGEING)}

        mailer = Mailer("127.0.0.1", port, "hub@mofa.example", ("it@mofa.example",))
        assert mail_alerts(session, mailer) == 2
        assert mail_alerts(session, mailer) == 0  # mailed once
        subjects = sorted(m["Subject"] for m in sink.messages)
        assert subjects == ["[kiosk hub] queue ageing", "[kiosk hub] ratings negative"]
        bodies = "".join(m.get_payload() for m in sink.messages)
        assert "2 of the last 4 visit ratings within 15 min were unhappy" in bodies
        assert "3.0 h old (7 queued)" in bodies

        assert check_alerts(session, rules, later) == 3  # silent, all three
        session.commit()
        kinds = {(a.device_id, a.kind) for a in list_alerts(session)}
        assert kinds == {("dev-lobby", SILENT), ("dev-paris", SILENT), ("dev-ok", SILENT),
                         ("dev-paris", QUEUE_AGEING)}  # fmt: skip
        history = list_alerts(session, open_only=False)
        cleared = [a for a in history if a.cleared_at is not None]
        assert [(a.device_id, a.kind) for a in cleared] == [("dev-lobby", RATINGS_NEGATIVE)]
    engine.dispose()


def test_a_mail_server_that_is_down_leaves_the_alert_to_mail_later(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    with session_factory(engine)() as session:
        token = devices.issue_token(session, "quiet")
        devices.authenticate(session, f"Bearer {token}", "dev-q")
        session.commit()
        soon = datetime.now(UTC) + timedelta(minutes=1)
        assert check_alerts(session, AlertRules(silent_after=timedelta(0)), soon) == 1
        session.commit()
        closed_port = Mailer("127.0.0.1", 9, "hub@mofa.example", ("it@mofa.example",), 2.0)
        assert mail_alerts(session, closed_port) == 0
        assert [a.mailed_at for a in list_alerts(session)] == [None]
    engine.dispose()
