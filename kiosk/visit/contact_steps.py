"""After submit: consent to optional contact details, item by item, and the details sealed at once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.privacy.contact import CONTACT_ITEMS, NORMALISERS
from kiosk.visit.consent import sealed_contact
from kiosk.visit.state import VisitCore
from kiosk.visit.view import Step, ValidationMessage

if TYPE_CHECKING:
    from kiosk.content.models import Form

log = logging.getLogger(__name__)


class ContactSteps(VisitCore):
    """The consent and contact steps; nothing typed outlives the visit."""

    def _consent_items(self) -> list[str]:
        consent = self._content.consent
        return [item for item in CONTACT_ITEMS if consent is not None and item in consent.items]

    def _offers_contact(self, form: Form) -> bool:
        consent = self._content.consent
        return (
            self._contact_offer is not None
            and consent is not None
            and form.kind in consent.offered_after
        )

    def choose_consent(self, item: str, agreed: bool) -> None:
        """The visitor agreed to, or refused, one item (email, phone) of the consent."""
        choices = self._visit.contact.choices
        if self._step == Step.CONSENT and item in choices:
            choices[item] = agreed
            self._visit.message = None
            self._changed()

    def refuse_contact(self) -> None:
        """'No, thank you': every item refused, the response saved with the refusal only."""
        if self._step != Step.CONSENT:
            return
        visit = self._visit
        visit.contact.choices = dict.fromkeys(visit.contact.choices, False)
        visit.contact.values.clear()
        visit.consent_at = self._clock()
        self._save_and_thank(consent=True)

    def confirm_consent(self) -> None:
        """Go on from the consent screen once every item has a yes or a no."""
        if self._step != Step.CONSENT:
            return
        visit = self._visit
        if any(choice is None for choice in visit.contact.choices.values()):
            visit.message = ValidationMessage("consent.choose_each")
            self._changed()
            return
        visit.consent_at = self._clock()
        if not any(visit.contact.choices.values()):
            self._save_and_thank(consent=True)
            return
        visit.message = None
        self._step = Step.CONTACT
        self._changed()

    def enter_contact(self, item: str, value: str) -> None:
        """The visitor typed into a contact field; kept in this visit only, never in a view."""
        if self._step == Step.CONTACT and self._visit.contact.choices.get(item):
            self._visit.contact.values[item] = value

    def submit_contact(self) -> None:
        """Check the typed details, seal them to the ministry's key and save the response."""
        if self._step != Step.CONTACT or self._contact_offer is None:
            return
        visit = self._visit
        details: dict[str, str] = {}
        for item, agreed in visit.contact.choices.items():
            typed = visit.contact.values.get(item, "").strip()
            if not agreed or not typed:
                continue
            normalised = NORMALISERS[item](typed)
            if normalised is None:
                visit.message = ValidationMessage(f"contact.invalid_{item}")
                self._changed()
                return
            details[item] = normalised
        if not details:
            visit.message = ValidationMessage("contact.empty")
            self._changed()
            return
        self._save_and_thank(True, sealed_contact(self._contact_offer.seal, details))

    def skip_contact(self) -> None:
        """Agreed, then changed their mind: the receipt is kept, no details are."""
        if self._step == Step.CONTACT:
            self._visit.contact.values.clear()
            self._save_and_thank(consent=True)
