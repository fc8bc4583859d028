"""Staff actions: sync now, requeue quarantined responses, content from USB, out of service, change PIN, quit to desktop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout

from kiosk.i18n.texts import N_, both
from kiosk.staff.views import StaffView
from kiosk.ui.staff.widgets import StaffPage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label


class StaffActionsScreen(StaffPage):
    """Buttons that emit intents; quitting asks for a confirmation after the PIN."""

    sync_requested = Signal()
    requeue_requested = Signal()
    import_requested = Signal()
    apply_requested = Signal()
    out_of_service_set = Signal(bool)
    change_pin_requested = Signal()
    quit_requested = Signal()
    quit_answered = Signal(bool)

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        self._out_of_service = False
        self.notice = make_label(name="actionsNotice")
        self.reading.addWidget(self.notice)
        self.sync = make_button(name="syncNow")
        self.requeue = make_button(name="requeueQuarantined")
        self.import_pack = make_button(name="importPack")
        self.apply_pack = make_button("primary", name="applyPack")
        self.service = make_button(name="toggleService")
        self.change_pin = make_button(name="changePin")
        self.quit = make_button(name="quitKiosk")
        self.confirm = QFrame()
        self.confirm.setProperty("role", "card")
        confirm_layout = QVBoxLayout(self.confirm)
        confirm_layout.setSpacing(theme.mm(3))
        self.confirm_text = make_label("title")
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.mm(4))
        self.quit_yes = make_button("primary", name="quitYes")
        self.quit_no = make_button(name="quitNo")
        buttons.addWidget(self.quit_no, 1)
        buttons.addWidget(self.quit_yes, 1)
        confirm_layout.addWidget(self.confirm_text)
        confirm_layout.addLayout(buttons)
        grid = QGridLayout()
        grid.setSpacing(theme.mm(4))
        grid.addWidget(self.sync, 0, 0)
        grid.addWidget(self.requeue, 0, 1)
        grid.addWidget(self.import_pack, 1, 0)
        grid.addWidget(self.apply_pack, 1, 1)
        grid.addWidget(self.service, 2, 0)
        grid.addWidget(self.change_pin, 2, 1)
        grid.addWidget(self.quit, 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.reach.addLayout(grid)
        self.reach.addWidget(self.confirm)
        self.sync.clicked.connect(self.sync_requested)
        self.requeue.clicked.connect(self.requeue_requested)
        self.import_pack.clicked.connect(self.import_requested)
        self.apply_pack.clicked.connect(self.apply_requested)
        self.service.clicked.connect(lambda: self.out_of_service_set.emit(not self._out_of_service))
        self.change_pin.clicked.connect(self.change_pin_requested)
        self.quit.clicked.connect(self.quit_requested)
        self.quit_yes.clicked.connect(lambda: self.quit_answered.emit(True))
        self.quit_no.clicked.connect(lambda: self.quit_answered.emit(False))

    def clear(self) -> None:
        self.notice.setText("")
        self.confirm.hide()

    def show_view(self, view: StaffView) -> None:
        self._out_of_service = view.out_of_service
        notice = view.actions_notice
        self.notice.setText(both(notice.key, **dict(notice.values)) if notice else "")
        self.notice.setProperty("role", "error" if notice and notice.error else "")
        self.notice.style().polish(self.notice)
        self.sync.setText(both("staff.actions.sync"))
        self.requeue.setText(both("staff.actions.requeue"))
        self.import_pack.setText(both("staff.actions.import"))
        self.apply_pack.setText(both("staff.actions.apply"))
        self.apply_pack.setVisible(view.pack_ready)
        self.service.setText(
            both(N_("staff.actions.oos_off") if view.out_of_service else N_("staff.actions.oos_on"))
        )
        self.change_pin.setText(both("staff.actions.change_pin"))
        self.quit.setText(both("staff.actions.quit"))
        self.confirm_text.setText(both("staff.actions.quit_confirm"))
        self.quit_yes.setText(both("staff.actions.quit_yes"))
        self.quit_no.setText(both("staff.actions.quit_no"))
        self.confirm.setVisible(view.confirm_quit)
