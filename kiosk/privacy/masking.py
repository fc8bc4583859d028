"""Cleanup of visitor free text and masking of personal data before it is stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

__all__ = [
    "CARD",
    "EMAIL",
    "MASKS",
    "PHONE",
    "RRN",
    "Redaction",
    "clean_text",
    "prepare_free_text",
    "redact",
    "redact_report",
]

RRN: Final = "rrn"
PHONE: Final = "phone"
EMAIL: Final = "email"
CARD: Final = "card"

# Korean because the stored text is read by Korean staff; the UI translates the kinds for visitors.
# None of the masks contains a digit or "@", so a mask can never be matched again.
MASKS: Final[dict[str, str]] = {
    RRN: "[주민등록번호]",
    PHONE: "[전화번호]",
    EMAIL: "[이메일]",
    CARD: "[카드번호]",
}


@dataclass(frozen=True, slots=True)
class Redaction:
    """Text with personal data masked, and the kinds of data that were masked."""

    text: str
    kinds: frozenset[str]


# --- Patterns. They run on a matching view of the text (see _matching_view): NFKC, ASCII digits,
# ASCII hyphens, format characters dropped. The digit guards stop a match inside a longer number.

_RRN_PATTERN: Final = re.compile(
    r"""
    (?<![\d+])             # "+8201012345678" is a phone number with its country code
    (?P<yy>\d\d)(?P<mm>\d\d)(?P<dd>\d\d)
    (?:[ ]?-[ ]?|[ ])?
    (?P<sex>[1-8])
    (?:\d{6}|[*xX●○]{6})   # a starred-out tail still leaves a birth date and sex to hide
    (?![\d*])
    """,
    re.ASCII | re.VERBOSE,
)

# Runs of digit groups separated by single spaces or hyphens; which groups form a card is decided
# in _find_card_numbers, so that a year before or an expiry date after cannot hide the number.
_DIGIT_GROUP_RUN: Final = re.compile(r"(?<![\d+])\d+(?:(?:[ ]?-[ ]?|[ ])\d+)*", re.ASCII)
_DIGIT_GROUP: Final = re.compile(r"\d+", re.ASCII)
_MOST_CARD_GROUPS: Final = 5

# Area codes without the trunk 0: mobile 010/011/016-019, Seoul 02, the provinces 031-064, internet
# phones 070 and 050x personal numbers. Representative numbers (1588-xxxx) and 080 are left out:
# they belong to companies, and "1800-1900" is more often a range of years than a phone number.
_AREA: Final = r"(?:1[016-9]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50\d)"
_PHONE_SEP: Final = r"(?:[ ]?[-.][ ]?|[ ])?"
_PHONE_BODY: Final = rf"""
    (?:
        (?:\((?:\+|00)82\)|(?:\+|00)82)[ ]?-?[ ]?   # country code, perhaps in parentheses
        (?:\(0\)[ ]?|0)?                            # the trunk 0, which people keep or bracket
        (?:\({_AREA}\)|{_AREA})
      | \(0{_AREA}\)
      | 0{_AREA}\)?                                 # "02)123-4567" is a common Korean spelling
    )
    {_PHONE_SEP}\d{{3,4}}{_PHONE_SEP}\d{{4}}
