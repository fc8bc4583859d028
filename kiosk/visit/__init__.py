"""The visit as a state machine in plain Python: steps, answers, consent, reset. No widgets."""
