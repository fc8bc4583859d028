"""Hangul 2-beolsik (두벌식) composition: turns jamo key presses into syllables, without Qt."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

BACKSPACE = "\b"

# Compatibility jamo in the Unicode syllable order, so a jamo's position is its syllable index.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"

_INITIAL_INDEX = {jamo: i for i, jamo in enumerate(_INITIALS)}
_MEDIAL_INDEX = {jamo: i for i, jamo in enumerate(_MEDIALS)}
# Index 0 means "no final consonant", so real finals start at 1.
_FINAL_INDEX = {jamo: i for i, jamo in enumerate(_FINALS, start=1)}

_SYLLABLE_BASE = 0xAC00
_MEDIAL_COUNT = len(_MEDIALS)
_FINAL_COUNT = len(_FINALS) + 1

# The keys of a 2-beolsik keyboard; shifted keys give ㄲㄸㅃㅆㅉ and ㅒㅖ directly.
# Compound jamo such as ㅘ or ㄳ are not keys: if sent anyway they are literal text.
_CONSONANT_KEYS = frozenset(_INITIALS)
_VOWEL_KEYS = frozenset("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ")

_COMPOUND_VOWELS = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
_COMPOUND_FINALS = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}


@dataclass(frozen=True, slots=True)
class Edit:
    """One key's effect on a text field: delete before the cursor, insert commit, show preedit."""

    commit: str
    preedit: str
    delete_before: int = 0


def _join(keys: list[str], compounds: dict[tuple[str, str], str]) -> str:
    """Return the single jamo that up to two keys of one syllable part stand for."""
    if len(keys) == 2:
        return compounds[(keys[0], keys[1])]
    return keys[0] if keys else ""


class HangulComposer:
    """The 2-beolsik automaton that an on-screen keyboard feeds one key at a time."""

    def __init__(self) -> None:
        # Keys, not jamo, are kept so that backspace can undo exactly one key press:
        # ㅘ typed as ㅗ+ㅏ backspaces to ㅗ, and 닭 backspaces to 달.
        self._initial = ""
        self._vowel: list[str] = []
        self._final: list[str] = []

    @property
    def preedit(self) -> str:
        """The syllable or lone jamo being composed, or '' when nothing is."""
        vowel = _join(self._vowel, _COMPOUND_VOWELS)
        if not (self._initial and vowel):
            # A lone jamo shows as itself; a final never exists without initial and vowel.
            return self._initial or vowel
        final = _join(self._final, _COMPOUND_FINALS)
        index = _INITIAL_INDEX[self._initial] * _MEDIAL_COUNT + _MEDIAL_INDEX[vowel]
        return chr(_SYLLABLE_BASE + index * _FINAL_COUNT + _FINAL_INDEX.get(final, 0))

    def press(self, key: str) -> Edit:
        """Feed one key: a jamo, BACKSPACE, or any other character (which commits)."""
        if len(key) != 1:
            raise ValueError(f"a key is exactly one character, got {key!r}")
        if key == BACKSPACE:
            return self.backspace()
        if key in _VOWEL_KEYS:
            return self._press_vowel(key)
        if key in _CONSONANT_KEYS:
            return self._press_consonant(key)
        return Edit(self.commit() + key, "")

    def backspace(self) -> Edit:
        """Undo the last jamo key of the syllable in progress, else delete one character."""
        # Keys arrive initial, vowel, final, so popping in reverse order undoes the last one.
        for part in (self._final, self._vowel):
            if part:
                part.pop()
                return Edit("", self.preedit)
        if self._initial:
            self._initial = ""
            return Edit("", "")
        return Edit("", "", delete_before=1)

    def commit(self) -> str:
        """End composition and return the text that was being composed."""
        text = self.preedit
        self.reset()
        return text

    def reset(self) -> None:
        """Drop the syllable in progress without committing it."""
        self._initial = ""
        self._vowel = []
        self._final = []

    def _press_consonant(self, key: str) -> Edit:
        if self._initial and self._vowel:
            # Tentatively a final: the next key decides whether it starts a new syllable.
            if not self._final and key in _FINAL_INDEX:
                self._final.append(key)
                return Edit("", self.preedit)
            if len(self._final) == 1 and (self._final[0], key) in _COMPOUND_FINALS:
                self._final.append(key)
                return Edit("", self.preedit)
        return self._start_over(initial=key, vowel=[])

    def _press_vowel(self, key: str) -> Edit:
        if self._final:
            # A vowel after a final takes its last consonant as its own initial: 닭+ㅏ = 달가.
            return self._start_over(initial=self._final.pop(), vowel=[key])
        if len(self._vowel) == 1 and (self._vowel[0], key) in _COMPOUND_VOWELS:
            self._vowel.append(key)
            return Edit("", self.preedit)
        if self._initial and not self._vowel:
            self._vowel.append(key)
            return Edit("", self.preedit)
        return self._start_over(initial="", vowel=[key])

    def _start_over(self, initial: str, vowel: list[str]) -> Edit:
        """Commit what is composed (after any final was moved out) and begin a new syllable."""
        done = self.commit()
        self._initial = initial
        self._vowel = vowel
        return Edit(done, self.preedit)


def type_keys(keys: str) -> str:
    """Return the NFC text shown after pressing keys in order on an empty field."""
    composer = HangulComposer()
    text: list[str] = []
    for key in keys:
        edit = composer.press(key)
        if edit.delete_before:
            # Backspace on an empty field does nothing, as on a real one.
            del text[max(0, len(text) - edit.delete_before) :]
        text.extend(edit.commit)
    return unicodedata.normalize("NFC", "".join(text) + composer.preedit)
