"""The speech layer on Qt's own `mock` text-to-speech engine (no audio device in tests)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.ui.speech import ProbedSpeaker, QtSpeaker, SilentSpeaker
from tests.conftest import REPO


def test_qt_reports_the_engines_the_kiosk_config_names() -> None:
    engines = QTextToSpeech.availableEngines()
    assert "mock" in engines and "speechd" in engines  # speechd: speech-dispatcher on Debian


def ready(qtbot: object, speaker: QtSpeaker) -> QtSpeaker:
    qtbot.waitUntil(lambda: speaker.is_ready, timeout=10000)  # type: ignore[attr-defined]
    return speaker


def test_qt_speaker_hands_each_text_to_the_engine_in_order(qtbot: object) -> None:
    speaker = ready(qtbot, QtSpeaker("mock", {}, volume=0.5, rate=0.25))
    engine = speaker.engine
    assert engine.engine() == "mock"
    qtbot.waitUntil(lambda: (engine.volume(), engine.rate()) == (0.5, 0.25), timeout=5000)  # type: ignore[attr-defined]
    words: list[str] = []
    engine.sayingWord.connect(lambda word, _id, _start, _length: words.append(word))
    speaker.say(["hello kiosk", "second"], "en")
    qtbot.waitUntil(lambda: words[-1:] == ["second"], timeout=5000)  # type: ignore[attr-defined]
    assert words == ["hello", "kiosk", "second"]
    speaker.say(["interrupted"], "en")
    speaker.say(["only this"], "en")  # interrupt: the earlier text is dropped
    qtbot.waitUntil(lambda: words[-1:] == ["this"], timeout=5000)  # type: ignore[attr-defined]
    assert "interrupted" not in words
    speaker.close()


def test_qt_speaker_bounds_volume_and_rate(qtbot: object) -> None:
    speaker = ready(qtbot, QtSpeaker("mock", {}))
    speaker.set_volume(1.7)
    speaker.set_rate(-3)
    assert (speaker.volume, speaker.rate) == (1.0, -1.0)
    engine = speaker.engine
    qtbot.waitUntil(lambda: (engine.volume(), engine.rate()) == (1.0, -1.0), timeout=5000)  # type: ignore[attr-defined]
    speaker.close()


def test_a_configured_voice_that_does_not_exist_is_logged_not_fatal(
    qtbot: object, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = ready(qtbot, QtSpeaker("mock", {"en": "Nobody"}))
    with caplog.at_level(logging.WARNING):
        speaker.say(["hi"], "en")
        qtbot.waitUntil(lambda: "voice 'Nobody' for en not found" in caplog.text, timeout=5000)  # type: ignore[attr-defined]
    first = speaker.engine.availableVoices()[0].name()
    named = ready(qtbot, QtSpeaker("mock", {"en": first}))
    named.say(["hi"], "en")
    qtbot.waitUntil(lambda: named.engine.voice().name() == first, timeout=5000)  # type: ignore[attr-defined]
    speaker.close()
    named.close()


def test_the_speechd_engine_is_made_off_the_ui_thread(qtbot: object) -> None:
    # Making speechd's engine (the real speech-dispatcher, installed by `make deps`) takes 1.5-2 s
    # here and holds Python's lock when called from Python: the UI thread must keep running
    # while it is made. A 1 ms timer on the UI thread records when it ticks.
    ticks: list[float] = []
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    speaker = QtSpeaker("speechd", {})
    try:
        assert not speaker.is_ready  # nothing is said before the engine is there
        qtbot.waitUntil(lambda: speaker.is_ready, timeout=30000)  # type: ignore[attr-defined]
        took = time.perf_counter() - started
        timer.stop()
        assert speaker.engine.engine() == "speechd"
        gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
        # The UI thread was never held up for long: no gap near the engine's making time, and
        # at least a tick per 100 ms of the wait (on the UI thread it would be one or two).
        assert max(gaps) < 0.5, (max(gaps), took)
        assert len(ticks) >= took * 10, (len(ticks), took)
        # Nothing is said: with no audio device here, speech-dispatcher's espeak-ng module hangs
        # on its first utterance and stops answering every later client.
        thread = speaker.engine.thread()
        assert thread is not QThread.currentThread() and thread.objectName() == "kiosk-speech"
    finally:
        speaker.close()
    assert thread.isFinished()  # close() ends the speech thread


# A speech-dispatcher that answers the engine's set-up, then never answers the first utterance:
# what this machine's real one does after speaking with no audio device.
STUCK_DAEMON = r"""
import socket, sys, time
VOICES = b"249-Default\tC\tnone\r\n249-English\ten-US\tnone\r\n249-Korean\tko-KR\tnone\r\n"
REPLIES = {
    b"LIST OUTPUT_MODULES": b"250-espeak-ng\r\n250 OK MODULE LIST SENT",
    b"LIST SYNTHESIS_VOICES": VOICES + b"249 OK VOICE LIST SENT",
    b"GET": b"251-espeak-ng\r\n251 OK GET RETURNED",
}
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen(4)
while True:
    connection, _ = server.accept()
    pending = b""
    while data := connection.recv(4096):
        pending += data
        while b"\r\n" in pending:
            line, pending = pending.split(b"\r\n", 1)
            if line.upper().startswith(b"SPEAK"):
                time.sleep(3600)
            reply = next((r for c, r in REPLIES.items() if line.upper().startswith(c)), b"200 OK")
            connection.sendall(reply + b"\r\n")
