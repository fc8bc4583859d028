"""Tests for the masking of personal data and the cleanup of visitor free text."""

import dataclasses
import subprocess
import sys
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.privacy.masking import (
    CARD,
    EMAIL,
    MASKS,
    PHONE,
    RRN,
    Redaction,
    clean_text,
    prepare_free_text,
    redact,
    redact_report,
)

# Surrounding text comes from words, never from digits, so it holds no personal data by accident.
KOREAN_TEXT = (
    "안녕하세요 여권 재발급 신청 문의 연락처는 입니다 감사합니다 대사관 영사 방문 예약 "
    "서류 번호 제 이메일 전화 카드 외교부 민원실 주세요 확인 부탁드립니다"
)
KOREAN_WORDS = KOREAN_TEXT.split()
ENGLISH_TEXT = (
    "hello passport renewal please contact me at my number is thanks "
    "embassy visa office the email phone card call"
)
ENGLISH_WORDS = ENGLISH_TEXT.split()
WORDS = KOREAN_WORDS + ENGLISH_WORDS
DIGITS = "0123456789"
INVISIBLES = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2069\ufeff"


def luhn_check_digit(body: str) -> str:
    """The digit that makes body + digit pass the Luhn check, computed independently."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    return str(-total % 10)


def passes_luhn(number: str) -> bool:
    """Whether a digit string passes the Luhn check."""
    return luhn_check_digit(number[:-1]) == number[-1]


def full_width(text: str) -> str:
    """The text as an East Asian keyboard in full-width mode types it."""
    return "".join(
        "\u3000" if char == " " else chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char
        for char in text
    )


def digits(count: int) -> st.SearchStrategy[str]:
    """A string of exactly count random digits."""
    return st.text(DIGITS, min_size=count, max_size=count)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A Korean phone number in one of the spellings people use."""
    area, middle_length = draw(
        st.sampled_from(
            [("10", 4), ("11", 3), ("11", 4), ("16", 3), ("17", 4), ("18", 3), ("19", 4)]
            + [(str(code), length) for code in (2, 31, 32, 33, 41, 42, 43, 44) for length in (3, 4)]
            + [
                (str(code), length)
                for code in (51, 52, 53, 54, 55, 61, 62, 63, 64)
                for length in (3, 4)
            ]
            + [("70", 4), ("502", 4), ("505", 3), ("507", 4)]
        )
    )
    sep = draw(st.sampled_from(["-", " ", ".", "", " - "]))
    rest = draw(digits(middle_length)) + sep + draw(digits(4))
    if draw(st.booleans()):
        prefix = draw(st.sampled_from(["0{}", "(0{})", "0{})"])).format(area)
        first_sep = draw(st.sampled_from(["", " "])) if prefix.endswith(")") else sep
    else:
        country = draw(st.sampled_from(["+82 ", "+82-", "+82", "0082 ", "0082-", "(+82) "]))
        trunk = draw(st.sampled_from(["", "0", "(0)"]))
        prefix, first_sep = country + trunk + area, sep
    number = prefix + first_sep + rest
    return full_width(number) if draw(st.booleans()) else number


