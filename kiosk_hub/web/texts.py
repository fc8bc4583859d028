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
    "web_title": {"ko": "내 휴대전화로 참여하기", "en": "Take part on your own phone"},
    "web_intro": {
        "ko": "광화문 키오스크와 같은 설문과 의견 양식입니다. 화면 낭독기로도 답할 수 있습니다.",
        "en": "The same surveys and opinion forms as the kiosk at Gwanghwamoon. "
        "They work with a screen reader.",
    },
    "web_none": {"ko": "지금 참여할 수 있는 양식이 없습니다.", "en": "No form is open now."},
    "web_required": {"ko": "필수", "en": "required"},
    "web_optional": {"ko": "선택", "en": "optional"},
    "web_only_if": {
        "ko": "“{question}”에 {answers}(으)로 답한 경우에만 답해 주세요.",
        "en": "Only if you answered {answers} to “{question}”.",
    },
    "web_yes": {"ko": "예", "en": "Yes"},
    "web_no": {"ko": "아니요", "en": "No"},
    "web_submit": {"ko": "제출하기", "en": "Submit"},
    "web_errors": {"ko": "확인이 필요한 답이 있습니다", "en": "Some answers need attention"},
    "error_required": {
        "ko": "답을 선택하거나 입력해 주세요.",
        "en": "Please answer this question.",
    },
    "error_too_few": {"ko": "{min}개 이상 골라 주세요.", "en": "Pick at least {min}."},
    "error_too_many": {"ko": "{max}개까지 고를 수 있습니다.", "en": "Pick at most {max}."},
    "error_too_long": {
        "ko": "{limit}자 이내로 적어 주세요.",
        "en": "Keep it within {limit} characters.",
    },
    "web_thanks": {"ko": "참여해 주셔서 감사합니다", "en": "Thank you for taking part"},
    "web_receipt": {
        "ko": "접수 번호로 처리 상황을 확인할 수 있습니다.",
        "en": "Your receipt code lets you follow what becomes of it.",
    },
    "web_masked": {
        "ko": "개인정보로 보이는 내용은 가려서 저장했습니다.",
        "en": "What looked like personal details was masked before storing.",
    },
    "web_missing": {"ko": "이 양식은 지금 열려 있지 않습니다.", "en": "This form is not open now."},
    "web_busy": {
        "ko": "요청이 많습니다. 잠시 후 다시 시도해 주세요.",
        "en": "Too many requests: please try again in a few minutes.",
    },
    "web_max_chars": {"ko": "최대 {limit}자", "en": "Up to {limit} characters"},
    "web_consent_item": {"ko": "수집·이용에 동의하십니까?", "en": "do you agree to its use?"},
    "web_agree": {"ko": "동의함", "en": "I agree"},
    "web_disagree": {"ko": "동의하지 않음", "en": "I do not agree"},
    "web_if_agreed": {"ko": "동의한 경우에만 입력", "en": "only if you agreed"},
    "web_contact_missing": {
        "ko": "동의하셨다면 입력해 주세요. 원하지 않으면 ‘동의하지 않음’을 고르세요.",
        "en": "You agreed: please enter it, or choose ‘I do not agree’.",
    },
    "web_contact_invalid": {
        "ko": "형식이 올바르지 않습니다. 다시 확인해 주세요.",
        "en": "This does not look right: please check it.",
    },
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