"""


# The kiosk's side, in a process of its own: a thread stuck in speech-dispatcher cannot be
# ended, only left to the process's exit (os._exit, as `kiosk run` leaves).
SPEAKING_CLIENT = r"""
import itertools, json, logging, os, sys, time
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech
from kiosk.ui.speech import QtSpeaker
logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
app = QCoreApplication([])
speaker = QtSpeaker("speechd", {})
ticks, found = [], {"ready": None}
timer = QTimer(interval=1)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
timer.start()
def leave():
    timer.stop()  # what is timed is the visit, not the quitting
    found["quit_at"] = time.perf_counter()
    app.quit()  # aboutToQuit closes the speaker: 5 s for the thread, then it is left
def speak():
    found["ready"] = speaker.engine.state() == QTextToSpeech.State.Ready
    for _ in range(3):
        speaker.say(["안녕하세요", "hello"], "ko")  # the first never comes back
        speaker.set_volume(0.5)
    QTimer.singleShot(1500, leave)
speaker.ready.connect(speak)
QTimer.singleShot(20000, leave)
app.exec()
found["close_s"] = time.perf_counter() - found.pop("quit_at")
found["ticks"] = len(ticks)
found["max_gap"] = max(b - a for a, b in itertools.pairwise(ticks))
print(json.dumps(found), flush=True)
logging.shutdown()
os._exit(0)
"""


def test_a_speech_daemon_that_stops_answering_never_freezes_the_screen(tmp_path: Path) -> None:
    socket_path = tmp_path / "speechd.sock"
    (tmp_path / "daemon.py").write_text(STUCK_DAEMON, encoding="utf-8")
    (tmp_path / "client.py").write_text(SPEAKING_CLIENT, encoding="utf-8")
    daemon = subprocess.Popen([sys.executable, str(tmp_path / "daemon.py"), str(socket_path)])
    try:
        for _ in range(100):
            if socket_path.exists():
                break
            time.sleep(0.05)
        env = {**os.environ, "SPEECHD_ADDRESS": f"unix_socket:{socket_path}"}
        client = subprocess.run(
            [sys.executable, str(tmp_path / "client.py")],
            capture_output=True, text=True, env=env, timeout=60, cwd=REPO,
        )  # fmt: skip
    finally:
        daemon.kill()
        daemon.wait()
    assert client.returncode == 0, client.stderr[-2000:]
    found = json.loads(client.stdout.strip().splitlines()[-1])
    assert found["ready"] is True  # the engine was up, and then its first utterance never returned
    # The UI thread ticked all along, about a tick a millisecond, never held up for long.
    assert found["ticks"] > 100 and found["max_gap"] < 0.5, found
    assert "stuck in speech-dispatcher" in client.stderr
    assert found["close_s"] < 10  # close() waits for the thread 5 s, then leaves it


def test_quitting_the_app_ends_the_speech_thread_and_keeps_the_exit_code(tmp_path: Path) -> None:
    # A staff "restart" exits the event loop with a code the service unit acts on: a speech
    # thread still running when the process ends would turn it into Qt's abort (134).
    script = tmp_path / "quit.py"
    script.write_text(
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication, QTimer\n"
        "app = QCoreApplication([])\n"
        "from kiosk.ui.speech import QtSpeaker\n"
        "speaker = QtSpeaker('mock', {})\n"
        "QTimer.singleShot(300, lambda: QCoreApplication.exit(75))\n"
        "sys.exit(app.exec())\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert result.returncode == 75, result.stderr[-1000:]
    assert "Destroyed while thread" not in result.stderr


def test_silent_speaker_keeps_levels_in_bounds() -> None:
    silent = SilentSpeaker()
    silent.set_volume(-1)
    silent.set_rate(2)
    assert (silent.volume, silent.rate) == (0.0, 1.0)


class Recorder:
    """A Speaker that keeps what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[tuple[list[str], str]] = []
        self.volume, self.rate = 0.0, 0.0

    def say(self, texts: list[str], language: str, interrupt: bool = True) -> None:
        self.said.append((list(texts), language))

    def stop(self) -> None:
        pass

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def set_rate(self, rate: float) -> None:
        self.rate = rate


