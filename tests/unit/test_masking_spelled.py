"""Personal data written out to get past a filter: phone numbers in Korean digit words and e-mail
addresses with "at" and "dot" spelled out are masked; ordinary text with numbers in words is not."""

from __future__ import annotations

import pytest

from kiosk.privacy.masking import EMAIL, PHONE, Redaction, prepare_free_text, redact_report

SPELLED = [
    # The audit's cases.
    ("연락처 공일공-4321-8765 로 주세요", "연락처 [전화번호] 로 주세요", PHONE),
    ("kim at example dot com", "[이메일]", EMAIL),
    # Digit words, with and without separators, mixed with digits, a particle right after.
    ("영일영 일이삼사 오육칠팔이에요", "[전화번호]이에요", PHONE),
    ("번호는 공일공사삼이일팔칠육오입니다", "번호는 [전화번호]입니다", PHONE),
    ("공일공 1234 오육칠팔로 연락 주세요", "[전화번호]로 연락 주세요", PHONE),
    ("사무실 공이-칠삼일-이삼사오", "사무실 [전화번호]", PHONE),
    ("빵일빵-구팔칠육-오사삼이", "[전화번호]", PHONE),
    ("핸드폰 영일육 이이이 삼삼삼삼", "핸드폰 [전화번호]", PHONE),
    # E-mail addresses spelled out in English and Korean.
    ("메일은 kim 골뱅이 example 점 com 입니다", "메일은 [이메일] 입니다", EMAIL),
    ("hong(at)naver(dot)com 으로", "[이메일] 으로", EMAIL),
    ("write to jane.doe [at] mofa [dot] go [dot] kr please", "write to [이메일] please", EMAIL),
    ("lee 앳 naver 닷컴", "[이메일]", EMAIL),
    ("Kim AT Example DOT Com", "[이메일]", EMAIL),
    ("park at daum.net", "[이메일]", EMAIL),
]


@pytest.mark.parametrize(("text", "expected", "kind"), SPELLED)
def test_written_out_phone_numbers_and_emails_are_masked(
    text: str, expected: str, kind: str
) -> None:
    assert redact_report(text) == Redaction(expected, frozenset({kind}))
    assert prepare_free_text(text).text == expected


ORDINARY = [
    "오늘 일이 많아서 이사를 갔어요",
    "이천이십사년 십이월 삼일에 오십 명이 왔어요",
    "일이삼사오육칠팔구 세어 봤어요",
    "공공기관 일 처리가 너무 늦어요",
    "영사 업무가 일주일 걸렸어요",
    "사람이 오십 명 넘게 이 층에 있었어요",
    "이사 오 일 전에 일이 생겼어요",
    "구십구 퍼센트 만족합니다",
    "공일 년에 한 번 이상 방문합니다",
    "영어 안내가 이 삼 일 늦었어요",
    "Look at the dot com bubble",
    "we met at noon. dot the i",
    "call me at home dot com lol",
    "I looked at the point",
    "점심 이후 사무실 점 검사 예정",
    "at least one dot matters",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_sentences_with_numbers_in_words_are_left_alone(text: str) -> None:
    assert redact_report(text) == Redaction(text, frozenset())
