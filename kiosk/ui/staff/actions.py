"""Staff actions: sync now, content from USB, out of service, change PIN, quit to desktop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n.texts import N_, both
from kiosk.staff.views import StaffView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label


class StaffActionsScreen(QWidget):
    """Buttons that emit intents; quitting asks for a confirmation after the PIN."""

    sync_requested = Signal()
    import_requested = Signal()
    apply_requested = Signal()
    out_of_service_set = Signal(bool)
    change_pin_requested = Signal()
    quit_requested = Signal()
    quit_answered = Signal(bool)

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._out_of_service = False
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.mm(4))
        self.notice = make_label(name="actionsNotice")
        self.sync = make_button(name="syncNow")
        self.import_pack = make_button(name="importPack")
        self.apply_pack = make_button("primary", name="applyPack")
        self.service = make_button(name="toggleService")
        self.change_pin = make_button(name="changePin")
        self.quit = make_button(name="quitKiosk")
        self.confirm = QFrame()
        self.confirm.setProperty("role", "card")
        confirm_layout = QVBoxLayout(self.confirm)
        self.confirm_text = make_label("title")
        buttons = QHBoxLayout()
        self.quit_yes = make_button("primary", name="quitYes")
        self.quit_no = make_button(name="quitNo")
        buttons.addWidget(self.quit_no)
        buttons.addWidget(self.quit_yes)
        confirm_layout.addWidget(self.confirm_text)
        confirm_layout.addLayout(buttons)
        for widget in (
            self.notice,
            self.sync,
            self.import_pack,
            self.apply_pack,
            self.service,
            self.change_pin,
            self.quit,
            self.confirm,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.sync.clicked.connect(self.sync_requested)
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
