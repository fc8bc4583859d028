"""Tests for the 2-beolsik Hangul composer behind the on-screen keyboard."""

import dataclasses
import functools
import string
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.ui.keyboard.hangul import BACKSPACE, Edit, HangulComposer, type_keys

CONSONANT_KEYS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWEL_KEYS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ"
JAMO_KEYS = CONSONANT_KEYS + VOWEL_KEYS
FIRST_SYLLABLE, LAST_SYLLABLE = 0xAC00, 0xD7A3

# Unicode names compound vowels as one sound (WA), so their two keys are spelled out here;
# every other jamo's keys follow from its name (RIEUL-KIYEOK is ㄹ then ㄱ).
COMPOUND_VOWEL_KEYS = {
    "WA": ("O", "A"),
    "WAE": ("O", "AE"),
    "OE": ("O", "I"),
    "WEO": ("U", "EO"),
    "WE": ("U", "E"),
    "WI": ("U", "I"),
    "YI": ("EU", "I"),
}


@functools.cache
def jamo_keys(jamo: str) -> str:
    """The keys that type one conjoining jamo, derived from Unicode names, not the module."""
    _, role, short_name = unicodedata.name(jamo).split(" ", 2)
    parts: tuple[str, ...]
    if role == "JUNGSEONG":
        parts = COMPOUND_VOWEL_KEYS.get(short_name, (short_name,))
    else:
        parts = tuple(short_name.split("-"))
    return "".join(unicodedata.lookup(f"HANGUL LETTER {part}") for part in parts)


def keys_for(text: str) -> str:
    """The keys a person presses to type text on a 2-beolsik keyboard."""
    return "".join(
        jamo_keys(char) if "\u1100" <= char <= "\u11ff" else char
        for char in unicodedata.normalize("NFD", text)
    )


syllables = st.characters(min_codepoint=FIRST_SYLLABLE, max_codepoint=LAST_SYLLABLE)
any_key = st.one_of(st.sampled_from(JAMO_KEYS), st.just(BACKSPACE), st.characters())
non_backspace_key = st.one_of(
    st.sampled_from(JAMO_KEYS), st.characters(exclude_characters=BACKSPACE)
)


def test_key_decomposition_helper_spells_out_compound_and_double_jamo() -> None:
    assert keys_for("닭") == "ㄷㅏㄹㄱ"
    assert keys_for("과") == "ㄱㅗㅏ"
    assert keys_for("의") == "ㅇㅡㅣ"
    assert keys_for("까") == "ㄲㅏ"
    assert keys_for("있") == "ㅇㅣㅆ"
    assert keys_for("a 1") == "a 1"


def test_every_syllable_typed_key_by_key_comes_out_as_itself() -> None:
    wrong = {}
    for code in range(FIRST_SYLLABLE, LAST_SYLLABLE + 1):
        syllable = chr(code)
        typed = type_keys(keys_for(syllable))
        if typed != syllable:
            wrong[syllable] = typed
    assert wrong == {}


def test_every_final_before_every_initial_and_vowel_splits_back_into_both_syllables() -> None:
    # Whether a consonant stays a final or starts the next syllable is decided only by the
    # previous syllable's final and the next syllable's first two keys.
    wrong = {}
    for before in ("가", "과"):
        base = ord(before)
        for final in range(28):
            for initial in range(19):
                for vowel in range(21):
                    after = chr(FIRST_SYLLABLE + (initial * 21 + vowel) * 28)
                    pair = chr(base + final) + after
                    typed = type_keys(keys_for(pair))
                    if typed != pair:
                        wrong[pair] = typed
    assert wrong == {}


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㄷ", "ㄷ"),
        ("ㄷㅏ", "다"),
        ("ㄷㅏㄹ", "달"),
        ("ㄷㅏㄹㄱ", "닭"),
        ("ㄷㅏㄹㄱㅏ", "달가"),
        ("ㄱㅏㅂㅅ", "값"),
        ("ㄱㅏㅂㅅㅣ", "갑시"),
        ("ㄱㅏㅂㅅㅅ", "값ㅅ"),
        ("ㄱㅏㄱㄱ", "각ㄱ"),
        ("ㄱㅏㄱㄱㅏ", "각가"),
        ("ㄱㅏㄱㅇㅏ", "각아"),
        ("ㄱㅏㄴㅏ", "가나"),
    ],
)
def test_syllables_compose_incrementally_and_finals_move_to_a_following_vowel(
    keys: str, shown: str
) -> None:
    assert type_keys(keys) == shown


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㅗㅏ", "ㅘ"),
        ("ㄱㅗㅏ", "과"),
        ("ㅇㅗㅐ", "왜"),
        ("ㅇㅗㅣ", "외"),
        ("ㅁㅜㅓ", "뭐"),
        ("ㄱㅜㅔ", "궤"),
        ("ㅇㅜㅣ", "위"),
        ("ㅇㅡㅣ", "의"),
        ("ㄱㅗㅏㅇ", "광"),
        ("ㄱㅏㅗ", "가ㅗ"),
        ("ㄱㅗㅗ", "고ㅗ"),
        ("ㄱㅗㅏㅏ", "과ㅏ"),
    ],
)
def test_two_vowel_keys_make_a_compound_vowel_only_in_the_standard_pairs(
    keys: str, shown: str
) -> None:
    assert type_keys(keys) == shown