@st.composite
def registration_numbers(draw: st.DrawFn) -> str:
    """A resident or foreign registration number with a real date of birth."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    sex = draw(st.sampled_from("1256" if born.year < 2000 else "3478"))
    sep = draw(st.sampled_from(["-", "", " - ", " "]))
    number = f"{born:%y%m%d}{sep}{sex}{draw(digits(6))}"
    return full_width(number) if draw(st.booleans()) else number


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """A Luhn-valid payment card number, plain or grouped the way it is printed."""
    prefix, length = draw(
        st.sampled_from(
            [
                *[("4", 16), ("4", 13), ("4", 19), ("51", 16), ("55", 16), ("2221", 16)],
                *[("2720", 16), ("34", 15), ("37", 15), ("36", 14), ("35", 16), ("6011", 16)],
                *[("62", 19), ("9410", 16)],
            ]
        )
    )
    body = prefix + draw(digits(length - len(prefix) - 1))
    number = body + luhn_check_digit(body)
    if draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-", " - "]))
        if length in (14, 15):
            groups = [number[:4], number[4:10], number[10:]]
        else:
            groups = [number[start : start + 4] for start in range(0, length, 4)]
        number = sep.join(groups)
    return full_width(number) if draw(st.booleans()) else number


email_addresses = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}", fullmatch=True),
    st.lists(
        st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True), min_size=1, max_size=3
    ).map(".".join),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
).flatmap(lambda address: st.sampled_from([address, full_width(address)]))

PERSONAL_DATA = {
    PHONE: phone_numbers(),
    RRN: registration_numbers(),
    CARD: card_numbers(),
    EMAIL: email_addresses,
}


@st.composite
def sentences_with(draw: st.DrawFn, kind: str) -> tuple[str, str, str]:
    """(text, the personal data in it, the text expected after masking), built from words."""
    data = draw(PERSONAL_DATA[kind])
    left_words = draw(st.lists(st.sampled_from(WORDS), max_size=5))
    right_words = draw(st.lists(st.sampled_from(WORDS), max_size=5))
    # Hangul may touch the data directly ("연락처는010-..."); Latin letters would become part of
    # an email address, so English words always keep a separator.
    # "(" before "02)123-4567" would rightly be read as part of the number.
    left_sep = draw(
        st.sampled_from(
            [
                " ",
                "\n",
                ": ",
                ", ",
                *([" ("] if ")" not in unicodedata.normalize("NFKC", data) else []),
            ]
        )
    )
    right_sep = draw(st.sampled_from([" ", "\n", ", ", ". ", ") "]))
    if left_words and left_words[-1] in KOREAN_WORDS and draw(st.booleans()):
        left_sep = ""
    if right_words and right_words[0] in KOREAN_WORDS and draw(st.booleans()):
        right_sep = ""
    left = " ".join(left_words) + left_sep if left_words else ""
    right = right_sep + " ".join(right_words) if right_words else ""
    return left + data + right, data, left + MASKS[kind] + right


prices = st.one_of(
    st.integers(1, 10**9).map("{:,}원".format),
    st.integers(1, 10**6).map(lambda cents: f"${cents / 100:.2f}"),
    st.integers(1, 10**9).map("₩{:,}".format),
)
calendar_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)).flatmap(
    lambda day: st.sampled_from(
        [f"{day:%Y-%m-%d}", f"{day:%Y.%m.%d}", f"{day:%m/%d}", f"{day:%Y년 %m월 %d일}"]
    )
)
ordinary_tokens = st.one_of(
    st.sampled_from(WORDS),
    st.integers(1900, 2099).flatmap(lambda year: st.sampled_from([str(year), f"{year}년"])),
    prices,
    calendar_dates,
    st.times().map("{:%H:%M}".format),
    st.integers(0, 100).map("{}%".format),
    st.integers(1, 999).flatmap(lambda n: st.sampled_from([f"{n}명", f"{n}개", f"{n} people"])),
)


# --- Redaction: generated personal data.


@pytest.mark.slow
@pytest.mark.parametrize("kind", [PHONE, RRN, CARD, EMAIL])
@given(data=st.data())
def test_generated_personal_data_in_a_sentence_is_masked_and_the_rest_kept(
    kind: str, data: st.DataObject
) -> None:
    text, personal, expected = data.draw(sentences_with(kind))
    report = redact_report(text)
    # A bare 13-digit Visa number can also read as a registration number; masked either way.
    if kind == CARD and report.kinds == {RRN}:
        expected = expected.replace(MASKS[CARD], MASKS[RRN])
        assert len([char for char in personal if char.isdigit()]) == 13
    else:
        assert report.kinds == {kind}
    assert report.text == expected
    assert redact(text) == expected


@given(tokens=st.lists(ordinary_tokens, max_size=12))
def test_text_of_words_years_prices_dates_and_times_is_left_alone(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert redact_report(text) == Redaction(text, frozenset())


@pytest.mark.parametrize("kind", [PHONE, RRN, CARD, EMAIL])
@given(data=st.data())
def test_invisible_characters_cannot_hide_personal_data_from_prepare_free_text(
    kind: str, data: st.DataObject
) -> None:
    text, personal, expected = data.draw(sentences_with(kind))
    positions = data.draw(st.lists(st.integers(1, len(personal) - 1), min_size=1, max_size=4))
    hidden = personal
    for position in sorted(positions, reverse=True):
        hidden = hidden[:position] + data.draw(st.sampled_from(INVISIBLES)) + hidden[position:]
    result = prepare_free_text(text.replace(personal, hidden, 1))
    assert result.text in {expected.strip(), expected.strip().replace(MASKS[CARD], MASKS[RRN])}


# --- Redaction: tables of real-looking text.

LEFT_ALONE = [
    "2024년에 방문했습니다",
    "1950년생입니다",
    "2026-11-27",
    "2026.11.27",
    "11/27",
    "2026년 11월 27일 10:30",
    "09:00~18:00",
    "1,000,000원",
    "$5.99",
    "3억 5천만 원",
    "₩15,000",
    "USD 1,299.00",
    "참석자 120명, 만족도 87.5%",
    "주문번호 2024112700012345",  # fails Luhn
    "주문번호 2024112700012348",  # passes Luhn, but no card number starts with 2024
    "4111 1111 1111 1112",  # a Visa test number with the last digit changed
    "1234-5678-9012-3456",
    "0000 0000 0000 0000",  # passes Luhn, but no card number starts with 0
    "1999 2004 1990 1993",  # years that happen to pass Luhn
    "pi is 3.14159265358979",
    "v2.10.1",
    "Python 3.12.1",
    "버전 1.0.16",
    "ISBN 978-89-546-1234-5",
    "ISBN 9788954600095",  # passes Luhn too, but 13-digit card numbers are Visa's (4...)
    "+1 415-555-0132",
    "+44 20 7946 0958",
    "+81 90-1234-5678",
    "090-1234-5678",  # a Japanese mobile
    "0161 496 0000",  # a Manchester landline
    "555-1234",
    "고객센터 1588-1234",  # a company number
    "수신자 부담 080-123-4567",
    "우편번호 03172",
    "사업자등록번호 123-45-67890",
    "950230-1234567",  # 30 February
    "951301-1234567",  # month 13
    "990229-1234567",  # 1999 was not a leap year
    "950101-9234567",  # 9 would mean born in the 1800s
    "1010-1234-5678",  # a phone shape inside a longer number is not half-masked
    "2000-01-02 1900 1900",  # a date, then two years
    "11/02 1234 5678",
    "01012345678901",
    "예약번호 A-2024-001234",
    "@kiosk_mofa",
]


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact_report(text) == Redaction(text, frozenset())


def test_the_luhn_cases_in_the_left_alone_table_are_what_their_comments_say() -> None:
    assert not passes_luhn("2024112700012345")
    assert passes_luhn("2024112700012348")
    assert not passes_luhn("4111111111111112")
    assert passes_luhn("1999200419901993")
    assert passes_luhn("9788954600095")


MASKED = [
    ("제 번호는 010-1234-5678입니다.", "제 번호는 [전화번호]입니다.", {PHONE}),
    ("연락처: 010 1234 5678 / 02-123-4567", "연락처: [전화번호] / [전화번호]", {PHONE}),
    ("Call me at +82 10-1234-5678 tomorrow.", "Call me at [전화번호] tomorrow.", {PHONE}),
    ("Seoul office +82-2-123-4567", "Seoul office [전화번호]", {PHONE}),
    ("Phone: 0082 10 1234 5678", "Phone: [전화번호]", {PHONE}),
    ("+82 (0)10 9876 5432로 연락", "[전화번호]로 연락", {PHONE}),
    ("사무실 (02) 2100-2114로 연락 주세요", "사무실 [전화번호]로 연락 주세요", {PHONE}),
    ("부산 051.123.4567, 세종 044)987-6543", "부산 [전화번호], 세종 [전화번호]", {PHONE}),
    ("(010-1234-5678)", "([전화번호])", {PHONE}),
    ("번호는 ０１０－１２３４－５６７８ 입니다", "번호는 [전화번호] 입니다", {PHONE}),
    (
        "인터넷 전화 070-8765-4321, 안심번호 0505-123-4567",
        "인터넷 전화 [전화번호], 안심번호 [전화번호]",
        {PHONE},
    ),
    ("핸드폰01098765432로", "핸드폰[전화번호]로", {PHONE}),
    ("010-1234-5678/010-9876-5432", "[전화번호]/[전화번호]", {PHONE}),
    ("주민등록번호 950101-1234567 입니다", "주민등록번호 [주민등록번호] 입니다", {RRN}),
    ("외국인등록번호는 0503157123456입니다", "외국인등록번호는 [주민등록번호]입니다", {RRN}),
    ("생년월일 950101-1****** 입니다", "생년월일 [주민등록번호] 입니다", {RRN}),
    ("메일 hong.gildong@naver.com 으로 보내 주세요", "메일 [이메일] 으로 보내 주세요", {EMAIL}),
    ("hong@naver.com입니다", "[이메일]입니다", {EMAIL}),
    ("이메일：ｈｏｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "이메일：[이메일]", {EMAIL}),
    ("Email jane.doe+kiosk@example.co.uk, thanks", "Email [이메일], thanks", {EMAIL}),
    ("01012345678@naver.com", "[이메일]", {EMAIL}),
    ("카드번호 4111-1111-1111-1111 결제 안 됨", "카드번호 [카드번호] 결제 안 됨", {CARD}),
    ("Amex 3782 822463 10005", "Amex [카드번호]", {CARD}),
    ("마스터 5555555555554444", "마스터 [카드번호]", {CARD}),
    ("카드 4000 0000 0000 0002 12/27 만료", "카드 [카드번호] 12/27 만료", {CARD}),
    ("2024 4111 1111 1111 1111", "2024 [카드번호]", {CARD}),
    (
        "2024년 11월 27일 10:30에 010-9876-5432로 전화했고 1,000,000원을 냈어요",
        "2024년 11월 27일 10:30에 [전화번호]로 전화했고 1,000,000원을 냈어요",
        {PHONE},
    ),
    (
        "홍길동 (850315-1234567), 010-2222-3333, gildong@daum.net, 카드 6011 1111 1111 1117",
        "홍길동 ([주민등록번호]), [전화번호], [이메일], 카드 [카드번호]",
        {RRN, PHONE, EMAIL, CARD},
    ),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), MASKED)
def test_personal_data_in_realistic_sentences_is_masked(
    text: str, expected: str, kinds: set[str]
) -> None:
    assert redact_report(text) == Redaction(expected, frozenset(kinds))


def test_redact_replaces_in_the_original_and_keeps_full_width_text_elsewhere() -> None:
    assert redact("（연락처）０１０ １２３４ ５６７８！") == "（연락처）[전화번호]！"


def test_each_kind_has_one_korean_mask_that_cannot_be_matched_again() -> None:
    assert set(MASKS) == {RRN, PHONE, EMAIL, CARD}
    assert len(set(MASKS.values())) == len(MASKS)
    for mask in MASKS.values():
        assert mask.startswith("[") and mask.endswith("]")
        assert not any(char.isdigit() or char == "@" for char in mask)
        assert redact(mask) == mask


def test_redaction_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        redact_report("010-1234-5678").text = "x"  # type: ignore[misc]


def test_privacy_imports_only_the_standard_library() -> None:
    check = (
        "import sys, kiosk.privacy.masking; "
        "top = {name.split('.')[0] for name in sys.modules}; "
        # an editable install (make test) adds its own path finder module
        "top = {name for name in top if not name.startswith('__editable__')}; "
        "sys.exit(sorted(top - set(sys.stdlib_module_names) - {'__main__', 'kiosk'}) or 0)"
    )
    subprocess.run([sys.executable, "-c", check], check=True)


# --- clean_text.


def test_clean_text_composes_decomposed_hangul() -> None:
    decomposed = unicodedata.normalize("NFD", "대한민국 외교부")
    assert len(decomposed) > len("대한민국 외교부")
    assert clean_text(decomposed) == "대한민국 외교부"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc\u202edcba\u202c", "abcdcba"),
        ("\u2066010\u2069-1234", "010-1234"),
        ("\u200fمرحبا\u200e ok \u061c", "مرحبا ok"),
        ("010\u200b1234\u200b5678", "01012345678"),
        ("\ufeffhello\u2060 world\u00ad", "hello world"),
        ("1\u200d2 a\u200d \u200db", "12 a b"),
        ("a\x00b\x07c\x1bd\x7f", "abcd"),
        ("line1\r\nline2\rline3\u2028line4", "line1\nline2\nline3\nline4"),
        ("a\tb\n\nc", "a\tb\n\nc"),
        ("  \n\t hello \u3000\n", "hello"),
    ],
)
def test_clean_text_removes_controls_and_invisible_characters(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "👨\u200d👩\u200d👧\u200d👦",
        "👍🏽 좋아요",
        "👩🏽\u200d💻",
        "🏳\ufe0f\u200d🌈",
        "❤\ufe0f 🇰🇷",
        "1\ufe0f\u20e3",
        "می\u200cخواهم",  # Persian needs the non-joiner inside words
        "क्\u200dष",  # a Devanagari half form
    ],
)
def test_clean_text_keeps_emoji_and_the_joiners_scripts_need(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "max_length", "expected"),
    [
        (unicodedata.normalize("NFD", "한국어"), 3, "한국어"),  # counted after composing
        ("가나다👨\u200d👩\u200d👧\u200d👦", 5, "가나다"),
        ("가나다👨\u200d👩\u200d👧\u200d👦", 10, "가나다👨\u200d👩\u200d👧\u200d👦"),
        ("ok 👍🏽", 4, "ok"),
        ("🇰🇷🇯🇵", 3, "🇰🇷"),
        ("abq\u0323\u0307", 4, "ab"),
        ("hello world", 6, "hello"),
        ("hello", 0, ""),
        ("q" + "\u0301" * 10, 4, "q\u0301\u0301\u0301"),  # one giant cluster is cut hard
    ],
)
def test_clean_text_cuts_at_max_length_without_splitting_a_character(
    text: str, max_length: int, expected: str
) -> None:
    assert clean_text(text, max_length) == expected


def test_a_negative_max_length_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_length"):
        clean_text("x", -1)
    with pytest.raises(ValueError, match="max_length"):
        prepare_free_text("x", -1)


@given(text=st.text(), max_length=st.none() | st.integers(0, 50))
def test_clean_text_output_is_normalised_visible_and_within_the_limit(
    text: str, max_length: int | None
) -> None:
    cleaned = clean_text(text, max_length)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert "\r" not in cleaned
    assert not set(cleaned) & set(INVISIBLES.replace("\u200c", "").replace("\u200d", ""))
    assert all(char in "\n\t" or unicodedata.category(char) != "Cc" for char in cleaned)
    assert max_length is None or len(cleaned) <= max_length
    assert clean_text(cleaned, max_length) == cleaned


# --- prepare_free_text.


def test_prepare_free_text_masks_a_phone_number_split_by_zero_width_spaces() -> None:
    assert prepare_free_text("번호 010\u200b1234\u200b5678") == Redaction(
        "번호 [전화번호]", frozenset({PHONE})
    )


def test_prepare_free_text_applies_the_length_limit_after_masking() -> None:
    text = "메일 gildong.hong@example.com"
    assert len(text) > 8
    assert prepare_free_text(text, 8) == Redaction("메일 [이메일]", frozenset({EMAIL}))


def test_prepare_free_text_drops_a_mask_the_limit_would_cut_and_does_not_report_it() -> None:
    assert prepare_free_text("전화 010-1234-5678 주세요", 8) == Redaction("전화", frozenset())


@given(data=st.data(), max_length=st.integers(0, 60))
def test_prepare_free_text_only_shortens_the_unlimited_result_between_masks(
    data: st.DataObject, max_length: int
) -> None:
    kind = data.draw(st.sampled_from(sorted(PERSONAL_DATA)))
    text = data.draw(st.one_of(st.text(), sentences_with(kind).map(lambda sentence: sentence[0])))
    unlimited = prepare_free_text(text)
    limited = prepare_free_text(text, max_length)
    assert len(limited.text) <= max_length
    assert unlimited.text.startswith(limited.text)
    assert limited.kinds <= unlimited.kinds
    if "[" not in text:  # then every "[" in the result opens a mask, which must be whole
        for mask in MASKS.values():
            assert not any(limited.text.endswith(mask[:end]) for end in range(1, len(mask)))
