"""On-screen keyboard input: layouts and the Hangul composition automaton."""