@pytest.mark.parametrize(
    ("first", "second", "joined", "split"),
    [
        ("ㄱ", "ㅅ", "갃", "각사"),
        ("ㄴ", "ㅈ", "갅", "간자"),
        ("ㄴ", "ㅎ", "갆", "간하"),
        ("ㄹ", "ㄱ", "갉", "갈가"),
        ("ㄹ", "ㅁ", "갊", "갈마"),
        ("ㄹ", "ㅂ", "갋", "갈바"),
        ("ㄹ", "ㅅ", "갌", "갈사"),
        ("ㄹ", "ㅌ", "갍", "갈타"),
        ("ㄹ", "ㅍ", "갎", "갈파"),
        ("ㄹ", "ㅎ", "갏", "갈하"),
        ("ㅂ", "ㅅ", "값", "갑사"),
    ],
)
def test_double_final_forms_from_two_keys_and_splits_when_a_vowel_follows(
    first: str, second: str, joined: str, split: str
) -> None:
    assert type_keys("ㄱㅏ" + first + second) == joined
    assert type_keys("ㄱㅏ" + first + second + "ㅏ") == split


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㄲㅏ", "까"),
        ("ㄸㅏㅇ", "땅"),
        ("ㅃㅏㅇ", "빵"),
        ("ㅆㅏㄹ", "쌀"),
        ("ㅉㅏㅁ", "짬"),
        ("ㅂㅏㄲ", "밖"),
        ("ㅂㅏㄲㅇㅔ", "밖에"),
        ("ㅂㅏㄲㅔ", "바께"),
        ("ㅇㅣㅆㄷㅏ", "있다"),
        ("ㄱㅏㄸ", "가ㄸ"),
        ("ㄱㅏㄸㅏ", "가따"),
        ("ㄱㅏㅃㅏ", "가빠"),
        ("ㄱㅏㅉㅏ", "가짜"),
        ("ㄱㄱ", "ㄱㄱ"),
    ],
)
def test_shifted_keys_give_double_initials_and_only_kk_and_ss_can_be_finals(
    keys: str, shown: str
) -> None:
    assert type_keys(keys) == shown


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㅏ", "ㅏ"),
        ("ㄴㄱ", "ㄴㄱ"),
        ("ㅏㄱ", "ㅏㄱ"),
        ("ㅏㄱㅏ", "ㅏ가"),
        ("ㅏㅓ", "ㅏㅓ"),
        ("ㄱㅏa", "가a"),
        ("ㅎㅏㄴ ", "한 "),
        ("ㄱ1", "ㄱ1"),
        ("ㄱㅏ.ㅏ", "가.ㅏ"),
        ("ㄱㅏㄴ,ㅏ", "간,ㅏ"),
        ("가ㅏ", "가ㅏ"),
        ("ㄱㅏㄳ", "가ㄳ"),
        ("ㄱㅘ", "ㄱㅘ"),
    ],
)
def test_lone_jamo_show_as_themselves_and_other_characters_commit_and_append(
    keys: str, shown: str
) -> None:
    # A non-key character (even a syllable or a compound jamo) is text, not a key to compose.
    assert type_keys(keys) == shown


def test_a_sentence_typed_from_hand_written_keys() -> None:
    keys = "ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ, ㄱㅗㅏㅇㅎㅗㅏㅁㅜㄴ 1ㅂㅓㄴㄱㅏ!"
    assert type_keys(keys) == "안녕하세요, 광화문 1번가!"


@pytest.mark.parametrize(
    "sentence",
    [
        "대한민국 외교부에 의견을 남깁니다.",
        "안녕하세요, 광화문 1번가!",
        "Wi-Fi 비밀번호는 kiosk2024입니다",
        "닭갈비 3인분 주세요.",
        "읽었어요? 넓은 방에 앉아 값싼 흙을 핥는다",
        "뚫린 똑똑한 쌍쌍바, 빠른 짜장면 - 외워 둬요",
        "의외의 왜곡, 궤도 위 뭐든!\n둘째 줄\t탭",
    ],
)
def test_real_sentences_typed_key_by_key_come_out_unchanged(sentence: str) -> None:
    assert type_keys(keys_for(sentence)) == sentence


