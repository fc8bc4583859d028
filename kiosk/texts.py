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
    # -- on-screen keyboard and easy mode (issue 5) --
    "keyboard.shift": {"ko": "Shift", "en": "Shift"},
    "keyboard.backspace": {"ko": "지우기", "en": "Delete"},
    "keyboard.space": {"ko": "띄어쓰기", "en": "Space"},
    "keyboard.language": {"ko": "한/영", "en": "한/영"},
    "keyboard.symbols": {"ko": "?123", "en": "?123"},
    "keyboard.back_to_ko": {"ko": "가나다", "en": "가나다"},
    "keyboard.back_to_en": {"ko": "ABC", "en": "ABC"},
    "keyboard.done": {"ko": "완료", "en": "Done"},
    "easy.button": {"ko": "쉬운 모드", "en": "Easy mode"},
    "easy.attract_button": {
        "ko": "쉬운 모드 (큰 글씨·음성 안내)",
        "en": "Easy mode (large text, voice)",
    },
    "easy.turned_on": {
        "ko": "쉬운 모드를 켰습니다. 화살표 키로 이동하고 확인 키로 누르세요.",
        "en": "Easy mode is on. Use the arrow keys to move and Enter to press.",
    },
    "easy.banner": {
        "ko": "쉬운 모드\n큰 글씨와 음성 안내로 이용하세요. 버튼은 모두 화면 아래쪽에 있습니다.",
        "en": "Easy mode\nLarge text and voice guidance. All buttons are in the lower part of the screen.",
    },
    "easy.volume": {"ko": "음량 {percent}%", "en": "Volume {percent}%"},
    "easy.rate": {"ko": "빠르기 {level}", "en": "Speed {level}"},
    "easy.volume_down": {"ko": "음량 줄이기", "en": "Volume down"},
    "easy.volume_up": {"ko": "음량 키우기", "en": "Volume up"},
    "easy.slower": {"ko": "느리게 읽기", "en": "Read slower"},
    "easy.faster": {"ko": "빠르게 읽기", "en": "Read faster"},
    "easy.selected": {"ko": "선택됨", "en": "selected"},
    "easy.text_field": {"ko": "글 입력 칸", "en": "Text box"},
    # -- issue 6: privacy (masking notice, consent, contact details) ------------------------
    "privacy.masked": {
        "ko": "개인정보 보호를 위해 {kinds}을(를) 가렸습니다. 가린 내용은 어디에도 저장되지 않습니다. "
        "이대로 보내려면 '{next}'을(를) 누르세요.",
        "en": "To protect your privacy we masked {kinds}. What was masked is not stored anywhere. "
        "Press '{next}' to send it like this.",
    },
    "privacy.kind.rrn": {"ko": "주민등록번호", "en": "a registration number"},
    "privacy.kind.phone": {"ko": "전화번호", "en": "a phone number"},
    "privacy.kind.email": {"ko": "이메일 주소", "en": "an email address"},
    "privacy.kind.card": {"ko": "카드 번호", "en": "a card number"},
    "privacy.kind.separator": {"ko": ", ", "en": ", "},
    "consent.agree": {"ko": "동의함", "en": "I agree"},
    "consent.refuse": {"ko": "동의하지 않음", "en": "I do not agree"},
    "consent.continue": {"ko": "다음", "en": "Next"},
    "consent.no_thanks": {"ko": "연락처 남기지 않기", "en": "No contact details"},
    "consent.choose_each": {
        "ko": "항목마다 '동의함' 또는 '동의하지 않음'을 골라 주세요.",
        "en": "Please choose 'I agree' or 'I do not agree' for each item.",
    },
    "contact.title": {"ko": "연락처를 입력해 주세요", "en": "Your contact details"},
    "contact.note": {
        "ko": "입력한 연락처는 바로 암호화되어 외교부만 열어볼 수 있습니다.",
        "en": "What you enter is encrypted at once; only the Ministry can open it.",
    },
    "contact.email_placeholder": {"ko": "예: name@example.com", "en": "e.g. name@example.com"},
    "contact.phone_placeholder": {"ko": "예: 010-1234-5678", "en": "e.g. 010-1234-5678"},
    "contact.send": {"ko": "보내기", "en": "Send"},
    "contact.skip": {"ko": "남기지 않고 마치기", "en": "Finish without them"},
    "contact.invalid_email": {
        "ko": "이메일 주소 형식이 맞지 않습니다. 예: name@example.com",
        "en": "That email address does not look right. Example: name@example.com",
    },
    "contact.invalid_phone": {
        "ko": "휴대전화 번호 형식이 맞지 않습니다. 예: 010-1234-5678",
        "en": "That mobile number does not look right. Example: 010-1234-5678",
    },
    "contact.empty": {
        "ko": "연락처를 입력하거나 '남기지 않고 마치기'를 눌러 주세요.",
        "en": "Enter your details, or press 'Finish without them'.",
    },
    # -- closing the loop (issue 7): receipts, live results, "you said, we did" -------------------
    "receipt.title": {"ko": "접수 번호", "en": "Your receipt code"},
    "receipt.body": {
        "ko": "이 번호나 QR 코드로 처리 상황을 확인할 수 있습니다. 번호는 개인정보와 연결되지 않습니다.",
        "en": "Use this code or the QR code to follow what happens next. It is not linked to you.",
    },
    "results.title": {"ko": "지금까지의 결과", "en": "Results so far"},
    "results.responses": {"ko": "{count}명 응답", "en": "{count} responses"},
    "results.row": {"ko": "{percent}% ({count}명)", "en": "{percent}% ({count})"},
    "results.hidden": {
        "ko": "응답이 {k}명 이상 모이면 결과를 보여 드립니다.",
        "en": "Results appear once at least {k} people have answered.",
    },
    "feed.tile": {"ko": "의견이 이렇게 반영되었습니다", "en": "You said, we did"},
    "feed.tile_summary": {
        "ko": "시민 제안과 의견의 처리 결과를 확인하세요",
        "en": "See what became of citizens' suggestions",
    },
    "feed.title": {"ko": "의견이 이렇게 반영되었습니다", "en": "You said, we did"},
    "feed.updated": {"ko": "{age} 전에 받은 소식", "en": "Updated {age} ago"},
    "feed.updated_now": {"ko": "방금 받은 소식", "en": "Updated just now"},
    "feed.stale": {
        "ko": "최근 소식을 받지 못했습니다. 마지막으로 받은 내용입니다.",
        "en": "No recent update could be fetched; this is the last copy received.",
    },
    "feed.sample": {
        "ko": "예시 내용입니다. 아직 외교부 서버에서 소식을 받지 못했습니다.",
        "en": "Sample content: nothing has been received from the Ministry's server yet.",
    },
    "feed.empty": {"ko": "아직 전할 소식이 없습니다.", "en": "No news yet."},
    "feed.status.received": {"ko": "접수", "en": "Received"},
    "feed.status.under_review": {"ko": "검토 중", "en": "Under review"},
    "feed.status.reflected": {"ko": "정책 반영", "en": "Reflected in policy"},
    "feed.status.not_adopted": {"ko": "미채택", "en": "Not adopted"},
    "feed.reason": {"ko": "사유: {reason}", "en": "Reason: {reason}"},
    "feed.progress": {"ko": "진행 {percent}%", "en": "{percent}% done"},
    "feed.briefing": {"ko": "배경 설명 보기", "en": "Read the background"},
    "feed.close": {"ko": "닫기", "en": "Close"},
    "age.minutes": {"ko": "{n}분", "en": "{n} min"},
    "age.hours": {"ko": "{n}시간", "en": "{n} h"},
    "age.days": {"ko": "{n}일", "en": "{n} days"},
    "topic.briefing": {"ko": "이 주제의 배경 설명 보기", "en": "Background on this topic"},
    "highlight.result": {
        "ko": "「{question}」\n{answer} {percent}% · {count}명 응답",
        "en": "“{question}”\n{answer}: {percent}% · {count} responses",
    },
    "highlight.feed": {"ko": "[{status}] {title}", "en": "[{status}] {title}"},
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
