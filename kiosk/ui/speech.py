"""Voice guidance: a small Speaker interface and its QtTextToSpeech implementation."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QLocale, QObject, QProcess, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

log = logging.getLogger(__name__)

LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh": "zh_CN"}
VOLUME_STEP = 0.1
RATE_STEP = 0.25


class Speaker(Protocol):
    """What easy mode needs from a speech engine; tests use Qt's mock engine or a recorder."""

    @property
    def volume(self) -> float: ...

    @property
    def rate(self) -> float: ...

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        """Speak the texts in order; `interrupt` first silences whatever is being said."""

    def stop(self) -> None: ...

    def set_volume(self, volume: float) -> None: ...

    def set_rate(self, rate: float) -> None: ...


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


class QtSpeaker(QObject):
    """Speaks through QtTextToSpeech (speech-dispatcher with espeak-ng on the kiosk)."""

    def __init__(
        self,
        engine: str,
        voices: Mapping[str, str],
        volume: float = 0.8,
        rate: float = 0.0,
    ) -> None:
        super().__init__()
        available = QTextToSpeech.availableEngines()
        if engine not in available:
            # A kiosk without the engine still works, silently; the log says why.
            log.error("speech engine %r is not installed (have %s)", engine, available)
        self._tts = QTextToSpeech(engine, self)
        self._voices = dict(voices)
        self._language = ""
        self.set_volume(volume)
        self.set_rate(rate)

    @property
    def engine(self) -> QTextToSpeech:
        return self._tts

    @property
    def volume(self) -> float:
        return self._tts.volume()

    @property
    def rate(self) -> float:
        return self._tts.rate()

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        if interrupt:
            self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)
        self._use_language(language)
        for text in texts:
            if text.strip():
                self._tts.enqueue(text)

    def stop(self) -> None:
        self._tts.stop(QTextToSpeech.BoundaryHint.Immediate)

    def set_volume(self, volume: float) -> None:
        self._tts.setVolume(clamp(volume, 0.0, 1.0))

    def set_rate(self, rate: float) -> None:
        self._tts.setRate(clamp(rate, -1.0, 1.0))

    def _use_language(self, language: str) -> None:
        if language == self._language:
            return
        self._language = language
        locale = QLocale(LOCALES.get(language, language))
        if locale in self._tts.availableLocales():
            self._tts.setLocale(locale)
        wanted = self._voices.get(language)
        if wanted:
            voice = self._find_voice(wanted)
            if voice is None:
                log.warning("voice %r for %s not found; using the default", wanted, language)
            else:
                self._tts.setVoice(voice)

    def _find_voice(self, name: str) -> QVoice | None:
        for voice in self._tts.availableVoices():
            if voice.name() == name:
                return voice
        return None


class SilentSpeaker:
    """Says nothing, keeps the levels: for screenshots and tools that must not make a sound."""

    def __init__(self, volume: float = 0.8, rate: float = 0.0) -> None:
        self.volume, self.rate = volume, rate

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_volume(self, volume: float) -> None:
        self.volume = clamp(volume, 0.0, 1.0)

    def set_rate(self, rate: float) -> None:
        self.rate = clamp(rate, -1.0, 1.0)


# Builds the engine in a child process and says whether it answered: run before the kiosk's own
# engine is made, since constructing QTextToSpeech's speechd engine waits for speech-dispatcher
# while holding Python's lock, and with no audio device (or a stuck daemon) that wait never ends.
PROBE = (
    "import sys; from PySide6.QtCore import QCoreApplication; "
    "from PySide6.QtTextToSpeech import QTextToSpeech; app = QCoreApplication([]); "
    "tts = QTextToSpeech(sys.argv[1]); "
    "sys.exit(0 if tts.state() != QTextToSpeech.State.Error else 3)"
)


class ProbedSpeaker(QObject):
    """A Speaker that makes its engine only once a child process showed the engine answers.

    The probe runs in the background (QProcess) from the kiosk's start; until it has answered,
    or if it fails or hangs past `timeout_ms`, voice guidance is silent and the log says why.
    The visit itself never waits for speech."""

    def __init__(
        self,
        factory: Callable[[], Speaker],
        engine: str,
        volume: float,
        rate: float,
        timeout_ms: int = 15000,
        probe: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.volume, self.rate = clamp(volume, 0.0, 1.0), clamp(rate, -1.0, 1.0)
        self._factory = factory
        self._engine: Speaker | None = None
        self.state = "probing"
        self._process = QProcess(self)
        self._process.finished.connect(self._probed)
        self._timer = QTimer(self, singleShot=True, interval=timeout_ms)
        self._timer.timeout.connect(self._timed_out)
        arguments = list(probe) if probe is not None else ["-c", PROBE, engine]
        self._process.start(sys.executable, arguments)
        self._timer.start()

    def _probed(self, code: int, _status: object) -> None:
        self._timer.stop()
        if code != 0:
            self.state = "unavailable"
            log.error("speech engine did not start in a test process (exit %s): voice off", code)
            return
        try:
            self._engine = self._factory()
        except Exception:  # speech is a help, never a reason for the kiosk to stop
            self.state = "unavailable"
            log.exception("speech engine could not start: voice guidance is off")
            return
        self._engine.set_volume(self.volume)
        self._engine.set_rate(self.rate)
        self.state = "ready"

    def _timed_out(self) -> None:
        self.state = "unavailable"
        log.error("speech engine gave no answer within %d ms: voice guidance is off",
                  self._timer.interval())  # fmt: skip
        self._process.kill()

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        if self._engine is not None:
            self._engine.say(texts, language, interrupt)

    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop()

    def set_volume(self, volume: float) -> None:
        self.volume = clamp(volume, 0.0, 1.0)
        if self._engine is not None:
            self._engine.set_volume(self.volume)

    def set_rate(self, rate: float) -> None:
        self.rate = clamp(rate, -1.0, 1.0)
        if self._engine is not None:
            self._engine.set_rate(self.rate)

    def close(self) -> None:
        """Stop a probe still running (its process must not outlive the kiosk)."""
        self._timer.stop()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(1000)