@pytest.mark.parametrize(
    ("backspaces", "shown"),
    [(0, "닭"), (1, "달"), (2, "다"), (3, "ㄷ"), (4, ""), (5, "")],
)
def test_backspace_removes_one_jamo_at_a_time_from_the_syllable_being_composed(
    backspaces: int, shown: str
) -> None:
    assert type_keys("ㄷㅏㄹㄱ" + BACKSPACE * backspaces) == shown


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("ㄱㅗㅏ\b", "고"),
        ("ㅗㅏ\b", "ㅗ"),
        ("ㄱㅏㅂㅅ\b", "갑"),
        ("ㄱㅏㅂㅅ\bㅣ", "가비"),
        ("ㄱㅗㅏ\bㅐ", "괘"),
        ("ㄷㅏㄹㄱㅏ\b", "달ㄱ"),
        ("ㄷㅏㄹㄱㅏ\b\b", "달"),
        ("ㄷㅏㄹㄱㅏ\b\b\b", ""),
    ],
)
def test_backspace_undoes_compound_vowels_and_finals_one_key_at_a_time(
    keys: str, shown: str
) -> None:
    assert type_keys(keys) == shown


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("abc\b", "ab"),
        ("ㅎㅏㄴ \b", "한"),
        ("ㅎㅏㄴ \b\b", ""),
        ("ㅎㅏㄴㄱㅡㄹ\b\b\b", "한"),
        ("ㅎㅏㄴㄱㅡㄹ\b\b\b\b", ""),
        ("\b", ""),
        ("\b\bㄱ", "ㄱ"),
        ("a\b\b\bb", "b"),
    ],
)
def test_backspace_outside_composition_deletes_one_committed_character(
    keys: str, shown: str
) -> None:
    assert type_keys(keys) == shown


def test_composer_reports_commit_preedit_and_deletions_per_key() -> None:
    composer = HangulComposer()
    edits = [composer.press(key) for key in "ㄷㅏㄹㄱㅏ "]
    assert edits == [
        Edit("", "ㄷ", 0),
        Edit("", "다", 0),
        Edit("", "달", 0),
        Edit("", "닭", 0),
        Edit("달", "가", 0),
        Edit("가 ", "", 0),
    ]
    assert composer.preedit == ""
    assert composer.backspace() == Edit("", "", 1)


def test_composer_backspace_that_empties_the_syllable_deletes_nothing_committed() -> None:
    composer = HangulComposer()
    composer.press("ㄱ")
    assert composer.press(BACKSPACE) == Edit("", "", 0)
    assert composer.backspace() == Edit("", "", 1)


def test_commit_returns_the_syllable_in_progress_and_reset_discards_it() -> None:
    composer = HangulComposer()
    for key in "ㅎㅏㄴ":
        composer.press(key)
    assert composer.commit() == "한"
    assert composer.preedit == ""
    for key in "ㄱㅡ":
        composer.press(key)
    composer.reset()
    assert composer.preedit == ""
    assert composer.press("ㅏ") == Edit("", "ㅏ", 0)


@pytest.mark.parametrize("key", ["", "ab", "ㄱㅏ"])
def test_press_rejects_anything_but_one_character(key: str) -> None:
    with pytest.raises(ValueError, match="exactly one character"):
        HangulComposer().press(key)


def test_edit_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Edit("", "").commit = "x"  # type: ignore[misc]


def test_hangul_module_imports_without_qt() -> None:
    code = (
        "import sys, kiosk.ui.keyboard.hangul; "
        "sys.exit(any(m.split('.')[0] in {'PyQt5', 'PyQt6', 'PySide2', 'PySide6'} "
        "for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


@given(st.text(st.one_of(syllables, st.sampled_from(string.printable))))
def test_typing_the_keys_of_any_syllables_and_ascii_reproduces_the_text(text: str) -> None:
    assert type_keys(keys_for(text)) == text


@given(st.text(any_key))
def test_output_is_always_nfc(keys: str) -> None:
    shown = type_keys(keys)
    assert unicodedata.is_normalized("NFC", shown)


@given(st.text(non_backspace_key))
def test_one_backspace_per_key_pressed_always_empties_the_field(keys: str) -> None:
    assert type_keys(keys + BACKSPACE * len(keys)) == ""


@given(st.text(any_key), st.sampled_from(JAMO_KEYS))
def test_backspace_undoes_any_jamo_key_that_committed_nothing(before: str, key: str) -> None:
    composer = HangulComposer()
    for pressed in before:
        composer.press(pressed)
    preedit = composer.preedit
    edit = composer.press(key)
    if edit.commit == "":
        assert composer.backspace() == Edit("", preedit, 0)


@given(st.text(any_key))
def test_preedit_is_at_most_one_character_and_matches_the_last_edit(keys: str) -> None:
    composer = HangulComposer()
    for key in keys:
        edit = composer.press(key)
        assert edit.preedit == composer.preedit
        assert len(composer.preedit) <= 1
