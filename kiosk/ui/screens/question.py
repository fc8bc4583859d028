"""One question per screen: progress, the question, its answer widget, validation, back/next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n.texts import N_, localized, text
from kiosk.ui.answers import AnswerWidget, answer_widget
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TopBar, make_button, make_label, page_layout
from kiosk.visit.flow import SessionView


class QuestionScreen(QWidget):
    """Renders the question on screen; emits what the visitor did."""

    answered = Signal(object)
    next_requested = Signal()
    back_requested = Signal()
    topic_briefing_requested = Signal(object)  # the picked topic's content Briefing

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        layout = page_layout(self, theme, spacing_mm=5)
        self.top = TopBar()
        self.form_title = make_label("muted")
        self.progress_text = make_label("muted", name="progressText")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.prompt = make_label("title", name="questionText")
        self.hint = make_label("muted", name="questionHint")
        self.message = make_label("error", name="validationMessage")
        self.privacy_notice = make_label("notice", name="privacyNotice")
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setWidget(self._body)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(6))
        self.back = make_button(name="backButton")
        self.next = make_button("primary", name="nextButton")
        nav.addWidget(self.back, 1)
        nav.addWidget(self.next, 2)
        for widget in (
            self.top,
            self.form_title,
            self.progress_text,
            self.progress,
            self.prompt,
            self.hint,
        ):
            layout.addWidget(widget)
        layout.addWidget(self._scroll, 1)
        self.topic_button = make_button("link", name="topicBriefingButton")
        self.topic_button.clicked.connect(self._open_topic_briefing)
        self._topic_briefing: object = None
        layout.addWidget(self.topic_button)
        layout.addWidget(self.message)
        layout.addWidget(self.privacy_notice)
        layout.addLayout(nav)
        self.back.clicked.connect(self.back_requested)
        self.next.clicked.connect(self.next_requested)
        self.answer: AnswerWidget | None = None
        self._key: tuple[object, ...] = ()

    def set_compact(self, on: bool) -> None:
        """Leave out the form title and progress (easy mode's large text with the keyboard up)."""
        for widget in (self.form_title, self.progress_text, self.progress):
            widget.setVisible(not on)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        question, form, language = view.question, view.form, view.language
        if question is None or form is None:
            self._drop_answer_widget()
            self.topic_button.hide()
            return
        self.form_title.setText(localized(form.title, language))
        self.progress_text.setText(
            text("question.progress", language, current=view.position, total=view.total)
        )
        self.progress.setRange(0, max(view.total, 1))
        self.progress.setValue(view.position)
        self.prompt.setText(localized(question.text, language))
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
            self.answer = answer_widget(question, language, self._theme)
            self.answer.show_value(view.answer)
            self.answer.changed.connect(self.answered)
            self._body_layout.addWidget(self.answer)
            self._body_layout.addStretch(1)
            self._scroll.verticalScrollBar().setValue(0)
            self._key = key
        else:
            assert self.answer is not None
            self.answer.show_value(view.answer)

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
        """Destroy the answer widget so nothing a visitor typed or picked survives it."""
        while self._body_layout.count():
            item = self._body_layout.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.answer = None
        self._key = ()
