"""Contact details entry: an email and/or a mobile number, only for the items agreed to."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from kiosk.i18n.texts import localized, text
from kiosk.privacy.contact import CONTACT_ITEMS
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import TopBar, Zones, make_button, make_label
from kiosk.visit.flow import SessionView, Step

_HINTS = {
    "email": Qt.InputMethodHint.ImhEmailCharactersOnly | Qt.InputMethodHint.ImhNoPredictiveText,
    "phone": Qt.InputMethodHint.ImhDialableCharactersOnly | Qt.InputMethodHint.ImhNoPredictiveText,
}


class ContactScreen(QWidget):
    """Fields are emptied whenever the visitor leaves the step: nothing typed outlives it."""

    edited = Signal(str, str)
    submitted = Signal()
    skipped = Signal()
    back_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        zones = Zones(self, theme, spacing_mm=Space.M)
        layout = zones.action
        self.top = TopBar(theme)
        self.title = make_label("title", name="contactTitle")
        self.note = make_label("muted", name="contactNote")
        zones.reading.addWidget(self.title)
        zones.reading.addWidget(self.note)
        zones.reading.addStretch(1)
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        for item in CONTACT_ITEMS:
            label = make_label(name=f"contactLabel_{item}")
            field = QLineEdit()
            field.setObjectName(f"contact_{item}")
            field.setInputMethodHints(_HINTS[item])
            field.setMaxLength(254)
            field.textEdited.connect(lambda value, i=item: self.edited.emit(i, value))
            layout.addWidget(label)
            layout.addWidget(field)
            self.labels[item] = label
            self.fields[item] = field
        layout.addStretch(1)
        self.message = make_label("error", name="contactMessage")
        layout.addWidget(self.message)
        nav = QHBoxLayout()
        nav.setSpacing(theme.mm(Space.M))
        self.back = make_button(name="contactBackButton", icon="back")
        self.skip = make_button(name="contactSkipButton")
        self.send = make_button("primary", name="contactSendButton", icon="next")
        for button in (self.back, self.skip, self.send):
            nav.addWidget(button, 1)
        zones.bottom.addLayout(nav)
        zones.bottom.addWidget(self.top)
        self.back.clicked.connect(self.back_requested)
        self.skip.clicked.connect(self.skipped)
        self.send.clicked.connect(self.submitted)
        self._visit = -1

    def show_view(self, view: SessionView) -> None:
        if view.step != Step.CONTACT or view.visit != self._visit:
            for field in self.fields.values():
                field.clear()
            self._visit = view.visit if view.step == Step.CONTACT else -1
        if view.step != Step.CONTACT or view.consent is None:
            return
        self.top.show_view(view)
        language = view.language
        self.title.setText(text("contact.title", language))
        self.note.setText(text("contact.note", language))
        agreed = {item for item, choice in view.consent_choices if choice}
        first = True
        for item in CONTACT_ITEMS:
            shown = item in agreed and item in view.consent.items
            self.labels[item].setVisible(shown)
            self.fields[item].setVisible(shown)
            if not shown:
                self.fields[item].clear()
                continue
            self.labels[item].setText(localized(view.consent.items[item], language))
            self.fields[item].setPlaceholderText(text(f"contact.{item}_placeholder", language))
            if first and not any(f.hasFocus() for f in self.fields.values()):
                self.fields[item].setFocus()
            first = False
        message = view.message
        self.message.setText(text(message.key, language) if message else "")
        self.message.setVisible(message is not None)
        self.back.setText(text("nav.back", language))
        self.skip.setText(text("contact.skip", language))
        self.send.setText(text("contact.send", language))