"""
_PHONE_PATTERN: Final = re.compile(
    rf"""
    (?<!\d)
    (?<!(?<!\d)\d[-./:])(?<!(?<!\d)\d\d[-./:])   # no date or time tail: "2000-01-02 1900 1900"
    {_PHONE_BODY}
    (?!\d)
    """,
    re.ASCII | re.VERBOSE,
)

# Digits read out in Sino-Korean words ("공일공-4321-8765", "영일영 일이삼사 오육칠팔"): in a
# spoken view each digit word becomes its digit, one character for one, and the phone pattern
# runs on it. Its digit guards look at the real digits only: a particle after the number
# ("...오육칠팔이에요") is the word 이, not a fifth digit. Ordinary sentences do not hold nine or
# more digit words in a row starting with 0 and an area code, so they are left alone.
_DIGIT_WORDS: Final = str.maketrans(
    {"공": "0", "영": "0", "빵": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5",
     "육": "6", "륙": "6", "칠": "7", "팔": "8", "구": "9"}
)  # fmt: skip
_SPOKEN_PHONE_PATTERN: Final = re.compile(_PHONE_BODY, re.ASCII | re.VERBOSE)

# E-mail addresses spelled out to get past a filter: "kim at example dot com", "kim(at)example
# (dot)com", "kim 골뱅이 example 점 com", "kim 앳 naver 닷컴". A bare " at " and " dot " need
# spaces around them and a known top-level domain at the end; a first label that is an English
# function word ("look at the dot com bubble") is prose, not an address.
_TLDS: Final = (
    r"(?:com|net|org|edu|gov|mil|int|info|biz|name|io|me|co|kr|jp|cn|us|uk|de|fr|ca|au|in|eu"
    r"|ac\.kr|co\.kr|go\.kr|or\.kr|re\.kr|ne\.kr|pe\.kr)"
)
_SPELLED_AT: Final = r"(?:[ ]*(?:[(\[{<]at[)\]}>]|골뱅이|앳)[ ]*|[ ]+at[ ]+)"
_SPELLED_DOT: Final = r"(?:[ ]*(?:[(\[{<]dot[)\]}>]|점|닷)[ ]*|[ ]+dot[ ]+|\.)"
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SPELLED_EMAIL_PATTERN: Final = re.compile(
    rf"""
    (?<![A-Za-z0-9._%+@-])
    (?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]*)
    (?P<at>{_SPELLED_AT})
    (?P<domain>{_LABEL}(?:{_SPELLED_DOT}{_LABEL})*?)
    (?:{_SPELLED_DOT}{_TLDS}|[ ]*닷[ ]?컴|[ ]*점[ ]?컴)
    (?![A-Za-z0-9])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_DIGIT_WORD_CHARS: Final = frozenset("공영빵일이삼사오육륙칠팔구")
_PROSE_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "our",
        "his",
        "her",
        "their",
        "its",
        "it",
        "me",
        "us",
        "them",
        "you",
        "him",
        "all",
        "home",
        "work",
        "school",
    ]
)

# ASCII only on purpose: Korean text often runs straight into an address ("hong@naver.com입니다").
_EMAIL_PATTERN: Final = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)


def _is_plausible_birth_date(match: re.Match[str]) -> bool:
    """Whether the first seven digits of a registration number form a real date of birth."""
    # 1, 2, 5, 6: born in the 1900s (5 and 6 for foreigners); 3, 4, 7, 8: born in the 2000s. The
    # check digit is not verified: numbers issued since October 2020 no longer carry one.
    century = 1900 if match["sex"] in "1256" else 2000
    try:
        date(century + int(match["yy"]), int(match["mm"]), int(match["dd"]))
    except ValueError:
        return False
    return True


def _passes_luhn(digits: str) -> bool:
    """Whether a digit string carries a valid Luhn check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_card_layout(groups: Sequence[str]) -> bool:
    """Whether digit groups are laid out as cards print them: 4-4-4-4(-n), 4-6-5, 4-6-4 or plain."""
    if len(groups) == 1:
        return True
    if [len(group) for group in groups] in ([4, 6, 4], [4, 6, 5]):
        return True
    return len(groups) >= 4 and all(len(group) == 4 for group in groups[:-1])


def _is_card_number(groups: Sequence[str]) -> bool:
    """Whether digit groups form a payment card number (layout, length, issuer prefix, Luhn)."""
    digits = "".join(groups)
    if not 13 <= len(digits) <= 19 or not _is_card_layout(groups):
        return False
    # Only Visa issued 13-digit numbers; without this, one in ten EAN-13 barcodes would be a card.
    if len(digits) == 13 and digits[0] != "4":
        return False
    # Issuer prefixes in use: 2221-2720 Mastercard, 3 Amex/JCB/Diners, 4 Visa, 5 Mastercard and
    # Maestro, 6 Discover/UnionPay, 9 Korean domestic cards. Leading 0, 1, 7, 8 and 20 are never
    # cards, which keeps "1999 2004 2010 2024" a list of years and padded order numbers alone.
    if digits[0] not in "34569" and not 2221 <= int(digits[:4]) <= 2720:
        return False
    return _passes_luhn(digits)


_Finder = Callable[[str], Iterator[tuple[int, int]]]


def _spans_of(pattern: re.Pattern[str]) -> _Finder:
    """Return a finder that yields the span of every match of a pattern that needs no check."""
    return lambda view: (match.span() for match in pattern.finditer(view))


def _find_registration_numbers(view: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of registration numbers with a real date of birth."""
    for match in _RRN_PATTERN.finditer(view):
        if _is_plausible_birth_date(match):
            yield match.span()


