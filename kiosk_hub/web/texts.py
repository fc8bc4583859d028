"""Every string the web pages show, in Korean and English (key -> {ko, en})."""

from __future__ import annotations

LANGUAGES = ("ko", "en")

TEXTS: dict[str, dict[str, str]] = {
    "site": {"ko": "광화문 1번가 외교부 참여", "en": "MOFA participation, Gwanghwamoon 1st Street"},
    "skip": {"ko": "본문 바로가기", "en": "Skip to content"},
    "lang_switch": {"ko": "English", "en": "한국어"},
    "lang_label": {"ko": "언어 선택", "en": "Choose language"},
    "receipt_title": {"ko": "접수 확인", "en": "Your receipt"},
    "receipt_code": {"ko": "접수 번호", "en": "Receipt code"},
    "receipt_submitted": {"ko": "접수일", "en": "Received on"},
    "receipt_state": {"ko": "처리 상태", "en": "Status"},
    "receipt_progress": {"ko": "진행률", "en": "Progress"},
    "receipt_answer": {"ko": "외교부 답변", "en": "The Ministry's answer"},
    "receipt_no_answer": {
        "ko": "아직 답변이 없습니다. 접수된 의견은 한 달 안에 검토 결과를 알려 드립니다.",
        "en": "No answer yet. The Ministry reviews every submission and answers within a month.",
    },
    "receipt_timeline": {"ko": "처리 경과", "en": "Timeline"},
    "receipt_feed": {"ko": "의견이 반영된 내용", "en": "You said, we did"},
    "receipt_privacy": {
        "ko": "이 페이지에는 작성하신 내용이나 개인정보가 표시되지 않습니다.",
        "en": "This page never shows what you wrote or anything personal.",
    },
    "receipt_unknown_title": {"ko": "접수 번호를 찾을 수 없습니다", "en": "Receipt not found"},
    "receipt_unknown": {
        "ko": "번호를 다시 확인해 주세요. 키오스크에서 방금 접수했다면 전송에 몇 분이 걸릴 수 "
        "있습니다. 잠시 후 다시 시도해 주세요.",
        "en": "Please check the code. If you have just answered at the kiosk, it can take a few "
        "minutes to arrive: try again a little later.",
    },
    "receipt_lookup": {"ko": "접수 번호 조회", "en": "Look up a receipt"},
    "receipt_lookup_button": {"ko": "조회", "en": "Look up"},
    "receipt_lookup_hint": {"ko": "예: ABCD-EFGH", "en": "For example ABCD-EFGH"},
    "state_received": {"ko": "접수", "en": "Received"},
    "state_under_review": {"ko": "검토 중", "en": "Under review"},
    "state_answered": {"ko": "답변 완료", "en": "Answered"},
    "state_adopted": {"ko": "채택", "en": "Adopted"},
    "state_partly_adopted": {"ko": "부분 채택", "en": "Partly adopted"},
    "state_not_adopted": {"ko": "미채택", "en": "Not adopted"},
    "state_implemented": {"ko": "이행 완료", "en": "Implemented"},
    "footer": {"ko": "대한민국 외교부", "en": "Ministry of Foreign Affairs, Republic of Korea"},
}


def text(key: str, language: str) -> str:
    """The text of `key` in `language` (Korean when the language is unknown)."""
    entry = TEXTS[key]
    return entry.get(language, entry["ko"])


def language_of(given: str | None, accept: str | None = None) -> str:
    """`?lang=` when valid, else the browser's first preference of ko/en, else Korean."""
    if given in LANGUAGES:
        return str(given)
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "ko"
