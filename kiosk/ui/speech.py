"""Voice guidance: a small Speaker interface and its QtTextToSpeech implementation."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import (
    Q_ARG,
    QCoreApplication,
    QGenericArgumentHolder,
    QLocale,
    QMetaObject,
    QObject,
    QProcess,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
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


# The engine a QTextToSpeech starts with, on the speech thread, before the real one is set there:
# Qt's own test engine, which starts at once (it ships with QtTextToSpeech, as speechd does).
PLACEHOLDER_ENGINE = "mock"
# Speech threads that did not end when asked (see QtSpeaker.close): never destroyed.
_STUCK_THREADS: list[QThread] = []


class _Voice(QObject):
    """Makes QtSpeaker's QTextToSpeech on the speech thread (a Python slot, quick: the placeholder
    engine), then queues the real engine. No call into speech-dispatcher is made from Python on
    that thread (Python runs there only here and to pass an error message on): such a call can
    block, and made from Python it would block holding Python's lock, so every later call reaches
    the engine as a queued call of one of its own C++ slots."""

    engine_set = Signal(str)
    failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.tts: QTextToSpeech | None = None

    @Slot(str)
    def build(self, engine: str) -> None:
        self.tts = QTextToSpeech(PLACEHOLDER_ENGINE, self)
        self.tts.engineChanged.connect(self.engine_set)
        self.tts.errorOccurred.connect(lambda _reason, message: self.failed.emit(message))
        if engine == PLACEHOLDER_ENGINE:
            self.engine_set.emit(engine)
        else:
            QMetaObject.invokeMethod(
                self.tts, "setEngine", Qt.ConnectionType.QueuedConnection, Q_ARG(str, engine)
            )


class QtSpeaker(QObject):
    """Speaks through QtTextToSpeech (speech-dispatcher with espeak-ng on the kiosk), on a thread.

    Making the speechd engine takes 1.5-2 s (it lists speech-dispatcher's voices, 1,530 here), and
    any call into speech-dispatcher can block (one that stopped answering never returns); called
    from Python, each holds Python's lock meanwhile, so on the UI thread the kiosk would freeze.
    The engine therefore lives on its own thread ("kiosk-speech"): it is set there by a queued
    setEngine(), and every call after that is a queued call of the engine's own slots, which run
    in C++ alone. The UI never waits. Until the engine is ready (`ready`, `is_ready`) nothing is
    said.
    """

    ready = Signal()
    _build = Signal(str)

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
        self._name = engine
        self._voices = dict(voices)
        self._language = ""
        self._locales: list[QLocale] = []
        self._voice_list: list[QVoice] = []
        self._volume, self._rate = clamp(volume, 0.0, 1.0), clamp(rate, -1.0, 1.0)
        self.is_ready = False
        self._closed = False
        self._thread = QThread()
        self._thread.setObjectName("kiosk-speech")
        self._voice = _Voice()
        self._voice.moveToThread(self._thread)
        self._build.connect(self._voice.build)
        self._voice.engine_set.connect(self._engine_set)  # queued to this (UI) thread
        self._voice.failed.connect(self._engine_error)
        self._thread.start()
        self._build.emit(engine)
        # A staff "quit" or "restart" ends the event loop and then the process: the thread must
        # end first, or Qt aborts the process as the thread object goes (exit 134, not 0 or 75).
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    @property
    def engine(self) -> QTextToSpeech:
        """The engine itself, once ready (it lives on the speech thread: read it, never drive it)."""
        assert self._voice.tts is not None, (
            "the engine is made on the speech thread: wait for ready"
        )
        return self._voice.tts

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def rate(self) -> float:
        return self._rate

    def _call(self, slot: str, *arguments: QGenericArgumentHolder) -> None:
        """Queue a call of one of the engine's slots: it runs on the speech thread, in C++."""
        QMetaObject.invokeMethod(self.engine, slot, Qt.ConnectionType.QueuedConnection, *arguments)

    @Slot(str)
    def _engine_set(self, name: str) -> None:
        if name != self._name or self.is_ready or self._closed:
            return  # the placeholder, a second signal, or an engine that came after close()
        # Read once, while the speech thread has nothing else to do: the engine keeps these lists.
        self._locales = list(self.engine.availableLocales())
        self._voice_list = list(self.engine.availableVoices())
        self.is_ready = True
        self._levels()
        log.info("speech engine %r ready", name)
        self.ready.emit()

    @Slot(str)
    def _engine_error(self, message: str) -> None:
        log.error("speech engine %r: %s", self._name, message)

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        if not self.is_ready:
            return
        if interrupt:
            self._call("stop")
        self._use_language(language)
        for text in texts:
            if text.strip():
                self._call("enqueue", Q_ARG(str, text))

    def stop(self) -> None:
        if self.is_ready:
            self._call("stop")

    def set_volume(self, volume: float) -> None:
        self._volume = clamp(volume, 0.0, 1.0)
        self._levels()

    def set_rate(self, rate: float) -> None:
        self._rate = clamp(rate, -1.0, 1.0)
        self._levels()

    def _levels(self) -> None:
        if self.is_ready:
            self._call("setVolume", Q_ARG(float, self._volume))
            self._call("setRate", Q_ARG(float, self._rate))

    def _use_language(self, language: str) -> None:
        if language == self._language:
            return
        self._language = language
        locale = QLocale(LOCALES.get(language, language))
        if locale in self._locales:
            self._call("setLocale", Q_ARG(QLocale, locale))
        wanted = self._voices.get(language)
        if wanted:  # after the locale: a new locale brings its default voice
            voice = next((v for v in self._voice_list if v.name() == wanted), None)
            if voice is None:
                log.warning("voice %r for %s not found; using the default", wanted, language)
            else:
                self._call("setVoice", Q_ARG(QVoice, voice))

    def close(self) -> None:
        """End the speech thread; the engine is deleted on it, as the thread finishes. Once:
        a second call (the kiosk's close after the app's aboutToQuit) does nothing."""
        if self._closed:
            return
        self._closed = True
        self.is_ready = False
        if self._thread.isRunning():
            self._voice.deleteLater()
            self._thread.quit()
            if not self._thread.wait(5000):
                # Stuck in a call into a speech-dispatcher that stopped answering. Terminating
                # it unwinds through Qt and hangs the process; so it is left, and kept from
                # Python's collector (whose ~QThread would abort): `kiosk run` ends with
                # os._exit, which ends the thread with the process.
                log.error("the speech thread is stuck in speech-dispatcher: left to the exit")
                _STUCK_THREADS.append(self._thread)


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
        """Stop a probe still running (its process must not outlive the kiosk), and the engine's
        thread."""
        self._timer.stop()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(1000)
        close = getattr(self._engine, "close", None)
        if close is not None:
            close()
