"""One question per screen: progress, the question, its answer widget, validation, back/next.

A single choice, yes/no or scale answer is the whole answer: one tap shows it chosen for a moment
(CONFIRM_MS) and goes on; "back" returns to it. A short briefing shares the first question's screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.records import AnswerValue
from kiosk.i18n.texts import N_, localized, text
from kiosk.ui.answers import AnswerWidget, FreeTextAnswer, answer_widget
from kiosk.ui.icons import FORM_ICONS
from kiosk.ui.phone_form_card import PhoneFormCard
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import (
    IconLabel,
    ScrollPane,
    TopBar,
    Zones,
    make_button,
    make_label,
    take_widgets,
)
from kiosk.visit.flow import SessionView

# How long a one-tap answer shows as chosen before the next question comes.
CONFIRM_MS = 400
# At most this many answer widgets kept for reuse (a form's questions in two languages, and more).
KEPT_ANSWERS = 64
KIND_ICONS = {
    "likert": "scale",
    "rating": "rating",
    "nps": "scale",
    "single_choice": "single",
    "multi_choice": "multi",
    "yes_no": "yesno",
    "free_text": "text",
}


class QuestionScreen(QWidget):
    """Renders the question on screen; emits what the visitor did."""

    answered = Signal(object)
    next_requested = Signal()
    back_requested = Signal()
    topic_briefing_requested = Signal(object)  # the picked topic's content Briefing

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        zones = Zones(self, theme, spacing_mm=Space.M)
        self.top = TopBar(theme)
        self.form_title = make_label("muted")
        self.progress_text = make_label("muted", name="progressText")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.prompt = make_label("question", name="questionText")
        self.hint = make_label("muted", name="questionHint")
        self.message = make_label("error", name="validationMessage")
        self.briefing = QFrame()
        self.briefing.setObjectName("sharedBriefing")
        self.briefing.setProperty("role", "card")
        briefing_layout = QVBoxLayout(self.briefing)
        self.briefing_title = make_label("title", name="sharedBriefingTitle")
        self.briefing_body = make_label(name="sharedBriefingBody")
        self.briefing_source = make_label("muted", name="sharedBriefingSource")
        for label in (self.briefing_title, self.briefing_body, self.briefing_source):
            briefing_layout.addWidget(label)
        self.briefing_box = self.briefing  # read in the reading zone: short by rule, no scroll bar
        self.briefing_box.hide()
        self.privacy_notice = make_label("notice", name="privacyNotice")
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        self._scroll = ScrollPane(theme, self._body)
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(Space.M))
        self.back = make_button(name="backButton", icon="back")
        self.next = make_button("primary", name="nextButton", icon="next")
        nav.addWidget(self.back, 1)  # a pair: the same size
        nav.addWidget(self.next, 1)
        # Read at the top of the panel: where the visitor is, and the question.
        # The question's kind as a picture beside the question (scale, choice, yes/no, text).
        self.kind_icon = IconLabel("scale", scale=1.0)
        self.kind_icon.setObjectName("questionKindIcon")
        progress_row = QHBoxLayout()
        progress_row.setSpacing(theme.mm(Space.S))
        progress_row.addWidget(self.kind_icon, 0, Qt.AlignmentFlag.AlignTop)
        progress_row.addWidget(self.progress_text, 1)
        # Beside where the visitor is: this form on their own phone (read, never touched).
        self.phone = PhoneFormCard(theme)
        where = QVBoxLayout()
        where.setSpacing(theme.mm(Space.S))
        where.addWidget(self.form_title)
        where.addLayout(progress_row)
        where.addWidget(self.progress)
        head = QHBoxLayout()
        head.setSpacing(theme.mm(Space.M))
        head.addLayout(where, 1)
        head.addWidget(self.phone, 0, Qt.AlignmentFlag.AlignTop)
        # The question, large, under the form's icon (the home screen's tile icon for its kind).
        self.form_icon = IconLabel("survey", scale=1.2)
        self.form_icon.setObjectName("formIcon")
        self.form_icon.setProperty("role", "question")  # drawn at the question's type size
        prompt_row = QHBoxLayout()
        prompt_row.setSpacing(theme.mm(Space.M))
        prompt_row.addWidget(self.form_icon, 0, Qt.AlignmentFlag.AlignTop)
        prompt_row.addWidget(self.prompt, 1)
        # Portrait: the question sits on the reach line, right above its answers, and where the
        # visitor is stays at the top; landscape: the question follows where the visitor is.
        self._lift = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        self._rest = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self._head = head
        zones.reading.addLayout(head)
        zones.reading.addWidget(self.briefing_box)  # a short briefing, with the first question
        zones.reading.addSpacerItem(self._lift)
        zones.reading.addLayout(prompt_row)
        zones.reading.addWidget(self.hint)
        zones.beside_answers(self.hint)  # landscape: the prompt keeps its half's whole height
        zones.reading.addSpacerItem(self._rest)
        self._reading = zones.reading
        self._wide = False
        zones.when_arranged(self._arrange)
        # Touched low: the answers, what they need said, and the way on.
        zones.action.addWidget(self.message)  # right above the answers it is about
        zones.action.addWidget(self._scroll, 1)
        self.topic_button = make_button("link", name="topicBriefingButton", icon="briefing")
        self.topic_button.clicked.connect(self._open_topic_briefing)
        self._topic_briefing: object = None
        zones.action.addWidget(self.topic_button)
        zones.action.addWidget(self.privacy_notice)
        zones.bottom.addLayout(nav)
        zones.bottom.addWidget(self.top)
        self.back.clicked.connect(self.back_requested)
        self.next.clicked.connect(self.next_requested)
        self.answer: AnswerWidget | None = None
        # Choice, scale and yes/no answers put away, cleared: (form, question, language) -> it.
        self._kept: dict[tuple[str, str, str], AnswerWidget] = {}
        self._answer_key: tuple[str, str, str] = ("", "", "")
        self._compact = False
        self._key: tuple[object, ...] = ()
        self._auto_advance = False
        self._shown_answer: AnswerValue | None = None
        # The one-tap answer waiting to go on: (question key, value), checked when the time is up.
        self._pending: tuple[tuple[object, ...], AnswerValue] | None = None
        self.advance_timer = QTimer(self, singleShot=True, interval=CONFIRM_MS)
        self.advance_timer.timeout.connect(self._advance)

    def _arrange(self, wide: bool) -> None:
        """Landscape: the question under where the visitor is, and the phone card under the
        question, where it leaves the form's title its half's width; portrait: as built."""
        self._wide = wide
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed
        self._lift.changeSize(0, 0, QSizePolicy.Policy.Minimum, keep if wide else grow)
        self._rest.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow if wide else keep)
        self._head.removeWidget(self.phone)
        self._reading.removeWidget(self.phone)
        if wide:
            self._reading.insertWidget(self._reading.count() - 1, self.phone)
            self._reading.setAlignment(self.phone, Qt.AlignmentFlag.AlignLeft)
        else:
            self._head.addWidget(self.phone, 0, Qt.AlignmentFlag.AlignTop)
        self._reading.invalidate()

    def set_phone_form_url(self, base: str | None) -> None:
        """The hub's mobile forms (config `phone_form_url`); None: no QR code."""
        self.phone.set_base(base)

    def set_compact(self, on: bool) -> None:
        """Leave out the form title and progress (easy mode's large text with the keyboard up)."""
        self._compact = on
        # The visit's own buttons too: the keyboard's Done key gives them back.
        for widget in (
            self.form_title,
            self.progress_text,
            self.progress,
            self.kind_icon,
            self.top,
        ):
            widget.setVisible(not on)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        self._scroll.set_language(view.language)
        question, form, language = view.question, view.form, view.language
        if question is None or form is None:
            self._drop_answer_widget()
            self.phone.show_link(None, ())
            self.topic_button.hide()
            self.briefing_box.hide()
            return
        self._show_briefing(view)
        self._auto_advance = view.auto_advance
        self._shown_answer = view.answer
        self.form_title.setText(localized(form.title, language))
        # Easy mode's doubled text needs the room: the question and where it stands stay.
        self.form_title.setVisible(not view.easy_mode and not self._compact)
        self.progress_text.setText(
            text("question.progress", language, current=view.position, total=view.total)
        )
        self.progress.setRange(0, max(view.total, 1))
        self.progress.setValue(view.position)
        self.prompt.setText(localized(question.text, language))
        self.form_icon.set_icon_name(FORM_ICONS.get(form.kind, ""))
        # Easy mode on a landscape panel: the question's doubled text needs the icon's width.
        self.form_icon.setVisible(form.kind in FORM_ICONS and not (view.easy_mode and self._wide))
        self.kind_icon.set_icon_name(KIND_ICONS.get(question.type, "text"))
        # Easy mode's doubled text needs the room, and its visitors the kiosk's own help.
        shown = () if view.easy_mode or self._compact else (language,)
        self.phone.show_link(form.id, shown, language)
        hints = [localized(question.help, language)] if question.help else []
        if question.type == "multi_choice":
            low, high = question.picks
            hints.append(text("question.pick_up_to", language, min=low, max=high))
        if not question.required:
            hints.append(text("question.optional", language))
        self.hint.setText("  ·  ".join(hints))
        self.hint.setVisible(bool(hints))
        message = view.message
        self.message.setText(text(message.key, language, **dict(message.values)) if message else "")
        self.message.setVisible(message is not None)
        last = view.position == view.total
        self.next.setText(text(N_("nav.submit") if last else N_("nav.next"), language))
        self._show_privacy_notice(view)
        self.back.setText(text("nav.back", language))
        self._show_topic_briefing(view)
        key = (view.visit, form.id, question.id, language)
        if key != self._key:
            self._drop_answer_widget()
            self._answer_key = (form.id, question.id, language)
            kept = self._kept.pop(self._answer_key, None)
            if kept is not None and kept.question is question:
                self.answer = kept
            else:
                if kept is not None:
                    kept.deleteLater()  # built for content since replaced
                self.answer = answer_widget(question, language, self._theme)
                self.answer.changed.connect(self._answer_given)
            self.answer.show_value(view.answer)
            self._body_layout.addWidget(self.answer)
            self.answer.show()
            self._body_layout.addStretch(1)
            self._scroll.verticalScrollBar().setValue(0)
            self._key = key
        else:
            assert self.answer is not None
            self.answer.show_value(view.answer)

    def _answer_given(self, value: AnswerValue | None) -> None:
        """A tap or keystroke in the answer widget; a one-tap answer goes on after a moment."""
        self.answered.emit(value)
        if self._auto_advance and value is not None and value == self._shown_answer:
            self._pending = (self._key, value)
            self.advance_timer.start()
        else:
            self._pending = None
            self.advance_timer.stop()

    def _advance(self) -> None:
        """Go on, unless the visitor already moved (next, back, another answer) meanwhile."""
        pending, self._pending = self._pending, None
        if pending is not None and pending == (self._key, self._shown_answer) and self.isVisible():
            self.next_requested.emit()

    def _show_briefing(self, view: SessionView) -> None:
        """A short briefing shares the first question's screen, at the top where it is read."""
        briefing = view.form.briefing if view.form and view.briefing_shared else None
        self.briefing_box.setVisible(briefing is not None)
        if briefing is None:
            return
        language = view.language
        self.briefing_title.setText(localized(briefing.title, language))
        self.briefing_body.setText(localized(briefing.body, language))
        notes = []
        if briefing.source:
            notes.append(
                text("briefing.source", language, source=localized(briefing.source, language))
            )
        if briefing.as_of:
            notes.append(text("briefing.as_of", language, date=briefing.as_of.isoformat()))
        self.briefing_source.setText(" · ".join(notes))
        self.briefing_source.setVisible(bool(notes))

    def _show_privacy_notice(self, view: SessionView) -> None:
        """Say, in the visitor's language, that personal data was masked and why."""
        language = view.language
        if view.masked_kinds:
            kinds = text("privacy.kind.separator", language).join(
                text(f"privacy.kind.{kind}", language) for kind in view.masked_kinds
            )
            self.privacy_notice.setText(
                text("privacy.masked", language, kinds=kinds, next=self.next.text())
            )
        self.privacy_notice.setVisible(bool(view.masked_kinds))

    def _show_topic_briefing(self, view: SessionView) -> None:
        """Offer the background of the topic picked, when the content gives it one."""
        question, picked = view.question, view.answer
        option = question.option(picked) if question and isinstance(picked, str) else None
        self._topic_briefing = option.briefing if option else None
        self.topic_button.setText(text("topic.briefing", view.language))
        self.topic_button.setVisible(self._topic_briefing is not None)

    def _open_topic_briefing(self) -> None:
        if self._topic_briefing is not None:
            self.topic_briefing_requested.emit(self._topic_briefing)

    def _drop_answer_widget(self) -> None:
        """Put the answer widget away so nothing a visitor typed or picked survives it.

        A text box is destroyed (its undo history holds what was typed); buttons to pick from
        are cleared and kept, hidden, for the next time the question is asked in that language:
        building them again is most of a question's time to screen.
        """
        for widget in take_widgets(self._body_layout):
            widget.hide()
            if isinstance(widget, AnswerWidget) and not isinstance(widget, FreeTextAnswer):
                widget.show_value(None)
                if len(self._kept) >= KEPT_ANSWERS:
                    for old in self._kept.values():
                        old.deleteLater()
                    self._kept.clear()
                self._kept[self._answer_key] = widget
            else:
                widget.deleteLater()
        self.answer = None
        self._key = ()
