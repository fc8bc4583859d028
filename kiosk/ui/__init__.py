"""Dumb Qt screens, the page stack, theme and on-screen input for the kiosk."""
