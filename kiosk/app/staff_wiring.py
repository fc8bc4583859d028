"""The staff area wired to its controller: intents to actions, and any touch restarting auto-logout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject

from kiosk.staff.controller import StaffController
from kiosk.staff.views import Page
from kiosk.ui.event_gate import install_filter, remove_filter
from kiosk.ui.idle import ACTIVITY
from kiosk.ui.staff.area import StaffArea


class StaffActivity(QObject):
    """Any touch or key while the staff area is open restarts its auto-logout clock."""

    def __init__(self, controller: StaffController) -> None:
        super().__init__()
        self._controller = controller

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._controller.is_open and event.type() in ACTIVITY and watched.isWidgetType():
            self._controller.touch()
        return False

    def install(self) -> None:
        install_filter(self, ACTIVITY)

    def remove(self) -> None:
        remove_filter(self)


def wire(area: StaffArea, controller: StaffController) -> None:
    """Screens emit intents; the controller acts and publishes a new view."""
    area.page_requested.connect(lambda page: controller.show_page(Page(page)))
    area.logout_requested.connect(lambda: controller.close("staff logged out"))
    area.pin.pin_entered.connect(controller.enter_pin)
    area.pin.cancelled.connect(controller.cancel_pin)
    area.results.results_requested.connect(controller.show_results)
    area.export.refresh_requested.connect(lambda: controller.show_page(Page.EXPORT))
    area.export.export_requested.connect(
        lambda fmt, drive, forms, first, last: controller.start_export(
            fmt, Path(drive), tuple(forms), first, last
        )
    )
    actions = area.actions_screen
    actions.sync_requested.connect(controller.sync_now)
    actions.requeue_requested.connect(controller.requeue_quarantined)
    actions.import_requested.connect(controller.find_pack)
    actions.apply_requested.connect(controller.apply_pack)
    actions.out_of_service_set.connect(controller.set_out_of_service)
    actions.change_pin_requested.connect(controller.change_pin)
    actions.quit_requested.connect(controller.quit)
    actions.quit_answered.connect(controller.answer_quit)