def _find_spoken_phone_numbers(view: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of phone numbers read out, wholly or partly, in Korean digit words."""
    spoken = view.translate(_DIGIT_WORDS)
    if spoken == view:
        return
    for match in _SPOKEN_PHONE_PATTERN.finditer(spoken):
        start, end = match.span()
        if view[start:end] == spoken[start:end]:
            continue  # digits only: the plain pattern's case
        before = view[start - 1] if start else ""
        after = view[end] if end < len(view) else ""
        if before.isdigit() or after.isdigit() or before in _DIGIT_WORD_CHARS:
            continue  # inside a longer number, written or read out
        yield start, end


def _find_spelled_emails(view: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of e-mail addresses with "at" and "dot" spelled out."""
    for match in _SPELLED_EMAIL_PATTERN.finditer(view):
        first_label = re.split(r"[ .(\[{<점닷]", match["domain"], maxsplit=1)[0].lower()
        if first_label in _PROSE_WORDS or match["local"].lower() in _PROSE_WORDS:
            continue
        if "@" in match[0]:
            continue
        yield match.span()


def _find_card_numbers(view: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of card numbers, trying every few consecutive groups of each run."""
    for run in _DIGIT_GROUP_RUN.finditer(view):
        groups = [group.span() for group in _DIGIT_GROUP.finditer(view, run.start(), run.end())]
        first = 0
        while first < len(groups):
            for last in range(min(len(groups), first + _MOST_CARD_GROUPS), first, -1):
                if _is_card_number([view[start:end] for start, end in groups[first:last]]):
                    yield groups[first][0], groups[last - 1][1]
                    first = last
                    break
            else:
                first += 1


# Earlier detectors win overlaps: an email may contain a phone number, a registration number may
# also pass Luhn; either way the data is masked once.
_DETECTORS: Final[tuple[tuple[str, _Finder], ...]] = (
    (EMAIL, _spans_of(_EMAIL_PATTERN)),
    (EMAIL, _find_spelled_emails),
    (RRN, _find_registration_numbers),
    (CARD, _find_card_numbers),
    (PHONE, _spans_of(_PHONE_PATTERN)),
    (PHONE, _find_spoken_phone_numbers),
)


def _matching_form(char: str) -> str:
    """Return what one character of the original text looks like to the patterns."""
    # Format characters (zero-width, bidi, soft hyphen) are invisible, so they must not split a
    # number; dropping them here also protects callers that redact without cleaning first.
    if unicodedata.category(char) == "Cf":
        return ""
    parts: list[str] = []
    for part in unicodedata.normalize("NFKC", char):
        digit = unicodedata.decimal(part, None)
        if digit is not None:
            parts.append(str(digit))  # Arabic-Indic and other decimal digits, not only full-width
        elif part == "\u2212" or unicodedata.category(part) == "Pd":
            parts.append("-")
        else:
            parts.append(part)
    return "".join(parts)


def _matching_view(text: str) -> tuple[str, Sequence[int]]:
    """Return the text as the patterns see it, with the original index of each view character."""
    if text.isascii():
        return text, range(len(text))
    view: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        form = _matching_form(char)
        view.append(form)
        origin.extend([index] * len(form))
    return "".join(view), origin


def _find_personal_data(text: str) -> list[tuple[int, int, str]]:
    """Return sorted, non-overlapping (start, end, kind) spans of personal data in the text."""
    view, origin = _matching_view(text)
    found: list[tuple[int, int, str]] = []
    for kind, find in _DETECTORS:
        for view_start, view_end in find(view):
            start, end = origin[view_start], origin[view_end - 1] + 1
            if any(start < taken_end and taken_start < end for taken_start, taken_end, _ in found):
                continue
            found.append((start, end, kind))
    spans: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found):
        # Swallow invisible characters around the data: a joiner left next to a mask joins nothing.
        while start > 0 and not _matching_form(text[start - 1]):
            start -= 1
        while end < len(text) and not _matching_form(text[end]):
            end += 1
        spans.append((start, end, kind))
    return spans


def _mask(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Return the masked text and the (start, end, kind) span of each mask in it."""
    pieces: list[str] = []
    masks: list[tuple[int, int, str]] = []
    position = length = 0
    for start, end, kind in _find_personal_data(text):
        if start < position:  # only when swallowed invisibles made two spans touch
            start = position
        pieces.append(text[position:start])
        length += start - position
        pieces.append(MASKS[kind])
        masks.append((length, length + len(MASKS[kind]), kind))
        length += len(MASKS[kind])
        position = end
    pieces.append(text[position:])
    return "".join(pieces), masks


def redact_report(text: str) -> Redaction:
    """Replace personal data in the text with masks and report which kinds were masked."""
    masked, masks = _mask(text)
    return Redaction(masked, frozenset(kind for _, _, kind in masks))


def redact(text: str) -> str:
    """Replace personal data in the text with masks."""
    return redact_report(text).text


# --- Cleaning.

_NEWLINE_PATTERN: Final = re.compile("\r\n?|[\x85\u2028\u2029]")
_INVISIBLES: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi controls
    "\u200b\u2060\ufeff\u180e\u00ad\u2061\u2062\u2063\u2064"  # zero-width and invisible
)
_ZWNJ: Final = "\u200c"
_ZWJ: Final = "\u200d"


def _is_skin_tone(char: str) -> bool:
    """Whether the character is an emoji skin-tone modifier."""
    return "\U0001f3fb" <= char <= "\U0001f3ff"


def _is_joinable(char: str) -> bool:
    """Whether a joiner next to this character can do something (shape a script or an emoji)."""
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "So" or _is_skin_tone(char)


def _joins(chars: Sequence[str], index: int) -> bool:
    """Whether the joiner at chars[index] sits between two characters it can join."""
    return (
        0 < index < len(chars) - 1
        and _is_joinable(chars[index - 1])
        and _is_joinable(chars[index + 1])
    )


def _is_cluster_boundary(text: str, index: int) -> bool:
    """Whether a cut between text[index - 1] and text[index] keeps every character whole."""
    before, after = text[index - 1], text[index]
    # A small part of UAX #29: marks, joiners, skin tones, emoji tags, leftover conjoining jamo
    # (NFC has composed the modern ones) and regional-indicator pairs (flags).
    if after in (_ZWJ, _ZWNJ) or before == _ZWJ or unicodedata.category(after)[0] == "M":
        return False
    if _is_skin_tone(after) or "\U000e0020" <= after <= "\U000e007f":
        return False
    if "\u1160" <= after <= "\u11ff" or "\ud7b0" <= after <= "\ud7ff":
        return False
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        run = 0
        while index - run > 0 and _is_regional_indicator(text[index - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def _is_regional_indicator(char: str) -> bool:
    """Whether the character is one half of a flag."""
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _cut_index(text: str, max_length: int) -> int:
    """Return the longest prefix length of at most max_length that ends on a cluster boundary."""
    if len(text) <= max_length:
        return len(text)
    cut = max_length
    while cut > 0 and not _is_cluster_boundary(text, cut):
        cut -= 1
    # A single cluster longer than the limit (stacked marks) is cut hard rather than dropped.
    return cut if cut > 0 else max_length


def _check_max_length(max_length: int | None) -> None:
    """Reject a negative length limit."""
    if max_length is not None and max_length < 0:
        raise ValueError(f"max_length must be at least 0, got {max_length}")


def _without_invisibles(text: str) -> str:
    """NFC text without controls or invisible characters; spaces at the ends kept."""
    chars = [
        char
        for char in _NEWLINE_PATTERN.sub("\n", text)
        if char not in _INVISIBLES and (char in "\n\t" or unicodedata.category(char) != "Cc")
    ]
    # Joiners shape Persian, Indic scripts and emoji sequences; anywhere else (between digits, at a
    # word edge) they only serve to hide something, so they go.
    kept = [
        char
        for index, char in enumerate(chars)
        if char not in (_ZWJ, _ZWNJ) or _joins(chars, index)
    ]
    return unicodedata.normalize("NFC", "".join(kept))


def counted_length(text: str) -> int:
    """The length a counter shows while the visitor types: code points as stored, spaces at the
    ends included (a space typed must move the counter), so never less than what is stored."""
    return len(_without_invisibles(text))


def clean_text(text: str, max_length: int | None = None) -> str:
    """Normalise visitor text to NFC without controls or invisible characters, within max_length."""
    _check_max_length(max_length)
    cleaned = _without_invisibles(text).strip()
    if max_length is not None:
        cleaned = cleaned[: _cut_index(cleaned, max_length)].rstrip()
    return cleaned


def prepare_free_text(text: str, max_length: int | None = None) -> Redaction:
    """Clean, then redact, a free-text answer so that it fits max_length after masking."""
    _check_max_length(max_length)
    # Clean first so that invisible characters cannot hide a number, and redact before cutting so
    # that the cut can never leave half a phone number behind.
    masked, masks = _mask(clean_text(text))
    if max_length is not None:
        cut = _cut_index(masked, max_length)
        for start, end, _ in masks:
            if start < cut < end:
                cut = start
        masked = masked[:cut].rstrip()
    return Redaction(masked, frozenset(kind for _, end, kind in masks if end <= len(masked)))
