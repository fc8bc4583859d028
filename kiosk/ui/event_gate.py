"""One application-wide event filter in front of the kiosk's own (lockdown, idle, keypad, staff).

Qt calls every application filter for every event of every object: paints, layouts, child and
polish events, hundreds per screen change. Each Python filter then costs a call into Python and
wrappers for the object and the event, four times over. The gate is the only filter Qt sees; it
reads the event's type once and passes on only the kinds each filter asked for (key presses,
touches), newest filter first, as Qt would, stopping at the first that takes the event.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject


class EventGate(QObject):
    """The application's filter, holding the kiosk's filters (weakly, as Qt does)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        # Newest first: (the filter, the event types it is shown).
        self._filters: list[tuple[weakref.ref[QObject], frozenset[QEvent.Type]]] = []
        self._wanted: frozenset[QEvent.Type] = frozenset()
        app.installEventFilter(self)

    def add(self, watcher: QObject, kinds: Iterable[QEvent.Type]) -> None:
        self.remove(watcher)
        self._filters.insert(0, (weakref.ref(watcher), frozenset(kinds)))
        self._rewant()

    def remove(self, watcher: QObject) -> None:
        kept = []
        for ref, kinds in self._filters:
            held = ref()
            if held is not None and held is not watcher:
                kept.append((ref, kinds))
        self._filters = kept
        self._rewant()

    def _rewant(self) -> None:
        self._wanted = frozenset().union(*(kinds for _, kinds in self._filters))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in self._wanted:
            return False
        for ref, kinds in tuple(self._filters):
            watcher = ref()
            if watcher is not None and kind in kinds and watcher.eventFilter(watched, event):
                return True
        return False


_gates: dict[int, EventGate] = {}


def _gate() -> EventGate:
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("kiosk event filters need a QApplication: create it first")
    gate = _gates.get(id(app))
    try:
        current = gate is not None and gate.parent() is app
    except RuntimeError:  # the application it filtered is gone; a new one took its address
        current = False
    if gate is None or not current:
        gate = _gates[id(app)] = EventGate(app)
    return gate


def install_filter(watcher: QObject, kinds: Iterable[QEvent.Type]) -> None:
    """Filter the application's events of these types through `watcher.eventFilter`."""
    _gate().add(watcher, kinds)


def remove_filter(watcher: QObject) -> None:
    if QCoreApplication.instance() is not None:
        _gate().remove(watcher)
