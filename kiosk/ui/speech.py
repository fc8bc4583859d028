"""Voice guidance: a small Speaker interface and its QtTextToSpeech implementation."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QLocale, QObject
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
