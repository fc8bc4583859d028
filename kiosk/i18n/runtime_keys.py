"""Message keys that the code builds at run time or passes around as data (f"kind.{kind}",
ValidationMessage("error.required"), a tuple of keys), declared here so that Babel's extraction
finds them. Only the declaration matters: nothing reads this tuple.

A new key used through a variable goes here; a key written literally in text(), both() or N_()
is found where it is used.
"""

from __future__ import annotations

from kiosk.i18n.texts import N_

RUNTIME_KEYS = (
    # answer.*
    N_("answer.no"),
    N_("answer.yes"),
    # consent.*
    N_("consent.agree"),
    N_("consent.choose_each"),
    N_("consent.refuse"),
    # contact.*
    N_("contact.email_placeholder"),
    N_("contact.empty"),
    N_("contact.invalid_email"),
    N_("contact.invalid_phone"),
    N_("contact.phone_placeholder"),
    # easy.*
    N_("easy.faster"),
    N_("easy.slower"),
    N_("easy.volume_down"),
    N_("easy.volume_up"),
    # error.*
    N_("error.required"),
    N_("error.save_failed"),
    N_("error.too_few"),
    N_("error.too_long"),
    N_("error.too_many"),
    # fatal.*
    N_("fatal.body"),
    N_("fatal.title"),
    # feed.status.*
    N_("feed.status.not_adopted"),
    N_("feed.status.received"),
    N_("feed.status.reflected"),
    N_("feed.status.under_review"),
    # highlight.*
    N_("highlight.feed"),
    N_("highlight.result"),
    # keyboard.*
    N_("keyboard.back_to_en"),
    N_("keyboard.back_to_ko"),
    N_("keyboard.backspace"),
    N_("keyboard.done"),
    N_("keyboard.language"),
    N_("keyboard.shift"),
    N_("keyboard.space"),
    # kind.*
    N_("kind.opinion"),
    N_("kind.proposal_call"),
    N_("kind.survey"),
    # nav.*
    N_("nav.quit_form"),
    # oos.*
    N_("oos.body"),
    N_("oos.title"),
    # privacy.kind.*
    N_("privacy.kind.card"),
    N_("privacy.kind.email"),
    N_("privacy.kind.phone"),
    N_("privacy.kind.rrn"),
    # results.*
    N_("results.hidden"),
    # staff.actions.*
    N_("staff.actions.applied"),
    N_("staff.actions.import_failed"),
    N_("staff.actions.no_pack"),
    N_("staff.actions.pack_invalid"),
    N_("staff.actions.preview"),
    N_("staff.actions.sync_off"),
    N_("staff.actions.sync_running"),
    N_("staff.actions.sync_started"),
    # staff.dash.*
    N_("staff.dash.form"),
    N_("staff.dash.today"),
    N_("staff.dash.total"),
    N_("staff.dash.week"),
    # staff.export.*
    N_("staff.export.done"),
    N_("staff.export.failed"),
    # staff.nav.*
    N_("staff.nav.actions"),
    N_("staff.nav.audit"),
    N_("staff.nav.dashboard"),
    N_("staff.nav.export"),
    N_("staff.nav.results"),
    # staff.pin.*
    N_("staff.pin.bad_format"),
    N_("staff.pin.change_confirm"),
    N_("staff.pin.change_new"),
    N_("staff.pin.change_old"),
    N_("staff.pin.changed"),
    N_("staff.pin.locked"),
    N_("staff.pin.login"),
    N_("staff.pin.mismatch"),
    N_("staff.pin.not_set"),
    N_("staff.pin.quit"),
    N_("staff.pin.wrong"),
    # sync.*
    N_("sync.counts"),
    N_("sync.now"),
    N_("sync.now_busy"),
    # sync.state.*
    N_("sync.state.blocked"),
    N_("sync.state.idle"),
    N_("sync.state.off"),
    N_("sync.state.sending"),
    N_("sync.state.stopped"),
    N_("sync.state.waiting"),
    # thanks.*
    N_("thanks.opinion"),
    N_("thanks.proposal_call"),
    N_("thanks.survey"),
    # declared at merge time: keys other branches use through variables
    N_("audit.actor.cli"),
    N_("audit.actor.staff"),
    N_("audit.actor.system"),
    N_("audit.out_of_service.off"),
    N_("audit.out_of_service.on"),
    N_("audit.purge_contacts"),
    N_("audit.purge_responses"),
    N_("audit.purpose.change_old"),
    N_("audit.purpose.login"),
    N_("audit.purpose.quit"),
    N_("audit.reason.auto-logout"),
    N_("staff.actions.requeued"),
    N_("staff.export.help.csv"),
    N_("staff.export.help.jsonl"),
    N_("staff.export.help.xlsx"),
    N_("staff.range.all"),
    N_("staff.range.first"),
    N_("staff.range.last"),
    N_("staff.range.month"),
    N_("staff.range.today"),
    N_("staff.range.week"),
    # declared at merge time: keys other branches use through variables
    N_("staff.pin.clear"),
    N_("staff.pin.ok"),
    N_("staff.results.choose_dates"),
    # declared at merge time: keys other branches use through variables
    N_("staff.export.done_remove"),
    # declared at merge time: keys other branches use through variables
    N_("attract.card_feed"),
    N_("attract.card_invitation"),
    N_("attract.card_result"),
    N_("scale.likert_2"),
    N_("scale.likert_3"),
    N_("scale.likert_4"),
    # declared at merge time: keys other branches use through variables
    N_("attract.touch"),
)
