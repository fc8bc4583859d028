"""Sync tests: real HTTP on loopback, real SQLite on both ends."""
