"""The speech layer on Qt's own `mock` text-to-speech engine (no audio device in tests)."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.ui.speech import QtSpeaker, SilentSpeaker


def test_qt_reports_the_engines_the_kiosk_config_names() -> None:
    engines = QTextToSpeech.availableEngines()
    assert "mock" in engines and "speechd" in engines  # speechd: speech-dispatcher on Debian


def test_qt_speaker_hands_each_text_to_the_engine_in_order(qtbot: object) -> None:
    speaker = QtSpeaker("mock", {}, volume=0.5, rate=0.25)
    engine = speaker.engine
    assert engine.engine() == "mock"
    assert (engine.volume(), engine.rate()) == (0.5, 0.25)
    words: list[str] = []
    engine.sayingWord.connect(lambda word, _id, _start, _length: words.append(word))
    speaker.say(["hello kiosk", "second"], "en")
    qtbot.waitUntil(lambda: words[-1:] == ["second"], timeout=5000)  # type: ignore[attr-defined]
    assert words == ["hello", "kiosk", "second"]
    speaker.say(["interrupted"], "en")
    speaker.say(["only this"], "en")  # interrupt: the earlier text is dropped
    qtbot.waitUntil(lambda: words[-1:] == ["this"], timeout=5000)  # type: ignore[attr-defined]
    assert "interrupted" not in words


def test_qt_speaker_bounds_volume_and_rate() -> None:
    speaker = QtSpeaker("mock", {})
    speaker.set_volume(1.7)
    speaker.set_rate(-3)
    assert (speaker.volume, speaker.rate) == (1.0, -1.0)


def test_a_configured_voice_that_does_not_exist_is_logged_not_fatal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    speaker = QtSpeaker("mock", {"en": "Nobody"})
    with caplog.at_level(logging.WARNING):
        speaker.say(["hi"], "en")
    assert "voice 'Nobody' for en not found" in caplog.text
    named = QtSpeaker("mock", {"en": speaker.engine.availableVoices()[0].name()})
    named.say(["hi"], "en")
    assert named.engine.voice().name() == speaker.engine.availableVoices()[0].name()


def test_silent_speaker_keeps_levels_in_bounds() -> None:
    silent = SilentSpeaker()
    silent.set_volume(-1)
    silent.set_rate(2)
    assert (silent.volume, silent.rate) == (0.0, 1.0)