def test_probed_speaker_speaks_once_the_engine_answered_in_a_child_process(qtbot: object) -> None:
    engine = Recorder()
    speaker = ProbedSpeaker(lambda: engine, "mock", volume=0.5, rate=0.25)
    speaker.say(["too early"], "ko")  # the probe is still running: nothing is said, nothing waits
    qtbot.waitUntil(lambda: speaker.state == "ready", timeout=20000)  # type: ignore[attr-defined]
    speaker.say(["쉬운 모드", "Easy mode"], "ko")
    assert engine.said == [(["쉬운 모드", "Easy mode"], "ko")]
    assert (engine.volume, engine.rate) == (0.5, 0.25)
    speaker.close()


@pytest.mark.parametrize(
    ("probe", "timeout_ms", "expected_log"),
    [
        (["-c", "import sys; sys.exit(3)"], 15000, "did not start in a test process"),
        # A speech-dispatcher that never answers: the probe is killed, the kiosk never waits.
        (["-c", "import time; time.sleep(60)"], 300, "gave no answer within 300 ms"),
    ],
)
def test_probed_speaker_stays_silent_when_the_engine_fails_or_hangs(
    qtbot: object,
    caplog: pytest.LogCaptureFixture,
    probe: list[str],
    timeout_ms: int,
    expected_log: str,
) -> None:
    made: list[Recorder] = []
    speaker = ProbedSpeaker(
        lambda: made.append(Recorder()) or made[-1],  # type: ignore[func-returns-value]
        "speechd",
        volume=0.8,
        rate=0.0,
        timeout_ms=timeout_ms,
        probe=probe,
    )
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.speech"):
        qtbot.waitUntil(lambda: speaker.state == "unavailable", timeout=10000)  # type: ignore[attr-defined]
    speaker.say(["nobody hears this"], "en")
    speaker.set_volume(0.3)
    assert made == [] and speaker.volume == 0.3
    assert expected_log in caplog.text
    speaker.close()
