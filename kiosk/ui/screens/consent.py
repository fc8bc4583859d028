"""Consent to optional contact details: purpose, items, retention, the right to refuse."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import TopBar, make_button, make_label, page_layout
from kiosk.visit.consent import CONTACT_ITEMS
from kiosk.visit.flow import SessionView


class ConsentScreen(QWidget):
    """Each item agreed or refused separately; nothing pre-selected; 'no' as big as 'yes'."""

    choice_made = Signal(str, bool)
    confirmed = Signal()
    refused = Signal()
    back_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = page_layout(self, theme, spacing_mm=5)
        self.top = TopBar()
        self.title = make_label("title", name="consentTitle")
        self.purpose = make_label(name="consentPurpose")
        self.retention = make_label(name="consentRetention")
        self.refusal = make_label(name="consentRefusal")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(theme.mm(5))
        for label in (self.purpose, self.retention, self.refusal):
            body_layout.addWidget(label)
        self.item_labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        self.buttons: dict[tuple[str, bool], QPushButton] = {}
        for item in CONTACT_ITEMS:
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, theme.mm(3), 0, 0)
            label = make_label("title", name=f"consentItem_{item}")
            row_layout.addWidget(label)
            pair = QHBoxLayout()
            pair.setSpacing(theme.mm(6))
            for agreed, name in ((True, "yes"), (False, "no")):
                button = make_button(name=f"consent_{item}_{name}", checkable=True)
                button.clicked.connect(
                    lambda _=False, i=item, a=agreed: self.choice_made.emit(i, a)
                )
                pair.addWidget(button, 1)  # the same size: refusing is as easy as agreeing
                self.buttons[(item, agreed)] = button
            row_layout.addLayout(pair)
            body_layout.addWidget(row)
            self.item_labels[item] = label
            self.rows[item] = row
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.message = make_label("error", name="consentMessage")
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(6))
        self.no_thanks = make_button(name="noThanksButton")
        self.next = make_button(name="consentNextButton")
        nav.addWidget(self.no_thanks, 1)
        nav.addWidget(self.next, 1)
        self.back = make_button(name="consentBackButton")
        for widget in (self.top, self.title):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(nav)
        layout.addWidget(self.back)
        self.no_thanks.clicked.connect(self.refused)
        self.next.clicked.connect(self.confirmed)
        self.back.clicked.connect(self.back_requested)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        consent, language = view.consent, view.language
        if consent is None:
            return
        self.title.setText(localized(consent.title, language))
        self.purpose.setText(localized(consent.purpose, language))
        self.retention.setText(consent.retention_text(language, view.retention_days))
        self.refusal.setText(localized(consent.refusal, language))
        choices = dict(view.consent_choices)
        for item in CONTACT_ITEMS:
            offered = item in consent.items
            self.rows[item].setVisible(offered)
            if offered:
                self.item_labels[item].setText(localized(consent.items[item], language))
            for agreed, key in ((True, "consent.agree"), (False, "consent.refuse")):
                button = self.buttons[(item, agreed)]
                button.setText(text(key, language))
                button.setChecked(choices.get(item) is agreed)
        message = view.message
        self.message.setText(text(message.key, language) if message else "")
        self.message.setVisible(message is not None)
        self.no_thanks.setText(text("consent.no_thanks", language))
        self.next.setText(text("consent.continue", language))
        self.back.setText(text("nav.back", language))
