"""Visitor-facing strings of the kiosk's own, one gettext catalog per language."""
