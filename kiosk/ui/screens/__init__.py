"""One screen per module; each renders a SessionView and emits the visitor's intents."""
