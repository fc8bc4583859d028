"""Every visitor-facing string of the kiosk's own, in Korean and English (forms bring their own)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "app.name": {"ko": "광화문 1번가 열린소통포럼", "en": "Gwanghwamoon 1st Street Open Forum"},
    "app.ministry": {"ko": "외교부 공공외교센터", "en": "MOFA Public Diplomacy Center"},
    "attract.headline": {
        "ko": "외교 정책에 여러분의 목소리를",
        "en": "Your voice in foreign policy",
    },
    "attract.body": {
        "ko": "설문에 답하고 의견과 정책 제안을 남겨 주세요.",
        "en": "Answer a quick survey, share an opinion or propose a policy.",
    },
    "attract.touch": {"ko": "화면을 눌러 시작하세요", "en": "Touch the screen to start"},
    "language.prompt": {"ko": "언어를 선택하세요", "en": "Choose your language"},
    "home.title": {"ko": "참여할 주제를 고르세요", "en": "Choose how to take part"},
    "home.empty": {
        "ko": "지금은 진행 중인 설문이 없습니다. 잠시 후 다시 찾아 주세요.",
        "en": "No survey is open right now. Please come back later.",
    },
    "kind.survey": {"ko": "설문", "en": "Survey"},
    "kind.opinion": {"ko": "의견", "en": "Opinion"},
    "kind.proposal_call": {"ko": "정책 제안 공모", "en": "Call for proposals"},
    "nav.back": {"ko": "이전", "en": "Back"},
    "nav.next": {"ko": "다음", "en": "Next"},
    "nav.submit": {"ko": "제출하기", "en": "Submit"},
    "nav.start": {"ko": "시작하기", "en": "Start"},
    "nav.restart": {"ko": "처음으로", "en": "Start over"},
    "nav.quit_form": {"ko": "그만하기", "en": "Stop"},
    "nav.other_language": {"ko": "English", "en": "한국어"},
    "briefing.source": {"ko": "출처: {source}", "en": "Source: {source}"},
    "briefing.as_of": {"ko": "{date} 기준", "en": "As of {date}"},
    "question.progress": {
        "ko": "{total}문항 중 {current}번째",
        "en": "Question {current} of {total}",
    },
    "question.optional": {"ko": "선택 문항", "en": "Optional"},
    "question.pick_up_to": {"ko": "{min}~{max}개 고르세요", "en": "Pick {min} to {max}"},
    "question.counter": {"ko": "{used} / {limit}자", "en": "{used} / {limit} characters"},
    "question.placeholder": {"ko": "여기를 눌러 입력하세요", "en": "Tap here to write"},
    "answer.yes": {"ko": "예", "en": "Yes"},
    "answer.no": {"ko": "아니요", "en": "No"},
    "error.required": {
        "ko": "답을 선택하거나 입력해 주세요.",
        "en": "Please answer this question.",
    },
    "error.too_few": {"ko": "{min}개 이상 골라 주세요.", "en": "Please pick at least {min}."},
    "error.too_many": {"ko": "{max}개까지 고를 수 있습니다.", "en": "You can pick up to {max}."},
    "error.too_long": {
        "ko": "{limit}자까지 쓸 수 있습니다. 조금 줄여 주세요.",
        "en": "Please shorten your text to {limit} characters.",
    },
    "error.save_failed": {
        "ko": "저장하지 못했습니다. 잠시 후 다시 눌러 주세요. 계속되면 직원에게 알려 주세요.",
        "en": "Your answers could not be saved. Please try again; if it happens again, tell a staff member.",
    },
    "thanks.title": {"ko": "감사합니다", "en": "Thank you"},
    "thanks.survey": {
        "ko": "응답이 저장되었습니다. 소중한 의견은 외교 정책에 참고됩니다.",
        "en": "Your answers are saved and will inform the Ministry's policy work.",
    },
    "thanks.opinion": {
        "ko": "의견이 저장되었습니다. 담당 부서에서 읽고 검토합니다.",
        "en": "Your opinion is saved. The responsible team will read and consider it.",
    },
    "thanks.proposal_call": {
        "ko": "제안이 접수되었습니다. 검토 결과는 광화문 1번가에 공개됩니다.",
        "en": "Your proposal is received. The review results will be published at Gwanghwamoon 1st Street.",
    },
    "thanks.abandoned_note": {"ko": "", "en": ""},
    "thanks.another": {"ko": "다른 주제 참여하기", "en": "Take part in another topic"},
    "thanks.finish": {"ko": "마치기", "en": "Finish"},
    "idle.title": {"ko": "아직 이용 중이신가요?", "en": "Are you still there?"},
    "idle.body": {
        "ko": "{seconds}초 뒤 처음 화면으로 돌아가며, 입력한 내용은 지워집니다.",
        "en": "In {seconds} seconds the kiosk starts over and clears what you entered.",
    },
    "idle.continue": {"ko": "계속하기", "en": "Continue"},
    "fatal.title": {"ko": "잠시 점검 중입니다", "en": "Temporarily out of order"},
    "fatal.body": {
        "ko": "곧 다시 시작합니다. 불편을 드려 죄송합니다.",
        "en": "The kiosk is restarting. We apologise for the inconvenience.",
    },
    # -- sync (issue 3): for the staff's maintenance screen; one key per SyncStatus.state ------
    "sync.state.off": {"ko": "동기화 꺼짐", "en": "Sync off"},
    "sync.state.idle": {"ko": "동기화 켜짐", "en": "Sync on"},
    "sync.state.sending": {"ko": "전송 중", "en": "Sending"},
    "sync.state.waiting": {"ko": "재시도 대기 중", "en": "Waiting to retry"},
    "sync.state.blocked": {
        "ko": "동기화 중단: 기기 토큰을 확인하세요",
        "en": "Sync blocked: check the device token",
    },
    "sync.state.stopped": {"ko": "동기화 멈춤", "en": "Sync stopped"},
    "sync.counts": {
        "ko": "대기 {queued}건 · 전송 완료 {sent}건 · 격리 {quarantined}건",
        "en": "{queued} queued · {sent} sent · {quarantined} quarantined",
    },
    "sync.now": {"ko": "지금 동기화", "en": "Sync now"},
    "sync.now_busy": {
        "ko": "이미 전송 중입니다. 끝나면 이어서 보냅니다.",
        "en": "A send is already running; the rest follows by itself.",
    },
}


def text(key: str, language: str, **values: Any) -> str:
    """The string for `key` in `language` (English if that language lacks it), formatted."""
    entry = TEXTS[key]
    template = entry.get(language) or entry["en"]
    return template.format(**values) if values else template


def localized(value: dict[str, str] | None, language: str) -> str:
    """A content text in the visitor's language, falling back to Korean, then English."""
    if not value:
        return ""
    return value.get(language) or value.get("ko") or value.get("en") or ""
