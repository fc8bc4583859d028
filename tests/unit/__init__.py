"""Unit tests: plain Python, a real SQLite file at most; no window, no HTTP."""
