"""Key layouts of the on-screen keyboard (2-beolsik, QWERTY, symbols) and text-to-keys spelling."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """Keys that do something other than type their label."""

    SHIFT = "shift"
    BACKSPACE = "backspace"
    SPACE = "space"
    LANGUAGE = "language"
    SYMBOLS = "symbols"
    DONE = "done"


@dataclass(frozen=True)
class Key:
    """One key: the character it types (or an action), and how many key widths it spans."""

    char: str = ""
    action: Action | None = None
    width: float = 1.0


@dataclass(frozen=True)
class Layer:
    """One face of the keyboard: rows of keys, unshifted and shifted."""

    name: str
    rows: tuple[tuple[Key, ...], ...]
    shifted_rows: tuple[tuple[Key, ...], ...]

    def chars(self, shifted: bool) -> set[str]:
        rows = self.shifted_rows if shifted else self.rows
        return {key.char for row in rows for key in row if key.char}


def _chars(letters: str) -> tuple[Key, ...]:
    return tuple(Key(char) for char in letters)


def _bottom_row() -> tuple[Key, ...]:
    return (
        Key(action=Action.SYMBOLS, width=2.0),
        Key(action=Action.LANGUAGE, width=1.5),
        Key(","),
        Key(action=Action.SPACE, width=2.5),
        Key("."),
        Key(action=Action.DONE, width=2.0),
    )


def _layer(name: str, rows: tuple[str, str, str], shifted: tuple[str, str, str]) -> Layer:
    def build(letters: tuple[str, str, str]) -> tuple[tuple[Key, ...], ...]:
        first, second, third = letters
        return (
            _chars(first),
            _chars(second),
            (
                Key(action=Action.SHIFT, width=1.5),
                *_chars(third),
                Key(action=Action.BACKSPACE, width=1.5),
            ),
            _bottom_row(),
        )

    return Layer(name, build(rows), build(shifted))


# The standard Korean 2-beolsik (KS X 5002) arrangement: consonants left, vowels right;
# shift gives the double consonants ㅃㅉㄸㄲㅆ and the vowels ㅒㅖ.
KOREAN = _layer(
    "ko",
    ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ"),
    ("ㅃㅉㄸㄲㅆㅛㅕㅑㅒㅖ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ"),
)
ENGLISH = _layer(
    "en",
    ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
    ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"),
)
SYMBOLS = _layer(
    "symbols",
    ("1234567890", '-/:;()~&@"', "?!'%+="),
    ("[]{}#^*_\\|", "<>$€£₩·`¥§", "…•«»¿¡"),
)
LAYERS = {layer.name: layer for layer in (KOREAN, ENGLISH, SYMBOLS)}
# The language key cycles through these; the symbols key toggles to SYMBOLS and back.
LANGUAGE_LAYERS = ("ko", "en")

# Compatibility jamo (key labels) in Unicode syllable order: a syllable's index picks its keys.
_INITIAL_KEYS = tuple("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
_MEDIAL_KEYS = (
    *"ㅏㅐㅑㅒㅓㅔㅕㅖㅗ",
    "ㅗㅏ",
    "ㅗㅐ",
    "ㅗㅣ",
    "ㅛ",
    "ㅜ",
    "ㅜㅓ",
    "ㅜㅔ",
    "ㅜㅣ",
    *"ㅠㅡ",
    "ㅡㅣ",
    "ㅣ",
)
_FINAL_KEYS = (
    "",
    *"ㄱㄲ",
    "ㄱㅅ",
    "ㄴ",
    "ㄴㅈ",
    "ㄴㅎ",
    *"ㄷㄹ",
    "ㄹㄱ",
    "ㄹㅁ",
    "ㄹㅂ",
    "ㄹㅅ",
    "ㄹㅌ",
    "ㄹㅍ",
    "ㄹㅎ",
    *"ㅁㅂ",
    "ㅂㅅ",
    *"ㅅㅆㅇㅈㅊㅋㅌㅍㅎ",
)


def keys_for_text(text: str) -> str:
    """The key presses that type `text` on a 2-beolsik keyboard (for the driver and the bench)."""
    keys = []
    for char in unicodedata.normalize("NFC", text):
        index = ord(char) - 0xAC00
        if 0 <= index < 11172:
            keys.append(_INITIAL_KEYS[index // 588])
            keys.append(_MEDIAL_KEYS[index % 588 // 28])
            keys.append(_FINAL_KEYS[index % 28])
        else:
            keys.append(char)
    return "".join(keys)


def layer_for(char: str) -> tuple[str, bool] | None:
    """The layer and shift state whose keys type `char`, preferring unshifted language layers."""
    for name in (*LANGUAGE_LAYERS, "symbols"):
        for shifted in (False, True):
            if char in LAYERS[name].chars(shifted):
                return name, shifted
    return None
