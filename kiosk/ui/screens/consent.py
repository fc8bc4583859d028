"""Consent to optional contact details: purpose, items, retention, the right to refuse."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.privacy.contact import CONTACT_ITEMS
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import ScrollPane, TopBar, Zones, make_button, make_label
from kiosk.visit.flow import SessionView


class ConsentScreen(QWidget):
    """Each item agreed or refused separately; nothing pre-selected; 'no' as big as 'yes'."""

    choice_made = Signal(str, bool)
    confirmed = Signal()
    refused = Signal()
    back_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        zones = Zones(self, theme, spacing_mm=Space.M)
        self.top = TopBar(theme)
        self.title = make_label("title", name="consentTitle")
        self.purpose = make_label("lead", name="consentPurpose")
        self.retention = make_label(name="consentRetention")
        self.refusal = make_label(name="consentRefusal")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(theme.mm(Space.M))
        for label in (self.retention, self.refusal):
            body_layout.addWidget(label)
        self.item_labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}
        self.buttons: dict[tuple[str, bool], QPushButton] = {}
        for item in CONTACT_ITEMS:
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, theme.mm(Space.S), 0, 0)
            label = make_label("title", name=f"consentItem_{item}")
            row_layout.addWidget(label)
            pair = QHBoxLayout()
            pair.setSpacing(theme.mm(Space.L))
            for agreed, name in ((True, "yes"), (False, "no")):
                button = make_button(name=f"consent_{item}_{name}", checkable=True, icon="ring")
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
        self._scroll = ScrollPane(theme, body)
        self.message = make_label("error", name="consentMessage")
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(Space.M))
        self.no_thanks = make_button(name="noThanksButton")
        self.next = make_button("primary", name="consentNextButton", icon="next")
        nav.addWidget(self.no_thanks, 1)  # a pair: the same size
        nav.addWidget(self.next, 1)
        self.back = make_button(name="consentBackButton", icon="back")
        zones.reading.addWidget(self.title)
        zones.reading.addWidget(self.purpose)
        zones.reading.addStretch(1)
        zones.action.addWidget(self._scroll, 1)
        zones.action.addWidget(self.message)
        zones.bottom.addLayout(nav)
        back_row = QHBoxLayout()
        back_row.setSpacing(theme.mm(Space.M))
        back_row.addWidget(self.back, 1)
        back_row.addWidget(self.top, 2)
        zones.bottom.addLayout(back_row)
        self.no_thanks.clicked.connect(self.refused)
        self.next.clicked.connect(self.confirmed)
        self.back.clicked.connect(self.back_requested)

    def show_view(self, view: SessionView) -> None:
        self.top.show_view(view)
        consent, language = view.consent, view.language
        self._scroll.set_language(language)
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
