"""sd_notify over $NOTIFY_SOCKET, as systemd reads it (path and abstract-namespace sockets)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from kiosk.app.service import notify, watchdog_interval_ms


@pytest.mark.parametrize("abstract", [False, True])
def test_notify_sends_one_datagram(tmp_path: Path, abstract: bool) -> None:
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = f"@kiosk-test-{os.getpid()}" if abstract else str(tmp_path / "notify")
    receiver.bind("\0" + name[1:] if abstract else name)
    receiver.settimeout(5)
    try:
        assert notify("READY=1\nSTATUS=attract screen on show", name) is True
        assert receiver.recv(4096) == b"READY=1\nSTATUS=attract screen on show"
    finally:
        receiver.close()
    assert notify("WATCHDOG=1", "") is False  # not under systemd: nothing sent, no error
    assert notify("WATCHDOG=1", str(tmp_path / "gone")) is False  # a vanished socket: logged


def test_watchdog_interval_is_half_the_period_for_us_or_our_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert watchdog_interval_ms() == 15000
    monkeypatch.setenv("WATCHDOG_PID", str(os.getppid()))  # cage, the unit's main process
    assert watchdog_interval_ms() == 15000
    monkeypatch.setenv("WATCHDOG_PID", "1")
    assert watchdog_interval_ms() is None
    monkeypatch.delenv("WATCHDOG_USEC")
    assert watchdog_interval_ms() is None
