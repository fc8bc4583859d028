"""Every visitor-facing string of the kiosk's own, in Korean and English (forms bring their own)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "app.name": {"ko": "광화문 1번가 열린소통포럼", "en": "Gwanghwamoon 1st Street Open Forum"},
    "app.ministry": {"ko": "외교부 공공외교센터", "en": "MOFA Public Diplomacy Center"},
    "app.ministry_name": {"ko": "외교부", "en": "Ministry of Foreign Affairs"},
    "scroll.more": {"ko": "아래에 더 있습니다", "en": "More below"},
    "attract.headline": {
        "ko": "외교 정책에 여러분의 목소리를",
        "en": "Your voice in foreign policy",
    },
    "attract.body": {
        "ko": "설문에 답하고 의견과 정책 제안을 남겨 주세요.",
        "en": "Answer a quick survey, share an opinion or propose a policy.",
    },
    "attract.touch": {"ko": "화면을 눌러 시작하세요", "en": "Touch the screen to start"},
    "attract.start_in": {"ko": "{name}로 시작하기", "en": "Start in {name}"},
    "attract.voice": {
        "ko": "음성 안내가 필요하면 키패드의 {keypad_key} 키를 누르세요",
        "en": "For voice guidance, press {keypad_key} on the keypad",
    },
    "attract.card_invitation": {"ko": "참여해 주세요", "en": "Take part"},
    "attract.card_result": {"ko": "지금까지의 결과", "en": "Results so far"},
    "attract.card_feed": {"ko": "의견이 이렇게 반영되었습니다", "en": "You said, we did"},
    "restart.title": {"ko": "처음으로 돌아갈까요?", "en": "Start over?"},
    "restart.body": {
        "ko": "지금까지 고른 답과 입력한 내용은 지워집니다.",
        "en": "The answers you gave so far will be cleared.",
    },
    "restart.confirm": {"ko": "처음으로", "en": "Start over"},
    "restart.keep": {"ko": "계속 답하기", "en": "Keep going"},
    "scale.likert_2": {"ko": "그렇지 않다", "en": "disagree"},
    "scale.likert_3": {"ko": "보통이다", "en": "neither agree nor disagree"},
    "scale.likert_4": {"ko": "그렇다", "en": "agree"},
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
        "ko": "답을 고르거나 입력해야 다음으로 넘어갈 수 있습니다.",
        "en": "Choose or write an answer to go on.",
    },
    "error.too_few": {
        "ko": "{min}개 이상 골라 주세요. 답을 눌러 더 고르세요.",
        "en": "Choose at least {min}: tap an answer to add it.",
    },
    "error.too_many": {
        "ko": "{max}개까지 고를 수 있습니다. 고른 답을 눌러 빼 주세요.",
        "en": "Choose up to {max}: tap a chosen answer to remove it.",
    },
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
    "thanks.more_time": {"ko": "시간 더 주세요", "en": "More time"},
    "thanks.countdown": {
        "ko": "{seconds}초 뒤 처음 화면으로 돌아갑니다.",
        "en": "Back to the start in {seconds} seconds.",
    },
    "thanks.rated": {
        "ko": "평가해 주셔서 감사합니다.",
        "en": "Thank you for rating your visit.",
    },
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
    "keyboard.shift": {"ko": "⇧", "en": "⇧"},
    "keyboard.backspace": {"ko": "⌫", "en": "⌫"},
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
    "easy.volume": {"ko": "음량 {percent}%", "en": "Volume {percent}%"},
    "easy.rate": {"ko": "빠르기 {level}", "en": "Speed {level}"},
    "easy.volume_down": {"ko": "음량 줄이기", "en": "Volume down"},
    "easy.volume_up": {"ko": "음량 키우기", "en": "Volume up"},
    "easy.slower": {"ko": "느리게 읽기", "en": "Read slower"},
    "easy.faster": {"ko": "빠르게 읽기", "en": "Read faster"},
    "easy.selected": {"ko": "선택됨", "en": "selected"},
    "easy.text_field": {"ko": "글 입력 칸", "en": "Text box"},
    "easy.keyboard": {
        "ko": "글자판이 열렸습니다. 화살표 키로 글자를 고르고 확인 키로 입력하세요. 완료 키로 닫습니다.",
        "en": "The keyboard is open. Choose a key with the arrow keys and press Enter to type it. Done closes it.",
    },
    "easy.typed_space": {"ko": "띄어쓰기", "en": "space"},
    "easy.deleted": {"ko": "지움", "en": "deleted"},
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
    # -- staff maintenance screens and the out-of-service notice (issue 4) -------------------
    "oos.title": {"ko": "잠시 이용을 멈춥니다", "en": "Temporarily unavailable"},
    "oos.body": {
        "ko": "키오스크를 점검하고 있습니다. 이용에 불편을 드려 죄송합니다. 곧 다시 찾아 주세요.",
        "en": "This kiosk is being serviced. We apologise for the inconvenience; please come back soon.",
    },
    "staff.title": {"ko": "직원 관리 화면", "en": "Staff maintenance"},
    "staff.pin.login": {"ko": "직원 PIN을 입력하세요", "en": "Enter the staff PIN"},
    "staff.pin.quit": {
        "ko": "바탕화면으로 나가려면 PIN을 다시 입력하세요",
        "en": "Enter the PIN again to quit to the desktop",
    },
    "staff.pin.change_old": {"ko": "지금 PIN을 입력하세요", "en": "Enter the current PIN"},
    "staff.pin.change_new": {"ko": "새 PIN (숫자 4~12자리)", "en": "New PIN (4-12 digits)"},
    "staff.pin.change_confirm": {"ko": "새 PIN을 한 번 더", "en": "The new PIN once more"},
    "staff.pin.ok": {"ko": "확인", "en": "OK"},
    "staff.pin.clear": {"ko": "지우기", "en": "Clear"},
    "staff.pin.cancel": {"ko": "취소", "en": "Cancel"},
    "staff.pin.wrong": {
        "ko": "PIN이 틀렸습니다. {left}번 더 틀리면 잠깁니다.",
        "en": "Wrong PIN. {left} more wrong tries lock the pad.",
    },
    "staff.pin.locked": {
        "ko": "잘못된 입력이 많아 {seconds}초 동안 잠겼습니다.",
        "en": "Too many wrong PINs: locked for {seconds} seconds.",
    },
    "staff.pin.not_set": {
        "ko": "PIN이 설정되지 않았습니다. IT 담당자가 `kiosk set-pin`으로 설정하세요.",
        "en": "No PIN is set. IT: run `kiosk set-pin` first.",
    },
    "staff.pin.bad_format": {
        "ko": "PIN은 숫자 4~12자리여야 합니다.",
        "en": "A PIN has 4 to 12 digits.",
    },
    "staff.pin.mismatch": {
        "ko": "두 PIN이 다릅니다. 처음부터 다시 하세요.",
        "en": "The two PINs differ. Start again.",
    },
    "staff.pin.changed": {"ko": "PIN을 바꾸었습니다.", "en": "The PIN is changed."},
    "staff.nav.dashboard": {"ko": "현황", "en": "Dashboard"},
    "staff.nav.results": {"ko": "결과", "en": "Results"},
    "staff.nav.export": {"ko": "내보내기", "en": "Export"},
    "staff.nav.actions": {"ko": "작업", "en": "Actions"},
    "staff.nav.audit": {"ko": "기록", "en": "Audit log"},
    "staff.nav.logout": {"ko": "나가기", "en": "Log out"},
    "staff.dash.form": {"ko": "양식", "en": "Form"},
    "staff.dash.today": {"ko": "오늘", "en": "Today"},
    "staff.dash.week": {"ko": "이번 주", "en": "This week"},
    "staff.dash.total": {"ko": "전체", "en": "Total"},
    "staff.dash.abandoned": {
        "ko": "중도 이탈 비율: {share} ({abandoned}/{total})",
        "en": "Abandoned visits: {share} ({abandoned} of {total})",
    },
    "staff.dash.sync": {
        "ko": "전송: 대기 {queued} · 격리 {quarantined} · 마지막 성공 {last_success} · 마지막 오류 {last_error}",
        "en": "Sync: {queued} queued · {quarantined} quarantined · last success {last_success} · last error {last_error}",
    },
    "staff.dash.sync_reasons": {
        "ko": "격리된 응답의 사유:",
        "en": "Why responses were quarantined:",
    },
    "staff.dash.sync_off": {
        "ko": "전송이 설정되지 않았습니다 (대기 {queued}건)",
        "en": "Sync is not configured ({queued} responses waiting)",
    },
    "staff.dash.disk": {
        "ko": "남은 디스크 {free} · 데이터베이스 {db}",
        "en": "Free disk {free} · database {db}",
    },
    "staff.dash.versions": {
        "ko": "콘텐츠 {content} · 앱 {app} · 가동 {uptime}",
        "en": "Content {content} · app {app} · up {uptime}",
    },
    "staff.dash.out_of_service": {"ko": "현재 운영 중지 상태입니다", "en": "Now out of service"},
    "staff.results.range": {"ko": "기간", "en": "Dates"},
    "staff.results.summary": {
        "ko": "응답 {responses}건 (중도 이탈 {abandoned}건)",
        "en": "{responses} responses ({abandoned} abandoned)",
    },
    "staff.results.answered": {
        "ko": "{answered}명 응답 · 평균 {mean}",
        "en": "{answered} answered · mean {mean}",
    },
    "staff.results.answered_plain": {"ko": "{answered}명 응답", "en": "{answered} answered"},
    "staff.results.page": {"ko": "{page} / {pages} 쪽", "en": "Page {page} of {pages}"},
    "staff.results.none": {
        "ko": "이 기간에 응답이 없습니다.",
        "en": "No responses in these dates.",
    },
    "staff.results.choose_dates": {"ko": "기간 지정", "en": "Choose dates"},
    "staff.results.apply": {"ko": "적용", "en": "Apply"},
    "staff.prev": {"ko": "이전", "en": "Previous"},
    "staff.next": {"ko": "다음", "en": "Next"},
    "staff.export.format": {"ko": "형식", "en": "Format"},
    "staff.export.drive": {"ko": "USB 드라이브", "en": "USB drive"},
    "staff.export.no_drive": {
        "ko": "USB 드라이브가 없습니다. 꽂은 뒤 새로고침을 누르세요.",
        "en": "No USB drive found. Plug one in and press Refresh.",
    },
    "staff.export.refresh": {"ko": "새로고침", "en": "Refresh"},
    "staff.export.forms": {"ko": "양식 (선택 없음 = 전체)", "en": "Forms (none chosen = all)"},
    "staff.export.start": {"ko": "내보내기 시작", "en": "Start export"},
    "staff.export.running": {
        "ko": "내보내는 중… {done} / {total}",
        "en": "Exporting… {done} of {total}",
    },
    "staff.export.done": {
        "ko": "완료: 응답 {responses}건, 파일 {files}개 → {path}",
        "en": "Done: {responses} responses in {files} files → {path}",
    },
    "staff.export.failed": {"ko": "내보내기 실패: {reason}", "en": "Export failed: {reason}"},
    "staff.actions.sync": {"ko": "지금 전송", "en": "Sync now"},
    "staff.actions.sync_off": {
        "ko": "전송이 설정되지 않았습니다.",
        "en": "Sync is not configured.",
    },
    "staff.actions.sync_started": {
        "ko": "전송을 시작했습니다.",
        "en": "Sync started.",
    },
    "staff.actions.sync_running": {
        "ko": "이미 전송 중입니다. 추가 작업은 없습니다. ({reason})",
        "en": "A send is already running; nothing more to do. ({reason})",
    },
    "staff.actions.import": {"ko": "USB에서 콘텐츠 가져오기", "en": "Import content from USB"},
    "staff.actions.no_pack": {
        "ko": "USB에 kiosk-content 폴더가 없습니다.",
        "en": "No kiosk-content folder on a USB drive.",
    },
    "staff.actions.pack_invalid": {
        "ko": "콘텐츠에 문제가 있어 가져오지 않았습니다:\n{problems}",
        "en": "The content has problems and was not imported:\n{problems}",
    },
    "staff.actions.preview": {
        "ko": "추가 {added} · 변경 {changed} · 삭제 {removed} · 그대로 {unchanged}",
        "en": "Added {added} · changed {changed} · removed {removed} · unchanged {unchanged}",
    },
    "staff.actions.import_failed": {
        "ko": "콘텐츠를 설치하지 못했습니다: {reason}",
        "en": "The content could not be installed: {reason}",
    },
    "staff.actions.apply": {"ko": "이 콘텐츠 적용", "en": "Apply this content"},
    "staff.actions.applied": {
        "ko": "콘텐츠 {version}을(를) 적용했습니다. 다음 첫 화면부터 보입니다.",
        "en": "Content {version} applied; visitors see it from the next start screen.",
    },
    "staff.actions.oos_on": {"ko": "운영 중지", "en": "Put out of service"},
    "staff.actions.oos_off": {"ko": "운영 재개", "en": "Back in service"},
    "staff.actions.change_pin": {"ko": "PIN 바꾸기", "en": "Change PIN"},
    "staff.actions.quit": {"ko": "바탕화면으로 나가기 (IT)", "en": "Quit to desktop (IT)"},
    "staff.actions.quit_confirm": {
        "ko": "키오스크를 닫고 바탕화면으로 나갈까요? 방문객은 이용할 수 없게 됩니다.",
        "en": "Close the kiosk and go to the desktop? Visitors cannot use it until it restarts.",
    },
    "staff.actions.quit_yes": {"ko": "예, 나갑니다", "en": "Yes, quit"},
    "staff.actions.quit_no": {"ko": "아니요", "en": "No"},
    "staff.audit.empty": {"ko": "기록이 없습니다.", "en": "Nothing recorded yet."},
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


def both(key: str, **values: Any) -> str:
    """Korean and English on one line, for the staff screens (staff may read either)."""
    return f"{text(key, 'ko', **values)}  /  {text(key, 'en', **values)}"


def localized(value: dict[str, str] | None, language: str) -> str:
    """A content text in the visitor's language, falling back to Korean, then English."""
    if not value:
        return ""
    return value.get(language) or value.get("ko") or value.get("en") or ""
