"""The visit as a state machine in plain Python: VisitorSession, made of one part per concern.

The values it shows (Step, SessionView, ValidationMessage) and answer problems as text keys live in
kiosk.visit.view; they are re-exported here, where most callers look for them. The answer rules
themselves are kiosk.content.answers.
"""

from __future__ import annotations

from kiosk.visit.attendance import Attendance
from kiosk.visit.contact_steps import ContactSteps
from kiosk.visit.loop_steps import LoopSteps
from kiosk.visit.navigation import Navigation
from kiosk.visit.state import VISIT_OUTCOMES, Clock, Listener, Save, VisitEnd
from kiosk.visit.view import (
    Feedback,
    SessionView,
    Step,
    ValidationMessage,
    problem_with,
)

__all__ = [
    "VISIT_OUTCOMES",
    "Clock",
    "Feedback",
    "Listener",
    "Save",
    "SessionView",
    "Step",
    "ValidationMessage",
    "VisitEnd",
    "VisitorSession",
    "problem_with",
]


class VisitorSession(Navigation, ContactSteps, LoopSteps, Attendance):
    """One visitor at a time: explicit transitions, a view for the screens, reset wipes it all."""
